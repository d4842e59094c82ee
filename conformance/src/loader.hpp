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
/// the clause list) into typed steps (steps.hpp): macros expanded ({{param}} replaced), each
/// purpose's `setup:` (else its file's) first, marked set-up. Every scenario mistake is an
/// error "file:line: message": duplicate or malformed IDs, unknown keys, message types,
/// fields, flags, options and match operators, undefined macros and parameters, undeclared
/// lifelines, malformed expressions, values of the wrong shape (docs/conformance.md).
LoadResult load_suite(const std::string& dir);

}  // namespace conform
