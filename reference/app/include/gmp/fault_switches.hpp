// What the faulty builds (gmp-server-faulty, gmp-client-faulty; test only) share: a set of
// named fault switches. Each faulty layer declares its own list once, as an X-macro that gives
// both the enum and the `--fault NAME` spelling; this header turns such a list into the set
// and the name lookups. It also holds the rewrites of encoded bytes that no typed message can
// express (the codec always writes a right checksum and zero padding).
#pragma once

#include <algorithm>
#include <array>
#include <bitset>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "gmp/message.hpp"

namespace gmp::app {

template <class Fault, std::size_t N>
class FaultSwitches {
 public:
  void set(Fault f) { bits_.set(static_cast<std::size_t>(f)); }
  [[nodiscard]] bool has(Fault f) const { return bits_.test(static_cast<std::size_t>(f)); }
  [[nodiscard]] bool any() const { return bits_.any(); }

 private:
  std::bitset<N> bits_;
};

template <class Fault, std::size_t N>
std::string_view switch_name(const std::array<std::string_view, N>& names, Fault f) {
  const auto i = static_cast<std::size_t>(f);
  return i < N ? names[i] : std::string_view("unknown");
}

template <class Fault, std::size_t N>
std::optional<Fault> parse_switch(const std::array<std::string_view, N>& names, std::string_view name) {
  for (std::size_t i = 0; i < N; ++i)
    if (names[i] == name) return static_cast<Fault>(i);
  return std::nullopt;
}

/// An encoded SM message (without its TCP length prefix) with a checksum that is off by one
/// (profile 2: the receiver must find the one's complement sum wrong).
inline void spoil_checksum(std::span<std::uint8_t> sm) {
  if (sm.size() >= header_size) sm[3] ^= 1;
}

/// An encoded SM or MM message whose option padding is not all zero (profile 4: "padded with
/// zeros to a multiple of 4 bytes"): the first padding byte after each option that has padding
/// becomes 0xA5. An SM message's checksum is computed again, so that only the padding is wrong.
/// Returns whether a byte changed (no option had padding otherwise).
inline bool spoil_padding(std::span<std::uint8_t> b, bool sm) {
  bool changed = false;
  std::size_t i = header_size;
  while (i + 1 < b.size() && b[i] != 0) {  // up to END or the end of the message
    const std::size_t end = i + 2 + b[i + 1];
    if (end > b.size()) break;
    const std::size_t padded = std::min(b.size(), (end + 3) / 4 * 4);
    if (end < padded) {
      b[end] = 0xA5;
      changed = true;
    }
    i = padded;
  }
  if (changed && sm) {
    b[2] = b[3] = 0;
    const std::uint16_t sum = internet_checksum(b);
    b[2] = static_cast<std::uint8_t>(sum >> 8);
    b[3] = static_cast<std::uint8_t>(sum & 0xFF);
  }
  return changed;
}

}  // namespace gmp::app
