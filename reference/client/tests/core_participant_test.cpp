// The participant's side: Figures 6, 7, 8 (registration), 9 (join), 11 (late join) and 23
// (the key in SJRES). Fake server, fake clock.
#include "fake_server.hpp"

namespace gmp::client::test {
namespace {

TEST(ClientCoreRegister, Figure6OpenModeSracc) {
  Harness h(Role::participant);
  h.send_srreq();
  SmMessage rq = h.take_sm();
  EXPECT_EQ(rq.type, SmType::SRREQ);
  EXPECT_EQ(rq.session, kSession);
  EXPECT_EQ(rq.user.value, 0);
  EXPECT_EQ(find<opt::ClientName>(rq.options)->value, "bob");
  EXPECT_EQ(find<opt::AccessKey>(rq.options), nullptr);
  h.feed(build::sracc(kSession, kUser, false, false, 5004, kGroup));
  EXPECT_EQ(h.core.state(), State::registered);
  EXPECT_EQ(h.core.user(), kUser);
  EXPECT_EQ(h.core.mode(), Mode::open);
  EXPECT_FALSE(h.core.secure());
}

TEST(ClientCoreRegister, Figure7ClosedModeSrresThenSracc) {
  Harness h(Role::participant);
  h.core.register_to(RegisterParams{kSession, "bob", {0xaa, 0xbb}}, h.now);
  h.pump();
  SmMessage rq = h.take_sm();
  ASSERT_NE(find<opt::AccessKey>(rq.options), nullptr);
  EXPECT_EQ(find<opt::AccessKey>(rq.options)->bytes, (std::vector<std::uint8_t>{0xaa, 0xbb}));
  h.feed(build::srres(kSession, true, true));
  EXPECT_EQ(h.core.state(), State::pending);
  h.feed(build::sracc(kSession, kUser, true, true, 5004, kGroup));
  EXPECT_EQ(h.core.state(), State::registered);
  EXPECT_EQ(h.core.mode(), Mode::closed);
  EXPECT_TRUE(h.core.secure());
}

TEST(ClientCoreRegister, ClosedModeSraccBeforeSrresIsIgnored) {
  // Figures 7, 8 and profile 5.3: in closed mode SRRES comes first; an SRACC with M = 1
  // before it is discarded, and the client still waits for SRRES and then SRACC.
  Harness h(Role::participant);
  h.send_srreq();
  h.take_sm();
  h.feed(build::sracc(kSession, kUser, true, false, 5004, kGroup));
  EXPECT_EQ(h.core.state(), State::registering);
  EXPECT_EQ(h.core.user().value, 0);
  EXPECT_EQ(h.count(EventKind::unexpected), 1u);
  h.feed(build::srres(kSession, true, false));
  EXPECT_EQ(h.core.state(), State::pending);
  h.feed(build::sracc(kSession, kUser, true, false, 5004, kGroup));
  EXPECT_EQ(h.core.state(), State::registered);
  EXPECT_EQ(h.core.user(), kUser);
}

TEST(ClientCoreRegister, Figure8ClosedModeSrresThenSrrej) {
  Harness h(Role::participant);
  h.core.register_to(RegisterParams{kSession, "carol", {}}, h.now);
  h.pump();
  h.feed(build::srres(kSession, true, false));
  h.feed(build::srrej(kSession, Reason::not_authorised, true, false));
  EXPECT_EQ(h.core.state(), State::failed);
  EXPECT_EQ(h.last(EventKind::rejected)->reason, Reason::not_authorised);
  EXPECT_EQ(h.last(EventKind::rejected)->detail, "SRREJ");
}

TEST(ClientCoreRegister, UnknownSessionSrrej) {
  Harness h(Role::participant);
  h.send_srreq();
  h.feed(build::srrej(kSession, Reason::unknown_session, false, false));
  EXPECT_EQ(h.core.state(), State::failed);
  EXPECT_EQ(h.last(EventKind::rejected)->reason, Reason::unknown_session);
}

TEST(ClientCoreRegister, SrresOfOpenSessionAndSecondSrresAreUnexpected) {
  Harness h(Role::participant);
  h.send_srreq();
  h.feed(build::srres(kSession, false, false));  // M = 0: open sessions send no SRRES
  EXPECT_EQ(h.core.state(), State::registering);
  h.feed(build::srres(kSession, true, false));
  h.feed(build::srres(kSession, true, false));
  EXPECT_EQ(h.core.state(), State::pending);
  EXPECT_EQ(h.count(EventKind::unexpected), 2u);
}

TEST(ClientCoreRegister, AnswerForAnotherSessionIsUnexpected) {
  Harness h(Role::participant);
  h.send_srreq();
  h.feed(build::sracc(SessionId{7}, kUser, false, false, 5004, kGroup));
  EXPECT_EQ(h.core.state(), State::registering);
  EXPECT_EQ(h.core.user().value, 0);
  EXPECT_EQ(h.count(EventKind::unexpected), 1u);
}

TEST(ClientCoreJoin, Figure23SecureJoinInstallsTheKey) {
  Harness h(Role::participant);
  h.register_open(true);
  const auto k = key_of(3, 0x42);
  h.join(&k);
  EXPECT_EQ(h.core.key_epoch(), 3);
  EXPECT_EQ(h.core.key(), k.key);
  const Event* e = h.last(EventKind::key);
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(e->epoch, 3);
  EXPECT_EQ(e->detail, "SJRES");
}

TEST(ClientCoreJoin, SjresForAnotherUserIsUnexpected) {
  Harness h(Role::participant);
  h.register_open();
  h.core.join(h.now);
  h.pump();
  h.feed(build::sjres(kSession, UserId{1}, false, false, 5004, kGroup, nullptr));
  EXPECT_EQ(h.core.state(), State::joining);
  EXPECT_EQ(h.count(EventKind::unexpected), 1u);
}

TEST(ClientCoreJoin, JoinTimeoutReturnsToRegistered) {
  Timing t;
  t.sm_answer = Duration{100};
  Harness h(Role::participant, t);
  h.register_open();
  h.core.join(h.now);
  h.pump();
  h.advance(Duration{100});
  EXPECT_EQ(h.core.state(), State::registered);
  EXPECT_EQ(h.last(EventKind::timeout)->detail, "answer to SJREQ");
}

TEST(ClientCoreJoin, SecondSmRequestWhileOneIsOutstandingIsRefused) {
  Harness h(Role::participant);
  h.register_open();
  h.core.join(h.now);
  h.core.join(h.now);
  h.pump();
  EXPECT_EQ(h.count(EventKind::error), 1u);
}

TEST(ClientCoreJoin, Figure11LateJoinActivatesOnTheCurrentRound) {
  Harness h(Role::participant);
  h.register_open();
  h.join();
  h.core.activate(kMmPort, h.now);
  h.pump();
  SmMessage sa = h.take_sm();
  EXPECT_EQ(sa.type, SmType::SAREQ);
  ASSERT_NE(find<opt::MmPort>(sa.options), nullptr);
  EXPECT_EQ(find<opt::MmPort>(sa.options)->port, kMmPort);
  EXPECT_EQ(h.core.state(), State::activating);
  h.feed(build::kareq(h.ctx(Mode::open), kUser, MemberType::participant, 41));
  MmMessage ka = h.take_mm();
  EXPECT_EQ(ka.type, MmType::KARES);
  EXPECT_EQ(find<opt::KaSeq>(ka.options)->round, 41u);
  EXPECT_EQ(h.core.state(), State::active);
}

TEST(ClientCoreJoin, RejoinWhileActiveKeepsActive) {
  Harness h(Role::participant);
  h.make_active();
  h.rejoin();
  h.feed(build::sjres(kSession, kUser, false, false, 5004, kGroup, nullptr));
  EXPECT_EQ(h.core.state(), State::active);
}

}  // namespace
}  // namespace gmp::client::test
