// Loads and validates scenario files (YAML): every error carries file:line (yaml-cpp Mark).
#pragma once

#include <string>
#include <vector>

#include "model.hpp"

namespace conform {

struct LoadResult {
  std::vector<ScenarioFile> files;
  std::vector<Clause> clauses;
  std::vector<std::string> errors;  // "file:line: message"
};

/// Loads every *.yaml under `dir` (recursively; lib/ holds macros, clauses.yaml beside `dir`
/// the clause list) into typed steps (steps.hpp), macros expanded. Duplicate IDs, unknown
/// keys, unknown message types, undefined macros, undeclared lifelines and values of the
/// wrong shape (a list where one lifeline is required, a channel other than sm/mm...) are
/// errors.
LoadResult load_suite(const std::string& dir);

}  // namespace conform
