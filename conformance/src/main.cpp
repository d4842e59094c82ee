// gmp-conform: the GMP conformance tester (server side). See docs/conformance.md.
#include <CLI/CLI.hpp>
#include <asio.hpp>
#include <fmt/core.h>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>

#include "capacity.hpp"
#include "client/adapter.hpp"
#include "client/client_case.hpp"
#include "client/selfcheck.hpp"
#include "exit_code.hpp"
#include "gmp/app.hpp"
#include "loader.hpp"
#include "pctr/pctr.hpp"
#include "purpose.hpp"
#include "report/report.hpp"
#include "robustness/campaign.hpp"
#include "server_proc.hpp"
#include "suite.hpp"

namespace fs = std::filesystem;
using namespace conform;

namespace {

static_assert(static_cast<int>(ExitCode::usage) == gmp::app::exit_usage);

struct Options {
  std::string target, target_mm, server_cmd, client_cmd, pixit_path, deviations_path;
  std::string scenarios = gmp::app::data_path("conformance/scenarios").string();
  std::string report_dir = "reports/conformance";
  std::vector<std::string> select, exclude;
  bool list = false, validate = false, verbose = false, no_pcap = false, no_teardown = false;
  bool capacity = false, robustness = false;
  std::uint64_t seed = 1;
  std::size_t max_per_run = robustness::max_anomalies_per_run;
  std::string anomaly;
  std::string pctr_dir, verify_pctr;  // --pctr (empty value: the report dir), --verify-pctr
  bool pctr = false;
  std::vector<std::string> command_line;
  unsigned jobs = 32;
  unsigned late_replays = 2;
  double time_scale = 1.0;
};

void add_options(CLI::App& app, Options& o) {
  app.add_option("--pctr", o.pctr_dir,
                 "also write the conformance test report (PCTR: pctr.html, pctr.json, each sealed by its "
                 "SHA-256) into this directory; without a value, into --report-dir")
      ->expected(0, 1);
  app.add_option("--verify-pctr", o.verify_pctr,
                 "check a pctr.json or pctr.html against the SHA-256 it states, then exit (0: intact)")
      ->check(CLI::ExistingFile);
  app.add_option("--target", o.target, "SM address of a running server, HOST:PORT (MM on the same port unless --target-mm)");
  app.add_option("--target-mm", o.target_mm, "MM address, HOST:PORT");
  app.add_option("--server-cmd", o.server_cmd, "start the server under test with this command and read its 'listening' line");
  app.add_option("--client-cmd", o.client_cmd,
                 "certify a client: start its adapter with this command per case (docs/client-adapter.md; "
                 "{sm} {host} {sm_port} {mm_port}) and run the client suite (GMP/CLI)");
  app.add_option("--pixit", o.pixit_path, "PICS/PIXIT file (YAML)")->check(CLI::ExistingFile);
  app.add_option("--select", o.select, "run only IDs (or scenario files) matching these glob patterns");
  app.add_option("--exclude", o.exclude, "skip IDs (or scenario files) matching these glob patterns");
  app.add_flag("--list", o.list, "list the selected test purposes and exit");
  app.add_flag("--validate", o.validate, "load and validate the scenarios, then exit");
  app.add_option("--deviations", o.deviations_path, "documented deviations file (ID: reason)")->check(CLI::ExistingFile);
  app.add_option("--jobs,-j", o.jobs, "test purposes run in parallel")->check(CLI::Range(1u, 256u));
  app.add_option("--late-replays", o.late_replays,
                 "play a case again, alone after the others, up to this many times when the tester's own "
                 "lateness left its timing verdict inconclusive (0: never)")
      ->check(CLI::Range(0u, 10u))
      ->capture_default_str();
  app.add_option("--report-dir", o.report_dir, "where reports, pcaps and the coverage matrix go");
  app.add_option("--time-scale", o.time_scale, "stretch every time window (slow hosts)")->check(CLI::Range(0.1, 100.0));
  app.add_option("--scenarios", o.scenarios, "scenario directory (default: ../share/gmp/conformance/scenarios next to this program)")
      ->capture_default_str();
  app.add_flag("--no-pcap", o.no_pcap, "do not write one pcap per case");
  app.add_flag("--no-teardown", o.no_teardown, "leave each case's session on the server (canonical captures)");
  app.add_flag("--verbose,-v", o.verbose, "print the reason of every verdict");
  app.add_flag("--capacity", o.capacity,
               "instead of the test purposes, climb a ladder of N members (PIXIT capacity: section) and report "
               "the largest N held (capacity.json in --report-dir); exit 0 when the PIXIT's target N was held, "
               "1 when only a lower N was");
  app.add_flag("--robustness", o.robustness,
               "instead of the test purposes, send each purpose's messages with anomalies derived field by field "
               "(purposes GMP/ROB/GEN/<family>, robustness.json in --report-dir)");
  app.add_option("--seed", o.seed, "robustness: the seed of the anomalies' random values")->capture_default_str();
  app.add_option("--max-per-run", o.max_per_run,
                 "robustness: at most this many anomalies ride along in one case run (a slow host: fewer)")
      ->check(CLI::Range(std::size_t{1}, std::size_t{100000}))
      ->capture_default_str();
  app.add_option("--anomaly", o.anomaly, "robustness: replay this anomaly alone (TP#N:family/detail, as printed)");
}

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

/// PIXIT and deviations files; their errors printed.
std::optional<ExitCode> load_inputs(const Options& o, Pixit& pixit, SuiteOptions& opts) {
  std::vector<std::string> errors;
  if (!o.pixit_path.empty()) load_pixit(o.pixit_path, pixit, errors);
  if (!o.deviations_path.empty()) load_deviations(o.deviations_path, opts.deviations, errors);
  for (const auto& e : errors) fmt::print(stderr, "{}\n", e);
  if (!errors.empty()) return ExitCode::usage;
  return std::nullopt;
}

ExitCode print_validation(const LoadResult& suite) {
  std::size_t n = 0;
  for (const auto& f : suite.files) n += f.purposes.size();
  fmt::print("{} scenario files, {} test purposes: valid\n", suite.files.size(), n);
  return ExitCode::pass;
}

ExitCode print_list(const std::vector<const TestPurpose*>& tps, const Pixit& pixit) {
  for (const auto* tp : tps) {
    std::string unmet = pics_unmet(pixit, tp->pics);
    if (unmet.empty()) unmet = needs_unmet(pixit, tp->needs);
    std::string clauses;
    for (const auto& c : tp->clauses) clauses += c + " ";
    fmt::print("{:<18} fig {:<3} {:<16} {:<20} {}{}\n", tp->id, tp->figure.empty() ? "-" : tp->figure, clauses,
               tp->authority.str(), tp->title, unmet.empty() ? "" : "  [n/a: " + unmet + "]");
  }
  fmt::print("{} test purposes\n", tps.size());
  return tps.empty() ? ExitCode::error : ExitCode::pass;
}

/// --target / --target-mm given as HOST:PORT.
std::optional<ExitCode> parse_target(const Options& o, Target& t) {
  if (!parse_hostport(o.target, t.sm_host, t.sm_port)) {
    fmt::print(stderr, "error: --target expects HOST:PORT\n");
    return ExitCode::usage;
  }
  t.mm_host = t.sm_host;
  t.mm_port = t.sm_port;
  if (!o.target_mm.empty() && !parse_hostport(o.target_mm, t.mm_host, t.mm_port)) {
    fmt::print(stderr, "error: --target-mm expects HOST:PORT\n");
    return ExitCode::usage;
  }
  return std::nullopt;
}

/// The implementation under test: started (--server-cmd) or given (--target), resolved and
/// reachable. Nothing on success.
std::optional<ExitCode> connect(const Options& o, RunConfig& cfg, RunInfo& info, std::unique_ptr<ServerProcess>& server) {
  try {
    if (!o.server_cmd.empty()) {
      server = std::make_unique<ServerProcess>(o.server_cmd, 10.0 * o.time_scale);
      cfg.target = server->target();
      info.server_cmd = o.server_cmd;
    } else if (!o.target.empty()) {
      if (auto rc = parse_target(o, cfg.target)) return rc;
    } else {
      fmt::print(stderr, "error: give --target HOST:PORT or --server-cmd \"...\"\n");
      return ExitCode::usage;
    }
  } catch (const std::exception& e) {
    fmt::print(stderr, "error: {}\n", e.what());
    return ExitCode::target;
  }
  if (!resolve_host(cfg.target.sm_host) || !resolve_host(cfg.target.mm_host)) {
    fmt::print(stderr, "error: cannot resolve {} / {} to an IPv4 address\n", cfg.target.sm_host, cfg.target.mm_host);
    return ExitCode::target;
  }
  info.target = cfg.target.sm_host + ":" + std::to_string(cfg.target.sm_port);
  if (!reachable(cfg.target)) {
    fmt::print(stderr, "error: cannot connect to {}\n", info.target);
    return ExitCode::target;
  }
  return std::nullopt;
}

void write_pcaps(const fs::path& dir, const std::vector<CaseResult>& results) {
  for (const auto& r : results)
    if (r.verdict != Verdict::na) {
      try {
        write_pcap((dir / pcap_name(r.tp->id)).string(), r);
      } catch (const std::exception& e) {
        fmt::print(stderr, "warning: pcap for {}: {}\n", r.tp->id, e.what());
      }
    }
}

/// report.html, junit.xml, report.json, coverage.json and pcaps/ into --report-dir.
std::optional<ExitCode> write_reports(const Options& o, const LoadResult& suite, const std::vector<CaseResult>& results,
                                      const Summary& s, const RunInfo& info) {
  const fs::path dir(o.report_dir);
  std::error_code ec;
  fs::create_directories(dir / "pcaps", ec);
  if (ec) {
    fmt::print(stderr, "error: cannot create {}: {}\n", o.report_dir, ec.message());
    return ExitCode::error;
  }
  Json cov = coverage(suite.clauses, suite.files);
  write_junit((dir / "junit.xml").string(), results, info);
  write_json((dir / "report.json").string(), results, s, info, cov);
  write_html((dir / "report.html").string(), results, s, info, cov);
  std::ofstream((dir / "coverage.json").string()) << cov.dump(1) << "\n";
  if (!o.no_pcap) write_pcaps(dir / "pcaps", results);
  fmt::print("reports: {}/ (report.html, junit.xml, report.json, coverage.json, pcaps/)\n",
             fs::absolute(o.report_dir).string());
  return std::nullopt;
}

/// --pctr: the sealed certificate of this campaign (pctr/pctr.hpp).
std::optional<ExitCode> write_pctr(const Options& o, const Pixit& pixit, const std::vector<CaseResult>& results,
                                   const RunInfo& info) {
  const CertificateSources src{o.scenarios, o.pixit_path, o.deviations_path, o.command_line};
  std::string error;
  std::error_code ec;
  fs::create_directories(o.pctr_dir, ec);
  if (!pctr::write(o.pctr_dir, pctr_input(src, pixit, results, info), error)) {
    fmt::print(stderr, "error: PCTR: {}\n", error);
    return ExitCode::error;
  }
  fmt::print("PCTR: {}/ (pctr.html, pctr.json)\n", fs::absolute(o.pctr_dir).string());
  return std::nullopt;
}

/// --verify-pctr FILE: 0 when the file's bytes agree with the SHA-256 it states.
ExitCode verify_pctr(const std::string& path) {
  const auto v = pctr::verify_file(path);
  if (v.ok) fmt::print("{}: intact, sha256 {}\n", path, v.digest);
  else fmt::print(stderr, "{}: NOT intact: {}\n", path, v.detail);
  return v.ok ? ExitCode::pass : ExitCode::fail;
}

/// Runs the selected purposes against the implementation and writes the reports.
/// The client suite's side of a campaign: the adapter's self-check, then the case runner.
std::optional<ExitCode> client_setup(const Options& o, client::Setup& setup, SuiteOptions& opts, RunInfo& info) {
  auto words = client::split_words(o.client_cmd);
  if (!words || words->empty()) {
    fmt::print(stderr, "error: --client-cmd: an empty command or an unclosed quote\n");
    return ExitCode::usage;
  }
  std::vector<std::string> errors;
  if (!o.pixit_path.empty() && !client::load_client_pixit(o.pixit_path, setup.pixit, errors)) {
    for (const auto& e : errors) fmt::print(stderr, "{}\n", e);
    return ExitCode::usage;
  }
  setup.words = *words;
  client::SelfCheck sc = client::self_check(setup.words, o.time_scale);
  if (!sc.ok) {
    fmt::print(stderr, "error: adapter self-check failed: {}\n", sc.message);
    return ExitCode::target;
  }
  setup.implementation = sc.implementation;
  for (const auto& c : sc.supports)
    if (setup.pixit.commands.empty() ||
        std::find(setup.pixit.commands.begin(), setup.pixit.commands.end(), c) != setup.pixit.commands.end())
      setup.usable.insert(c);
  opts.runner = [&setup](const TestPurpose& tp, const RunConfig& cfg) { return client::run_client_case(tp, cfg, setup); };
  info.server_cmd = o.client_cmd;
  info.target = "client " + sc.implementation;
  return std::nullopt;
}

ExitCode campaign(const Options& o, const LoadResult& suite, const std::vector<const TestPurpose*>& tps,
                  const Pixit& pixit, SuiteOptions opts) {
  RunConfig cfg;
  cfg.pixit = pixit;
  cfg.time_scale = o.time_scale;
  cfg.teardown = !o.no_teardown;
  std::unique_ptr<ServerProcess> server;
  RunInfo info;
  info.started = iso_now();
  info.time_scale = o.time_scale;
  client::Setup setup;
  if (!o.client_cmd.empty()) {
    if (auto rc = client_setup(o, setup, opts, info)) return *rc;
    fmt::print("gmp-conform: {} client test purposes against {}\n", tps.size(), setup.implementation);
  } else {
    if (auto rc = connect(o, cfg, info, server)) return *rc;
    fmt::print("gmp-conform: {} test purposes against sm={} mm={}:{}\n", tps.size(), info.target,
               cfg.target.mm_host, cfg.target.mm_port);
  }
  auto t0 = std::chrono::steady_clock::now();
  auto results = run_suite(tps, cfg, opts, [&](const CaseResult& r, std::size_t done, std::size_t total) {
    print_progress(r, done, total, o.verbose);
  });
  info.wall_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  if (server && !server->running()) fmt::print(stderr, "warning: the server under test exited during the run\n");
  server.reset();
  Summary s = summarize(results);
  print_summary(results, s, info);
  if (auto rc = write_reports(o, suite, results, s, info)) return *rc;
  if (o.pctr)
    if (auto rc = write_pctr(o, pixit, results, info)) return *rc;
  fmt::print("exit code {}\n", static_cast<int>(s.exit_code));
  return s.exit_code;
}

/// --capacity: the members the implementation holds, from the wire (capacity/capacity.hpp).
/// With --server-cmd every step gets a fresh server process.
ExitCode capacity_campaign(const Options& o) {
  capacity::Settings settings;
  std::vector<std::string> errors;
  if (!o.pixit_path.empty() && !capacity::load_settings(o.pixit_path, settings, errors)) {
    for (const auto& e : errors) fmt::print(stderr, "{}\n", e);
    return ExitCode::usage;
  }
  RunConfig cfg;
  RunInfo info;
  std::unique_ptr<ServerProcess> server;
  if (auto rc = connect(o, cfg, info, server)) return *rc;
  auto fresh = [&]() -> std::optional<gmp::load::Target> {
    try {
      if (!o.server_cmd.empty()) {
        server.reset();
        server = std::make_unique<ServerProcess>(o.server_cmd, 10.0 * o.time_scale);
        cfg.target = server->target();
        if (!resolve_host(cfg.target.sm_host) || !resolve_host(cfg.target.mm_host)) return std::nullopt;
      }
      gmp::load::Target t;
      if (!gmp::Ipv4::parse(cfg.target.sm_host, t.host)) return std::nullopt;
      t.sm_port = cfg.target.sm_port;
      t.mm_port = cfg.target.mm_port;
      return t;
    } catch (const std::exception& e) {
      fmt::print(stderr, "error: {}\n", e.what());
      return std::nullopt;
    }
  };
  fmt::print("gmp-conform: capacity of sm={} from {} to {} members\n", info.target, settings.start, settings.target);
  const auto report = capacity::run(settings, fresh, [] {});
  server.reset();
  fmt::print("{}", report.to_text());
  const fs::path dir(o.report_dir);
  std::error_code ec;
  fs::create_directories(dir, ec);
  std::ofstream((dir / "capacity.json").string()) << report.to_json().dump(1) << "\n";
  fmt::print("report: {}\n", fs::absolute(dir / "capacity.json").string());
  return report.largest_held == settings.target ? ExitCode::pass : ExitCode::fail;
}

/// --robustness (robustness/campaign.hpp) against the implementation: a server (--server-cmd,
/// --target) or, with --client-cmd, a client through its adapter.
ExitCode robustness_campaign(const Options& o, const std::vector<const TestPurpose*>& tps, const Pixit& pixit) {
  RunConfig cfg;
  cfg.pixit = pixit;
  cfg.time_scale = o.time_scale;
  RunInfo info;
  std::unique_ptr<ServerProcess> server;
  client::Setup setup;
  SuiteOptions opts;
  robustness::Settings settings;
  settings.seed = o.seed;
  settings.anomaly = o.anomaly;
  settings.jobs = o.jobs;
  settings.max_per_run = o.max_per_run;
  using robustness::shell_quote;
  std::string& base = settings.replay_base;
  if (!o.client_cmd.empty()) {
    if (auto rc = client_setup(o, setup, opts, info)) return *rc;
    settings.side = robustness::Side::client;
    settings.runner = opts.runner;
    base = "gmp-conform --client-cmd " + shell_quote(o.client_cmd);
  } else {
    if (auto rc = connect(o, cfg, info, server)) return *rc;
    base = "gmp-conform " + (o.server_cmd.empty() ? "--target " + o.target : "--server-cmd " + shell_quote(o.server_cmd));
    if (!o.target_mm.empty()) base += " --target-mm " + o.target_mm;
  }
  if (!o.pixit_path.empty()) base += " --pixit " + shell_quote(o.pixit_path);
  if (o.time_scale != 1.0) base += fmt::format(" --time-scale {}", o.time_scale);
  fmt::print("gmp-conform: robustness campaign, seed {}, {} purposes selected, against {}\n", o.seed, tps.size(),
             o.client_cmd.empty() ? "sm=" + info.target : info.target);
  auto r = robustness::run(tps, cfg, settings);
  r.against = o.client_cmd.empty() ? "server at " + info.target : info.target;
  if (server && !server->running()) fmt::print(stderr, "warning: the server under test exited during the run\n");
  server.reset();
  robustness::print(r);
  robustness::write_reports(r, o.report_dir);
  fmt::print("exit code {}\n", static_cast<int>(r.exit_code));
  return r.exit_code;
}

ExitCode run(const Options& o) {
  if (!o.verify_pctr.empty()) return verify_pctr(o.verify_pctr);
  if (o.capacity) return capacity_campaign(o);
  LoadResult suite = load_suite(o.scenarios);
  for (const auto& e : suite.errors) fmt::print(stderr, "{}\n", e);
  if (!suite.errors.empty()) return ExitCode::usage;
  Pixit pixit = default_pixit();
  SuiteOptions opts{o.select, o.exclude, o.jobs, {}, o.late_replays, {}};
  if (auto rc = load_inputs(o, pixit, opts)) return *rc;
  auto tps = selected(suite.files, opts);
  // The client suite (GMP/CLI) runs with --client-cmd, the server suite without.
  std::erase_if(tps, [&](const TestPurpose* tp) { return client::is_client_purpose(*tp) == o.client_cmd.empty(); });
  if (o.validate) return print_validation(suite);
  if (o.list) return print_list(tps, pixit);
  if (tps.empty()) {
    fmt::print(stderr, "error: the selection matches no test purpose\n");
    return ExitCode::error;
  }
  if (o.robustness) return robustness_campaign(o, tps, pixit);
  return campaign(o, suite, tps, pixit, opts);
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"gmp-conform: conformance tester for GMP (X.602 | ISO/IEC 16513) servers", "gmp-conform"};
  gmp::app::add_version(app, "gmp-conform");
  Options o;
  add_options(app, o);
  if (const auto rc = gmp::app::parse(app, argc, argv)) return *rc;
  o.command_line.assign(argv, argv + argc);
  o.pctr = app.count("--pctr") > 0;
  if (o.pctr && o.pctr_dir.empty()) o.pctr_dir = o.report_dir;
  return static_cast<int>(run(o));
}
