// The self-check of the client adapter before a campaign (docs/client-adapter.md "The
// self-check"): within 10 s, the adapter answers `hello 1` with version 1 and its commands,
// prints nothing that breaks the contract, and, when it supports `create`, creates a session
// against the tester's own server (SCREQ, SCINF on the same connection, `registered` after
// SCCON). A failure stops the campaign with exit code 5 and `message`.
#pragma once

#include <set>
#include <string>
#include <vector>

namespace conform::client {

struct SelfCheck {
  bool ok = false;
  std::string message;  // what the adapter did wrong (when !ok)
  std::set<std::string> supports;
  std::string implementation;
};

SelfCheck self_check(const std::vector<std::string>& words, double time_scale);

}  // namespace conform::client
