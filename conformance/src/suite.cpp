#include "suite.hpp"

#include <atomic>
#include <mutex>
#include <thread>

namespace conform {

std::vector<const TestPurpose*> selected(const std::vector<ScenarioFile>& files, const SuiteOptions& o) {
  std::vector<const TestPurpose*> out;
  for (const auto& f : files)
    for (const auto& tp : f.purposes) {
      bool in = o.select.empty();
      for (const auto& p : o.select) in = in || glob_match(p, tp.id) || glob_match(p, tp.file);
      for (const auto& p : o.exclude)
        if (glob_match(p, tp.id) || glob_match(p, tp.file)) in = false;
      if (in) out.push_back(&tp);
    }
  return out;
}

std::vector<CaseResult> run_suite(const std::vector<const TestPurpose*>& tps, const RunConfig& cfg,
                                  const SuiteOptions& o,
                                  const std::function<void(const CaseResult&, std::size_t, std::size_t)>& progress) {
  std::vector<CaseResult> results(tps.size());
  std::vector<std::size_t> shared, exclusive;
  std::mutex mu;
  std::size_t done = 0;
  auto finish = [&](std::size_t i, CaseResult r) {
    r.deviation = !is_finding(r.verdict) ? "" : deviation_for(o.deviations, tps[i]->id);
    std::lock_guard lock(mu);
    results[i] = std::move(r);
    ++done;
    if (progress) progress(results[i], done, tps.size());
  };
  for (std::size_t i = 0; i < tps.size(); ++i) {
    std::string unmet = pics_unmet(cfg.pixit, tps[i]->pics);
    if (!unmet.empty()) {
      CaseResult r;
      r.tp = tps[i];
      r.verdict = Verdict::na;
      r.reason = "PICS condition not met: " + unmet;
      finish(i, std::move(r));
    } else {
      (tps[i]->exclusive ? exclusive : shared).push_back(i);
    }
  }
  auto play = [&](std::size_t i) { return o.runner ? o.runner(*tps[i], cfg) : run_case(*tps[i], cfg); };
  std::atomic<std::size_t> next{0};
  unsigned n = std::max(1u, std::min<unsigned>(o.jobs, static_cast<unsigned>(shared.size())));
  std::vector<std::thread> workers;
  for (unsigned w = 0; w < n; ++w)
    workers.emplace_back([&] {
      for (std::size_t k; (k = next++) < shared.size();) finish(shared[k], play(shared[k]));
    });
  for (auto& t : workers) t.join();
  // Purposes that count server-wide resources (session limit) run alone, after the rest.
  for (std::size_t i : exclusive) finish(i, play(i));
  return results;
}

Summary summarize(const std::vector<CaseResult>& results) {
  Summary s;
  for (const auto& r : results) {
    s.counts[r.verdict]++;
    if (r.verdict != Verdict::na) s.executed++;
    if (!r.deviation.empty()) s.deviations++;
  }
  int fails = 0, inconcs = 0, errors = 0;
  for (const auto& r : results) {
    if (!r.deviation.empty()) continue;  // documented: visible, not counted
    if (r.verdict == Verdict::fail) fails++;
    if (r.verdict == Verdict::inconc) inconcs++;
    if (r.verdict == Verdict::error) errors++;
  }
  if (s.executed == 0) s.exit_code = ExitCode::error;
  else if (fails) s.exit_code = ExitCode::fail;
  else if (errors) s.exit_code = ExitCode::error;
  else if (inconcs) s.exit_code = ExitCode::inconc;
  return s;
}

}  // namespace conform
