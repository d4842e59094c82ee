// The gmp-client program as a function, so that a test build (gmp-client-faulty) is the same
// program with options and memberships of its own (docs/client.md).
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <string>

#include "gmp/client/runner.hpp"

namespace gmp::client {

struct Program {
  std::string name = "gmp-client";  // --version, messages, the adapter's `implementation`
  std::string description;          // added to --help
  /// Adds options of its own to the command line (called before parsing).
  std::function<void(CLI::App&)> add_options;
  /// Called after parsing: how to make each membership (empty: the shipped client).
  std::function<decltype(Runner::Options::make_membership)()> make_membership;
};

/// Parses the command line and runs a one-shot command or the scripted mode; the exit code.
int program_main(int argc, char** argv, const Program& program);

}  // namespace gmp::client
