// The UIRES byte budget (profile 6.4, Figure 18). One UIREQ of a few bytes from an active
// member of a large closed session asks for a list of up to 255 parts of 1,200 bytes: a
// member that floods UIREQ turns the server into an amplifier and keeps its loop busy building
// lists. The budget is a token bucket of bytes, shared by every session, refilled at
// Config::uires_rate bytes per second from the `now` the caller passes (no clock here), and
// checked with the cost of the answer estimated from the member counts BEFORE any list is built.
#pragma once

#include <cstddef>
#include <cstdint>

#include "gmp/server/core.hpp"
#include "session.hpp"

namespace gmp::server::detail {

/// Bytes on the wire of the UIRES parts listing `entries` members (with MEMBER-COUNT when
/// `with_count`): the same part arithmetic as build::uires, without building anything.
std::size_t uires_bytes(std::size_t entries, bool with_count);

/// The bytes a UIREQ in `s` would be answered with, from the member counts only (no scan):
/// closed mode lists every active member; open mode at most the creator and the base members,
/// plus MEMBER-COUNT (profile 6.2). An upper bound when some of those are not active.
std::size_t uires_cost(const Session& s);

class UiresBudget {
 public:
  /// Takes `bytes` from the bucket if they are there. The bucket holds one second of `rate`
  /// and starts full; a list larger than one second's budget is still answered when the bucket
  /// is full, leaving it in debt (so such a list goes out at most once per bytes/rate seconds).
  /// `rate` 0 turns the budget off.
  bool take(std::size_t rate, std::size_t bytes, Time now);
  [[nodiscard]] std::int64_t tokens() const { return tokens_; }

 private:
  bool started_ = false;
  Time last_{};
  std::int64_t tokens_ = 0;
};

}  // namespace gmp::server::detail
