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

/// What a purpose's verdict rests on (profile 8, "Authority"): the recommendation's text
/// alone, or decisions of the profile ([P]), named by section. Derived from the purpose's
/// clauses ("P6.3" entries) unless the purpose states `authority:` (purpose.cpp).
struct Authority {
  std::vector<std::string> profile;  // "P6.3"...; empty: X.602 alone
  bool stated = false;               // written in the scenario, not derived
  [[nodiscard]] bool x602() const { return profile.empty(); }
  /// "X.602" or "profile P5.3 P5.7" (the spelling of every report and of the PCTR).
  [[nodiscard]] std::string str() const {
    if (profile.empty()) return "X.602";
    std::string s = "profile";
    for (const auto& p : profile) s += " " + p;
    return s;
  }
};

/// The resources a purpose needs from the implementation (`needs:`, else derived from its
/// steps), compared with what the PIXIT declares before running: more than declared is n/a.
struct Needs {
  long long members = 1;            // in its largest session, the creator included
  long long sessions = 1;           // created by the purpose
  std::vector<std::string> pixit;   // PIXIT values that must be declared (non-zero)
  bool stated = false;
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
  Authority authority;
  Needs needs;
  std::vector<std::string> setup;    // Where::str() of the set-up steps (purpose.cpp)
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
