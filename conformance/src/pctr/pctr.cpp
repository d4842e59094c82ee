#include "pctr.hpp"

#include "gmp/escape.hpp"

#include <openssl/evp.h>

#include <fmt/format.h>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

namespace conform::pctr {

namespace {

const std::string zero_digest(64, '0');
constexpr const char* json_key = "\"report_sha256\": \"";
constexpr const char* html_key = "<meta name=\"gmp-pctr-sha256\" content=\"";

std::string escape(const std::string& s) { return gmp::app::markup_escape(s); }

/// The digest of `text` whose digest field (after `key`) holds zeros; written into it.
std::string seal(std::string text, const char* key) {
  const auto at = text.find(key);
  if (at == std::string::npos) return text;
  const auto pos = at + std::string(key).size();
  const std::string d = sha256_hex({reinterpret_cast<const std::uint8_t*>(text.data()), text.size()});
  text.replace(pos, 64, d);
  return text;
}

std::map<std::string, int> summary(const Input& in) {
  std::map<std::string, int> n;
  for (const auto& c : in.cases) ++n[c.verdict];
  return n;
}

// Profile 8: fails against the recommendation apart from fails against profile decisions only.
std::map<std::string, int> fails_by_authority(const Input& in) {
  std::map<std::string, int> n{{"x602", 0}, {"profile_only", 0}};
  for (const auto& c : in.cases)
    if (c.verdict == "fail") ++n[c.authority == "X.602" ? "x602" : "profile_only"];
  return n;
}

std::string overall(const Input& in) {
  const auto n = summary(in);
  if (n.count("fail") || n.count("error")) return "FAIL";
  if (n.count("inconc")) return "INCONCLUSIVE";
  return "PASS";
}

}  // namespace

std::string sha256_hex(std::span<const std::uint8_t> bytes) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(bytes.data(), bytes.size(), md, &len, EVP_sha256(), nullptr);
  std::string out;
  for (unsigned int i = 0; i < len; ++i) out += fmt::format("{:02x}", md[i]);
  return out;
}

std::string sha256_file(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) return {};
  std::stringstream ss;
  ss << f.rdbuf();
  const std::string s = ss.str();
  return sha256_hex({reinterpret_cast<const std::uint8_t*>(s.data()), s.size()});
}

std::string json_report(const Input& in) {
  nlohmann::ordered_json j;
  j["report"] = "GMP protocol conformance test report (PCTR)";
  j["implementation"] = {{"name", in.implementation_name}, {"version", in.implementation_version}};
  j["tester"] = {{"name", "gmp-conform"}, {"version", in.tester_version}, {"commit", in.tester_commit}};
  j["date"] = in.date_utc;
  j["command_line"] = in.command_line;
  auto files = nlohmann::ordered_json::array();
  for (const auto& f : in.files) files.push_back({{"role", f.role}, {"path", f.path}, {"sha256", f.sha256}});
  j["files"] = files;
  j["verdict"] = overall(in);
  j["summary"] = summary(in);
  j["fails_by_authority"] = fails_by_authority(in);
  auto cases = nlohmann::ordered_json::array();
  for (const auto& c : in.cases) {
    nlohmann::ordered_json x = {{"id", c.id}, {"title", c.title}, {"verdict", c.verdict}, {"authority", c.authority}};
    if (!c.reason.empty()) x["reason"] = c.reason;
    cases.push_back(x);
  }
  j["cases"] = cases;
  j["report_sha256"] = zero_digest;
  // Pretty-printed with the digest last, so that the key appears once, near the end.
  return seal(j.dump(2) + "\n", json_key);
}

std::string html_report(const Input& in) {
  const auto n = summary(in);
  std::string h;
  h += "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n";
  h += std::string(html_key) + zero_digest + "\">\n";
  h += "<title>GMP PCTR: " + escape(in.implementation_name) + "</title>\n";
  h += "<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}"
       "td,th{border:1px solid #999;padding:.2em .5em;text-align:left}"
       ".fail,.error{background:#fdd}.inconc{background:#ffd}.digest{font-family:monospace}</style>\n";
  h += "</head><body>\n<h1>Protocol conformance test report: " + escape(overall(in)) + "</h1>\n";
  h += "<h2>Implementation under test</h2>\n<table>";
  h += "<tr><th>Name</th><td>" + escape(in.implementation_name) + "</td></tr>";
  h += "<tr><th>Version</th><td>" + escape(in.implementation_version) + "</td></tr></table>\n";
  h += "<h2>Test system</h2>\n<table>";
  h += "<tr><th>Tester</th><td>gmp-conform " + escape(in.tester_version) + " (commit " + escape(in.tester_commit) + ")</td></tr>";
  h += "<tr><th>Date</th><td>" + escape(in.date_utc) + "</td></tr>";
  std::string cmd;
  for (const auto& a : in.command_line) cmd += (cmd.empty() ? "" : " ") + a;
  h += "<tr><th>Command line</th><td><code>" + escape(cmd) + "</code></td></tr></table>\n";
  h += "<h2>Files</h2>\n<table><tr><th>Role</th><th>Path</th><th>SHA-256</th></tr>";
  for (const auto& f : in.files)
    h += "<tr><td>" + escape(f.role) + "</td><td>" + escape(f.path) + "</td><td class=\"digest\">" + f.sha256 + "</td></tr>";
  h += "</table>\n<h2>Summary</h2>\n<p>";
  for (const auto& [v, count] : n) h += escape(v) + ": " + std::to_string(count) + " &nbsp; ";
  const auto f = fails_by_authority(in);
  h += "</p>\n<p>fails X.602: " + std::to_string(f.at("x602")) + " &nbsp; fails profile decisions only: " +
       std::to_string(f.at("profile_only")) + "</p>\n<h2>Verdicts</h2>\n<table><tr><th>Purpose</th><th>Title</th><th>Verdict</th><th>Authority</th><th>Reason</th></tr>";
  for (const auto& c : in.cases) {
    const std::string cls = c.verdict == "n/a" ? "na" : c.verdict;
    h += "<tr class=\"" + escape(cls) + "\"><td>" + escape(c.id) + "</td><td>" + escape(c.title) + "</td><td>" +
         escape(c.verdict) + "</td><td>" + escape(c.authority) + "</td><td>" + escape(c.reason) + "</td></tr>\n";
  }
  h += "</table>\n<p>Report digest (SHA-256 of this file with these 64 digits set to 0): <span class=\"digest\">" +
       zero_digest + "</span>. Check it with <code>gmp-conform --verify-pctr pctr.html</code>.</p>\n</body></html>\n";
  // The visible copy of the digest is written after sealing, over the same zeros: seal the
  // meta element's copy, then repeat it in the text.
  std::string sealed = seal(h, html_key);
  const auto v = verify_bytes(sealed);
  const auto shown = sealed.rfind(zero_digest);
  if (shown != std::string::npos) sealed.replace(shown, 64, v.digest);
  return sealed;
}

bool write(const std::string& dir, const Input& in, std::string& error) {
  for (const auto& [name, text] : {std::pair{"pctr.json", json_report(in)}, std::pair{"pctr.html", html_report(in)}}) {
    std::ofstream f(dir + "/" + name, std::ios::binary);
    f << text;
    if (!f) {
      error = "cannot write " + dir + "/" + name;
      return false;
    }
  }
  return true;
}

Verification verify_bytes(const std::string& content) {
  Verification v;
  const bool html = content.find(html_key) != std::string::npos;
  const char* key = html ? html_key : json_key;
  const auto at = content.find(key);
  if (at == std::string::npos) {
    v.detail = "no report digest in the file (not a pctr.json or pctr.html)";
    return v;
  }
  const auto pos = at + std::string(key).size();
  if (pos + 64 > content.size()) {
    v.detail = "the report digest is cut short";
    return v;
  }
  v.digest = content.substr(pos, 64);
  std::string zeroed = content;
  zeroed.replace(pos, 64, zero_digest);
  if (html) {  // the visible copy was written after sealing
    const auto shown = zeroed.rfind(v.digest);
    if (shown != std::string::npos && shown > pos) zeroed.replace(shown, 64, zero_digest);
  }
  const std::string actual = sha256_hex({reinterpret_cast<const std::uint8_t*>(zeroed.data()), zeroed.size()});
  v.ok = actual == v.digest;
  v.detail = v.ok ? "digest " + v.digest + " matches the content"
                  : "the content does not match the digest it states (" + v.digest + "): the report was changed";
  return v;
}

Verification verify_file(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) return Verification{false, "", "cannot read " + path};
  std::stringstream ss;
  ss << f.rdbuf();
  return verify_bytes(ss.str());
}

}  // namespace conform::pctr
