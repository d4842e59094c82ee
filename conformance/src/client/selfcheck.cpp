#include "selfcheck.hpp"

#include "adapter.hpp"
#include "matcher.hpp"
#include "msgbuild.hpp"
#include "tester_server.hpp"

namespace conform::client {

namespace {

struct Checker {
  CaseIo io;
  Vars vars;
  std::unique_ptr<TesterServer> server;
  std::unique_ptr<Adapter> adapter;
  std::string problem;

  /// Runs the loop until `pred` or `ms` pass; a contract breach or an exit ends it too.
  template <class Pred>
  bool pump(double ms, Pred pred) {
    const double end = io.now_ms() + ms;
    while (!pred()) {
      if (!adapter->protocol_error.empty()) {
        problem = "the adapter printed " + adapter->protocol_error;
        return false;
      }
      if (adapter->stdout_closed && adapter->exited()) {
        problem = "the adapter " + adapter->exit_text() + " before answering";
        return false;
      }
      if (io.now_ms() >= end) return false;
      io.io.run_one_for(std::chrono::milliseconds(10));
    }
    return true;
  }

  const Json* event(const std::string& name, const std::string& to = "") {
    for (const auto& e : adapter->events)
      if (e.ev.value("event", "") == name && (to.empty() || e.ev.value("to", "") == to))
        return &e.ev;
    return nullptr;
  }
  std::optional<Json> sm(Peer& p, const std::string& type) {
    for (const auto& in : p.sm_in)
      if (in.msg.value("type", "") == type) return in.msg;
    return std::nullopt;
  }
};

}  // namespace

SelfCheck self_check(const std::vector<std::string>& words, double time_scale) {
  SelfCheck r;
  Checker c;
  try {
    c.server = std::make_unique<TesterServer>(
        c.io, c.vars, std::vector<LifelineDecl>{{"sc", "creator", "", "selfcheck"}});
    auto argv =
        fill_placeholders(words, {{"sm", "127.0.0.1:" + std::to_string(c.server->sm_port())},
                                  {"host", "127.0.0.1"},
                                  {"sm_port", std::to_string(c.server->sm_port())},
                                  {"mm_port", std::to_string(c.server->mm_port())}});
    c.adapter = std::make_unique<Adapter>(c.io.io, argv, [&c] { return c.io.now_ms(); });
  } catch (const std::exception& e) {
    r.message = std::string("the adapter could not be started: ") + e.what();
    return r;
  }
  auto fail = [&](const std::string& why) {
    r.message = c.problem.empty() ? why : c.problem;
    if (!c.adapter->stderr_text.empty()) {
      std::string err = c.adapter->stderr_text.substr(0, 500);
      r.message += "\n  adapter stderr: " + err;
    }
    c.adapter->stop(0.3);  // the verdict is known: no need for the contract's grace
    return r;
  };
  c.adapter->write_line("hello 1");
  // Budget (docs/client-adapter.md): hello 5 s, SCREQ 2 s, SCINF and `registered` 1.2 s each.
  if (!c.pump(5000 * time_scale, [&] { return c.event("hello") != nullptr; }))
    return fail("the adapter did not answer 'hello 1' within 5 s");
  const Json hello = *c.event("hello");
  if (hello.value("adapter_version", Json()) != 1)
    return fail("the adapter answered hello with adapter_version " +
                hello.value("adapter_version", Json()).dump() + ", this tester speaks version 1");
  if (!hello.contains("supports") || !hello["supports"].is_array())
    return fail("the adapter's hello has no 'supports' list");
  for (const auto& s : hello["supports"])
    if (s.is_string()) r.supports.insert(s.get<std::string>());
  r.implementation = hello.value("implementation", std::string("?"));
  if (!r.supports.count("create") && !r.supports.count("register"))
    return fail("the adapter supports neither 'create' nor 'register': nothing could be tested");
  if (r.supports.count("create")) {
    Peer& p = c.server->peer("sc");
    c.adapter->write_line("create sc as selfcheck open session-name=selfcheck");
    if (!c.pump(2000 * time_scale,
                [&] { return c.sm(p, "SCREQ").has_value() || c.event("unsupported"); }))
      return fail(
          "told 'create sc as selfcheck open', the client put no SCREQ on the wire within 2 s");
    if (c.event("unsupported"))
      return fail("the adapter lists 'create' in supports but answered unsupported");
    const bool s = lookup(*c.sm(p, "SCREQ"), "flags.s") == true;
    SendDefaults d;
    d.session = 0x5eed;
    d.user = 0x0101;
    d.secure = s;
    auto scacc = build_outgoing({{"type", "SCACC"}, {"s", s}}, d);
    c.server->send_sm(p, scacc.bytes, true, -1);
    if (!c.pump(1200 * time_scale, [&] { return c.sm(p, "SCINF").has_value(); }))
      return fail("after SCACC the client sent no SCINF on the same connection within 1.2 s");
    auto sccon = build_outgoing(
        {{"type", "SCCON"}, {"group_address", "239.255.0.1"}, {"group_port", 5000}}, d);
    c.server->send_sm(p, sccon.bytes, true, -1);
    if (!c.pump(1200 * time_scale, [&] { return c.event("state", "registered") != nullptr; }))
      return fail("after SCCON the adapter reported no state 'registered' within 1.2 s");
  }
  c.adapter->stop();
  r.ok = true;
  return r;
}

}  // namespace conform::client
