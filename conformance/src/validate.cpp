// What the loader checks in a step's mapping before typing it (loader_ctx.hpp): a scenario
// mistake is a load error with file:line, never a run-time "error" verdict. Field names
// are the ones of the message's JSON form (docs/json-format.md) in `send` and in `match`
// alike: a flag is `flags.m` in both.
#include "loader_ctx.hpp"

#include <gmp/types.hpp>

#include <cctype>

#include "vars.hpp"

namespace conform::load {

namespace {

const std::map<std::string, std::set<std::string>> allowed_keys = {
    {"send", {"from", "type", "raw", "frame", "datagram", "version", "type_code", "flags.q", "flags.s",
              "flags.m", "flags.i", "checksum", "force_checksum", "session_id", "user_id", "key_length",
              "reserved", "group_port", "group_address", "options", "mode", "mode_code", "member_type",
              "member_type_code", "flags.r", "flags.ss", "flags.ui", "ka_period", "ka_timeout", "alt_port",
              "tail", "truncate", "more_options", "prefix", "note"}},
    {"expect", {"at", "type", "within", "after", "match", "capture", "ignore", "note"}},
    {"nothing", {"at", "during", "types", "channel", "note"}},
    {"closed", {"at", "within", "note"}},
    {"check", {"a", "op", "b", "why"}},
    {"repeat", {"count", "var", "steps"}},
    {"event", {"match", "within", "capture", "note"}},
    {"no_event", {"match", "during", "note"}},
};

// The fields each channel's encoder reads (msgbuild.cpp); the rest of `send` is common.
const std::set<std::string> sm_only = {"flags.q", "flags.s", "flags.m", "flags.i", "checksum", "force_checksum",
                                       "more_options"};
const std::set<std::string> mm_only = {"flags.r", "flags.ss", "flags.ui", "mode", "mode_code", "member_type",
                                       "member_type_code", "ka_period", "ka_timeout"};
// A send of bytes (raw, frame, datagram) takes no message field.
const std::set<std::string> bytes_keys = {"from", "raw", "frame", "datagram", "truncate", "prefix", "alt_port", "note"};

// Match operators (matcher.cpp compare).
const std::set<std::string> match_ops = {"eq", "ne", "gt", "ge", "lt", "le", "in", "not_in", "absent",
                                         "present", "has", "not_consecutive", "not_sequential"};

// Paths of a received message (matcher.hpp): its JSON form and the derived fields. The
// client suite's tester server adds from_port and to_alt_port to MM messages.
const std::set<std::string> common_fields = {
    "protocol", "version", "type", "type_code", "session_id", "user_id", "key_length", "reserved",
    "group_port", "group_address", "options", "error", "size", "canonical", "option_order", "members",
    "member_types", "n_members", "sorted", "first_member", "last_member", "opt", "opt_count"};
const std::set<std::string> sm_fields = {"checksum", "checksum_status"};
const std::set<std::string> mm_fields = {"mode", "mode_code", "member_type", "member_type_code", "ka_period",
                                         "ka_timeout", "from_port", "to_alt_port"};

std::string head(const std::string& path, std::string* rest = nullptr) {
  const std::size_t dot = path.find('.');
  if (rest) *rest = dot == std::string::npos ? "" : path.substr(dot + 1);
  return path.substr(0, dot);
}

bool known_option(const std::string& name) {
  for (int code = 1; code <= static_cast<int>(gmp::OptionType::KA_SEQ); ++code)
    if (gmp::name(static_cast<gmp::OptionType>(code)) == name) return true;
  return false;
}

bool flag_of(Channel ch, const std::string& f) {
  return ch == Channel::sm ? (f == "q" || f == "s" || f == "m" || f == "i") : (f == "r" || f == "ss" || f == "ui");
}

std::string flags_of(Channel ch) { return ch == Channel::sm ? "flags.q, flags.s, flags.m, flags.i" : "flags.r, flags.ss, flags.ui"; }

/// A field path of a received message of `type` (or of either channel without a type).
void check_path(const Ctx& c, const YAML::Node& n, const std::string& path, const MsgType* type) {
  std::string rest;
  const std::string h = head(path, &rest);
  const bool sm = !type || type->channel() == Channel::sm, mm = !type || type->channel() == Channel::mm;
  const std::string of = type ? " of " + type->name() : "";
  if (h == "flags") {
    const std::string f = head(rest);
    bool ok = (sm && flag_of(Channel::sm, f)) || (mm && flag_of(Channel::mm, f));
    if (!ok) c.error(n, "unknown flag '" + path + "'" + of + (type ? " (" + flags_of(type->channel()) + ")" : ""));
    return;
  }
  if (h == "opt" || h == "opt_count") {
    const std::string o = head(rest);
    if (o.empty()) return;  // the whole mapping
    if (!known_option(o) && o.rfind("UNKNOWN-", 0) != 0) c.error(n, "unknown option name '" + o + "' in '" + path + "'");
    return;
  }
  if (common_fields.count(h) || (sm && sm_fields.count(h)) || (mm && mm_fields.count(h))) return;
  c.error(n, "unknown field '" + h + "'" + of);
}

/// The option names of `options` / `more_options` (a mapping, or a list of one-key mappings;
/// a $variable holding them is checked when it is used).
void check_options(const Ctx& c, const YAML::Node& n, const Json& v) {
  auto one = [&](const std::string& name) {
    if (!known_option(name) && name != "RAW") c.error(n, "unknown option name '" + name + "'");
  };
  if (v.is_object()) {
    for (const auto& [k, e] : v.items()) one(k);
  } else if (v.is_array()) {
    for (const auto& item : v)
      if (item.is_object() && item.size() == 1) one(item.begin().key());
      else c.error(n, "options: each list item is {NAME: value}");
  } else if (!v.is_string() && !v.is_null()) {
    c.error(n, "options: a list or a mapping is expected");
  }
}

void check_send(const Ctx& c, const YAML::Node& n, const Json& a) {
  for (const char* old : {"q", "s", "m", "i", "r", "ss", "ui"})
    if (a.contains(old)) c.error(n, std::string("'send': flag '") + old + "' is written 'flags." + old + "', as in match");
  int forms = a.contains("type") + a.contains("raw") + a.contains("frame") + a.contains("datagram");
  if (forms != 1) return c.error(n, "'send' needs exactly one of type, raw, frame, datagram");
  if (!a.contains("type")) {
    for (const auto& [k, v] : a.items())
      if (!bytes_keys.count(k)) c.error(n, "'send': '" + k + "' is a message field; bytes are sent as given");
    return;
  }
  if (!check_type(c, n, a["type"])) return;
  const MsgType t = *MsgType::parse(a["type"].get<std::string>());
  const auto& other = t.channel() == Channel::sm ? mm_only : sm_only;
  for (const auto& [k, v] : a.items())
    if (other.count(k))
      c.error(n, "'send': '" + k + "' is not a field of " + t.name() +
                     (k.rfind("flags.", 0) == 0 ? " (" + flags_of(t.channel()) + ")" : ""));
  if (a.contains("options")) check_options(c, n, a["options"]);
  if (a.contains("more_options")) check_options(c, n, a["more_options"]);
}

}  // namespace

void check_lifeline(const Ctx& c, const YAML::Node& n, const Json& v, bool allow_all) {
  std::vector<std::string> names;
  if (v.is_string()) names.push_back(v.get<std::string>());
  if (v.is_array())
    for (const auto& e : v)
      if (e.is_string()) names.push_back(e.get<std::string>());
  for (const auto& name : names) {
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

void check_expression(const Ctx& c, const YAML::Node& n, const std::string& what, const Json& v) {
  if (v.is_number()) return;
  if (!v.is_string()) return c.error(n, what + " takes a number or an expression");
  const std::string err = expression_error(v.get<std::string>());
  if (!err.empty()) c.error(n, what + ": " + err);
}

void check_computed(const Ctx& c, const YAML::Node& n, const Json& v) {
  if (v.is_array() || v.is_object()) {
    for (const auto& e : v) check_computed(c, n, e);
  } else if (v.is_string() && !v.get_ref<const std::string&>().empty() && v.get_ref<const std::string&>()[0] == '=') {
    const std::string err = expression_error(v.get<std::string>());
    if (!err.empty()) c.error(n, err);
  }
}

void check_match(const Ctx& c, const YAML::Node& n, const Json& match, const MsgType* type) {
  if (!match.is_object()) return c.error(n, "'match' takes a mapping");
  for (const auto& [path, constraint] : match.items()) {
    if (type) check_path(c, n, path, type);
    if (constraint.is_object())
      for (const auto& [op, e] : constraint.items())
        if (!match_ops.count(op)) c.error(n, "'" + path + "': unknown match operator '" + op + "'");
  }
}

void validate_args(const Ctx& c, const std::string& kind, const YAML::Node& n, const Json& a) {
  if (!a.is_object()) return c.error(n, "'" + kind + "' takes a mapping");
  const auto& keys = allowed_keys.at(kind);
  for (const auto& [k, v] : a.items())
    if (!keys.count(k) && !(kind == "send" && keys.count("flags." + k)))  // an old flag: check_send says
      c.error(n, "'" + kind + "': unknown key '" + k + "'");
  check_computed(c, n, a);
  if (kind == "send") {
    if (!a.contains("from")) return c.error(n, "'send' needs 'from'");
    check_lifeline(c, n, a["from"], false);
    check_send(c, n, a);
  } else if (kind == "expect") {
    if (!a.contains("at") || !a.contains("type")) return c.error(n, "'expect' needs at and type");
    check_lifeline(c, n, a["at"], false);
    if (!check_type(c, n, a["type"])) return;
    const MsgType t = *MsgType::parse(a["type"].get<std::string>());
    if (a.contains("match")) check_match(c, n, a["match"], &t);
    if (a.contains("capture") && !a["capture"].is_object()) return c.error(n, "'capture' takes a mapping variable: field");
    if (a.contains("capture"))
      for (const auto& [var, path] : a["capture"].items())
        if (path.is_string()) check_path(c, n, path.get<std::string>(), &t);
  } else if (kind == "event" || kind == "no_event") {
    if (a.contains("match")) check_match(c, n, a["match"], nullptr);
  } else if (kind == "nothing") {
    if (!a.contains("during")) c.error(n, "'nothing' needs 'during'");
    check_lifeline(c, n, a.value("at", Json("all")), true);
    if (a.contains("types"))
      for (const auto& t : a["types"]) check_type(c, n, t);
  } else if (kind == "closed") {
    if (!a.contains("at")) return c.error(n, "'closed' needs 'at'");
    check_lifeline(c, n, a["at"], false);
  } else if (kind == "check") {
    if (!a.contains("a") || !a.contains("op") || !match_ops.count(a.value("op", "")))
      c.error(n, "'check' needs a, op (eq ne gt ge lt le in not_in has not_consecutive not_sequential) and b");
  }
  for (const char* key : {"within", "after", "during"})  // a repeat's count: type_repeat
    if (a.contains(key)) check_expression(c, n, "'" + kind + "': '" + key + "'", a[key]);
}

namespace {

void write_names(Ctx& c, const Json& keys) {
  if (!keys.is_object()) return;
  for (const auto& [k, v] : keys.items())
    if (k.find('$') != std::string::npos) c.dynamic_names = true;
    else c.written.insert(k);
}

bool word_char(char ch) { return std::isalnum(static_cast<unsigned char>(ch)) || ch == '_'; }

/// Every $word.word (or ${word.word}) in the strings of `v`; "$$" is a dollar.
void dotted_refs(const Json& v, std::vector<std::string>& out) {
  if (v.is_array() || v.is_object()) {
    for (const auto& e : v) dotted_refs(e, out);
    return;
  }
  if (!v.is_string()) return;
  const std::string& s = v.get_ref<const std::string&>();
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '$') continue;
    if (i + 1 < s.size() && s[i + 1] == '$') {
      ++i;
      continue;
    }
    std::size_t j = i + 1 + (i + 1 < s.size() && s[i + 1] == '{');
    const std::size_t b = j;
    while (j < s.size() && word_char(s[j])) ++j;
    if (j == b || j + 1 >= s.size() || s[j] != '.' || !word_char(s[j + 1])) continue;
    std::size_t e = j + 1;
    while (e < s.size() && word_char(s[e])) ++e;
    out.push_back(s.substr(b, e - b));
  }
}

}  // namespace

void note_vars(Ctx& c, const YAML::Node& n, const std::string& kind, const Json& a) {
  if (kind == "set") write_names(c, a);
  if (a.is_object() && a.contains("capture")) write_names(c, a["capture"]);
  if (kind == "repeat") return;  // its steps are noted one by one
  std::vector<std::string> refs;
  dotted_refs(a, refs);
  for (auto& r : refs) c.dotted.emplace_back(std::move(r), c.file + ":" + std::to_string(n.Mark().line + 1));
}

void check_vars(Ctx& c) {
  if (!c.dynamic_names)
    for (const auto& [name, where] : c.dotted)
      if (!c.lifelines.count(name.substr(0, name.find('.'))) && !c.written.count(name))
        c.errors->push_back(where + ": variable $" + name + " is never set: '" + name.substr(0, name.find('.')) +
                            "' is not a lifeline and no set or capture writes it");
  c.written.clear();
  c.dotted.clear();
  c.dynamic_names = false;
}

}  // namespace conform::load
