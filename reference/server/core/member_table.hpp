// The members of one session (profile 6.1): a dense array of 32-byte records plus two flat
// indexes (user ID, name). Names live in one append-only arena. Members are never removed
// while their session runs (a silent member goes back to "registered", it is not forgotten).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "flat_index.hpp"
#include "gmp/server/core.hpp"

namespace gmp::server::detail {

struct Member {
  std::uint32_t name_off = 0;
  std::uint8_t name_len = 0;
  MemberState state = MemberState::registered;
  MemberType type = MemberType::participant;
  bool polled = false;  // profile 6.1: SAREQ sets it; LVREQ and demotion to registered clear it
  bool bound = false;   // an MM address is known (kept until the session ends)
  std::uint8_t misses = 0;        // rounds missed in a row (the "KA timer")
  std::uint16_t key_epoch = 0;    // epoch of the last key this member was given
  UserId user;
  std::uint16_t mm_port = 0;
  Ipv4 sm_ip;                     // address binding for SM (profile 1)
  Ipv4 mm_ip;                     // MM address (profile 1: SM peer IP + MM-PORT)
  std::uint32_t polled_since = 0;  // round during which it became polled: judged from the next
  std::uint32_t last_timely = 0;   // last round answered within its KA timeout
};
static_assert(sizeof(Member) <= 32, "keep a member record within 32 bytes");

class MemberTable {
 public:
  Member* find(UserId u);
  const Member* find(UserId u) const;
  Member* find_name(std::string_view name);
  [[nodiscard]] std::string_view name(const Member& m) const {
    return std::string_view(names_).substr(m.name_off, m.name_len);
  }
  /// Adds a registered member. The caller checked limits and drew a free user ID.
  Member& add(UserId u, std::string_view name, MemberType type, Ipv4 sm_ip);
  std::span<Member> all() { return members_; }
  [[nodiscard]] std::span<const Member> all() const { return members_; }
  [[nodiscard]] std::size_t size() const { return members_.size(); }
  [[nodiscard]] std::size_t heap_bytes() const;

 private:
  std::vector<Member> members_;
  std::string names_;
  FlatIndex by_user_;
  FlatIndex by_name_;
};

std::uint32_t name_hash(std::string_view s);

}  // namespace gmp::server::detail
