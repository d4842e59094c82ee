// Verdicts of ISO/IEC 9646-1 (clause 3.6): pass, fail, inconclusive; plus error (the test
// system or the scenario failed, not the implementation) and n/a (the PICS exclude the
// purpose, decided before running). Reports spell them with to_string, the only spelling.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>

namespace conform {

enum class Verdict { pass, fail, inconc, error, na };

/// Every verdict, in the order the console summary lists them.
inline constexpr std::array<Verdict, 5> all_verdicts = {Verdict::pass, Verdict::fail, Verdict::inconc,
                                                       Verdict::error, Verdict::na};

/// "pass", "fail", "inconc", "error", "n/a".
constexpr std::string_view to_string(Verdict v) {
  switch (v) {
    case Verdict::pass: return "pass";
    case Verdict::fail: return "fail";
    case Verdict::inconc: return "inconc";
    case Verdict::error: return "error";
    case Verdict::na: return "n/a";
  }
  return "error";
}

/// The implementation did not pass: fail, inconc or error (n/a and pass are not findings).
constexpr bool is_finding(Verdict v) {
  return v == Verdict::fail || v == Verdict::inconc || v == Verdict::error;
}

}  // namespace conform
