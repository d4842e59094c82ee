// The member ladder as a table (Figure 12, profile 6.1-6.5, profile 7). Every member state
// change of the core is one row of it, applied by Server::Impl::move (server.cpp).
#include "ladder.hpp"

#include <array>

namespace gmp::server::detail {

namespace {

struct Row {
  MemberState from;
  LadderInput in;
  bool needs_polled;  // the move exists only for a polled member
  Discard refusal;    // how an unpolled member's input is counted
  LadderStep step;
};

using S = MemberState;
using I = LadderInput;
constexpr Discard none = Discard::wrong_state;

constexpr std::array<Row, 14> rows{{
    // Figure 9: SJREQ -> SJRES; a registered member moves to the joined list.
    {S::registered, I::sjreq, false, none, {S::joined, Polled::keep}},
    {S::joined, I::sjreq, false, none, {S::joined, Polled::keep}},
    {S::active, I::sjreq, false, none, {S::active, Polled::keep}},
    // Figures 10, 11: SAREQ from a joined (or active) member: it is polled from now on.
    // A registered member's SAREQ is not listed: profile 7, wrong state.
    {S::joined, I::sareq, false, none, {S::joined, Polled::set}},
    {S::active, I::sareq, false, none, {S::active, Polled::set}},
    // Figure 12, "KARES received": registered -> joined (polled again), joined -> active.
    // A joined member that left (LVREQ, not polled) is not listed: discarded as not polled.
    {S::registered, I::kares, false, none, {S::joined, Polled::set}},
    {S::joined, I::kares, true, Discard::not_polled, {S::active, Polled::keep}},
    {S::active, I::kares, false, none, {S::active, Polled::keep}},
    // Figure 12, "KA timer expired": active -> joined (still polled), joined -> registered
    // (no longer polled); a registered member that was polled stops being polled.
    {S::active, I::ka_timer_expired, true, none, {S::joined, Polled::keep}},
    {S::joined, I::ka_timer_expired, true, none, {S::registered, Polled::clear}},
    {S::registered, I::ka_timer_expired, true, none, {S::registered, Polled::clear}},
    // Figure 19: LVREQ from a polled member: active -> joined, no longer polled.
    {S::active, I::lvreq, true, Discard::wrong_state, {S::joined, Polled::clear}},
    {S::joined, I::lvreq, true, Discard::wrong_state, {S::joined, Polled::clear}},
    // Figure 18: UIREQ from an active member only.
    {S::active, I::uireq, false, none, {S::active, Polled::keep}},
}};

const Row* find_row(MemberState from, LadderInput in) {
  for (const Row& r : rows)
    if (r.from == from && r.in == in) return &r;
  return nullptr;
}

}  // namespace

std::optional<LadderStep> ladder_row(MemberState from, LadderInput in) {
  const Row* r = find_row(from, in);
  if (!r) return std::nullopt;
  return r->step;
}

std::optional<LadderStep> ladder_step(MemberState from, bool polled, LadderInput in,
                                      Discard* refusal) {
  const Row* r = find_row(from, in);
  if (r && (polled || !r->needs_polled)) return r->step;
  if (refusal) *refusal = r ? r->refusal : Discard::wrong_state;
  return std::nullopt;
}

}  // namespace gmp::server::detail
