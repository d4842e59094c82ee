// Figure 14 (client MM algorithm) and the member's side of Figures 12, 18, 19, 24: KAREQ
// answered at once echoing KA-SEQ, UIREQ retransmission and LIST-PART reassembly, LVREQ,
// keys by epoch, TRIND ends the session.
#include "fake_server.hpp"

namespace gmp::client::test {
namespace {

class ClientCoreMm : public ::testing::Test {
 protected:
  Harness h{Role::participant, [] {
              Timing t;
              t.uireq_retry = Duration{250};
              t.uireq_tries = 3;
              return t;
            }()};
  void SetUp() override {
    h.register_open(true);
    const auto k = key_of(1, 0x11);
    h.join(&k);
    h.activate(0);
  }
  MmMessage kareq(std::uint32_t round) {
    return build::kareq(h.ctx(Mode::open), kUser, MemberType::participant, round);
  }
};

TEST_F(ClientCoreMm, EveryKareqIsAnsweredAtOnceEchoingKaSeq) {
  for (std::uint32_t r = 1; r <= 5; ++r) {
    h.feed(kareq(r));
    ASSERT_EQ(h.unread(), 1u);  // within the round: in the same step, no deadline needed
    MmMessage ka = h.take_mm();
    EXPECT_EQ(ka.type, MmType::KARES);
    EXPECT_EQ(ka.session, kSession);
    EXPECT_EQ(ka.user, kUser);
    EXPECT_EQ(ka.mode, static_cast<std::uint8_t>(Mode::open));
    EXPECT_EQ(ka.ka_period.value, 0);  // profile 3: 0 in a member's message
    ASSERT_NE(find<opt::KaSeq>(ka.options), nullptr);
    EXPECT_EQ(find<opt::KaSeq>(ka.options)->round, r);
  }
  EXPECT_EQ(h.core.last_round(), 5u);
  EXPECT_EQ(h.core.ka_period().value, 1);
}

TEST_F(ClientCoreMm, KaValuesChangeIsReported) {
  const std::size_t before = h.count(EventKind::keepalive);
  auto m = kareq(1);
  m.ka_period = KaUnits{20};
  m.ka_timeout = KaUnits{7};
  h.feed(m);
  EXPECT_EQ(h.count(EventKind::keepalive), before + 1);
  EXPECT_EQ(h.core.ka_period().value, 20);
  EXPECT_EQ(h.core.ka_timeout().value, 7);
}

TEST_F(ClientCoreMm, StaleRoundIsReportedAndStillAnswered) {
  h.feed(kareq(9));
  h.take_mm();
  h.feed(kareq(4));
  EXPECT_EQ(h.count(EventKind::stale_round), 1u);
  EXPECT_EQ(find<opt::KaSeq>(h.take_mm().options)->round, 4u);
  EXPECT_EQ(h.core.last_round(), 9u);
}

TEST_F(ClientCoreMm, MutedMemberStaysSilentUntilUnmuted) {
  h.core.set_muted(true);
  h.feed(kareq(1));
  h.feed(kareq(2));
  EXPECT_EQ(h.unread(), 0u);
  h.core.set_muted(false);
  h.feed(kareq(3));
  EXPECT_EQ(find<opt::KaSeq>(h.take_mm().options)->round, 3u);
}

TEST_F(ClientCoreMm, Figure18UireqAndMultiPartUiresInAnyOrder) {
  h.core.request_members(h.now);
  h.pump();
  MmMessage rq = h.take_mm();
  EXPECT_EQ(rq.type, MmType::UIREQ);
  std::vector<opt::MemberEntry> list;
  for (std::uint16_t i = 1; i <= 400; ++i) list.push_back({UserId{i}, 1});
  auto parts = build::uires(h.ctx(Mode::open), kUser, MemberType::participant, list, 12u);
  ASSERT_GT(parts.size(), 1u);
  for (std::size_t i = parts.size(); i-- > 0;) h.feed(parts[i]);  // last part first
  const Event* e = h.last(EventKind::members);
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(e->members.size(), 400u);
  EXPECT_EQ(e->member_count, 12u);
  EXPECT_EQ(e->parts, parts.size());
  EXPECT_FALSE(h.core.awaiting_members());
  h.advance(Duration{10000});
  EXPECT_EQ(h.take_count(MmType::UIREQ), 0u);  // complete: no retransmission
}

TEST_F(ClientCoreMm, DuplicatePartAndCountMismatchAreUnexpected) {
  h.core.request_members(h.now);
  h.pump();
  h.take_mm();
  std::vector<opt::MemberEntry> list;
  for (std::uint16_t i = 1; i <= 300; ++i) list.push_back({UserId{i}, 1});
  auto parts = build::uires(h.ctx(Mode::closed), kUser, MemberType::participant, list, std::nullopt);
  ASSERT_GE(parts.size(), 2u);
  h.feed(parts[0]);
  h.feed(parts[0]);
  auto odd = parts[1];
  for (auto& o : odd.options)
    if (auto* lp = std::get_if<opt::ListPart>(&o)) lp->count = 9;
  h.feed(odd);
  EXPECT_EQ(h.count(EventKind::unexpected), 2u);
  EXPECT_EQ(h.count(EventKind::members), 0u);
  for (std::size_t i = 1; i < parts.size(); ++i) h.feed(parts[i]);
  ASSERT_EQ(h.count(EventKind::members), 1u);
  EXPECT_EQ(h.last(EventKind::members)->members.size(), 300u);
}

TEST_F(ClientCoreMm, UireqRetransmittedOnTimeoutThenGivesUp) {
  h.core.request_members(h.now);
  h.pump();
  EXPECT_EQ(h.take_mm().type, MmType::UIREQ);
  h.advance(Duration{249});
  EXPECT_EQ(h.take_count(MmType::UIREQ), 0u);
  h.advance(Duration{1});
  EXPECT_EQ(h.take_count(MmType::UIREQ), 1u);
  h.advance(Duration{250});
  EXPECT_EQ(h.take_count(MmType::UIREQ), 1u);
  h.advance(Duration{250});
  EXPECT_EQ(h.take_count(MmType::UIREQ), 0u);  // 3 tries in all
  EXPECT_EQ(h.last(EventKind::timeout)->detail, "UIRES");
  EXPECT_FALSE(h.core.awaiting_members());
}

TEST_F(ClientCoreMm, UnsolicitedUiresIsUnexpected) {
  auto parts = build::uires(h.ctx(Mode::open), kUser, MemberType::participant, {{kUser, 1}}, 0u);
  h.feed(parts[0]);
  EXPECT_EQ(h.count(EventKind::members), 0u);
  EXPECT_EQ(h.count(EventKind::unexpected), 1u);
}

TEST_F(ClientCoreMm, Figure24KdupTInstallsNewerEpochsOnly) {
  h.feed(build::kdupt(h.ctx(Mode::open), kUser, MemberType::participant, key_of(2, 0x22)));
  EXPECT_EQ(h.core.key_epoch(), 2);
  EXPECT_EQ(h.core.key(), key_of(2, 0x22).key);
  EXPECT_EQ(h.last(EventKind::key)->detail, "KDUPT");
  h.feed(build::kdupt(h.ctx(Mode::open), kUser, MemberType::participant, key_of(1, 0x99)));
  h.feed(build::kdupt(h.ctx(Mode::open), kUser, MemberType::participant, key_of(2, 0x98)));
  EXPECT_EQ(h.core.key_epoch(), 2);
  EXPECT_EQ(h.core.key(), key_of(2, 0x22).key);  // stale epochs ignored
  EXPECT_EQ(h.count(EventKind::key_ignored), 2u);
  EXPECT_EQ(h.last(EventKind::key_ignored)->current_epoch, 2);
  h.feed(build::kdupt(h.ctx(Mode::open), kUser, MemberType::participant, key_of(5, 0x55)));
  EXPECT_EQ(h.core.key_epoch(), 5);
}

// Profile 6.6: epochs are serial numbers; 1 follows 65,535, and 0 is never a key's epoch.
TEST_F(ClientCoreMm, EpochsWrapAsSerialNumbers) {
  for (std::uint16_t e : {30000, 60000, 65535}) {  // each less than half the circle ahead
    h.feed(build::kdupt(h.ctx(Mode::open), kUser, MemberType::participant, key_of(e, 0x11)));
    EXPECT_EQ(h.core.key_epoch(), e);
  }
  h.feed(build::kdupt(h.ctx(Mode::open), kUser, MemberType::participant, key_of(1, 0x12)));
  EXPECT_EQ(h.core.key_epoch(), 1);  // newer across the wrap
  h.feed(build::kdupt(h.ctx(Mode::open), kUser, MemberType::participant, key_of(65535, 0x13)));
  h.feed(build::kdupt(h.ctx(Mode::open), kUser, MemberType::participant, key_of(40000, 0x14)));  // 1 + 39,999: behind
  h.feed(build::kdupt(h.ctx(Mode::open), kUser, MemberType::participant, key_of(0, 0x15)));
  EXPECT_EQ(h.core.key_epoch(), 1);
  EXPECT_EQ(h.core.key(), key_of(1, 0x12).key);
  EXPECT_EQ(h.count(EventKind::key_ignored), 3u);
}

TEST_F(ClientCoreMm, Figure19LeaveStopsAnsweringKeepalives) {
  h.core.leave(h.now);
  h.pump();
  MmMessage lv = h.take_mm();
  EXPECT_EQ(lv.type, MmType::LVREQ);
  EXPECT_EQ(lv.user, kUser);
  EXPECT_EQ(h.core.state(), State::joined);
  h.feed(kareq(7));  // a KAREQ in flight: not polled any more, not answered
  EXPECT_EQ(h.unread(), 0u);
  EXPECT_EQ(h.count(EventKind::unexpected), 1u);
  // Joined members still get KDUPT (profile 6.6).
  h.feed(build::kdupt(h.ctx(Mode::open), kUser, MemberType::participant, key_of(4, 0x44)));
  EXPECT_EQ(h.core.key_epoch(), 4);
  // And may come back with SAREQ (late join, Figure 11).
  h.core.activate(kMmPort, h.now);
  h.pump();
  h.take_sm();
  h.feed(kareq(8));
  EXPECT_EQ(h.take_mm().type, MmType::KARES);
  EXPECT_EQ(h.core.state(), State::active);
}

TEST_F(ClientCoreMm, TrindEndsTheSession) {
  h.core.request_members(h.now);
  h.pump();
  h.take_mm();
  h.feed(build::trind(h.ctx(Mode::open), kUser, MemberType::participant));
  EXPECT_EQ(h.core.state(), State::ended);
  EXPECT_EQ(h.core.next_deadline(), std::nullopt);  // the UIREQ is abandoned too
  h.feed(kareq(3));
  EXPECT_EQ(h.unread(), 0u);  // nothing answered after the end
  h.core.leave(h.now);
  h.core.request_members(h.now);
  h.pump();
  EXPECT_EQ(h.unread(), 0u);
}

TEST_F(ClientCoreMm, MessagesForSomeoneElseAreNotAnswered) {
  h.feed(build::kareq(h.ctx(Mode::open), UserId{1}, MemberType::participant, 1));
  auto other = h.ctx(Mode::open);
  other.session = SessionId{1};
  h.feed(build::kareq(other, kUser, MemberType::participant, 1));
  h.feed(build::trind(other, kUser, MemberType::participant));
  EXPECT_EQ(h.unread(), 0u);
  EXPECT_EQ(h.count(EventKind::unexpected), 3u);
  EXPECT_EQ(h.core.state(), State::active);
}

TEST_F(ClientCoreMm, MemberMessagesFromTheServerFlowTheWrongWay) {
  h.feed(build::kares(kSession, kUser, MemberType::participant, Mode::open, 1));
  h.feed(build::trreq(kSession, kUser, Mode::open));
  EXPECT_EQ(h.count(EventKind::unexpected), 2u);
  EXPECT_EQ(h.core.state(), State::active);
  EXPECT_EQ(h.unread(), 0u);
}

// Profile 6.1 [P], coming back: active in our view, no LVREQ, and no KAREQ for 2 KA periods
// plus the KA timeout (here 1, 1: 300 ms) -> one KARES without KA-SEQ, then once per KA period
// (100 ms), until a KAREQ arrives; then the silence is counted again from that KAREQ.
TEST_F(ClientCoreMm, SilentTooLongComesBackWithKaresWithoutKaSeq) {
  h.advance(Duration{299});
  EXPECT_EQ(h.unread(), 0u);
  h.advance(Duration{1});
  ASSERT_EQ(h.unread(), 1u);
  MmMessage back = h.take_mm();
  EXPECT_EQ(back.type, MmType::KARES);
  EXPECT_EQ(back.session, kSession);
  EXPECT_EQ(back.user, kUser);
  EXPECT_EQ(find<opt::KaSeq>(back.options), nullptr);  // no KA-SEQ: it answers no round
  h.advance(Duration{99});
  EXPECT_EQ(h.unread(), 0u);  // at most once per KA period
  h.advance(Duration{1});
  EXPECT_EQ(find<opt::KaSeq>(h.take_mm().options), nullptr);
  h.advance(Duration{1000});
  EXPECT_EQ(h.unread(), 10u);  // one per period over 1 s, never more
  h.seen_sent = h.sent.size();
  h.feed(kareq(6));  // polled again: answered, and the KARES stop
  EXPECT_EQ(find<opt::KaSeq>(h.take_mm().options)->round, 6u);
  h.advance(Duration{299});
  EXPECT_EQ(h.unread(), 0u);
  h.advance(Duration{1});
  EXPECT_EQ(h.unread(), 1u);
}

// The last KA values seen set the silence: period 20 and timeout 7 (100 ms units) -> 4.7 s.
TEST_F(ClientCoreMm, ComingBackUsesTheLastKaValues) {
  auto m = kareq(1);
  m.ka_period = KaUnits{20};
  m.ka_timeout = KaUnits{7};
  h.feed(m);
  h.take_mm();
  h.advance(Duration{4699});
  EXPECT_EQ(h.unread(), 0u);
  h.advance(Duration{1});
  EXPECT_EQ(h.unread(), 1u);
  h.advance(Duration{1999});
  EXPECT_EQ(h.unread(), 1u);
  h.advance(Duration{1});
  EXPECT_EQ(h.unread(), 2u);
}

// Not after LVREQ (profile 6.1: "has not sent LVREQ"), not once the session is over, and a
// muted member stays silent.
TEST_F(ClientCoreMm, NoComingBackAfterLeaveEndOrWhileMuted) {
  h.core.set_muted(true);
  h.advance(Duration{2000});
  EXPECT_EQ(h.unread(), 0u);
  h.core.set_muted(false);
  h.advance(Duration{100});
  EXPECT_EQ(h.unread(), 1u);  // unmuted: it comes back within a period
  h.seen_sent = h.sent.size();
  h.core.leave(h.now);
  h.pump();
  EXPECT_EQ(h.take_mm().type, MmType::LVREQ);
  h.advance(Duration{2000});
  EXPECT_EQ(h.unread(), 0u);
}

TEST_F(ClientCoreMm, NoComingBackOnceTheSessionEnded) {
  h.feed(build::trind(h.ctx(Mode::open), kUser, MemberType::participant));
  h.advance(Duration{2000});
  EXPECT_EQ(h.unread(), 0u);
  EXPECT_EQ(h.core.next_deadline(), std::nullopt);
}

// Profile 6.4: MEMBER-COUNT is carried by part 1 only; a count in another part is ignored.
TEST_F(ClientCoreMm, MemberCountIsTakenFromPartOneOnly) {
  h.core.request_members(h.now);
  h.pump();
  h.take_mm();
  std::vector<opt::MemberEntry> list;
  for (std::uint16_t i = 1; i <= 300; ++i) list.push_back({UserId{i}, 1});
  auto parts = build::uires(h.ctx(Mode::open), kUser, MemberType::participant, list, 12u);
  ASSERT_GE(parts.size(), 2u);
  parts[1].options.push_back(opt::MemberCount{99});  // a stray count, after part 1's
  for (const auto& part : parts) h.feed(part);
  ASSERT_EQ(h.count(EventKind::members), 1u);
  EXPECT_EQ(h.last(EventKind::members)->member_count, 12u);

  h.core.request_members(h.now);  // part 1 without a count: no count at all
  h.pump();
  h.take_mm();
  auto closed = build::uires(h.ctx(Mode::open), kUser, MemberType::participant, list, std::nullopt);
  closed[1].options.push_back(opt::MemberCount{99});
  for (const auto& part : closed) h.feed(part);
  ASSERT_EQ(h.count(EventKind::members), 2u);
  EXPECT_EQ(h.last(EventKind::members)->member_count, std::nullopt);
}

TEST(ClientCoreMmPlain, KdupTInOpenSessionWithoutSecurityIsUnexpected) {
  Harness h(Role::participant);
  h.register_open(false);
  h.join();
  h.activate();
  h.feed(build::kdupt(h.ctx(Mode::open), kUser, MemberType::participant, key_of(2, 1)));
  EXPECT_EQ(h.core.key_epoch(), 0);
  EXPECT_EQ(h.count(EventKind::unexpected), 1u);
}

TEST(ClientCoreMmPlain, MmBeforeSareqIsUnexpected) {
  Harness h(Role::participant);
  h.register_open();
  h.join();
  h.feed(build::kareq(h.ctx(Mode::open), kUser, MemberType::participant, 1));
  EXPECT_EQ(h.unread(), 0u);
  EXPECT_EQ(h.count(EventKind::unexpected), 1u);
}

}  // namespace
}  // namespace gmp::client::test
