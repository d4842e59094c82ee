// Standing checks of the client suite: what every message a client sends must satisfy,
// whatever the test purpose looks at. A pure module (no sockets, no clock), the counterpart of
// standing.hpp: the client runner hands it every message of the case, both ways, in wire
// order; it learns each membership's IDs from what the tester's server sent (SCACC, SRACC) and
// judges each message the client sends against the profile:
//   - it decodes: checksum, version 1, a known type, flags that fit it (2, 3; options 4);
//   - it flows client -> server: SCREQ, SDREQ, SCINF, SRREQ, SJREQ, SAREQ (2), KARES, UIREQ,
//     LVREQ, TRREQ (3);
//   - reserved bits and bytes are 0: Q and the SM reserved byte (2), R and the MM reserved
//     byte (3), option padding (4);
//   - the fields a client leaves 0: key length (2, 3), the group in every SM message but SCINF
//     (2), KA period, KA timeout and group in MM (3); S of SCINF as in the SCREQ (2);
//   - IDs: SCREQ carries session 0 and user 0, SRREQ user 0 (2); once the tester's server gave
//     the membership its IDs (SCACC, SRACC), every later SM and MM message of it carries
//     exactly those (2, 3), the coming-back KARES of 6.1 included.
// Where the profile leaves a choice, the check allows it: M and S of SRREQ, SJREQ, SAREQ and
// SDREQ, and the mode and member type of a member's MM message, which receivers ignore (2, 3),
// are not judged; a membership whose IDs the case never gave is not judged on its IDs.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "match/violation.hpp"

namespace conform::match {

class ClientStanding {
 public:
  /// Learns from a message the tester sent (Seen::to_server: towards the client), judges one
  /// the client sent.
  std::optional<Violation> observe(const Seen& s);

 private:
  struct Membership {
    std::optional<std::uint16_t> screq_for;  // SCREQ sent, no answer yet (always session 0)
    std::optional<std::uint16_t> srreq_for;  // SRREQ sent for this session, no SRACC/SRREJ yet
    std::optional<bool> screq_secure;  // S of the SCREQ, once one was sent
    std::optional<std::pair<std::uint16_t, std::uint16_t>> ids;  // session, user
    std::string ids_from;                                         // the SCACC or SRACC that gave them
  };

  void learn(const Seen& s, const nlohmann::json& m);
  std::optional<Violation> judge(const Seen& s, const nlohmann::json& m);

  std::map<std::string, Membership> lines_;
};

}  // namespace conform::match
