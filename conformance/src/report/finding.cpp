// What a reader of a failed case needs first: the field that differs. The runner reports a
// failure as detail lines, some of which quote whole messages as one-line JSON (a UIRES with
// hundreds of members is kilobytes); here they are split back into differences, notes and
// messages, and a list order difference is narrowed down to the first index where it breaks.
#include <fmt/core.h>

#include <regex>

#include "report/report.hpp"

namespace conform {

namespace {

// "opt.REASON: expected 2, observed 3" and the timing form "expected not before 50 ms, ...".
bool is_difference(const std::string& line) {
  static const std::regex field(R"(^[A-Za-z_][\w.\-\[\]]*: expected .*observed )");
  // std::regex recurses per character: only the head of a line is searched (the matcher
  // cuts expected values to 120 characters, so "observed" comes before 400).
  return std::regex_search(line.substr(0, 400), field) ||
         (line.rfind("expected ", 0) == 0 && line.find(", observed") != std::string::npos);
}

// "observed: {...}" or "expected: SRRES {...}": a quoted message, when its JSON parses.
bool quoted(const std::string& line, Finding::Quoted& q) {
  auto brace = line.find('{');
  auto colon = line.find(": ");
  if (brace == std::string::npos || colon == std::string::npos || colon > brace) return false;
  std::string label = line.substr(0, colon);
  if (label != "observed" && label != "expected") return false;
  Json j = Json::parse(line.substr(brace), nullptr, false);
  if (j.is_discarded() || !j.is_object()) return false;
  std::string rest = line.substr(colon + 2, brace - colon - 2);
  while (!rest.empty() && rest.back() == ' ') rest.pop_back();
  q = {rest.empty() ? label : label + ": " + rest, std::move(j)};
  return true;
}

const Json* member_list(const Json& msg) {
  if (!msg.contains("options") || !msg["options"].is_array()) return nullptr;
  for (const auto& o : msg["options"])
    if (o.value("type", std::string()) == "MEMBER-LIST" && o.contains("entries")) return &o["entries"];
  return nullptr;
}

// The members of a list must be strictly ascending (profile 6.4): where does that first fail?
std::string order_break(const Json& msg) {
  const Json* entries = member_list(msg);
  if (!entries) return "";
  for (std::size_t i = 1; i < entries->size(); ++i) {
    int prev = (*entries)[i - 1].value("user_id", 0), cur = (*entries)[i].value("user_id", 0);
    if (cur <= prev)
      return fmt::format(" (order breaks at index {}: user {} after user {}, of {} entries)", i, cur, prev, entries->size());
  }
  return "";
}

std::string cut(std::string s, std::size_t n) { return s.size() > n ? s.substr(0, n - 1) + "\u2026" : s; }

std::string value_text(const Json& v) { return v.is_string() ? cut(v.get<std::string>(), 48) : cut(v.dump(), 48); }

}  // namespace

Finding finding(const CaseResult& r) {
  Finding f;
  for (const auto& d : r.details) {
    Finding::Quoted q;
    if (quoted(d, q)) f.messages.push_back(std::move(q));
    else if (is_difference(d)) f.differences.push_back(d);
    else f.notes.push_back(d);
  }
  for (auto& d : f.differences) {
    for (std::string absent = "(absent)"; d.find(absent) != std::string::npos;) d.replace(d.find(absent), absent.size(), "absent");
    std::string path = d.substr(0, d.find(':'));
    if (path == "sorted" || path == "members" || path == "first_member" || path == "last_member")
      for (const auto& m : f.messages)
        if (m.label.rfind("observed", 0) == 0) {
          d += order_break(m.msg);
          break;
        }
  }
  return f;
}

std::string one_line(const CaseResult& r) {
  Finding f = finding(r);
  std::string s = f.differences.empty() ? r.reason : f.differences.front();
  if (f.differences.size() > 1) s += fmt::format(" (+{} more)", f.differences.size() - 1);
  return cut(s, 200);
}

std::string brief(const Json& d) {
  if (!d.is_object()) return "";
  std::string s;
  for (const char* k : {"type", "session_id", "user_id", "mode", "member_type", "group_address", "group_port",
                        "ka_period", "ka_timeout", "key_length", "checksum_status", "error"})
    if (d.contains(k) && !d[k].is_null()) s += std::string(k) + "=" + value_text(d[k]) + " ";
  if (d.contains("flags") && d["flags"].is_object()) {
    s += "flags=";
    for (const auto& [f, v] : d["flags"].items())
      if (v.is_boolean() && v.get<bool>()) s += f;
    s += " ";
  }
  if (!d.contains("options") || !d["options"].is_array()) return s;
  for (const auto& o : d["options"]) {
    s += o.value("type", std::string("?"));
    if (o.contains("value")) {
      s += "=" + value_text(o["value"]);
    } else if (o.contains("entries") && o["entries"].is_array()) {
      const auto& e = o["entries"];
      s += fmt::format("[{} entries:", e.size());
      for (std::size_t i = 0; i < e.size() && i < 8; ++i) s += " " + std::to_string(e[i].value("user_id", 0));
      s += e.size() > 8 ? " \u2026]" : "]";
    } else {
      Json rest = o;
      for (const char* k : {"type", "code", "length"}) rest.erase(k);
      s += "=" + value_text(rest);
    }
    s += " ";
  }
  return s;
}

}  // namespace conform
