// gmp-conform: the GMP conformance tester (server side). See docs/conformance.md.
#include <CLI/CLI.hpp>
#include <asio.hpp>
#include <fmt/core.h>

#include <chrono>
#include <ctime>
#include <filesystem>
#include <memory>

#include "gmp/app.hpp"
#include "loader.hpp"
#include "report.hpp"
#include "server_proc.hpp"
#include "suite.hpp"

namespace fs = std::filesystem;
using namespace conform;

namespace {

constexpr int exit_usage = gmp::app::exit_usage;  // bad command line, scenario, PIXIT or deviations file
constexpr int exit_target = 5;     // the implementation could not be started or reached

std::string iso_now() {
  std::time_t t = std::time(nullptr);
  char b[32];
  std::strftime(b, sizeof b, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&t));
  return b;
}

/// HOST may be a name: resolve it to an IPv4 literal once (the cases use addresses).
bool resolve_host(std::string& host) {
  asio::error_code ec;
  asio::ip::make_address_v4(host, ec);
  if (!ec) return true;
  asio::io_context io;
  asio::ip::tcp::resolver r(io);
  auto results = r.resolve(asio::ip::tcp::v4(), host, "", ec);
  if (ec || results.empty()) return false;
  host = results.begin()->endpoint().address().to_string();
  return true;
}

bool reachable(const Target& t) {
  try {
    asio::io_context io;
    asio::ip::tcp::socket s(io);
    s.connect({asio::ip::make_address(t.sm_host), t.sm_port});
    return true;
  } catch (const std::exception&) {
    return false;
  }
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"gmp-conform: conformance tester for GMP (X.602 | ISO/IEC 16513) servers", "gmp-conform"};
  gmp::app::add_version(app, "gmp-conform");
  std::string target, target_mm, server_cmd, pixit_path, deviations_path;
  std::string scenarios = gmp::app::data_path("conformance/scenarios").string();
  std::string report_dir = "reports/conformance";
  std::vector<std::string> select, exclude;
  bool list = false, validate = false, verbose = false, no_pcap = false, no_teardown = false;
  unsigned jobs = 32;
  double time_scale = 1.0;
  app.add_option("--target", target, "SM address of a running server, HOST:PORT (MM on the same port unless --target-mm)");
  app.add_option("--target-mm", target_mm, "MM address, HOST:PORT");
  app.add_option("--server-cmd", server_cmd, "start the server under test with this command and read its 'listening' line");
  app.add_option("--pixit", pixit_path, "PICS/PIXIT file (YAML)")->check(CLI::ExistingFile);
  app.add_option("--select", select, "run only IDs (or scenario files) matching these glob patterns");
  app.add_option("--exclude", exclude, "skip IDs (or scenario files) matching these glob patterns");
  app.add_flag("--list", list, "list the selected test purposes and exit");
  app.add_flag("--validate", validate, "load and validate the scenarios, then exit");
  app.add_option("--deviations", deviations_path, "documented deviations file (ID: reason)")->check(CLI::ExistingFile);
  app.add_option("--jobs,-j", jobs, "test purposes run in parallel")->check(CLI::Range(1u, 256u));
  app.add_option("--report-dir", report_dir, "where reports, pcaps and the coverage matrix go");
  app.add_option("--time-scale", time_scale, "stretch every time window (slow hosts)")->check(CLI::Range(0.1, 100.0));
  app.add_option("--scenarios", scenarios, "scenario directory (default: ../share/gmp/conformance/scenarios next to this program)")
      ->capture_default_str();
  app.add_flag("--no-pcap", no_pcap, "do not write one pcap per case");
  app.add_flag("--no-teardown", no_teardown, "leave each case's session on the server (canonical captures)");
  app.add_flag("--verbose,-v", verbose, "print the reason of every verdict");
  if (const auto rc = gmp::app::parse(app, argc, argv)) return *rc;

  LoadResult suite = load_suite(scenarios);
  for (const auto& e : suite.errors) fmt::print(stderr, "{}\n", e);
  if (!suite.errors.empty()) return exit_usage;
  Pixit pixit = default_pixit();
  std::vector<std::string> errors;
  if (!pixit_path.empty()) load_pixit(pixit_path, pixit, errors);
  SuiteOptions opts{select, exclude, jobs, {}};
  if (!deviations_path.empty()) load_deviations(deviations_path, opts.deviations, errors);
  for (const auto& e : errors) fmt::print(stderr, "{}\n", e);
  if (!errors.empty()) return exit_usage;
  auto tps = selected(suite.files, opts);
  if (validate) {
    std::size_t n = 0;
    for (const auto& f : suite.files) n += f.purposes.size();
    fmt::print("{} scenario files, {} test purposes: valid\n", suite.files.size(), n);
    return 0;
  }
  if (list) {
    for (const auto* tp : tps) {
      std::string unmet = pics_unmet(pixit, tp->pics);
      std::string clauses;
      for (const auto& c : tp->clauses) clauses += c + " ";
      fmt::print("{:<18} fig {:<3} {:<16} {}{}\n", tp->id, tp->figure.empty() ? "-" : tp->figure, clauses,
                 tp->title, unmet.empty() ? "" : "  [n/a: " + unmet + "]");
    }
    fmt::print("{} test purposes\n", tps.size());
    return tps.empty() ? 3 : 0;
  }
  if (tps.empty()) {
    fmt::print(stderr, "error: the selection matches no test purpose\n");
    return 3;
  }

  RunConfig cfg;
  cfg.pixit = pixit;
  cfg.time_scale = time_scale;
  cfg.teardown = !no_teardown;
  std::unique_ptr<ServerProcess> server;
  RunInfo info;
  info.started = iso_now();
  info.time_scale = time_scale;
  try {
    if (!server_cmd.empty()) {
      server = std::make_unique<ServerProcess>(server_cmd, 10.0 * time_scale);
      cfg.target = server->target();
      info.server_cmd = server_cmd;
    } else if (!target.empty()) {
      if (!parse_hostport(target, cfg.target.sm_host, cfg.target.sm_port)) {
        fmt::print(stderr, "error: --target expects HOST:PORT\n");
        return exit_usage;
      }
      cfg.target.mm_host = cfg.target.sm_host;
      cfg.target.mm_port = cfg.target.sm_port;
      if (!target_mm.empty() && !parse_hostport(target_mm, cfg.target.mm_host, cfg.target.mm_port)) {
        fmt::print(stderr, "error: --target-mm expects HOST:PORT\n");
        return exit_usage;
      }
    } else {
      fmt::print(stderr, "error: give --target HOST:PORT or --server-cmd \"...\"\n");
      return exit_usage;
    }
  } catch (const std::exception& e) {
    fmt::print(stderr, "error: {}\n", e.what());
    return exit_target;
  }
  if (!resolve_host(cfg.target.sm_host) || !resolve_host(cfg.target.mm_host)) {
    fmt::print(stderr, "error: cannot resolve {} / {} to an IPv4 address\n", cfg.target.sm_host, cfg.target.mm_host);
    return exit_target;
  }
  info.target = cfg.target.sm_host + ":" + std::to_string(cfg.target.sm_port);
  if (!reachable(cfg.target)) {
    fmt::print(stderr, "error: cannot connect to {}\n", info.target);
    return exit_target;
  }
  fmt::print("gmp-conform: {} test purposes against sm={} mm={}:{}\n", tps.size(), info.target,
             cfg.target.mm_host, cfg.target.mm_port);
  auto t0 = std::chrono::steady_clock::now();
  auto results = run_suite(tps, cfg, opts, [&](const CaseResult& r, std::size_t done, std::size_t total) {
    print_progress(r, done, total, verbose);
  });
  info.wall_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  if (server && !server->running()) fmt::print(stderr, "warning: the server under test exited during the run\n");
  server.reset();
  Summary s = summarize(results);
  print_summary(results, s, info);

  std::error_code ec;
  fs::create_directories(fs::path(report_dir) / "pcaps", ec);
  if (ec) {
    fmt::print(stderr, "error: cannot create {}: {}\n", report_dir, ec.message());
    return 3;
  }
  Json cov = coverage(suite.clauses, suite.files);
  write_junit((fs::path(report_dir) / "junit.xml").string(), results, info);
  write_json((fs::path(report_dir) / "report.json").string(), results, s, info, cov);
  write_html((fs::path(report_dir) / "report.html").string(), results, s, info, cov);
  std::ofstream((fs::path(report_dir) / "coverage.json").string()) << cov.dump(1) << "\n";
  if (!no_pcap)
    for (const auto& r : results)
      if (r.verdict != Verdict::na) {
        try {
          write_pcap((fs::path(report_dir) / "pcaps" / pcap_name(r.tp->id)).string(), r);
        } catch (const std::exception& e) {
          fmt::print(stderr, "warning: pcap for {}: {}\n", r.tp->id, e.what());
        }
      }
  fmt::print("reports: {}/ (report.html, junit.xml, report.json, coverage.json, pcaps/)\n",
             fs::absolute(report_dir).string());
  fmt::print("exit code {}\n", s.exit_code);
  return s.exit_code;
}
