// Names of the discard reasons (docs/server.md lists them).
#include <array>

#include "gmp/server/counters.hpp"

namespace gmp::server {

namespace {
constexpr std::array<std::string_view, discard_count> discard_names{
#define GMP_DISCARD_NAME(n) #n,
    GMP_SERVER_DISCARDS(GMP_DISCARD_NAME)
#undef GMP_DISCARD_NAME
};
}  // namespace

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
