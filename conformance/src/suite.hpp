// Selection (--select / --exclude), PICS evaluation (n/a), parallel execution (each case in
// its own session and its own sockets), deviations, and the exit code.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "exit_code.hpp"
#include "runner.hpp"

namespace conform {

struct SuiteOptions {
  std::vector<std::string> select;   // glob patterns on IDs; empty: all
  std::vector<std::string> exclude;
  unsigned jobs = 32;
  std::map<std::string, std::string> deviations;
  /// Plays one case; empty: run_case (the server suite). The client suite sets its own.
  std::function<CaseResult(const TestPurpose&, const RunConfig&)> runner;
};

/// Test purposes in suite order (file order), filtered by select/exclude.
std::vector<const TestPurpose*> selected(const std::vector<ScenarioFile>& files, const SuiteOptions& o);

/// Runs them; `progress` is called (from one thread at a time) after each case.
std::vector<CaseResult> run_suite(const std::vector<const TestPurpose*>& tps, const RunConfig& cfg,
                                  const SuiteOptions& o,
                                  const std::function<void(const CaseResult&, std::size_t done,
                                                           std::size_t total)>& progress);

struct Summary {
  std::map<Verdict, int> counts;       // verdict -> count (verdicts seen only)
  int deviations = 0;                  // fails documented by the deviations file
  int executed = 0;                    // pass + fail + inconc + error
  ExitCode exit_code = ExitCode::pass;
};

/// The campaign's exit code from its verdicts (exit_code.hpp): pass when every executed case
/// passed (n/a and documented deviations allowed), else fail, then error (or zero executed
/// cases), then inconc. usage and target are decided by main.
Summary summarize(const std::vector<CaseResult>& results);

}  // namespace conform
