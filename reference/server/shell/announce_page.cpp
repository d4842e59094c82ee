// The announcement page (clause 7.1.2, profile 5.2), rendered on the HTTP thread from the
// last published snapshot: how to join, then one row per session. Every string that came
// from the wire is escaped here; the page needs no script to be read.
#include <cstdio>
#include <ctime>
#include <string>

#include "gmp/escape.hpp"
#include "snapshot.hpp"

namespace gmp::server {

std::string html_escape(std::string_view s) { return gmp::app::markup_escape(s); }

namespace {

std::string text(const nlohmann::json& j, const char* key) {
  const auto it = j.find(key);
  return it != j.end() && it->is_string() ? html_escape(it->get<std::string>()) : std::string();
}

std::string or_dash(std::string s) { return s.empty() ? "&mdash;" : s; }

// START-TIME / END-TIME are seconds since 1970 (profile 5.1): shown in UTC.
std::string when(const nlohmann::json& s, const char* key) {
  const auto it = s.find(key);
  if (it == s.end() || !it->is_number_integer()) return "not given";
  const nlohmann::json& t = *it;
  std::time_t secs = static_cast<std::time_t>(t.get<std::int64_t>());
  std::tm tm{};
  char buf[40];
  if (gmtime_r(&secs, &tm) == nullptr || std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S UTC", &tm) == 0)
    return std::to_string(t.get<std::int64_t>());
  return buf;
}

// As Wireshark shows it: hex and decimal.
std::string session_id(unsigned id) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "0x%04x (%u)", id, id);
  return buf;
}

const char* style = R"(body{font-family:sans-serif;margin:2em;color:#222}table{border-collapse:collapse}
td,th{border:1px solid #999;padding:.3em .6em;text-align:left;vertical-align:top}th{background:#eee}
.join{background:#eef4ff;border:1px solid #88a;padding:.6em 1em;max-width:60em}code{font-size:110%}
.info{max-width:24em;overflow-wrap:anywhere})";

void row(std::string& out, const nlohmann::json& s) {
  const unsigned id = s.value("session_id", 0u);
  const std::string sid = std::to_string(id);
  out += "<tr id=\"session-" + sid + "\"><td><code>" + session_id(id) + "</code></td><td>" + or_dash(text(s, "name")) +
         "</td><td>" + or_dash(text(s, "owner")) + "</td><td>" + or_dash(text(s, "media")) + "</td><td>" +
         or_dash(text(s, "app")) + "</td><td class=\"info\">" + or_dash(text(s, "info")) + "</td><td>" +
         text(s, "mode") + (s.value("secure", false) ? ", secure" : "") + "</td><td><code>" + text(s, "group_address") +
         ":" + std::to_string(s.value("group_port", 0)) + "</code></td><td>" + when(s, "start_time") + "</td><td>" +
         when(s, "end_time") + "</td><td class=\"members\">" + std::to_string(s.value("registered", 0)) +
         " registered (of which " + std::to_string(s.value("joined", 0)) + " joined, " +
         std::to_string(s.value("active", 0)) + " active)</td><td><a href=\"/sessions/" + sid + "\">JSON</a></td></tr>\n";
}

}  // namespace

std::string announcement_page(const nlohmann::json& sessions, const JoinInfo& join) {
  const std::string host = html_escape(join.host);
  std::string out = "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                    "<meta http-equiv=\"refresh\" content=\"5\"><title>GMP sessions</title><style>";
  out += style;
  out += "</style></head><body>\n<h1>GMP sessions</h1>\n<div class=\"join\" id=\"join\"><p><b>How to join:</b> connect "
         "over TCP to <code>" + host + ":" + std::to_string(join.sm_port) + "</code> (session management, SM) and "
         "register (SRREQ) with the session ID of a row below; membership messages (MM) go over UDP to <code>" +
         host + ":" + std::to_string(join.mm_port) + "</code>.</p><p>For example: <code>gmp-client --server " + host +
         ":" + std::to_string(join.sm_port) + " --mm-port " + std::to_string(join.mm_port) +
         " register --session ID --as NAME</code> (ID in decimal).</p></div>\n";
  const auto& list = sessions.contains("sessions") ? sessions["sessions"] : nlohmann::json::array();
  out += "<p id=\"count\">" + std::to_string(list.size()) +
         " session(s) announced (X.602 clause 7.1.2). This page reloads every 5 s; <a href=\"/sessions\">all as "
         "JSON</a>, <a href=\"/counters\">counters</a>.</p>\n";
  out += "<table id=\"sessions\"><thead><tr><th>Session ID</th><th>Name</th><th>Owner</th><th>Media</th>"
         "<th>Application</th><th>Info</th><th>Mode</th><th>Group</th><th>Start</th><th>End</th><th>Members</th>"
         "<th></th></tr></thead><tbody>\n";
  for (const auto& s : list) row(out, s);
  out += "</tbody></table></body></html>\n";
  return out;
}

}  // namespace gmp::server
