// The Internet checksum (RFC 1071) used by SM messages (profile section 2).
#include <cstdint>
#include <span>

namespace gmp {

namespace {
std::uint32_t ones_sum(std::span<const std::uint8_t> bytes) {
  std::uint64_t sum = 0;
  std::size_t i = 0;
  for (; i + 1 < bytes.size(); i += 2) sum += (std::uint32_t{bytes[i]} << 8) | bytes[i + 1];
  if (i < bytes.size()) sum += std::uint32_t{bytes[i]} << 8;
  while (sum >> 16) sum = (sum & 0xFFFF) + (sum >> 16);
  return static_cast<std::uint32_t>(sum);
}
}  // namespace

std::uint16_t internet_checksum(std::span<const std::uint8_t> bytes) {
  return static_cast<std::uint16_t>(~ones_sum(bytes) & 0xFFFF);
}

// Profile 2: the sum of the whole message, checksum in place, must be 0xFFFF. This accepts
// both 0x0000 and 0xFFFF in the field when the computed checksum is 0x0000.
bool sm_checksum_ok(std::span<const std::uint8_t> bytes) { return ones_sum(bytes) == 0xFFFF; }

}  // namespace gmp
