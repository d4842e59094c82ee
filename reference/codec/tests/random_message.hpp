// Seeded random valid GMP messages of a given type (profile sections 2-4): the options the
// profile table lists for the type, the required ones always, in random order, with some
// unknown options (codes 20..255) mixed in.
#pragma once

#include <random>

#include "gmp/message.hpp"

namespace gmp::test {

using Rng = std::mt19937_64;

SmMessage random_sm(Rng& rng, SmType type);
MmMessage random_mm(Rng& rng, MmType type);

}  // namespace gmp::test
