#include "gmp/app.hpp"

#include <iostream>
#include <system_error>

namespace gmp::app {

void add_version(CLI::App& app, const std::string& program) {
  app.set_version_flag("--version", program + " " + toolkit_version, "print the version and exit");
}

std::optional<int> parse(CLI::App& app, int argc, char** argv) {
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // app.exit prints help/version on stdout and errors on stderr; CLI11's own codes
    // (105, 106, 109...) are folded into the one usage code.
    return app.exit(e) == 0 ? 0 : exit_usage;
  }
  return std::nullopt;
}

int usage_error(const std::string& program, const std::string& message) {
  std::cerr << program << ": " << message << "\nRun with --help for more information.\n";
  return exit_usage;
}

std::filesystem::path data_path(const std::string& relative) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (ec) return fs::path("share") / "gmp" / relative;  // no procfs: relative to the cwd
  return exe.parent_path().parent_path() / "share" / "gmp" / relative;
}

}  // namespace gmp::app
