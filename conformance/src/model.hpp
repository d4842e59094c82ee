// The scenario model of gmp-conform: test purposes (ISO/IEC 9646 sense, profile section 8)
// made of typed steps (steps.hpp) played by lifelines against the implementation under test.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "steps.hpp"

namespace conform {

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
  std::vector<MsgType> ignore;       // message types skipped when not expected
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
