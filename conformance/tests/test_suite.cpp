// Unit tests of run_suite (suite.hpp) with a scripted runner in place of the wire: cases the
// tester's own lateness left inconclusive are played again, alone and after the others, and
// the implementation is judged on the first play the tester kept up with.
#include <gtest/gtest.h>

#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "suite.hpp"

using namespace conform;

namespace {

/// A runner that plays each case from a script of verdicts, one per play, and records the
/// order of the plays.
struct Script {
  std::map<std::string, std::vector<Verdict>> plays;  // id -> verdict of play 1, 2, ...
  std::map<std::string, int> played;
  std::vector<std::string> order;
  std::mutex mu;

  CaseResult operator()(const TestPurpose& tp) {
    std::lock_guard lock(mu);
    const auto& v = plays.at(tp.id);
    const int n = played[tp.id]++;
    order.push_back(tp.id);
    CaseResult r;
    r.tp = &tp;
    r.verdict = v.at(static_cast<std::size_t>(std::min<int>(n, static_cast<int>(v.size()) - 1)));
    if (r.verdict == Verdict::inconc) {
      r.tester_late = true;
      r.lateness_ms = 41;
      r.reason = "tester was late by 41 ms; timing failure not conclusive: no KARES in time";
    }
    return r;
  }
};

struct Fixture {
  std::vector<TestPurpose> tps;
  Script script;
  SuiteOptions opts;

  explicit Fixture(std::map<std::string, std::vector<Verdict>> plays) {
    script.plays = std::move(plays);
    for (const auto& [id, _] : script.plays) {
      TestPurpose tp;
      tp.id = id;
      tps.push_back(tp);
    }
    opts.jobs = 1;
    opts.runner = [this](const TestPurpose& tp, const RunConfig&) { return script(tp); };
  }

  std::vector<CaseResult> run() {
    std::vector<const TestPurpose*> ptrs;
    for (const auto& tp : tps) ptrs.push_back(&tp);
    return run_suite(ptrs, RunConfig{}, opts, {});
  }
};

}  // namespace

TEST(LateReplay, ATesterLateCaseIsPlayedAgainAfterTheOthersAndJudgedOnThatPlay) {
  Fixture f({{"A", {Verdict::inconc, Verdict::pass}}, {"B", {Verdict::pass}}, {"C", {Verdict::fail}}});
  auto rs = f.run();
  ASSERT_EQ(rs.size(), 3u);
  EXPECT_EQ(rs[0].verdict, Verdict::pass);
  EXPECT_EQ(rs[0].attempts, 2);
  ASSERT_FALSE(rs[0].details.empty());
  EXPECT_NE(rs[0].details.back().find("play 1 set aside: tester was late by 41 ms"), std::string::npos);
  EXPECT_EQ(rs[1].attempts, 1);
  EXPECT_EQ(rs[2].verdict, Verdict::fail);
  EXPECT_EQ(rs[2].attempts, 1);
  // A's replay comes after every first play.
  EXPECT_EQ(f.script.order, (std::vector<std::string>{"A", "B", "C", "A"}));
}

TEST(LateReplay, StaysInconclusiveWhenTheTesterIsLateEveryTime) {
  Fixture f({{"A", {Verdict::inconc}}});
  auto rs = f.run();
  EXPECT_EQ(rs[0].verdict, Verdict::inconc);
  EXPECT_EQ(rs[0].attempts, 3);  // the first play and two replays
  EXPECT_EQ(f.script.played["A"], 3);
  EXPECT_EQ(rs[0].details.size(), 2u);  // plays 1 and 2 set aside; play 3's reason is the verdict's
  EXPECT_EQ(summarize(rs).exit_code, ExitCode::inconc);
}

TEST(LateReplay, AFailOnReplayIsAFail) {
  Fixture f({{"A", {Verdict::inconc, Verdict::fail}}});
  auto rs = f.run();
  EXPECT_EQ(rs[0].verdict, Verdict::fail);
  EXPECT_EQ(rs[0].attempts, 2);
}

TEST(LateReplay, ZeroReplaysKeepsTheFirstPlay) {
  Fixture f({{"A", {Verdict::inconc, Verdict::pass}}});
  f.opts.late_replays = 0;
  auto rs = f.run();
  EXPECT_EQ(rs[0].verdict, Verdict::inconc);
  EXPECT_EQ(rs[0].attempts, 1);
  EXPECT_EQ(f.script.played["A"], 1);
}

TEST(LateReplay, OtherInconclusivesAreNotReplayed) {
  Fixture f({{"A", {Verdict::pass}}});
  f.opts.runner = [&f](const TestPurpose& tp, const RunConfig&) {
    CaseResult r = f.script(tp);
    r.verdict = Verdict::inconc;  // e.g. REASON 1 during set-up: a resource limit, not lateness
    r.reason = "resources";
    return r;
  };
  auto rs = f.run();
  EXPECT_EQ(rs[0].verdict, Verdict::inconc);
  EXPECT_EQ(f.script.played["A"], 1);
}
