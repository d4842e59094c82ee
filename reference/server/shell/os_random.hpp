// The operating system's CSPRNG (getrandom(2)) as the core's randomness source: session and
// user IDs and group keys (profile 6.6 [P]: keys from the OS CSPRNG).
#pragma once

#include "gmp/server/random.hpp"

namespace gmp::server {

class OsRandom final : public Random {
 public:
  std::uint64_t next_u64() override;
  void fill(std::span<std::uint8_t> out) override;
};

}  // namespace gmp::server
