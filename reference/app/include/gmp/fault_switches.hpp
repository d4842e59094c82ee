// What the faulty builds (gmp-server-faulty, gmp-client-faulty; test only) share: a set of
// named fault switches. Each faulty layer declares its own list once, as an X-macro that gives
// both the enum and the `--fault NAME` spelling; this header turns such a list into the set
// and the name lookups.
#pragma once

#include <array>
#include <bitset>
#include <cstddef>
#include <optional>
#include <string_view>

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

}  // namespace gmp::app
