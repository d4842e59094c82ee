#include <gmp/json.hpp>

#include <fstream>
#include <map>

#include "matcher.hpp"
#include "purpose.hpp"
#include "report/report.hpp"

namespace conform {

Json coverage(const std::vector<Clause>& clauses, const std::vector<ScenarioFile>& files) {
  std::map<std::string, std::vector<std::string>> by;
  for (const auto& f : files)
    for (const auto& tp : f.purposes)
      for (const auto& c : tp.clauses) by[c].push_back(tp.id);
  Json rows = Json::array(), uncovered = Json::array(), unknown = Json::array();
  std::map<std::string, bool> listed;
  for (const auto& c : clauses) {
    listed[c.id] = true;
    Json tps = by.count(c.id) ? Json(by[c.id]) : Json::array();
    rows.push_back({{"clause", c.id}, {"title", c.title}, {"title_fr", c.title_fr}, {"testable", c.testable},
                    {"note", c.note}, {"test_purposes", tps}});
    if (c.testable && tps.empty()) uncovered.push_back(c.id);
  }
  for (const auto& [c, ids] : by)
    if (!listed.count(c)) unknown.push_back({{"clause", c}, {"test_purposes", ids}});
  return {{"clauses", rows}, {"uncovered", uncovered}, {"not_in_clause_list", unknown}};
}

namespace {
// Profile 8: what the verdict rests on; a failure says whether it is against X.602.
Json authority_json(const CaseResult& r) {
  const Authority& au = r.authority();
  Json a = {{"name", au.str()}, {"x602", au.x602()}, {"profile_sections", au.profile}, {"stated", au.stated},
            {"standing_check", r.rests_on.has_value()}};
  if (r.verdict == Verdict::fail) a["fails"] = fails_phrase(au);
  return a;
}

Json event_json(const WireEvent& e) {
  static const char* kinds[] = {"data", "tcp_open", "tcp_close_by_tester", "tcp_close_by_server"};
  Json j = {{"t_ms", e.t_ms}, {"kind", kinds[static_cast<int>(e.kind)]}, {"lifeline", e.lifeline},
            {"direction", e.to_server ? "to_server" : "from_server"}, {"transport", e.tcp ? "tcp" : "udp"}};
  if (e.kind == WireKind::data) {
    j["hex"] = gmp::json::to_hex(e.wire);
    j["message"] = plain(e.decoded);
  }
  if (!e.note.empty()) j["note"] = e.note;
  if (e.highlight) j["highlight"] = true;
  return j;
}
}  // namespace

void write_json(const std::string& path, const std::vector<CaseResult>& results, const Summary& s,
                const RunInfo& info, const Json& cov) {
  Json cases = Json::array();
  for (const auto& r : results) {
    Json log = Json::array();
    for (const auto& e : r.log) log.push_back(event_json(e));
    cases.push_back({{"id", r.tp->id}, {"title", r.tp->title}, {"file", r.tp->file},
                     {"clauses", r.tp->clauses}, {"figure", r.tp->figure},
                     {"authority", authority_json(r)},
                     {"needs", {{"members", r.tp->needs.members}, {"sessions", r.tp->needs.sessions},
                                {"pixit", r.tp->needs.pixit}}},
                     {"requirement", r.tp->requirement}, {"pics", r.tp->pics},
                     {"verdict", to_string(r.verdict)}, {"reason", r.reason}, {"details", r.details},
                     {"where", r.where}, {"deviation", r.deviation},
                     {"duration_ms", r.duration_ms}, {"tester_lateness_ms", r.lateness_ms}, {"attempts", r.attempts},
                     {"pcap", r.verdict == Verdict::na ? "" : "pcaps/" + pcap_name(r.tp->id)},
                     {"wire_log", log}});
  }
  Json counts = Json::object();
  for (const auto& [v, n] : s.counts) counts[std::string(to_string(v))] = n;
  Json summary = {{"counts", counts}, {"executed", s.executed}, {"deviations", s.deviations},
                  {"fails_by_authority", {{"x602", s.fails_x602}, {"profile_only", s.fails_profile},
                                          {"profile_sections", s.fails_by_section}}},
                  {"exit_code", static_cast<int>(s.exit_code)}};
  Json doc = {{"tool", "gmp-conform"}, {"target", info.target}, {"server_cmd", info.server_cmd},
              {"started", info.started}, {"wall_ms", info.wall_ms}, {"time_scale", info.time_scale},
              {"summary", summary}, {"cases", cases}, {"coverage", cov}};
  std::ofstream(path) << doc.dump(1) << "\n";
}

}  // namespace conform
