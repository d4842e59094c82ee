// Names of the fault switches and discard reasons (docs/server.md lists them).
#include <array>

#include "gmp/server/counters.hpp"
#include "gmp/server/faults.hpp"

namespace gmp::server {

namespace {
constexpr std::array<std::string_view, fault_count> fault_names{
#define GMP_FAULT_NAME(n) #n,
    GMP_SERVER_FAULTS(GMP_FAULT_NAME)
#undef GMP_FAULT_NAME
};
constexpr std::array<std::string_view, discard_count> discard_names{
#define GMP_DISCARD_NAME(n) #n,
    GMP_SERVER_DISCARDS(GMP_DISCARD_NAME)
#undef GMP_DISCARD_NAME
};
}  // namespace

std::string_view fault_name(Fault f) {
  const auto i = static_cast<std::size_t>(f);
  return i < fault_count ? fault_names[i] : std::string_view("unknown");
}

std::optional<Fault> parse_fault(std::string_view name) {
  for (std::size_t i = 0; i < fault_count; ++i)
    if (fault_names[i] == name) return static_cast<Fault>(i);
  return std::nullopt;
}

std::string_view discard_name(Discard d) {
  const auto i = static_cast<std::size_t>(d);
  return i < discard_count ? discard_names[i] : std::string_view("unknown");
}

std::uint64_t Counters::total_discards() const {
  std::uint64_t t = 0;
  for (auto v : decode_errors) t += v;
  for (auto v : discards) t += v;
  return t;
}

}  // namespace gmp::server
