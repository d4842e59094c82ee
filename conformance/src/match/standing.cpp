// Standing checks (see standing.hpp). Every reason names the message, the lifeline, the field
// as observed and as required, and the profile section, in the reports' wording.
#include "match/standing.hpp"

#include <algorithm>
#include <cmath>

namespace conform::match {

namespace {

using Json = nlohmann::json;

const std::set<std::string> server_sm = {"SCACC", "SCREJ", "SDRES", "SCCON", "SRRES", "SRACC", "SRREJ", "SJRES"};
const std::set<std::string> server_mm = {"KAREQ", "UIRES", "TRIND", "KDUPT"};
// SM answers that describe a known session by M and S (profile 2).
const std::set<std::string> with_mode = {"SCCON", "SRRES", "SRACC", "SRREJ", "SJRES", "SDRES"};
// SM messages that carry the session's group (profile 2); elsewhere the fields are 0.
const std::set<std::string> with_group = {"SCCON", "SRACC", "SJRES"};

using json::at;
using json::flag;
using json::integer;
using json::str;

int reason_of(const Json& m) { return at(at(m, "opt"), "REASON").is_number() ? at(at(m, "opt"), "REASON").get<int>() : -1; }

/// The size in bytes of the GROUP-KEY key, -1 when there is none.
int key_size(const Json& m) {
  if (!at(m, "opt").is_object() || !at(m, "opt").contains("GROUP-KEY")) return -1;
  return static_cast<int>(at(at(m, "opt"), "GROUP-KEY").value("key", std::string()).size() / 2);
}

std::vector<std::string> all_values(const Json& m, const std::string& type) {
  std::vector<std::string> out;
  if (m.contains("options") && at(m, "options").is_array())
    for (const auto& o : at(m, "options"))
      if (o.value("type", "") == type && o.contains("value") && o["value"].is_string())
        out.push_back(o["value"].get<std::string>());
  return out;
}

}  // namespace

std::optional<Violation> Standing::observe(const Seen& s) {
  if (!s.msg || !s.msg->is_object()) return std::nullopt;  // a close, not a message
  const Json& m = *s.msg;
  if (s.to_server) {
    if (at(m, "error").is_null()) learn(s, m);
    return std::nullopt;
  }
  auto v = s.sm ? judge_sm(s, m) : judge_mm(s, m);
  if (!v && s.sm) learn(s, m);
  return v;
}

void Standing::learn(const Seen& s, const Json& m) {
  const std::string type = m.value("type", "");
  const auto sid = static_cast<std::uint16_t>(integer(m, "session_id"));
  const auto uid = static_cast<std::uint16_t>(integer(m, "user_id"));
  Line& line = lines_[s.lifeline];
  const Json& opt = at(m, "opt");
  if (type == "SCREQ") {
    line.screq_secure = flag(m, "s");
    line.screq_name = opt.contains("CLIENT-NAME") ? str(at(opt, "CLIENT-NAME")) : "";
  } else if (type == "SCACC") {
    Session& p = pending_[sid];
    p.creator = uid;
    p.creator_name = line.screq_name;
  } else if (type == "SCINF") {
    Session& p = pending_[sid];
    p.closed = flag(m, "m");
    p.secure = flag(m, "s");
    p.group_port = static_cast<std::uint16_t>(integer(m, "group_port"));
    p.group_address = m.value("group_address", std::string("0.0.0.0"));
    p.ka_period = 10;  // profile 4: defaults when SCINF omits KEEPALIVE
    p.ka_timeout = 5;
    if (opt.contains("KEEPALIVE")) {
      p.ka_period = at(opt, "KEEPALIVE").value("period", 10);
      p.ka_timeout = at(opt, "KEEPALIVE").value("timeout", 5);
    }
    auto bases = all_values(m, "BASE-MEMBER");
    p.bases = {bases.begin(), bases.end()};
  } else if (type == "SCCON") {
    auto it = pending_.find(sid);
    if (it == pending_.end()) return;
    Session ses = it->second;
    pending_.erase(it);
    ses.known = true;
    ses.group_port = static_cast<std::uint16_t>(integer(m, "group_port"));  // the server may allocate it
    ses.group_address = m.value("group_address", std::string());
    ses.member_types[ses.creator] = 4;
    sessions_[sid] = std::move(ses);
  } else if (type == "SRREQ") {
    line.srreq_names[sid] = opt.contains("CLIENT-NAME") ? str(at(opt, "CLIENT-NAME")) : "";
  } else if (type == "SRACC") {
    auto it = sessions_.find(sid);
    if (it == sessions_.end() || !line.srreq_names.count(sid)) return;
    Session& ses = it->second;
    const std::string& name = line.srreq_names[sid];
    if (uid != ses.creator) ses.member_types[uid] = ses.bases.count(name) ? 2 : 1;
  } else if (type == "SAREQ") {
    auto it = sessions_.find(sid);
    if (it != sessions_.end() && at(opt, "MM-PORT").is_number()) {
      const auto port = static_cast<std::uint16_t>(at(opt, "MM-PORT").get<int>());
      it->second.mm_ports[uid].insert(port);
      it->second.sareq_answer_due.insert(port);
    }
  }
}

std::optional<Violation> Standing::judge_sm(const Seen& s, const Json& m) {
  const std::string type = m.value("type", "?");
  const std::string what = type + " to " + s.lifeline;
  if (!at(m, "error").is_null())
    return invalid("SM", "to " + s.lifeline, str(at(m, "error")));
  if (!server_sm.count(type))
    return violation(what, "type", type, "the server sends only SCACC, SCREJ, SDRES, SCCON, SRRES, SRACC, SRREJ, SJRES",
                     "2");
  if (auto v = reserved_fault(what, true, m, s.bytes)) return v;

  const auto sid = static_cast<std::uint16_t>(integer(m, "session_id"));
  const int uid = integer(m, "user_id");
  const Line& line = lines_[s.lifeline];
  const int reason = reason_of(m);
  // IDs (profile 2, IDs in refusals)
  if (type == "SCACC" && (sid == 0 || uid == 0))
    return violation(what, sid == 0 ? "session_id" : "user_id", 0, "the server assigns a non-zero ID", "2");
  if (type == "SCREJ" && (sid != 0 || uid != 0))
    return violation(what, sid != 0 ? "session_id" : "user_id", sid != 0 ? sid : uid, "SCREJ carries session 0 and user 0",
                     "2");
  if ((type == "SRRES" || type == "SRREJ") && uid != 0) return violation(what, "user_id", uid, "must be 0", "2");
  if ((type == "SRRES" || type == "SRREJ" || type == "SRACC") && !line.srreq_names.count(sid))
    return violation(what, "session_id", sid, "must be the session of an SRREQ " + s.lifeline + " sent", "2");
  if (type == "SRACC" && uid == 0) return violation(what, "user_id", 0, "the server assigns a non-zero ID", "2");
  // flags (profile 2)
  if (type == "SCACC" && flag(m, "m")) return violation(what, "M", 1, "M = 0 in SCACC", "2");
  if (type == "SCACC" && flag(m, "s") != line.screq_secure)
    return violation(what, "S", flag(m, "s") ? 1 : 0, "as in the SCREQ (" + std::to_string(line.screq_secure) + ")", "2");
  if (type == "SCREJ" && reason == 3 && !flag(m, "s")) return violation(what, "S", 0, "S = 1 in SCREJ REASON 3", "2.2, 6.6");
  const Session* ses = nullptr;
  if (auto it = sessions_.find(sid); it != sessions_.end()) ses = &it->second;
  if (type == "SCCON")
    if (auto it = pending_.find(sid); it != pending_.end()) ses = &it->second;
  if (ses && with_mode.count(type) && !(type == "SRREJ" && reason == 4)) {
    if (flag(m, "m") != ses->closed)
      return violation(what, "M", flag(m, "m") ? 1 : 0, std::string("the session is in ") + (ses->closed ? "closed" : "open") + " mode", "2");
    if (flag(m, "s") != ses->secure)
      return violation(what, "S", flag(m, "s") ? 1 : 0, std::string("the session is ") + (ses->secure ? "" : "not ") + "secure", "2");
  }
  // key length (profile 2)
  const int kl = integer(m, "key_length");
  if (type == "SJRES" && flag(m, "s")) {
    if (kl != key_size(m)) return violation(what, "key_length", kl, "the GROUP-KEY's " + std::to_string(key_size(m)) + " bytes", "2");
  } else if (kl != 0) {
    return violation(what, "key_length", kl, "0 outside SJRES with S = 1", "2");
  }
  // group fields (profile 2)
  const std::string addr = m.value("group_address", std::string("0.0.0.0"));
  const int port = integer(m, "group_port");
  if (!with_group.count(type) && (addr != "0.0.0.0" || port != 0))
    return violation(what, "group", addr + ":" + std::to_string(port), "0 outside SCCON, SRACC and SJRES", "2");
  if (type == "SCCON" && ses && ses->group_address != "0.0.0.0" &&
      (addr != ses->group_address || port != ses->group_port))
    return violation(what, "group", addr + ":" + std::to_string(port),
                     "the SCINF proposed " + ses->group_address + ":" + std::to_string(ses->group_port), "2");
  if (type != "SCCON" && with_group.count(type) && ses && ses->known &&
      (addr != ses->group_address || port != ses->group_port))
    return violation(what, "group", addr + ":" + std::to_string(port),
                     "the session's is " + ses->group_address + ":" + std::to_string(ses->group_port), "2");
  return std::nullopt;
}

std::optional<Violation> Standing::judge_mm(const Seen& s, const Json& m) {
  const std::string type = m.value("type", "?");
  Line& line = lines_[s.lifeline];
  std::string what = type + " to " + s.lifeline;
  if (type == "KAREQ") what = "KAREQ #" + std::to_string(++line.kareqs) + " to " + s.lifeline;
  if (!at(m, "error").is_null())
    return invalid("MM", "to " + s.lifeline, str(at(m, "error")));
  if (!server_mm.count(type)) return violation(what, "type", type, "the server sends only KAREQ, UIRES, TRIND, KDUPT", "3");
  if (auto v = reserved_fault(what, false, m, s.bytes)) return v;
  const int kl = integer(m, "key_length");
  if (type == "KDUPT" && kl != key_size(m))
    return violation(what, "key_length", kl, "the GROUP-KEY's " + std::to_string(key_size(m)) + " bytes", "3");
  if (type != "KDUPT" && kl != 0) return violation(what, "key_length", kl, "0 outside KDUPT", "3");

  const auto sid = static_cast<std::uint16_t>(integer(m, "session_id"));
  auto it = sessions_.find(sid);
  if (it == sessions_.end()) return std::nullopt;  // not a session this case created
  Session& ses = it->second;
  const int mode = ses.closed ? 2 : 1;
  if (integer(m, "mode_code") != mode)
    return violation(what, "mode", at(m, "mode_code"), "the session's is " + std::to_string(mode), "3");
  if (integer(m, "ka_period") != ses.ka_period)
    return violation(what, "KA period", at(m, "ka_period"), "session's is " + std::to_string(ses.ka_period), "3");
  if (integer(m, "ka_timeout") != ses.ka_timeout)
    return violation(what, "KA timeout", at(m, "ka_timeout"), "session's is " + std::to_string(ses.ka_timeout), "3");
  const std::string addr = m.value("group_address", std::string());
  const int port = integer(m, "group_port");
  if (addr != ses.group_address || port != ses.group_port)
    return violation(what, "group", addr + ":" + std::to_string(port),
                     "session's is " + ses.group_address + ":" + std::to_string(ses.group_port), "3");
  const auto uid = static_cast<std::uint16_t>(integer(m, "user_id"));
  auto ports = ses.mm_ports.find(uid);
  if (ports == ses.mm_ports.end() || !ports->second.count(s.port))
    return violation(what, "user_id", uid, "the member that announced MM port " + std::to_string(s.port) + " in SAREQ", "1, 3");
  if (auto t = ses.member_types.find(uid); t != ses.member_types.end() && integer(m, "member_type_code") != t->second)
    return violation(what, "member type", at(m, "member_type_code"), "the recipient's is " + std::to_string(t->second), "3");
  if (type == "KAREQ") return judge_round(s, m, ses, what);
  return std::nullopt;
}

// Rounds (profile 6.1): round r starts r KA periods after round 0, so arrival - r * period is
// never below the earliest value seen minus the tolerance (a late tester or a late round only
// makes it larger), and the KAREQ that answers an SAREQ carries the current round: never an
// older one, and never one that has been current for three periods.
std::optional<Violation> Standing::judge_round(const Seen& s, const Json& m, Session& ses, const std::string& what) {
  const Json& opt = at(m, "opt");
  if (!opt.contains("KA-SEQ")) return violation(what, "KA-SEQ", nullptr, "required in KAREQ", "4");
  const std::int64_t r = at(opt, "KA-SEQ").get<std::int64_t>();
  const double period = ses.ka_period * 100.0;
  // The absolute tolerance only: the earliest-anchored offset is not moved by lateness (a late
  // round or a late tester only raises an offset), so only the first round seen can be off.
  const double tol = tol_ms_;
  if (r < ses.max_round)
    return violation(what, "KA-SEQ", r, "round " + std::to_string(ses.max_round) + " was already sent", "6.1");
  if (r == ses.max_round && r > 0 && s.t_ms - ses.max_round_first > 3 * period + tol) {
    Violation v = violation(what, "KA-SEQ", r,
                            "round " + std::to_string(r) + " began " + std::to_string(static_cast<int>(s.t_ms - ses.max_round_first)) +
                                " ms earlier: one more each KA period",
                            "6.1");
    v.timing = true;
    return v;
  }
  const bool answers_sareq = ses.sareq_answer_due.erase(s.port) > 0;
  if (r <= ses.max_round) return std::nullopt;  // a round already seen: its time is known
  ses.max_round = r;
  ses.max_round_first = s.t_ms;
  // The KAREQ answering an SAREQ (5.5) comes at any time within the current round, and before
  // the first round (KA-SEQ 0) there is no round time: neither can anchor the rounds.
  if (answers_sareq || r == 0) return std::nullopt;
  const double offset = s.t_ms - static_cast<double>(r) * period;
  // A server that was late for one round may send the next at once (a fixed-rate timer
  // catching up): the first round start seen may itself be late, so the anchor is the earlier
  // of the first two and rounds are judged from the third on.
  if (++ses.round_starts < 3) {
    ses.anchor = ses.anchor ? std::min(*ses.anchor, offset) : offset;
    return std::nullopt;
  }
  if (offset < *ses.anchor - tol) {
    Violation v = violation(what, "KA-SEQ", r,
                            "round " + std::to_string(r) + " came " + std::to_string(static_cast<int>(*ses.anchor - offset)) +
                                " ms before its time: rounds are one KA period (" + std::to_string(static_cast<int>(period)) +
                                " ms) apart",
                            "6.1");
    v.timing = true;
    return v;
  }
  ses.anchor = ses.anchor ? std::min(*ses.anchor, offset) : offset;
  return std::nullopt;
}

}  // namespace conform::match
