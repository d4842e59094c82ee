// The step interpreter of client purposes. The same steps as the server suite (runner.cpp),
// with the roles swapped: a lifeline is one membership of the client under test, seen from
// the server the tester plays. `send` goes to that membership's SM connection (the last one
// it used) or to its MM address (profile 1: the SM connection's IP and SAREQ's MM-PORT);
// `expect` matches what the client sent. `command`, `event` and `no_event` talk to the
// adapter. The wire steps (`expect`, `unordered`, `nothing`, `wait`, windows and timing
// verdicts) are played by play/player.hpp exactly as on the server side. Every message the
// client sends passes the client standing checks (match/client_standing.hpp) whatever the
// purpose looks at: the first violation fails the case, as in the server suite. And nothing
// is left unexplained: at each `nothing` step and at the end, a message of the client that no
// step consumed fails the case unless the purpose ignores its type or the client sends it on
// its own (see `excused`).
#include "client_case.hpp"

#include <algorithm>

#include "adapter.hpp"
#include "match/client_standing.hpp"
#include "match/watch.hpp"
#include "matcher.hpp"
#include "msgbuild.hpp"
#include "play/player.hpp"
#include "tester_server.hpp"

namespace conform::client {

namespace {

using play::overloaded;
using play::Queues;

constexpr double end_settle_ms = 20;  // see ClientCase::run
// The adapter's events cross a pipe and another process after the wire: the robustness
// campaign waits this much more before it compares them with its baseline, or before it says
// an adapter survived a framing error.
constexpr double adapter_settle_ms = 30;

/// The adapter answered `unsupported`: the purpose is n/a, never pass.
struct NotApplicable {
  std::string command;
};
/// The adapter broke its contract during the case: error (not the client's verdict).
struct AdapterFault {
  std::string what;
};
/// The robustness campaign ended the purpose early and the client did what it must (a
/// framing error closed its SM connection): pass.
struct Ended {
  std::string why;
};

}  // namespace

bool is_client_purpose(const TestPurpose& tp) { return tp.id.rfind("GMP/CLI/", 0) == 0; }

std::set<std::string> commands_of(const TestPurpose& tp) {
  std::set<std::string> out;
  std::function<void(const std::vector<Step>&)> walk = [&](const std::vector<Step>& steps) {
    for (const auto& st : steps) {
      if (auto r = st.as<RepeatStep>()) walk(r->body);
      if (auto a = st.as<AdapterStep>())
        if (auto c = std::get_if<CommandStep>(&a->kind); c && c->line.is_string()) {
          std::string l = c->line.get<std::string>();
          auto b = l.find_first_not_of(' ');
          if (b != std::string::npos) out.insert(l.substr(b, l.find(' ', b) - b));
        }
    }
  };
  walk(tp.steps);
  return out;
}

namespace {

// One wait of the I/O loop lasts 20 ms at most: the adapter's events come by the same loop.
class ClientCase : public play::Player {
 public:
  ClientCase(const TestPurpose& tp, const RunConfig& cfg, const Setup& setup)
      : Player(tp, cfg, setup.pixit.values, 20.0, 10000), setup_(setup) {
    // The sessions the tester's server describes: 1 s rounds, 500 ms timeout, so that a
    // member's coming back (profile 6.1, after 2 periods + the timeout) never falls inside
    // the short silences the purposes check. A purpose may `set` others.
    vars_.set("ka_period", 10);
    vars_.set("ka_timeout", 5);
    vars_.set("ka_ms", 1000);
    vars_.set("kt_ms", 500);
    vars_.set("first_epoch", 1);
    io_.on_record = [this](std::size_t i) { standing_.observe(io_.log, i); };
  }

  void run(CaseResult& r) {
    try {
      judge(r, [&] {
        listen();
        play_all();
        poll_adapter();
        // A short settle, as in the server suite: what the client sent right behind the last
        // message a step took is judged too.
        idle(io_.now_ms() + end_settle_ms);
        if (cfg_.before_send) leftovers(r);
        standing_check();
        unexplained(all_queues(), "at the end of the case", "from");
      });
    } catch (const Ended& e) {
      r.verdict = Verdict::pass;
      r.reason = e.why;
    } catch (const NotApplicable& n) {
      r.verdict = Verdict::na;
      r.reason = "the adapter answered unsupported to '" + n.command + "'";
    } catch (const AdapterFault& a) {
      r.verdict = Verdict::error;
      r.reason = "adapter: " + a.what;
      r.where = current_;
    }
    if (adapter_) {
      const bool early = adapter_->exited();  // before the tester's quit
      adapter_->stop();
      if (r.verdict != Verdict::pass && r.verdict != Verdict::na) report_adapter(r, early);
    }
    if (server_) server_->close_all();
    finish(r);
  }

 private:
  /// The tester's server: SM and MM sockets on 127.0.0.1, then the adapter.
  void listen() {
    server_ = std::make_unique<TesterServer>(io_, vars_, tp_.lifelines);
    const auto sm_port = server_->sm_port(), mm_port = server_->mm_port();
    vars_.set("sm_port", sm_port);
    vars_.set("mm_port", mm_port);
    vars_.set("alt_mm_port", server_->alt_mm_port());
    auto argv = fill_placeholders(setup_.words, {{"sm", "127.0.0.1:" + std::to_string(sm_port)},
                                                 {"host", "127.0.0.1"},
                                                 {"sm_port", std::to_string(sm_port)},
                                                 {"mm_port", std::to_string(mm_port)}});
    try {
      adapter_ = std::make_unique<Adapter>(io_.io, argv, [this] { return io_.now_ms(); });
    } catch (const std::exception& e) {
      throw AdapterFault{e.what()};
    }
    adapter_->write_line("hello 1");
    // The self-check proved the handshake; here it only has to arrive before the first step.
    // (10 s: a campaign starts many adapters at once on a small machine.)
    if (!pump(io_.now_ms() + 10000 * cfg_.time_scale, [&] {
          return take_event(Json{{"event", "hello"}}, 0).has_value();
        }))
      throw AdapterFault{"no hello within 10 s"};
    last_ = io_.now_ms();
  }

  /// With RunConfig::before_send (the robustness campaign), after a short settle: what the
  /// client sent and the adapter reported that no step took, for the campaign to compare with a
  /// baseline run ("membership: TYPE", "adapter: EVENT"). Only the events of the adapter
  /// contract that tell a change of state count (docs/client-adapter.md "Events"); an adapter's
  /// own traces (gmp-client's `sent`, `received`, `invalid`...) are left out.
  void leftovers(CaseResult& r) {
    static const std::set<std::string> stateful = {"state", "key", "members", "rejected", "ended", "error"};
    idle(io_.now_ms() + adapter_settle_ms);
    for (auto& p : server_->peers())
      for (const auto* q : {&p.sm_in, &p.mm_in})
        for (const Inbound& in : *q) r.leftover.push_back(p.name + ": " + in.type());
    used_.resize(adapter_->events.size(), false);
    for (std::size_t i = 0; i < adapter_->events.size(); ++i) {
      const std::string ev = adapter_->events[i].ev.value("event", "");
      if (!used_[i] && stateful.count(ev)) r.leftover.push_back("adapter: " + ev);
    }
  }

  /// A framing error (robustness campaign) replaced the valid message: the client must close
  /// the SM connection without answering (profile 1). The purpose cannot go on without that
  /// connection, so the case ends here: pass when the client closed it in time, sent nothing
  /// on it, and its adapter is still running a moment later (no crash).
  void framing_closed(Peer& p, double window_ms) {
    Conn* c = p.conn;
    const std::size_t before = p.sm_in.size();
    if (!pump(io_.now_ms() + window_ms, [&] { return c->closed; }))
      fail("the client did not close its SM connection within " + std::to_string(static_cast<int>(window_ms)) +
           " ms after a framing error (profile 1)", {}, true);
    if (p.sm_in.size() > before) fail("the client answered a framing error instead of closing the connection (profile 1)");
    idle(io_.now_ms() + end_settle_ms + adapter_settle_ms);
    poll_adapter();
    if (adapter_->exited()) fail("the client's adapter " + adapter_->exit_text() + " after a framing error");
    throw Ended{"the client closed its SM connection after a framing error (profile 1); the purpose ends there"};
  }

  /// An adapter that ended before the tester's quit is what the case's verdict is about: a
  /// client killed by a signal (a crash, whatever the input) fails, and its exit leads the
  /// reason, before the missing message that followed from it.
  void report_adapter(CaseResult& r, bool early) {
    if (early) {
      r.details.insert(r.details.begin(), "what the tester saw then: " + r.reason);
      r.reason = "the client's adapter " + adapter_->exit_text() + " during the case";
      if (adapter_->killed()) {
        r.verdict = Verdict::fail;
        r.tester_late = false;
        r.reason = "the client crashed: " + r.reason;
      }
    }
    std::string err = adapter_->stderr_text;
    if (err.size() > 2000) err = "..." + err.substr(err.size() - 2000);
    if (!err.empty()) r.details.push_back("adapter stderr: " + err);
  }

  // ---- the adapter ----

  /// Ends the case when the adapter said `unsupported` or broke the contract.
  void poll_adapter() {
    if (!adapter_) return;
    for (std::size_t i = checked_; i < adapter_->events.size(); ++i) {
      const Json& ev = adapter_->events[i].ev;
      if (ev["event"] == "unsupported") throw NotApplicable{ev.value("command", std::string("?"))};
    }
    checked_ = adapter_->events.size();
    if (!adapter_->protocol_error.empty())
      throw AdapterFault{"printed " + adapter_->protocol_error};
  }

  /// An event plus derived fields: `member_list`, the `members` of a members event as
  /// sorted "user_id:member_type" texts, so that purposes need not depend on the order of
  /// the UIRES parts or on fields an adapter adds to each entry.
  static Json derived(Json ev) {
    if (ev.contains("members") && ev["members"].is_array()) {
      std::vector<std::string> list;
      for (const auto& m : ev["members"])
        if (m.is_object())
          list.push_back(m.value("user_id", Json()).dump() + ":" +
                         m.value("member_type", std::string("?")));
      std::sort(list.begin(), list.end());
      ev["member_list"] = list;
    }
    return ev;
  }

  /// The first unused event from `since_ms` on that satisfies `match`; marks it used.
  std::optional<Json> take_event(const Json& match, double since_ms) {
    poll_adapter();
    used_.resize(adapter_->events.size(), false);
    for (std::size_t i = 0; i < adapter_->events.size(); ++i) {
      if (used_[i] || adapter_->events[i].t_ms < since_ms) continue;
      Json ev = derived(adapter_->events[i].ev);
      if (mismatches(ev, match).empty()) {
        used_[i] = true;
        return ev;
      }
    }
    return std::nullopt;
  }

  void adapter(const Step& st, const AdapterStep& a) override {
    std::visit(overloaded{
                   [&](const CommandStep& c) {
                     std::string line = vars_.text(c.line);
                     trace(st, "other", first_lifeline(), "command " + line, true);
                     if (!adapter_->write_line(line))
                       throw AdapterFault{"stdin closed (" + adapter_->exit_text() + ")"};
                     // An `unsupported` answer comes at once: give it a moment before judging.
                     idle(io_.now_ms() + 20);
                     last_ = io_.now_ms();
                   },
                   [&](const EventStep& e) { event(st, e); },
                   [&](const NoEventStep& e) { no_event(st, e); },
               },
               a.kind);
  }

  void event(const Step& st, const EventStep& e) {
    Json match = vars_.resolve(e.match);
    int idx = trace(st, "expect", first_lifeline(),
                    "event " + match.value("event", std::string("?")), false);
    double end =
        last_ +
        upper(vars_.number(e.within ? *e.within
                                    : Json(setup_.pixit.values.value("answer_timeout_ms", 5000))));
    std::optional<Json> got;
    if (!pump(end, [&] { return (got = take_event(match, 0)).has_value(); })) {
      trace_[static_cast<std::size_t>(idx)].status = StepStatus::fail;
      std::vector<std::string> seen;
      for (std::size_t i = adapter_->events.size(); i-- > 0 && seen.size() < 12;)
        if (!used_[i] && adapter_->events[i].ev.value("event", "") != "sent" &&
            adapter_->events[i].ev.value("event", "") != "received")
          seen.push_back("unused event (latest first): " + adapter_->events[i].ev.dump());
      current_ = st.where.str();
      fail("no adapter event " + match.dump() + " in time", seen, true);
    }
    trace_[static_cast<std::size_t>(idx)].t_ms = io_.now_ms();
    store(e.capture, *got);
    last_ = io_.now_ms();
  }

  void no_event(const Step& st, const NoEventStep& e) {
    Json match = vars_.resolve(e.match);
    int idx = trace(st, "nothing", "", "", false);
    double since = last_;
    std::optional<Json> got;
    pump(io_.now_ms() + scale(vars_.number(e.during)),
         [&] { return (got = take_event(match, since)).has_value(); });
    if (!got) got = take_event(match, since);
    if (got) {
      trace_[static_cast<std::size_t>(idx)].status = StepStatus::fail;
      fail("adapter event where none was expected", {"observed: " + got->dump()});
    }
    last_ = io_.now_ms();
  }

  // ---- the standing checks ----

  void standing_check() {
    if (auto f = standing_.due(io_.log))
      throw play::Failure{f->reason, f->details, current_, f->timing, Authority{{"P" + f->section}}};
  }

  /// What a client sends on its own and the purposes need not expect: a KARES that answers a
  /// KAREQ the tester sent to the membership (its KA-SEQ) or comes back without KA-SEQ
  /// (profile 6.1); a UIREQ or TRREQ repeating one a step consumed, within the PIXIT's tries
  /// (clauses 7.2.2, 7.2.4).
  bool excused(const std::string& who, const Inbound& in) const override {
    const std::string type = in.type();
    if (type == "KARES") {
      const Json seq = lookup(in.msg, "opt.KA-SEQ");
      if (seq.is_null()) return true;
      for (const WireEvent& e : io_.log)
        if (e.to_server && e.lifeline == who && e.decoded.is_object() && e.decoded.value("type", "") == "KAREQ" &&
            lookup(e.decoded, "opt.KA-SEQ") == seq)
          return true;
      return false;
    }
    if (type != "UIREQ" && type != "TRREQ") return false;
    const int tries = setup_.pixit.values.value(type == "UIREQ" ? "uireq_tries" : "trreq_tries", 1);
    int sent = 0;
    bool consumed = false;
    for (std::size_t i = 0; i <= in.log_index && i < io_.log.size(); ++i) {
      const WireEvent& e = io_.log[i];
      if (e.to_server || e.lifeline != who || !e.decoded.is_object() || e.decoded.value("type", "") != type) continue;
      ++sent;
      consumed = consumed || e.note == "matched";
    }
    return consumed && sent <= tries;
  }

  // ---- the hooks of play::Player ----

  /// The standing checks judge every message as it arrives; a violation ends the case at the
  /// first wake-up after it.
  void on_wake() override { standing_check(); }
  /// After a quiet `nothing` window, nothing unexplained may remain queued at its memberships.
  void after_nothing(const std::vector<Queues>& qs) override {
    standing_check();
    unexplained(qs, "at a nothing step", "from");
  }

  /// Every look at the queues first sees whether the adapter said `unsupported` or broke the
  /// contract.
  void poll() override { poll_adapter(); }

  Peer& peer(const Expr& name) { return server_->peer(vars_.text(name)); }
  std::string first_lifeline() const { return tp_.lifelines.empty() ? "" : tp_.lifelines[0].name; }

  static Queues queues_of_peer(Peer& p) { return {p.name, &p.sm_in, &p.mm_in}; }
  Queues queues(const Expr& name) override { return queues_of_peer(peer(name)); }
  std::vector<Queues> all_queues() override {
    std::vector<Queues> out;
    for (auto& p : server_->peers()) out.push_back(queues_of_peer(p));
    return out;
  }

  void mute(const Step&, const MuteStep&) override {
    throw ScenarioError("mute/unmute are server-suite steps; use the command");
  }

  // ---- the steps with the tester's server's I/O ----

  /// The server's message to one membership. MM messages carry the session's keepalive
  /// values and the recipient's member type unless the step says otherwise (profile 3).
  void send(const Step& st, const SendStep& s) override {
    Json a = vars_.resolve(s.fields);
    Peer& p = peer(a["from"]);
    SendDefaults d;
    d.session = vars_.has("session") ? vars_.get("session") : Json();
    d.user = vars_.has(p.name + ".user") ? vars_.get(p.name + ".user") : Json();
    d.mode = vars_.text(Json("$mode"));
    d.secure = vars_.number(vars_.get("secure")) != 0;
    d.role = p.role;
    d.client_name = vars_.text(vars_.get(p.name + ".name"));
    // Profile 2: the server sets M and S in every answer about a known session, S alone in
    // SCACC (and in an SCREJ refusing secure mode, which the purpose says).
    static const std::set<std::string> about_session = {"SCCON", "SRRES", "SRACC",
                                                        "SRREJ", "SJRES", "SDRES"};
    const std::string type = s.type ? s.type->name() : "";
    if (about_session.count(type) && !a.contains("flags.m")) a["flags.m"] = d.mode == "closed";
    if ((about_session.count(type) || type == "SCACC") && !a.contains("flags.s")) a["flags.s"] = d.secure;
    if (s.type && s.type->channel() == Channel::mm && !a.contains("datagram")) {
      if (!a.contains("ka_period")) a["ka_period"] = vars_.get("ka_period");
      if (!a.contains("ka_timeout")) a["ka_timeout"] = vars_.get("ka_timeout");
    }
    Outgoing o = build_outgoing(a, d);
    double close_ms = 0;
    if (cfg_.before_send && s.form == SendStep::Form::typed) {
      SendHook h{typed_sends_++, st.where.str(), o, s.alt_port, [&](const std::vector<std::uint8_t>& b) {
                   if (o.tcp) server_->send_sm(p, b, true, -1, true);
                   else server_->send_mm(p, b, s.alt_port, -1, true);
                 }};
      if (std::string why = cfg_.before_send(h); !why.empty()) fail(why);
      close_ms = h.close_within_ms;
    }
    int idx = trace(st, "send", p.name, s.type ? s.type->name() : "raw", true);
    if (o.tcp)
      server_->send_sm(p, o.bytes, o.prefixed, idx, close_ms > 0);
    else
      server_->send_mm(p, o.bytes, s.alt_port, idx);
    last_ = io_.now_ms();
    if (close_ms > 0) framing_closed(p, close_ms);
  }

  void close(const Step& st, const CloseStep& s) override {
    Peer& p = peer(s.who);
    trace(st, "other", p.name, "close TCP", true);
    server_->close(p);
    last_ = io_.now_ms();
  }

  void closed(const Step& st, const ClosedStep& s) override {
    Peer& p = peer(s.at);
    int idx = trace(st, "closed", p.name, "close", false);
    double end = deadline(s.within);
    if (!pump(end, [&] { return p.conn && p.conn->closed; })) {
      trace_[static_cast<std::size_t>(idx)].status = StepStatus::fail;
      fail("the client did not close its SM connection in time", {}, true);
    }
    last_ = io_.now_ms();
  }

  const Setup& setup_;
  std::unique_ptr<TesterServer> server_;
  std::unique_ptr<Adapter> adapter_;
  std::vector<bool> used_;
  std::size_t checked_ = 0;
  std::size_t typed_sends_ = 0;  // SendHook::index
  match::Watch<match::ClientStanding> standing_;
};

}  // namespace

CaseResult run_client_case(const TestPurpose& tp, const RunConfig& cfg, const Setup& setup) {
  CaseResult r;
  r.tp = &tp;
  for (const auto& c : commands_of(tp))
    if (!setup.usable.count(c)) {
      r.verdict = Verdict::na;
      r.reason = "the adapter does not support '" + c + "'";
      return r;
    }
  auto t0 = Clock::now();
  ClientCase run(tp, cfg, setup);
  run.run(r);
  r.duration_ms = std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
  return r;
}

}  // namespace conform::client
