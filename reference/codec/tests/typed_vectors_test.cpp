// A few vectors checked on the typed structs directly (not through gmp_json), so that a bug
// shared by the decoder and the JSON description cannot hide.
#include <gtest/gtest.h>

#include "support.hpp"

namespace gmp {
namespace {

std::vector<std::uint8_t> hex_of(std::string_view name) {
  return test::bytes(test::vector(name).at("hex").get<std::string>());
}

TEST(TypedVectors, AppendixScreq) {
  const auto b = hex_of("sm-screq-secure-alice");
  ASSERT_EQ(b.size(), 24u);
  SmMessage m;
  ASSERT_TRUE(decode_sm(b, m));
  EXPECT_EQ(m.version, 1);
  EXPECT_EQ(m.type, SmType::SCREQ);
  EXPECT_TRUE(m.secure);
  EXPECT_FALSE(m.closed || m.info || m.q);
  EXPECT_EQ(m.checksum, 0xbb29);
  EXPECT_EQ(m.session, SessionId{0});
  EXPECT_EQ(m.user, UserId{0});
  ASSERT_EQ(m.options.size(), 1u);
  const auto* name = find<opt::ClientName>(m.options);
  ASSERT_NE(name, nullptr);
  EXPECT_EQ(name->value, "alice");
  // And the builder makes the same bytes.
  EXPECT_EQ(encode(build::screq("alice", true)), b);
}

TEST(TypedVectors, AppendixKareq) {
  const auto b = hex_of("mm-kareq-appendix");
  MmMessage m;
  ASSERT_TRUE(decode_mm(b, m));
  EXPECT_EQ(m.type, MmType::KAREQ);
  EXPECT_EQ(m.mode, static_cast<std::uint8_t>(Mode::closed));
  EXPECT_EQ(m.member_type, static_cast<std::uint8_t>(MemberType::participant));
  EXPECT_FALSE(m.r || m.ss || m.ui);
  EXPECT_EQ(m.group_port, 5004);
  EXPECT_EQ(m.session, SessionId{0x3a5c});
  EXPECT_EQ(m.user, UserId{0xc0de});
  EXPECT_EQ(m.group_address, (Ipv4{0xef'ff'0a'14}));
  EXPECT_EQ(m.group_address.to_string(), "239.255.10.20");
  EXPECT_EQ(m.ka_period.duration(), std::chrono::milliseconds(1000));
  EXPECT_EQ(m.ka_timeout.duration(), std::chrono::milliseconds(500));
  const auto* seq = find<opt::KaSeq>(m.options);
  ASSERT_NE(seq, nullptr);
  EXPECT_EQ(seq->round, 7u);
  build::MmContext c{SessionId{0x3a5c}, Mode::closed, 5004, Ipv4{0xef'ff'0a'14}, KaUnits{10},
                     KaUnits{5}};
  EXPECT_EQ(encode(build::kareq(c, UserId{0xc0de}, MemberType::participant, 7)), b);
}

TEST(TypedVectors, ScinfWithEveryOption) {
  SmMessage m;
  ASSERT_TRUE(decode_sm(hex_of("sm-scinf-all-options"), m));
  EXPECT_TRUE(m.info && m.closed && m.secure);
  EXPECT_EQ(test::must<opt::SessionName>(m.options).value, "standup");
  EXPECT_EQ(test::must<opt::SessionInfo>(m.options).value, "daily");
  EXPECT_EQ(test::must<opt::OwnerInfo>(m.options).value, "alice");
  EXPECT_EQ(test::must<opt::StartTime>(m.options).seconds, 1767225600u);
  EXPECT_EQ(test::must<opt::EndTime>(m.options).seconds, 1767229200u);
  EXPECT_EQ(test::must<opt::MediaInfo>(m.options).value, "audio");
  EXPECT_EQ(test::must<opt::AppInfo>(m.options).value, "vat");
  const auto* ka = find<opt::Keepalive>(m.options);
  EXPECT_EQ(ka->period, KaUnits{20});
  EXPECT_EQ(ka->timeout, KaUnits{8});
  EXPECT_EQ(ka->miss_limit, 3);
  const auto bases = find_all<opt::BaseMember>(m.options);
  ASSERT_EQ(bases.size(), 2u);
  EXPECT_EQ(bases[0]->name, "carol");
  EXPECT_EQ(bases[1]->name, "dave");
  const auto allows = find_all<opt::Allow>(m.options);
  ASSERT_EQ(allows.size(), 2u);
  EXPECT_EQ(allows[1]->name, "erin");
  EXPECT_EQ(test::must<opt::AccessKey>(m.options).bytes,
            (std::vector<std::uint8_t>{0xde, 0xad, 0xbe, 0xef}));
}

TEST(TypedVectors, UiresOpen) {
  MmMessage m;
  ASSERT_TRUE(decode_mm(hex_of("mm-uires-open"), m));
  EXPECT_TRUE(m.ui);
  ASSERT_EQ(m.options.size(), 3u);
  const auto* part = std::get_if<opt::ListPart>(&m.options[0]);
  ASSERT_NE(part, nullptr);
  EXPECT_EQ(part->index, 1);
  EXPECT_EQ(part->count, 1);
  EXPECT_EQ(std::get<opt::MemberCount>(m.options[1]).count, 12u);
  const auto& list = std::get<opt::MemberList>(m.options[2]).entries;
  ASSERT_EQ(list.size(), 3u);
  EXPECT_EQ(list[0], (opt::MemberEntry{UserId{0x1f2e}, 4}));
  EXPECT_EQ(list[1], (opt::MemberEntry{UserId{0x2468}, 2}));
  EXPECT_EQ(list[2], (opt::MemberEntry{UserId{0x3579}, 2}));
}

TEST(TypedVectors, SjresSecureKey) {
  SmMessage m;
  ASSERT_TRUE(decode_sm(hex_of("sm-sjres-secure"), m));
  EXPECT_EQ(m.key_length, 16);
  const auto* key = find<opt::GroupKey>(m.options);
  ASSERT_NE(key, nullptr);
  EXPECT_EQ(key->epoch, 1);
  ASSERT_EQ(key->key.size(), 16u);
  EXPECT_EQ(key->key[0], 0x00);
  EXPECT_EQ(key->key[15], 0xff);
}

TEST(TypedVectors, UnknownOptionsKeptRaw) {
  SmMessage m;
  ASSERT_TRUE(decode_sm(hex_of("sm-screq-unknown-options"), m));
  ASSERT_EQ(m.options.size(), 4u);
  const auto& u = std::get<opt::Unknown>(m.options[0]);
  EXPECT_EQ(u.type, 20);
  EXPECT_EQ(u.value, (std::vector<std::uint8_t>{1, 2, 3, 4, 5, 6}));
  EXPECT_EQ(std::get<opt::Unknown>(m.options[2]).type, 255);
  EXPECT_TRUE(std::get<opt::Unknown>(m.options[3]).value.empty());
}

TEST(TypedVectors, ChecksumFfffIsAcceptedAndReencodedAsZero) {
  const auto b = hex_of("sm-scacc-checksum-ffff");
  SmMessage m;
  ASSERT_TRUE(decode_sm(b, m));
  EXPECT_EQ(m.checksum, 0xffff);
  const auto again = encode(m);
  EXPECT_EQ(again[2], 0);
  EXPECT_EQ(again[3], 0);
  EXPECT_EQ(again, hex_of("sm-scacc-checksum-zero"));
}

}  // namespace
}  // namespace gmp
