// Scenario loader and validator. Macros (lib/*.yaml, `macros:`) are expanded at load time:
// `${param}` in any string of a macro body is replaced by the call's `with:` value.
#include "loader.hpp"

#include "purpose.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <filesystem>
#include <regex>
#include <set>

namespace conform {
namespace fs = std::filesystem;

namespace {

const std::map<std::string, std::set<std::string>> allowed_keys = {
    {"send", {"from", "type", "raw", "frame", "datagram", "version", "type_code", "q", "s", "m",
              "i", "checksum", "force_checksum", "session_id", "user_id", "key_length",
              "reserved", "group_port", "group_address", "options", "mode", "mode_code",
              "member_type", "member_type_code", "r", "ss", "ui", "ka_period", "ka_timeout",
              "alt_port", "tail", "truncate", "more_options", "prefix", "note"}},
    {"expect", {"at", "type", "within", "after", "match", "capture", "ignore", "note"}},
    {"nothing", {"at", "during", "types", "channel", "note"}},
    {"closed", {"at", "within", "note"}},
    {"check", {"a", "op", "b", "why"}},
    {"repeat", {"count", "var", "steps"}},
    {"event", {"match", "within", "capture", "note"}},
    {"no_event", {"match", "during", "note"}},
};

using Subst = std::map<std::string, std::string>;

std::string substitute(std::string s, const Subst& subst) {
  for (const auto& [k, v] : subst) {
    const std::string pat = "${" + k + "}";
    for (std::size_t p = s.find(pat); p != std::string::npos; p = s.find(pat, p + v.size()))
      s.replace(p, pat.size(), v);
  }
  return s;
}

Json to_json(const YAML::Node& n, const Subst& subst) {
  switch (n.Type()) {
    case YAML::NodeType::Sequence: {
      Json a = Json::array();
      for (const auto& e : n) a.push_back(to_json(e, subst));
      return a;
    }
    case YAML::NodeType::Map: {
      Json o = Json::object();
      for (const auto& kv : n) o[substitute(kv.first.Scalar(), subst)] = to_json(kv.second, subst);
      return o;
    }
    case YAML::NodeType::Scalar: {
      std::string s = substitute(n.Scalar(), subst);
      if (n.Tag() == "!") return s;  // quoted: always a string
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

struct Macro {
  YAML::Node steps;
  std::vector<std::string> params;
  std::string file;
};

struct Ctx {
  std::string file;
  std::map<std::string, Macro>* macros = nullptr;
  std::vector<std::string>* errors = nullptr;
  std::set<std::string> lifelines;
  int depth = 0;
  void error(const YAML::Node& n, const std::string& msg) const {
    errors->push_back(file + ":" + std::to_string(n.Mark().line + 1) + ": " + msg);
  }
};

std::vector<std::string> names_of(const Json& j) {
  std::vector<std::string> out;
  if (j.is_string()) out.push_back(j.get<std::string>());
  if (j.is_array())
    for (const auto& e : j)
      if (e.is_string()) out.push_back(e.get<std::string>());
  return out;
}

void check_lifeline(const Ctx& c, const YAML::Node& n, const Json& v, bool allow_all) {
  for (const auto& name : names_of(v)) {
    if (name.empty() || name[0] == '$') continue;
    if (allow_all && name == "all") continue;
    if (!c.lifelines.count(name)) c.error(n, "lifeline '" + name + "' is not declared");
  }
  if (!v.is_string() && !v.is_array()) c.error(n, "a lifeline name is required");
}

bool check_type(const Ctx& c, const YAML::Node& n, const Json& v) {
  if (v.is_string() && MsgType::parse(v.get<std::string>())) return true;
  c.error(n, "unknown message type " + v.dump());
  return false;
}

void validate_args(const Ctx& c, const std::string& kind, const YAML::Node& n, const Json& a) {
  if (!a.is_object()) return c.error(n, "'" + kind + "' takes a mapping");
  const auto& keys = allowed_keys.at(kind);
  for (const auto& [k, v] : a.items())
    if (!keys.count(k)) c.error(n, "'" + kind + "': unknown key '" + k + "'");
  if (kind == "send") {
    if (!a.contains("from")) return c.error(n, "'send' needs 'from'");
    check_lifeline(c, n, a["from"], false);
    int forms = a.contains("type") + a.contains("raw") + a.contains("frame") +
                a.contains("datagram");
    if (forms != 1) c.error(n, "'send' needs exactly one of type, raw, frame, datagram");
    if (a.contains("type")) check_type(c, n, a["type"]);
  } else if (kind == "expect") {
    if (!a.contains("at") || !a.contains("type")) return c.error(n, "'expect' needs at and type");
    check_lifeline(c, n, a["at"], false);
    check_type(c, n, a["type"]);
    if (a.contains("match") && !a["match"].is_object()) c.error(n, "'match' takes a mapping");
    if (a.contains("capture") && !a["capture"].is_object())
      c.error(n, "'capture' takes a mapping variable: field");
  } else if (kind == "nothing") {
    if (!a.contains("during")) c.error(n, "'nothing' needs 'during'");
    check_lifeline(c, n, a.value("at", Json("all")), true);
    for (const auto& t : a.value("types", Json::array())) check_type(c, n, t);
  } else if (kind == "closed") {
    if (!a.contains("at")) return c.error(n, "'closed' needs 'at'");
    check_lifeline(c, n, a["at"], false);
  } else if (kind == "check") {
    static const std::set<std::string> ops = {"eq", "ne", "gt", "ge", "lt", "le", "has", "not_consecutive",
                                             "not_sequential"};
    if (!a.contains("a") || !a.contains("op") || !ops.count(a.value("op", "")))
      c.error(n, "'check' needs a, op (eq ne gt ge lt le not_consecutive not_sequential) and b");
  }
}

void parse_steps(Ctx& c, const YAML::Node& seq, const Subst& subst, std::vector<Step>& out,
                 const std::string& via);

std::string make_label(const std::string& kind, const Json& a) {
  auto s = [&](const char* key) { return a.contains(key) ? a[key].dump() : std::string(); };
  // A name as written, whatever its shape (a wrong shape is reported by the typing).
  auto name = [&](const char* key) {
    if (!a.is_object() || !a.contains(key)) return std::string("?");
    return a[key].is_string() ? a[key].get<std::string>() : a[key].dump();
  };
  if (kind == "send")
    return name("from") + " -> " +
           (a.contains("type") ? name("type") : a.contains("frame") ? std::string("raw frame") : std::string("raw bytes"));
  if (kind == "expect") return name("type") + " -> " + name("at");
  if (kind == "nothing") return "nothing for " + s("during") + " ms";
  if (kind == "closed") return "server closes " + name("at");
  if (kind == "command") return "command: " + (a.is_string() ? a.get<std::string>() : a.dump());
  if (kind == "event") return "event " + (a.contains("match") ? a["match"].dump() : std::string("{}"));
  if (kind == "no_event") return "no event " + (a.contains("match") ? a["match"].dump() : std::string("{}"));
  return "";
}

// Typing: from a validated mapping to the step's struct. What the validation above left open
// (the shape of each value) is checked here, with the same file:line.

/// A value the runner resolves: a number, or text with $variables or arithmetic.
Expr expr(const Ctx& c, const YAML::Node& n, const std::string& what, const Json& v) {
  if (!v.is_number() && !v.is_string()) c.error(n, what + " takes a number or an expression");
  return v;
}

std::optional<Expr> opt_expr(const Ctx& c, const YAML::Node& n, const std::string& kind, const Json& a,
                             const char* key) {
  if (!a.contains(key)) return std::nullopt;
  return expr(c, n, "'" + kind + "': '" + key + "'", a[key]);
}

/// One lifeline: a declared name or a $variable holding one (check_lifeline checked the name).
Expr one_lifeline(const Ctx& c, const YAML::Node& n, const std::string& kind, const Json& v) {
  if (!v.is_string()) c.error(n, "'" + kind + "' takes one lifeline name");
  return v;
}

std::optional<MsgType> msg_type(const Json& v) {
  return v.is_string() ? MsgType::parse(v.get<std::string>()) : std::nullopt;
}

std::vector<MsgType> msg_types(const Ctx& c, const YAML::Node& n, const Json& list) {
  std::vector<MsgType> out;
  for (const auto& t : list)
    if (check_type(c, n, t)) out.push_back(*msg_type(t));
  return out;
}

SendStep type_send(const Ctx& c, const YAML::Node& n, const Json& a) {
  SendStep s;
  s.from = one_lifeline(c, n, "send", a["from"]);
  s.type = msg_type(a.value("type", Json()));
  s.form = a.contains("raw")      ? SendStep::Form::raw
           : a.contains("frame")    ? SendStep::Form::frame
           : a.contains("datagram") ? SendStep::Form::datagram
                                    : SendStep::Form::typed;
  if (a.contains("alt_port") && !a["alt_port"].is_boolean()) c.error(n, "'send': 'alt_port' is true or false");
  s.alt_port = a.value("alt_port", Json(false)) == Json(true);
  s.fields = a;
  return s;
}

ExpectStep type_expect(const Ctx& c, const YAML::Node& n, const Json& a) {
  ExpectStep e;
  e.at = one_lifeline(c, n, "expect", a["at"]);
  e.type = *msg_type(a["type"]);
  e.within = opt_expr(c, n, "expect", a, "within");
  e.after = opt_expr(c, n, "expect", a, "after");
  if (a.contains("match")) e.match = a["match"];
  const Json capture = a.value("capture", Json::object());
  for (const auto& [var, path] : capture.items()) {
    if (path.is_string()) e.capture.emplace_back(Json(var), path.get<std::string>());
    else c.error(n, "'capture' takes a mapping variable: field");
  }
  e.ignore = msg_types(c, n, a.value("ignore", Json::array()));
  return e;
}

NothingStep type_nothing(const Ctx& c, const YAML::Node& n, const Json& a) {
  NothingStep s;
  s.at = a.value("at", Json("all"));
  s.during = expr(c, n, "'nothing': 'during'", a["during"]);
  s.types = msg_types(c, n, a.value("types", Json::array()));
  if (a.contains("channel")) {
    const Json& ch = a["channel"];
    if (ch == "sm") s.channel = Channel::sm;
    else if (ch == "mm") s.channel = Channel::mm;
    else c.error(n, "'nothing': 'channel' is sm or mm");
  }
  return s;
}

CheckStep type_check(const Ctx& c, const YAML::Node& n, const Json& a) {
  CheckStep s{a["a"], a["op"].get<std::string>(), a.value("b", Json()), ""};
  Json why = a.value("why", Json("a " + s.op + " b"));
  if (!why.is_string()) c.error(n, "'check': 'why' takes a text");
  else s.why = why.get<std::string>();
  return s;
}

SetStep type_set(const Json& a) {
  SetStep s;
  for (const auto& [k, v] : a.items()) s.values.emplace_back(k, v);
  return s;
}

/// `command`, `event`, `no_event` (client purposes).
AdapterStep type_adapter(const Ctx& c, const std::string& kind, const YAML::Node& n, const Json& a) {
  if (kind == "command") {
    if (!a.is_string()) c.error(n, "'command' takes one line of text");
    return {CommandStep{a}};
  }
  Json match = a.value("match", Json::object());
  if (!match.is_object()) c.error(n, "'" + kind + "': 'match' takes a mapping");
  if (kind == "no_event") return {NoEventStep{match, expr(c, n, "'no_event': 'during'", a.value("during", Json()))}};
  EventStep e{match, opt_expr(c, n, kind, a, "within"), {}};
  const Json capture = a.value("capture", Json::object());
  for (const auto& [var, path] : capture.items()) {
    if (path.is_string()) e.capture.emplace_back(Json(var), path.get<std::string>());
    else c.error(n, "'capture' takes a mapping variable: field");
  }
  return {e};
}

/// Every kind but unordered and repeat (they hold steps, see parse_step).
StepBody type_body(const Ctx& c, const std::string& kind, const YAML::Node& n, const Json& a) {
  if (kind == "send") return type_send(c, n, a);
  if (kind == "expect") return type_expect(c, n, a);
  if (kind == "nothing") return type_nothing(c, n, a);
  if (kind == "closed") return ClosedStep{one_lifeline(c, n, kind, a["at"]), opt_expr(c, n, kind, a, "within")};
  if (kind == "mute" || kind == "unmute") return MuteStep{one_lifeline(c, n, kind, a), kind == "mute"};
  if (kind == "close") return CloseStep{one_lifeline(c, n, kind, a)};
  if (kind == "wait") return WaitStep{expr(c, n, "'wait'", a)};
  if (kind == "set") return type_set(a);
  if (kind == "command" || kind == "event" || kind == "no_event") return type_adapter(c, kind, n, a);
  return type_check(c, n, a);
}

RepeatStep type_repeat(const Ctx& c, const YAML::Node& n, const Json& a) {
  RepeatStep r;
  r.count = expr(c, n, "'repeat': 'count'", a.value("count", Json(1)));
  Json var = a.value("var", Json("i"));
  if (!var.is_string()) c.error(n, "'repeat': 'var' takes a variable name");
  else r.var = var.get<std::string>();
  return r;
}

const std::set<std::string> step_kinds = {"send", "expect", "unordered", "nothing", "closed", "mute",
                                          "unmute", "wait", "close", "set", "check", "repeat",
                                          "command", "event", "no_event"};

void parse_call(Ctx& c, const YAML::Node& n, const Subst& subst, std::vector<Step>& out, const std::string& via) {
  std::string name = substitute(n["call"].Scalar(), subst);
  auto it = c.macros->find(name);
  if (it == c.macros->end()) return c.error(n, "undefined macro '" + name + "'");
  if (++c.depth > 16) return c.error(n, "macro nesting too deep");
  Subst inner = subst;
  if (n["with"])
    for (const auto& kv : n["with"]) inner[kv.first.Scalar()] = substitute(kv.second.Scalar(), subst);
  for (const auto& p : it->second.params)
    if (!inner.count(p)) c.error(n, "macro '" + name + "' needs parameter '" + p + "'");
  std::string saved = c.file;
  std::string here = c.file + ":" + std::to_string(n.Mark().line + 1);
  c.file = it->second.file;
  parse_steps(c, it->second.steps, inner, out, via.empty() ? here : via);
  c.file = saved;
  --c.depth;
}

/// `unordered`: each item an expect step with its own line.
void parse_unordered(Ctx& c, const YAML::Node& body, const Subst& subst, Step& st) {
  UnorderedStep u;
  for (const auto& e : body) {
    Step sub;
    Json a = to_json(e, subst);
    sub.where = {st.where.file, e.Mark().line + 1};
    std::size_t errors = c.errors->size();
    validate_args(c, "expect", e, a);
    sub.label = make_label("expect", a);
    if (c.errors->size() == errors) sub.body = type_expect(c, e, a);
    u.expects.push_back(std::move(sub));
  }
  st.body = std::move(u);
}

void parse_step(Ctx& c, const YAML::Node& n, const Subst& subst, std::vector<Step>& out,
                const std::string& via) {
  if (!n.IsMap()) return c.error(n, "a step is a mapping with one kind key");
  if (n["call"]) return parse_call(c, n, subst, out, via);
  std::string kind;
  for (const auto& kv : n)
    if (step_kinds.count(kv.first.Scalar())) {
      if (!kind.empty()) c.error(n, "a step has exactly one kind key");
      kind = kv.first.Scalar();
    } else {
      c.error(n, "unknown step key '" + kv.first.Scalar() + "'");
    }
  if (kind.empty()) return c.error(n, "step without a kind");
  Step st;
  st.where = {via.empty() ? c.file : via + " > " + c.file, n.Mark().line + 1};
  const YAML::Node body = n[kind];
  const std::size_t errors = c.errors->size();
  if (kind == "unordered") {
    if (!body.IsSequence()) return c.error(n, "'unordered' takes a list of expects");
    parse_unordered(c, body, subst, st);
  } else if (kind == "repeat") {
    Json a = to_json(body, subst);
    validate_args(c, "repeat", body, a);
    if (!body["steps"]) return c.error(n, "'repeat' needs steps");
    RepeatStep r = type_repeat(c, body, a);
    parse_steps(c, body["steps"], subst, r.body, via);
    st.body = std::move(r);
  } else {
    Json a = to_json(body, subst);
    if (allowed_keys.count(kind)) validate_args(c, kind, body, a);
    if (kind == "mute" || kind == "unmute" || kind == "close") check_lifeline(c, body, a, false);
    if (kind == "set" && !a.is_object()) c.error(n, "'set' takes a mapping");
    st.label = make_label(kind, a);
    if (c.errors->size() == errors) st.body = type_body(c, kind, body, a);
  }
  out.push_back(std::move(st));
}

void parse_steps(Ctx& c, const YAML::Node& seq, const Subst& subst, std::vector<Step>& out,
                 const std::string& via) {
  if (!seq.IsSequence()) return c.error(seq, "steps must be a list");
  for (const auto& n : seq) parse_step(c, n, subst, out, via);
}

std::vector<std::string> strings(const YAML::Node& n) {
  std::vector<std::string> out;
  if (!n) return out;
  if (n.IsSequence())
    for (const auto& e : n) out.push_back(e.Scalar());
  else
    out.push_back(n.Scalar());
  return out;
}

void parse_purpose(Ctx& c, const YAML::Node& n, const ScenarioFile& f,
                   const std::vector<std::string>& file_ignore, std::set<std::string>& ids,
                   std::vector<TestPurpose>& out) {
  static const std::set<std::string> keys = {"id", "title", "clauses", "clause", "figure", "requirement",
                                             "pics", "exclusive", "lifelines", "ignore", "steps",
                                             "authority", "needs"};
  for (const auto& kv : n)
    if (!keys.count(kv.first.Scalar())) c.error(kv.first, "unknown key '" + kv.first.Scalar() + "'");
  TestPurpose tp;
  tp.where = {c.file, n.Mark().line + 1};
  tp.file = c.file;
  tp.id = n["id"] ? n["id"].Scalar() : "";
  static const std::regex idre(R"(^GMP/(SM|MM|SEC|ROB|CLI)/[A-Z]+/[0-9]{2}$)");
  if (!std::regex_match(tp.id, idre)) c.error(n, "test purpose ID '" + tp.id + "' is not GMP/<SM|MM|SEC|ROB|CLI>/<PROC>/<NN>");
  if (!ids.insert(tp.id).second) c.error(n, "duplicate test purpose ID " + tp.id);
  tp.title = n["title"] ? n["title"].Scalar() : tp.id;
  if (n["clause"]) c.error(n["clause"], tp.id + ": 'clause' is now spelled 'clauses'");
  tp.clauses = strings(n["clauses"]);
  if (tp.clauses.empty() && !n["clause"]) c.error(n, tp.id + ": 'clauses' is required");
  tp.figure = n["figure"] ? n["figure"].Scalar() : f.figure;
  tp.requirement = n["requirement"] ? n["requirement"].Scalar() : "";
  if (tp.requirement.empty()) c.error(n, tp.id + ": 'requirement' (quoted text) is required");
  tp.pics = strings(n["pics"]);
  tp.exclusive = n["exclusive"] && n["exclusive"].as<bool>();
  const std::vector<std::string> ignore = n["ignore"] ? strings(n["ignore"]) : file_ignore;
  const YAML::Node ll = n["lifelines"];
  if (ll && ll.IsSequence()) {
    for (const auto& e : ll) tp.lifelines.push_back({e.Scalar(), "", "", ""});
  } else if (ll && ll.IsMap()) {
    for (const auto& kv : ll) {
      LifelineDecl d{kv.first.Scalar(), "", "", ""};
      if (kv.second.IsMap()) {
        for (const auto& a : kv.second)
          if (a.first.Scalar() != "role" && a.first.Scalar() != "address" && a.first.Scalar() != "name")
            c.error(a.first, "lifeline: unknown key '" + a.first.Scalar() + "'");
        if (kv.second["role"]) d.role = kv.second["role"].Scalar();
        if (kv.second["address"]) d.address = kv.second["address"].Scalar();
        if (kv.second["name"]) d.client_name = kv.second["name"].Scalar();
      }
      tp.lifelines.push_back(d);
    }
  } else {
    c.error(n, tp.id + ": 'lifelines' is required");
  }
  c.lifelines.clear();
  for (auto& d : tp.lifelines) {
    if (d.role.empty()) d.role = d.name == "creator" ? "creator" : "participant";
    if (d.role != "creator" && d.role != "base" && d.role != "participant")
      c.error(ll, "lifeline role must be creator, base or participant");
    c.lifelines.insert(d.name);
  }
  for (const auto& t : ignore)
    if (auto type = MsgType::parse(t)) tp.ignore.push_back(*type);
    else c.error(n, "ignore: unknown type " + t);
  if (!n["steps"]) c.error(n, tp.id + ": 'steps' is required");
  else parse_steps(c, n["steps"], {}, tp.steps, "");
  purpose_keys(n, tp, [&c](const YAML::Node& at, const std::string& m) { c.error(at, m); });
  out.push_back(std::move(tp));
}

}  // namespace

LoadResult load_suite(const std::string& dir) {
  LoadResult r;
  std::map<std::string, Macro> macros;
  std::vector<fs::path> files, libs;
  if (!fs::is_directory(dir)) {
    r.errors.push_back(dir + ": not a directory");
    return r;
  }
  for (const auto& e : fs::recursive_directory_iterator(dir))
    if (e.is_regular_file() && e.path().extension() == ".yaml")
      (e.path().parent_path().filename() == "lib" ? libs : files).push_back(e.path());
  std::sort(files.begin(), files.end());
  std::sort(libs.begin(), libs.end());
  auto rel = [&](const fs::path& p) { return fs::relative(p, fs::path(dir).parent_path()).string(); };
  Ctx c;
  c.macros = &macros;
  c.errors = &r.errors;
  for (const auto& p : libs) {
    c.file = rel(p);
    try {
      YAML::Node root = YAML::LoadFile(p.string());
      for (const auto& kv : root["macros"]) {
        Macro m{kv.second["steps"], strings(kv.second["params"]), c.file};
        if (!m.steps) c.error(kv.second, "macro '" + kv.first.Scalar() + "' without steps");
        macros[kv.first.Scalar()] = m;
      }
    } catch (const YAML::Exception& e) {
      r.errors.push_back(c.file + ":" + std::to_string(e.mark.line + 1) + ": " + e.msg);
    }
  }
  std::set<std::string> ids;
  for (const auto& p : files) {
    c.file = rel(p);
    try {
      YAML::Node root = YAML::LoadFile(p.string());
      static const std::set<std::string> keys = {"figure", "title", "clause", "ignore", "purposes"};
      for (const auto& kv : root)
        if (!keys.count(kv.first.Scalar())) c.error(kv.first, "unknown key '" + kv.first.Scalar() + "'");
      ScenarioFile f;
      f.path = c.file;
      f.figure = root["figure"] ? root["figure"].Scalar() : "";
      f.title = root["title"] ? root["title"].Scalar() : "";
      std::vector<std::string> ign = root["ignore"] ? strings(root["ignore"]) : std::vector<std::string>{"KAREQ"};
      if (!root["purposes"] || !root["purposes"].IsSequence()) c.error(root, "'purposes' list is required");
      else
        for (const auto& n : root["purposes"]) parse_purpose(c, n, f, ign, ids, f.purposes);
      r.files.push_back(std::move(f));
    } catch (const YAML::Exception& e) {
      r.errors.push_back(c.file + ":" + std::to_string(e.mark.line + 1) + ": " + e.msg);
    }
  }
  fs::path cl = fs::path(dir).parent_path() / "clauses.yaml";
  if (fs::exists(cl)) {
    try {
      for (const auto& n : YAML::LoadFile(cl.string())["clauses"])
        r.clauses.push_back({n["id"].Scalar(), n["title"] ? n["title"].Scalar() : "",
                             !n["testable"] || n["testable"].as<bool>(),
                             n["note"] ? n["note"].Scalar() : "", n["fr"] ? n["fr"].Scalar() : ""});
    } catch (const YAML::Exception& e) {
      r.errors.push_back(rel(cl) + ":" + std::to_string(e.mark.line + 1) + ": " + e.msg);
    }
  }
  check_authorities(r.files, r.clauses, r.errors);
  return r;
}

}  // namespace conform
