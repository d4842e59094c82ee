// The load engine: plays many GMP members against one server over real sockets, for
// gmp-load (benchmarks) and the conformance tester's capacity campaign. It uses only the
// codec (never a protocol core), so it can measure any implementation.
//
// A run creates open sessions (one creator each), registers, joins and activates the members
// over pipelined TCP connections, then answers every KAREQ with a KARES (profile 6.1) through
// recvmmsg/sendmmsg for a while. What it reports comes from the wire only: the rates, and per
// member whether a KAREQ came for every round of its session (a member the server demotes to
// registered stops being polled) and, at the end, each session's MEMBER-COUNT (profile 6.4:
// active members only) from a UIREQ of its creator.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "gmp/types.hpp"

namespace gmp::load {

struct Target {
  Ipv4 host{0x7F000001};  // 127.0.0.1
  std::uint16_t sm_port = 16513;
  std::uint16_t mm_port = 16513;
};

struct Params {
  int members = 1000;   // besides the creators
  int sessions = 1;     // open sessions, members spread evenly (at most 65,000 each)
  double seconds = 10;  // how long to answer keepalives
  int sockets = 8;      // UDP sockets shared by the members
  int connections = 2;  // parallel SM connections for registration
  int threads = 2;      // keepalive responder threads
  std::uint8_t ka_period = 10;  // 100 ms units
  std::uint8_t ka_timeout = 5;
  std::uint8_t miss_limit = 1;
  bool count_active = true;      // UIREQ from each creator at the end
  bool terminate_at_end = true;  // TRREQ from each creator when done
  bool udp_offload = true;       // KAREQ read and KARES sent as GSO/GRO trains when possible
};

struct Result {
  int members = 0;
  int sessions = 0;
  /// activation_s: from the first SAREQ until every member got its first KAREQ (the keepalive
  /// time, ka_seconds, starts then).
  double registration_s = 0, join_s = 0, activation_s = 0, ka_seconds = 0;
  double registrations_per_s = 0;
  std::uint64_t kares_sent = 0;
  double kares_per_s = 0;
  std::uint64_t other_mm = 0;
  /// Members (creators included) that missed at least one KAREQ round of their session after
  /// their first one, or never got one.
  std::uint64_t members_missing_rounds = 0;
  std::uint32_t rounds = 0;           // fewest rounds any session ran while answered
  std::uint32_t expected_rounds = 0;  // what its KA period gives in that time
  /// Sum of MEMBER-COUNT over the sessions; empty when a session's UIRES never came.
  std::optional<std::uint64_t> active_at_end;

  /// The server kept its KA period (an overloaded one falls behind: fewer rounds), every member
  /// was polled in every round, and all were counted active at the end.
  [[nodiscard]] bool held() const;
  [[nodiscard]] std::string to_json() const;
};

/// Throws std::runtime_error when the server refuses or drops the set-up (creation,
/// registration), with what failed.
Result run(const Target& target, const Params& params);

struct RawResult {
  double seconds = 0;
  std::uint64_t sent = 0, received = 0;
  double received_per_s = 0;
  [[nodiscard]] std::string to_json() const;
};
/// The machine's loopback datagram rate with the same system calls (the ceiling beside a
/// capacity figure).
/// `udp_offload`: the sender sends GSO trains and the receiver takes GRO trains.
RawResult raw(double seconds, bool udp_offload = false);

}  // namespace gmp::load
