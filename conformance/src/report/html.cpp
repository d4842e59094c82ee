// One self-contained HTML page: summary, coverage matrix, and per case the verdict, the
// requirement, expected vs observed, the sequence diagram and the decoded wire log.
#include <fmt/core.h>
#include <gmp/json.hpp>

#include <fstream>
#include <map>

#include "purpose.hpp"
#include "report/report.hpp"

namespace conform {

namespace {

const char* css = R"(body{font-family:sans-serif;margin:1.5em;color:#222}table{border-collapse:collapse}
td,th{border:1px solid #ccc;padding:2px 6px;vertical-align:top;font-size:13px}th{background:#eef}
.pass{color:#070;font-weight:bold}.fail{color:#c00;font-weight:bold}.inconc,.error{color:#b60;font-weight:bold}
.na{color:#888}.zero{color:#999;font-weight:normal}details{border:1px solid #ddd;margin:4px 0;padding:4px}summary{cursor:pointer}
pre{background:#f6f6f6;padding:4px;white-space:pre-wrap;margin:2px 0}.hl td{background:#fdd}.quiet td{color:#999}
.req{border-left:3px solid #88a;padding-left:8px;font-style:italic}code{font-size:12px}.svg{overflow-x:auto}
.hex{max-width:32em;word-break:break-all}.banner{padding:10px 16px;border-radius:6px;margin:0 0 10px;font-size:15px}
.banner b{font-size:26px;margin-right:16px}.banner.v-pass{background:#e3f5e3;border:2px solid #070}
.banner.v-fail{background:#fde4e4;border:2px solid #c00}.banner.v-inconc{background:#fff2d9;border:2px solid #b60}
.banner span{margin-right:14px}.failed{margin:0 0 12px;padding-left:1.6em}.failed li{margin:2px 0}
.diff{background:#fff0f0;border-left:4px solid #c00;padding:4px 8px;margin:4px 0;list-style:none}
.diff li{font-family:monospace;font-size:13px}.msg code{font-size:12px}h1{margin:0 0 8px}
.auth{font-size:12px;padding:0 4px;border-radius:3px;white-space:nowrap}.auth.x602{background:#c00;color:#fff}
.auth.profile{background:#fff;color:#a40;border:1px solid #a40})";

// The CSS class of a verdict: its name, "na" for n/a.
std::string cls(Verdict v) { return v == Verdict::na ? "na" : std::string(to_string(v)); }
std::string text(Verdict v) { return xml_escape(std::string(to_string(v))); }

// "GMP/SM/CRE/01" is a valid HTML id (report.html#GMP/SM/CRE/01); the sanitized form
// (GMP_SM_CRE_01, as in the pcap names) is kept as a second anchor for tools that mangle '/'.
std::string safe_id(const std::string& id) { return pcap_name(id).substr(0, pcap_name(id).size() - 5); }

int count(const Summary& s, Verdict v) { return s.counts.count(v) ? s.counts.at(v) : 0; }

// The overall verdict first, with every count; a count of zero is grey whatever its verdict.
void banner(std::ofstream& out, const Summary& s) {
  const bool pass = s.exit_code == ExitCode::pass, fail = s.exit_code == ExitCode::fail;
  const char* word = pass ? "PASS" : fail ? "FAIL" : "INCONCLUSIVE";
  const char* c = pass ? "pass" : fail ? "fail" : "inconc";
  out << "<div class=\"banner v-" << c << "\" id=\"verdict\"><b>" << word << "</b>";
  for (Verdict v : {Verdict::fail, Verdict::error, Verdict::inconc, Verdict::pass, Verdict::na}) {
    int n = count(s, v);
    out << "<span class=\"" << (n ? cls(v) : "zero") << "\">" << n << " " << to_string(v) << "</span>";
  }
  // Profile 8: fails against the recommendation apart from fails against profile decisions only.
  out << "<span class=\"" << (s.fails_x602 ? "fail" : "zero") << "\" id=\"fails-x602\">" << s.fails_x602
      << " fail X.602</span><span class=\"" << (s.fails_profile ? "fail" : "zero") << "\" id=\"fails-profile\">"
      << s.fails_profile << " fail profile decisions only</span>";
  out << "<span class=\"zero\">" << s.executed << " executed, " << s.deviations << " documented deviations, exit code "
      << static_cast<int>(s.exit_code) << "</span></div>\n";
}

// What a verdict rests on (profile 8); for a fail, whether X.602 itself fails.
std::string authority_badge(const CaseResult& r) {
  const auto& a = r.authority();
  const std::string words = r.verdict == Verdict::fail ? fails_phrase(a) : "authority " + a.str();
  return std::string("<span class=\"auth ") + (a.x602() ? "x602" : "profile") + "\">" + xml_escape(words) + "</span>";
}

void failures(std::ofstream& out, const std::vector<CaseResult>& results) {
  bool any = false;
  for (const auto& r : results) {
    if (!is_finding(r.verdict)) continue;
    if (!any) out << "<h2>What failed</h2>\n<ol class=\"failed\" id=\"failures\">\n";
    any = true;
    out << "<li><span class=\"" << cls(r.verdict) << "\">" << text(r.verdict) << "</span> <a href=\"#"
        << xml_escape(r.tp->id) << "\"><b>" << xml_escape(r.tp->id) << "</b></a> " << authority_badge(r) << " " << xml_escape(r.tp->title)
        << " &mdash; <code>" << xml_escape(one_line(r)) << "</code></li>\n";
  }
  if (any) out << "</ol>\n";
}

// The decisive difference first, then the quoted messages cut to their fields; the full
// JSON of each message stays one click away.
void finding_html(std::ofstream& out, const CaseResult& r) {
  if (!r.reason.empty()) out << "<p><b>" << xml_escape(r.reason) << "</b> " << xml_escape(r.where) << "</p>\n";
  Finding f = finding(r);
  if (!f.differences.empty()) {
    out << "<ul class=\"diff\">";
    for (const auto& d : f.differences) out << "<li>" << xml_escape(d) << "</li>";
    out << "</ul>\n";
  }
  if (!f.notes.empty()) {
    out << "<pre>";
    for (const auto& d : f.notes) out << xml_escape(d) << "\n";
    out << "</pre>\n";
  }
  for (const auto& m : f.messages) {
    std::string full = m.msg.dump(1);
    out << "<p class=\"msg\">" << xml_escape(m.label) << ": <code>" << xml_escape(brief(m.msg)) << "</code></p>"
        << "<details><summary>full message JSON (" << full.size() << " bytes)</summary><pre>" << xml_escape(full)
        << "</pre></details>\n";
  }
}

void case_html(std::ofstream& out, const CaseResult& r) {
  std::string anchor = pcap_name(r.tp->id);
  out << "<a id=\"" << safe_id(r.tp->id) << "\"></a><details id=\"" << xml_escape(r.tp->id) << "\"" << (is_finding(r.verdict) ? " open" : "") << "><summary><span class=\"" << cls(r.verdict)
      << "\">" << text(r.verdict) << (r.deviation.empty() ? "" : " (deviation)") << "</span> <b>"
      << xml_escape(r.tp->id) << "</b> " << authority_badge(r) << " " << xml_escape(r.tp->title) << "</summary>\n";
  out << "<p>Clause";
  for (const auto& c : r.tp->clauses) out << " " << xml_escape(c);
  if (!r.tp->figure.empty()) out << " &middot; Figure " << xml_escape(r.tp->figure);
  out << " &middot; " << xml_escape(r.tp->file) << " &middot; " << fmt::format("{:.0f} ms", r.duration_ms);
  if (r.attempts > 1)
    out << fmt::format(" &middot; played {} times (the tester was late on the earlier plays)", r.attempts);
  if (!r.tp->pics.empty()) {
    out << " &middot; PICS:";
    for (const auto& p : r.tp->pics) out << " " << xml_escape(p);
  }
  out << "</p>\n<p class=\"req\">" << xml_escape(r.tp->requirement) << "</p>\n";
  finding_html(out, r);
  if (!r.deviation.empty()) out << "<p>Documented deviation: " << xml_escape(r.deviation) << "</p>\n";
  if (r.verdict == Verdict::na) {
    out << "</details>\n";
    return;
  }
  out << "<p><a href=\"pcaps/" << anchor << "\">pcap</a></p>\n<div class=\"svg\">" << sequence_svg(r) << "</div>\n";
  out << "<table><tr><th>ms</th><th>lifeline</th><th>dir</th><th>message (decoded)</th><th>hex</th><th>note</th></tr>\n";
  const std::size_t n = r.log.size(), head = 300, tail = 100;  // bound the page size
  for (std::size_t i = 0; i < n; ++i) {
    if (n > head + tail && i == head) {
      out << "<tr><td colspan=\"6\">... " << n - head - tail
          << " entries omitted here (all are in report.json and the pcap)</td></tr>\n";
      i = n - tail;
    }
    const WireEvent& e = r.log[i];
    std::string rowcls = e.highlight ? " class=\"hl\"" : (e.note == "auto KARES" || e.note == "ignored") ? " class=\"quiet\"" : "";
    std::string what;
    if (e.kind == WireKind::tcp_open) what = "TCP connect";
    else if (e.kind == WireKind::tcp_close_by_server) what = "TCP closed by the server";
    else if (e.kind == WireKind::tcp_close_by_tester) what = "TCP closed by the tester";
    else what = (e.tcp ? "SM " : "MM ") + brief(e.decoded);
    out << fmt::format("<tr{}><td>{:.1f}</td><td>{}</td><td>{}</td><td><code>{}</code></td><td class=\"hex\"><code>{}</code></td><td>{}</td></tr>\n",
                       rowcls, e.t_ms, xml_escape(e.lifeline), e.to_server ? "&rarr;" : "&larr;", xml_escape(what),
                       xml_escape(gmp::json::to_hex(e.wire)), xml_escape(e.note));
  }
  out << "</table></details>\n";
}

}  // namespace

void write_html(const std::string& path, const std::vector<CaseResult>& results, const Summary& s,
                const RunInfo& info, const Json& cov) {
  std::ofstream out(path);
  out << "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>gmp-conform report</title><style>" << css
      << "</style></head><body>\n<h1>GMP conformance report</h1>\n";
  banner(out, s);
  failures(out, results);
  out << "<p>Target " << xml_escape(info.target);
  if (!info.server_cmd.empty()) out << " (started as <code>" << xml_escape(info.server_cmd) << "</code>)";
  out << fmt::format(", {} , {:.2f} s wall, time scale {}.</p>\n", xml_escape(info.started), info.wall_ms / 1000, info.time_scale);
  out << "<h2>Test purposes</h2><table><tr><th>ID</th><th>verdict</th><th>authority</th><th>clause</th><th>fig.</th><th>title</th></tr>\n";
  std::map<std::string, Verdict> verdict_of;
  for (const auto& r : results) {
    verdict_of[r.tp->id] = r.verdict;
    std::string clauses;
    for (const auto& c : r.tp->clauses) clauses += c + " ";
    out << "<tr" << (is_finding(r.verdict) ? " class=\"hl\"" : "") << "><td><a href=\"#" << xml_escape(r.tp->id) << "\">"
        << xml_escape(r.tp->id) << "</a></td><td class=\"" << cls(r.verdict) << "\">" << text(r.verdict)
        << (r.deviation.empty() ? "" : " (deviation)") << "</td><td>" << xml_escape(r.authority().str())
        << "</td><td>" << xml_escape(clauses) << "</td><td>"
        << xml_escape(r.tp->figure) << "</td><td>" << xml_escape(r.tp->title) << "</td></tr>\n";
  }
  out << "</table>\n<h2>Coverage matrix</h2>\n<p>Clauses without any test purpose: ";
  if (cov["uncovered"].empty()) out << "none";
  for (const auto& c : cov["uncovered"]) out << "<b class=\"fail\">" << xml_escape(c.get<std::string>()) << "</b> ";
  out << "</p><table><tr><th>clause</th><th>title</th><th>test purposes</th></tr>\n";
  for (const auto& row : cov["clauses"]) {
    bool none = row["testable"].get<bool>() && row["test_purposes"].empty();
    std::string fr = row.value("title_fr", std::string());
    out << "<tr" << (none ? " class=\"hl\"" : "") << "><td>" << xml_escape(row["clause"].get<std::string>()) << "</td><td"
        << (fr.empty() ? "" : " title=\"" + xml_escape(fr) + "\"") << ">" << xml_escape(row["title"].get<std::string>())
        << "</td><td>";
    if (!row["testable"].get<bool>()) out << "(not testable here: " << xml_escape(row["note"].get<std::string>()) << ")";
    // Each test purpose in the colour of its verdict in this run (not run: plain text).
    for (const auto& id : row["test_purposes"]) {
      std::string i = id.get<std::string>();
      auto v = verdict_of.find(i);
      if (v == verdict_of.end()) out << xml_escape(i) << " ";
      else out << "<a class=\"" << cls(v->second) << "\" title=\"" << text(v->second) << "\" href=\"#" << xml_escape(i)
               << "\">" << xml_escape(i) << "</a> ";
    }
    out << "</td></tr>\n";
  }
  out << "</table>\n<h2>Cases</h2>\n";
  for (const auto& r : results) case_html(out, r);
  out << "</body></html>\n";
}

}  // namespace conform
