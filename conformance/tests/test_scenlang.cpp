// Unit tests of the scenario language's rules (docs/conformance.md "Scenario language"):
// one arithmetic rule wherever a value is written, macro parameters {{name}} apart from
// run-time variables, a purpose's `setup:`, the same flag names in send and match, and every
// scenario mistake a load error naming its file:line.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include <unistd.h>

#include "loader.hpp"
#include "matcher.hpp"
#include "msgbuild.hpp"
#include "vars.hpp"

using namespace conform;

namespace {

/// Loads case.yaml (`text`) beside lib/macros.yaml (`macros`, after "macros:\n").
LoadResult load_text(const std::string& text, const std::string& macros = "") {
  auto dir = std::filesystem::temp_directory_path() / ("gmp-conform-lang-" + std::to_string(::getpid())) / "scenarios";
  std::filesystem::remove_all(dir.parent_path());
  std::filesystem::create_directories(dir / "lib");
  std::ofstream(dir / "case.yaml") << text;
  std::ofstream(dir / "lib" / "macros.yaml") << "macros:\n" << macros;
  LoadResult r = load_suite(dir.string());
  std::filesystem::remove_all(dir.parent_path());
  return r;
}

/// A purpose with lifelines creator and A: `setup` (lines indented by 4, "" for none) and
/// `steps` (indented by 6); the first step is on line 7 + the lines of `setup`.
std::string purpose(const std::string& setup, const std::string& steps) {
  return "purposes:\n  - id: GMP/SM/CRE/01\n    clauses: [\"7.1.1\"]\n    requirement: x\n"
         "    lifelines: [creator, A]\n" + setup + "    steps:\n" + steps;
}

// A library for the tests: `reg` has one parameter, `create` two, `plain` none.
const char* library =
    "  reg:\n    params: [who]\n    steps:\n"
    "      - send: {from: \"{{who}}\", type: SRREQ}\n"
    "      - expect: {at: \"{{who}}\", type: SRACC, capture: {\"{{who}}.user\": user_id}}\n"
    "  create:\n    params: [mode, secure]\n    steps:\n"
    "      - set: {mode: \"{{mode}}\", secure: \"{{secure}}\"}\n"
    "      - send: {from: creator, type: SCREQ}\n"
    "  plain:\n    steps:\n      - wait: 1\n";

std::string all(const LoadResult& r) {
  std::string s;
  for (const auto& e : r.errors) s += e + "\n";
  return s;
}

}  // namespace

TEST(Arithmetic, OneRuleWhereverAValueIsWritten) {
  Vars v;
  v.set("r", 5);
  v.set("A.user", 7);
  v.set("name", "alice");
  // An expression is computed, "= " or not; a variable alone keeps its type; text stays text.
  EXPECT_EQ(v.resolve(Json("$r + 1")), Json(6));
  EXPECT_EQ(v.resolve(Json("= $r + 1")), Json(6));
  EXPECT_EQ(v.resolve(Json("2 * 60")), Json(120));
  EXPECT_EQ(v.resolve(Json("65535 - $A.user")), Json(65528));
  EXPECT_EQ(v.resolve(Json("$r / 2")), Json(2.5));
  EXPECT_EQ(v.resolve(Json("$A.user")), Json(7));
  EXPECT_EQ(v.resolve(Json("conformance $name")), Json("conformance alice"));
  EXPECT_EQ(v.resolve(Json("$name-x")), Json("alice-x"));
  EXPECT_EQ(v.resolve(Json("239.255.7.7")), Json("239.255.7.7"));
  // The same evaluator gives numbers (within, during, wait, count) and "= " is allowed there.
  EXPECT_DOUBLE_EQ(v.number(Json("= $r * 2")), 10.0);
  EXPECT_DOUBLE_EQ(v.number(Json("$r * 2")), 10.0);
  // Nested values: match constraints, send fields, options.
  Json match = v.resolve(Json{{"opt.KA-SEQ", "$r + 1"}, {"user_id", {{"in", {"$A.user", "$A.user + 1"}}}}});
  EXPECT_EQ(match["opt.KA-SEQ"], Json(6));
  EXPECT_EQ(match["user_id"]["in"], Json({7, 8}));
  Json msg = {{"opt", {{"KA-SEQ", 6}}}, {"user_id", 8}};
  EXPECT_TRUE(mismatches(msg, match).empty());  // a number against a number, not "5 + 1" as text
  msg["opt"]["KA-SEQ"] = 5;
  EXPECT_EQ(mismatches(msg, match).size(), 1u);
  SendDefaults d;
  Outgoing o = build_outgoing(v.resolve(Json{{"from", "A"}, {"type", "SJREQ"}, {"user_id", "65535 - $A.user"}}), d);
  ASSERT_GE(o.bytes.size(), 8u);
  EXPECT_EQ(o.bytes[6] * 256 + o.bytes[7], 65528);
}

TEST(Arithmetic, SyntaxIsCheckedWithoutVariables) {
  EXPECT_EQ(expression_error("2 * $ka_ms + 50"), "");
  EXPECT_EQ(expression_error("= $r + 1"), "");
  EXPECT_EQ(expression_error("$A.user"), "");
  EXPECT_NE(expression_error("2 +"), "");
  EXPECT_NE(expression_error("(1"), "");
  EXPECT_NE(expression_error("$"), "");
  EXPECT_NE(expression_error("inf"), "");
  EXPECT_NE(expression_error("3 ms"), "");
  EXPECT_TRUE(is_expression("$r + 1"));
  EXPECT_TRUE(is_expression("= 1"));
  EXPECT_FALSE(is_expression("$r"));
  EXPECT_FALSE(is_expression("m$i"));
  EXPECT_FALSE(is_expression("$name-x"));
}

TEST(Macros, ParametersAreBracesApartFromRunTimeVariables) {
  LoadResult r = load_text(purpose("    setup:\n      - create: {mode: closed, secure: false}\n      - reg: A\n",
                                   "      - call: reg\n        with: {who: creator}\n      - send: {from: A, type: UIREQ, "
                                   "user_id: \"${A.user}\"}\n"),
                           library);
  ASSERT_TRUE(r.errors.empty()) << all(r);
  const auto& st = r.files.at(0).purposes.at(0).steps;
  ASSERT_EQ(st.size(), 7u);
  // "{{secure}}" alone takes its value's type: false, not "false".
  const auto* set = st[0].as<SetStep>();
  ASSERT_NE(set, nullptr);
  EXPECT_EQ(set->values[0].second, Json("closed"));
  EXPECT_EQ(set->values[1].second, Json(false));
  EXPECT_EQ(st[2].as<SendStep>()->from, Json("A"));
  EXPECT_EQ(st[3].as<ExpectStep>()->capture.at(0).first, Json("A.user"));
  EXPECT_EQ(st[4].as<SendStep>()->from, Json("creator"));
  EXPECT_EQ(st[6].as<SendStep>()->fields["user_id"], Json("${A.user}"));  // run time
}

TEST(SetUp, ShortFormsAndTheFileDefault) {
  const std::string text =
      "setup:\n  - plain\n"
      "purposes:\n"
      "  - id: GMP/SM/CRE/01\n    clauses: [\"7.1.1\"]\n    requirement: x\n    lifelines: [creator, A]\n"
      "    steps:\n      - wait: 2\n"
      "  - id: GMP/SM/CRE/02\n    clauses: [\"7.1.1\"]\n    requirement: x\n    lifelines: [creator, A]\n"
      "    setup: []\n    steps:\n      - wait: 2\n"
      "  - id: GMP/SM/CRE/03\n    clauses: [\"7.1.1\"]\n    requirement: x\n    lifelines: [creator, A]\n"
      "    setup:\n      - create: {mode: open, secure: true}\n      - reg: A\n      - plain:\n"
      "      - call: reg\n        with: {who: creator}\n      - set: {x: 1}\n"
      "    steps:\n      - wait: 2\n";
  LoadResult r = load_text(text, library);
  ASSERT_TRUE(r.errors.empty()) << all(r);
  const auto& p = r.files.at(0).purposes;
  ASSERT_EQ(p.size(), 3u);
  EXPECT_EQ(p[0].steps.size(), 2u);  // the file's setup
  EXPECT_EQ(p[0].setup.size(), 1u);
  EXPECT_EQ(p[1].steps.size(), 1u);  // none
  EXPECT_TRUE(p[1].setup.empty());
  EXPECT_EQ(p[2].steps.size(), 9u);  // 2 + 2 + 1 + 2 + 1, then the wait
  EXPECT_EQ(p[2].setup.size(), 8u);
  EXPECT_FALSE(p[2].steps.back().setup);
}

TEST(LoadErrors, DottedVariablesFromLifelinesSetsAndCapturesAreKnown) {
  LoadResult r = load_text(purpose("", "      - set: {X.y: 1}\n"
                                       "      - expect: {at: A, type: SRACC, capture: {W.user: user_id}}\n"
                                       "      - send: {from: A, type: UIREQ, user_id: \"$X.y + $W.user + $creator.user\"}\n"
                                       "      - send: {from: A, type: UIREQ, options: [{CLIENT-NAME: \"$$Q.name\"}]}\n"));
  EXPECT_TRUE(r.errors.empty()) << all(r);
  // A name made at run time ("u$i") makes every dotted name possible: nothing is reported.
  r = load_text(purpose("", "      - set: {\"V$i.user\": 1}\n      - send: {from: A, type: UIREQ, user_id: \"$V1.user\"}\n"));
  EXPECT_TRUE(r.errors.empty()) << all(r);
}

TEST(Flags, SendAndMatchSpellThemAlike) {
  LoadResult r = load_text(purpose("", "      - send: {from: creator, type: SCREQ, flags.s: 1, flags.m: true}\n"
                                       "      - expect: {at: creator, type: SCACC, match: {flags.s: true, flags.m: false}}\n"
                                       "      - send: {from: A, type: UIREQ, flags.ui: 1}\n"
                                       "      - expect: {at: A, type: UIRES, match: {flags.ui: true}}\n"));
  ASSERT_TRUE(r.errors.empty()) << all(r);
  SendDefaults d;
  Outgoing sm = build_outgoing(Json{{"type", "SCREQ"}, {"flags.s", 1}, {"flags.m", true}}, d);
  Json m = describe(true, sm.bytes);
  EXPECT_TRUE(mismatches(m, {{"flags.s", true}, {"flags.m", true}, {"flags.q", false}}).empty()) << m.dump();
  Outgoing mm = build_outgoing(Json{{"type", "UIREQ"}, {"flags.ss", 1}}, d);
  EXPECT_TRUE(mismatches(describe(false, mm.bytes), {{"flags.ss", true}, {"flags.ui", false}}).empty());
}

// Each mistake: the file, the macros, the place the error names, a part of its text.
struct Mistake {
  std::string text;
  std::string macros;
  std::string at;
  std::string says;
};

TEST(LoadErrors, EveryScenarioMistakeNamesItsFileAndLine) {
  auto steps = [](const std::string& s) { return purpose("", s); };
  const std::vector<Mistake> mistakes = {
      {steps("      - sned: {from: A}\n"), "", "case.yaml:7:", "unknown step key 'sned'"},
      {steps("      - send: {from: B, type: SRREQ}\n"), "", "case.yaml:7:", "lifeline 'B' is not declared"},
      {steps("      - expect: {at: Z, type: SRACC}\n"), "", "case.yaml:7:", "lifeline 'Z' is not declared"},
      {steps("      - call: nope\n"), library, "case.yaml:7:", "undefined macro 'nope'"},
      {steps("      - call: reg\n        with: {who: A, whom: B}\n"), library, "case.yaml:8:",
       "macro 'reg' has no parameter 'whom'"},
      {steps("      - call: reg\n"), library, "case.yaml:7:", "macro 'reg' needs parameter 'who'"},
      {steps("      - wait: 1\n"), "  bad:\n    params: [who]\n    steps:\n      - close: \"{{whom}}\"\n",
       "macros.yaml:5:", "'{{whom}}' is not one of its parameters"},
      {steps("      - wait: 1\n"), "  bad:\n    params: [who]\n    steps:\n      - close: \"${who}\"\n",
       "macros.yaml:5:", "parameter 'who' is written {{who}}"},
      {steps("      - close: \"{{who}}\"\n"), "", "case.yaml:7:", "outside a macro body"},
      {steps("      - send: {from: A, type: SRREQQ}\n"), "", "case.yaml:7:", "unknown message type \"SRREQQ\""},
      {steps("      - send: {from: A, type: SRREQ, m: 1}\n"), "", "case.yaml:7:", "flag 'm' is written 'flags.m'"},
      {steps("      - send: {from: A, type: SRREQ, flags.ss: 1}\n"), "", "case.yaml:7:", "'flags.ss' is not a field of SRREQ"},
      {steps("      - send: {from: A, type: SRREQ, sesion_id: 1}\n"), "", "case.yaml:7:", "unknown key 'sesion_id'"},
      {steps("      - send: {from: A, raw: \"00\", user_id: 1}\n"), "", "case.yaml:7:", "'user_id' is a message field"},
      {steps("      - send: {from: A, type: SRREQ, options: [{CLIENT-NAM: x}]}\n"), "", "case.yaml:7:",
       "unknown option name 'CLIENT-NAM'"},
      {steps("      - expect: {at: A, type: SRACC, match: {flags.ui: true}}\n"), "", "case.yaml:7:",
       "unknown flag 'flags.ui' of SRACC"},
      {steps("      - expect: {at: A, type: SRACC, match: {user: 1}}\n"), "", "case.yaml:7:", "unknown field 'user' of SRACC"},
      {steps("      - expect: {at: A, type: SRREJ, match: {opt.REASN: 1}}\n"), "", "case.yaml:7:", "unknown option name 'REASN'"},
      {steps("      - expect: {at: A, type: SRACC, match: {user_id: {gte: 1}}}\n"), "", "case.yaml:7:",
       "unknown match operator 'gte'"},
      {steps("      - expect: {at: A, type: SRACC, capture: {u: usr_id}}\n"), "", "case.yaml:7:", "unknown field 'usr_id'"},
      {steps("      - expect: {at: A, type: SRACC, within: \"2 * $ka_ms +\"}\n"), "", "case.yaml:7:", "'within'"},
      {steps("      - wait: \"100 ms\"\n"), "", "case.yaml:7:", "'wait'"},
      {steps("      - repeat: {count: \"$n +\", steps: [{wait: 1}]}\n"), "", "case.yaml:7:", "'count'"},
      {steps("      - set: {x: \"= 1 +\"}\n"), "", "case.yaml:7:", "expression '= 1 +'"},
      {steps("      - check: {a: 1, op: equals, b: 1}\n"), "", "case.yaml:7:", "'check' needs a, op"},
      {purpose("    setup:\n      - creat: {mode: open}\n", "      - wait: 1\n"), library, "case.yaml:7:",
       "'creat' is neither a step nor a macro"},
      {purpose("    setup:\n      - create: open\n", "      - wait: 1\n"), library, "case.yaml:7:",
       "macro 'create' takes 2 parameters"},
      {purpose("    setup:\n      - create: {mode: open, secur: false}\n", "      - wait: 1\n"), library, "case.yaml:7:",
       "macro 'create' has no parameter 'secur'"},
      {purpose("    stepz:\n", "      - wait: 1\n"), "", "case.yaml:6:", "unknown key 'stepz'"},
      {steps("      - set: {X.y: 1}\n      - send: {from: A, type: UIREQ, user_id: \"$Z.user\"}\n"), "",
       "case.yaml:8:", "variable $Z.user is never set"},
  };
  for (const auto& m : mistakes) {
    LoadResult r = load_text(m.text, m.macros);
    ASSERT_FALSE(r.errors.empty()) << m.text;
    const std::string& e = r.errors[0];
    EXPECT_NE(e.find(m.at), std::string::npos) << m.text << "\n" << all(r);
    EXPECT_NE(e.find(m.says), std::string::npos) << m.text << "\n" << all(r);
  }
}
