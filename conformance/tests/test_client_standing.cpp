// Unit tests of the client standing checks (match/client_standing.hpp): a creator and a
// participant of one session played on the wire, then one client message at a time, right and
// wrong.
#include <gmp/fault_switches.hpp>
#include <gmp/message.hpp>
#include <gtest/gtest.h>

#include "match/client_standing.hpp"
#include "matcher.hpp"

using namespace conform;
using namespace conform::match;

namespace {

const gmp::SessionId sid{0x1234};
const gmp::UserId creator{0x0123};
const gmp::UserId alice{0x0325};
const gmp::Ipv4 group{0xEFFF0707};  // 239.255.7.7
constexpr std::uint16_t gport = 5004;

class ClientStandingTest : public ::testing::Test {
 protected:
  ClientStanding st;

  std::optional<Violation> play(const std::string& line, bool to_client, const std::vector<std::uint8_t>& bytes,
                                bool sm) {
    Json msg = describe(sm, bytes);
    return st.observe({line, to_client, sm, 0, &msg, bytes, 0});
  }
  // What the tester's server sends (towards the client under test).
  std::optional<Violation> tester(const std::string& line, const gmp::SmMessage& m) {
    return play(line, true, gmp::encode(m), true);
  }
  // What the client sends.
  std::optional<Violation> client(const std::string& line, const gmp::SmMessage& m) {
    return play(line, false, gmp::encode(m), true);
  }
  std::optional<Violation> client_mm(const std::string& line, const gmp::MmMessage& m) {
    return play(line, false, gmp::encode(m), false);
  }
  static gmp::MmMessage kares(gmp::UserId u, std::optional<std::uint32_t> round = 0) {
    return gmp::build::kares(sid, u, gmp::MemberType::participant, gmp::Mode::open, round);
  }

  void SetUp() override {
    ASSERT_FALSE(client("creator", gmp::build::screq("creator", false)));
    ASSERT_FALSE(tester("creator", gmp::build::scacc(sid, creator, false)));
    ASSERT_FALSE(client("creator", gmp::build::scinf(sid, creator, false, false, "talk", gport, group)));
    ASSERT_FALSE(tester("creator", gmp::build::sccon(sid, creator, false, false, gport, group)));
    ASSERT_FALSE(client("A", gmp::build::srreq(sid, "alice")));
    ASSERT_FALSE(tester("A", gmp::build::sracc(sid, alice, false, false, gport, group)));
  }
};

}  // namespace

TEST_F(ClientStandingTest, RightMessagesPass) {
  EXPECT_FALSE(client("A", gmp::build::sjreq(sid, alice)));
  EXPECT_FALSE(client("A", gmp::build::sareq(sid, alice, 40000)));
  EXPECT_FALSE(client_mm("A", kares(alice)));
  EXPECT_FALSE(client_mm("A", kares(alice, std::nullopt)));  // coming back (6.1): no KA-SEQ
  EXPECT_FALSE(client_mm("A", gmp::build::uireq(sid, alice, gmp::MemberType::participant, gmp::Mode::open)));
  EXPECT_FALSE(client_mm("A", gmp::build::lvreq(sid, alice, gmp::MemberType::participant, gmp::Mode::open)));
  EXPECT_FALSE(client_mm("creator", gmp::build::trreq(sid, creator, gmp::Mode::open)));
  EXPECT_FALSE(client("creator", gmp::build::sdreq(sid, creator)));
  // Receivers ignore M and S in SJREQ (profile 2): either is allowed.
  auto j = gmp::build::sjreq(sid, alice);
  j.closed = j.secure = true;
  EXPECT_FALSE(client("A", j));
}

TEST_F(ClientStandingTest, ServerOnlyTypes) {
  auto v = client("A", gmp::build::sracc(sid, alice, false, false, 0, {}));
  ASSERT_TRUE(v);
  EXPECT_EQ(v->field, "type");
  EXPECT_EQ(v->section, "2");
  gmp::build::MmContext c{sid, gmp::Mode::open, 0, {}, gmp::KaUnits{0}, gmp::KaUnits{0}};
  v = client_mm("A", gmp::build::kareq(c, alice, gmp::MemberType::participant, 1));
  ASSERT_TRUE(v);
  EXPECT_EQ(v->field, "type");
  EXPECT_EQ(v->section, "3");
}

TEST_F(ClientStandingTest, ReservedBitsAndBytes) {
  auto m = gmp::build::sjreq(sid, alice);
  m.q = true;
  auto v = client("A", m);
  ASSERT_TRUE(v);
  EXPECT_EQ(v->reason, "SJREQ from A: Q 1, sent as 0 (profile 2)");
  m.q = false;
  m.reserved = 7;
  v = client("A", m);
  ASSERT_TRUE(v);
  EXPECT_EQ(v->field, "reserved");
  EXPECT_EQ(v->section, "2");
  auto k = kares(alice);
  k.r = true;
  v = client_mm("A", k);
  ASSERT_TRUE(v);
  EXPECT_EQ(v->reason, "KARES from A: R 1, sent as 0 (profile 3)");
  k.r = false;
  k.reserved = 1;
  v = client_mm("A", k);
  ASSERT_TRUE(v);
  EXPECT_EQ(v->field, "reserved");
  EXPECT_EQ(v->section, "3");
}

TEST_F(ClientStandingTest, OptionPaddingOnTheWire) {
  auto bytes = gmp::encode(gmp::build::srreq(sid, "alice"));  // CLIENT-NAME of 5: 1 byte of padding
  ASSERT_TRUE(gmp::app::spoil_padding(bytes, true));
  auto v = play("B", false, bytes, true);
  ASSERT_TRUE(v);
  EXPECT_EQ(v->field, "options");
  EXPECT_EQ(v->section, "4");
  EXPECT_NE(v->reason.find("option padding byte 165"), std::string::npos) << v->reason;
}

TEST_F(ClientStandingTest, InvalidMessagesOnTheirField) {
  auto bytes = gmp::encode(gmp::build::sjreq(sid, alice));
  gmp::app::spoil_checksum(bytes);
  auto v = play("A", false, bytes, true);
  ASSERT_TRUE(v);
  EXPECT_EQ(v->reason, "SM message from A is invalid: bad_checksum (profile 2)");
  EXPECT_EQ(v->field, "checksum");
}

TEST_F(ClientStandingTest, FieldsAClientLeavesZero) {
  auto s = gmp::build::sjreq(sid, alice);
  s.group_port = gport;
  auto v = client("A", s);
  ASSERT_TRUE(v);
  EXPECT_EQ(v->field, "group");
  auto k = kares(alice);
  k.ka_period = gmp::KaUnits{10};
  v = client_mm("A", k);
  ASSERT_TRUE(v);
  EXPECT_EQ(v->field, "KA period");
  EXPECT_EQ(v->section, "3");
  k = kares(alice);
  k.group_address = group;
  v = client_mm("A", k);
  ASSERT_TRUE(v);
  EXPECT_EQ(v->field, "group");
}

TEST_F(ClientStandingTest, IdsOfRequests) {
  auto r = gmp::build::screq("other", false);
  r.user = gmp::UserId{5};
  auto v = client("B", r);
  ASSERT_TRUE(v);
  EXPECT_EQ(v->reason, "SCREQ from B: user_id 5, 0 in SCREQ (profile 2)");
  auto q = gmp::build::srreq(sid, "bob");
  q.user = gmp::UserId{9};
  v = client("B", q);
  ASSERT_TRUE(v);
  EXPECT_EQ(v->field, "user_id");
}

TEST_F(ClientStandingTest, IdsTheServerGaveInEveryLaterMessage) {
  auto v = client("A", gmp::build::sjreq(sid, gmp::UserId{static_cast<std::uint16_t>(alice.value + 1)}));
  ASSERT_TRUE(v);
  EXPECT_EQ(v->reason, "SJREQ from A: user_id 806, the user ID the server gave in SRACC: 805 (profile 2)");
  v = client_mm("creator", gmp::build::trreq(gmp::SessionId{0x1235}, creator, gmp::Mode::open));
  ASSERT_TRUE(v);
  EXPECT_EQ(v->field, "session_id");
  EXPECT_EQ(v->section, "3");
  v = client_mm("creator", kares(alice));  // another membership's IDs
  ASSERT_TRUE(v);
  EXPECT_EQ(v->field, "user_id");
}

TEST_F(ClientStandingTest, SOfScinfAsInTheScreq) {
  ASSERT_FALSE(client("B", gmp::build::screq("bob", true)));
  ASSERT_FALSE(tester("B", gmp::build::scacc(gmp::SessionId{77}, gmp::UserId{78}, true)));
  auto v = client("B", gmp::build::scinf(gmp::SessionId{77}, gmp::UserId{78}, false, false, "x"));
  ASSERT_TRUE(v);
  EXPECT_EQ(v->field, "S");
}

// Answers the client must ignore give no IDs: an unsolicited SRACC, an SCACC that does not
// decode; so a membership with none is not judged on them.
TEST_F(ClientStandingTest, IgnoredAnswersGiveNoIds) {
  ASSERT_FALSE(tester("B", gmp::build::sracc(sid, gmp::UserId{900}, false, false, gport, group)));
  EXPECT_FALSE(client("B", gmp::build::sjreq(sid, gmp::UserId{901})));
  ASSERT_FALSE(client("C", gmp::build::screq("carol", false)));
  auto bad = gmp::encode(gmp::build::scacc(gmp::SessionId{50}, gmp::UserId{51}, false));
  gmp::app::spoil_checksum(bad);
  ASSERT_FALSE(play("C", true, bad, true));
  ASSERT_FALSE(tester("C", gmp::build::scacc(gmp::SessionId{60}, gmp::UserId{61}, false)));
  EXPECT_FALSE(client("C", gmp::build::scinf(gmp::SessionId{60}, gmp::UserId{61}, false, false, "c")));
  auto v = client("C", gmp::build::scinf(gmp::SessionId{50}, gmp::UserId{51}, false, false, "c"));
  ASSERT_TRUE(v);
  EXPECT_EQ(v->field, "session_id");
}
