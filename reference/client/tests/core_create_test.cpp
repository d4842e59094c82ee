// The creator's side: Figures 4, 5 (creation), 9, 10 (join, activation), 21 (TRREQ until
// TRIND), SDREQ/SDRES (Table 1). Fake server, fake clock.
#include "fake_server.hpp"

namespace gmp::client::test {
namespace {

TEST(ClientCoreCreate, Figure4ScreqScinfSccon) {
  Harness h(Role::creator);
  CreateParams p;
  p.client_name = "alice";
  p.secure = true;
  p.closed = true;
  p.session_name = "weekly call";
  p.extra = {opt::Keepalive{KaUnits{1}, KaUnits{1}, 2}, opt::BaseMember{"bob"},
             opt::Allow{"carol"}, opt::AccessKey{{1, 2, 3}}};
  h.core.create(p, h.now);
  h.pump();
  EXPECT_EQ(h.core.state(), State::creating);
  SmMessage screq = h.take_sm();
  EXPECT_EQ(screq.type, SmType::SCREQ);
  EXPECT_TRUE(screq.secure);
  ASSERT_NE(find<opt::ClientName>(screq.options), nullptr);
  EXPECT_EQ(find<opt::ClientName>(screq.options)->value, "alice");

  h.feed(build::scacc(kSession, kUser, true));
  EXPECT_EQ(h.core.state(), State::describing);
  SmMessage scinf = h.take_sm();  // at once, on the same connection (profile 5.1 step 3)
  EXPECT_EQ(scinf.type, SmType::SCINF);
  EXPECT_TRUE(scinf.info);
  EXPECT_TRUE(scinf.closed);
  EXPECT_TRUE(scinf.secure);
  EXPECT_EQ(scinf.session, kSession);
  EXPECT_EQ(scinf.user, kUser);
  EXPECT_EQ(find<opt::SessionName>(scinf.options)->value, "weekly call");
  EXPECT_EQ(find<opt::Keepalive>(scinf.options)->miss_limit, 2);
  EXPECT_EQ(find<opt::BaseMember>(scinf.options)->name, "bob");
  EXPECT_EQ(find<opt::Allow>(scinf.options)->name, "carol");
  EXPECT_EQ(find<opt::AccessKey>(scinf.options)->bytes.size(), 3u);

  h.feed(build::sccon(kSession, kUser, true, true, 5004, kGroup));
  EXPECT_EQ(h.core.state(), State::registered);
  EXPECT_EQ(h.core.session(), kSession);
  EXPECT_EQ(h.core.user(), kUser);
  EXPECT_EQ(h.core.group_port(), 5004);
  EXPECT_EQ(h.core.group_address(), kGroup);
  EXPECT_EQ(h.core.next_deadline(), std::nullopt);  // nothing outstanding
}

TEST(ClientCoreCreate, Figure5ScrejOnScreqReportsReasonAndFails) {
  Harness h(Role::creator);
  h.core.create(cp("mallory"), h.now);
  h.pump();
  h.take_sm();
  h.feed(build::screj(Reason::not_authorised, false));
  EXPECT_EQ(h.core.state(), State::failed);
  ASSERT_NE(h.last(EventKind::rejected), nullptr);
  EXPECT_EQ(h.last(EventKind::rejected)->reason, Reason::not_authorised);
  EXPECT_EQ(h.last(EventKind::rejected)->detail, "SCREJ");
  EXPECT_EQ(h.unread(), 0u);  // no SCINF after a refusal
}

TEST(ClientCoreCreate, Figure5ScrejOnScinf) {
  Harness h(Role::creator);
  h.core.create(cp("alice"), h.now);
  h.pump();
  h.take_sm();
  h.feed(build::scacc(kSession, kUser, false));
  h.take_sm();
  h.feed(build::screj(Reason::invalid_request, false));
  EXPECT_EQ(h.core.state(), State::failed);
  EXPECT_EQ(h.last(EventKind::rejected)->reason, Reason::invalid_request);
}

TEST(ClientCoreCreate, NoAnswerTimesOut) {
  Timing t;
  t.sm_answer = Duration{200};
  Harness h(Role::creator, t);
  h.core.create(cp("alice"), h.now);
  h.pump();
  h.advance(Duration{199});
  EXPECT_EQ(h.core.state(), State::creating);
  h.advance(Duration{1});
  EXPECT_EQ(h.core.state(), State::failed);
  EXPECT_EQ(h.count(EventKind::timeout), 1u);
  // A late SCACC now answers nothing: reported, no SCINF.
  h.feed(build::scacc(kSession, kUser, false));
  EXPECT_EQ(h.count(EventKind::unexpected), 1u);
  EXPECT_EQ(h.core.state(), State::failed);
}

TEST(ClientCoreCreate, ConnectionClosedWhileCreatingFails) {
  Harness h(Role::creator);
  h.core.create(cp("alice"), h.now);
  h.core.handle_sm_closed(h.now);
  h.pump();
  EXPECT_EQ(h.core.state(), State::failed);
  EXPECT_EQ(h.core.next_deadline(), std::nullopt);
}

TEST(ClientCoreCreate, JoinActivateAndTerminateByTrreqUntilTrind) {
  Harness h(Role::creator, trreq_timing(Duration{300}, 3));
  h.make_active();
  h.core.terminate(h.now);
  h.pump();
  MmMessage tr = h.take_mm();
  EXPECT_EQ(tr.type, MmType::TRREQ);
  EXPECT_EQ(tr.session, kSession);
  EXPECT_EQ(tr.user, kUser);
  EXPECT_EQ(tr.member_type, static_cast<std::uint8_t>(MemberType::creator));
  h.advance(Duration{299});
  EXPECT_EQ(h.unread(), 0u);
  h.advance(Duration{1});
  EXPECT_EQ(h.take_mm().type, MmType::TRREQ);  // retransmitted: no TRIND yet
  h.feed(build::trind(h.ctx(), kUser, MemberType::creator));
  EXPECT_EQ(h.core.state(), State::ended);
  EXPECT_EQ(h.last(EventKind::ended)->detail, "TRIND");
  h.seen_sent = h.sent.size();  // (a coming-back KARES went out at 300 ms too, profile 6.1)
  h.advance(Duration{5000});
  EXPECT_EQ(h.unread(), 0u);  // nothing after TRIND: no TRREQ, no KARES
}

TEST(ClientCoreCreate, Figure20CreatorLvreqThenTrindEndsTheSession) {
  Harness h(Role::creator);
  h.make_active();
  h.core.leave(h.now);
  h.pump();
  MmMessage lv = h.take_mm();
  EXPECT_EQ(lv.type, MmType::LVREQ);
  EXPECT_EQ(lv.member_type, static_cast<std::uint8_t>(MemberType::creator));
  EXPECT_EQ(h.core.state(), State::joined);
  // Profile 6.3: the creator's LVREQ ends the session; TRIND reaches the creator too.
  h.feed(build::trind(h.ctx(), kUser, MemberType::creator));
  EXPECT_EQ(h.core.state(), State::ended);
  EXPECT_EQ(h.last(EventKind::ended)->detail, "TRIND");
}

TEST(ClientCoreCreate, TrreqRetransmissionIsBounded) {
  Harness h(Role::creator, trreq_timing(Duration{100}, 3));
  h.make_active();
  h.core.terminate(h.now);
  h.pump();
  h.advance(Duration{10000});
  std::size_t trreqs = 0;
  while (h.unread() > 0) trreqs += h.take_mm().type == MmType::TRREQ;
  EXPECT_EQ(trreqs, 3u);
  EXPECT_EQ(h.last(EventKind::timeout)->detail, "TRIND");
  EXPECT_FALSE(h.core.terminating());  // only the coming back (profile 6.1) is still timed
  EXPECT_EQ(h.core.state(), State::active);  // no TRIND: nothing ended
}

TEST(ClientCoreCreate, TerminateNeedsAnMmAddress) {
  Harness h(Role::creator);
  h.create_session();
  h.core.terminate(h.now);
  h.pump();
  EXPECT_EQ(h.unread(), 0u);
  EXPECT_EQ(h.count(EventKind::error), 1u);
}

TEST(ClientCoreCreate, DeleteSucceeds) {
  Harness h(Role::creator);
  h.create_session();
  h.core.remove(h.now);
  h.pump();
  SmMessage sd = h.take_sm();
  EXPECT_EQ(sd.type, SmType::SDREQ);
  EXPECT_EQ(sd.session, kSession);
  EXPECT_EQ(sd.user, kUser);
  h.feed(build::sdres(kSession, kUser, Reason::success, true, false));
  EXPECT_EQ(h.count(EventKind::deleted), 1u);
  EXPECT_EQ(h.core.state(), State::ended);
}

TEST(ClientCoreCreate, DeleteRefusedChangesNothing) {
  Harness h(Role::creator);
  h.create_session();
  h.core.remove(h.now);
  h.pump();
  h.take_sm();
  h.feed(build::sdres(kSession, kUser, Reason::not_authorised, true, false));
  EXPECT_EQ(h.core.state(), State::registered);
  EXPECT_EQ(h.last(EventKind::rejected)->reason, Reason::not_authorised);
  EXPECT_EQ(h.last(EventKind::rejected)->detail, "SDRES");
}

TEST(ClientCoreCreate, TrindBeforeSdresStillReportsDeletion) {
  Harness h(Role::creator);
  h.make_active();
  h.core.remove(h.now);
  h.pump();
  h.take_sm();
  h.feed(build::trind(h.ctx(), kUser, MemberType::creator));  // profile 5.6: TRIND first
  EXPECT_EQ(h.core.state(), State::ended);
  h.feed(build::sdres(kSession, kUser, Reason::success, true, false));
  EXPECT_EQ(h.count(EventKind::deleted), 1u);
  EXPECT_EQ(h.count(EventKind::ended), 1u);
}

TEST(ClientCoreCreate, CreatorReattachesByRegisteringThenDeletes) {
  Harness h(Role::creator);
  h.core.register_to(RegisterParams{kSession, "alice", {}}, h.now);
  h.pump();
  EXPECT_EQ(h.take_sm().type, SmType::SRREQ);
  h.feed(build::sracc(kSession, kUser, false, false, 5004, kGroup));
  EXPECT_EQ(h.core.state(), State::registered);
  h.core.remove(h.now);
  h.pump();
  EXPECT_EQ(h.take_sm().type, SmType::SDREQ);
  h.core.create(cp("alice"), h.now);  // create after registering: refused
  h.pump();
  EXPECT_EQ(h.count(EventKind::error), 1u);
}

TEST(ClientCoreCreate, CommandsOutOfStateAreRefused) {
  Harness h(Role::creator);
  h.core.join(h.now);
  h.core.activate(kMmPort, h.now);
  h.core.request_members(h.now);
  h.core.leave(h.now);
  h.core.remove(h.now);
  h.pump();
  EXPECT_EQ(h.unread(), 0u);
  EXPECT_EQ(h.count(EventKind::error), 5u);
  EXPECT_EQ(h.core.state(), State::idle);
}

}  // namespace
}  // namespace gmp::client::test
