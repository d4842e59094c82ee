// Seeded round-trip properties on random valid messages of every type: encode -> decode gives
// the same fields, validate() accepts them, and re-encoding gives the same bytes. A failure
// names the type and the seed that reproduces it.
#include <gtest/gtest.h>

#include "random_message.hpp"
#include "support.hpp"

namespace gmp {
namespace {

constexpr int per_type = 500;

class SmRoundTrip : public testing::TestWithParam<int> {};
class MmRoundTrip : public testing::TestWithParam<int> {};

TEST_P(SmRoundTrip, EncodeDecodeGivesTheSameMessage) {
  const auto type = static_cast<SmType>(GetParam());
  for (int seed = 1; seed <= per_type; ++seed) {
    SCOPED_TRACE(testing::Message() << name(type) << " seed " << seed);
    test::Rng rng(static_cast<std::uint64_t>(seed) * 1000 + GetParam());
    const SmMessage m = test::random_sm(rng, type);
    ASSERT_TRUE(validate(m)) << error_name(test::error_of(validate(m)));
    const auto wire = encode(m);
    ASSERT_EQ(wire.size() % 4, 0u);
    ASSERT_TRUE(sm_checksum_ok(wire));
    SmMessage back;
    const auto r = decode_sm(wire, back);
    ASSERT_TRUE(r) << error_name(test::error_of(r)) << " at " << r.offset;
    ASSERT_EQ(test::diff(m, back), "");
    EXPECT_EQ(back.checksum, (wire[2] << 8) | wire[3]);
    ASSERT_TRUE(validate(back));
    ASSERT_EQ(encode(back), wire);
    // Framed, the same bytes behind a 2-byte length.
    const auto framed = encode_framed(m);
    ASSERT_EQ(framed.size(), wire.size() + 2);
    EXPECT_EQ((framed[0] << 8) | framed[1], static_cast<int>(wire.size()));
    EXPECT_TRUE(std::equal(wire.begin(), wire.end(), framed.begin() + 2));
  }
}

TEST_P(MmRoundTrip, EncodeDecodeGivesTheSameMessage) {
  const auto type = static_cast<MmType>(GetParam());
  for (int seed = 1; seed <= per_type; ++seed) {
    SCOPED_TRACE(testing::Message() << name(type) << " seed " << seed);
    test::Rng rng(static_cast<std::uint64_t>(seed) * 1000 + GetParam());
    const MmMessage m = test::random_mm(rng, type);
    ASSERT_TRUE(validate(m)) << error_name(test::error_of(validate(m)));
    const auto wire = encode(m);
    ASSERT_EQ(wire.size() % 4, 0u);
    MmMessage back;
    const auto r = decode_mm(wire, back);
    ASSERT_TRUE(r) << error_name(test::error_of(r)) << " at " << r.offset;
    ASSERT_EQ(test::diff(m, back), "");
    ASSERT_TRUE(validate(back));
    ASSERT_EQ(encode(back), wire);
  }
}

INSTANTIATE_TEST_SUITE_P(AllTypes, SmRoundTrip, testing::Range(1, 15),
                         [](const auto& i) { return std::string(name(static_cast<SmType>(i.param))); });
INSTANTIATE_TEST_SUITE_P(AllTypes, MmRoundTrip, testing::Range(1, 9),
                         [](const auto& i) { return std::string(name(static_cast<MmType>(i.param))); });

// Decoding into a message that already holds options replaces them (the vector is reused).
TEST(RoundTrip, DecodeReusesTheOutputMessage) {
  test::Rng rng(42);
  SmMessage out = test::random_sm(rng, SmType::SCINF);
  const auto wire = encode(build::sjreq(SessionId{7}, UserId{9}));
  ASSERT_TRUE(decode_sm(wire, out));
  EXPECT_TRUE(out.options.empty());
  EXPECT_EQ(test::diff(out, build::sjreq(SessionId{7}, UserId{9})), "");
}

}  // namespace
}  // namespace gmp
