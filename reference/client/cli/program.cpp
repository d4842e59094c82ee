// gmp-client's command line (docs/client.md): one-shot subcommands for humans and a scripted
// mode (--script) for tests and the conformance tester's client adapter. gmp-client and
// gmp-client-faulty are both this program.
#include "gmp/client/program.hpp"

#include <cstdio>
#include <iostream>
#include <thread>

#include "gmp/app.hpp"
#include "gmp/host_port.hpp"
#include "gmp/version.hpp"
#include "oneshot.hpp"

namespace gmp::client {

namespace {

// One-shot argument values are checked while parsing the command line, so that a bad one is
// a usage error (exit 2, naming the option) before anything is sent. The create options are
// checked by the script parser itself: both modes accept the same values.
CLI::Validator create_value(const char* key) {
  return CLI::Validator(
      [key](std::string& v) -> std::string {
        script::Command c;
        c.args.emplace_back(key, v);
        CreateParams p;
        std::string why;
        return script::parse_create(c, p, why) ? std::string() : why;
      },
      "", key);
}

const CLI::Validator access_key{
    [](std::string& v) -> std::string {
      std::vector<std::uint8_t> bytes;
      // An empty key would silently send no ACCESS-KEY at all (profile 4: 1..64 bytes).
      if (script::parse_access_key(v, bytes)) return {};
      return "hex:0a0b..., text:secret or bare hex of 1 to 64 bytes expected";
    },
    "", "access key"};

const CLI::Validator session_id{
    [](std::string& v) -> std::string {
      std::uint64_t n = 0;
      return script::parse_number(v, 65535, n) ? std::string()
                                               : "a session ID (decimal or 0x-hex, up to 65535) expected";
    },
    "", "session ID"};

// Scripted mode: commands from a file or stdin (read on a thread, run on the io thread),
// one JSON event per line on stdout.
int run_script(const std::string& path, const ServerEndpoints& server, const Runner::Options& o) {
  asio::io_context io;
  auto guard = asio::make_work_guard(io);
  int code = exit_code::ok;
  Runner runner(io, server, o, [](const nlohmann::json& j) { std::cout << j.dump() << '\n' << std::flush; },
                [&](int c) {
                  code = c;
                  guard.reset();
                  io.stop();
                });
  std::FILE* in = path == "-" ? stdin : std::fopen(path.c_str(), "r");
  if (!in) {
    std::cerr << "gmp-client: cannot open " << path << '\n';
    return exit_code::usage;
  }
  // The reader may block in a read when the run ends (quit): it is detached and the process
  // exits without waiting for it.
  std::thread([&io, &runner, in] {
    char buf[8192];
    std::string line;
    while (std::fgets(buf, sizeof buf, in)) {
      line += buf;
      if (line.empty() || line.back() != '\n') continue;
      line.pop_back();
      asio::post(io, [&runner, l = line] { runner.push_line(l); });
      line.clear();
    }
    if (!line.empty()) asio::post(io, [&runner, l = line] { runner.push_line(l); });
    asio::post(io, [&runner] { runner.end_of_input(); });
  }).detach();
  io.run();
  std::cout << std::flush;
  std::_Exit(code);  // do not wait for the reader thread
}

}  // namespace

int program_main(int argc, char** argv, const Program& program) {
  CLI::App app{
      "gmp-client: the reference GMP (ITU-T X.602 | ISO/IEC 16513) client.\n"
      "One-shot subcommands for humans, or --script for a line-oriented command language\n"
      "(one JSON event per line on stdout). See docs/client.md.\n"
      "Exit codes: 0 ok, 1 no answer / connection failed / timeout, 2 usage, 3 script command\n"
      "invalid, 4 wait-for failed, 5 the session ended, 11..15 refused with REASON 1..5\n"
      "(11 resources, 12 not authorised, 13 secure mode unsupported, 14 unknown session,\n"
      "15 invalid request).",
      program.name};
  if (!program.description.empty()) app.description(app.get_description() + "\n" + program.description);
  gmp::app::add_version(app, program.name);
  app.require_subcommand(0, 1);
  app.footer(
      "Scripted mode (--script FILE|-), one command per line ('#' comments, \"quoted values\"):\n"
      "  create NAME as CLIENT [open|closed] [secure] [session-name=T] [session-info=T]\n"
      "         [owner-info=T] [start-time=S] [end-time=S] [media-info=T] [app-info=T]\n"
      "         [keepalive=P,T[,M]] [base=N,..] [allow=N,..] [key=hex:..|text:..]\n"
      "         [group=A.B.C.D:PORT] [option=CODE:HEX]\n"
      "  register NAME session=ID as CLIENT [key=K] [creator]\n"
      "  join NAME | activate NAME [port=P] | members NAME | leave NAME [if-participant]\n"
      "  terminate NAME | delete NAME | mute NAME | unmute NAME\n"
      "  wait-for NAME EVENT[=VALUE] [timeout=MS] | sleep MS | hello 1 | quit\n"
      "Numbers may be @NAME (its session ID), @NAME.user, @NAME.session, @NAME.epoch, @NAME.port.\n"
      "Events (one JSON object per line): sent received invalid unexpected state key key_ignored\n"
      "keepalive stale_round members rejected deleted ended timeout error muted wait done\n"
      "hello unsupported. It is a client adapter of docs/client-adapter.md (contract 1).\n"
      "Full reference: docs/client.md.");
  std::string server_arg = "127.0.0.1:16513", script_path;
  int mm_port = 0;
  int sm_timeout = 5000, uireq_retry = 1000, uireq_tries = 3, trreq_retry = 1000, trreq_tries = 5;
  int wait_timeout = 5000;
  app.add_option("--server", server_arg, "server HOST:PORT (SM over TCP; default 127.0.0.1:16513)");
  app.add_option("--mm-port", mm_port, "server MM UDP port (default: the same as the SM port)")
      ->check(CLI::Range(1, 65535));
  app.add_option("--script", script_path, "scripted mode: read commands from FILE ('-' = stdin)");
  app.add_option("--sm-timeout-ms", sm_timeout, "wait this long for an SM answer (default 5000)")
      ->check(CLI::Range(1, 3600000));
  app.add_option("--uireq-timeout-ms", uireq_retry, "resend UIREQ after this (default 1000)")
      ->check(CLI::Range(1, 3600000));
  app.add_option("--uireq-tries", uireq_tries, "UIREQ sends in all (default 3)")->check(CLI::Range(1, 100));
  app.add_option("--trreq-timeout-ms", trreq_retry, "resend TRREQ after this (default 1000)")
      ->check(CLI::Range(1, 3600000));
  app.add_option("--trreq-tries", trreq_tries, "TRREQ sends in all (default 5)")->check(CLI::Range(1, 100));
  app.add_option("--wait-timeout-ms", wait_timeout, "default timeout of wait-for (default 5000)")
      ->check(CLI::Range(1, 3600000));

  oneshot::Request req;
  auto common = [&req](CLI::App* sub, bool with_session) {
    sub->add_option("--as", req.as, "this client's name (CLIENT-NAME)")->required();
    if (with_session)
      sub->add_option("--session", req.session, "session ID (decimal or 0x-hex)")->required()->check(session_id);
    sub->add_option("--key", req.key, "ACCESS-KEY: hex:0a0b..., text:secret or bare hex")
        ->check(with_session ? access_key : create_value("key"));
    sub->add_flag("--json", req.json, "print the JSON events (as --script does) instead of a report");
  };
  auto* create = app.add_subcommand("create", "create a session (SCREQ, SCINF) and print its IDs");
  common(create, false);
  create->add_flag("--closed", req.closed, "closed mode (needs --allow or --key)");
  create->add_flag("--secure", req.secure, "secure mode (a group key for members)");
  create->add_option("--allow", req.allow, "ALLOW: a client name allowed to register (repeatable)");
  create->add_option("--base", req.base, "BASE-MEMBER: a base member's name (repeatable)");
  const struct {
    const char* name;  // the script's argument, "--" + name on the command line
    std::string* value;
    const char* help;
    bool checked;  // a value the script parser may refuse
  } create_options[] = {
      {"session-name", &req.session_name, "SESSION-NAME (default 'session')", false},
      {"keepalive", &req.keepalive, "KEEPALIVE PERIOD,TIMEOUT[,MISS] in 100 ms units", true},
      {"session-info", &req.session_info, "SESSION-INFO text", false},
      {"owner-info", &req.owner_info, "OWNER-INFO text", false},
      {"media-info", &req.media_info, "MEDIA-INFO text", false},
      {"app-info", &req.app_info, "APP-INFO text", false},
      {"start-time", &req.start_time, "START-TIME, seconds since 1970", true},
      {"end-time", &req.end_time, "END-TIME, seconds since 1970", true},
      {"group", &req.group, "multicast group A.B.C.D:PORT (default: the server picks)", true},
  };
  for (const auto& o : create_options) {
    auto* option = create->add_option(std::string("--") + o.name, *o.value, o.help);
    if (o.checked) option->check(create_value(o.name));
  }
  common(app.add_subcommand("register", "register to a session (SRREQ) and print the user ID"), true);
  common(app.add_subcommand("members", "join, activate and list the active members (UIREQ)"), true);
  common(app.add_subcommand("leave", "join, activate, then leave (LVREQ)"), true);
  common(app.add_subcommand("terminate", "as the creator: end the session (TRREQ until TRIND)"), true);
  common(app.add_subcommand("delete", "as the creator: delete the session (SDREQ)"), true);

  if (program.add_options) program.add_options(app);
  if (const auto rc = gmp::app::parse(app, argc, argv)) return *rc;
  std::string why;
  const auto server_at = gmp::app::parse_host_port(server_arg, {gmp::default_port, false, false}, &why);
  if (!server_at) {
    return gmp::app::usage_error(program.name, "--server HOST:PORT expected (" + why + "), got '" + server_arg + "'");
  }
  const std::string& host = server_at->host;
  const std::uint16_t sm_port = server_at->port;
  ServerEndpoints server;
  try {
    server = resolve_server(host, sm_port, mm_port ? static_cast<std::uint16_t>(mm_port) : sm_port);
  } catch (const std::exception& e) {
    std::cerr << program.name << ": cannot resolve " << host << ": " << e.what() << '\n';
    return exit_code::no_answer;
  }
  Runner::Options o;
  o.timing.sm_answer = Duration{sm_timeout};
  o.timing.uireq_retry = Duration{uireq_retry};
  o.timing.uireq_tries = uireq_tries;
  o.timing.trreq_retry = Duration{trreq_retry};
  o.timing.trreq_tries = trreq_tries;
  o.default_wait = Duration{wait_timeout};
  o.implementation = program.name + " " + gmp::toolkit_version;
  if (program.make_membership) o.make_membership = program.make_membership();

  if (!script_path.empty()) {
    if (!app.get_subcommands().empty()) {
      return gmp::app::usage_error(program.name, "--script and a subcommand are exclusive");
    }
    return run_script(script_path, server, o);
  }
  if (app.get_subcommands().empty()) {
    std::cerr << app.help();
    return exit_code::usage;
  }
  req.command = app.get_subcommands().front()->get_name();
  return oneshot::run(req, server, o);
}

}  // namespace gmp::client
