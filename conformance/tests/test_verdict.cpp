// Unit tests of verdict spelling and aggregation (suite.hpp summarize): the exit code of a
// campaign from its case verdicts and documented deviations.
#include <gtest/gtest.h>

#include "suite.hpp"

using namespace conform;

namespace {

std::vector<CaseResult> results(std::initializer_list<Verdict> vs) {
  static const TestPurpose tp;
  std::vector<CaseResult> out;
  for (Verdict v : vs) {
    CaseResult r;
    r.tp = &tp;
    r.verdict = v;
    out.push_back(r);
  }
  return out;
}

}  // namespace

TEST(Verdict, OneSpellingEach) {
  EXPECT_EQ(to_string(Verdict::pass), "pass");
  EXPECT_EQ(to_string(Verdict::fail), "fail");
  EXPECT_EQ(to_string(Verdict::inconc), "inconc");
  EXPECT_EQ(to_string(Verdict::error), "error");
  EXPECT_EQ(to_string(Verdict::na), "n/a");
  EXPECT_TRUE(is_finding(Verdict::inconc));
  EXPECT_FALSE(is_finding(Verdict::na));
  EXPECT_FALSE(is_finding(Verdict::pass));
}

TEST(Summary, PassAndNotApplicableIsSuccess) {
  Summary s = summarize(results({Verdict::pass, Verdict::na, Verdict::pass}));
  EXPECT_EQ(s.exit_code, ExitCode::pass);
  EXPECT_EQ(s.executed, 2);
  EXPECT_EQ(s.counts.at(Verdict::pass), 2);
  EXPECT_EQ(s.counts.at(Verdict::na), 1);
  EXPECT_EQ(s.counts.count(Verdict::fail), 0u);
}

TEST(Summary, FailOutranksErrorWhichOutranksInconc) {
  EXPECT_EQ(summarize(results({Verdict::inconc, Verdict::error, Verdict::fail})).exit_code, ExitCode::fail);
  EXPECT_EQ(summarize(results({Verdict::inconc, Verdict::error, Verdict::pass})).exit_code, ExitCode::error);
  EXPECT_EQ(summarize(results({Verdict::inconc, Verdict::pass})).exit_code, ExitCode::inconc);
}

TEST(Summary, NothingExecutedIsAnError) {
  EXPECT_EQ(summarize(results({Verdict::na, Verdict::na})).exit_code, ExitCode::error);
  EXPECT_EQ(summarize({}).exit_code, ExitCode::error);
}

TEST(Summary, DocumentedDeviationIsVisibleButNotCounted) {
  auto rs = results({Verdict::pass, Verdict::fail});
  rs[1].deviation = "known: the server answers SCREJ";
  Summary s = summarize(rs);
  EXPECT_EQ(s.exit_code, ExitCode::pass);
  EXPECT_EQ(s.deviations, 1);
  EXPECT_EQ(s.counts.at(Verdict::fail), 1);
}

TEST(ExitCodes, ValuesOfTheReadmeTable) {
  EXPECT_EQ(static_cast<int>(ExitCode::pass), 0);
  EXPECT_EQ(static_cast<int>(ExitCode::fail), 1);
  EXPECT_EQ(static_cast<int>(ExitCode::usage), 2);
  EXPECT_EQ(static_cast<int>(ExitCode::error), 3);
  EXPECT_EQ(static_cast<int>(ExitCode::inconc), 4);
  EXPECT_EQ(static_cast<int>(ExitCode::target), 5);
}
