// Unit tests of the loader's typing: scenarios become typed steps (steps.hpp), and a mistake
// found while typing is a load error with file:line.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include <unistd.h>

#include "loader.hpp"

using namespace conform;

namespace {

/// Loads one scenario file whose purpose has `steps` (YAML lines, indented by 6) and the
/// lifelines creator, A and B; the steps start at line 8.
LoadResult load_steps(const std::string& steps, const std::string& macros = "") {
  // One directory per process: ctest runs each test in its own process, in parallel.
  auto dir = std::filesystem::temp_directory_path() / ("gmp-conform-typing-" + std::to_string(::getpid())) / "scenarios";
  std::filesystem::remove_all(dir.parent_path());
  std::filesystem::create_directories(dir / "lib");
  std::ofstream(dir / "case.yaml") << "figure: 4\npurposes:\n  - id: GMP/SM/CRE/01\n    clauses: 7.1.1\n"
                                      "    requirement: x\n    lifelines: [creator, A, B]\n    steps:\n"
                                   << steps;
  std::ofstream(dir / "lib" / "macros.yaml") << "macros:\n" << macros;
  LoadResult r = load_suite(dir.string());
  std::filesystem::remove_all(dir.parent_path());
  return r;
}

const std::vector<Step>& steps_of(const LoadResult& r) { return r.files.at(0).purposes.at(0).steps; }

/// The only error, checked to name `line` of case.yaml.
std::string only_error(const LoadResult& r, int line) {
  EXPECT_EQ(r.errors.size(), 1u);
  if (r.errors.empty()) return "";
  EXPECT_NE(r.errors[0].find("case.yaml:" + std::to_string(line) + ":"), std::string::npos) << r.errors[0];
  return r.errors[0];
}

}  // namespace

TEST(MsgType, ChannelComesFromTheTableNotTheSpelling) {
  ASSERT_TRUE(MsgType::parse("SCREQ"));
  EXPECT_EQ(MsgType::parse("SCREQ")->channel(), Channel::sm);
  EXPECT_EQ(MsgType::parse("SAREQ")->channel(), Channel::sm);
  EXPECT_EQ(MsgType::parse("KDUPT")->channel(), Channel::mm);
  EXPECT_EQ(MsgType::parse("UIRES")->name(), "UIRES");
  EXPECT_FALSE(MsgType::parse("SXXXX"));  // spelled like an SM type, in no table
  EXPECT_FALSE(MsgType::parse("screq"));
  EXPECT_FALSE(MsgType::parse("UNKNOWN"));
  EXPECT_FALSE(MsgType::parse(""));
}

TEST(LoaderTyping, StepsAreTyped) {
  LoadResult r = load_steps(
      "      - send: {from: creator, type: SCREQ}\n"
      "      - expect: {at: creator, type: SCACC, within: \"2 * $ka_ms\", capture: {session: session_id}}\n"
      "      - send: {from: A, datagram: \"11 88\", alt_port: true}\n"
      "      - unordered:\n"
      "          - {at: A, type: KAREQ, ignore: [UIRES]}\n"
      "          - {at: B, type: TRIND}\n"
      "      - nothing: {at: [A, B], types: [KAREQ], channel: mm, during: 100}\n"
      "      - repeat: {count: 2, var: k, steps: [{wait: 10}, {closed: {at: A}}]}\n"
      "      - check: {a: $x, op: gt, b: 1}\n"
      "      - call: hello\n",
      "  hello:\n    steps:\n      - mute: A\n      - set: {x: 2, y: \"= $x + 1\"}\n");
  for (const auto& e : r.errors) ADD_FAILURE() << e;
  const auto& st = steps_of(r);
  ASSERT_EQ(st.size(), 9u);  // the macro gives two

  const auto* send = st[0].as<SendStep>();
  ASSERT_NE(send, nullptr);
  EXPECT_EQ(send->form, SendStep::Form::typed);
  EXPECT_EQ(send->type->channel(), Channel::sm);
  EXPECT_EQ(send->from, Json("creator"));
  EXPECT_EQ(st[0].where.str(), "scenarios/case.yaml:8");
  EXPECT_EQ(st[0].label, "creator -> SCREQ");

  const auto* expect = st[1].as<ExpectStep>();
  ASSERT_NE(expect, nullptr);
  EXPECT_EQ(expect->type.name(), "SCACC");
  EXPECT_EQ(*expect->within, Json("2 * $ka_ms"));
  EXPECT_FALSE(expect->after);
  ASSERT_EQ(expect->capture.size(), 1u);
  EXPECT_EQ(expect->capture[0].second, "session_id");

  const auto* dgram = st[2].as<SendStep>();
  ASSERT_NE(dgram, nullptr);
  EXPECT_EQ(dgram->form, SendStep::Form::datagram);
  EXPECT_FALSE(dgram->type);
  EXPECT_TRUE(dgram->alt_port);

  const auto* unordered = st[3].as<UnorderedStep>();
  ASSERT_NE(unordered, nullptr);
  ASSERT_EQ(unordered->expects.size(), 2u);
  EXPECT_EQ(unordered->expects[0].as<ExpectStep>()->type.channel(), Channel::mm);
  EXPECT_EQ(unordered->expects[0].as<ExpectStep>()->ignore.at(0).name(), "UIRES");
  EXPECT_EQ(unordered->expects[1].where.line, 13);

  const auto* nothing = st[4].as<NothingStep>();
  ASSERT_NE(nothing, nullptr);
  EXPECT_EQ(nothing->channel, Channel::mm);
  EXPECT_EQ(nothing->at, Json({"A", "B"}));

  const auto* repeat = st[5].as<RepeatStep>();
  ASSERT_NE(repeat, nullptr);
  EXPECT_EQ(repeat->var, "k");
  ASSERT_EQ(repeat->body.size(), 2u);
  EXPECT_NE(repeat->body[1].as<ClosedStep>(), nullptr);

  const auto* check = st[6].as<CheckStep>();
  ASSERT_NE(check, nullptr);
  EXPECT_EQ(check->op, "gt");
  EXPECT_EQ(check->why, "a gt b");

  // A macro's steps: typed, with the call chain in their place.
  const auto* mute = st[7].as<MuteStep>();
  ASSERT_NE(mute, nullptr);
  EXPECT_TRUE(mute->mute);
  EXPECT_EQ(st[7].where.str(), "scenarios/case.yaml:17 > scenarios/lib/macros.yaml:4");
  const auto* set = st[8].as<SetStep>();
  ASSERT_NE(set, nullptr);
  ASSERT_EQ(set->values.size(), 2u);
  EXPECT_EQ(set->values[1].second, Json("= $x + 1"));
}

// Each mistake: the steps, the line the error names, a part of its text.
struct Mistake {
  const char* steps;
  int line;
  const char* message;
};

TEST(LoaderTyping, MistakesFoundWhileTypingAreLoadErrorsWithTheirLine) {
  const Mistake mistakes[] = {
      {"      - send: {from: A, type: SRREQ}\n"
       "      - expect: {at: A, type: SRACC, ignore: [KAREQ, BOGUS]}\n",
       9, "unknown message type \"BOGUS\""},
      {"      - nothing: {at: A, channel: tcp, during: 100}\n", 8, "'nothing': 'channel' is sm or mm"},
      {"      - expect: {at: [A, B], type: SRACC}\n", 8, "'expect' takes one lifeline name"},
      {"      - expect: {at: A, type: SRACC, capture: {user: [user_id]}}\n", 8,
       "'capture' takes a mapping variable: field"},
      {"      - send: {from: A, type: SRREQ}\n      - wait: 10\n"
       "      - expect: {at: A, type: SRACC, within: {ms: 10}}\n",
       10, "'expect': 'within' takes a number or an expression"},
      {"      - wait: [1, 2]\n", 8, "'wait' takes a number or an expression"},
      {"      - repeat: {count: 2, var: [k], steps: [{wait: 1}]}\n", 8, "'repeat': 'var' takes a variable name"},
      {"      - check: {a: 1, op: eq, b: 1, why: [x]}\n", 8, "'check': 'why' takes a text"},
      {"      - send: {from: A, type: UIREQ, alt_port: 2}\n", 8, "'send': 'alt_port' is true or false"},
  };
  for (const auto& m : mistakes) {
    auto e = only_error(load_steps(m.steps), m.line);
    EXPECT_NE(e.find(m.message), std::string::npos) << e;
  }
}

TEST(LoaderTyping, ErrorInAMacroNamesTheMacroFile) {
  LoadResult r = load_steps("      - call: bad\n", "  bad:\n    steps:\n      - close: [A, B]\n");
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_NE(r.errors[0].find("macros.yaml:4:"), std::string::npos) << r.errors[0];
  EXPECT_NE(r.errors[0].find("'close' takes one lifeline name"), std::string::npos) << r.errors[0];
}
