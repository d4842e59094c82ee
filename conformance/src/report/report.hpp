// Report writers: console, JUnit XML, JSON, one self-contained HTML page (with an SVG
// sequence diagram per case), one pcap per case, and the coverage matrix.
#pragma once

#include <string>
#include <vector>

#include "loader.hpp"
#include "pctr/pctr.hpp"
#include "suite.hpp"

namespace conform {

struct RunInfo {
  std::string target;      // "127.0.0.1:41234"
  std::string server_cmd;  // when the tester started the implementation
  double wall_ms = 0;
  double time_scale = 1;
  std::string started;     // ISO 8601 UTC
};

// Console (console.cpp)
void print_progress(const CaseResult& r, std::size_t done, std::size_t total, bool verbose);
void print_summary(const std::vector<CaseResult>& results, const Summary& s, const RunInfo& info);

// JUnit XML (junit.cpp): fail -> <failure>, error and inconc -> <error> (inconc
// named as such in the message), n/a -> <skipped message="n/a: ...">, deviation -> <failure>
// with the documented reason, and a property verdict on each testcase.
void write_junit(const std::string& path, const std::vector<CaseResult>& results, const RunInfo& info);

// Coverage matrix (json.cpp): clause -> test purposes; clauses with none.
Json coverage(const std::vector<Clause>& clauses, const std::vector<ScenarioFile>& files);

// JSON (json.cpp): every case with verdict, details and wire log; summary; coverage.
void write_json(const std::string& path, const std::vector<CaseResult>& results, const Summary& s,
                const RunInfo& info, const Json& cov);

// HTML (html.cpp), self-contained.
void write_html(const std::string& path, const std::vector<CaseResult>& results, const Summary& s,
                const RunInfo& info, const Json& cov);

// SVG sequence diagram, expected (left) and observed (right), differences in red (svg.cpp).
std::string sequence_svg(const CaseResult& r);

// pcap (pcap.cpp): file name for an ID ("GMP_SM_CRE_01.pcap") and the writer.
std::string pcap_name(const std::string& id);
void write_pcap(const std::string& path, const CaseResult& r);

std::string xml_escape(const std::string& s);

// PCTR (certificate.cpp): the files and command line the campaign ran with.
struct CertificateSources {
  std::string scenarios;    // scenario directory
  std::string pixit;        // PICS/PIXIT file, "" for the defaults
  std::string deviations;   // deviations file, "" for none
  std::vector<std::string> command_line;
};
pctr::Input pctr_input(const CertificateSources& src, const Pixit& pixit, const std::vector<CaseResult>& results,
                       const RunInfo& info);

// The finding of a failed case, split for readers (finding.cpp): the field-level
// differences first, then the messages the runner quoted (parsed back from its detail lines).
struct Finding {
  std::vector<std::string> differences;  // "opt.REASON: expected 2, observed absent"
  std::vector<std::string> notes;        // other detail lines ("observed: nothing", timings)
  struct Quoted {
    std::string label;  // "observed", "expected: SRRES"
    Json msg;
  };
  std::vector<Quoted> messages;
};
Finding finding(const CaseResult& r);

/// One line for the "what failed" list: the first difference, else the reason.
std::string one_line(const CaseResult& r);

/// A message in one line, long strings and lists cut down to what a reader scans.
std::string brief(const Json& msg);

}  // namespace conform
