// Variables of a running test purpose: PIXIT values, captures ($session, $A.user...), loop
// counters. "$name" (or "${name}" next to other text) alone keeps the value's JSON type;
// inside text it is interpolated.
// The one arithmetic rule, wherever a value is written (within, during, wait, set, repeat
// counts, match and check values, send fields, options): a string that is "= expr", or that
// is wholly an expression of numbers and $variables with at least one operator ("$r + 1",
// "3 * $ka_ms + 100", "2 * 60"), is computed to a number by one evaluator (evaluate in vars.cpp);
// any other string is text. The loader checks the syntax of every expression it can see.
#pragma once

#include <map>
#include <stdexcept>
#include <string>

#include "model.hpp"

namespace conform {

/// A scenario problem found at run time (undefined variable, bad value): verdict "error".
struct ScenarioError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// "" when `s` is a well-formed expression (syntax only; "= " before it allowed), else why.
std::string expression_error(const std::string& s);

/// True when the string value `s` is computed by the arithmetic rule above rather than
/// interpolated as text.
bool is_expression(const std::string& s);

class Vars {
 public:
  void set(const std::string& name, Json value) { map_[name] = std::move(value); }
  [[nodiscard]] bool has(const std::string& name) const { return map_.count(name) != 0; }
  [[nodiscard]] const Json& get(const std::string& name) const;
  /// Substitutes variables in every string of `v` (recursively).
  [[nodiscard]] Json resolve(const Json& v) const;
  [[nodiscard]] std::string text(const Json& v) const;  // resolve, then as text
  /// A number: a JSON number, or a string holding an arithmetic expression over variables.
  [[nodiscard]] double number(const Json& v) const;
  [[nodiscard]] long long integer(const Json& v) const { return static_cast<long long>(number(v)); }
  [[nodiscard]] const std::map<std::string, Json>& all() const { return map_; }

 private:
  std::map<std::string, Json> map_;
};

}  // namespace conform
