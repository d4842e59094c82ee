// Standing checks: what every message a server sends must satisfy, whatever the test purpose
// looks at. A pure module (no sockets, no clock): the runner hands it every message of the
// case, both ways, in wire order, with its arrival time; it learns the session's facts from
// what the case itself sent and received (SCREQ/SCINF/SRREQ/SAREQ sent, SCACC/SCCON/SRACC
// received) and judges each message the tester receives against the profile:
//   - it decodes: checksum (2), version 1, a known type that flows server -> client (2, 3);
//   - reserved bits and bytes are 0: Q and the SM reserved byte (2), R and the MM reserved
//     byte (3), option padding (4), the MEMBER-LIST entries' reserved byte (4);
//   - IDs: SCACC/SRACC give non-zero IDs, SCREJ carries 0/0, SRRES and SRREJ the SRREQ's
//     session and user 0 (2, "IDs in refusals");
//   - group fields: the session's group in SCCON, SRACC, SJRES, zero elsewhere in SM (2);
//   - M and S in every SM answer about a known session, M = 0 in SCACC, S in an SCREJ REASON 3,
//     key length only in SJRES with S = 1 (2);
//   - MM header: the session's mode, group, KA period and timeout; the recipient's user ID and
//     member type; key length only in KDUPT (3);
//   - KAREQ rounds (6.1): KA-SEQ never goes back, does not stay on one round for three KA periods,
//     and rounds never come faster than one KA period (within the tolerance) counted from the
//     earliest-anchored round start (the first KAREQ seen of each round, not one answering an
//     SAREQ), judged from the third round start on, so that neither the tester's lateness nor
//     a late round followed by a catching-up one can make a round early.
// Where the profile leaves a choice, the check allows it; facts the case never saw are not
// checked (a session it did not create, a member whose name it never registered).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "match/violation.hpp"

namespace conform::match {

class Standing {
 public:
  /// The tolerance of the round checks (the PIXIT's absolute tolerance, scaled).
  explicit Standing(double tolerance_ms) : tol_ms_(tolerance_ms) {}

  /// Learns from a message the tester sent, judges one it received.
  std::optional<Violation> observe(const Seen& s);

 private:
  struct Session {
    bool known = false;  // SCCON seen: the server holds the session
    bool closed = false, secure = false;
    std::uint16_t group_port = 0;
    std::string group_address;
    int ka_period = 10, ka_timeout = 5;
    std::uint16_t creator = 0;
    std::string creator_name;
    std::set<std::string> bases;
    std::map<std::uint16_t, int> member_types;  // user -> member type code
    std::map<std::uint16_t, std::set<std::uint16_t>> mm_ports;  // user -> ports announced in SAREQ
    std::set<std::uint16_t> sareq_answer_due;  // ports whose next KAREQ answers an SAREQ (5.5)
    // KAREQ rounds (6.1)
    std::int64_t max_round = -1;
    double max_round_first = 0;
    std::optional<double> anchor;  // min over rounds of (arrival - round * period)
    int round_starts = 0;          // round starts seen (first KAREQ of a round, not an SAREQ's)
  };
  struct Line {
    bool screq_secure = false;
    std::string screq_name;
    std::map<std::uint16_t, std::string> srreq_names;  // session -> CLIENT-NAME sent
    int kareqs = 0;
  };

  void learn(const Seen& s, const nlohmann::json& m);
  std::optional<Violation> judge_sm(const Seen& s, const nlohmann::json& m);
  std::optional<Violation> judge_mm(const Seen& s, const nlohmann::json& m);
  std::optional<Violation> judge_round(const Seen& s, const nlohmann::json& m, Session& ses, const std::string& who);

  double tol_ms_;
  std::map<std::uint16_t, Session> sessions_;
  std::map<std::uint16_t, Session> pending_;  // SCINF sent, SCCON not yet seen
  std::map<std::string, Line> lines_;
};

}  // namespace conform::match
