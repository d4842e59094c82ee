// Unit tests of the client suite's pure parts: the --client-cmd word split and placeholders
// (docs/client-adapter.md "Starting the adapter"), the adapter steps of the scenario language
// and the commands a purpose needs (n/a when the adapter lacks one).
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "client/adapter.hpp"
#include "client/client_case.hpp"
#include "loader.hpp"

using namespace conform;

namespace {

TEST(ClientCommand, SplitsLikeAPosixShellWithoutExpansion) {
  auto w = client::split_words(
      R"(gmp-client --server {sm}  --name "weekly call" 'a b' x\ y "q\"uote" $HOME)");
  ASSERT_TRUE(w);
  EXPECT_EQ(*w, (std::vector<std::string>{"gmp-client", "--server", "{sm}", "--name", "weekly call",
                                          "a b", "x y", "q\"uote", "$HOME"}));
  EXPECT_FALSE(client::split_words("a \"unclosed"));
  EXPECT_FALSE(client::split_words("a 'unclosed"));
  EXPECT_TRUE(client::split_words("   ")->empty());
  EXPECT_EQ(*client::split_words("''"), std::vector<std::string>{""});
}

TEST(ClientCommand, FillsEveryPlaceholderInEveryWord) {
  auto w = client::fill_placeholders(
      {"--server", "{sm}", "{host}:{mm_port}", "{sm_port}{sm_port}", "{other}"},
      {{"sm", "127.0.0.1:5"}, {"host", "127.0.0.1"}, {"sm_port", "5"}, {"mm_port", "6"}});
  EXPECT_EQ(w,
            (std::vector<std::string>{"--server", "127.0.0.1:5", "127.0.0.1:6", "55", "{other}"}));
}

LoadResult load_client(const std::string& steps) {
  auto dir = std::filesystem::temp_directory_path() /
             ("gmp-conform-client-" + std::to_string(::getpid())) / "scenarios";
  std::filesystem::remove_all(dir.parent_path());
  std::filesystem::create_directories(dir / "client");
  std::ofstream(dir / "client" / "case.yaml")
      << "figure: 4\npurposes:\n  - id: GMP/CLI/CRE/01\n    clauses: 7.1.1\n"
         "    requirement: x\n    lifelines: [creator]\n    steps:\n"
      << steps;
  LoadResult r = load_suite(dir.string());
  std::filesystem::remove_all(dir.parent_path());
  return r;
}

TEST(ClientSteps, CommandEventAndNoEventAreTyped) {
  LoadResult r = load_client(
      "      - command: \"create creator as $creator.name open\"\n"
      "      - event: {match: {event: state, to: registered}, within: 500, capture: {sid: "
      "session_id}}\n"
      "      - no_event: {match: {event: key}, during: 200}\n"
      "      - repeat: {count: 2, steps: [{command: \"members creator\"}]}\n");
  ASSERT_TRUE(r.errors.empty()) << r.errors[0];
  const TestPurpose& tp = r.files.at(0).purposes.at(0);
  EXPECT_TRUE(client::is_client_purpose(tp));
  ASSERT_EQ(tp.steps.size(), 4u);
  const auto* c = tp.steps[0].as<AdapterStep>();
  ASSERT_TRUE(c && std::holds_alternative<CommandStep>(c->kind));
  const auto* e = tp.steps[1].as<AdapterStep>();
  ASSERT_TRUE(e && std::holds_alternative<EventStep>(e->kind));
  const auto& ev = std::get<EventStep>(e->kind);
  EXPECT_EQ(ev.match["to"], "registered");
  EXPECT_EQ(*ev.within, 500);
  ASSERT_EQ(ev.capture.size(), 1u);
  EXPECT_EQ(ev.capture[0].second, "session_id");
  const auto* n = tp.steps[2].as<AdapterStep>();
  ASSERT_TRUE(n && std::holds_alternative<NoEventStep>(n->kind));
  EXPECT_EQ(client::commands_of(tp), (std::set<std::string>{"create", "members"}));
}

TEST(ClientSteps, MistakesAreLoadErrors) {
  EXPECT_FALSE(load_client("      - command: {create: x}\n").errors.empty());
  EXPECT_FALSE(load_client("      - event: {match: [1], within: 5}\n").errors.empty());
  EXPECT_FALSE(load_client("      - event: {match: {event: x}, before: 5}\n").errors.empty());
  EXPECT_FALSE(load_client("      - no_event: {match: {event: x}}\n").errors.empty());
}

}  // namespace
