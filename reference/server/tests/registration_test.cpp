// Profile 5.3-5.5: Figures 6, 7, 8 (registration), 9 (join), 10 and 11 (activation).
#include "harness.hpp"

namespace gmp::server::test {

namespace {
Reason reason_of(const SmMessage& m) {
  const auto* r = find<opt::ReasonCode>(m.options);
  EXPECT_NE(r, nullptr);
  return r ? r->reason : Reason::success;
}

SessionParams closed_params() {
  SessionParams p;
  p.closed = true;
  p.allow = {"bob"};
  p.base = {"dave"};
  return p;
}
}  // namespace

// Figure 6: open mode SRREQ -> SRACC with a new user ID, the group echoed.
TEST(Figure6, OpenRegistration) {
  Harness h;
  Client alice = h.client("alice", 1);
  const SessionId s = h.create(alice);
  Client bob = h.client("bob", 2);
  h.sm(bob, build::srreq(s, "bob"));
  const SmMessage acc = h.one_sm(bob);
  EXPECT_EQ(acc.type, SmType::SRACC);
  EXPECT_EQ(acc.session, s);
  EXPECT_NE(acc.user.value, 0);
  EXPECT_NE(acc.user, alice.user);
  EXPECT_FALSE(acc.closed);
  EXPECT_EQ(acc.group_address, ip("239.255.10.20"));
  EXPECT_EQ(acc.group_port, 5004);
  EXPECT_EQ(h.srv.session(s)->registered, 2u);
}

// Figure 7: closed mode SRREQ -> SRRES -> SRACC.
TEST(Figure7, ClosedRegistration) {
  Harness h;
  Client alice = h.client("alice", 1);
  const SessionId s = h.create(alice, closed_params());
  Client bob = h.client("bob", 2);
  h.sm(bob, build::srreq(s, "bob"));
  auto out = h.take();
  ASSERT_EQ(out.size(), 2u);
  const auto& res = std::get<SendSm>(out[0]).msg;
  const auto& acc = std::get<SendSm>(out[1]).msg;
  EXPECT_EQ(res.type, SmType::SRRES);
  EXPECT_EQ(res.user.value, 0);
  EXPECT_TRUE(res.closed);
  EXPECT_EQ(acc.type, SmType::SRACC);
  EXPECT_TRUE(acc.closed);
  // A base member needs no ALLOW entry; nor does the creator's own name.
  Client dave = h.client("dave", 4);
  h.register_to(s, dave, true);
  EXPECT_EQ(h.srv.member(s, dave.user)->type, MemberType::base);
  Client alice2 = alice;
  h.register_to(s, alice2, true);
  EXPECT_EQ(alice2.user, alice.user);
}

// Figure 8: closed mode SRREQ -> SRRES -> SRREJ (name not allowed, wrong access key).
TEST(Figure8, NameNotAllowed) {
  Harness h;
  Client alice = h.client("alice", 1);
  const SessionId s = h.create(alice, closed_params());
  Client carl = h.client("carl", 3);
  const auto before = h.fingerprint();
  h.sm(carl, build::srreq(s, "carl"));
  auto out = h.take();
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(std::get<SendSm>(out[0]).msg.type, SmType::SRRES);
  const auto& rej = std::get<SendSm>(out[1]).msg;
  EXPECT_EQ(rej.type, SmType::SRREJ);
  EXPECT_TRUE(rej.closed);
  EXPECT_EQ(reason_of(rej), Reason::not_authorised);
  EXPECT_EQ(h.fingerprint(), before);
}

TEST(Figure8, AccessKey) {
  Harness h;
  Client alice = h.client("alice", 1);
  SessionParams p;
  p.closed = true;
  p.access_key = {1, 2, 3, 4};
  const SessionId s = h.create(alice, p);
  Client bob = h.client("bob", 2);
  SmMessage req = build::srreq(s, "bob");
  req.options.emplace_back(opt::AccessKey{{1, 2, 3, 5}});
  h.sm(bob, req);
  auto out = h.take();
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(reason_of(std::get<SendSm>(out[1]).msg), Reason::not_authorised);
  h.sm(bob, build::srreq(s, "bob"));  // no key at all
  out = h.take();
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(std::get<SendSm>(out[1]).msg.type, SmType::SRREJ);
  SmMessage good = build::srreq(s, "bob");
  good.options.emplace_back(opt::AccessKey{{1, 2, 3, 4}});
  h.sm(bob, good);
  out = h.take();
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(std::get<SendSm>(out[1]).msg.type, SmType::SRACC);
}

TEST(Profile53, UnknownSessionGetsReason4WithoutSrres) {
  Harness h;
  Client bob = h.client("bob", 2);
  h.sm(bob, build::srreq(SessionId{1234}, "bob"));
  const SmMessage rej = h.one_sm(bob);
  EXPECT_EQ(rej.type, SmType::SRREJ);
  EXPECT_EQ(reason_of(rej), Reason::unknown_session);
}

TEST(Profile53, SameNameSameIpGetsSameUserId) {
  Harness h;
  Client alice = h.client("alice", 1);
  const SessionId s = h.create(alice);
  Client bob = h.client("bob", 2);
  h.register_to(s, bob);
  const UserId first = bob.user;
  const auto before = h.fingerprint();
  h.register_to(s, bob);
  EXPECT_EQ(bob.user, first);
  EXPECT_EQ(h.fingerprint(), before);
}

TEST(Profile53, SameNameOtherIpIsRefused) {
  Harness h;
  Client alice = h.client("alice", 1);
  const SessionId s = h.create(alice);
  Client bob = h.client("bob", 2);
  h.register_to(s, bob);
  Client fake = h.client("bob", 3);
  h.sm(fake, build::srreq(s, "bob"));
  const SmMessage rej = h.one_sm(fake);
  EXPECT_EQ(rej.type, SmType::SRREJ);
  EXPECT_EQ(reason_of(rej), Reason::not_authorised);
}

TEST(Profile53, MemberLimitGetsReason1ButIdempotentStillWorks) {
  Config cfg;
  cfg.max_members = 2;
  Harness h(cfg);
  Client alice = h.client("alice", 1);
  const SessionId s = h.create(alice);
  Client bob = h.client("bob", 2);
  h.register_to(s, bob);
  Client carl = h.client("carl", 3);
  h.sm(carl, build::srreq(s, "carl"));
  const SmMessage rej = h.one_sm(carl);
  EXPECT_EQ(rej.type, SmType::SRREJ);
  EXPECT_EQ(reason_of(rej), Reason::resources);
  h.register_to(s, bob);  // same name, same IP: the limit does not apply
}

TEST(Profile53, ClosedModeChecksOrder) {
  Config cfg;
  cfg.max_members = 1;
  Harness h(cfg);
  Client alice = h.client("alice", 1);
  const SessionId s = h.create(alice, closed_params());
  Client carl = h.client("carl", 3);  // not allowed and over the limit: REASON 2 first
  h.sm(carl, build::srreq(s, "carl"));
  auto out = h.take();
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(reason_of(std::get<SendSm>(out[1]).msg), Reason::not_authorised);
  Client bob = h.client("bob", 2);  // allowed, over the limit: REASON 1
  h.sm(bob, build::srreq(s, "bob"));
  out = h.take();
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(reason_of(std::get<SendSm>(out[1]).msg), Reason::resources);
}

// Figure 9: SJREQ -> SJRES, creator and participants; again -> same answer, no change.
TEST(Figure9, Join) {
  Harness h;
  Client alice = h.client("alice", 1);
  const SessionId s = h.create(alice);
  Client bob = h.client("bob", 2);
  h.register_to(s, bob);
  for (Client* c : {&alice, &bob}) {
    h.sm(*c, build::sjreq(s, c->user));
    const SmMessage res = h.one_sm(*c);
    EXPECT_EQ(res.type, SmType::SJRES);
    EXPECT_EQ(res.session, s);
    EXPECT_EQ(res.user, c->user);
    EXPECT_FALSE(res.secure);
    EXPECT_EQ(res.key_length, 0);
    EXPECT_EQ(res.group_address, ip("239.255.10.20"));
    EXPECT_EQ(res.group_port, 5004);
    EXPECT_EQ(h.state(s, *c), MemberState::joined);
  }
  const auto before = h.fingerprint();
  h.join(s, bob);
  EXPECT_EQ(h.fingerprint(), before);
}

// Figure 10: SAREQ (MM-PORT) -> KAREQ (KA-SEQ 0 before the first round) -> KARES -> active;
// then periodic rounds.
TEST(Figure10, Activation) {
  Harness h;
  Client alice = h.client("alice", 1);
  SessionParams p;
  p.closed = true;
  p.allow = {"bob"};
  const SessionId s = h.create(alice, p);
  Client bob = h.client("bob", 2);
  h.register_to(s, bob, true);
  h.join(s, bob);
  h.sm(bob, build::sareq(s, bob.user, bob.mm_port));
  const MmMessage ka = h.one_mm(bob);
  EXPECT_EQ(ka.type, MmType::KAREQ);
  EXPECT_EQ(ka.session, s);
  EXPECT_EQ(ka.user, bob.user);
  EXPECT_EQ(ka.mode, static_cast<std::uint8_t>(Mode::closed));
  EXPECT_EQ(ka.member_type, static_cast<std::uint8_t>(MemberType::participant));
  EXPECT_EQ(ka.ka_period, KaUnits{10});
  EXPECT_EQ(ka.ka_timeout, KaUnits{5});
  EXPECT_EQ(ka.group_address, ip("239.255.10.20"));
  EXPECT_EQ(ka.group_port, 5004);
  ASSERT_TRUE(find<opt::KaSeq>(ka.options));
  EXPECT_EQ(ka_seq(ka), 0u);
  EXPECT_EQ(h.state(s, bob), MemberState::joined);
  EXPECT_TRUE(h.polled(s, bob));
  h.mm(bob, h.kares(s, bob, 0, Mode::closed));
  h.expect_nothing();
  EXPECT_EQ(h.state(s, bob), MemberState::active);
  // Periodic rounds: KAREQ with KA-SEQ 1 after one KA period, 2 after two.
  auto out = h.advance(Millis{1000});
  auto kas = mm_to(out, bob.mm());
  ASSERT_EQ(kas.size(), 1u);
  EXPECT_EQ(ka_seq(kas[0]->msg), 1u);
  h.mm(bob, h.kares(s, bob, 1, Mode::closed));
  out = h.advance(Millis{1000});
  kas = mm_to(out, bob.mm());
  ASSERT_EQ(kas.size(), 1u);
  EXPECT_EQ(ka_seq(kas[0]->msg), 2u);
  EXPECT_EQ(h.state(s, bob), MemberState::active);
}

TEST(Figure10, SareqFromRegisteredMemberIsDiscarded) {
  Harness h;
  Client alice = h.client("alice", 1);
  const SessionId s = h.create(alice);
  const auto before = h.fingerprint();
  h.sm(alice, build::sareq(s, alice.user, alice.mm_port));
  h.expect_nothing();
  EXPECT_EQ(h.fingerprint(), before);
  EXPECT_EQ(h.srv.counters().discarded(Discard::wrong_state), 1u);
}

TEST(Figure10, SareqFromActiveMemberRebindsAndPollsOnce) {
  Harness h;
  Client alice = h.client("alice", 1);
  const SessionId s = h.create(alice);
  h.join(s, alice);
  h.activate(s, alice);
  alice.mm_port = 50000;
  h.sm(alice, build::sareq(s, alice.user, alice.mm_port));
  const MmMessage ka = h.one_mm(alice);  // to the new address
  EXPECT_EQ(ka.type, MmType::KAREQ);
  EXPECT_EQ(h.srv.member(s, alice.user)->mm->port, 50000);
  EXPECT_EQ(h.state(s, alice), MemberState::active);
}

// Figure 11: late join: a joined member activates while rounds run; KA-SEQ = current round.
TEST(Figure11, LateJoin) {
  Harness h;
  Client alice = h.client("alice", 1);
  const SessionId s = h.create(alice);
  h.join(s, alice);
  h.activate(s, alice);
  for (int r = 1; r <= 3; ++r) {
    h.advance(Millis{1000});
    h.mm(alice, h.kares(s, alice, static_cast<std::uint32_t>(r)));
  }
  Client bob = h.client("bob", 2);
  h.register_to(s, bob);
  h.join(s, bob);
  h.advance(Millis{200});
  h.sm(bob, build::sareq(s, bob.user, bob.mm_port));
  const MmMessage ka = h.one_mm(bob);
  EXPECT_EQ(ka_seq(ka), 3u);
  h.mm(bob, h.kares(s, bob, 3));
  EXPECT_EQ(h.state(s, bob), MemberState::active);
  auto out = h.advance(Millis{800});
  EXPECT_EQ(mm_to(out, bob.mm()).size(), 1u);
  EXPECT_EQ(mm_to(out, alice.mm()).size(), 1u);
}

}  // namespace gmp::server::test
