// gmp-client's one-shot subcommands (docs/client.md, "One-shot commands"): each is a short
// script run by the Runner with a human-readable report and a documented exit code.
#pragma once

#include <string>
#include <vector>

#include "gmp/client/runner.hpp"

namespace gmp::client::oneshot {

struct Request {
  std::string command;  // create, register, members, leave, terminate, delete
  std::string as;       // CLIENT-NAME
  std::string session;  // session ID (decimal or 0x-hex), not for create
  std::string key;      // ACCESS-KEY (hex:..., text:...)
  bool json = false;    // print the JSON events instead of the report
  // create only
  bool closed = false, secure = false;
  std::string session_name = "session", session_info, owner_info, media_info, app_info;
  std::string start_time, end_time, keepalive, group;
  std::vector<std::string> allow, base;
};

/// The script commands for a request (exposed for tests).
std::vector<script::Command> plan(const Request& r);

/// Runs the request against the server; returns the exit code.
int run(const Request& r, const ServerEndpoints& server, const Runner::Options& options);

/// What a refusal means, for humans (SCREJ / SRREJ / SDRES and REASON, profile 5.7).
std::string explain_refusal(const std::string& message, int reason);

}  // namespace gmp::client::oneshot
