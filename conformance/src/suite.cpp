#include "suite.hpp"

#include <algorithm>
#include <atomic>
#include <mutex>
#include <thread>

#include "purpose.hpp"

namespace conform {

namespace {

// A refusal for resources (REASON 1, profile 5.7) while the purpose was still setting up
// says the implementation had no room for this case, not that it breaks the requirement
// under test: inconc with that reason, never fail.
CaseResult judged(CaseResult r) {
  if (r.verdict != Verdict::fail && r.verdict != Verdict::error) return r;
  const auto& setup = r.tp->setup;
  if (std::find(setup.begin(), setup.end(), r.where) == setup.end()) return r;
  for (const auto& e : r.log) {
    if (e.to_server || !e.decoded.is_object()) continue;
    const std::string t = e.decoded.value("type", "");
    const Json opt = e.decoded.value("opt", Json::object());
    if ((t == "SCREJ" || t == "SRREJ") && opt.is_object() && opt.value("REASON", -1) == 1) {
      r.details.insert(r.details.begin(), std::string(to_string(r.verdict)) + " before this: " + r.reason);
      r.verdict = Verdict::inconc;
      r.reason = "resources: " + t + " REASON 1 to " + e.lifeline +
                 " during set-up, before the first step the purpose tests (the PIXIT may declare the limit)";
      return r;
    }
  }
  return r;
}

}  // namespace

std::string not_applicable(const Pixit& p, const TestPurpose& tp) {
  std::string unmet = pics_unmet(p, tp.pics);
  if (!unmet.empty()) return "PICS condition not met: " + unmet;
  return needs_unmet(p, tp.needs);
}

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
    std::string unmet = not_applicable(cfg.pixit, *tps[i]);
    if (!unmet.empty()) {
      CaseResult r;
      r.tp = tps[i];
      r.verdict = Verdict::na;
      r.reason = unmet;
      finish(i, std::move(r));
    } else {
      (tps[i]->exclusive ? exclusive : shared).push_back(i);
    }
  }
  auto play = [&](std::size_t i) { return o.runner ? o.runner(*tps[i], cfg) : judged(run_case(*tps[i], cfg)); };
  // Cases the tester's lateness left inconclusive wait for the end, where they run alone on a
  // quieter host; the implementation is judged on the first play the tester kept up with.
  std::vector<std::pair<std::size_t, CaseResult>> late;
  auto done_or_later = [&](std::size_t i, CaseResult r) {
    if (r.tester_late && o.late_replays > 0) {
      std::lock_guard lock(mu);
      late.emplace_back(i, std::move(r));
    } else {
      finish(i, std::move(r));
    }
  };
  std::atomic<std::size_t> next{0};
  unsigned jobs = o.jobs;
  if (long long parallel = cfg.pixit.values.value("parallel", 0LL); parallel > 0)
    jobs = std::min<unsigned>(jobs, static_cast<unsigned>(parallel));  // what the PIXIT says it serves
  unsigned n = std::max(1u, std::min<unsigned>(jobs, static_cast<unsigned>(shared.size())));
  std::vector<std::thread> workers;
  for (unsigned w = 0; w < n; ++w)
    workers.emplace_back([&] {
      for (std::size_t k; (k = next++) < shared.size();) done_or_later(shared[k], play(shared[k]));
    });
  for (auto& t : workers) t.join();
  // Purposes that count server-wide resources (session limit) run alone, after the rest.
  for (std::size_t i : exclusive) done_or_later(i, play(i));
  std::sort(late.begin(), late.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  for (auto& [i, first] : late) {
    CaseResult r = std::move(first);
    std::vector<std::string> earlier;
    for (unsigned n = 0; n < o.late_replays && r.tester_late; ++n) {
      earlier.push_back("play " + std::to_string(r.attempts) + " set aside: " + r.reason);
      const int attempts = r.attempts + 1;
      r = play(i);
      r.attempts = attempts;
    }
    r.details.insert(r.details.end(), earlier.begin(), earlier.end());
    finish(i, std::move(r));
  }
  return results;
}

Summary summarize(const std::vector<CaseResult>& results) {
  Summary s;
  for (const auto& r : results) {
    s.counts[r.verdict]++;
    if (r.verdict != Verdict::na) s.executed++;
    if (!r.deviation.empty()) s.deviations++;
    if (r.verdict != Verdict::fail) continue;
    if (r.authority().x602()) s.fails_x602++;
    else s.fails_profile++;
    for (const auto& p : r.authority().profile) s.fails_by_section[p]++;
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
