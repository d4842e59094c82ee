// gmp-server: the reference GMP server. Built twice from this file: gmp-server, and
// gmp-server-faulty with GMP_FAULTS, which wraps the core in the fault layer
// (reference/server/faulty) and adds --fault NAME (test only, docs/server.md).
#include <CLI/CLI.hpp>
#include <asio.hpp>
#include <cstdio>
#include <iostream>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include "gmp/app.hpp"
#include "gmp/host_port.hpp"
#ifdef GMP_FAULTS
#include "faulty_server.hpp"
#endif
#include "http.hpp"
#include "os_random.hpp"
#include "shell.hpp"

namespace {

// --listen and --http: a listening address, so an IPv4 address (no name lookup) and port 0
// allowed (any free port).
bool listening_address(const std::string& text, std::string& host, std::uint16_t& port, std::string& why) {
  const auto hp = gmp::app::parse_host_port(text, {std::nullopt, true, true}, &why);
  if (!hp) return false;
  host = hp->host;
  port = hp->port;
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace gmp::server;
#ifdef GMP_FAULTS
  const std::string program = "gmp-server-faulty";
#else
  const std::string program = "gmp-server";
#endif
  CLI::App app{"gmp-server: reference GMP (X.602 | ISO/IEC 16513) server. SM on TCP, MM on UDP.",
               program};
  gmp::app::add_version(app, program);
  std::string listen = "127.0.0.1:16513";
  std::string http;
  bool no_secure = false;
  std::vector<std::string> creators;
  std::string log_level = "info";
  ShellOptions opts;
  std::int64_t pending_ms = opts.core.pending_timeout.count();
  app.add_option("--listen", listen,
                 "IPv4 address and port for SM (TCP) and MM (UDP); port 0 picks a free one")
      ->capture_default_str();
  app.add_option("--http", http, "address:port of the HTTP announcement (off when absent; port 0: any)");
  app.add_flag("--no-secure", no_secure, "refuse secure sessions (SCREJ S=1, REASON 3)");
  app.add_option("--allow-creator", creators, "a client name allowed to create sessions (repeatable; default: anyone)");
  app.add_option("--max-sessions", opts.core.max_sessions, "sessions, pending creations included (1..1000000)")
      ->capture_default_str()->check(CLI::Range(std::size_t{1}, std::size_t{1000000}));
  app.add_option("--max-pending-per-connection", opts.core.max_pending_per_connection,
                 "creations one connection may have pending, SCACC sent and SCINF awaited (1..1000000)")
      ->capture_default_str()->check(CLI::Range(std::size_t{1}, std::size_t{1000000}));
  app.add_option("--max-members", opts.core.max_members, "members per session (1..65535: user IDs are 16 bits)")
      ->capture_default_str()->check(CLI::Range(std::size_t{1}, std::size_t{65535}));
  app.add_option("--max-members-total", opts.core.max_members_total,
                 "members over every session together (1..100000000; SRREJ REASON 1 beyond)")
      ->capture_default_str()->check(CLI::Range(std::size_t{1}, std::size_t{100000000}));
  app.add_option("--uires-rate", opts.core.uires_rate,
                 "UIRES bytes per second over every session (0: no limit; a UIREQ beyond is discarded)")
      ->capture_default_str()->check(CLI::Range(std::size_t{0}, std::size_t{1} << 34));
  double frame_timeout = std::chrono::duration<double>(opts.timeouts.frame).count();
  double idle_timeout = std::chrono::duration<double>(opts.timeouts.idle).count();
  app.add_option("--frame-timeout", frame_timeout,
                 "seconds a connection may hold an unfinished SM frame (0: none; 0.01..86400)")
      ->capture_default_str()->check(CLI::Range(0.0, 86400.0));
  app.add_option("--idle-timeout", idle_timeout,
                 "seconds a connection may stay idle unless it carries a member (0: none; 0.01..86400)")
      ->capture_default_str()->check(CLI::Range(0.0, 86400.0));
  app.add_option("--max-connections", opts.core.max_connections, "TCP connections (1..1000000)")
      ->capture_default_str()->check(CLI::Range(std::size_t{1}, std::size_t{1000000}));
  app.add_option("--max-message", opts.core.max_sm_size, "largest SM message accepted (16..65535 bytes; framing error above)")
      ->capture_default_str()->check(CLI::Range(16, 65535));
  app.add_option("--max-write-buffer", opts.max_write_bytes, "answers buffered for one connection (4096..1073741824 bytes)")
      ->capture_default_str()->check(CLI::Range(std::size_t{4096}, std::size_t{1} << 30));
  app.add_option("--pending-timeout-ms", pending_ms, "time allowed between SCACC and SCINF (1..3600000 ms; profile 5.1: 30 s)")
      ->capture_default_str()->check(CLI::Range(std::int64_t{1}, std::int64_t{3600000}));
  app.add_option("--group-port", opts.core.group_port_when_unset, "group port given when SCINF proposes 0 (1..65535)")
      ->capture_default_str()->check(CLI::Range(1, 65535));
  app.add_option("--socket-buffer", opts.socket_buffer, "UDP socket buffer size (4096..1073741824 bytes)")
      ->capture_default_str()->check(CLI::Range(4096, 1 << 30));
  bool no_offload = false;
  app.add_flag("--no-udp-offload", no_offload,
               "send and read MM datagrams one per message (no UDP GSO/GRO trains; nothing changes on the wire)");
  app.add_option("--log-level", log_level, "trace, debug, info, warn, error, critical, off")
      ->capture_default_str()
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error", "critical", "off"}));
#ifdef GMP_FAULTS
  std::vector<std::string> faults;
  std::vector<std::string> fault_list;
  for (std::size_t i = 0; i < fault_count; ++i) fault_list.emplace_back(fault_name(static_cast<Fault>(i)));
  app.add_option("--fault", faults, "TEST ONLY: break one required behaviour (repeatable; docs/server.md)")
      ->check(CLI::IsMember(fault_list));
  std::string fault_help = "Faults (--fault NAME):";
  for (const auto& f : fault_list) fault_help += "\n  " + f;
  app.footer(fault_help);
#endif
  if (const auto rc = gmp::app::parse(app, argc, argv)) return *rc;
  opts.udp_offload = !no_offload;

  spdlog::set_default_logger(spdlog::stderr_color_mt("gmp-server"));
  spdlog::set_level(spdlog::level::from_str(log_level));
  opts.core.secure_supported = !no_secure;
  opts.core.allow_creators = creators;
  opts.core.pending_timeout = Millis{pending_ms};
  opts.timeouts.frame = Millis{static_cast<std::int64_t>(frame_timeout * 1000)};
  opts.timeouts.idle = Millis{static_cast<std::int64_t>(idle_timeout * 1000)};
#ifdef GMP_FAULTS
  FaultSet fault_set;
  for (const auto& f : faults) {
    const auto parsed = parse_fault(f);
    if (!parsed) return gmp::app::usage_error(program, "--fault: unknown fault " + f);
    fault_set.set(*parsed);
    spdlog::warn("fault switched on: {}", f);
  }
#endif
  std::string why;
  if (!listening_address(listen, opts.host, opts.port, why)) {
    return gmp::app::usage_error(program, "--listen wants IPv4:PORT (" + why + "), got " + listen);
  }
  std::string http_host;
  std::uint16_t http_port = 0;
  if (!http.empty() && !listening_address(http, http_host, http_port, why)) {
    return gmp::app::usage_error(program, "--http wants IPv4:PORT (" + why + "), got " + http);
  }

  try {
    asio::io_context io(1);
#ifdef GMP_FAULTS
    Shell shell(io, opts, make_faulty_server(opts.core, std::make_unique<OsRandom>(), fault_set));
#else
    Shell shell(io, opts, std::make_unique<OsRandom>());
#endif
    asio::signal_set signals(io, SIGINT, SIGTERM);
    signals.async_wait([&](asio::error_code ec, int sig) {
      if (ec) return;
      spdlog::info("signal {}: ending every session with TRIND", sig);
      shell.stop();
      io.stop();
    });
    HttpAnnouncer announcer;
    std::string http_url = "off";
    if (!http.empty()) {
      shell.on_publish = [&announcer](std::string s, std::string c) {
        announcer.publish(std::move(s), std::move(c));
      };
      http_url = "http://" + http_host + ":" + std::to_string(announcer.start(http_host, http_port));
    }
    shell.start();
    announcer.set_join({opts.host, shell.sm_port(), shell.mm_port()});
    std::printf("listening sm=tcp://%s:%u mm=udp://%s:%u http=%s\n", opts.host.c_str(),
                shell.sm_port(), opts.host.c_str(), shell.mm_port(), http_url.c_str());
    std::fflush(stdout);
    spdlog::info("serving SM on tcp {}, MM on udp {}", shell.sm_port(), shell.mm_port());

    // A handler that throws (a bug, or a resource the OS refused) must not take every session
    // down with it: the exception is logged and the loop goes on with the other handlers.
    for (;;) {
      try {
        io.run();
        break;
      } catch (const std::exception& e) {
        spdlog::error("handler failed, serving on: {}", e.what());
      }
    }
    announcer.stop();
  } catch (const std::exception& e) {
    spdlog::error("{}", e.what());
    return 1;
  }
  return 0;
}
