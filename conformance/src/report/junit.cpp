#include <fmt/core.h>

#include <fstream>
#include <map>

#include "gmp/escape.hpp"
#include "purpose.hpp"
#include "report/report.hpp"

namespace conform {

std::string xml_escape(const std::string& s) { return gmp::app::markup_escape(s); }

void write_junit(const std::string& path, const std::vector<CaseResult>& results, const RunInfo& info) {
  std::map<std::string, std::vector<const CaseResult*>> suites;  // by scenario file
  for (const auto& r : results) suites[r.tp->file].push_back(&r);
  std::ofstream out(path);
  int tests = 0, failures = 0, errors = 0, skipped = 0;
  for (const auto& r : results) {
    tests++;
    if (r.verdict == Verdict::fail) failures++;
    else if (r.verdict == Verdict::error || r.verdict == Verdict::inconc) errors++;
    else if (r.verdict == Verdict::na) skipped++;
  }
  out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out << fmt::format("<testsuites name=\"gmp-conform\" tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"{}\" time=\"{:.3f}\">\n",
                     tests, failures, errors, skipped, info.wall_ms / 1000);
  for (const auto& [file, rs] : suites) {
    int f = 0, e = 0, s = 0;
    for (const auto* r : rs) {
      if (r->verdict == Verdict::fail) f++;
      else if (r->verdict == Verdict::error || r->verdict == Verdict::inconc) e++;
      else if (r->verdict == Verdict::na) s++;
    }
    out << fmt::format("  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"{}\" timestamp=\"{}\">\n",
                       xml_escape(file), rs.size(), f, e, s, xml_escape(info.started));
    for (const auto* r : rs) {
      const std::string verdict(to_string(r->verdict));
      out << fmt::format("    <testcase classname=\"{}\" name=\"{}\" time=\"{:.3f}\">\n",
                         xml_escape(file), xml_escape(r->tp->id + " " + r->tp->title), r->duration_ms / 1000);
      out << "      <properties><property name=\"verdict\" value=\"" << xml_escape(verdict)
          << "\"/><property name=\"clause\" value=\"";
      for (std::size_t i = 0; i < r->tp->clauses.size(); ++i) out << (i ? " " : "") << xml_escape(r->tp->clauses[i]);
      out << "\"/><property name=\"authority\" value=\"" << xml_escape(r->authority().str()) << "\"/>";
      if (!r->deviation.empty())
        out << "<property name=\"deviation\" value=\"" << xml_escape(r->deviation) << "\"/>";
      out << "</properties>\n";
      std::string body = r->reason + (r->where.empty() ? "" : "\nat " + r->where);
      for (const auto& d : r->details) body += "\n" + d;
      body += "\nrequirement: " + r->tp->requirement;
      if (r->verdict == Verdict::fail) {
        // Profile 8: the message says first whether X.602 itself or a profile decision fails.
        std::string msg = fails_phrase(r->authority()) + ": " +
                          (r->deviation.empty() ? r->reason : "documented deviation (" + r->deviation + "): " + r->reason);
        out << "      <failure type=\"fail\" message=\"" << xml_escape(msg) << "\">" << xml_escape(body) << "</failure>\n";
      } else if (r->verdict == Verdict::error || r->verdict == Verdict::inconc) {
        out << "      <error type=\"" << verdict << "\" message=\"" << xml_escape(verdict + ": " + r->reason)
            << "\">" << xml_escape(body) << "</error>\n";
      } else if (r->verdict == Verdict::na) {
        out << "      <skipped message=\"" << xml_escape(verdict + ": " + r->reason) << "\"/>\n";
      }
      out << "    </testcase>\n";
    }
    out << "  </testsuite>\n";
  }
  out << "</testsuites>\n";
}

}  // namespace conform
