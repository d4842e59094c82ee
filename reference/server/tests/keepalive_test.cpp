// Profile 6.1, Figure 12: keepalive rounds, the membership ladder, miss limit 1 and 3.
#include "harness.hpp"

namespace gmp::server::test {

namespace {

struct Fixture {
  explicit Fixture(std::uint8_t miss_limit = 1, bool secure = false) {
    alice = h.client("alice", 1);
    bob = h.client("bob", 2);
    SessionParams p;
    p.ka.miss_limit = miss_limit;
    p.secure = secure;
    s = h.create(alice, p);
    h.register_to(s, bob);
    h.join(s, alice);
    h.join(s, bob);
    h.activate(s, alice);
    h.activate(s, bob);
  }
  /// Moves to the next round start (one KA period on), answers it for `answering`.
  std::vector<Transmit> round(std::initializer_list<Client*> answering) {
    auto out = h.advance(Millis{1000});
    last = h.srv.session(s) ? h.srv.session(s)->round : 0;
    for (Client* c : answering) h.mm(*c, h.kares(s, *c, last));
    return out;
  }
  Harness h;
  Client alice, bob;
  SessionId s;
  std::uint32_t last = 0;
};

}  // namespace

TEST(Figure12, RoundsCarryIncreasingKaSeqToEveryPolledMember) {
  Fixture f;
  for (std::uint32_t r = 1; r <= 3; ++r) {
    auto out = f.round({&f.alice, &f.bob});
    auto kas = all_mm(out, MmType::KAREQ);
    ASSERT_EQ(kas.size(), 2u);
    for (const auto* k : kas) {
      EXPECT_EQ(ka_seq(k->msg), r);
      EXPECT_EQ(k->msg.ka_period, KaUnits{10});
    }
    EXPECT_EQ(mm_to(out, f.alice.mm())[0]->msg.member_type,
              static_cast<std::uint8_t>(MemberType::creator));
  }
  EXPECT_EQ(f.h.state(f.s, f.bob), MemberState::active);
}

// Miss limit 1: one missed round -> joined (still polled), another -> registered (not polled).
TEST(Figure12, DemotionLadderMissLimit1) {
  Fixture f(1);
  f.round({&f.alice});                 // round 1, bob silent
  EXPECT_EQ(f.h.state(f.s, f.bob), MemberState::active);  // timeout not reached yet
  auto out = f.round({&f.alice});      // check 1 at +500: bob -> joined; round 2 still polls bob
  EXPECT_EQ(f.h.state(f.s, f.bob), MemberState::joined);
  EXPECT_TRUE(f.h.polled(f.s, f.bob));
  EXPECT_EQ(mm_to(out, f.bob.mm()).size(), 1u);
  out = f.round({&f.alice});           // check 2: bob -> registered, no KAREQ in round 3
  EXPECT_EQ(f.h.state(f.s, f.bob), MemberState::registered);
  EXPECT_FALSE(f.h.polled(f.s, f.bob));
  EXPECT_EQ(mm_to(out, f.bob.mm()).size(), 0u);
  EXPECT_EQ(f.h.srv.counters().demotions, 2u);
}

// Miss limit 3: three missed rounds in a row per step down.
TEST(Figure12, DemotionLadderMissLimit3) {
  Fixture f(3);
  std::vector<MemberState> seen;
  for (int i = 0; i < 8; ++i) {
    f.round({&f.alice});
    seen.push_back(f.h.state(f.s, f.bob));
  }
  // After round k's advance, checks 1..k-1 have run.
  const std::vector<MemberState> expect{
      MemberState::active,  MemberState::active, MemberState::active, MemberState::joined,
      MemberState::joined,  MemberState::joined, MemberState::registered,
      MemberState::registered};
  EXPECT_EQ(seen, expect);
}

TEST(Figure12, AnsweringBreaksTheRowMissLimit3) {
  Fixture f(3);
  for (int i = 0; i < 12; ++i) {
    if (i % 3 == 2) f.round({&f.alice, &f.bob});
    else f.round({&f.alice});
  }
  EXPECT_EQ(f.h.state(f.s, f.bob), MemberState::active);
}

// Figure 12 comeback: registered -> joined (polled again) -> active, by KARES.
TEST(Figure12, ComebackByKares) {
  Fixture f(1);
  f.round({&f.alice});
  f.round({&f.alice});
  f.round({&f.alice});
  ASSERT_EQ(f.h.state(f.s, f.bob), MemberState::registered);
  f.h.mm(f.bob, f.h.kares(f.s, f.bob, f.last));
  f.h.expect_nothing();
  EXPECT_EQ(f.h.state(f.s, f.bob), MemberState::joined);
  EXPECT_TRUE(f.h.polled(f.s, f.bob));
  auto out = f.round({&f.alice, &f.bob});
  EXPECT_EQ(mm_to(out, f.bob.mm()).size(), 1u);
  EXPECT_EQ(f.h.state(f.s, f.bob), MemberState::active);
}

// Profile 6.1: a late KARES moves up the ladder but does not reset the count of misses.
TEST(Figure12, LateKaresDoesNotBreakTheRow) {
  Fixture f(2);
  f.h.advance(Millis{1000});  // round 1
  f.h.mm(f.alice, f.h.kares(f.s, f.alice, 1));
  f.h.advance(Millis{600});   // past round 1's timeout: bob missed 1
  f.h.mm(f.bob, f.h.kares(f.s, f.bob, 1));  // late
  f.h.advance(Millis{400});   // round 2
  f.h.mm(f.alice, f.h.kares(f.s, f.alice, 2));
  f.h.advance(Millis{500});   // round 2's timeout: bob missed 2 in a row -> joined
  EXPECT_EQ(f.h.state(f.s, f.bob), MemberState::joined);
}

TEST(Figure12, TimelyKaresWithinTimeoutCounts) {
  Fixture f(1);
  f.h.advance(Millis{1000});
  f.h.mm(f.alice, f.h.kares(f.s, f.alice, 1));
  f.h.now += Millis{500};  // exactly at the timeout, before the timer fires: still in time
  f.h.mm(f.bob, f.h.kares(f.s, f.bob, 1));
  f.h.advance(Millis{0});
  EXPECT_EQ(f.h.state(f.s, f.bob), MemberState::active);
}

TEST(Figure12, KaresWithoutKaSeqAnswersTheLatestRound) {
  Fixture f(1);
  for (int i = 0; i < 4; ++i) {
    f.h.advance(Millis{1000});
    f.h.mm(f.alice, f.h.kares(f.s, f.alice, std::nullopt));
    f.h.mm(f.bob, f.h.kares(f.s, f.bob, std::nullopt));
  }
  EXPECT_EQ(f.h.state(f.s, f.bob), MemberState::active);
}

TEST(Figure12, KaresForARoundNeverSentIsDiscarded) {
  Fixture f(1);
  f.round({&f.alice, &f.bob});
  const auto before = f.h.fingerprint();
  f.h.mm(f.bob, f.h.kares(f.s, f.bob, f.last + 1));
  f.h.expect_nothing();
  EXPECT_EQ(f.h.fingerprint(), before);
  EXPECT_EQ(f.h.srv.counters().discarded(Discard::future_round), 1u);
}

TEST(Figure12, OldRoundKaresDoesNotCountForTheLatest) {
  Fixture f(1);
  f.round({&f.alice, &f.bob});
  f.h.advance(Millis{1000});  // round 2
  f.h.mm(f.alice, f.h.kares(f.s, f.alice, 2));
  f.h.mm(f.bob, f.h.kares(f.s, f.bob, 1));  // echoes round 1: not an answer to round 2
  f.h.advance(Millis{500});
  EXPECT_EQ(f.h.state(f.s, f.bob), MemberState::joined);
}

// A member activated during round r is judged from round r + 1 on.
TEST(Figure12, MemberPolledMidRoundIsJudgedFromNextRound) {
  Harness h;
  Client alice = h.client("alice", 1);
  const SessionId s = h.create(alice);
  h.join(s, alice);
  h.activate(s, alice);
  Client bob = h.client("bob", 2);
  h.register_to(s, bob);
  h.join(s, bob);
  h.advance(Millis{1000});  // round 1
  h.mm(alice, h.kares(s, alice, 1));
  h.advance(Millis{100});
  h.sm(bob, build::sareq(s, bob.user, bob.mm_port));  // KAREQ round 1; bob never answers
  h.take();
  h.advance(Millis{400});  // round 1 timeout: bob not judged
  EXPECT_EQ(h.state(s, bob), MemberState::joined);
  EXPECT_TRUE(h.polled(s, bob));
  h.advance(Millis{500});  // round 2
  h.mm(alice, h.kares(s, alice, 2));
  h.advance(Millis{500});  // round 2 timeout: bob missed -> registered (was joined)
  EXPECT_EQ(h.state(s, bob), MemberState::registered);
}

TEST(Figure12, NextDeadlineAlternatesRoundAndTimeout) {
  Fixture f(1);
  const Time t0 = f.h.now;
  EXPECT_EQ(*f.h.srv.next_deadline(), t0 + Millis{1000});
  f.h.step();
  EXPECT_EQ(*f.h.srv.next_deadline(), t0 + Millis{1500});
}

}  // namespace gmp::server::test
