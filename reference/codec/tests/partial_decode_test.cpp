// Partial decoding (decode_sm_partial / decode_mm_partial): the same first error and offset as
// the strict decode, and everything the layout still allows to be read past it (profile 7: an
// invalid message is dropped by a receiver, but tools show it as far as it can be read).
#include <gtest/gtest.h>

#include "support.hpp"

namespace gmp {
namespace {

void set_checksum(std::vector<std::uint8_t>& b) {
  b[2] = b[3] = 0;
  const auto c = internet_checksum(b);
  b[2] = static_cast<std::uint8_t>(c >> 8);
  b[3] = static_cast<std::uint8_t>(c);
}

struct Both {
  DecodeResult strict, partial;
  std::size_t strict_options = 0, partial_options = 0;
};

// Decodes b both ways; a valid message must come out the same.
template <class Message, class Strict, class Partial>
Both decode_both(const std::vector<std::uint8_t>& b, Strict strict, Partial partial) {
  Message s, p;
  Both r{strict(b, s), partial(b, p), 0, 0};
  r.strict_options = s.options.size();
  r.partial_options = p.options.size();
  if (r.strict.ok()) {
    EXPECT_EQ(test::diff(s, p), "");
  }
  return r;
}

TEST(PartialDecode, EveryVectorGivesTheStrictErrorAndOffsetAndAtLeastItsOptions) {
  const auto strict_sm = [](std::span<const std::uint8_t> b, SmMessage& m) {
    return decode_sm(b, m);
  };
  for (const auto& v : test::vectors()) {
    SCOPED_TRACE(v.at("name").get<std::string>());
    const auto b = test::bytes(v.at("hex").get<std::string>());
    const Both r = v.at("protocol") == "sm"
                       ? decode_both<SmMessage>(b, strict_sm, decode_sm_partial)
                       : decode_both<MmMessage>(b, decode_mm, decode_mm_partial);
    EXPECT_EQ(test::error_of(r.partial), test::error_of(r.strict));
    EXPECT_EQ(r.partial.offset, r.strict.offset);
    EXPECT_GE(r.partial_options, r.strict_options);
  }
}

TEST(PartialDecode, KaresWithModeZeroStillShowsItsKaSeq) {
  auto b = encode(
      build::kares(SessionId{0x3a5c}, UserId{0xc0de}, MemberType::participant, Mode::closed, 7));
  b[1] &= 0x3f;  // mode 00 (profile 3: reserved)
  MmMessage strict, m;
  EXPECT_EQ(test::error_of(decode_mm(b, strict)), DecodeError::bad_mode);
  EXPECT_TRUE(strict.options.empty());  // the strict decode stops at the header
  const auto r = decode_mm_partial(b, m);
  EXPECT_EQ(test::error_of(r), DecodeError::bad_mode);
  EXPECT_EQ(r.offset, 1u);
  EXPECT_EQ(m.mode, 0);
  EXPECT_EQ(m.type, MmType::KARES);
  EXPECT_EQ(m.session.value, 0x3a5c);
  EXPECT_EQ(test::must<opt::KaSeq>(m.options).round, 7u);
}

TEST(PartialDecode, BadChecksumStillShowsTheOptions) {
  auto b = encode(build::screq("alice", true));
  b[18] ^= 3;  // "alice" -> "blice", the checksum no longer verifies
  SmMessage m;
  const auto r = decode_sm_partial(b, m);
  EXPECT_EQ(test::error_of(r), DecodeError::bad_checksum);
  EXPECT_EQ(r.offset, 2u);
  EXPECT_EQ(test::must<opt::ClientName>(m.options).value, "blice");
}

TEST(PartialDecode, UnknownOptionsAndBadOptionsAreKeptAndTheWalkGoesOn) {
  // KAREQ, mode 00 (bad), then an unknown option 200, a KA-SEQ of 2 bytes (bad size, kept
  // raw) and a MEMBER-COUNT.
  const auto b =
      test::bytes("1108138c 3a5cc0de efff0a14 0a050000  c8020102  13020304  10040000 00090000");
  MmMessage m;
  const auto r = decode_mm_partial(b, m);
  EXPECT_EQ(test::error_of(r), DecodeError::bad_mode);
  EXPECT_EQ(r.offset, 1u);
  ASSERT_EQ(m.options.size(), 3u);
  const auto& unknown = std::get<opt::Unknown>(m.options[0]);
  EXPECT_EQ(unknown.type, 200);
  EXPECT_EQ(unknown.value, (std::vector<std::uint8_t>{1, 2}));
  const auto& short_seq = std::get<opt::Unknown>(m.options[1]);  // code 19, raw
  EXPECT_EQ(short_seq.type, 19);
  EXPECT_EQ(short_seq.value, (std::vector<std::uint8_t>{3, 4}));
  EXPECT_EQ(std::get<opt::MemberCount>(m.options[2]).count, 9u);
}

TEST(PartialDecode, ANonStandardMemberTypeIsNoError) {
  // Profile 3 (1.3): the same KAREQ in mode 10 with member type 000: the first error is the
  // KA-SEQ of 2 bytes at offset 20, the code 000 is kept as it came.
  const auto b =
      test::bytes("1180138c 3a5cc0de efff0a14 0a050000  c8020102  13020304  10040000 00090000");
  MmMessage m;
  const auto r = decode_mm_partial(b, m);
  EXPECT_EQ(test::error_of(r), DecodeError::bad_option_size);
  EXPECT_EQ(r.offset, 20u);
  EXPECT_EQ(m.member_type, 0u);
  EXPECT_EQ(m.options.size(), 3u);
}

TEST(PartialDecode, ATruncatedOptionEndsTheWalk) {
  // SCINF: SESSION-NAME "chat", then SESSION-INFO of length 255 with 2 bytes.
  auto b = test::bytes("1106 0000 3a5c1f2e 00000000 00000000 02046368 61740000 03ff6162");
  set_checksum(b);
  SmMessage m;
  const auto r = decode_sm_partial(b, m);
  EXPECT_EQ(test::error_of(r), DecodeError::truncated_option);
  EXPECT_EQ(r.offset, 24u);
  ASSERT_EQ(m.options.size(), 1u);
  EXPECT_EQ(test::must<opt::SessionName>(m.options).value, "chat");
}

TEST(PartialDecode, OutOfRangeValuesStayTypedInvalidTextStaysRaw) {
  // SAREQ: MM-PORT 0 (bad value); SCREQ: CLIENT-NAME 0xff (not UTF-8) then a duplicate.
  auto sareq = test::bytes("100e0000 3a5cc0de 00000000 00000000 0d020000");
  set_checksum(sareq);
  SmMessage m;
  auto r = decode_sm_partial(sareq, m);
  EXPECT_EQ(test::error_of(r), DecodeError::bad_option_value);
  EXPECT_EQ(test::must<opt::MmPort>(m.options).port, 0);
  SmMessage strict;
  EXPECT_EQ(test::error_of(decode_sm(sareq, strict)), DecodeError::bad_option_value);
  EXPECT_TRUE(strict.options.empty());  // strict: only the options before the bad one

  auto screq = test::bytes("10010000 00000000 00000000 00000000 0101ff00 01036170 70000000");
  set_checksum(screq);
  r = decode_sm_partial(screq, m);
  EXPECT_EQ(test::error_of(r), DecodeError::invalid_utf8);
  EXPECT_EQ(r.offset, 16u);
  ASSERT_EQ(m.options.size(), 2u);
  EXPECT_EQ(std::get<opt::Unknown>(m.options[0]).type, 1);
  EXPECT_EQ(std::get<opt::Unknown>(m.options[0]).value, std::vector<std::uint8_t>{0xff});
  EXPECT_EQ(std::get<opt::ClientName>(m.options[1]).value, "app");
}

}  // namespace
}  // namespace gmp
