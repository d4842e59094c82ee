#include <fmt/core.h>

#include <unistd.h>

#include "purpose.hpp"
#include "report/report.hpp"

namespace conform {

namespace {
bool color() {
  static const bool c = isatty(STDOUT_FILENO) != 0;
  return c;
}
std::string paint(Verdict verdict, const std::string& text) {
  if (!color()) return text;
  const char* code = verdict == Verdict::pass ? "32" : verdict == Verdict::fail ? "31" : verdict == Verdict::na ? "90" : "33";
  return fmt::format("\033[{}m{}\033[0m", code, text);
}
std::string shown(const CaseResult& r) {
  const std::string v(to_string(r.verdict));
  return r.deviation.empty() ? v : v + " (deviation)";
}
}  // namespace

void print_progress(const CaseResult& r, std::size_t done, std::size_t total, bool verbose) {
  std::string line = fmt::format("[{:>3}/{}] {:<8} {:<18} {:>6.0f} ms  {}", done, total,
                                 paint(r.verdict, std::string(to_string(r.verdict))), r.tp->id, r.duration_ms, r.tp->title);
  fmt::print("{}\n", line);
  if (is_finding(r.verdict) || (verbose && !r.reason.empty())) {
    if (r.verdict == Verdict::fail) fmt::print("           {}\n", fails_phrase(r.authority()));
    fmt::print("           {}{}\n", r.reason, r.where.empty() ? "" : "  (" + r.where + ")");
    for (const auto& d : r.details) fmt::print("             {}\n", d.size() > 300 ? d.substr(0, 297) + "..." : d);
    if (!r.deviation.empty()) fmt::print("           documented deviation: {}\n", r.deviation);
  }
  std::fflush(stdout);
}

void print_summary(const std::vector<CaseResult>& results, const Summary& s, const RunInfo& info) {
  fmt::print("\n{:<18} {:<10} {:<20} {}\n", "test purpose", "verdict", "authority", "title");
  fmt::print("{:-<18} {:-<10} {:-<20} {:-<40}\n", "", "", "", "");
  for (const auto& r : results)
    fmt::print("{:<18} {:<10} {:<20} {}\n", r.tp->id, paint(r.verdict, shown(r)), r.authority().str(), r.tp->title);
  fmt::print("\n");
  for (Verdict v : all_verdicts) fmt::print("{:>7}: {}\n", to_string(v), s.counts.count(v) ? s.counts.at(v) : 0);
  if (s.deviations) fmt::print("  ({} of them documented deviations)\n", s.deviations);
  // Profile 8: failures against the recommendation apart from those against profile decisions.
  std::string sections;
  for (const auto& [p, n] : s.fails_by_section) sections += fmt::format("{}{} {}", sections.empty() ? "" : ", ", p, n);
  fmt::print("  fails X.602: {}; fails profile decisions only: {}{}\n", s.fails_x602, s.fails_profile,
             sections.empty() ? "" : " (" + sections + ")");
  fmt::print("executed {} of {} test purposes against {} in {:.2f} s (time scale {})\n", s.executed,
             results.size(), info.target, info.wall_ms / 1000.0, info.time_scale);
  if (s.executed == 0) fmt::print("error: no test purpose was executed\n");
}

}  // namespace conform
