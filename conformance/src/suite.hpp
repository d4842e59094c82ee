// Selection (--select / --exclude), PICS and resources against the PIXIT (n/a), REASON 1
// refusals during set-up (inconc), parallel execution (each case in
// its own session and its own sockets), replays of cases the tester's own lateness left
// inconclusive, deviations, and the exit code.
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
  /// A case made inconclusive only by the tester's own lateness (a timing verdict it could
  /// not judge, pixit late_ms) is played again, alone after the others, up to this many times.
  unsigned late_replays = 2;
  /// Plays one case; empty: run_case (the server suite). The client suite sets its own.
  std::function<CaseResult(const TestPurpose&, const RunConfig&)> runner;
};

/// Why the purpose is not run (n/a): the PICS exclude it, or it needs more than the PIXIT
/// declares; "" when it runs.
std::string not_applicable(const Pixit& p, const TestPurpose& tp);

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
  // Fails by authority (profile 8): against the recommendation, against profile decisions
  // only, and per profile section (a purpose resting on two sections counts in both).
  int fails_x602 = 0;
  int fails_profile = 0;
  std::map<std::string, int> fails_by_section;
  ExitCode exit_code = ExitCode::pass;
};

/// The campaign's exit code from its verdicts (exit_code.hpp): pass when every executed case
/// passed (n/a and documented deviations allowed), else fail, then error (or zero executed
/// cases), then inconc. usage and target are decided by main.
Summary summarize(const std::vector<CaseResult>& results);

}  // namespace conform
