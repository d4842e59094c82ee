// The shipped core (gmp_server_core) has no fault switch at all: its Config has no such field
// and nothing outside the fault layer can change its decisions. What it decides is the
// profile's: SCACC without M, session IDs at random. Compiled into the mutation build (with the
// fault layer) this test is left out, since there a switch may be on.
#include "harness.hpp"

namespace gmp::server::test {

#ifndef GMP_FAULTS
TEST(ProductionBuild, DecidesAsTheProfileSays) {
  Harness h;
  Client a = h.client("alice", 1);
  h.sm(a, build::screq("alice", false));
  const SmMessage first = h.one_sm(a);
  EXPECT_EQ(first.type, SmType::SCACC);
  EXPECT_FALSE(first.closed);  // profile 2: S only in SCACC
  // Profile 2 [P]: random IDs, rarely consecutive; look at several creations.
  int consecutive = 0;
  std::uint16_t last = first.session.value;
  for (int i = 0; i < 8; ++i) {
    h.sm(a, build::screq("alice", false));
    const auto id = h.one_sm(a).session.value;
    consecutive += id == static_cast<std::uint16_t>(last + 1);
    last = id;
  }
  EXPECT_LT(consecutive, 8);
}
#endif

}  // namespace gmp::server::test
