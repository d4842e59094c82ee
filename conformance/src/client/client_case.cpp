// The step interpreter of client purposes. The same steps as the server suite (runner.cpp),
// with the roles swapped: a lifeline is one membership of the client under test, seen from
// the server the tester plays. `send` goes to that membership's SM connection (the last one
// it used) or to its MM address (profile 1: the SM connection's IP and SAREQ's MM-PORT);
// `expect` matches what the client sent. `command`, `event` and `no_event` talk to the
// adapter. Wire windows are judged by match/expect.hpp exactly as on the server side.
#include "client_case.hpp"

#include <algorithm>

#include "adapter.hpp"
#include "match/expect.hpp"
#include "matcher.hpp"
#include "msgbuild.hpp"
#include "tester_server.hpp"
#include "vars.hpp"

namespace conform::client {

namespace {

struct Failure {
  std::string reason;
  std::vector<std::string> details;
  std::string where;
  bool timing = false;
};
/// The adapter answered `unsupported`: the purpose is n/a, never pass.
struct NotApplicable {
  std::string command;
};
/// The adapter broke its contract during the case: error (not the client's verdict).
struct AdapterFault {
  std::string what;
};

template <class... F>
struct overloaded : F... {
  using F::operator()...;
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

class ClientCase {
 public:
  ClientCase(const TestPurpose& tp, const RunConfig& cfg, const Setup& setup)
      : tp_(tp), cfg_(cfg), setup_(setup) {
    for (const auto& [k, v] : cfg.pixit.values.items()) vars_.set(k, v);
    for (const auto& [k, v] : setup.pixit.values.items()) vars_.set(k, v);
    vars_.set("id", tp.id);
    // The sessions the tester's server describes: 1 s rounds, 500 ms timeout, so that a
    // member's coming back (profile 6.1, after 2 periods + the timeout) never falls inside
    // the short silences the purposes check. A purpose may `set` others.
    vars_.set("ka_period", 10);
    vars_.set("ka_timeout", 5);
    vars_.set("ka_ms", 1000);
    vars_.set("kt_ms", 500);
    vars_.set("first_epoch", 1);
    vars_.set("mode", "open");
    vars_.set("secure", false);
    for (const auto& t : tp.ignore) ignore_.insert(t.name());
  }

  void run(CaseResult& r) {
    try {
      listen();
      for (top_ = 0; top_ < tp_.steps.size(); ++top_) play(tp_.steps[top_]);
      poll_adapter();
      r.verdict = Verdict::pass;
    } catch (const Failure& f) {
      r.verdict = Verdict::fail;
      r.reason = f.reason;
      r.details = f.details;
      r.where = f.where;
      if (f.timing && late_ > cfg_.pixit.late_ms) {
        r.verdict = Verdict::inconc;
        r.reason = "tester was late by " + std::to_string(static_cast<int>(late_)) +
                   " ms; timing failure not conclusive: " + f.reason;
      }
    } catch (const NotApplicable& n) {
      r.verdict = Verdict::na;
      r.reason = "the adapter answered unsupported to '" + n.command + "'";
    } catch (const AdapterFault& a) {
      r.verdict = Verdict::error;
      r.reason = "adapter: " + a.what;
      r.where = current_;
    } catch (const ScenarioError& e) {
      r.verdict = Verdict::error;
      r.reason = std::string("scenario error: ") + e.what();
      r.where = current_;
    } catch (const std::exception& e) {
      r.verdict = Verdict::error;
      r.reason = std::string("tester error: ") + e.what();
      r.where = current_;
    }
    if (adapter_) {
      const bool early = adapter_->exited();  // before the tester's quit
      adapter_->stop();
      if (r.verdict != Verdict::pass && r.verdict != Verdict::na) report_adapter(r, early);
    }
    if (server_) server_->close_all();
    r.lateness_ms = late_;
    r.log = std::move(io_.log);
    r.trace = std::move(trace_);
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

  void report_adapter(CaseResult& r, bool early) {
    if (early)
      r.details.push_back("the adapter " + adapter_->exit_text() + " before the end of the case");
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

  void adapter_step(const Step& st, const AdapterStep& a) {
    std::visit(overloaded{
                   [&](const CommandStep& c) {
                     std::string line = vars_.text(c.line);
                     trace(st, "other", first_lifeline(), "command " + line, true);
                     if (!adapter_->write_line(line))
                       throw AdapterFault{"stdin closed (" + adapter_->exit_text() + ")"};
                     // An `unsupported` answer comes at once: give it a moment before judging.
                     pump(io_.now_ms() + 20, [&] {
                       poll_adapter();
                       return false;
                     });
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
      throw Failure{"no adapter event " + match.dump() + " in time", seen, current_, true};
    }
    trace_[static_cast<std::size_t>(idx)].t_ms = io_.now_ms();
    match::Captures c = match::capture(*got, e.capture);
    for (const auto& [var, v] : c.values) vars_.set(vars_.text(var), v);
    if (!c.error.empty()) throw Failure{c.error, {}, current_, false};
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
      throw Failure{
          "adapter event where none was expected", {"observed: " + got->dump()}, current_, false};
    }
    last_ = io_.now_ms();
  }

  // ---- steps ----

  void play(const Step& st) {
    current_ = st.where.str();
    std::visit(overloaded{
                   [&](const SendStep& s) { send(st, s); },
                   [&](const ExpectStep&) { expect({&st}); },
                   [&](const UnorderedStep& u) {
                     std::vector<const Step*> subs;
                     for (const auto& s : u.expects) subs.push_back(&s);
                     expect(subs);
                   },
                   [&](const NothingStep& s) { nothing(st, s); },
                   [&](const ClosedStep& s) { closed(st, s); },
                   [&](const MuteStep&) {
                     throw ScenarioError("mute/unmute are server-suite steps; use the command");
                   },
                   [&](const CloseStep& s) { close(st, s); },
                   [&](const WaitStep& s) {
                     trace(st, "other", "", "wait " + vars_.text(s.ms) + " ms", true);
                     pump(io_.now_ms() + scale(vars_.number(s.ms)), [&] {
                       poll_adapter();
                       return false;
                     });
                     last_ = io_.now_ms();
                   },
                   [&](const SetStep& s) { set(s); },
                   [&](const CheckStep& s) {
                     Json a = vars_.resolve(s.a), b = vars_.resolve(s.b);
                     if (!compare(a, s.op, b))
                       throw Failure{"check failed: " + s.why,
                                     {"a = " + a.dump(), "b = " + b.dump()},
                                     current_,
                                     false};
                   },
                   [&](const RepeatStep& s) {
                     long long n = vars_.integer(s.count);
                     for (long long i = 1; i <= n && i <= 10000; ++i) {
                       vars_.set(s.var, i);
                       for (const auto& sub : s.body) play(sub);
                     }
                   },
                   [&](const AdapterStep& a) { adapter_step(st, a); },
               },
               st.body);
  }

  void set(const SetStep& s) {
    for (const auto& [k, v] : s.values) {
      Json r = vars_.resolve(v);
      if (r.is_string() && !r.get<std::string>().empty() && r.get<std::string>()[0] == '=')
        r = vars_.integer(Json(r.get<std::string>().substr(1)));
      vars_.set(vars_.text(Json(k)), r);
    }
    vars_.set("ka_ms", vars_.integer(Json("$ka_period * 100")));
    vars_.set("kt_ms", vars_.integer(Json("$ka_timeout * 100")));
  }

  Peer& peer(const Expr& name) { return server_->peer(vars_.text(name)); }
  std::string first_lifeline() const { return tp_.lifelines.empty() ? "" : tp_.lifelines[0].name; }

  int trace(const Step& st, std::string kind, std::string lifeline, std::string type,
            bool to_client) {
    trace_.push_back({st.label, std::move(kind), std::move(lifeline), std::move(type), to_client,
                      StepStatus::ok, st.where.str(), io_.now_ms()});
    return static_cast<int>(trace_.size()) - 1;
  }

  /// The server's message to one membership. MM messages carry the session's keepalive
  /// values and the recipient's member type unless the step says otherwise (profile 3).
  void send(const Step& st, const SendStep& s) {
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
    if (about_session.count(type) && !a.contains("m")) a["m"] = d.mode == "closed";
    if ((about_session.count(type) || type == "SCACC") && !a.contains("s")) a["s"] = d.secure;
    if (s.type && s.type->channel() == Channel::mm && !a.contains("datagram")) {
      if (!a.contains("ka_period")) a["ka_period"] = vars_.get("ka_period");
      if (!a.contains("ka_timeout")) a["ka_timeout"] = vars_.get("ka_timeout");
    }
    Outgoing o = build_outgoing(a, d);
    int idx = trace(st, "send", p.name, s.type ? s.type->name() : "raw", true);
    if (o.tcp)
      server_->send_sm(p, o.bytes, o.prefixed, idx);
    else
      server_->send_mm(p, o.bytes, s.alt_port, idx);
    last_ = io_.now_ms();
  }

  void close(const Step& st, const CloseStep& s) {
    Peer& p = peer(s.who);
    trace(st, "other", p.name, "close TCP", true);
    server_->close(p);
    last_ = io_.now_ms();
  }

  void closed(const Step& st, const ClosedStep& s) {
    Peer& p = peer(s.at);
    int idx = trace(st, "closed", p.name, "close", false);
    double end = last_ + upper(vars_.number(s.within ? *s.within : Json(cfg_.pixit.window_ms)));
    if (!pump(end, [&] { return p.conn && p.conn->closed; })) {
      trace_[static_cast<std::size_t>(idx)].status = StepStatus::fail;
      throw Failure{"the client did not close its SM connection in time", {}, current_, true};
    }
    last_ = io_.now_ms();
  }

  std::deque<Inbound>& queue(Peer& p, Channel ch) { return ch == Channel::sm ? p.sm_in : p.mm_in; }

  struct Waiting {
    const Step* step;
    const ExpectStep* expect;
    Peer* peer;
    int trace;
  };

  [[noreturn]] void reject(int trace_index, const match::Judgement& j) {
    trace_[static_cast<std::size_t>(trace_index)].status = StepStatus::fail;
    throw Failure{j.reason, j.details, current_, j.timing};
  }

  void expect(const std::vector<const Step*>& subs) {
    match::ExpectSet set(last_);
    std::vector<Waiting> waiting;
    std::set<std::string> ignore = ignore_;
    for (const Step* s : subs) {
      const ExpectStep& e = std::get<ExpectStep>(s->body);
      Peer& p = peer(e.at);
      match::Expectation x{
          {p.name, e.type.channel()},
          e.type.name(),
          vars_.resolve(e.match),
          last_ + upper(vars_.number(e.within ? *e.within : Json(cfg_.pixit.window_ms))),
          e.after ? last_ + lower_bound(vars_.number(*e.after)) : -1,
          false,
          {}};
      for (const auto& t : e.ignore) ignore.insert(t.name());
      int idx = trace(*s, "expect", p.name, x.type, false);
      trace_[static_cast<std::size_t>(idx)].status = StepStatus::notrun;
      set.add(std::move(x));
      waiting.push_back({s, &e, &p, idx});
    }
    double matched_at = last_;
    auto scan = [&] { return take_matches(set, waiting, ignore, matched_at); };
    for (;;) {
      if (pump(set.next_deadline(), scan)) break;
      if (scan()) break;
      if (auto j = set.expired(io_.now_ms())) {
        current_ = waiting[j->which].step->where.str();
        reject(waiting[j->which].trace, *j);
      }
    }
    last_ = matched_at;
  }

  bool take_matches(match::ExpectSet& set, std::vector<Waiting>& waiting,
                    const std::set<std::string>& ignore, double& matched_at) {
    poll_adapter();
    for (std::size_t i = 0; i < set.size(); ++i) {
      auto& q = queue(*waiting[i].peer, set[i].lane.channel);
      while (!q.empty() && !set[i].done) {
        Inbound& in = q.front();
        WireEvent& ev = io_.log[in.log_index];
        match::Judgement j = set.offer(i, in, ignore);
        const Waiting& w = waiting[j.which];
        current_ = w.step->where.str();
        if (j.outcome == match::Outcome::ignored) {
          ev.note = "ignored";
        } else if (j.outcome == match::Outcome::matched || j.outcome == match::Outcome::too_early) {
          ev.note = "matched";
          ev.step = w.trace;
          trace_[static_cast<std::size_t>(w.trace)].t_ms = in.t_ms;
          if (j.failed()) {
            ev.highlight = true;
            reject(w.trace, j);
          }
          trace_[static_cast<std::size_t>(w.trace)].status = StepStatus::ok;
          match::Captures c = match::capture(in.msg, w.expect->capture);
          for (const auto& [var, v] : c.values) vars_.set(vars_.text(var), v);
          if (!c.error.empty()) throw Failure{c.error, {}, current_, false};
          matched_at = std::max(matched_at, in.t_ms);
        } else {
          ev.highlight = true;
          ev.note = "unexpected";
          reject(w.trace, j);
        }
        q.pop_front();
      }
    }
    return set.all_done();
  }

  void nothing(const Step& st, const NothingStep& s) {
    std::vector<Peer*> ps;
    Json at = vars_.resolve(s.at);
    if (at == "all") {
      for (auto& p : server_->peers()) ps.push_back(&p);
    } else if (at.is_array()) {
      for (const auto& n : at) ps.push_back(&peer(n));
    } else {
      ps.push_back(&peer(at));
    }
    match::Silence silence;
    for (const auto& t : s.types) silence.types.insert(t.name());
    silence.ignore = ignore_;
    silence.start_ms = io_.now_ms();
    silence.end_ms = silence.start_ms + scale(vars_.number(s.during));
    int idx = trace(st, "nothing", ps.size() == 1 ? ps[0]->name : "", "", false);
    auto check = [&]() -> bool {
      poll_adapter();
      for (Peer* p : ps)
        for (Channel ch : {Channel::mm, Channel::sm}) {
          if (s.channel && *s.channel != ch) continue;
          for (const Inbound& in : queue(*p, ch))
            if (auto j = match::breaks_silence(in, p->name, silence)) {
              io_.log[in.log_index].highlight = true;
              io_.log[in.log_index].note = "unexpected";
              reject(idx, *j);
            }
        }
      return false;
    };
    pump(silence.end_ms, check);
    check();
    last_ = io_.now_ms();
  }

  // ---- time ----

  double scale(double ms) const { return ms * cfg_.time_scale; }
  double upper(double w) const {
    double s = scale(w);
    return s + scale(cfg_.pixit.tolerance_ms) + s * cfg_.pixit.tolerance_pct / 100.0;
  }
  double lower_bound(double a) const {
    double s = scale(a);
    return std::max(0.0, s - scale(cfg_.pixit.tolerance_ms) - s * cfg_.pixit.tolerance_pct / 100.0);
  }

  template <class Pred>
  bool pump(double deadline_ms, Pred pred) {
    while (!pred()) {
      double now = io_.now_ms();
      if (now >= deadline_ms) {
        late_ = std::max(late_, now - deadline_ms);
        return false;
      }
      double step =
          std::min(deadline_ms - now, 20.0);  // the adapter's events come by the same loop
      io_.io.run_one_for(std::chrono::microseconds(static_cast<long long>(step * 1000) + 1));
    }
    return true;
  }

  const TestPurpose& tp_;
  const RunConfig& cfg_;
  const Setup& setup_;
  CaseIo io_;
  std::unique_ptr<TesterServer> server_;
  std::unique_ptr<Adapter> adapter_;
  std::vector<bool> used_;
  std::size_t checked_ = 0;
  Vars vars_;
  std::set<std::string> ignore_;
  std::vector<TraceEntry> trace_;
  std::string current_;
  double last_ = 0, late_ = 0;
  std::size_t top_ = 0;
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
