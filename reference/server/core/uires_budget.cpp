#include "uires_budget.hpp"

#include <algorithm>

#include "gmp/options.hpp"
#include "gmp/types.hpp"

namespace gmp::server::detail {

// Profile 6.4: a part is the 16-byte header, LIST-PART (4 bytes), MEMBER-COUNT (8 bytes, open
// mode, part 1) and MEMBER-LIST options of at most 63 entries, 4k + 4 bytes each, within 1,200
// bytes; at most 255 parts. Mirrors the capacity computation of build::uires.
std::size_t uires_bytes(std::size_t entries, bool with_count) {
  auto capacity = [&](bool first) {
    const std::size_t avail = max_mm_uires_size - header_size - 4 - (first && with_count ? 8 : 0);
    const std::size_t full = avail / 256;
    const std::size_t rest = avail - full * 256;
    return full * opt::max_member_entries + (rest >= 8 ? rest / 4 - 1 : 0);
  };
  auto part_bytes = [&](std::size_t n, bool first) {
    const std::size_t lists = (n + opt::max_member_entries - 1) / opt::max_member_entries;
    return header_size + 4 + (first && with_count ? 8 : 0) + 4 * n + 4 * lists;
  };
  std::size_t total = 0;
  std::size_t left = entries;
  for (std::size_t part = 1; part <= 255; ++part) {
    const std::size_t n = std::min(left, capacity(part == 1));
    total += part_bytes(n, part == 1);
    left -= n;
    if (left == 0) break;
  }
  return total;
}

std::size_t uires_cost(const Session& s) {
  const std::size_t active = s.by_state[static_cast<std::size_t>(MemberState::active)];
  if (s.mode == Mode::closed) return uires_bytes(active, false);
  return uires_bytes(std::min(active, s.base_members.size() + 1), true);
}

bool UiresBudget::take(std::size_t rate, std::size_t bytes, Time now) {
  if (rate == 0) return true;
  const auto cap = static_cast<std::int64_t>(rate);
  if (!started_) {
    started_ = true;
    last_ = now;
    tokens_ = cap;
  } else if (now > last_) {
    const auto us = std::chrono::duration_cast<std::chrono::microseconds>(now - last_).count();
    // Refill in whole bytes; the time a partial byte took is kept for the next call.
    const std::int64_t gained = static_cast<std::int64_t>(
        std::min<long double>(static_cast<long double>(us) * cap / 1e6,
                              static_cast<long double>(cap - tokens_)));
    if (gained > 0 || tokens_ >= cap) {
      tokens_ = std::min(cap, tokens_ + gained);
      last_ = now;
    }
  }
  const auto want = static_cast<std::int64_t>(bytes);
  if (tokens_ >= want || tokens_ >= cap) {
    tokens_ -= want;
    return true;
  }
  return false;
}

}  // namespace gmp::server::detail
