// gmp-conform's exit codes (README "Command-line convention and exit codes",
// docs/conformance.md). The values are an interface: CI jobs test them.
#pragma once

namespace conform {

enum class ExitCode : int {
  pass = 0,    // every executed case passed (n/a and documented deviations allowed); --help
  fail = 1,    // a fail
  usage = 2,   // bad command line, scenario, PIXIT or deviations file
  error = 3,   // an error (no fail), zero executed cases, an empty selection, reports not written
  inconc = 4,  // inconc only
  target = 5,  // the implementation could not be started or reached
};

}  // namespace conform
