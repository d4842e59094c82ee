// The member ladder table (Figure 12, profile 6, profile 7): every move it lists, and the
// refusal of what it does not list.
#include <gtest/gtest.h>

#include "ladder.hpp"

namespace gmp::server::detail {

namespace {
using S = MemberState;
using I = LadderInput;

S to(S from, bool polled, I in) {
  const auto st = ladder_step(from, polled, in);
  EXPECT_TRUE(st.has_value());
  return st ? st->to : from;
}

Discard refused(S from, bool polled, I in) {
  Discard d = Discard::oversize;  // anything the table never answers
  EXPECT_FALSE(ladder_step(from, polled, in, &d).has_value());
  return d;
}
}  // namespace

TEST(Ladder, Figure12Promotions) {
  EXPECT_EQ(to(S::registered, false, I::sjreq), S::joined);
  EXPECT_EQ(to(S::registered, false, I::kares), S::joined);
  EXPECT_EQ(ladder_step(S::registered, false, I::kares)->polled, Polled::set);
  EXPECT_EQ(to(S::joined, true, I::kares), S::active);
  EXPECT_EQ(to(S::active, true, I::kares), S::active);
  EXPECT_EQ(ladder_step(S::joined, false, I::sareq)->polled, Polled::set);
}

TEST(Ladder, Figure12DemotionsAndLeave) {
  EXPECT_EQ(to(S::active, true, I::ka_timer_expired), S::joined);
  EXPECT_EQ(ladder_step(S::active, true, I::ka_timer_expired)->polled, Polled::keep);
  EXPECT_EQ(to(S::joined, true, I::ka_timer_expired), S::registered);
  EXPECT_EQ(ladder_step(S::joined, true, I::ka_timer_expired)->polled, Polled::clear);
  EXPECT_EQ(to(S::active, true, I::lvreq), S::joined);
  EXPECT_EQ(ladder_step(S::active, true, I::lvreq)->polled, Polled::clear);
}

TEST(Ladder, Profile7NotAllowedInThisState) {
  EXPECT_EQ(refused(S::registered, false, I::sareq), Discard::wrong_state);
  EXPECT_EQ(refused(S::joined, false, I::kares), Discard::not_polled);  // left with LVREQ
  EXPECT_EQ(refused(S::joined, false, I::lvreq), Discard::wrong_state);
  EXPECT_EQ(refused(S::registered, false, I::lvreq), Discard::wrong_state);
  for (S s : {S::registered, S::joined}) EXPECT_EQ(refused(s, true, I::uireq), Discard::wrong_state);
  // The row exists whatever the polled mark (a decision hook may let the input through).
  EXPECT_TRUE(ladder_row(S::joined, I::kares).has_value());
  EXPECT_FALSE(ladder_row(S::registered, I::uireq).has_value());
}

}  // namespace gmp::server::detail
