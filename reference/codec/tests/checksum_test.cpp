// The Internet checksum of profile section 2 (RFC 1071): computed, verified, odd lengths, and
// both one's-complement zeros accepted in the field.
#include <gtest/gtest.h>

#include "support.hpp"

namespace gmp {
namespace {

using B = std::vector<std::uint8_t>;

TEST(Checksum, Rfc1071Example) {
  // RFC 1071 section 3: the words 0001 f203 f4f5 f6f7 sum to 0xddf2 (one's complement).
  const B b{0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7};
  EXPECT_EQ(internet_checksum(b), static_cast<std::uint16_t>(~0xddf2));
  EXPECT_EQ(internet_checksum(b), 0x220d);
}

TEST(Checksum, EmptyAndZeros) {
  EXPECT_EQ(internet_checksum(B{}), 0xffff);
  EXPECT_EQ(internet_checksum(B(16, 0)), 0xffff);
}

TEST(Checksum, CarriesAreFoldedBack) {
  EXPECT_EQ(internet_checksum(B{0xff, 0xff, 0x00, 0x01}), 0xfffe);  // 0x10000 -> 0x0001
  // Many carries: 1,000 words of 0xffff sum to 0xffff.
  EXPECT_EQ(internet_checksum(B(2000, 0xff)), 0x0000);
  EXPECT_EQ(internet_checksum(B{0x80, 0x00, 0x80, 0x00, 0x80, 0x00}), 0x7ffe);  // 0x18000
}

TEST(Checksum, OddLengthIsPaddedWithAZeroByte) {
  EXPECT_EQ(internet_checksum(B{0x01}), 0xfeff);
  EXPECT_EQ(internet_checksum(B{0x12, 0x34, 0x56}), internet_checksum(B{0x12, 0x34, 0x56, 0x00}));
  EXPECT_NE(internet_checksum(B{0x12, 0x34, 0x56}), internet_checksum(B{0x00, 0x12, 0x34, 0x56}));
}

TEST(Checksum, AppendixExample) {
  // Profile appendix: 0x1401 + 0x0105 + 0x616c + 0x6963 + 0x6500 = 0x144d5 -> 0x44d6 -> 0xbb29.
  auto b = test::bytes("14010000 00000000 00000000 00000000 0105616c 69636500");
  EXPECT_EQ(internet_checksum(b), 0xbb29);
  b[2] = 0xbb;
  b[3] = 0x29;
  EXPECT_TRUE(sm_checksum_ok(b));
  EXPECT_EQ(internet_checksum(b), 0x0000);  // summing with the checksum in place
  b[3] = 0x28;
  EXPECT_FALSE(sm_checksum_ok(b));
}

TEST(Checksum, ZeroAndFfffBothVerify) {
  const auto zero = test::bytes(test::vector("sm-scacc-checksum-zero").at("hex").get<std::string>());
  const auto ffff = test::bytes(test::vector("sm-scacc-checksum-ffff").at("hex").get<std::string>());
  ASSERT_EQ(zero[2], 0x00);
  ASSERT_EQ(ffff[2], 0xff);
  EXPECT_TRUE(sm_checksum_ok(zero));
  EXPECT_TRUE(sm_checksum_ok(ffff));
  // The encoder writes 0x0000 for this message (the RFC 1071 result), never 0xffff.
  SmMessage m;
  ASSERT_TRUE(decode_sm(ffff, m));
  EXPECT_EQ(encode(m), zero);
}

TEST(Checksum, EncoderChecksumsEveryByte) {
  auto m = build::screq("alice", false);
  auto b = encode(m);
  for (std::size_t i = 0; i < b.size(); ++i) {
    if (i == 2 || i == 3) continue;
    auto c = b;
    c[i] ^= 0x10;
    EXPECT_FALSE(sm_checksum_ok(c)) << "byte " << i;
  }
}

}  // namespace
}  // namespace gmp
