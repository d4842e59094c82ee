// Command-line conventions shared by every gmp-* program (README.md, "Exit codes"):
// --version prints "<program> <version>", --help and --version exit 0, and every usage error
// (unknown option, bad or out-of-range value, missing argument) exits 2 with a message that
// names the option.
#pragma once
#include <CLI/CLI.hpp>
#include <filesystem>
#include <optional>
#include <string>

#include "gmp/version.hpp"

namespace gmp::app {

inline constexpr int exit_usage = 2;

/// Adds --version ("<program> <toolkit version>") to `app`.
void add_version(CLI::App& app, const std::string& program);

/// Parses the command line. Returns an exit code when the program must stop now (0 after
/// --help/--version, exit_usage after a parse or validation error, message printed), or
/// nothing when it should go on.
std::optional<int> parse(CLI::App& app, int argc, char** argv);

/// Reports a usage error found after parsing (a value CLI11 cannot check by itself) the same
/// way CLI11 reports its own, and returns exit_usage.
int usage_error(const std::string& program, const std::string& message);

/// The toolkit's data file or folder `relative` (e.g. "conformance/scenarios"):
/// <dir of this executable>/../share/gmp/<relative>. In an installed tree that is
/// <prefix>/share/gmp, wherever the prefix; in a build tree <build>/share/gmp/conformance is a
/// link to the source tree's conformance/ (reference/app/CMakeLists.txt), so a program run from
/// build/bin falls back to the sources without any source path compiled into it.
std::filesystem::path data_path(const std::string& relative);

}  // namespace gmp::app
