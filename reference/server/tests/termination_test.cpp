// Profile 6.3 (Figures 16, 20, 21, 22) and 5.6 (SDREQ/SDRES).
#include "harness.hpp"

namespace gmp::server::test {

namespace {

struct Trio {
  explicit Trio(bool open = true, std::uint8_t miss_limit = 1) {
    alice = h.client("alice", 1);
    dave = h.client("dave", 4);
    bob = h.client("bob", 2);
    carl = h.client("carl", 3);
    SessionParams p;
    p.closed = !open;
    p.base = {"dave"};
    p.allow = {"bob", "carl"};
    p.ka.miss_limit = miss_limit;
    s = h.create(alice, p);
    for (Client* c : {&dave, &bob, &carl}) h.register_to(s, *c, !open);
    dave.type = MemberType::base;
    mode = open ? Mode::open : Mode::closed;
    for (Client* c : {&alice, &dave, &bob}) {
      h.join(s, *c);
      h.activate(s, *c, mode);
    }
    h.join(s, carl);  // joined, never activated: no MM address, gets no TRIND
  }
  /// TRIND expected to alice, dave and bob (every member with a bound MM address).
  void expect_trind_to_all(const std::vector<Transmit>& out) {
    auto trinds = all_mm(out, MmType::TRIND);
    ASSERT_EQ(trinds.size(), 3u);
    for (Client* c : {&alice, &dave, &bob}) {
      auto to = mm_to(out, c->mm());
      ASSERT_EQ(to.size(), 1u) << c->name;
      const MmMessage& t = to[0]->msg;
      EXPECT_EQ(t.type, MmType::TRIND);
      EXPECT_TRUE(t.ss);
      EXPECT_FALSE(t.ui);
      EXPECT_EQ(t.user, c->user);
      EXPECT_EQ(t.member_type, static_cast<std::uint8_t>(c->type));
      EXPECT_EQ(t.session, s);
      EXPECT_EQ(t.ka_period, KaUnits{10});
    }
    EXPECT_FALSE(h.srv.session(s).has_value());
    EXPECT_FALSE(h.srv.next_deadline().has_value());
  }
  Harness h;
  Client alice, dave, bob, carl;
  SessionId s;
  Mode mode = Mode::open;
};

}  // namespace

// Figure 21: the creator's TRREQ -> TRIND to every member with an MM address.
TEST(Figure21, CreatorTrreqEndsSession) {
  Trio t;
  t.h.mm(t.alice, build::trreq(t.s, t.alice.user, t.mode));
  t.expect_trind_to_all(t.h.take());
}

TEST(Figure21, TrreqFromParticipantIsDiscarded) {
  Trio t;
  const auto before = t.h.fingerprint();
  t.h.mm(t.bob, build::trreq(t.s, t.bob.user, t.mode));
  t.h.expect_nothing();
  EXPECT_EQ(t.h.fingerprint(), before);
  EXPECT_EQ(t.h.srv.counters().discarded(Discard::not_creator), 1u);
}

// Figure 20: LVREQ from a base member (or the creator) -> TRIND to the creator and all.
TEST(Figure20, BaseMemberLvreqEndsSession) {
  Trio t(false);
  t.h.mm(t.dave, build::lvreq(t.s, t.dave.user, MemberType::base, t.mode));
  t.expect_trind_to_all(t.h.take());
}

TEST(Figure20, CreatorLvreqEndsSession) {
  Trio t;
  t.h.mm(t.alice, build::lvreq(t.s, t.alice.user, MemberType::creator, t.mode));
  t.expect_trind_to_all(t.h.take());
}

// Figure 16 (open mode) and 22: the creator's or a base member's KA timer runs out.
TEST(Figure16, SilentBaseMemberEndsOpenSession) {
  Trio t(true);
  t.h.advance(Millis{1000});
  t.h.mm(t.alice, t.h.kares(t.s, t.alice, 1));
  t.h.mm(t.bob, t.h.kares(t.s, t.bob, 1));
  t.expect_trind_to_all(t.h.advance(Millis{500}));
}

TEST(Figure22, SilentCreatorEndsClosedSessionAfterMissLimit) {
  Trio t(false, 3);
  for (std::uint32_t r = 1; r <= 3; ++r) {
    t.h.advance(Millis{1000});
    ASSERT_TRUE(t.h.srv.session(t.s).has_value()) << r;
    t.h.mm(t.dave, t.h.kares(t.s, t.dave, r));
    t.h.mm(t.bob, t.h.kares(t.s, t.bob, r));
  }
  auto out = t.h.advance(Millis{500});  // third miss of alice
  t.expect_trind_to_all(out);
}

TEST(Figure22, JoinedPolledCreatorTimeoutEndsSessionToo) {
  Trio t(true, 1);
  // alice misses round 1 -> would be joined, but for the creator the session ends at once.
  t.h.advance(Millis{1000});
  t.h.mm(t.dave, t.h.kares(t.s, t.dave, 1));
  t.h.mm(t.bob, t.h.kares(t.s, t.bob, 1));
  t.expect_trind_to_all(t.h.advance(Millis{500}));
}

// Profile 5.6: SDREQ from the creator -> TRIND to members, SDRES REASON 0, session removed.
TEST(Deletion, CreatorDeletes) {
  Trio t;
  t.h.sm(t.alice, build::sdreq(t.s, t.alice.user));
  auto out = t.h.take();
  ASSERT_FALSE(out.empty());
  const auto* res = std::get_if<SendSm>(&out.back());
  ASSERT_TRUE(res);
  EXPECT_EQ(res->msg.type, SmType::SDRES);
  EXPECT_EQ(res->conn, t.alice.conn);
  EXPECT_EQ(res->msg.session, t.s);
  EXPECT_EQ(reason_in(res->msg), Reason::success);
  out.pop_back();
  t.expect_trind_to_all(out);
}

TEST(Deletion, OtherMemberGetsReason2AndNothingChanges) {
  Trio t(false);
  const auto before = t.h.fingerprint();
  t.h.sm(t.bob, build::sdreq(t.s, t.bob.user));
  const SmMessage res = t.h.one_sm(t.bob);
  EXPECT_EQ(res.type, SmType::SDRES);
  EXPECT_TRUE(res.closed);
  EXPECT_EQ(reason_in(res), Reason::not_authorised);
  EXPECT_EQ(t.h.fingerprint(), before);
}

TEST(Shutdown, EverySessionGetsTrind) {
  Trio t;
  t.h.srv.shutdown(t.h.now);
  t.expect_trind_to_all(t.h.take());
}

}  // namespace gmp::server::test
