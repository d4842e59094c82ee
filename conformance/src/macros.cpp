// Macros of the scenario language (docs/conformance.md "Macros"). A macro body names its
// load-time parameters {{name}}: they are replaced by the call's `with:` values when the
// call is expanded, before any step is typed. Run-time variables are $name or ${name}; the
// two syntaxes never meet: ${p} in the body of a macro with a parameter p is an error, so
// that a parameter written the run-time way is not silently left for the runner.
#include "loader_ctx.hpp"

#include <algorithm>
#include <regex>

namespace conform::load {

namespace {

/// Calls `f(name, begin, end)` for every {{name}} in `s` ([begin, end) the whole mark).
template <class F>
void each_param(const std::string& s, F f) {
  for (std::size_t p = s.find("{{"); p != std::string::npos; p = s.find("{{", p + 2)) {
    const std::size_t e = s.find("}}", p + 2);
    if (e == std::string::npos) return;
    std::string name = s.substr(p + 2, e - p - 2);
    name.erase(0, name.find_first_not_of(' '));
    name.erase(name.find_last_not_of(' ') + 1);
    f(name, p, e + 2);
  }
}

std::string joined(const std::vector<std::string>& v) {
  std::string s;
  for (const auto& x : v) s += (s.empty() ? "" : ", ") + x;
  return s.empty() ? "none" : s;
}

/// Every scalar (keys included) of a macro body: {{x}} must be a declared parameter, and a
/// parameter must not be written ${x}.
void lint(const Ctx& c, const std::string& macro, const Macro& m, const YAML::Node& n) {
  if (n.IsMap()) {
    for (const auto& kv : n) {
      lint(c, macro, m, kv.first);
      lint(c, macro, m, kv.second);
    }
  } else if (n.IsSequence()) {
    for (const auto& e : n) lint(c, macro, m, e);
  } else if (n.IsScalar()) {
    const std::string& s = n.Scalar();
    each_param(s, [&](const std::string& name, std::size_t, std::size_t) {
      if (std::find(m.params.begin(), m.params.end(), name) == m.params.end())
        c.error(n, "macro '" + macro + "': '{{" + name + "}}' is not one of its parameters (" + joined(m.params) + ")");
    });
    for (const auto& p : m.params)
      if (s.find("${" + p + "}") != std::string::npos)
        c.error(n, "macro '" + macro + "': parameter '" + p + "' is written {{" + p + "}}; ${" + p +
                       "} is a run-time variable");
  }
}

}  // namespace

std::string substitute(const Ctx& c, const YAML::Node& at, const std::string& s, const Subst& subst) {
  if (s.find("{{") == std::string::npos) return s;
  std::string out;
  std::size_t from = 0;
  each_param(s, [&](const std::string& name, std::size_t b, std::size_t e) {
    out += s.substr(from, b - from);
    from = e;
    auto it = subst.values.find(name);
    if (it != subst.values.end()) {
      out += it->second;
    } else {
      // Inside a body the library check (lint) reported it once already.
      if (subst.macro.empty()) c.error(at, "'{{" + name + "}}' is a macro parameter, outside a macro body");
      out += s.substr(b, e - b);
    }
  });
  return out + s.substr(from);
}

Json to_json(const Ctx& c, const YAML::Node& n, const Subst& subst) {
  switch (n.Type()) {
    case YAML::NodeType::Sequence: {
      Json a = Json::array();
      for (const auto& e : n) a.push_back(to_json(c, e, subst));
      return a;
    }
    case YAML::NodeType::Map: {
      Json o = Json::object();
      for (const auto& kv : n) o[substitute(c, kv.first, kv.first.Scalar(), subst)] = to_json(c, kv.second, subst);
      return o;
    }
    case YAML::NodeType::Scalar: {
      std::string s = substitute(c, n, n.Scalar(), subst);
      // Quoted: always a string, but for "{{param}}" alone, which takes its value's own type
      // (a parameter is always written quoted, so that YAML does not read {{ as a mapping).
      const std::string& raw = n.Scalar();
      const bool whole_param = raw.size() > 4 && raw.rfind("{{", 0) == 0 && raw.find("{{", 2) == std::string::npos &&
                               raw.find("}}") == raw.size() - 2;
      if (n.Tag() == "!" && !whole_param) return s;
      if (s == "true" || s == "yes") return true;
      if (s == "false" || s == "no") return false;
      if (s == "null" || s == "~") return nullptr;
      static const std::regex num(R"(^-?(0x[0-9a-fA-F]+|[0-9]+)$)");
      if (std::regex_match(s, num)) {
        bool neg = s[0] == '-';
        std::string d = neg ? s.substr(1) : s;
        long long v = std::stoll(d, nullptr, d.rfind("0x", 0) == 0 ? 16 : 10);
        return neg ? -v : v;
      }
      static const std::regex flt(R"(^-?[0-9]+\.[0-9]+$)");
      if (std::regex_match(s, flt)) return std::stod(s);
      return s;
    }
    default:
      return nullptr;
  }
}

void load_macros(Ctx& c, const YAML::Node& root) {
  for (const auto& kv : root)
    if (kv.first.Scalar() != "macros") c.error(kv.first, "unknown key '" + kv.first.Scalar() + "' (a library has macros:)");
  for (const auto& kv : root["macros"]) {
    const std::string name = kv.first.Scalar();
    if (!kv.second.IsMap()) {
      c.error(kv.second, "macro '" + name + "' is a mapping {params, steps}");
      continue;
    }
    for (const auto& k : kv.second)
      if (k.first.Scalar() != "params" && k.first.Scalar() != "steps")
        c.error(k.first, "macro '" + name + "': unknown key '" + k.first.Scalar() + "' (params, steps)");
    Macro m{kv.second["steps"], {}, c.file};
    if (const YAML::Node p = kv.second["params"]) {
      if (p.IsSequence())
        for (const auto& e : p) m.params.push_back(e.Scalar());
      else
        c.error(p, "macro '" + name + "': 'params' is a list of names");
    }
    if (c.macros->count(name)) c.error(kv.first, "macro '" + name + "' is defined twice");
    if (!m.steps) c.error(kv.second, "macro '" + name + "' without steps");
    else lint(c, name, m, m.steps);
    (*c.macros)[name] = m;
  }
}

void expand(Ctx& c, const YAML::Node& at, const std::string& name, const std::vector<Arg>& args,
            std::vector<Step>& out, const std::string& via) {
  auto it = c.macros->find(name);
  if (it == c.macros->end()) return c.error(at, "undefined macro '" + name + "'");
  const Macro& m = it->second;
  Subst inner{name, {}};
  for (const auto& a : args) {
    if (std::find(m.params.begin(), m.params.end(), a.name) == m.params.end())
      c.error(a.at, "macro '" + name + "' has no parameter '" + a.name + "' (its parameters: " + joined(m.params) + ")");
    else inner.values[a.name] = a.value;
  }
  bool complete = true;
  for (const auto& p : m.params)
    if (!inner.values.count(p)) {
      c.error(at, "macro '" + name + "' needs parameter '" + p + "'");
      complete = false;
    }
  if (!complete) return;
  if (c.depth >= 16) return c.error(at, "macro nesting too deep");
  ++c.depth;
  const std::string saved = c.file;
  const std::string here = c.file + ":" + std::to_string(at.Mark().line + 1);
  c.file = m.file;
  parse_steps(c, m.steps, inner, out, via.empty() ? here : via);
  c.file = saved;
  --c.depth;
}

void parse_call(Ctx& c, const YAML::Node& n, const Subst& subst, std::vector<Step>& out, const std::string& via) {
  for (const auto& kv : n)
    if (kv.first.Scalar() != "call" && kv.first.Scalar() != "with")
      c.error(n, "'call' step: unknown key '" + kv.first.Scalar() + "' (call, with)");
  std::vector<Arg> args;
  if (const YAML::Node w = n["with"]) {
    if (!w.IsMap()) return c.error(w, "'with' is a mapping parameter: value");
    for (const auto& kv : w) {
      if (!kv.second.IsScalar()) c.error(kv.second, "macro argument '" + kv.first.Scalar() + "' is one value");
      args.push_back({kv.first.Scalar(), kv.first, substitute(c, kv.second, kv.second.Scalar(), subst)});
    }
  }
  expand(c, n, substitute(c, n["call"], n["call"].Scalar(), subst), args, out, via);
}

void parse_setup_item(Ctx& c, const YAML::Node& n, std::vector<Step>& out) {
  if (n.IsScalar()) return expand(c, n, n.Scalar(), {}, out, "");  // a macro without parameters
  if (!n.IsMap() || n.size() != 1 || n["call"] || step_kinds.count(n.begin()->first.Scalar()))
    return parse_step(c, n, {}, out, "");
  // The short form: `MACRO: {param: value}`, `MACRO: value` (its one parameter) or `MACRO:`.
  const std::string name = n.begin()->first.Scalar();
  const YAML::Node v = n.begin()->second;
  auto it = c.macros->find(name);
  if (it == c.macros->end())
    return c.error(n, "'" + name + "' is neither a step nor a macro (setup: items are steps or MACRO: arguments)");
  std::vector<Arg> args;
  if (v.IsMap()) {
    for (const auto& kv : v) {
      if (!kv.second.IsScalar()) c.error(kv.second, "macro argument '" + kv.first.Scalar() + "' is one value");
      args.push_back({kv.first.Scalar(), kv.first, kv.second.Scalar()});
    }
  } else if (v.IsScalar()) {
    if (it->second.params.size() != 1)
      return c.error(n, "macro '" + name + "' takes " + std::to_string(it->second.params.size()) +
                            " parameters: write " + name + ": {" + joined(it->second.params) + "}");
    args.push_back({it->second.params[0], v, v.Scalar()});
  } else if (!v.IsNull()) {
    return c.error(n, "macro '" + name + "': a value or a mapping of parameters");
  }
  expand(c, n, name, args, out, "");
}

}  // namespace conform::load
