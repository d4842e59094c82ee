// The keepalive responder threads of the load engine and what they record per member.
#pragma once

#include <atomic>
#include <cstdint>
#include <vector>

#include "gmp/types.hpp"

namespace gmp::load {

/// KAREQ rounds seen per member, indexed by session slot and user ID. Each member's datagrams
/// arrive on one socket, read by one thread, so every slot has one writer; it is read after
/// the threads are joined.
struct Rounds {
  struct Seen {
    std::uint32_t first = 0, last = 0, count = 0;
  };
  std::vector<std::int32_t> slot_of_session = std::vector<std::int32_t>(65536, -1);
  std::vector<std::vector<Seen>> by_slot;  // [slot][user ID]
  /// MEMBER-COUNT of part 1 of a UIRES, per slot (UINT64_MAX: none yet), and the entries its
  /// parts listed.
  std::vector<std::atomic<std::uint64_t>> member_count;
  std::vector<std::atomic<std::uint64_t>> listed;
  /// Members that have received their first KAREQ (profile 5.5: the server sends one at once
  /// on SAREQ): the activation is done, from the wire, when this reaches every member.
  std::atomic<std::uint64_t> polled{0};

  explicit Rounds(const std::vector<SessionId>& sessions);
  void saw_round(SessionId s, UserId u, std::uint32_t round);
};

struct Counters {
  std::atomic<std::uint64_t> kares{0}, other{0};
};

/// Answers every KAREQ on `fds` with a KARES echoing its KA-SEQ (profile 6.1) until `stop`.
/// `big_first`: the first socket is the creators' and receives whole UIRES datagrams.
/// `offload`: use UDP GRO and GSO where the kernel has them (gmp/udp_batch.hpp).
void respond(const std::vector<int>& fds, bool big_first, bool offload, Ipv4 server, std::uint16_t mm_port,
             const std::atomic<bool>& stop, Counters& counters, Rounds& rounds);

}  // namespace gmp::load
