// The step interpreter. Windows: `within` W gives a deadline of W*scale plus the tolerance
// (absolute + percent, profile-independent, packetdrill style); `after` A gives an earliest
// arrival of A*scale minus the tolerance. A timing failure while the tester itself was late
// (its wake-ups overran by more than PIXIT late_ms) is inconclusive, not a fail.
// What a received message means is decided by match/expect.hpp (pure); this file does the
// I/O, the variables, the trace and the wire log notes.
// Two rules hold in every case, whatever its steps: every message the tester receives passes
// the standing checks (match/standing.hpp), and no message is left unexplained: at each
// `nothing` step and when the steps are done (before teardown), a message still queued that no
// step consumed fails the case unless the purpose's `ignore` list names its type or it is a
// KAREQ the lifeline answered itself.
#include "runner.hpp"

#include <algorithm>
#include <cctype>
#include <set>

#include "lifeline.hpp"
#include "match/expect.hpp"
#include "match/standing.hpp"
#include "matcher.hpp"
#include "msgbuild.hpp"
#include "vars.hpp"

namespace conform {

namespace {

/// A failed step: thrown to end the case with verdict fail (or inconc, see conclude).
struct Failure {
  std::string reason;
  std::vector<std::string> details;
  std::string where;
  bool timing = false;
};

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

template <class... F>
struct overloaded : F... {
  using F::operator()...;
};

/// An expect step being waited for: where its matches go.
struct Waiting {
  const Step* step;
  const ExpectStep* expect;
  Lifeline* line;
  int trace;  // index in the trace
};

class CaseRun {
 public:
  CaseRun(const TestPurpose& tp, const RunConfig& cfg) : tp_(tp), cfg_(cfg), guard_(io_.io.get_executor()) {
    asio::error_code ec;
    io_.sm_server = {asio::ip::make_address(cfg.target.sm_host, ec), cfg.target.sm_port};
    io_.mm_server = {asio::ip::make_address(cfg.target.mm_host, ec), cfg.target.mm_port};
    for (const auto& [k, v] : cfg.pixit.values.items()) vars_.set(k, v);
    vars_.set("id", tp.id);
    vars_.set("mode", "open");
    vars_.set("secure", false);
    vars_.set("scinf_extra", Json::array());
    for (const auto& t : tp.ignore) ignore_.insert(t.name());
    io_.on_record = [this](std::size_t i) { observe(i); };
  }

  void run(CaseResult& r) {
    try {
      open_lifelines();
      for (top_ = 0; top_ < tp_.steps.size(); ++top_) play(tp_.steps[top_]);
      if (cfg_.before_send) leftovers(r);
      io_.io.poll();  // what has already arrived
      standing_check();
      unexplained(lines_of(Json("all")), "at the end of the case");
      r.verdict = Verdict::pass;
    } catch (const Failure& f) {
      conclude(r, f);
    } catch (const ScenarioError& e) {
      r.verdict = Verdict::error;
      r.reason = std::string("scenario error: ") + e.what();
      r.where = current_;
    } catch (const std::exception& e) {
      r.verdict = Verdict::error;
      r.reason = std::string("tester error: ") + e.what();
      r.where = current_;
    }
    if (r.verdict != Verdict::pass) not_run();
    judging_ = false;
    teardown();
    for (auto& [n, l] : lines_) l->close_tcp();
    lines_.clear();
    r.lateness_ms = late_;
    r.log = std::move(io_.log);
    r.trace = std::move(trace_);
  }

 private:
  void open_lifelines() {
    for (const auto& d : tp_.lifelines) {
      std::string addr = d.address.empty() ? "" : vars_.text(Json(d.address));
      auto l = std::make_unique<Lifeline>(io_, d.name, d.role, addr);
      std::string cname = d.client_name.empty() ? lower(d.name) : vars_.text(Json(d.client_name));
      vars_.set(d.name + ".name", vars_.text(Json("$name_prefix")) + cname);
      vars_.set(d.name + ".mm_port", l->mm_port());
      lines_[d.name] = std::move(l);
    }
  }

  /// What the lifelines received and no step took, after a short settle time (CaseResult).
  void leftovers(CaseResult& r) {
    pump(io_.now_ms() + 20, [] { return false; });
    for (auto& [n, l] : lines_)
      for (const auto* q : {&l->sm_in, &l->mm_in})
        for (const Inbound& in : *q)
          if (in.type() != "KAREQ") r.leftover.push_back(n + ": " + in.type());
  }

  /// fail; inconc when the failure is about timing and the tester itself was late.
  void conclude(CaseResult& r, const Failure& f) const {
    r.verdict = Verdict::fail;
    r.reason = f.reason;
    r.details = f.details;
    r.where = f.where;
    if (f.timing && late_ > cfg_.pixit.late_ms) {
      r.verdict = Verdict::inconc;
      r.reason = "tester was late by " + std::to_string(static_cast<int>(late_)) +
                 " ms; timing failure not conclusive: " + f.reason;
    }
  }

  /// Frees the case's session on the server (SDREQ from the creator) unless it already ended,
  /// so that server-wide limits see only live cases. Not part of the verdict.
  void teardown() {
    auto it = lines_.find("creator");
    if (!cfg_.teardown || it == lines_.end() || !vars_.has("session") || !vars_.has("creator.user")) return;
    for (const auto& e : io_.log) {
      std::string t = e.decoded.is_object() ? e.decoded.value("type", "") : "";
      if (!e.to_server && (t == "TRIND" || (t == "SDRES" && e.lifeline == "creator" &&
                                            e.decoded["opt"].value("REASON", -1) == 0)))
        return;
    }
    try {
      Json a = {{"from", "creator"}, {"type", "SDREQ"}};
      SendDefaults d;
      d.session = vars_.get("session");
      d.user = vars_.get("creator.user");
      d.role = "creator";
      Lifeline& l = *it->second;
      std::size_t mark = io_.log.size();
      l.send_tcp(build_outgoing(a, d).bytes, true, -1);
      io_.log[mark + (io_.log.size() > mark + 1 ? 1 : 0)].note = "teardown";
      pump(io_.now_ms() + 300, [&] { return !l.sm_in.empty() && (l.sm_in.back().closed ||
                                      l.sm_in.back().msg.value("type", "") == "SDRES"); });
    } catch (const std::exception&) {
    }
  }

  /// The expected side of the diagram also shows the steps a failure left unplayed.
  void not_run() {
    auto add = [&](const Step& st, const char* kind, const Expr& who, std::string type, bool send) {
      if (who.is_string() && !who.get<std::string>().empty() && who.get<std::string>()[0] == '$') return;
      trace_.push_back({st.label, kind, who.is_string() ? who.get<std::string>() : "", std::move(type), send,
                        StepStatus::notrun, st.where.str(), 0});
    };
    auto visible = [&](const Step& st) {
      if (auto s = st.as<SendStep>()) add(st, "send", s->from, s->type ? s->type->name() : "raw", true);
      if (auto e = st.as<ExpectStep>()) add(st, "expect", e->at, e->type.name(), false);
      if (auto c = st.as<ClosedStep>()) add(st, "closed", c->at, "close", false);
    };
    for (std::size_t i = top_ + 1; i < tp_.steps.size(); ++i) {
      const Step& st = tp_.steps[i];
      visible(st);
      if (auto u = st.as<UnorderedStep>())
        for (const auto& sub : u->expects) visible(sub);
      if (auto r = st.as<RepeatStep>())
        for (const auto& sub : r->body) visible(sub);
    }
  }

  [[noreturn]] void fail(std::string reason, std::vector<std::string> details = {}, bool timing = false) {
    throw Failure{std::move(reason), std::move(details), current_, timing};
  }

  /// Hands a recorded message to the standing checks; the first violation ends the case at
  /// the next standing_check (the I/O callbacks themselves never throw).
  void observe(std::size_t i) {
    const WireEvent& e = io_.log[i];
    if (e.kind != WireKind::data || !e.decoded.is_object() || e.anomaly) return;
    match::Seen seen{e.lifeline, e.to_server, e.tcp, e.local.port, &e.decoded, e.message, e.t_ms};
    auto v = standing_.observe(seen);
    if (v && judging_ && !violation_) violation_ = {*v, i};
  }

  void standing_check() {
    if (!violation_ || !judging_) return;
    auto [v, i] = *violation_;
    io_.log[i].highlight = true;
    io_.log[i].note = "standing check";
    fail(v.reason, {"field: " + v.field, "observed: " + plain(io_.log[i].decoded).dump(),
                    "standing check, profile section " + v.section},
         v.timing);
  }

  /// Nothing unexplained: a message still queued at `ls` that no step consumed fails the case.
  void unexplained(const std::vector<Lifeline*>& ls, const std::string& when) {
    for (Lifeline* l : ls)
      for (Channel ch : {Channel::sm, Channel::mm})
        for (const Inbound& in : queue(*l, ch)) {
          if (in.auto_answered || (!in.closed && ignore_.count(in.type()))) continue;
          WireEvent& ev = io_.log[in.log_index];
          ev.highlight = true;
          ev.note = "unexplained";
          auto last = last_taken_.find(l->name() + (ch == Channel::sm ? "/sm" : "/mm"));
          fail("unexpected " + in.type() + " to " + l->name() +
                   (last != last_taken_.end() ? " after " + last->second : std::string()) + " " + when,
               {"no step consumed it and the purpose does not ignore it",
                "observed: " + (in.closed ? in.type() : plain(in.msg).dump())});
        }
  }

  /// Marks the step's trace entry failed and ends the case with the judgement.
  [[noreturn]] void reject(int trace_index, const match::Judgement& j) {
    trace_[static_cast<std::size_t>(trace_index)].status = StepStatus::fail;
    fail(j.reason, j.details, j.timing);
  }

  double scale(double ms) const { return ms * cfg_.time_scale; }
  double upper(double w) const {
    double s = scale(w);
    return s + scale(cfg_.pixit.tolerance_ms) + s * cfg_.pixit.tolerance_pct / 100.0;
  }
  double lower_bound(double a) const {
    double s = scale(a);
    return std::max(0.0, s - scale(cfg_.pixit.tolerance_ms) - s * cfg_.pixit.tolerance_pct / 100.0);
  }
  /// The absolute deadline of a `within` window counted from the previous step.
  double deadline(const std::optional<Expr>& within) const {
    return last_ + upper(vars_.number(within ? *within : Json(cfg_.pixit.window_ms)));
  }

  /// Runs the io_context until `pred` holds or `deadline_ms` passes; false on timeout.
  template <class Pred>
  bool pump(double deadline_ms, Pred pred) {
    standing_check();
    while (!pred()) {
      standing_check();
      double now = io_.now_ms();
      if (now >= deadline_ms) {
        late_ = std::max(late_, now - deadline_ms);
        return false;
      }
      io_.io.run_one_for(std::chrono::microseconds(static_cast<long long>((deadline_ms - now) * 1000) + 1));
    }
    standing_check();
    return true;
  }

  Lifeline& line(const Expr& name) {
    std::string n = vars_.text(name);
    auto it = lines_.find(n);
    if (it == lines_.end()) throw ScenarioError("no lifeline '" + n + "'");
    return *it->second;
  }

  std::deque<Inbound>& queue(Lifeline& l, Channel ch) { return ch == Channel::sm ? l.sm_in : l.mm_in; }

  int trace(const Step& st, std::string kind, std::string lifeline, std::string type, bool to_server) {
    trace_.push_back({st.label, std::move(kind), std::move(lifeline), std::move(type), to_server, StepStatus::ok,
                      st.where.str(), io_.now_ms()});
    return static_cast<int>(trace_.size()) - 1;
  }

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
                   [&](const MuteStep& s) { mute(st, s); },
                   [&](const CloseStep& s) { close(st, s); },
                   [&](const WaitStep& s) { wait(st, s); },
                   [&](const SetStep& s) { set(s); },
                   [&](const CheckStep& s) { check(s); },
                   [&](const RepeatStep& s) { repeat(s); },
                   [&](const AdapterStep&) { throw ScenarioError("adapter steps belong to client purposes (GMP/CLI)"); },
               },
               st.body);
  }

  void mute(const Step& st, const MuteStep& s) {
    line(s.who).muted = s.mute;
    trace(st, "other", vars_.text(s.who), (s.mute ? "mute " : "unmute ") + vars_.text(s.who), true);
  }

  void close(const Step& st, const CloseStep& s) {
    line(s.who).close_tcp();
    trace(st, "other", vars_.text(s.who), "close TCP", true);
    last_ = io_.now_ms();
  }

  void wait(const Step& st, const WaitStep& s) {
    double end = io_.now_ms() + scale(vars_.number(s.ms));
    trace(st, "other", "", "wait " + vars_.text(s.ms) + " ms", true);
    pump(end, [] { return false; });
    last_ = io_.now_ms();
  }

  void set(const SetStep& s) {
    for (const auto& [k, v] : s.values) {
      Json r = vars_.resolve(v);
      if (r.is_string() && !r.get<std::string>().empty() && r.get<std::string>()[0] == '=')
        r = vars_.integer(Json(r.get<std::string>().substr(1)));  // "= expression"
      vars_.set(vars_.text(Json(k)), r);
    }
    vars_.set("ka_ms", vars_.integer(Json("$ka_period * 100")));  // derived timer values
    vars_.set("kt_ms", vars_.integer(Json("$ka_timeout * 100")));
  }

  void check(const CheckStep& s) {
    Json a = vars_.resolve(s.a), b = vars_.resolve(s.b);
    if (!compare(a, s.op, b)) fail("check failed: " + s.why, {"a = " + a.dump(), "b = " + b.dump()});
  }

  void repeat(const RepeatStep& s) {
    long long n = vars_.integer(s.count);
    for (long long i = 1; i <= n && i <= 100000; ++i) {
      vars_.set(s.var, i);
      for (const auto& st : s.body) play(st);
    }
  }

  SendDefaults defaults_for(const Lifeline& l) const {
    SendDefaults d;
    d.session = vars_.has("session") ? vars_.get("session") : Json();
    d.user = vars_.has(l.name() + ".user") ? vars_.get(l.name() + ".user") : Json();
    d.mode = vars_.text(Json("$mode"));
    d.secure = vars_.number(vars_.get("secure")) != 0;
    d.role = l.role();
    d.client_name = vars_.text(vars_.get(l.name() + ".name"));
    d.mm_port = l.mm_port();
    return d;
  }

  void send(const Step& st, const SendStep& s) {
    Json a = vars_.resolve(s.fields);
    Lifeline& l = line(a["from"]);
    Outgoing o = build_outgoing(a, defaults_for(l));
    if (cfg_.before_send && s.form == SendStep::Form::typed) {
      SendHook h{typed_sends_++, st.where.str(), l, o, s.alt_port};
      if (std::string why = cfg_.before_send(h); !why.empty()) fail(why);
    }
    int idx = trace(st, "send", l.name(), s.type ? s.type->name() : "raw", true);
    if (o.tcp) l.send_tcp(o.bytes, o.prefixed, idx);
    else l.send_udp(o.bytes, s.alt_port, idx);
    last_ = io_.now_ms();
  }

  /// `expect` (one step) and `unordered` (several): waits until every expectation is met,
  /// judging each received message of their lanes in arrival order.
  void expect(const std::vector<const Step*>& subs) {
    match::ExpectSet set(last_);
    std::vector<Waiting> waiting;
    std::set<std::string> ignore = ignore_;
    for (const Step* s : subs) {
      const ExpectStep& e = std::get<ExpectStep>(s->body);
      Lifeline& l = line(e.at);
      match::Expectation x{{l.name(), e.type.channel()}, e.type.name(), vars_.resolve(e.match), deadline(e.within),
                           e.after ? last_ + lower_bound(vars_.number(*e.after)) : -1, false, {}};
      for (const auto& t : e.ignore) ignore.insert(t.name());
      int idx = trace(*s, "expect", l.name(), x.type, false);
      trace_[static_cast<std::size_t>(idx)].status = StepStatus::notrun;
      set.add(std::move(x));
      waiting.push_back({s, &e, &l, idx});
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

  /// Offers the head of each pending expectation's lane until it is met or the lane is
  /// empty; true when every expectation is met.
  bool take_matches(match::ExpectSet& set, std::vector<Waiting>& waiting, const std::set<std::string>& ignore,
                    double& matched_at) {
    for (std::size_t i = 0; i < set.size(); ++i) {
      auto& q = queue(*waiting[i].line, set[i].lane.channel);
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
          store(*w.expect, in.msg);
          matched_at = std::max(matched_at, in.t_ms);
          last_taken_[w.line->name() + (set[i].lane.channel == Channel::sm ? "/sm" : "/mm")] = in.type();
        } else {
          if (j.outcome != match::Outcome::closed) {
            ev.highlight = true;
            ev.note = "unexpected";
          }
          reject(w.trace, j);
        }
        q.pop_front();
      }
    }
    return set.all_done();
  }

  /// The expect step's captures into variables.
  void store(const ExpectStep& e, const Json& msg) {
    match::Captures c = match::capture(msg, e.capture);
    for (const auto& [var, v] : c.values) vars_.set(vars_.text(var), v);
    if (!c.error.empty()) fail(c.error);
  }

  std::vector<Lifeline*> lines_of(const Expr& at) {
    std::vector<Lifeline*> out;
    Json r = vars_.resolve(at);
    if (r == "all") {
      for (auto& [n, l] : lines_) out.push_back(l.get());
    } else if (r.is_array()) {
      for (const auto& n : r) out.push_back(&line(n));
    } else {
      out.push_back(&line(r));
    }
    return out;
  }

  void nothing(const Step& st, const NothingStep& s) {
    auto ls = lines_of(s.at);
    match::Silence silence;
    for (const auto& t : s.types) silence.types.insert(t.name());
    silence.ignore = ignore_;
    silence.start_ms = io_.now_ms();
    silence.end_ms = silence.start_ms + scale(vars_.number(s.during));
    int idx = trace(st, "nothing", ls.size() == 1 ? ls[0]->name() : "", "", false);
    auto check = [&]() -> bool {
      for (Lifeline* l : ls)
        for (Channel ch : {Channel::mm, Channel::sm}) {
          if (s.channel && *s.channel != ch) continue;
          // Left queued: a later step may expect them (ignorable ones are skipped there).
          for (const Inbound& in : queue(*l, ch))
            if (auto j = match::breaks_silence(in, l->name(), silence)) {
              WireEvent& ev = io_.log[in.log_index];
              ev.highlight = true;
              ev.note = "unexpected";
              reject(idx, *j);
            }
        }
      return false;
    };
    pump(silence.end_ms, check);
    check();
    standing_check();
    unexplained(ls, "at a nothing step");
    last_ = io_.now_ms();
  }

  void closed(const Step& st, const ClosedStep& s) {
    Lifeline& l = line(s.at);
    double end = deadline(s.within);
    int idx = trace(st, "closed", l.name(), "close", false);
    auto check = [&]() -> bool {
      if (l.sm_in.empty()) return false;
      const Inbound& in = l.sm_in.front();
      match::Judgement j = match::awaiting_close(in);
      if (!j.failed()) return true;
      io_.log[in.log_index].highlight = true;
      reject(idx, j);
    };
    if (!pump(end, check)) reject(idx, match::not_closed(l.name(), end - last_));
    l.sm_in.pop_front();
    last_ = io_.now_ms();
  }

  const TestPurpose& tp_;
  const RunConfig& cfg_;
  CaseIo io_;
  asio::executor_work_guard<asio::io_context::executor_type> guard_;
  std::map<std::string, std::unique_ptr<Lifeline>> lines_;
  Vars vars_;
  std::set<std::string> ignore_;
  std::vector<TraceEntry> trace_;
  std::string current_;
  double last_ = 0;
  double late_ = 0;
  std::size_t top_ = 0;  // index of the top-level step being played
  match::Standing standing_{scale(cfg_.pixit.tolerance_ms)};
  std::optional<std::pair<match::Violation, std::size_t>> violation_;  // the first, and its event
  bool judging_ = true;  // false during teardown
  std::map<std::string, std::string> last_taken_;  // "lifeline/sm" -> type of the last message consumed
  std::size_t typed_sends_ = 0;  // SendHook::index
};

}  // namespace

CaseResult run_case(const TestPurpose& tp, const RunConfig& cfg) {
  CaseResult r;
  r.tp = &tp;
  auto t0 = Clock::now();
  CaseRun run(tp, cfg);
  run.run(r);
  r.duration_ms = std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
  return r;
}

}  // namespace conform
