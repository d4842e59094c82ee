// Figure 3: the whole life of a closed session, message by message.
#include "harness.hpp"

namespace gmp::server::test {

TEST(Figure3, WholeLifeOfAClosedSession) {
  Harness h;
  Client creator = h.client("creator", 1);
  Client a = h.client("A", 2);
  Client b = h.client("B", 3);
  Client c = h.client("C", 4);
  SessionParams p;
  p.closed = true;
  p.allow = {"A", "B"};
  const SessionId s = h.create(creator, p);

  // Registration: A and B accepted (SRRES then SRACC), C rejected (SRRES then SRREJ 2).
  h.register_to(s, a, true);
  h.register_to(s, b, true);
  h.sm(c, build::srreq(s, "C"));
  auto out = h.take();
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(std::get<SendSm>(out[0]).msg.type, SmType::SRRES);
  EXPECT_EQ(std::get<SendSm>(out[1]).msg.type, SmType::SRREJ);
  EXPECT_EQ(h.srv.session(s)->registered, 3u);

  // Join and activation.
  for (Client* x : {&creator, &a, &b}) h.join(s, *x);
  EXPECT_EQ(h.srv.session(s)->joined, 3u);
  for (Client* x : {&creator, &a, &b}) h.activate(s, *x, Mode::closed);
  EXPECT_EQ(h.srv.session(s)->active, 3u);

  // Periodic rounds: each KAREQ answered.
  for (std::uint32_t r = 1; r <= 3; ++r) {
    out = h.advance(Millis{1000});
    ASSERT_EQ(all_mm(out, MmType::KAREQ).size(), 3u) << r;
    for (Client* x : {&creator, &a, &b}) {
      auto to = mm_to(out, x->mm());
      ASSERT_EQ(to.size(), 1u);
      EXPECT_EQ(ka_seq(to[0]->msg), r);
      h.mm(*x, h.kares(s, *x, r, Mode::closed));
    }
  }

  // A leaves: no answer, back to joined, no longer polled.
  h.mm(a, build::lvreq(s, a.user, MemberType::participant, Mode::closed));
  h.expect_nothing();
  EXPECT_EQ(h.state(s, a), MemberState::joined);
  out = h.advance(Millis{1000});
  EXPECT_EQ(all_mm(out, MmType::KAREQ).size(), 2u);
  EXPECT_TRUE(mm_to(out, a.mm()).empty());
  for (Client* x : {&creator, &b}) h.mm(*x, h.kares(s, *x, 4, Mode::closed));

  // The creator ends the session: TRIND (SS) to everyone with an MM address, A included.
  h.mm(creator, build::trreq(s, creator.user, Mode::closed));
  out = h.take();
  ASSERT_EQ(out.size(), 3u);
  for (Client* x : {&creator, &a, &b}) {
    auto to = mm_to(out, x->mm());
    ASSERT_EQ(to.size(), 1u);
    EXPECT_EQ(to[0]->msg.type, MmType::TRIND);
    EXPECT_TRUE(to[0]->msg.ss);
    EXPECT_EQ(to[0]->msg.mode, static_cast<std::uint8_t>(Mode::closed));
  }
  EXPECT_TRUE(h.srv.sessions().empty());
  // The session is gone: its messages are now for an unknown session.
  h.mm(b, h.kares(s, b, 4, Mode::closed));
  h.expect_nothing();
  EXPECT_EQ(h.srv.counters().discarded(Discard::unknown_session), 1u);
}

}  // namespace gmp::server::test

namespace gmp::server::test {

// Output 2 of the contract (gmp/sansio.hpp): creation, termination and deletion are reported
// as events, after the transmits they go with.
TEST(Events, CreatedTerminatedDeleted) {
  Harness h;
  Client a = h.client("alice", 1);
  Client b = h.client("bob", 2);
  const SessionId s = h.create(a);
  auto e = h.srv.poll_event();
  ASSERT_TRUE(e && std::holds_alternative<SessionCreated>(*e));
  EXPECT_EQ(std::get<SessionCreated>(*e).session, s);
  EXPECT_EQ(std::get<SessionCreated>(*e).creator, a.user);
  EXPECT_FALSE(h.srv.poll_event());

  h.register_to(s, b);
  h.sm(b, build::sdreq(s, b.user));  // not the creator: SDRES 2, no event
  h.take();
  EXPECT_FALSE(h.srv.poll_event());

  h.sm(a, build::sdreq(s, a.user));
  h.take();
  e = h.srv.poll_event();
  ASSERT_TRUE(e && std::holds_alternative<SessionTerminated>(*e));
  EXPECT_EQ(std::get<SessionTerminated>(*e).cause, UserId{});
  e = h.srv.poll_event();
  ASSERT_TRUE(e && std::holds_alternative<SessionDeleted>(*e));
  EXPECT_EQ(std::get<SessionDeleted>(*e).session, s);
  EXPECT_FALSE(h.srv.poll_event());

  // A TRREQ names its cause.
  const SessionId s2 = h.create(a);
  h.join(s2, a);
  h.activate(s2, a);
  while (h.srv.poll_event()) {
  }
  h.mm(a, build::trreq(s2, a.user, Mode::open));
  h.take();
  e = h.srv.poll_event();
  ASSERT_TRUE(e && std::holds_alternative<SessionTerminated>(*e));
  EXPECT_EQ(std::get<SessionTerminated>(*e).cause, a.user);
}

}  // namespace gmp::server::test
