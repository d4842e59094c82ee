// Randomness for the server core, injected so that tests are seeded and deterministic.
// The core draws session IDs, user IDs (profile 2: random among unused non-zero values) and
// group keys (profile 6.6: 16 bytes from the OS CSPRNG: the shell passes an OS source).
#pragma once

#include <cstdint>
#include <span>

namespace gmp::server {

class Random {
 public:
  virtual ~Random() = default;
  virtual std::uint64_t next_u64() = 0;
  /// Fills `out` with random bytes (group keys).
  virtual void fill(std::span<std::uint8_t> out) = 0;
};

/// A deterministic source (splitmix64) for tests and simulations. Never for real keys.
class SeededRandom final : public Random {
 public:
  explicit SeededRandom(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next_u64() override {
    std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  void fill(std::span<std::uint8_t> out) override {
    for (auto& b : out) b = static_cast<std::uint8_t>(next_u64());
  }

 private:
  std::uint64_t state_;
};

}  // namespace gmp::server
