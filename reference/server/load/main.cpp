// gmp-load: load generator for gmp-server (docs/performance.md), a thin CLI over the load
// engine (gmp/load.hpp). `run` creates S open sessions, registers N members over a few
// pipelined TCP connections (timing registrations per second), joins and activates them all,
// then answers every KAREQ with a KARES for the given time. `raw` measures the machine's
// loopback UDP datagram rate with the same system calls. Prints one JSON object. Loopback only.
#include <CLI/CLI.hpp>

#include <cstdio>
#include <stdexcept>

#include "gmp/app.hpp"
#include "gmp/load.hpp"

int main(int argc, char** argv) {
  CLI::App app{"gmp-load: load generator for gmp-server (loopback only)", "gmp-load"};
  gmp::app::add_version(app, "gmp-load");
  app.require_subcommand(1);
  auto* r = app.add_subcommand("run", "activate N members and answer their keepalives");
  int port = 16513;
  int period = 10, timeout = 5, miss = 1;
  gmp::load::Params p;
  r->add_option("--port", port, "the server's SM/MM port on 127.0.0.1 (1..65535)")->required()->check(CLI::Range(1, 65535));
  r->add_option("--members", p.members, "members besides the creators (1..10000000)")->capture_default_str()->check(CLI::Range(1, 10000000));
  r->add_option("--sessions", p.sessions, "open sessions (1..65535; at most 65000 members each)")->capture_default_str()->check(CLI::Range(1, 65535));
  r->add_option("--seconds", p.seconds, "how long to answer keepalives (0.1..86400 s)")->capture_default_str()->check(CLI::Range(0.1, 86400.0));
  r->add_option("--sockets", p.sockets, "UDP sockets shared by the members (1..1024)")->capture_default_str()->check(CLI::Range(1, 1024));
  r->add_option("--tcp-connections", p.connections, "parallel SM connections for registration (1..1024)")->capture_default_str()->check(CLI::Range(1, 1024));
  r->add_option("--threads", p.threads, "keepalive responder threads")->capture_default_str()->check(CLI::Range(1, 64));
  r->add_option("--ka-period", period, "KA period, 100 ms units (1..255)")->capture_default_str()->check(CLI::Range(1, 255));
  r->add_option("--ka-timeout", timeout, "KA timeout, 100 ms units (1..255)")->capture_default_str()->check(CLI::Range(1, 255));
  r->add_option("--miss-limit", miss, "miss limit (1..255)")->capture_default_str()->check(CLI::Range(1, 255));
  bool no_offload = false;
  r->add_flag("--no-udp-offload", no_offload, "one datagram per message (no UDP GSO/GRO trains)");
  auto* w = app.add_subcommand("raw", "loopback UDP datagram rate of this machine");
  double raw_seconds = 2;
  bool raw_offload = false;
  w->add_flag("--udp-offload", raw_offload, "send GSO trains and receive GRO trains");
  w->add_option("--seconds", raw_seconds, "how long to measure (0.1..86400 s)")->capture_default_str()->check(CLI::Range(0.1, 86400.0));
  if (const auto rc = gmp::app::parse(app, argc, argv)) return *rc;
  try {
    if (*r) {
      if (p.members / p.sessions > 65000) {
        return gmp::app::usage_error("gmp-load", "--members: too many members per session (at most 65000 per --sessions)");
      }
      p.ka_period = static_cast<std::uint8_t>(period);
      p.ka_timeout = static_cast<std::uint8_t>(timeout);
      p.miss_limit = static_cast<std::uint8_t>(miss);
      p.udp_offload = !no_offload;
      const gmp::load::Target t{gmp::Ipv4{0x7F000001}, static_cast<std::uint16_t>(port), static_cast<std::uint16_t>(port)};
      const auto res = gmp::load::run(t, p);
      std::fprintf(stderr, "activated %d members\n", res.members + res.sessions);
      std::printf("%s\n", res.to_json().c_str());
      return 0;
    }
    std::printf("%s\n", gmp::load::raw(raw_seconds, raw_offload).to_json().c_str());
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "gmp-load: %s\n", e.what());
    return 1;
  }
}
