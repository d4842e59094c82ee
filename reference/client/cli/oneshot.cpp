// gmp-client's one-shot subcommands (docs/client.md, "One-shot commands").
#include "oneshot.hpp"

#include <cstdio>
#include <iostream>

namespace gmp::client::oneshot {

namespace {

script::Command cmd(std::string verb, std::string target = "m") {
  script::Command c;
  c.verb = std::move(verb);
  c.target = std::move(target);
  c.text = c.verb + " " + c.target;
  return c;
}

script::Command wait_for(std::string spec) {
  script::Command c = cmd("wait-for");
  c.words.push_back(std::move(spec));
  c.text += " " + c.words.back();
  return c;
}

void add(script::Command& c, const char* key, const std::string& value) {
  if (!value.empty()) c.args.emplace_back(key, value);
}

}  // namespace

std::vector<script::Command> plan(const Request& r) {
  std::vector<script::Command> p;
  if (r.command == "create") {
    script::Command c = cmd("create");
    c.as = r.as;
    if (r.closed) c.words.push_back("closed");
    if (r.secure) c.words.push_back("secure");
    add(c, "session-name", r.session_name);
    add(c, "session-info", r.session_info);
    add(c, "owner-info", r.owner_info);
    add(c, "start-time", r.start_time);
    add(c, "end-time", r.end_time);
    add(c, "media-info", r.media_info);
    add(c, "app-info", r.app_info);
    add(c, "keepalive", r.keepalive);
    add(c, "group", r.group);
    add(c, "key", r.key);
    for (const auto& a : r.allow) add(c, "allow", a);
    for (const auto& b : r.base) add(c, "base", b);
    p.push_back(c);
    p.push_back(wait_for("state=registered"));
    return p;
  }
  // Every other command starts by registering (idempotent, profile 5.3): that gives this
  // process the user ID. terminate and delete register as the creator.
  script::Command reg = cmd("register");
  reg.as = r.as;
  add(reg, "session", r.session);
  add(reg, "key", r.key);
  if (r.command == "terminate" || r.command == "delete") reg.words.push_back("creator");
  p.push_back(reg);
  p.push_back(wait_for("state=registered"));
  if (r.command == "register") return p;
  if (r.command == "delete") {
    p.push_back(cmd("delete"));
    p.push_back(wait_for("deleted"));
    return p;
  }
  // members, leave, terminate need an MM address: join and activate (Figures 9, 10).
  p.push_back(cmd("join"));
  p.push_back(wait_for("state=joined"));
  p.push_back(cmd("activate"));
  p.push_back(wait_for("state=active"));
  if (r.command == "members") {
    p.push_back(cmd("members"));
    p.push_back(wait_for("members"));
    script::Command lv = cmd("leave");  // a creator or base member leaving would end the session
    lv.words.push_back("if-participant");
    p.push_back(lv);
  } else if (r.command == "leave") {
    p.push_back(cmd("leave"));
  } else if (r.command == "terminate") {
    p.push_back(cmd("terminate"));
    p.push_back(wait_for("ended"));
  }
  return p;
}

std::string explain_refusal(const std::string& message, int reason) {
  if (message == "SCREJ") {
    switch (reason) {
      case 1: return "the server cannot take another session (resources exhausted)";
      case 2: return "this client name is not allowed to create sessions on this server";
      case 3: return "the server does not support secure mode (try without --secure)";
      case 5:
        return "the server refused the session description (SCINF): it needs a session name, "
               "a KA period > 0, 0 < KA timeout <= period, a miss limit > 0, and a closed "
               "session needs --allow or --key";
      default: break;
    }
  } else if (message == "SRREJ") {
    switch (reason) {
      case 1: return "the session is full (member limit reached)";
      case 2:
        return "not authorised: the name is not allowed in this closed session, the access key "
               "is wrong or missing, or the name is registered from another address";
      case 4: return "there is no session with this ID on the server";
      default: break;
    }
  } else if (message == "SDRES") {
    switch (reason) {
      case 2: return "only the session's creator may delete it (from the address that created it)";
      case 4: return "there is no session with this ID on the server";
      default: break;
    }
  }
  switch (reason) {  // the same REASON in a message the cases above do not name
    case 1: return "the server's resources are exhausted";
    case 2: return "not authorised";
    case 3: return "secure mode is not supported by the server";
    case 4: return "there is no session with this ID on the server";
    case 5: return "the server found the request invalid";
    default: return "refused with an unknown REASON " + std::to_string(reason);
  }
}

int run(const Request& r, const ServerEndpoints& server, const Runner::Options& options) {
  asio::io_context io;
  Runner::Options o = options;
  o.stop_on_failure = true;
  nlohmann::json last_members;
  std::string refusal;
  const bool json = r.json;
  auto sink = [&](const nlohmann::json& j) {
    const std::string ev = j.value("event", "");
    if (json) {
      std::cout << j.dump() << '\n' << std::flush;
    }
    if (ev == "members") last_members = j;
    if (json) return;
    if (ev == "rejected") {
      refusal = j.value("message", "") + " REASON " + std::to_string(j.value("reason", 0)) + " (" +
                j.value("reason_text", "") + "): " +
                explain_refusal(j.value("message", ""), j.value("reason", 0));
      std::cerr << "gmp-client: refused: " << refusal << '\n';
    } else if (ev == "timeout") {
      std::cerr << "gmp-client: no answer from the server (waiting for " << j.value("awaiting", "")
                << ")\n";
    } else if (ev == "error") {
      std::cerr << "gmp-client: " << j.value("why", "error") << '\n';
    } else if (ev == "ended" && r.command != "terminate" && r.command != "delete") {
      // The end the command asked for (TRIND after TRREQ, SDRES 0 after SDREQ) is its
      // success, reported on stdout; only an end nobody asked for is worth a warning.
      std::cerr << "gmp-client: the session ended (" << j.value("cause", "") << ")\n";
    } else if (ev == "wait" && !j.value("ok", true) && refusal.empty()) {
      std::cerr << "gmp-client: gave up waiting for " << j.value("for", "") << ": "
                << j.value("why", "") << '\n';
    }
  };
  int code = exit_code::ok;
  Runner runner(io, server, o, sink, [&](int c) {
    code = c;
    io.stop();
  });
  for (auto& c : plan(r)) runner.push(std::move(c));
  runner.end_of_input();
  io.run();
  // The commands are ours, only their values come from the command line: a command the
  // runner found invalid is an argument the checks in main.cpp missed, a usage error.
  if (code == exit_code::script) code = exit_code::usage;
  if (code != exit_code::ok || json) return code;
  const ClientCore* core = runner.core("m");
  if (!core) return exit_code::no_answer;
  const auto s = core->session().value, u = core->user().value;
  const std::string group = core->group_address().to_string() + ":" + std::to_string(core->group_port());
  const char* mode = core->mode() == Mode::closed ? "closed" : "open";
  if (r.command == "create") {
    std::printf("created session %u (0x%04x), creator user ID %u (0x%04x)\n", s, s, u, u);
    std::printf("mode %s%s, group %s\n", mode, core->secure() ? ", secure" : "", group.c_str());
  } else if (r.command == "register") {
    std::printf("registered to session %u as user ID %u (0x%04x); mode %s%s, group %s\n", s, u, u,
                mode, core->secure() ? ", secure" : "", group.c_str());
  } else if (r.command == "members") {
    const auto& list = last_members["members"];
    std::printf("session %u: %zu active member(s) listed", s, list.size());
    if (last_members["member_count"].is_number())
      std::printf(", %u more counted", last_members["member_count"].get<unsigned>());
    std::printf("\n");
    for (const auto& m : list)
      std::printf("  user %5u (0x%04x)  %s\n", m["user_id"].get<unsigned>(),
                  m["user_id"].get<unsigned>(), m["member_type"].get<std::string>().c_str());
  } else if (r.command == "leave") {
    std::printf("left session %u (user %u is joined, no longer polled)\n", s, u);
  } else if (r.command == "terminate") {
    std::printf("session %u terminated (TRIND received)\n", s);
  } else if (r.command == "delete") {
    std::printf("session %u deleted\n", s);
  }
  return code;
}

}  // namespace gmp::client::oneshot
