// Helpers shared by the codec tests: hex, the vectors file, field-by-field message equality.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <ostream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "gmp/message.hpp"

namespace gmp::test {

/// Hex (whitespace ignored) to bytes; fails the calling test on bad hex.
std::vector<std::uint8_t> bytes(std::string_view hex);

/// tests/vectors/vectors.json, read once.
const nlohmann::json& vectors();
/// The vector with this name (fails the calling test when absent).
const nlohmann::json& vector(std::string_view name);

/// "" when equal, else a description of the first difference. The checksum is not compared
/// (a built message has 0 there; a decoded one has what was on the wire).
std::string diff(const SmMessage& a, const SmMessage& b);
std::string diff(const MmMessage& a, const MmMessage& b);
bool same(const Option& a, const Option& b);

/// The first option of type T; throws (gtest reports the test as failed) when there is none.
template <class T>
const T& must(const Options& options) {
  const T* p = find<T>(options);
  if (!p) throw std::runtime_error("expected option missing");
  return *p;
}

/// The DecodeError held by a result (ok when none).
DecodeError error_of(const DecodeResult& r);

}  // namespace gmp::test

namespace gmp {
// Readable gtest messages: "bad_checksum" rather than a byte dump.
inline void PrintTo(DecodeError e, std::ostream* os) { *os << error_name(e); }
}  // namespace gmp
