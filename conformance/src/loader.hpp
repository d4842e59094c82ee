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
/// the clause list). Duplicate IDs, unknown keys, unknown message types, undefined macros and
/// undeclared lifelines are errors.
LoadResult load_suite(const std::string& dir);

/// A message type name of the profile's tables (gmp::parse_sm_type / parse_mm_type).
bool is_message_type(const std::string& name);

}  // namespace conform
