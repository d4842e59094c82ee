// tests/vectors/vectors.json, worked out by hand from the profile: every vector decodes to
// exactly the expected fields (through gmp_json, the form every decoder of the project shares),
// the typed decoder gives the named error, and every canonical valid vector re-encodes to the
// same bytes.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "gmp/json.hpp"
#include "support.hpp"

namespace gmp {
namespace {

using Json = nlohmann::json;

std::vector<Json> all_vectors() { return {test::vectors().begin(), test::vectors().end()}; }
std::vector<Json> valid_vectors() {
  std::vector<Json> out;
  for (const auto& v : test::vectors())
    if (v.at("error").is_null()) out.push_back(v);
  return out;
}

std::string test_name(const testing::TestParamInfo<Json>& info) {
  std::string n = info.param.at("name");
  std::replace(n.begin(), n.end(), '-', '_');
  return n;
}

class Vector : public testing::TestWithParam<Json> {
 protected:
  const Json& v = GetParam();
  std::vector<std::uint8_t> b = test::bytes(v.at("hex").get<std::string>());
  bool is_sm = v.at("protocol") == "sm";
  bool valid = v.at("error").is_null();
};

TEST_P(Vector, DescribesExactlyTheExpectedFields) {
  const Json got = is_sm ? json::describe_sm_bytes(b) : json::describe_mm_bytes(b);
  EXPECT_EQ(got.at("error"), v.at("error"));
  for (const auto& [key, want] : v.at("expect").items()) {
    ASSERT_TRUE(got.contains(key)) << "no field " << key << " in " << got.dump();
    EXPECT_EQ(got.at(key), want) << "field " << key;
  }
}

TEST_P(Vector, TypedDecodeGivesTheNamedError) {
  DecodeResult r;
  if (is_sm) {
    SmMessage m;
    r = decode_sm(b, m);
  } else {
    MmMessage m;
    r = decode_mm(b, m);
  }
  const std::string want = valid ? "ok" : v.at("error").get<std::string>();
  EXPECT_EQ(error_name(test::error_of(r)), want);
  EXPECT_EQ(r.ok(), valid);
}

class ValidVector : public Vector {};

TEST_P(ValidVector, ReEncodesToTheSameBytes) {
  ASSERT_TRUE(valid);
  std::vector<std::uint8_t> again;
  if (is_sm) {
    SmMessage m;
    ASSERT_TRUE(decode_sm(b, m));
    EXPECT_TRUE(validate(m));
    again = encode(m);
  } else {
    MmMessage m;
    ASSERT_TRUE(decode_mm(b, m));
    EXPECT_TRUE(validate(m));
    again = encode(m);
  }
  if (v.value("canonical", true)) {
    EXPECT_EQ(json::to_hex(again), v.at("hex").get<std::string>());
  } else {
    // Not canonical (0xFFFF checksum, explicit END, padding that is not zero): the re-encoding
    // differs, but decodes to the same fields.
    EXPECT_NE(json::to_hex(again), v.at("hex").get<std::string>());
    const Json first = is_sm ? json::describe_sm_bytes(b) : json::describe_mm_bytes(b);
    Json second = is_sm ? json::describe_sm_bytes(again) : json::describe_mm_bytes(again);
    if (is_sm) second["checksum"] = first["checksum"];
    EXPECT_EQ(second, first);
  }
}

INSTANTIATE_TEST_SUITE_P(Vectors, Vector, testing::ValuesIn(all_vectors()), test_name);
INSTANTIATE_TEST_SUITE_P(Vectors, ValidVector, testing::ValuesIn(valid_vectors()), test_name);

// The file covers what the brief asks: every message type, every option type and every message
// error name (check_vectors.py checks the same, independently of the C++ codec).
TEST(VectorsFile, CoversEveryTypeAndError) {
  std::set<std::string> types, errors, options;
  for (const auto& v : test::vectors()) {
    if (!v.at("error").is_null()) {
      errors.insert(v.at("error").get<std::string>());
      continue;
    }
    types.insert(v.at("protocol").get<std::string>() + ":" + v.at("expect").at("type").get<std::string>());
    for (const auto& o : v.at("expect").at("options")) options.insert(o.at("type"));
  }
  for (int t = 1; t <= 14; ++t)
    EXPECT_TRUE(types.count("sm:" + std::string(name(static_cast<SmType>(t))))) << t;
  for (int t = 1; t <= 8; ++t)
    EXPECT_TRUE(types.count("mm:" + std::string(name(static_cast<MmType>(t))))) << t;
  for (int t = 1; t <= 19; ++t)
    EXPECT_TRUE(options.count(std::string(name(static_cast<OptionType>(t))))) << t;
  EXPECT_TRUE(options.count("UNKNOWN"));
  for (int e = 1; e < static_cast<int>(DecodeError::frame_too_short); ++e) {
    // Not yet in the shared file, which the dissector also decodes and which does not check
    // UTF-8 yet: DecodeErrors.InvalidUtf8InEveryTextOption covers it.
    if (static_cast<DecodeError>(e) == DecodeError::invalid_utf8) continue;
    EXPECT_TRUE(errors.count(std::string(error_name(static_cast<DecodeError>(e)))))
        << error_name(static_cast<DecodeError>(e));
  }
}

}  // namespace
}  // namespace gmp
