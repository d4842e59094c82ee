// The robustness campaign's reports: the console, robustness.json, robustness-junit.xml (one
// test case per anomaly family, GMP/ROB/GEN/<family>) and robustness.html.
#include <filesystem>
#include <fstream>

#include <fmt/format.h>
#include <gmp/escape.hpp>
#include <nlohmann/json.hpp>

#include "campaign.hpp"

namespace conform::robustness {

namespace {

std::string purpose(const std::string& family) { return "GMP/ROB/GEN/" + family; }

std::string xml(const std::string& s) { return gmp::app::markup_escape(s); }

// The page's first screen: the verdict banner, then the findings with their replay lines.
const char* css =
    "body{font-family:sans-serif;margin:1.5em;color:#222}table{border-collapse:collapse;margin-bottom:1em}"
    "td,th{border:1px solid #ccc;padding:2px 8px;text-align:left;font-size:13px}th{background:#eef}"
    ".pass{color:#070}.fail{color:#c00;font-weight:bold}.verdict{padding:10px 16px;border-radius:6px;font-size:15px}"
    ".verdict b{font-size:26px;margin-right:16px}.verdict span{margin-right:14px}"
    ".v-pass{background:#e3f5e3;border:2px solid #070}.v-fail{background:#fde4e4;border:2px solid #c00}"
    ".v-error{background:#fff2d9;border:2px solid #b60}code{font-size:12px}li{margin:3px 0}";

void banner(std::ofstream& h, const Result& r) {
  const bool pass = r.exit_code == ExitCode::pass, fail = r.exit_code == ExitCode::fail;
  const std::string word = pass ? "PASS" : fail ? fmt::format("FAIL: {} finding{}", r.findings.size(),
                                                              r.findings.size() == 1 ? "" : "s")
                                        : "ERROR";
  h << fmt::format("<h1>Robustness campaign{}</h1>\n<div class=\"verdict v-{}\" id=\"verdict\"><b>{}</b>"
                   "<span>seed {}</span><span>{} anomalies sent</span><span>{} purpose{}, {} case runs</span>"
                   "<span>{:.1f} s</span><span>exit code {}</span></div>\n",
                   r.against.empty() ? "" : " against " + xml(r.against), pass ? "pass" : fail ? "fail" : "error",
                   xml(word), r.seed, r.sent, r.purposes, r.purposes == 1 ? "" : "s", r.runs, r.wall_ms / 1000, static_cast<int>(r.exit_code));
  if (r.findings.empty()) return;
  h << "<h2>Findings</h2>\n<ol id=\"findings\">\n";
  for (const auto& f : r.findings)
    h << fmt::format("<li><span class=\"fail\">{}</span> {}: {}{}<br>replay: <code>{}</code></li>\n",
                     to_string(f.verdict), xml(f.anomaly), xml(f.reason), f.where.empty() ? "" : " (" + xml(f.where) + ")",
                     xml(f.replay));
  h << "</ol>\n";
}

void list(std::ofstream& h, const std::string& title, const std::vector<std::string>& items) {
  if (items.empty()) return;
  h << "<h2>" << xml(title) << "</h2>\n<ul>\n";
  for (const auto& s : items) h << "<li>" << xml(s) << "</li>\n";
  h << "</ul>\n";
}

const Finding* first_of(const Result& r, const std::string& family) {
  for (const auto& f : r.findings)
    if (f.family == family) return &f;
  return nullptr;
}

}  // namespace

void print(const Result& r) {
  if (!r.against.empty()) fmt::print("robustness against {}\n", r.against);
  fmt::print("robustness: seed {}: {} purposes, {} case runs, {} anomalies sent, {} failures, {:.1f} s\n", r.seed,
             r.purposes, r.runs, r.sent, r.findings.size(), r.wall_ms / 1000);
  for (const auto& [family, t] : r.families)
    fmt::print("  {:<34} {:>6} sent  {}{}\n", purpose(family), t.sent, t.failures ? "FAIL" : "pass",
               t.failures ? "  first failing anomaly: " + t.first : "");
  fmt::print("per scenario file:\n");
  for (const auto& [file, t] : r.files) fmt::print("  {:<40} {:>6} sent {:>4} failing runs\n", file, t.sent, t.failures);
  for (const auto& s : r.skipped) fmt::print("  left out: {}\n", s);
  for (const auto& s : r.not_reproduced) fmt::print("  failed once, passed played again: {}\n", s);
  for (const auto& f : r.findings) {
    fmt::print("{} {} {}\n    {}{}\n", to_string(f.verdict), f.alone ? purpose(f.family) : "(a batch, from)", f.anomaly, f.reason,
               f.where.empty() ? "" : " (" + f.where + ")");
    if (!f.replay.empty()) fmt::print("    replay: {}\n", f.replay);
  }
}

void write_reports(const Result& r, const std::string& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  nlohmann::json j;
  j["seed"] = r.seed;
  j["against"] = r.against;
  j["purposes"] = r.purposes;
  j["runs"] = r.runs;
  j["largest_run"] = r.largest_run;
  j["sent"] = r.sent;
  j["wall_ms"] = r.wall_ms;
  j["exit_code"] = static_cast<int>(r.exit_code);
  j["anomalies"] = r.anomalies;
  j["skipped"] = r.skipped;
  j["not_reproduced"] = r.not_reproduced;
  for (const auto& [family, t] : r.families)
    j["families"][purpose(family)] = {{"sent", t.sent}, {"failures", t.failures}, {"first_failing", t.first}};
  for (const auto& [file, t] : r.files) j["files"][file] = {{"sent", t.sent}, {"failing_runs", t.failures}};
  j["findings"] = nlohmann::json::array();
  for (const auto& f : r.findings)
    j["findings"].push_back({{"anomaly", f.anomaly}, {"family", f.family}, {"verdict", std::string(to_string(f.verdict))},
                             {"reason", f.reason}, {"where", f.where}, {"replay", f.replay}, {"alone", f.alone}});
  std::ofstream(dir + "/robustness.json") << j.dump(1) << "\n";

  std::ofstream x(dir + "/robustness-junit.xml");
  std::size_t failed = 0;
  for (const auto& [family, t] : r.families) failed += t.failures ? 1 : 0;
  x << fmt::format("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuite name=\"gmp-conform robustness seed {}\" "
                   "tests=\"{}\" failures=\"{}\" time=\"{:.3f}\">\n",
                   r.seed, r.families.size(), failed, r.wall_ms / 1000);
  for (const auto& [family, t] : r.families) {
    x << fmt::format("  <testcase classname=\"GMP/ROB/GEN\" name=\"{}\">", xml(purpose(family)));
    if (const Finding* f = first_of(r, family))
      x << fmt::format("<failure message=\"{} of {} anomalies fail; first: {}\">{}\nreplay: {}</failure>", t.failures,
                       t.sent, xml(f->anomaly), xml(f->reason), xml(f->replay));
    x << "</testcase>\n";
  }
  x << "</testsuite>\n";

  std::ofstream h(dir + "/robustness.html");
  h << fmt::format("<!doctype html><meta charset=\"utf-8\"><title>gmp-conform robustness, seed {}</title>\n<style>{}</style>\n",
                   r.seed, css);
  banner(h, r);
  h << "<h2>Per anomaly family</h2>\n<table><tr><th>purpose<th>sent<th>verdict<th>first failing anomaly</tr>\n";
  for (const auto& [family, t] : r.families)
    h << fmt::format("<tr><td>{}<td>{}<td class=\"{}\">{}<td>{}</tr>\n", xml(purpose(family)), t.sent,
                     t.failures ? "fail" : "pass", t.failures ? "fail" : "pass", xml(t.first));
  h << "</table>\n<h2>Per scenario file</h2>\n<table><tr><th>file<th>sent<th>failing runs</tr>\n";
  for (const auto& [file, t] : r.files)
    h << fmt::format("<tr><td>{}<td>{}<td class=\"{}\">{}</tr>\n", xml(file), t.sent, t.failures ? "fail" : "pass",
                     t.failures);
  h << "</table>\n";
  list(h, "Left out", r.skipped);
  list(h, "Failed once, passed played again (not findings)", r.not_reproduced);
  fmt::print("reports: {}/ (robustness.html, robustness.json, robustness-junit.xml)\n",
             std::filesystem::absolute(dir).string());
}

}  // namespace conform::robustness
