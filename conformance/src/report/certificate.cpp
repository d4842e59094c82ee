// The campaign's PCTR (pctr/pctr.hpp) from what the run knew: the implementation's identity
// (PIXIT `implementation:`), the tester's version and commit, the SHA-256 of every file that
// decided the verdicts, and every purpose's verdict with its authority (profile 8).
#include <algorithm>
#include <filesystem>

#include "gmp/commit.hpp"
#include "gmp/version.hpp"
#include "report/report.hpp"

namespace conform {

namespace fs = std::filesystem;

pctr::Input pctr_input(const CertificateSources& src, const Pixit& pixit, const std::vector<CaseResult>& results,
                       const RunInfo& info) {
  pctr::Input in;
  in.implementation_name = pixit.implementation_name.empty() ? "(not named in the PIXIT)" : pixit.implementation_name;
  in.implementation_version = pixit.implementation_version.empty() ? "(not given)" : pixit.implementation_version;
  in.tester_version = gmp::toolkit_version;
  in.tester_commit = gmp::toolkit_commit;
  in.date_utc = info.started;
  in.command_line = src.command_line;
  // Every scenario and macro file (sorted: the same campaign gives the same list), then the
  // PICS/PIXIT and the deviations.
  std::vector<fs::path> scenarios;
  std::error_code ec;
  for (const auto& e : fs::recursive_directory_iterator(src.scenarios, ec))
    if (e.is_regular_file() && e.path().extension() == ".yaml") scenarios.push_back(e.path());
  std::sort(scenarios.begin(), scenarios.end());
  const fs::path base = fs::path(src.scenarios).parent_path();
  for (const auto& p : scenarios)
    in.files.push_back({"scenario", fs::relative(p, base).string(), pctr::sha256_file(p.string())});
  if (!src.pixit.empty()) in.files.push_back({"pixit", src.pixit, pctr::sha256_file(src.pixit)});
  if (!src.deviations.empty()) in.files.push_back({"deviations", src.deviations, pctr::sha256_file(src.deviations)});
  for (const auto& r : results) {
    std::string reason = r.verdict == Verdict::pass ? "" : r.reason;
    if (!r.deviation.empty()) reason += " (documented deviation: " + r.deviation + ")";
    in.cases.push_back({r.tp->id, r.tp->title, std::string(to_string(r.verdict)), r.authority().str(), reason});
  }
  return in;
}

}  // namespace conform
