#include "campaign.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <set>
#include <thread>

#include <fmt/format.h>

#include "inject.hpp"
#include "msgbuild.hpp"
#include "suite.hpp"

namespace conform::robustness {

namespace {

struct Item {
  std::size_t index;  // typed send
  std::string id;     // anomaly ID within that send
  std::string family;
  Expect expect;
  int message_type = -1;  // of the valid message (SM type byte, MM type nibble)
};

/// One planned case run of a purpose and the anomalies it carries.
struct Job {
  const TestPurpose* tp;
  std::vector<Item> items;
  std::vector<std::string> leftover;  // of the baseline run
};

struct Outcome {
  CaseResult result;
  Sent sent;
};

/// fn(k) for every k < n: in parallel, then one at a time those of purposes that count
/// server-wide resources (exclusive), as the suite runs them.
void parallel(std::size_t n, unsigned jobs, const std::function<const TestPurpose&(std::size_t)>& purpose,
              const std::function<void(std::size_t)>& fn) {
  std::vector<std::size_t> shared, alone;
  for (std::size_t k = 0; k < n; ++k) (purpose(k).exclusive ? alone : shared).push_back(k);
  std::atomic<std::size_t> next{0};
  std::vector<std::thread> workers;
  for (unsigned w = 0; w < std::max(1u, std::min<unsigned>(jobs, static_cast<unsigned>(shared.size()))); ++w)
    workers.emplace_back([&] {
      for (std::size_t k; (k = next++) < shared.size();) fn(shared[k]);
    });
  for (auto& t : workers) t.join();
  for (std::size_t k : alone) fn(k);
}

double close_window(const RunConfig& cfg) {
  return (cfg.pixit.window_ms + cfg.pixit.tolerance_ms) * cfg.time_scale;
}

/// Messages the run received and no step took beyond those of the baseline run: answers to
/// anomalies that the purpose's own steps did not meet.
std::vector<std::string> extra(const std::vector<std::string>& run, const std::vector<std::string>& baseline) {
  std::map<std::string, int> left;
  for (const auto& m : baseline) left[m]++;
  std::vector<std::string> out;
  for (const auto& m : run)
    if (left[m]-- <= 0) out.push_back(m);
  return out;
}

/// Plays the purpose with `items` injected; a timing verdict made inconclusive by the tester's
/// own lateness is played once more.
CaseResult run_one(const TestPurpose& tp, const RunConfig& cfg, const Settings& s) {
  return s.runner ? s.runner(tp, cfg) : run_case(tp, cfg);
}

Outcome play(const Job& job, const std::vector<Item>& items, const RunConfig& base, const Settings& s) {
  Injection plan;
  for (const auto& it : items) plan[it.index].push_back(it.id);
  Outcome o;
  for (int attempt = 0; attempt < 2; ++attempt) {
    auto sent = std::make_shared<Sent>();
    RunConfig cfg = base;
    cfg.before_send = injector(plan, s.seed, job.tp->id, s.side, cfg.target, close_window(cfg), sent);
    o.result = run_one(*job.tp, cfg, s);
    o.sent = *sent;
    if (!o.result.tester_late) break;  // the same rule as the suite's replays (suite.cpp)
  }
  if (auto more = extra(o.result.leftover, job.leftover); o.result.verdict == Verdict::pass && !more.empty()) {
    o.result.verdict = Verdict::fail;
    o.result.reason = "unexpected messages that no step of the purpose took (an anomaly answered?)";
    o.result.details = more;
    o.result.where = "after the purpose's last step";
    for (const auto& m : more) o.result.reason += (m == more.front() ? ": " : ", ") + m;
  }
  o.result.log.clear();
  o.result.trace.clear();
  return o;
}

/// The baseline run of a purpose, recording the anomalies of each typed send (of the first
/// `per_step` sends of a step that a repeat plays many times).
std::vector<Item> discover(const TestPurpose& tp, const RunConfig& base, const Settings& s, CaseResult& r) {
  std::vector<Item> items;
  std::map<std::string, int> played;
  RunConfig cfg = base;
  cfg.before_send = [&](SendHook& h) {
    if (++played[h.where] > s.per_step) return std::string();
    const int type = h.out.bytes.size() < 2 ? -1 : h.out.tcp ? h.out.bytes[1] : (h.out.bytes[0] & 0x0F);
    for (const auto& a : anomalies_of(h, s.seed, tp.id, s.side))
      items.push_back({h.index, a.id, a.family, a.expect, type});
    return std::string();
  };
  r = run_one(tp, cfg, s);
  return items;
}

/// Spreads a purpose's anomalies over case runs: run k sends the k-th `equivalent` anomaly
/// of every send in place of it (one message cannot be replaced twice); the `discard` and
/// `close` anomalies ride along, each in the run that carries the fewest so far, and in a new
/// run when that one already carries `max_per_run`: no ride-along makes a run larger than
/// that. On the client side a `close` anomaly (a framing error) ends its purpose (inject.hpp):
/// it gets a run of its own.
std::vector<Job> plan_purpose(const TestPurpose* tp, const std::vector<Item>& items, const CaseResult& baseline,
                              const Settings& s) {
  const std::size_t bound = std::max<std::size_t>(1, s.max_per_run);
  std::map<std::size_t, std::size_t> equivalents;
  for (const auto& it : items)
    if (it.expect == Expect::equivalent) equivalents[it.index]++;
  std::size_t runs = 1;
  for (const auto& [i, n] : equivalents) runs = std::max(runs, n);
  std::vector<Job> jobs(runs, Job{tp, {}, baseline.leftover}), alone;
  std::map<std::size_t, std::size_t> seen;
  for (const auto& it : items)
    if (it.expect == Expect::equivalent) jobs[seen[it.index]++].items.push_back(it);
  for (const auto& it : items) {
    if (it.expect == Expect::equivalent) continue;
    if (s.side == Side::client && it.expect == Expect::close) {
      alone.push_back(Job{tp, {it}, baseline.leftover});
      continue;
    }
    auto least = std::min_element(jobs.begin(), jobs.end(),
                                  [](const Job& a, const Job& b) { return a.items.size() < b.items.size(); });
    if (least->items.size() >= bound) {
      jobs.push_back(Job{tp, {}, baseline.leftover});
      least = std::prev(jobs.end());
    }
    least->items.push_back(it);
  }
  std::erase_if(jobs, [](const Job& j) { return j.items.empty(); });
  for (auto& j : alone) jobs.push_back(std::move(j));
  return jobs;
}

/// Against a client, each framing anomaly costs a case run of its own (it ends the purpose,
/// inject.hpp). A receiver rejects a framing error on its length prefix alone, before it reads
/// the message (profile 1), so each (message type, framing anomaly) is kept once, in the first
/// purpose (in selection order) whose baseline sends that type.
void once_per_type(std::vector<std::vector<Item>>& found, const std::vector<CaseResult>& baseline) {
  std::set<std::pair<int, std::string>> seen;
  for (std::size_t k = 0; k < found.size(); ++k)
    if (baseline[k].verdict == Verdict::pass)
      std::erase_if(found[k], [&](const Item& it) {
        return it.expect == Expect::close && !seen.insert({it.message_type, it.id}).second;
      });
}

/// Cuts a failing batch in halves (first half first) down to the first anomaly that fails
/// alone; `alone` false when the purpose passes with either half.
Finding localize(const Job& job, const Outcome& failed, const RunConfig& cfg, const Settings& s) {
  std::vector<Item> set = job.items;
  Outcome last = failed;
  bool alone = true;
  while (set.size() > 1) {
    const auto mid = set.begin() + static_cast<std::ptrdiff_t>(set.size() / 2);
    std::vector<Item> left(set.begin(), mid), right(mid, set.end());
    Outcome o = play(job, left, cfg, s);
    if (o.result.verdict != Verdict::pass) {
      set = std::move(left);
      last = std::move(o);
      continue;
    }
    o = play(job, right, cfg, s);
    if (o.result.verdict != Verdict::pass) {
      set = std::move(right);
      last = std::move(o);
      continue;
    }
    alone = false;
    break;
  }
  Finding f;
  f.anomaly = anomaly_id(job.tp->id, set.front().index, set.front().id);
  f.family = set.front().family;
  f.verdict = last.result.verdict;
  f.reason = last.result.reason;
  f.where = last.result.where;
  f.alone = alone;
  if (!alone) f.reason = fmt::format("only a batch of {} anomalies fails: {}", set.size(), f.reason);
  f.replay = fmt::format("{} --robustness --seed {} --anomaly {}", s.replay_base, s.seed, shell_quote(f.anomaly));
  return f;
}

/// A failing batch reported as it is (its first anomaly named, the others with it).
Finding uncut(const std::vector<Item>& items, const Outcome& o, const TestPurpose& tp) {
  Finding f;
  f.anomaly = anomaly_id(tp.id, items.front().index, items.front().id);
  f.family = items.front().family;
  f.verdict = o.result.verdict;
  f.reason = fmt::format("a batch of {} anomalies fails (not cut down: limit reached): {}", items.size(), o.result.reason);
  f.where = o.result.where;
  f.alone = false;
  return f;
}

/// Every anomaly of a failing run that fails alone, one after the other: the run is played
/// again without those found, until it passes (so that the other families of the run get a
/// verdict of their own), at most `per_run` times.
std::vector<Finding> localize_all(const Job& job, const Outcome& failed, const RunConfig& cfg, const Settings& s) {
  std::vector<Finding> out;
  Job rest = job;
  Outcome last = failed;
  for (std::size_t n = 0;; ++n) {
    if (n == s.per_run) {
      out.push_back(uncut(rest.items, last, *job.tp));
      break;
    }
    out.push_back(localize(rest, last, cfg, s));
    if (!out.back().alone) break;
    const std::string found = out.back().anomaly;
    std::erase_if(rest.items, [&](const Item& it) { return anomaly_id(job.tp->id, it.index, it.id) == found; });
    if (rest.items.empty()) break;
    last = play(rest, rest.items, cfg, s);
    if (last.result.verdict == Verdict::pass) break;
  }
  return out;
}

void count(Result& r, const TestPurpose& tp, const Sent& sent) {
  for (const auto& [i, id] : sent.items) {
    r.families[id.substr(0, id.find('/'))].sent++;
    r.files[tp.file].sent++;
    r.sent++;
  }
}

void conclude(Result& r) {
  std::size_t fails = 0, errors = 0;
  for (const auto& f : r.findings) {
    (f.verdict == Verdict::fail ? fails : errors)++;
    if (!f.alone) continue;  // a batch: the campaign fails, no family is blamed for it
    Tally& t = r.families[f.family];
    t.failures++;
    if (t.first.empty()) t.first = f.anomaly;
  }
  if (fails) r.exit_code = ExitCode::fail;
  else if (errors) r.exit_code = ExitCode::error;
  else if (r.sent == 0) r.exit_code = ExitCode::error;
}

/// --anomaly TP#N:ID: that anomaly alone.
Result replay(const std::vector<const TestPurpose*>& tps, const RunConfig& cfg, const Settings& s) {
  Result r;
  r.seed = s.seed;
  const auto hash = s.anomaly.find('#'), colon = s.anomaly.find(':', hash == std::string::npos ? 0 : hash);
  const TestPurpose* tp = nullptr;
  std::size_t index = 0;
  if (hash != std::string::npos && colon != std::string::npos) {
    for (const auto* t : tps)
      if (t->id == s.anomaly.substr(0, hash)) tp = t;
    try {
      index = std::stoul(s.anomaly.substr(hash + 1, colon - hash - 1));
    } catch (const std::exception&) {
      tp = nullptr;
    }
  }
  if (!tp) {
    r.skipped.push_back(s.anomaly + ": not an anomaly of the selected purposes (expected TP#N:family/detail)");
    r.exit_code = ExitCode::usage;
    return r;
  }
  const std::string id = s.anomaly.substr(colon + 1);
  CaseResult baseline;
  discover(*tp, cfg, s, baseline);
  const Job job{tp, {{index, id, id.substr(0, id.find('/')), Expect::discard, -1}}, baseline.leftover};
  Outcome o = play(job, job.items, cfg, s);
  r.purposes = r.runs = 1;
  r.anomalies.push_back(s.anomaly);
  count(r, *tp, o.sent);
  if (o.result.verdict != Verdict::pass) r.findings.push_back(localize(job, o, cfg, s));
  conclude(r);
  return r;
}

}  // namespace

std::string shell_quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

std::string anomaly_id(const std::string& tp, std::size_t index, const std::string& id) {
  return fmt::format("{}#{}:{}", tp, index, id);
}

Result run(const std::vector<const TestPurpose*>& tps, const RunConfig& cfg, const Settings& s) {
  const auto t0 = std::chrono::steady_clock::now();
  if (!s.anomaly.empty()) {
    Result r = replay(tps, cfg, s);
    r.wall_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    return r;
  }
  Result r;
  r.seed = s.seed;
  // Left out: purposes that are n/a (PICS, resources), and those that fail without anomalies.
  std::vector<const TestPurpose*> usable;
  for (const auto* tp : tps)
    if (not_applicable(cfg.pixit, *tp).empty()) usable.push_back(tp);
  std::vector<std::vector<Item>> found(usable.size());
  std::vector<CaseResult> baseline(usable.size());
  parallel(usable.size(), s.jobs, [&](std::size_t k) -> const TestPurpose& { return *usable[k]; },
           [&](std::size_t k) { found[k] = discover(*usable[k], cfg, s, baseline[k]); });
  if (s.side == Side::client) once_per_type(found, baseline);
  std::vector<Job> jobs;
  for (std::size_t k = 0; k < usable.size(); ++k) {
    if (baseline[k].verdict != Verdict::pass) {
      r.skipped.push_back(fmt::format("{}: {} without anomalies ({})", usable[k]->id, to_string(baseline[k].verdict),
                                      baseline[k].reason));
      continue;
    }
    if (found[k].empty()) {
      r.skipped.push_back(usable[k]->id + ": no typed send towards the implementation to derive anomalies from");
      continue;
    }
    r.purposes++;
    for (const auto& it : found[k]) r.anomalies.push_back(anomaly_id(usable[k]->id, it.index, it.id));
    for (auto& j : plan_purpose(usable[k], found[k], baseline[k], s)) jobs.push_back(std::move(j));
  }
  for (const auto& j : jobs) r.largest_run = std::max(r.largest_run, j.items.size());
  std::vector<Outcome> outcomes(jobs.size());
  auto of_job = [&](std::size_t k) -> const TestPurpose& { return *jobs[k].tp; };
  parallel(jobs.size(), s.jobs, of_job, [&](std::size_t k) { outcomes[k] = play(jobs[k], jobs[k].items, cfg, s); });
  r.runs = jobs.size();
  std::vector<std::size_t> failing;
  auto of_failing = [&](std::size_t k) -> const TestPurpose& { return *jobs[failing[k]].tp; };
  for (std::size_t k = 0; k < jobs.size(); ++k) {
    count(r, *jobs[k].tp, outcomes[k].sent);
    if (outcomes[k].result.verdict != Verdict::pass) failing.push_back(k);
  }
  // A failure must be reproducible: a run that passes when played again (its purpose's timers
  // missed on a loaded machine) is counted, not reported as a finding.
  std::vector<Outcome> again(failing.size());
  parallel(failing.size(), s.jobs, of_failing,
           [&](std::size_t k) { again[k] = play(jobs[failing[k]], jobs[failing[k]].items, cfg, s); });
  std::vector<std::size_t> confirmed;
  for (std::size_t k = 0; k < failing.size(); ++k) {
    if (again[k].result.verdict == Verdict::pass) {
      r.not_reproduced.push_back(fmt::format("{} (a run of {} anomalies): {}", jobs[failing[k]].tp->id,
                                             jobs[failing[k]].items.size(), outcomes[failing[k]].result.reason));
      continue;
    }
    confirmed.push_back(failing[k]);
    r.files[jobs[failing[k]].tp->file].failures++;
  }
  failing = std::move(confirmed);
  std::vector<std::vector<Finding>> found_in(failing.size());
  parallel(found_in.size(), s.jobs, of_failing, [&](std::size_t k) {
    found_in[k] = k < s.max_localized ? localize_all(jobs[failing[k]], outcomes[failing[k]], cfg, s)
                                      : std::vector<Finding>{uncut(jobs[failing[k]].items, outcomes[failing[k]], *jobs[failing[k]].tp)};
  });
  for (auto& fs : found_in) r.findings.insert(r.findings.end(), fs.begin(), fs.end());
  conclude(r);
  r.wall_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  return r;
}

}  // namespace conform::robustness
