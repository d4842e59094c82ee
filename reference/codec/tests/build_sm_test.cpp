// The SM builders give the header fields and options profile sections 2 and 5 require.
#include <gtest/gtest.h>

#include "support.hpp"

namespace gmp {
namespace {

const SessionId S{0x3a5c};
const UserId U{0xc0de};
const Ipv4 G{0xefff0a14};

// Every built message is valid and survives the wire.
void on_the_wire(const SmMessage& m) {
  EXPECT_TRUE(validate(m)) << name(m.type);
  SmMessage back;
  EXPECT_TRUE(decode_sm(encode(m), back)) << name(m.type);
  EXPECT_EQ(test::diff(m, back), "") << name(m.type);
  EXPECT_EQ(m.version, 1);
  EXPECT_FALSE(m.q);
  EXPECT_EQ(m.reserved, 0);
  EXPECT_EQ(m.info, m.type == SmType::SCINF);
}

Reason reason_of(const SmMessage& m) {
  const auto* r = find<opt::ReasonCode>(m.options);
  EXPECT_NE(r, nullptr) << name(m.type);
  return r ? r->reason : Reason{99};
}

TEST(BuildSm, Screq) {
  for (bool secure : {false, true}) {
    const auto m = build::screq("alice", secure);
    on_the_wire(m);
    EXPECT_EQ(m.type, SmType::SCREQ);
    EXPECT_EQ(m.secure, secure);
    EXPECT_FALSE(m.closed);
    EXPECT_EQ(m.session, SessionId{0});
    EXPECT_EQ(m.user, UserId{0});
    EXPECT_EQ(test::must<opt::ClientName>(m.options).value, "alice");
  }
}

TEST(BuildSm, ScaccCarriesSOnlyAndMZero) {
  for (bool secure : {false, true}) {
    const auto m = build::scacc(S, U, secure);
    on_the_wire(m);
    EXPECT_EQ(m.type, SmType::SCACC);
    EXPECT_EQ(m.secure, secure);
    EXPECT_FALSE(m.closed);  // mode unknown before SCINF (profile 2)
    EXPECT_EQ(m.session, S);
    EXPECT_EQ(m.user, U);
    EXPECT_TRUE(m.options.empty());
    EXPECT_EQ(m.group_address, Ipv4{});
  }
}

TEST(BuildSm, ScrejWithReasonAndS) {
  const auto m = build::screj(Reason::secure_unsupported, true);
  on_the_wire(m);
  EXPECT_TRUE(m.secure);
  EXPECT_EQ(reason_of(m), Reason::secure_unsupported);
  EXPECT_EQ(m.session, SessionId{0});
  EXPECT_FALSE(build::screj(Reason::resources, false).secure);
}

TEST(BuildSm, SdreqSdres) {
  const auto q = build::sdreq(S, U);
  on_the_wire(q);
  EXPECT_EQ(q.type, SmType::SDREQ);
  EXPECT_EQ(q.session, S);
  EXPECT_EQ(q.user, U);
  const auto r = build::sdres(S, U, Reason::not_authorised, true, true);
  on_the_wire(r);
  EXPECT_EQ(r.type, SmType::SDRES);
  EXPECT_TRUE(r.closed && r.secure);
  EXPECT_EQ(reason_of(r), Reason::not_authorised);
}

TEST(BuildSm, ScinfSetsIAndModeAndGroup) {
  const auto m = build::scinf(S, U, true, true, "standup", 5004, G);
  on_the_wire(m);
  EXPECT_TRUE(m.info && m.closed && m.secure);
  EXPECT_EQ(m.group_port, 5004);
  EXPECT_EQ(m.group_address, G);
  EXPECT_EQ(test::must<opt::SessionName>(m.options).value, "standup");
  const auto open = build::scinf(S, U, false, false, "chat");
  EXPECT_FALSE(open.closed || open.secure);
  EXPECT_EQ(open.group_address, Ipv4{});  // 0.0.0.0 asks the server to allocate
}

TEST(BuildSm, SccconSraccEchoTheGroup) {
  for (const auto& m : {build::sccon(S, U, true, false, 5004, G),
                        build::sracc(S, U, true, false, 5004, G)}) {
    on_the_wire(m);
    EXPECT_TRUE(m.closed);
    EXPECT_FALSE(m.secure);
    EXPECT_EQ(m.group_port, 5004);
    EXPECT_EQ(m.group_address, G);
    EXPECT_EQ(m.session, S);
    EXPECT_EQ(m.user, U);
  }
}

TEST(BuildSm, Registration) {
  const auto q = build::srreq(S, "bob");
  on_the_wire(q);
  EXPECT_EQ(q.user, UserId{0});
  EXPECT_EQ(test::must<opt::ClientName>(q.options).value, "bob");
  const auto r = build::srres(S, true, true);
  on_the_wire(r);
  EXPECT_EQ(r.type, SmType::SRRES);
  EXPECT_EQ(r.user, UserId{0});  // profile 2: 0 in SRRES
  EXPECT_TRUE(r.closed && r.secure);
  const auto j = build::srrej(S, Reason::unknown_session, false, false);
  on_the_wire(j);
  EXPECT_EQ(j.type, SmType::SRREJ);
  EXPECT_EQ(reason_of(j), Reason::unknown_session);
  EXPECT_EQ(j.session, S);
}

TEST(BuildSm, JoinWithoutAndWithKey) {
  on_the_wire(build::sjreq(S, U));
  const auto open = build::sjres(S, U, false, false, 5004, G, nullptr);
  on_the_wire(open);
  EXPECT_FALSE(open.secure);
  EXPECT_EQ(open.key_length, 0);
  EXPECT_EQ(find<opt::GroupKey>(open.options), nullptr);
  EXPECT_EQ(open.group_address, G);

  const opt::GroupKey key{3, std::vector<std::uint8_t>(16, 0xab)};
  const auto secure = build::sjres(S, U, true, true, 5004, G, &key);
  on_the_wire(secure);
  EXPECT_TRUE(secure.secure);  // S = 1 also says a key is present
  EXPECT_EQ(secure.key_length, 16);
  ASSERT_NE(find<opt::GroupKey>(secure.options), nullptr);
  EXPECT_EQ(test::must<opt::GroupKey>(secure.options).epoch, 3);
  EXPECT_EQ(test::must<opt::GroupKey>(secure.options).key, key.key);
}

TEST(BuildSm, SareqCarriesMmPort) {
  const auto m = build::sareq(S, U, 40000);
  on_the_wire(m);
  EXPECT_EQ(m.type, SmType::SAREQ);
  EXPECT_EQ(test::must<opt::MmPort>(m.options).port, 40000);
  // Matches the hand-written vector byte for byte.
  EXPECT_EQ(encode(m), test::bytes(test::vector("sm-sareq").at("hex").get<std::string>()));
}

TEST(BuildSm, MatchVectorsByteForByte) {
  auto hex = [](const char* n) { return test::bytes(test::vector(n).at("hex").get<std::string>()); };
  EXPECT_EQ(encode(build::scacc(S, UserId{0x1f2e}, true)), hex("sm-scacc-secure"));
  EXPECT_EQ(encode(build::sccon(S, UserId{0x1f2e}, true, true, 5004, G)), hex("sm-sccon"));
  EXPECT_EQ(encode(build::sracc(S, U, true, true, 5004, G)), hex("sm-sracc"));
  EXPECT_EQ(encode(build::srres(S, true, true)), hex("sm-srres"));
  EXPECT_EQ(encode(build::sjreq(S, U)), hex("sm-sjreq"));
  EXPECT_EQ(encode(build::screj(Reason::secure_unsupported, true)),
            hex("sm-screj-secure-unsupported"));
  EXPECT_EQ(encode(build::sdres(S, UserId{0x1f2e}, Reason::success, true, true)),
            hex("sm-sdres-success"));
  EXPECT_EQ(encode(build::scinf(S, UserId{0x1f2e}, false, false, "chat")),
            hex("sm-scinf-open-minimal"));
  EXPECT_EQ(encode(build::srreq(S, "bob")), hex("sm-srreq-open-bob"));
  EXPECT_EQ(encode(build::srrej(SessionId{0x7777}, Reason::unknown_session, false, false)),
            hex("sm-srrej-unknown-session"));
  const opt::GroupKey key{1, test::bytes("00112233445566778899aabbccddeeff")};
  EXPECT_EQ(encode(build::sjres(S, U, true, true, 5004, G, &key)), hex("sm-sjres-secure"));
}

}  // namespace
}  // namespace gmp
