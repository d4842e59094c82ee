#include "vars.hpp"

#include <cctype>
#include <cmath>

namespace conform {

namespace {

bool name_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

/// Reads a variable name at s[i] (after '$'): word(.word)?  Returns its length.
std::size_t name_len(const std::string& s, std::size_t i) {
  std::size_t j = i;
  if (j < s.size() && s[j] == '{') {
    std::size_t e = s.find('}', j);
    return e == std::string::npos ? 0 : e - j + 1;
  }
  while (j < s.size() && name_char(s[j])) ++j;
  if (j < s.size() && s[j] == '.' && j + 1 < s.size() && name_char(s[j + 1])) {
    ++j;
    while (j < s.size() && name_char(s[j])) ++j;
  }
  return j - i;
}

std::string strip(const std::string& raw) {
  return raw.size() > 1 && raw.front() == '{' ? raw.substr(1, raw.size() - 2) : raw;
}

/// The one expression grammar of the scenario language: numbers, $variables, + - * /,
/// unary minus and parentheses. Without `vars` it only checks the syntax (every variable
/// counts as 1), which is what the loader does with every expression it can see.
struct Parser {
  const Vars* vars;
  const std::string& s;
  std::size_t i = 0;
  int binary_ops = 0;  // how many + - * / between operands
  void ws() { while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i]))) ++i; }
  double primary() {
    ws();
    if (i < s.size() && s[i] == '(') {
      ++i;
      double v = sum();
      ws();
      if (i >= s.size() || s[i] != ')') throw ScenarioError("expression '" + s + "': missing )");
      ++i;
      return v;
    }
    if (i < s.size() && s[i] == '-') { ++i; return -primary(); }
    if (i < s.size() && s[i] == '$') {
      std::size_t n = name_len(s, i + 1);
      std::string name = strip(s.substr(i + 1, n));
      if (n == 0) throw ScenarioError("expression '" + s + "': variable name expected at " + std::to_string(i + 1));
      i += n + 1;
      if (!vars) return 1;
      const Json& v = vars->get(name);
      if (v.is_number()) return v.get<double>();
      if (v.is_boolean()) return v.get<bool>() ? 1 : 0;
      if (v.is_string()) return vars->number(v);
      throw ScenarioError("variable $" + name + " is not a number");
    }
    std::size_t used = 0;
    double v = 0;
    // A number starts with a digit or a point: stod would also take "inf", "nan" and hex.
    if (i >= s.size() || !(std::isdigit(static_cast<unsigned char>(s[i])) || s[i] == '.'))
      throw ScenarioError("expression '" + s + "': number expected at " + std::to_string(i));
    try {
      v = std::stod(s.substr(i), &used);
    } catch (...) {
      throw ScenarioError("expression '" + s + "': number expected at " + std::to_string(i));
    }
    i += used;
    return v;
  }
  /// One level of left-associative binary operators: `a op b op c ...` over `operand`.
  template <class Operand>
  double chain(Operand operand, char op1, char op2) {
    double v = operand();
    for (;;) {
      ws();
      if (i >= s.size() || (s[i] != op1 && s[i] != op2)) return v;
      const char op = s[i++];
      ++binary_ops;
      const double r = operand();
      switch (op) {
        case '*': v *= r; break;
        case '/': v /= r; break;
        case '+': v += r; break;
        default: v -= r; break;
      }
    }
  }
  double product() { return chain([this] { return primary(); }, '*', '/'); }
  double sum() { return chain([this] { return product(); }, '+', '-'); }
};

/// Parses (and, with `vars`, evaluates) the whole of `s`; "= " before it is allowed.
double evaluate(const Vars* vars, const std::string& s, int* ops = nullptr) {
  Parser p{vars, s};
  p.ws();
  if (p.i < s.size() && s[p.i] == '=') ++p.i;
  double r = p.sum();
  p.ws();
  if (p.i != s.size()) throw ScenarioError("expression '" + s + "': unexpected text at " + std::to_string(p.i));
  if (ops) *ops = p.binary_ops;
  return r;
}

Json integral_or_not(double d) {
  if (std::isfinite(d) && d == static_cast<double>(static_cast<long long>(d))) return static_cast<long long>(d);
  return d;
}

}  // namespace

std::string expression_error(const std::string& s) {
  try {
    evaluate(nullptr, s);
    return "";
  } catch (const ScenarioError& e) {
    return e.what();
  }
}

bool is_expression(const std::string& s) {
  if (!s.empty() && s[0] == '=') return true;
  if (s.find_first_of("+-*/") == std::string::npos) return false;
  try {
    int ops = 0;
    evaluate(nullptr, s, &ops);
    return ops > 0;
  } catch (const ScenarioError&) {
    return false;
  }
}

const Json& Vars::get(const std::string& name) const {
  auto it = map_.find(name);
  if (it == map_.end()) throw ScenarioError("undefined variable $" + name);
  return it->second;
}

Json Vars::resolve(const Json& v) const {
  if (v.is_array()) {
    Json a = Json::array();
    for (const auto& e : v) a.push_back(resolve(e));
    return a;
  }
  if (v.is_object()) {
    Json o = Json::object();
    for (const auto& [k, e] : v.items()) o[k] = resolve(e);
    return o;
  }
  if (!v.is_string()) return v;
  const std::string& s = v.get_ref<const std::string&>();
  if (is_expression(s)) return integral_or_not(number(v));  // the one arithmetic rule
  if (s.find('$') == std::string::npos) return v;
  if (s[0] == '$' && name_len(s, 1) == s.size() - 1) return get(strip(s.substr(1)));
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '$' && i + 1 < s.size() && s[i + 1] == '$') {
      out += '$';
      ++i;
      continue;
    }
    std::size_t n = s[i] == '$' ? name_len(s, i + 1) : 0;
    if (n == 0) {
      out += s[i];
      continue;
    }
    const Json& val = get(strip(s.substr(i + 1, n)));
    out += val.is_string() ? val.get<std::string>() : val.dump();
    i += n;
  }
  return out;
}

std::string Vars::text(const Json& v) const {
  Json r = resolve(v);
  return r.is_string() ? r.get<std::string>() : r.dump();
}

double Vars::number(const Json& v) const {
  if (v.is_number()) return v.get<double>();
  if (v.is_boolean()) return v.get<bool>() ? 1 : 0;
  if (!v.is_string()) throw ScenarioError("number expected, got " + v.dump());
  return evaluate(this, v.get_ref<const std::string&>());
}

}  // namespace conform
