// fuzz_server_core against the core wrapped by the fault layer: one fault switch on, named by
// GMP_SERVER_TEST_FAULT (reference/server/faulty/faults.hpp). A switch that breaks one of the
// target's invariants must be reported as a crash within a short run (docs/reliability.md).
#define GMP_FAULTS 1
#include "fuzz_server_core.cpp"  // NOLINT(bugprone-suspicious-include)
