// Purpose-level facts the loader derives from a test purpose's steps and clauses, and the
// scenario keys that state them when the derivation is wrong:
// - `authority:` (profile 8): X.602, or the [P] sections a verdict rests on;
// - `needs:` the resources it needs (members, sessions, declared PIXIT values);
// - its set-up: the steps of its `setup:` (the state it starts from), during which a REASON 1
//   refusal (resources) makes the verdict inconc rather than fail.
#pragma once

#include <yaml-cpp/yaml.h>

#include <functional>
#include <string>
#include <vector>

#include "model.hpp"
#include "pixit.hpp"

namespace conform {

using NodeError = std::function<void(const YAML::Node&, const std::string&)>;

/// Reads `authority:` and `needs:` of purpose node `n` (steps already parsed), derives what
/// they leave out, and marks the set-up steps. Inconsistencies are errors.
void purpose_keys(const YAML::Node& n, TestPurpose& tp, const NodeError& error);

/// Every profile section an authority names must be a clause of clauses.yaml: errors
/// "file:line: ..." appended.
void check_authorities(const std::vector<ScenarioFile>& files, const std::vector<Clause>& clauses,
                       std::vector<std::string>& errors);

/// Why the implementation cannot give what the purpose needs (the n/a reason), or "".
std::string needs_unmet(const Pixit& p, const Needs& needs);

/// "fails X.602" or "fails profile decision P6.3 only" (the words of every report).
std::string fails_phrase(const Authority& a);

}  // namespace conform
