// The scenario model of gmp-conform: test purposes (ISO/IEC 9646 sense, profile section 8)
// made of steps played by lifelines against the implementation under test.
// Step parameters stay as JSON (already validated by the loader) so that variables can be
// substituted at run time; each step keeps its file:line for messages.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace conform {

using Json = nlohmann::json;

/// Where a step or test purpose was written (yaml-cpp Mark), for every message we print.
struct Where {
  std::string file;
  int line = 0;
  [[nodiscard]] std::string str() const { return file + ":" + std::to_string(line); }
};

enum class StepKind {
  send,     // a typed message, raw SM bytes (prefix added), a raw TCP frame or a raw datagram
  expect,   // one message (type + field constraints) within a window, captures variables
  unordered,  // several expects satisfied in any order
  nothing,  // expect nothing (of some types) on some lifelines during a window
  closed,   // expect the server to close a lifeline's TCP connection within a window
  mute,     // stop answering KAREQ automatically
  unmute,
  wait,
  close,    // the tester closes a lifeline's TCP connection
  set,      // set variables
  check,    // assert a relation between variables
  repeat,   // run sub-steps N times with a counter variable
};

struct Step {
  StepKind kind = StepKind::wait;
  Json args;                 // the step's mapping, validated by the loader
  std::vector<Step> sub;     // unordered: the expects; repeat: the body
  Where where;
  std::string label;         // short text for the sequence diagram ("creator -> SCREQ")
};

struct LifelineDecl {
  std::string name;          // "creator", "A", ...
  std::string role = "participant";  // member type used in its MM messages
  std::string address;       // source IP (may be "$second_address"); empty: default
  std::string client_name;   // CLIENT-NAME default; empty: lower-case name
};

struct TestPurpose {
  std::string id;            // GMP/SM/CRE/01
  std::string title;
  std::vector<std::string> clauses;  // "7.1.1" (recommendation) or "P5.1" (profile)
  std::string figure;        // "4", or "" when none
  std::string requirement;   // quoted text
  std::vector<std::string> pics;     // "secure_mode", "!secure_mode"
  bool exclusive = false;    // must run alone (counts server-wide resources)
  std::vector<LifelineDecl> lifelines;
  std::vector<std::string> ignore;   // message types skipped when not expected
  std::vector<Step> steps;
  Where where;
  std::string file;          // scenario file (relative)
};

struct ScenarioFile {
  std::string path;
  std::string figure;
  std::string title;
  std::vector<TestPurpose> purposes;
};

/// A normative clause of the recommendation or the profile (conformance/clauses.yaml).
struct Clause {
  std::string id;     // "7.1.1" or "P5.1"
  std::string title;
  bool testable = true;  // false: informative or out of scope (explained in `note`)
  std::string note;
  std::string title_fr;  // the recommendation's own (French) title, when `title` is a translation
};

}  // namespace conform
