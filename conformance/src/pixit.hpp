// PICS (what the implementation claims to support) and PIXIT (the values the tester needs to
// run against it), ISO/IEC 9646 terms, from one typed and validated YAML file; and the
// deviations file (test purpose ID -> documented reason).
#pragma once

#include <map>
#include <string>
#include <vector>

#include "model.hpp"

namespace conform {

struct Pixit {
  std::map<std::string, bool> pics;  // closed_mode, secure_mode...
  Json values = Json::object();      // becomes the initial variables of every case
  double tolerance_ms = 50;          // absolute part of every window's tolerance
  double tolerance_pct = 20;         // relative part (percent of the window)
  double late_ms = 40;               // tester lateness that makes a timing verdict inconc
  double window_ms = 1000;           // default `within` of an expect
  // The implementation under test, as the PCTR names it (section `implementation:`).
  std::string implementation_name;
  std::string implementation_version;
};

/// The defaults (the reference server's capabilities with 100 ms timer units).
Pixit default_pixit();
/// Loads a PIXIT file over the defaults; errors are "file:line: message".
bool load_pixit(const std::string& path, Pixit& out, std::vector<std::string>& errors);

/// Evaluates a test purpose's PICS conditions ("secure_mode", "!secure_mode"); returns the
/// first condition that does not hold, or "" when all hold.
std::string pics_unmet(const Pixit& p, const std::vector<std::string>& conditions);

/// ID -> reason. IDs may end with '*' (prefix).
bool load_deviations(const std::string& path, std::map<std::string, std::string>& out,
                     std::vector<std::string>& errors);
std::string deviation_for(const std::map<std::string, std::string>& d, const std::string& id);

/// Glob match with '*', '?' and classes like [1-3] (--select / --exclude, deviations).
bool glob_match(const std::string& pattern, const std::string& text);

}  // namespace conform
