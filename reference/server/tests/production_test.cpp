// The shipped core (gmp_server_core, built without GMP_FAULTS) has no fault switches: setting
// them in its Config changes nothing. Compiled into the mutation build (faulty core), this test
// is left out, since there the switches are meant to work.
#include "harness.hpp"

namespace gmp::server::test {

#ifndef GMP_FAULTS
TEST(ProductionBuild, FaultSwitchesHaveNoEffect) {
  Config cfg;
  cfg.faults.set(Fault::scacc_sets_mode);
  cfg.faults.set(Fault::sequential_ids);
  Harness h(cfg);
  Client a = h.client("alice", 1);
  h.sm(a, build::screq("alice", false));
  const SmMessage first = h.one_sm(a);
  EXPECT_EQ(first.type, SmType::SCACC);
  EXPECT_FALSE(first.closed);  // scacc_sets_mode would set M
  // sequential_ids would hand out consecutive IDs; random ones are rarely consecutive, so look
  // at several creations.
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
