// A session on the list (profile 5.1 step 4), a pending creation (5.1 step 3), and the one
// timer structure of the server: a deadline per session (its next round or the timeout of its
// current round) and per pending creation, in one ordered set.
#pragma once

#include <array>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "gmp/server/core.hpp"
#include "member_table.hpp"

namespace gmp::server::detail {

struct Session {
  SessionId id;
  std::string name, info, owner, media, app;
  Mode mode = Mode::open;
  bool secure = false;
  Ipv4 group;
  std::uint16_t group_port = 0;
  KaUnits ka_period{10};
  KaUnits ka_timeout{5};
  std::uint8_t miss_limit = 1;
  std::optional<std::uint64_t> start_time, end_time;
  std::vector<std::string> base_members;
  std::unordered_set<std::string> allow;
  std::vector<std::uint8_t> access_key;
  UserId creator;

  // Keepalive rounds (profile 6.1). Round r is sent at round_started; its timeout is checked
  // at round_started + ka_timeout (check_pending until then); the next round is due then.
  std::uint32_t round = 0;
  Time round_started{};
  bool check_pending = false;
  Time next_round_at{};

  // Secure mode (profile 6.6): the current key and its epoch (0: not secure).
  std::array<std::uint8_t, 16> key{};
  std::uint8_t key_length = 0;
  std::uint16_t epoch = 0;

  MemberTable members;
  std::array<std::size_t, 4> by_state{};  // indexed by MemberState

  [[nodiscard]] Time check_at() const { return round_started + ka_timeout.duration(); }
  [[nodiscard]] Time deadline() const {
    return check_pending && check_at() < next_round_at ? check_at() : next_round_at;
  }
  [[nodiscard]] bool is_base(std::string_view n) const {
    for (const auto& b : base_members)
      if (b == n) return true;
    return false;
  }
};

struct Pending {
  SessionId id;
  UserId creator;
  std::string name;
  Ipv4 ip;
  ConnId conn;
  bool secure = false;
  Time expires{};
};

/// Deadlines keyed by (kind, id): one ordered set for all timers of the server.
class DeadlineQueue {
 public:
  enum Kind : std::uint32_t { session = 0, pending = 1 };
  void set(Kind k, SessionId id, Time t) {
    clear(k, id);
    const std::uint32_t key = (k << 16) | id.value;
    by_key_[key] = t;
    order_.emplace(t, key);
  }
  void clear(Kind k, SessionId id) {
    const std::uint32_t key = (k << 16) | id.value;
    auto it = by_key_.find(key);
    if (it == by_key_.end()) return;
    order_.erase({it->second, key});
    by_key_.erase(it);
  }
  [[nodiscard]] std::optional<Time> next() const {
    if (order_.empty()) return std::nullopt;
    return order_.begin()->first;
  }
  /// Removes and returns the earliest entry due at `now`.
  std::optional<std::pair<Kind, SessionId>> pop_due(Time now) {
    if (order_.empty() || order_.begin()->first > now) return std::nullopt;
    const std::uint32_t key = order_.begin()->second;
    order_.erase(order_.begin());
    by_key_.erase(key);
    return std::make_pair(static_cast<Kind>(key >> 16),
                          SessionId{static_cast<std::uint16_t>(key & 0xFFFF)});
  }

 private:
  std::set<std::pair<Time, std::uint32_t>> order_;
  std::unordered_map<std::uint32_t, Time> by_key_;
};

}  // namespace gmp::server::detail
