// Scenario loader: files, purposes and their `setup:`, steps typed (steps.hpp). Macros are
// expanded by macros.cpp, a step's mapping is checked by validate.cpp (loader_ctx.hpp).
#include "loader.hpp"

#include "loader_ctx.hpp"
#include "purpose.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <filesystem>
#include <regex>
#include <set>

namespace conform {
namespace fs = std::filesystem;

namespace load {

namespace {

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
  check_expression(c, n, what, v);
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

}  // namespace

const std::set<std::string> step_kinds = {"send", "expect", "unordered", "nothing", "closed", "mute",
                                          "unmute", "wait", "close", "set", "check", "repeat",
                                          "command", "event", "no_event"};

namespace {

/// `unordered`: each item an expect step with its own line.
void parse_unordered(Ctx& c, const YAML::Node& body, const Subst& subst, Step& st) {
  UnorderedStep u;
  for (const auto& e : body) {
    Step sub;
    Json a = to_json(c, e, subst);
    note_vars(c, e, "expect", a);
    sub.where = {st.where.file, e.Mark().line + 1};
    std::size_t errors = c.errors->size();
    validate_args(c, "expect", e, a);
    sub.label = make_label("expect", a);
    sub.setup = c.setup;
    if (c.errors->size() == errors) sub.body = type_expect(c, e, a);
    u.expects.push_back(std::move(sub));
  }
  st.body = std::move(u);
}

}  // namespace

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
  st.setup = c.setup;
  const YAML::Node body = n[kind];
  const std::size_t errors = c.errors->size();
  if (kind == "unordered") {
    if (!body.IsSequence()) return c.error(n, "'unordered' takes a list of expects");
    parse_unordered(c, body, subst, st);
  } else if (kind == "repeat") {
    Json a = to_json(c, body, subst);
    note_vars(c, body, kind, a);
    validate_args(c, "repeat", body, a);
    if (!body["steps"]) return c.error(n, "'repeat' needs steps");
    RepeatStep r = type_repeat(c, body, a);
    parse_steps(c, body["steps"], subst, r.body, via);
    st.body = std::move(r);
  } else {
    Json a = to_json(c, body, subst);
    note_vars(c, body, kind, a);
    if (kind == "send" || kind == "expect" || kind == "nothing" || kind == "closed" || kind == "check" ||
        kind == "event" || kind == "no_event")
      validate_args(c, kind, body, a);
    else
      check_computed(c, body, a);
    if (kind == "mute" || kind == "unmute" || kind == "close") check_lifeline(c, body, a, false);
    if (kind == "set" && !a.is_object()) c.error(n, "'set' takes a mapping");
    st.label = make_label(kind, a);
    if (c.errors->size() == errors) st.body = type_body(c, kind, body, a);
  }
  if (c.setup && !st.label.empty()) st.label = "set-up: " + st.label;  // so the diagram tells
  out.push_back(std::move(st));
}

void parse_steps(Ctx& c, const YAML::Node& seq, const Subst& subst, std::vector<Step>& out,
                 const std::string& via) {
  if (!seq.IsSequence()) return c.error(seq, "steps must be a list");
  for (const auto& n : seq) parse_step(c, n, subst, out, via);
}

namespace {

std::vector<std::string> strings(const YAML::Node& n) {
  std::vector<std::string> out;
  if (!n) return out;
  if (n.IsSequence())
    for (const auto& e : n) out.push_back(e.Scalar());
  else
    out.push_back(n.Scalar());
  return out;
}

/// `setup:` (the purpose's, else the file's): the state the purpose starts from, played
/// before its steps, each step marked set-up (a REASON 1 refusal there is inconc, suite.cpp).
void parse_setup(Ctx& c, const YAML::Node& setup, std::vector<Step>& out) {
  if (!setup) return;
  if (!setup.IsSequence()) return c.error(setup, "'setup' is a list of steps and MACRO: arguments");
  c.setup = true;
  for (const auto& item : setup) parse_setup_item(c, item, out);
  c.setup = false;
}

/// What a purpose may leave to its file: the file's `ignore:` and `setup:`.
struct FileDefaults {
  std::vector<std::string> ignore;
  YAML::Node setup;
};

void parse_purpose(Ctx& c, const YAML::Node& n, const ScenarioFile& f, const FileDefaults& file,
                   std::set<std::string>& ids, std::vector<TestPurpose>& out) {
  static const std::set<std::string> keys = {"id", "title", "clauses", "clause", "figure", "requirement",
                                             "pics", "exclusive", "lifelines", "ignore", "setup", "steps",
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
  const std::vector<std::string> ignore = n["ignore"] ? strings(n["ignore"]) : file.ignore;
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
  parse_setup(c, n["setup"] ? n["setup"] : file.setup, tp.steps);
  if (!n["steps"]) c.error(n, tp.id + ": 'steps' is required");
  else parse_steps(c, n["steps"], {}, tp.steps, "");
  check_vars(c);
  purpose_keys(n, tp, [&c](const YAML::Node& at, const std::string& m) { c.error(at, m); });
  out.push_back(std::move(tp));
}

}  // namespace
}  // namespace load

LoadResult load_suite(const std::string& dir) {
  using namespace load;
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
      load_macros(c, YAML::LoadFile(p.string()));
    } catch (const YAML::Exception& e) {
      r.errors.push_back(c.file + ":" + std::to_string(e.mark.line + 1) + ": " + e.msg);
    }
  }
  std::set<std::string> ids;
  for (const auto& p : files) {
    c.file = rel(p);
    try {
      YAML::Node root = YAML::LoadFile(p.string());
      static const std::set<std::string> keys = {"figure", "title", "clause", "ignore", "setup", "purposes"};
      for (const auto& kv : root)
        if (!keys.count(kv.first.Scalar())) c.error(kv.first, "unknown key '" + kv.first.Scalar() + "'");
      ScenarioFile f;
      f.path = c.file;
      f.figure = root["figure"] ? root["figure"].Scalar() : "";
      f.title = root["title"] ? root["title"].Scalar() : "";
      const FileDefaults defaults{root["ignore"] ? strings(root["ignore"]) : std::vector<std::string>{"KAREQ"},
                                  root["setup"]};
      if (!root["purposes"] || !root["purposes"].IsSequence()) c.error(root, "'purposes' list is required");
      else
        for (const auto& n : root["purposes"]) parse_purpose(c, n, f, defaults, ids, f.purposes);
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
