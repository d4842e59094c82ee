// The steps both suites play alike (player.hpp). What a received message means is decided by
// match/expect.hpp; this file does the waiting, the variables, the trace and the wire log notes.
#include "player.hpp"

#include <algorithm>
#include <chrono>

#include "matcher.hpp"

namespace conform::play {

Player::Player(const TestPurpose& tp, const RunConfig& cfg, const Json& extra, double slice_ms,
               long long max_repeat)
    : tp_(tp), cfg_(cfg), slice_ms_(slice_ms), max_repeat_(max_repeat) {
  for (const auto& [k, v] : cfg.pixit.values.items()) vars_.set(k, v);
  for (const auto& [k, v] : extra.items()) vars_.set(k, v);
  vars_.set("id", tp.id);
  vars_.set("mode", "open");
  vars_.set("secure", false);
  for (const auto& t : tp.ignore) ignore_.insert(t.name());
}

void Player::judge(CaseResult& r, const std::function<void()>& body) {
  try {
    body();
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
}

void Player::play_all() {
  for (top_ = 0; top_ < tp_.steps.size(); ++top_) play(tp_.steps[top_]);
}

void Player::finish(CaseResult& r) {
  r.lateness_ms = late_;
  r.log = std::move(io_.log);
  r.trace = std::move(trace_);
}

void Player::conclude(CaseResult& r, const Failure& f) const {
  r.verdict = Verdict::fail;
  r.reason = f.reason;
  r.details = f.details;
  r.where = f.where;
  r.rests_on = f.authority;
  if (f.timing && late_ > cfg_.pixit.late_ms) {
    r.verdict = Verdict::inconc;
    r.tester_late = true;
    r.reason = "tester was late by " + std::to_string(static_cast<int>(late_)) +
               " ms; timing failure not conclusive: " + f.reason;
  }
}

void Player::fail(std::string reason, std::vector<std::string> details, bool timing) {
  // A violation a standing check already saw in the same message decides first, so that the
  // verdict (and the section it rests on) does not depend on which judgement ran first.
  on_wake();
  throw Failure{std::move(reason), std::move(details), current_, timing, std::nullopt};
}

void Player::reject(int trace_index, const match::Judgement& j) {
  trace_[static_cast<std::size_t>(trace_index)].status = StepStatus::fail;
  fail(j.reason, j.details, j.timing);
}

double Player::upper(double w) const {
  double s = scale(w);
  return s + scale(cfg_.pixit.tolerance_ms) + s * cfg_.pixit.tolerance_pct / 100.0;
}

double Player::lower_bound(double a) const {
  double s = scale(a);
  return std::max(0.0, s - scale(cfg_.pixit.tolerance_ms) - s * cfg_.pixit.tolerance_pct / 100.0);
}

double Player::deadline(const std::optional<Expr>& within) const {
  return last_ + upper(vars_.number(within ? *within : Json(cfg_.pixit.window_ms)));
}

bool Player::pump(double deadline_ms, const std::function<bool()>& pred) {
  on_wake();
  while (!pred()) {
    on_wake();
    double now = io_.now_ms();
    if (now >= deadline_ms) {
      late_ = std::max(late_, now - deadline_ms);
      return false;
    }
    double step = std::min(deadline_ms - now, slice_ms_);
    io_.io.run_one_for(std::chrono::microseconds(static_cast<long long>(step * 1000) + 1));
  }
  on_wake();
  return true;
}

void Player::idle(double deadline_ms) {
  pump(deadline_ms, [&] {
    poll();
    return false;
  });
}

int Player::trace(const Step& st, std::string kind, std::string lifeline, std::string type,
                  bool to_iut) {
  trace_.push_back({st.label, std::move(kind), std::move(lifeline), std::move(type), to_iut,
                    StepStatus::ok, st.where.str(), io_.now_ms()});
  return static_cast<int>(trace_.size()) - 1;
}

void Player::store(const std::vector<std::pair<Expr, std::string>>& what, const Json& msg) {
  match::Captures c = match::capture(msg, what);
  for (const auto& [var, v] : c.values) vars_.set(vars_.text(var), v);
  if (!c.error.empty()) fail(c.error);
}

std::vector<Queues> Player::queues_of(const Expr& at) {
  Json r = vars_.resolve(at);
  if (r == "all") return all_queues();
  std::vector<Queues> out;
  if (r.is_array()) {
    for (const auto& n : r) out.push_back(queues(n));
  } else {
    out.push_back(queues(r));
  }
  return out;
}

void Player::play(const Step& st) {
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
                 [&](const AdapterStep& a) { adapter(st, a); },
             },
             st.body);
}

void Player::wait(const Step& st, const WaitStep& s) {
  double end = io_.now_ms() + scale(vars_.number(s.ms));
  trace(st, "other", "", "wait " + vars_.text(s.ms) + " ms", true);
  idle(end);
  last_ = io_.now_ms();
}

void Player::set(const SetStep& s) {
  for (const auto& [k, v] : s.values) vars_.set(vars_.text(Json(k)), vars_.resolve(v));
  vars_.set("ka_ms", vars_.integer(Json("$ka_period * 100")));  // derived timer values
  vars_.set("kt_ms", vars_.integer(Json("$ka_timeout * 100")));
}

void Player::check(const CheckStep& s) {
  Json a = vars_.resolve(s.a), b = vars_.resolve(s.b);
  if (!compare(a, s.op, b)) fail("check failed: " + s.why, {"a = " + a.dump(), "b = " + b.dump()});
}

void Player::repeat(const RepeatStep& s) {
  long long n = vars_.integer(s.count);
  for (long long i = 1; i <= n && i <= max_repeat_; ++i) {
    vars_.set(s.var, i);
    for (const auto& st : s.body) play(st);
  }
}

/// `expect` (one step) and `unordered` (several): waits until every expectation is met,
/// judging each received message of their lanes in arrival order.
void Player::expect(const std::vector<const Step*>& subs) {
  match::ExpectSet set(last_);
  std::vector<Waiting> waiting;
  std::set<std::string> ignore = ignore_;
  for (const Step* s : subs) {
    const ExpectStep& e = std::get<ExpectStep>(s->body);
    Queues q = queues(e.at);
    match::Expectation x{{q.name, e.type.channel()},
                         e.type.name(),
                         vars_.resolve(e.match),
                         deadline(e.within),
                         e.after ? last_ + lower_bound(vars_.number(*e.after)) : -1,
                         false,
                         {}};
    for (const auto& t : e.ignore) ignore.insert(t.name());
    int idx = trace(*s, "expect", q.name, x.type, false);
    trace_[static_cast<std::size_t>(idx)].status = StepStatus::notrun;
    set.add(std::move(x));
    waiting.push_back({s, &e, q, idx});
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
bool Player::take_matches(match::ExpectSet& set, std::vector<Waiting>& waiting,
                          const std::set<std::string>& ignore, double& matched_at) {
  poll();
  for (std::size_t i = 0; i < set.size(); ++i) {
    auto& q = waiting[i].q[set[i].lane.channel];
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
        store(w.expect->capture, in.msg);
        matched_at = std::max(matched_at, in.t_ms);
        last_taken_[w.q.name + (set[i].lane.channel == Channel::sm ? "/sm" : "/mm")] = in.type();
      } else {
        // The close is not a message to point at; only the server suite queues one.
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

void Player::nothing(const Step& st, const NothingStep& s) {
  auto qs = queues_of(s.at);
  match::Silence silence;
  for (const auto& t : s.types) silence.types.insert(t.name());
  silence.ignore = ignore_;
  silence.start_ms = io_.now_ms();
  silence.end_ms = silence.start_ms + scale(vars_.number(s.during));
  int idx = trace(st, "nothing", qs.size() == 1 ? qs[0].name : "", "", false);
  auto check = [&]() -> bool {
    poll();
    for (const Queues& q : qs)
      for (Channel ch : {Channel::mm, Channel::sm}) {
        if (s.channel && *s.channel != ch) continue;
        // Left queued: a later step may expect them (ignorable ones are skipped there).
        for (const Inbound& in : q[ch])
          if (auto j = match::breaks_silence(in, q.name, silence)) {
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
  after_nothing(qs);
  last_ = io_.now_ms();
}

void Player::unexplained(const std::vector<Queues>& qs, const std::string& when, const std::string& dir) {
  for (const Queues& q : qs)
    for (Channel ch : {Channel::sm, Channel::mm})
      for (const Inbound& in : q[ch]) {
        if (in.auto_answered || (!in.closed && ignore_.count(in.type())) || excused(q.name, in)) continue;
        WireEvent& ev = io_.log[in.log_index];
        ev.highlight = true;
        ev.note = "unexplained";
        auto last = last_taken_.find(q.name + (ch == Channel::sm ? "/sm" : "/mm"));
        fail("unexpected " + in.type() + " " + dir + " " + q.name +
                 (last != last_taken_.end() ? " after " + last->second : std::string()) + " " + when,
             {"no step consumed it and the purpose does not ignore it",
              "observed: " + (in.closed ? in.type() : plain(in.msg).dump())});
      }
}

}  // namespace conform::play
