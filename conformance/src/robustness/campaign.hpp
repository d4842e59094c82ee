// gmp-conform --robustness: the generated purposes GMP/ROB/GEN/<family>. Every typed send of
// every selected server purpose gives its anomalies (anomalies.hpp); the purposes are played
// again with the anomalies sent in place of or before the valid messages (inject.hpp), and
// the rest of each purpose proves the implementation alive and its state unchanged. Batches
// that fail are cut in halves until the first failing anomaly is found alone. Everything is
// drawn from --seed, so that every anomaly can be replayed alone (--anomaly ID).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "exit_code.hpp"
#include "inject.hpp"
#include "runner.hpp"

namespace conform::robustness {

/// The most anomalies one case run carries. A purpose whose sends give more is played more
/// times: sending ~1,000 anomalies in one run (GMP/MM/UI/08's 290 members) takes long enough on
/// a loaded 2-core machine that the tester misses the purpose's own windows (SCCON within the
/// creation window); 200 anomalies (at most ~240 KB, the largest being 1,204 bytes) keep a run
/// within its windows there.
constexpr std::size_t max_anomalies_per_run = 200;

/// Plays one purpose (the server suite's run_case, or the client suite's runner).
using CaseRunner = std::function<CaseResult(const TestPurpose&, const RunConfig&)>;

struct Settings {
  std::uint64_t seed = 1;
  std::string anomaly;          // --anomaly "TP#N:ID": replay this one alone
  unsigned jobs = 32;
  std::string replay_base;      // the command line a replay command starts with
  std::size_t max_localized = 8;  // failing runs cut down to the anomalies that fail alone
  std::size_t per_run = 8;        // anomalies found alone in one failing run, at most
  int per_step = 2;               // a step played many times (repeat): its first sends only
  Side side = Side::server;       // whom the campaign tests
  CaseRunner runner;              // empty: the server suite's run_case
  std::size_t max_per_run = max_anomalies_per_run;
};

/// A failure: the anomaly that makes the purpose fail alone (or the batch, when not found).
struct Finding {
  std::string anomaly;   // "GMP/SM/CRE/01#2:option.size/9#2-1"
  std::string family;
  Verdict verdict = Verdict::fail;
  std::string reason, where;
  std::string replay;    // one command line that reproduces it
  bool alone = true;     // false: only the batch fails (not localized, or only together)
};

struct Tally {
  std::size_t sent = 0, failures = 0;
  std::string first;     // first failing anomaly
};

struct Result {
  std::uint64_t seed = 0;
  std::string against;    // the implementation under test, as the reports name it
  std::size_t purposes = 0, runs = 0, sent = 0;
  std::size_t largest_run = 0;            // anomalies in the largest case run
  std::vector<std::string> anomalies;     // every planned anomaly ID, in plan order
  std::map<std::string, Tally> families;  // family -> tally
  std::map<std::string, Tally> files;     // scenario file -> tally
  std::vector<Finding> findings;
  std::vector<std::string> skipped;       // purposes left out, with why
  std::vector<std::string> not_reproduced;  // runs that failed once, then passed played again
  double wall_ms = 0;
  ExitCode exit_code = ExitCode::pass;
};

/// `s` quoted for a POSIX shell (replay command lines).
std::string shell_quote(const std::string& s);

/// The ID of one anomaly of one typed send of a purpose: "TP#N:family/detail".
std::string anomaly_id(const std::string& tp, std::size_t index, const std::string& id);

Result run(const std::vector<const TestPurpose*>& tps, const RunConfig& cfg, const Settings& s);

/// Console summary; robustness.json, robustness-junit.xml and robustness.html in `dir`
/// (report.cpp).
void print(const Result& r);
void write_reports(const Result& r, const std::string& dir);

}  // namespace conform::robustness
