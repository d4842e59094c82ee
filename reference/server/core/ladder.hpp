// The member ladder (Figure 12, profile 6): registered -> joined -> active and back, plus the
// "polled" mark (profile 6.1: the member receives KAREQ). One table, (state, input) -> state,
// holds every move; an input it does not list for a state is "not allowed in this state"
// (profile 7): counted and discarded by the caller, nothing changes.
#pragma once

#include <cstdint>
#include <optional>

#include "gmp/server/core.hpp"
#include "gmp/server/counters.hpp"

namespace gmp::server::detail {

/// What moves a member on the ladder.
enum class LadderInput : std::uint8_t {
  sjreq,             // Figure 9: join
  sareq,             // Figures 10, 11: activation request (MM address known, polled)
  kares,             // Figure 12: "KARES received"
  ka_timer_expired,  // Figure 12: "KA timer expired" (miss limit reached)
  lvreq,             // Figure 19: leave
  uireq,             // Figure 18: user information, active members only
};

enum class Polled : std::uint8_t { keep, set, clear };

/// One move of the ladder.
struct LadderStep {
  MemberState to = MemberState::registered;
  Polled polled = Polled::keep;
};

/// The move for (state, polled, input). nullopt: not allowed in this state, and `refusal`
/// (when given) tells which discard reason counts it (profile 7).
std::optional<LadderStep> ladder_step(MemberState from, bool polled, LadderInput in,
                                      Discard* refusal = nullptr);
/// The move the table lists for (state, input) whatever the polled mark (nullopt: none).
std::optional<LadderStep> ladder_row(MemberState from, LadderInput in);

}  // namespace gmp::server::detail
