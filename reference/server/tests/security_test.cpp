// Profile 6.6: Figures 23 (secure server control) and 24 (KDUPT key distribution).
#include "harness.hpp"

namespace gmp::server::test {

namespace {

opt::GroupKey key_of(const SmMessage& m) {
  const auto* k = find<opt::GroupKey>(m.options);
  EXPECT_NE(k, nullptr);
  return k ? *k : opt::GroupKey{};
}

struct Secure {
  Secure() {
    alice = h.client("alice", 1);
    bob = h.client("bob", 2);
    carl = h.client("carl", 3);
    dave = h.client("dave", 4);
    SessionParams p;
    p.secure = true;
    s = h.create(alice, p);
    for (Client* c : {&bob, &carl, &dave}) h.register_to(s, *c);
    h.sm(alice, build::sjreq(s, alice.user));
    first = key_of(h.one_sm(alice));
    for (Client* c : {&bob, &carl}) h.join(s, *c);
    for (Client* c : {&alice, &bob, &carl}) h.activate(s, *c);
  }
  Harness h;
  Client alice, bob, carl, dave;
  SessionId s;
  opt::GroupKey first;
};

}  // namespace

// Figure 23: SJRES with S = 1, key length 16 and GROUP-KEY (epoch 1); a late joiner gets the
// same key.
TEST(Figure23, JoinGivesTheCurrentKey) {
  Secure x;
  EXPECT_EQ(x.first.epoch, 1);
  EXPECT_EQ(x.first.key.size(), 16u);
  x.h.sm(x.dave, build::sjreq(x.s, x.dave.user));
  const SmMessage res = x.h.one_sm(x.dave);
  EXPECT_TRUE(res.secure);
  EXPECT_EQ(res.key_length, 16);
  EXPECT_EQ(key_of(res).key, x.first.key);
  EXPECT_EQ(key_of(res).epoch, 1);
}

TEST(Figure23, KeysDifferBetweenSessions) {
  Secure x;
  Client eve = x.h.client("eve", 5);
  SessionParams p;
  p.secure = true;
  const SessionId s2 = x.h.create(eve, p);
  x.h.sm(eve, build::sjreq(s2, eve.user));
  EXPECT_NE(key_of(x.h.one_sm(eve)).key, x.first.key);
}

// Figures 23 and 24: carl leaves the joined group (two silent rounds with miss limit 1): a
// new key (epoch 2) goes by KDUPT to alice and bob, never to carl.
TEST(Figure24, RekeyWhenAMemberLeavesTheJoinedGroup) {
  Secure x;
  std::vector<Transmit> out;
  for (std::uint32_t r = 1; r <= 2; ++r) {
    out = x.h.advance(Millis{1000});
    EXPECT_TRUE(all_mm(out, MmType::KDUPT).empty());
    x.h.mm(x.alice, x.h.kares(x.s, x.alice, r));
    x.h.mm(x.bob, x.h.kares(x.s, x.bob, r));
  }
  EXPECT_EQ(x.h.state(x.s, x.carl), MemberState::joined);
  out = x.h.advance(Millis{500});
  EXPECT_EQ(x.h.state(x.s, x.carl), MemberState::registered);
  auto kd = all_mm(out, MmType::KDUPT);
  ASSERT_EQ(kd.size(), 2u);
  EXPECT_TRUE(mm_to(out, x.carl.mm()).empty());
  for (Client* c : {&x.alice, &x.bob}) {
    auto to = mm_to(out, c->mm());
    ASSERT_EQ(to.size(), 1u);
    const MmMessage& k = to[0]->msg;
    EXPECT_EQ(k.type, MmType::KDUPT);
    EXPECT_EQ(k.key_length, 16);
    const auto* gk = find<opt::GroupKey>(k.options);
    ASSERT_TRUE(gk);
    EXPECT_EQ(gk->epoch, 2);
    EXPECT_NE(gk->key, x.first.key);
    EXPECT_EQ(k.user, c->user);
  }
  EXPECT_EQ(x.h.srv.session(x.s)->key_epoch, 2);
}

TEST(Figure24, LvreqDoesNotRekey) {
  Secure x;
  x.h.mm(x.bob, build::lvreq(x.s, x.bob.user, MemberType::participant, Mode::open));
  x.h.expect_nothing();
  EXPECT_EQ(x.h.srv.session(x.s)->key_epoch, 1);
}

// Profile 6.6 [P]: a member becoming active with an older epoch gets a KDUPT right after.
TEST(Figure24, CatchUpKduptOnActivation) {
  Secure x;
  x.h.join(x.s, x.dave);  // epoch 1, no MM address yet
  for (std::uint32_t r = 1; r <= 2; ++r) {
    x.h.advance(Millis{1000});
    x.h.mm(x.alice, x.h.kares(x.s, x.alice, r));
    x.h.mm(x.bob, x.h.kares(x.s, x.bob, r));
  }
  auto out = x.h.advance(Millis{500});  // carl leaves: epoch 2, dave (unbound) gets nothing
  EXPECT_TRUE(mm_to(out, x.dave.mm()).empty());
  x.h.sm(x.dave, build::sareq(x.s, x.dave.user, x.dave.mm_port));
  EXPECT_EQ(x.h.one_mm(x.dave).type, MmType::KAREQ);
  x.h.mm(x.dave, x.h.kares(x.s, x.dave, 2));
  const MmMessage kd = x.h.one_mm(x.dave);
  EXPECT_EQ(kd.type, MmType::KDUPT);
  EXPECT_EQ(key_epoch_in(kd), 2);
  // Already current: no second KDUPT when it comes back later.
  EXPECT_EQ(x.h.srv.member(x.s, x.dave.user)->key_epoch, 2);
}

TEST(Figure24, NoKduptWhenActivatingWithTheCurrentKey) {
  Secure x;
  x.h.join(x.s, x.dave);
  const auto after = x.h.activate(x.s, x.dave);
  EXPECT_TRUE(after.empty());
}

}  // namespace gmp::server::test
