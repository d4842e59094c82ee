// Unit tests of the standing checks (match/standing.hpp): a closed secure session played on the
// wire (SCREQ .. SAREQ), then one server message at a time, right and wrong.
#include <gmp/message.hpp>
#include <gtest/gtest.h>

#include "match/standing.hpp"
#include "matcher.hpp"

using namespace conform;
using namespace conform::match;

namespace {

const gmp::SessionId sid{0x3a5c};
const gmp::UserId creator{0x1111};
const gmp::UserId alice{0xc0de};
const gmp::Ipv4 group{0xEFFF0A14};  // 239.255.10.20
constexpr std::uint16_t gport = 5004;
constexpr std::uint16_t a_port = 40000;

class StandingTest : public ::testing::Test {
 protected:
  Standing st{50};

  std::optional<Violation> play(const std::string& line, bool to_server, const std::vector<std::uint8_t>& bytes,
                                bool sm, double t = 0, std::uint16_t port = 0) {
    Json msg = describe(sm, bytes);
    return st.observe({line, to_server, sm, port, &msg, bytes, t});
  }
  std::optional<Violation> sent(const std::string& line, const gmp::SmMessage& m) {
    return play(line, true, gmp::encode(m), true);
  }
  std::optional<Violation> got(const std::string& line, const gmp::SmMessage& m) {
    return play(line, false, gmp::encode(m), true);
  }
  std::optional<Violation> got_mm(const gmp::MmMessage& m, double t = 0, std::uint16_t port = a_port) {
    return play("A", false, gmp::encode(m), false, t, port);
  }

  gmp::build::MmContext ctx() const {
    return {sid, gmp::Mode::closed, gport, group, gmp::KaUnits{10}, gmp::KaUnits{5}};
  }
  gmp::MmMessage kareq(std::uint32_t round) const {
    return gmp::build::kareq(ctx(), alice, gmp::MemberType::participant, round);
  }

  void SetUp() override {
    ASSERT_FALSE(sent("creator", gmp::build::screq("creator", true)));
    ASSERT_FALSE(got("creator", gmp::build::scacc(sid, creator, true)));
    auto scinf = gmp::build::scinf(sid, creator, true, true, "talk", gport, group);
    scinf.options.emplace_back(gmp::opt::Allow{"alice"});
    ASSERT_FALSE(sent("creator", scinf));
    ASSERT_FALSE(got("creator", gmp::build::sccon(sid, creator, true, true, gport, group)));
    ASSERT_FALSE(sent("A", gmp::build::srreq(sid, "alice")));
    ASSERT_FALSE(got("A", gmp::build::srres(sid, true, true)));
    ASSERT_FALSE(got("A", gmp::build::sracc(sid, alice, true, true, gport, group)));
    ASSERT_FALSE(sent("A", gmp::build::sareq(sid, alice, a_port)));
  }
};

}  // namespace

TEST_F(StandingTest, RightMessagesPass) {
  gmp::opt::GroupKey key{1, std::vector<std::uint8_t>(16, 7)};
  EXPECT_FALSE(got("A", gmp::build::sjres(sid, alice, true, true, gport, group, &key)));
  EXPECT_FALSE(got_mm(kareq(0), 5));
  EXPECT_FALSE(got_mm(kareq(1), 1000));
  EXPECT_FALSE(got_mm(kareq(2), 2000));
  EXPECT_FALSE(got_mm(kareq(2), 2500));  // the KAREQ answering a second SAREQ: the current round
  EXPECT_FALSE(got_mm(kareq(5), 5300));  // rounds the tester did not see, late: allowed
  EXPECT_FALSE(got_mm(gmp::build::kdupt(ctx(), alice, gmp::MemberType::participant, key), 5400));
  EXPECT_FALSE(got_mm(gmp::build::trind(ctx(), alice, gmp::MemberType::participant), 5500));
}

TEST_F(StandingTest, KaPeriodOfTheSession) {
  auto m = kareq(1);
  m.ka_period = gmp::KaUnits{11};
  auto v = got_mm(m, 1000);
  ASSERT_TRUE(v);
  EXPECT_EQ(v->reason, "KAREQ #1 to A: KA period 11, session's is 10 (profile 3)");
  EXPECT_EQ(v->field, "KA period");
  m = kareq(1);
  m.ka_timeout = gmp::KaUnits{4};
  EXPECT_EQ(got_mm(m, 1000)->field, "KA timeout");
}

TEST_F(StandingTest, RecipientGroupModeAndMemberType) {
  auto m = kareq(1);
  m.user = gmp::UserId{0xc0df};
  EXPECT_EQ(got_mm(m)->field, "user_id");
  EXPECT_EQ(got_mm(kareq(1), 0, a_port + 1)->field, "user_id");  // to a port the member never announced
  m = kareq(1);
  m.member_type = static_cast<std::uint8_t>(gmp::MemberType::base);
  EXPECT_EQ(got_mm(m)->field, "member type");
  m = kareq(1);
  m.group_address.value ^= 1;
  EXPECT_EQ(got_mm(m)->field, "group");
  m = kareq(1);
  m.mode = static_cast<std::uint8_t>(gmp::Mode::open);
  EXPECT_EQ(got_mm(m)->field, "mode");
}

TEST_F(StandingTest, ReservedFieldsAndKeyLength) {
  auto m = kareq(1);
  m.r = true;
  EXPECT_EQ(got_mm(m)->field, "R");
  m = kareq(1);
  m.reserved = 1;
  EXPECT_EQ(got_mm(m)->field, "reserved");
  m = kareq(1);
  m.key_length = 16;
  EXPECT_EQ(got_mm(m)->reason, "KAREQ #3 to A: key_length 16, 0 outside KDUPT (profile 3)");
  auto s = gmp::build::srres(sid, true, true);
  s.q = true;
  EXPECT_EQ(got("A", s)->field, "Q");
  s = gmp::build::srres(sid, true, true);
  s.reserved = 2;
  EXPECT_EQ(got("A", s)->field, "reserved");
}

TEST_F(StandingTest, OptionPaddingAndMemberListReservedByte) {
  auto bytes = gmp::encode(kareq(1));  // KA-SEQ: 2 + 4 bytes, 2 bytes of padding
  bytes.back() = 1;
  auto v = play("A", false, bytes, false, 0, a_port);
  ASSERT_TRUE(v);
  EXPECT_EQ(v->field, "options");
  EXPECT_NE(v->reason.find("option padding byte 1 at offset 23"), std::string::npos) << v->reason;
  auto parts = gmp::build::uires(ctx(), alice, gmp::MemberType::participant,
                                 {{creator, 4}, {alice, 1}}, std::nullopt);
  auto ui = gmp::encode(parts.at(0));
  EXPECT_FALSE(play("A", false, ui, false, 0, a_port));
  EXPECT_EQ(option_area_fault(ui), "");
  ui[ui.size() - 3] = 9;  // the last entry's reserved byte (2 bytes of padding follow)
  EXPECT_NE(option_area_fault(ui).find("MEMBER-LIST entry reserved byte 9"), std::string::npos);
}

TEST_F(StandingTest, ModeAndSecurityFlagsInAnswers) {
  EXPECT_EQ(got("A", gmp::build::srres(sid, false, true))->field, "M");
  EXPECT_EQ(got("A", gmp::build::sracc(sid, alice, true, false, gport, group))->field, "S");
  // SRREJ REASON 4 is about no known session: M and S are not judged
  EXPECT_FALSE(got("A", gmp::build::srrej(sid, gmp::Reason::unknown_session, false, false)));
  auto acc = gmp::build::scacc(gmp::SessionId{9}, creator, true);
  acc.closed = true;
  EXPECT_EQ(got("creator", acc)->reason, "SCACC to creator: M 1, M = 0 in SCACC (profile 2)");
}

TEST_F(StandingTest, IdsInRefusals) {
  auto rej = gmp::build::srrej(sid, gmp::Reason::not_authorised, true, true);
  rej.user = alice;
  EXPECT_EQ(got("A", rej)->reason, "SRREJ to A: user_id 49374, must be 0 (profile 2)");
  auto other = gmp::build::srrej(gmp::SessionId{0x9999}, gmp::Reason::unknown_session, false, false);
  EXPECT_EQ(got("A", other)->field, "session_id");
  auto screj = gmp::build::screj(gmp::Reason::invalid_request, false);
  screj.session = sid;
  EXPECT_EQ(got("creator", screj)->field, "session_id");
  EXPECT_EQ(got("creator", gmp::build::screj(gmp::Reason::secure_unsupported, false))->field, "S");
}

TEST_F(StandingTest, GroupFieldsInSm) {
  gmp::opt::GroupKey key{1, std::vector<std::uint8_t>(16, 7)};
  auto sj = gmp::build::sjres(sid, alice, true, true, gport, gmp::Ipv4{group.value ^ 1}, &key);
  EXPECT_EQ(got("A", sj)->field, "group");
  auto res = gmp::build::srres(sid, true, true);
  res.group_port = gport;
  EXPECT_EQ(got("A", res)->field, "group");
}

TEST_F(StandingTest, KeyLengthInSjres) {
  gmp::opt::GroupKey key{1, std::vector<std::uint8_t>(16, 7)};
  auto sj = gmp::build::sjres(sid, alice, true, true, gport, group, &key);
  sj.key_length = 8;  // the codec itself refuses a key length other than the key's
  EXPECT_TRUE(got("A", sj));
  auto kd = gmp::build::kdupt(ctx(), alice, gmp::MemberType::participant, key);
  kd.key_length = 15;
  EXPECT_TRUE(got_mm(kd));
}

TEST_F(StandingTest, RoundsComeOneKaPeriodApart) {
  EXPECT_FALSE(got_mm(kareq(1), 1000));  // answers the SAREQ: not a round start
  EXPECT_FALSE(got_mm(kareq(2), 2000));
  EXPECT_FALSE(got_mm(kareq(3), 3040));  // late by 40 ms: allowed
  EXPECT_FALSE(got_mm(kareq(4), 4000));
  auto v = got_mm(kareq(5), 4500);       // 500 ms early
  ASSERT_TRUE(v);
  EXPECT_TRUE(v->timing);
  EXPECT_EQ(v->field, "KA-SEQ");
  EXPECT_NE(v->reason.find("round 5 came 500 ms before its time"), std::string::npos) << v->reason;
}

TEST_F(StandingTest, KaSeqSkippingARoundIsEarly) {
  EXPECT_FALSE(got_mm(kareq(1), 1000));
  EXPECT_FALSE(got_mm(kareq(2), 2000));
  EXPECT_FALSE(got_mm(kareq(3), 3000));
  auto v = got_mm(kareq(5), 4000);
  ASSERT_TRUE(v);
  EXPECT_NE(v->reason.find("round 5 came 1000 ms before its time"), std::string::npos) << v->reason;
}

TEST_F(StandingTest, TheSareqAnswerLateInItsRoundDoesNotAnchorTheRounds) {
  EXPECT_FALSE(got_mm(kareq(1), 1990));  // the current round, 990 ms into it
  EXPECT_FALSE(got_mm(kareq(2), 2000));
  EXPECT_FALSE(got_mm(kareq(3), 3000));
  EXPECT_TRUE(got_mm(kareq(4), 3800));  // a round start 200 ms early still fails
}

TEST_F(StandingTest, ALateRoundCaughtUpAtOnceIsNotEarly) {
  EXPECT_FALSE(got_mm(kareq(0), 10));     // answers the SAREQ
  EXPECT_FALSE(got_mm(kareq(1), 1900));   // 900 ms late (a starved server)
  EXPECT_FALSE(got_mm(kareq(2), 2000));   // at once, back on schedule
  EXPECT_FALSE(got_mm(kareq(3), 3000));
  EXPECT_TRUE(got_mm(kareq(4), 3500));
}

TEST_F(StandingTest, KaSeqNeverGoesBackNorStays) {
  EXPECT_FALSE(got_mm(kareq(2), 2000));
  EXPECT_EQ(got_mm(kareq(1), 3000)->reason, "KAREQ #2 to A: KA-SEQ 1, round 2 was already sent (profile 6.1)");
  EXPECT_FALSE(got_mm(kareq(2), 2900));
  auto v = got_mm(kareq(2), 5100);  // the same round 3.1 periods later
  ASSERT_TRUE(v);
  EXPECT_NE(v->reason.find("one more each KA period"), std::string::npos) << v->reason;
}

TEST_F(StandingTest, InvalidOrWrongWayMessagesFail) {
  auto bytes = gmp::encode(gmp::build::srres(sid, true, true));
  bytes[3] ^= 1;  // checksum
  auto v = play("A", false, bytes, true);
  ASSERT_TRUE(v);
  EXPECT_EQ(v->reason, "SM message to A is invalid: bad_checksum (profile 2)");
  EXPECT_EQ(v->field, "checksum");
  EXPECT_EQ(v->section, "2");  // one section: the failure rests on exactly one profile decision
  EXPECT_EQ(got("A", gmp::build::srreq(sid, "x"))->field, "type");
  EXPECT_EQ(got_mm(gmp::build::kares(sid, alice, gmp::MemberType::participant, gmp::Mode::closed, 1))->field, "type");
}

TEST_F(StandingTest, SessionsTheCaseDidNotCreateAreNotJudgedByItsFacts) {
  auto m = kareq(1);
  m.session = gmp::SessionId{0x4444};
  m.ka_period = gmp::KaUnits{3};
  EXPECT_FALSE(got_mm(m));
}
