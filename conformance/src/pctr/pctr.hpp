// The protocol conformance test report (PCTR, in the manner of ISO/IEC 9646-5 | X.294):
// what was tested (the implementation's identity from the PIXIT), with what (the tester's
// version and commit, the SHA-256 of every scenario file, of the PICS/PIXIT and of the
// deviations), when and how (date, command line), and the verdict of every purpose with its
// authority (the recommendation alone, or profile decisions).
//
// Both files carry one SHA-256 over their own bytes, computed with the digest's 64 hex
// digits set to '0': any edit of any byte makes verify() fail, so a certificate that quotes
// the digest can be checked later against the file.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace conform::pctr {

struct Case {
  std::string id;
  std::string title;
  std::string verdict;    // pass, fail, inconc, n/a, error
  std::string authority;  // "X.602", or the profile decisions it rests on ("profile P6.3")
  std::string reason;     // why it failed / was n/a / inconclusive
};

struct File {
  std::string role;  // scenario, pixit, deviations
  std::string path;
  std::string sha256;
};

struct Input {
  std::string implementation_name;
  std::string implementation_version;
  std::string tester_version;
  std::string tester_commit;
  std::string date_utc;  // ISO 8601
  std::vector<std::string> command_line;
  std::vector<File> files;
  std::vector<Case> cases;
};

std::string sha256_hex(std::span<const std::uint8_t> bytes);
/// Empty when the file cannot be read.
std::string sha256_file(const std::string& path);

/// The two reports, each with its digest in place.
std::string json_report(const Input& in);
std::string html_report(const Input& in);

/// Writes pctr.json and pctr.html into `dir`; false with a message on failure.
bool write(const std::string& dir, const Input& in, std::string& error);

struct Verification {
  bool ok = false;
  std::string digest;  // the one the file states
  std::string detail;  // what is wrong, or what was checked
};
/// Recomputes a report's digest (pctr.json or pctr.html, found by content).
Verification verify_bytes(const std::string& content);
Verification verify_file(const std::string& path);

}  // namespace conform::pctr
