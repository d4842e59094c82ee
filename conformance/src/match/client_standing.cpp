// Standing checks of the client suite (see client_standing.hpp). The reasons use the server
// suite's wording (violation.hpp), with the message named "TYPE from <membership>".
#include "match/client_standing.hpp"

#include <set>

namespace conform::match {

namespace {

using Json = nlohmann::json;
using json::at;
using json::flag;
using json::integer;
using json::str;

const std::set<std::string> client_sm = {"SCREQ", "SDREQ", "SCINF", "SRREQ", "SJREQ", "SAREQ"};
const std::set<std::string> client_mm = {"KARES", "UIREQ", "LVREQ", "TRREQ"};

std::uint16_t u16(const Json& m, const char* key) { return static_cast<std::uint16_t>(integer(m, key)); }

std::string group_of(const Json& m) {
  return m.value("group_address", std::string("0.0.0.0")) + ":" + std::to_string(integer(m, "group_port"));
}

}  // namespace

std::optional<Violation> ClientStanding::observe(const Seen& s) {
  if (!s.msg || !s.msg->is_object()) return std::nullopt;  // a close, not a message
  const Json& m = *s.msg;
  if (s.to_server) {
    if (at(m, "error").is_null()) learn(s, m);
    return std::nullopt;
  }
  auto v = judge(s, m);
  if (v || !s.sm) return v;
  // What the client asked for: the answers it may take come after it (profile 5.1, 5.3).
  Membership& line = lines_[s.lifeline];
  const std::string type = m.value("type", "");
  if (type == "SCREQ") {
    line = Membership{};
    line.screq_for = 0;
    line.screq_secure = flag(m, "s");
  } else if (type == "SRREQ") {
    line.srreq_for = u16(m, "session_id");
  }
  return std::nullopt;
}

// Only an answer the client may act on gives IDs: a valid SCACC to a pending SCREQ, a valid
// SRACC for the session of a pending SRREQ (profile 5.1, 5.3). The answers a purpose sends to
// see them ignored (a wrong version, an unsolicited SRACC) give none.
void ClientStanding::learn(const Seen& s, const Json& m) {
  auto it = lines_.find(s.lifeline);
  if (it == lines_.end()) return;
  Membership& line = it->second;
  const std::string type = m.value("type", "");
  const auto sid = u16(m, "session_id");
  const auto uid = u16(m, "user_id");
  if (type == "SCACC" && line.screq_for) {
    line.ids = {sid, uid};
    line.ids_from = "SCACC";
    line.screq_for.reset();
  } else if (type == "SCREJ" && line.screq_for) {
    line.screq_for.reset();
  } else if (type == "SRACC" && line.srreq_for == sid) {
    line.ids = {sid, uid};
    line.ids_from = "SRACC";
    line.srreq_for.reset();
  } else if (type == "SRREJ" && line.srreq_for == sid) {
    line.srreq_for.reset();
  }
}

std::optional<Violation> ClientStanding::judge(const Seen& s, const Json& m) {
  const std::string proto = s.sm ? "SM" : "MM";
  const std::string section = s.sm ? "2" : "3";
  if (!at(m, "error").is_null()) return invalid(proto, "from " + s.lifeline, str(at(m, "error")));
  const std::string type = m.value("type", "?");
  const std::string what = type + " from " + s.lifeline;
  if (s.sm && !client_sm.count(type))
    return violation(what, "type", type, "a client sends only SCREQ, SDREQ, SCINF, SRREQ, SJREQ, SAREQ", "2");
  if (!s.sm && !client_mm.count(type))
    return violation(what, "type", type, "a member sends only KARES, UIREQ, LVREQ, TRREQ", "3");
  if (auto v = reserved_fault(what, s.sm, m, s.bytes)) return v;

  // The fields a client leaves 0 (profile 2, 3).
  if (integer(m, "key_length") != 0)
    return violation(what, "key_length", at(m, "key_length"), "0 in a client's message", section);
  if (s.sm && type != "SCINF" && group_of(m) != "0.0.0.0:0")
    return violation(what, "group", group_of(m), "0 outside SCINF", "2");
  if (!s.sm) {
    if (integer(m, "ka_period") != 0) return violation(what, "KA period", at(m, "ka_period"), "0 in a member's message", "3");
    if (integer(m, "ka_timeout") != 0)
      return violation(what, "KA timeout", at(m, "ka_timeout"), "0 in a member's message", "3");
    if (group_of(m) != "0.0.0.0:0") return violation(what, "group", group_of(m), "0 in a member's message", "3");
  }

  const Membership& line = lines_[s.lifeline];
  if (type == "SCINF" && line.screq_secure && flag(m, "s") != *line.screq_secure)
    return violation(what, "S", flag(m, "s") ? 1 : 0, "as in the SCREQ (" + std::to_string(*line.screq_secure) + ")", "2");

  // IDs (profile 2: 0 in SCREQ and SRREQ, assigned by the server; 3: a member's MM messages
  // carry its session ID and user ID).
  const int sid = integer(m, "session_id"), uid = integer(m, "user_id");
  if (type == "SCREQ" && (sid != 0 || uid != 0))
    return violation(what, sid != 0 ? "session_id" : "user_id", sid != 0 ? sid : uid, "0 in SCREQ", "2");
  if (type == "SRREQ") {
    if (uid != 0) return violation(what, "user_id", uid, "0 in SRREQ", "2");
    return std::nullopt;
  }
  if (type == "SCREQ" || !line.ids) return std::nullopt;
  const auto [want_sid, want_uid] = *line.ids;
  const std::string given = " the server gave in " + line.ids_from;
  if (sid != want_sid)
    return violation(what, "session_id", sid, "the session ID" + given + ": " + std::to_string(want_sid), section);
  if (uid != want_uid)
    return violation(what, "user_id", uid, "the user ID" + given + ": " + std::to_string(want_uid), section);
  return std::nullopt;
}

}  // namespace conform::match
