// The client suite (docs/conformance.md "Client suite"): the tester plays the server. Per
// case it listens on 127.0.0.1 (SM over TCP, MM over UDP, port 0), starts the adapter of the
// client under test (docs/client-adapter.md), plays the purpose's steps and judges first what
// the client put on the wire, then the events its adapter reported.
#pragma once

#include <set>
#include <string>
#include <vector>

#include "runner.hpp"

namespace conform::client {

/// The PIXIT file's `client:` section (docs/client-adapter.md "PICS and PIXIT").
struct ClientPixit {
  Json values = {{"uireq_retry_ms", 1000},
                 {"uireq_tries", 3},
                 {"trreq_retry_ms", 1000},
                 {"trreq_tries", 5},
                 {"answer_timeout_ms", 5000}};
  std::vector<std::string> commands;  // empty: every command the adapter supports
};
/// Reads the `client:` section of a PIXIT file (absent: the defaults); "file:line: message" errors.
bool load_client_pixit(const std::string& path, ClientPixit& out, std::vector<std::string>& errors);

/// What every case of the campaign shares.
struct Setup {
  std::vector<std::string> words;  // the --client-cmd template, split, placeholders unfilled
  std::set<std::string> usable;    // commands the adapter supports (and the PIXIT allows)
  std::string implementation;      // from the adapter's hello
  ClientPixit pixit;
};

/// The commands a purpose sends (first word of each `command` step, macros expanded).
std::set<std::string> commands_of(const TestPurpose& tp);

/// True for a client purpose (GMP/CLI/...).
bool is_client_purpose(const TestPurpose& tp);

/// Runs one client purpose. n/a when it needs a command the adapter does not support or
/// answers `unsupported` to.
CaseResult run_client_case(const TestPurpose& tp, const RunConfig& cfg, const Setup& setup);

}  // namespace conform::client
