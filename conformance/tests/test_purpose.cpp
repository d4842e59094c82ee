// Unit tests of the purpose-level facts (purpose.hpp): the authority of a purpose (profile 8),
// derived from its clauses or stated, and a load error when it contradicts them; the
// resources a purpose needs, compared with the PIXIT (n/a); its set-up steps.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include <unistd.h>

#include "loader.hpp"
#include "purpose.hpp"

using namespace conform;

namespace {

/// Loads one purpose: `head` (YAML lines indented by 4: clause, authority, needs...) and
/// `steps` (indented by 6), lifelines creator, A and B; clauses.yaml lists 7.2.4, P6.3, P5.3.
LoadResult load(const std::string& head, const std::string& steps = "      - wait: 1\n") {
  auto dir = std::filesystem::temp_directory_path() / ("gmp-conform-purpose-" + std::to_string(::getpid())) / "scenarios";
  std::filesystem::remove_all(dir.parent_path());
  std::filesystem::create_directories(dir / "lib");
  std::ofstream(dir / "case.yaml") << "figure: 4\npurposes:\n  - id: GMP/SM/CRE/01\n    requirement: x\n"
                                      "    lifelines: [creator, A, B]\n"
                                   << head << "    steps:\n" << steps;
  std::ofstream(dir / "lib" / "macros.yaml") << "macros:\n  make:\n    steps:\n"
                                                "      - send: {from: creator, type: SCREQ}\n"
                                                "      - expect: {at: creator, type: SCACC}\n";
  std::ofstream(dir.parent_path() / "clauses.yaml")
      << "clauses:\n  - {id: \"7.2.4\", title: t}\n  - {id: \"P6.3\", title: t}\n  - {id: \"P5.3\", title: t}\n";
  LoadResult r = load_suite(dir.string());
  std::filesystem::remove_all(dir.parent_path());
  return r;
}

const TestPurpose& tp(const LoadResult& r) { return r.files.at(0).purposes.at(0); }

std::string errors(const LoadResult& r) {
  std::string s;
  for (const auto& e : r.errors) s += e + "\n";
  return s;
}

}  // namespace

TEST(Authority, RecommendationClausesAloneAreX602) {
  auto r = load("    clauses: [\"7.2.4\"]\n");
  ASSERT_TRUE(r.errors.empty()) << errors(r);
  EXPECT_TRUE(tp(r).authority.x602());
  EXPECT_EQ(tp(r).authority.str(), "X.602");
  EXPECT_EQ(fails_phrase(tp(r).authority), "fails X.602");
}

TEST(Authority, ProfileSectionsAmongTheClausesMakeItAProfilePurpose) {
  auto r = load("    clauses: [\"7.2.4\", \"P6.3\", \"P5.3\"]\n");
  ASSERT_TRUE(r.errors.empty()) << errors(r);
  EXPECT_EQ(tp(r).authority.profile, (std::vector<std::string>{"P6.3", "P5.3"}));
  EXPECT_EQ(tp(r).authority.str(), "profile P6.3 P5.3");
  EXPECT_FALSE(tp(r).authority.stated);
  EXPECT_EQ(fails_phrase(tp(r).authority), "fails profile decisions P6.3, P5.3 only");
}

TEST(Authority, StatedAuthorityOverridesTheDerivation) {
  auto x = load("    clauses: [\"7.2.4\", \"P6.3\"]\n    authority: X.602\n");
  ASSERT_TRUE(x.errors.empty()) << errors(x);
  EXPECT_TRUE(tp(x).authority.x602() && tp(x).authority.stated);
  auto p = load("    clauses: [\"7.2.4\", \"P6.3\", \"P5.3\"]\n    authority: [P6.3]\n");
  ASSERT_TRUE(p.errors.empty()) << errors(p);
  EXPECT_EQ(fails_phrase(tp(p).authority), "fails profile decision P6.3 only");
}

TEST(Authority, InconsistentAuthorityIsALoadError) {
  struct Case {
    const char* head;
    const char* says;
  } cases[] = {
      {"    clauses: [\"7.2.4\"]\n    authority: [P6.3]\n", "not among the purpose's clauses"},
      {"    clauses: [\"P6.3\"]\n    authority: X.602\n", "cites no clause of the recommendation"},
      {"    clauses: [\"7.2.4\", \"P6.3\"]\n    authority: [X.602, P6.3]\n", "not both"},
      {"    clauses: [\"7.2.4\", \"P6.3\"]\n    authority: [profile]\n", "neither X.602 nor a profile section"},
      {"    clauses: [\"7.2.4\", \"P9.9\"]\n", "not a clause of clauses.yaml"},
  };
  for (const auto& c : cases) {
    auto r = load(c.head);
    ASSERT_EQ(r.errors.size(), 1u) << c.head << errors(r);
    EXPECT_NE(r.errors[0].find(c.says), std::string::npos) << r.errors[0];
    EXPECT_NE(r.errors[0].find("case.yaml:"), std::string::npos) << r.errors[0];
  }
}

TEST(Needs, DerivedFromLifelinesAndLiteralRepeats) {
  auto r = load("    clauses: [\"7.2.4\"]\n",
                "      - call: make\n"
                "      - repeat:\n          count: 300\n          steps:\n"
                "            - send: {from: B, type: SRREQ}\n"
                "            - expect: {at: B, type: SRACC}\n");
  ASSERT_TRUE(r.errors.empty()) << errors(r);
  EXPECT_EQ(tp(r).needs.members, 302);  // creator, A, and B standing for 300
  EXPECT_EQ(tp(r).needs.sessions, 1);
  Pixit p = default_pixit();
  EXPECT_EQ(needs_unmet(p, tp(r).needs), "");  // max_members not declared: no bound
  p.values["max_members"] = 256;
  EXPECT_EQ(needs_unmet(p, tp(r).needs), "needs 302 members in one session; the PIXIT max_members gives 256");
  p.values["max_members"] = 302;
  EXPECT_EQ(needs_unmet(p, tp(r).needs), "");
}

TEST(Needs, StatedNeedsAndDeclaredPixitValues) {
  auto r = load("    clauses: [\"7.2.4\"]\n    needs: {sessions: 3, pixit: [max_members]}\n");
  ASSERT_TRUE(r.errors.empty()) << errors(r);
  Pixit p = default_pixit();
  EXPECT_EQ(needs_unmet(p, tp(r).needs), "the PIXIT does not declare max_members");
  p.values["max_members"] = 10;
  p.values["max_sessions"] = 2;
  EXPECT_EQ(needs_unmet(p, tp(r).needs), "");  // session_limit not claimed in the PICS
  p.pics["session_limit"] = true;
  EXPECT_EQ(needs_unmet(p, tp(r).needs), "needs 3 sessions; the PIXIT max_sessions gives 2");
  auto bad = load("    clauses: [\"7.2.4\"]\n    needs: {members: many}\n");
  ASSERT_EQ(bad.errors.size(), 1u) << errors(bad);
  EXPECT_NE(bad.errors[0].find("whole number"), std::string::npos);
}

TEST(SetUp, TheStepsOfSetupOnly) {
  // What follows `setup:` is the purpose's own, even a registration (B's SRREQ).
  auto r = load("    clauses: [\"7.2.4\"]\n"
                "    setup:\n"
                "      - make\n"
                "      - send: {from: A, type: SRREQ}\n"
                "      - expect: {at: A, type: SRACC}\n",
                "      - send: {from: A, type: LVREQ}\n"
                "      - send: {from: B, type: SRREQ}\n");
  ASSERT_TRUE(r.errors.empty()) << errors(r);
  const auto& t = tp(r);
  ASSERT_EQ(t.steps.size(), 6u);
  EXPECT_EQ(t.setup.size(), 4u);  // the macro's two steps, SRREQ and SRACC; not LVREQ nor what follows
  EXPECT_EQ(t.setup.back(), t.steps[3].where.str());
  EXPECT_TRUE(t.steps[3].setup);
  EXPECT_FALSE(t.steps[4].setup);
  EXPECT_EQ(t.steps[0].label, "set-up: creator -> SCREQ");
  EXPECT_EQ(t.steps[4].label, "A -> LVREQ");
}

TEST(SetUp, WithoutSetupNothingIsSetUp) {
  auto r = load("    clauses: [\"7.2.4\"]\n", "      - call: make\n      - send: {from: A, type: SRREQ}\n");
  ASSERT_TRUE(r.errors.empty()) << errors(r);
  EXPECT_TRUE(tp(r).setup.empty());
}

TEST(ScenarioKeys, OldSpellingClauseIsALoadErrorNamingTheNewOne) {
  auto r = load("    clause: [\"7.2.4\"]\n");
  ASSERT_EQ(r.errors.size(), 1u) << errors(r);
  EXPECT_NE(r.errors[0].find("case.yaml:6: GMP/SM/CRE/01: 'clause' is now spelled 'clauses'"), std::string::npos)
      << r.errors[0];
}
