// One self-contained HTML page: summary, coverage matrix, and per case the verdict, the
// requirement, expected vs observed, the sequence diagram and the decoded wire log.
#include <fmt/core.h>
#include <gmp/json.hpp>

#include <fstream>

#include "report.hpp"

namespace conform {

namespace {

const char* css = R"(body{font-family:sans-serif;margin:1.5em;color:#222}table{border-collapse:collapse}
td,th{border:1px solid #ccc;padding:2px 6px;vertical-align:top;font-size:13px}th{background:#eef}
.pass{color:#070;font-weight:bold}.fail{color:#c00;font-weight:bold}.inconc,.error{color:#b60;font-weight:bold}
.na{color:#888}details{border:1px solid #ddd;margin:4px 0;padding:4px}summary{cursor:pointer}
pre{background:#f6f6f6;padding:4px;white-space:pre-wrap;margin:2px 0}.hl td{background:#fdd}.quiet td{color:#999}
.req{border-left:3px solid #88a;padding-left:8px;font-style:italic}code{font-size:12px}.svg{overflow-x:auto}
.hex{max-width:32em;word-break:break-all})";

std::string cls(const std::string& v) { return v == "n/a" ? "na" : v; }

std::string fields(const Json& d) {
  if (!d.is_object()) return "";
  std::string s;
  for (const char* k : {"type", "session_id", "user_id", "mode", "member_type", "group_address", "group_port",
                        "ka_period", "ka_timeout", "key_length", "checksum_status", "error"})
    if (d.contains(k) && !d[k].is_null()) s += std::string(k) + "=" + (d[k].is_string() ? d[k].get<std::string>() : d[k].dump()) + " ";
  if (d.contains("flags")) {
    s += "flags=";
    for (const auto& [f, v] : d["flags"].items())
      if (v.is_boolean() && v.get<bool>()) s += f;
    s += " ";
  }
  if (d.contains("options") && !d["options"].empty()) {
    Json o = d["options"];
    for (auto& e : o) {
      e.erase("code");
      e.erase("length");
    }
    s += "options=" + o.dump();
  }
  return s;
}

void case_html(std::ofstream& out, const CaseResult& r) {
  bool open = r.verdict == "fail" || r.verdict == "error" || r.verdict == "inconc";
  std::string anchor = pcap_name(r.tp->id);
  out << "<details id=\"" << anchor << "\"" << (open ? " open" : "") << "><summary><span class=\"" << cls(r.verdict)
      << "\">" << xml_escape(r.verdict) << (r.deviation.empty() ? "" : " (deviation)") << "</span> <b>"
      << xml_escape(r.tp->id) << "</b> " << xml_escape(r.tp->title) << "</summary>\n";
  out << "<p>Clause";
  for (const auto& c : r.tp->clauses) out << " " << xml_escape(c);
  if (!r.tp->figure.empty()) out << " &middot; Figure " << xml_escape(r.tp->figure);
  out << " &middot; " << xml_escape(r.tp->file) << " &middot; " << fmt::format("{:.0f} ms", r.duration_ms);
  if (!r.tp->pics.empty()) {
    out << " &middot; PICS:";
    for (const auto& p : r.tp->pics) out << " " << xml_escape(p);
  }
  out << "</p>\n<p class=\"req\">" << xml_escape(r.tp->requirement) << "</p>\n";
  if (!r.reason.empty()) out << "<p><b>" << xml_escape(r.reason) << "</b> " << xml_escape(r.where) << "</p>\n";
  if (!r.deviation.empty()) out << "<p>Documented deviation: " << xml_escape(r.deviation) << "</p>\n";
  if (!r.details.empty()) {
    out << "<pre>";
    for (const auto& d : r.details) out << xml_escape(d) << "\n";
    out << "</pre>\n";
  }
  if (r.verdict == "n/a") {
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
    else what = (e.tcp ? "SM " : "MM ") + fields(e.decoded);
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
  out << "<p>Target " << xml_escape(info.target);
  if (!info.server_cmd.empty()) out << " (started as <code>" << xml_escape(info.server_cmd) << "</code>)";
  out << fmt::format(", {} , {:.2f} s wall, time scale {}.</p>\n", xml_escape(info.started), info.wall_ms / 1000, info.time_scale);
  out << "<p>";
  for (const char* v : {"pass", "fail", "inconc", "error", "n/a"})
    out << "<span class=\"" << cls(v) << "\">" << v << ": " << (s.counts.count(v) ? s.counts.at(v) : 0) << "</span> &nbsp; ";
  out << "executed: " << s.executed << ", documented deviations: " << s.deviations << ", exit code " << s.exit_code << "</p>\n";
  out << "<h2>Test purposes</h2><table><tr><th>ID</th><th>verdict</th><th>clause</th><th>fig.</th><th>title</th></tr>\n";
  for (const auto& r : results) {
    std::string clauses;
    for (const auto& c : r.tp->clauses) clauses += c + " ";
    out << "<tr><td><a href=\"#" << pcap_name(r.tp->id) << "\">" << xml_escape(r.tp->id) << "</a></td><td class=\""
        << cls(r.verdict) << "\">" << xml_escape(r.verdict) << (r.deviation.empty() ? "" : " (deviation)") << "</td><td>"
        << xml_escape(clauses) << "</td><td>" << xml_escape(r.tp->figure) << "</td><td>" << xml_escape(r.tp->title)
        << "</td></tr>\n";
  }
  out << "</table>\n<h2>Coverage matrix</h2>\n<p>Clauses without any test purpose: ";
  if (cov["uncovered"].empty()) out << "none";
  for (const auto& c : cov["uncovered"]) out << "<b class=\"fail\">" << xml_escape(c.get<std::string>()) << "</b> ";
  out << "</p><table><tr><th>clause</th><th>title</th><th>test purposes</th></tr>\n";
  for (const auto& row : cov["clauses"]) {
    std::string ids;
    for (const auto& id : row["test_purposes"]) ids += id.get<std::string>() + " ";
    if (!row["testable"].get<bool>()) ids = "(not testable here: " + row["note"].get<std::string>() + ")";
    bool none = row["testable"].get<bool>() && row["test_purposes"].empty();
    out << "<tr" << (none ? " class=\"hl\"" : "") << "><td>" << xml_escape(row["clause"].get<std::string>()) << "</td><td>"
        << xml_escape(row["title"].get<std::string>()) << "</td><td>" << xml_escape(ids) << "</td></tr>\n";
  }
  out << "</table>\n<h2>Cases</h2>\n";
  for (const auto& r : results) case_html(out, r);
  out << "</body></html>\n";
}

}  // namespace conform
