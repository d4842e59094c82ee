// Timeouts of the SM connections (profile 1: SM over TCP), against peers that open
// connections and hold them without using them (slowloris) until --max-connections is reached.
//
// - A partial frame held longer than `frame` closes the connection: a client writes each SM
//   message whole, so only a peer dribbling bytes, or a dead one, keeps half a frame.
// - A connection idle (no byte read or written) longer than `idle` is closed, unless the core
//   has something for it. Profile 1 lets a connection carry any number of exchanges and never
//   requires it to stay open, except between SCACC and SCINF (5.1 step 3: SCINF comes on the
//   same connection, and the pending creation is dropped when it closes). The reference client
//   keeps its connection for the life of its membership and reports a close as an error, so a
//   connection that was answered SCACC, SCCON, SRACC or SJRES stays exempt while that member
//   (or pending creation) exists on the server. One exempt connection per member: a member's
//   newer connection takes the exemption over, so a peer cannot exempt more connections than it
//   has members (themselves bounded, --max-members-total).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <unordered_map>
#include <vector>

#include "gmp/server/core.hpp"

namespace gmp::server {

struct ConnTimeouts {
  Millis frame{10000};  // 0: no partial-frame timeout
  Millis idle{60000};   // 0: no idle timeout
};

class ConnGuard {
 public:
  enum class Expiry : std::uint8_t { partial_frame, idle };
  struct Expired {
    ConnId conn;
    Expiry why;
  };
  /// Whether (session, user) is still a member, or `pending` a creation, on the server.
  using Alive = std::function<bool(SessionId, UserId, bool pending, Time since)>;

  explicit ConnGuard(ConnTimeouts t) : t_(t) {}

  void opened(ConnId c, Time now);
  void closed(ConnId c);
  /// Bytes were read from or written to the peer.
  void activity(ConnId c, Time now);
  /// After a read: `buffered` bytes of an unfinished frame are left; `took_frame` when a
  /// whole frame was taken out (the next frame's clock starts now).
  void framed(ConnId c, std::size_t buffered, bool took_frame, Time now);
  /// An SM answer going out on `c`: a positive one makes the connection its member's.
  void answered(ConnId c, const SmMessage& m, Time now);

  /// Connections to close now. `alive` tells whether an exempting member still exists.
  [[nodiscard]] std::vector<Expired> expired(Time now, const Alive& alive) const;
  /// How often expired() should run: a quarter of the shortest timeout, 20 ms to 1 s.
  [[nodiscard]] Millis period() const;
  [[nodiscard]] bool enabled() const { return t_.frame.count() > 0 || t_.idle.count() > 0; }

 private:
  struct Key {
    SessionId session;
    UserId user;
    bool pending = false;  // from SCACC: exempt while the creation is pending
    Time since{};
  };
  struct Entry {
    Time last{};
    std::optional<Time> partial_since;
    std::optional<Key> member;
  };
  static std::uint32_t key_of(SessionId s, UserId u) {
    return (static_cast<std::uint32_t>(s.value) << 16) | u.value;
  }
  ConnTimeouts t_;
  std::unordered_map<std::uint64_t, Entry> conns_;
  std::unordered_map<std::uint32_t, std::uint64_t> owner_;  // member -> its exempt connection
};

}  // namespace gmp::server
