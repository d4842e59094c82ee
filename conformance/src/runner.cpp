// The step interpreter. Windows: `within` W gives a deadline of W*scale plus the tolerance
// (absolute + percent, profile-independent, packetdrill style); `after` A gives an earliest
// arrival of A*scale minus the tolerance. A timing failure while the tester itself was late
// (its wake-ups overran by more than PIXIT late_ms) is inconclusive, not a fail.
#include "runner.hpp"

#include <algorithm>
#include <cctype>
#include <set>

#include <gmp/types.hpp>

#include "lifeline.hpp"
#include "matcher.hpp"
#include "msgbuild.hpp"
#include "vars.hpp"

namespace conform {

namespace {

struct Outcome {
  Verdict verdict;
  std::string reason;
  std::vector<std::string> details;
  std::string where;
  bool timing = false;
};

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

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
    ignore_.insert(tp.ignore.begin(), tp.ignore.end());
  }

  void run(CaseResult& r) {
    try {
      for (const auto& d : tp_.lifelines) {
        std::string addr = d.address.empty() ? "" : vars_.text(Json(d.address));
        auto l = std::make_unique<Lifeline>(io_, d.name, d.role, addr);
        std::string cname = d.client_name.empty() ? lower(d.name) : vars_.text(Json(d.client_name));
        vars_.set(d.name + ".name", vars_.text(Json("$name_prefix")) + cname);
        vars_.set(d.name + ".mm_port", l->mm_port());
        lines_[d.name] = std::move(l);
      }
      for (top_ = 0; top_ < tp_.steps.size(); ++top_) step(tp_.steps[top_]);
      r.verdict = Verdict::pass;
    } catch (const Outcome& o) {
      r.verdict = o.verdict;
      r.reason = o.reason;
      r.details = o.details;
      r.where = o.where;
      if (o.verdict == Verdict::fail && o.timing && late_ > cfg_.pixit.late_ms) {
        r.verdict = Verdict::inconc;
        r.reason = "tester was late by " + std::to_string(static_cast<int>(late_)) +
                   " ms; timing failure not conclusive: " + o.reason;
      }
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
    teardown();
    for (auto& [n, l] : lines_) l->close_tcp();
    lines_.clear();
    r.lateness_ms = late_;
    r.log = std::move(io_.log);
    r.trace = std::move(trace_);
  }

 private:
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
    auto add = [&](const Step& st) {
      if (st.kind != StepKind::send && st.kind != StepKind::expect && st.kind != StepKind::closed) return;
      bool send = st.kind == StepKind::send;
      std::string who = st.args.value(send ? "from" : "at", std::string());
      if (!who.empty() && who[0] == '$') return;
      std::string type = st.args.value("type", std::string(send ? "raw" : "close"));
      trace_.push_back({st.label, send ? "send" : st.kind == StepKind::closed ? "closed" : "expect", who, type,
                        send, "notrun", st.where.str(), 0});
    };
    for (std::size_t i = top_ + 1; i < tp_.steps.size(); ++i) {
      add(tp_.steps[i]);
      for (const auto& sub : tp_.steps[i].sub) add(sub);
    }
  }

  [[noreturn]] void fail(std::string reason, std::vector<std::string> details = {}, bool timing = false) {
    throw Outcome{Verdict::fail, std::move(reason), std::move(details), current_, timing};
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

  /// Runs the io_context until `pred` holds or `deadline_ms` passes; false on timeout.
  template <class Pred>
  bool pump(double deadline_ms, Pred pred) {
    while (!pred()) {
      double now = io_.now_ms();
      if (now >= deadline_ms) {
        late_ = std::max(late_, now - deadline_ms);
        return false;
      }
      io_.io.run_one_for(std::chrono::microseconds(static_cast<long long>((deadline_ms - now) * 1000) + 1));
    }
    return true;
  }

  Lifeline& line(const Json& name) {
    std::string n = vars_.text(name);
    auto it = lines_.find(n);
    if (it == lines_.end()) throw ScenarioError("no lifeline '" + n + "'");
    return *it->second;
  }

  int trace(const Step& st, std::string kind, std::string lifeline, std::string type, bool to_server) {
    trace_.push_back({st.label, std::move(kind), std::move(lifeline), std::move(type), to_server, "ok",
                      st.where.str(), io_.now_ms()});
    return static_cast<int>(trace_.size()) - 1;
  }

  void steps(const std::vector<Step>& list) {
    for (const auto& st : list) step(st);
  }

  void step(const Step& st) {
    current_ = st.where.str();
    switch (st.kind) {
      case StepKind::send: return send(st);
      case StepKind::expect: return expect({&st});
      case StepKind::unordered: {
        std::vector<const Step*> subs;
        for (const auto& s : st.sub) subs.push_back(&s);
        return expect(subs);
      }
      case StepKind::nothing: return nothing(st);
      case StepKind::closed: return closed(st);
      case StepKind::mute:
      case StepKind::unmute:
        line(st.args).muted = st.kind == StepKind::mute;
        trace(st, "other", vars_.text(st.args), (st.kind == StepKind::mute ? "mute " : "unmute ") + vars_.text(st.args), true);
        return;
      case StepKind::close:
        line(st.args).close_tcp();
        trace(st, "other", vars_.text(st.args), "close TCP", true);
        last_ = io_.now_ms();
        return;
      case StepKind::wait: {
        double end = io_.now_ms() + scale(vars_.number(st.args));
        trace(st, "other", "", "wait " + vars_.text(st.args) + " ms", true);
        pump(end, [] { return false; });
        last_ = io_.now_ms();
        return;
      }
      case StepKind::set:
        for (const auto& [k, v] : st.args.items()) {
          Json r = vars_.resolve(v);
          if (r.is_string() && !r.get<std::string>().empty() && r.get<std::string>()[0] == '=')
            r = vars_.integer(Json(r.get<std::string>().substr(1)));  // "= expression"
          vars_.set(vars_.text(Json(k)), r);
        }
        vars_.set("ka_ms", vars_.integer(Json("$ka_period * 100")));  // derived timer values
        vars_.set("kt_ms", vars_.integer(Json("$ka_timeout * 100")));
        return;
      case StepKind::check: {
        Json a = vars_.resolve(st.args["a"]), b = vars_.resolve(st.args.value("b", Json()));
        std::string op = st.args["op"];
        if (!compare(a, op, b))
          fail("check failed: " + st.args.value("why", std::string("a ") + op + " b"),
               {"a = " + a.dump(), "b = " + b.dump()});
        return;
      }
      case StepKind::repeat: {
        long long n = vars_.integer(st.args.value("count", Json(1)));
        std::string var = st.args.value("var", "i");
        for (long long i = 1; i <= n && i <= 100000; ++i) {
          vars_.set(var, i);
          steps(st.sub);
        }
        return;
      }
    }
  }

  void send(const Step& st) {
    Json a = vars_.resolve(st.args);
    Lifeline& l = line(a["from"]);
    SendDefaults d;
    d.session = vars_.has("session") ? vars_.get("session") : Json();
    d.user = vars_.has(l.name() + ".user") ? vars_.get(l.name() + ".user") : Json();
    d.mode = vars_.text(Json("$mode"));
    d.secure = vars_.number(vars_.get("secure")) != 0;
    d.role = l.role();
    d.client_name = vars_.text(vars_.get(l.name() + ".name"));
    d.mm_port = l.mm_port();
    Outgoing o = build_outgoing(a, d);
    std::string type = a.contains("type") ? a["type"].get<std::string>() : "raw";
    int idx = trace(st, "send", l.name(), type, true);
    if (o.tcp) l.send_tcp(o.bytes, o.prefixed, idx);
    else l.send_udp(o.bytes, a.value("alt_port", false), idx);
    last_ = io_.now_ms();
  }

  struct Pending {
    const Step* st;
    Lifeline* l;
    bool sm;
    std::string type;
    Json match, capture;
    double deadline, earliest;
    bool done = false;
    int idx = -1;
    std::vector<std::string> near;  // why the last message of the right type did not match
  };

  void expect(const std::vector<const Step*>& subs) {
    std::vector<Pending> ps;
    std::set<std::string> ign = ignore_;
    for (const Step* s : subs) {
      Pending p{s, &line(s->args["at"]), true, vars_.text(s->args["type"]), Json::object(), Json::object(), 0, 0, false, -1, {}};
      p.sm = gmp::parse_sm_type(p.type).has_value();  // else an MM type (the loader checked)
      if (s->args.contains("match")) p.match = vars_.resolve(s->args["match"]);
      if (s->args.contains("capture")) p.capture = s->args["capture"];
      p.deadline = last_ + upper(vars_.number(s->args.value("within", Json(cfg_.pixit.window_ms))));
      p.earliest = s->args.contains("after") ? last_ + lower_bound(vars_.number(s->args["after"])) : -1;
      for (const auto& t : s->args.value("ignore", Json::array())) ign.insert(t.get<std::string>());
      p.idx = trace(*s, "expect", p.l->name(), p.type, false);
      trace_[static_cast<std::size_t>(p.idx)].status = "notrun";
      ps.push_back(std::move(p));
    }
    double matched_at = last_;
    auto scan = [&]() -> bool {
      for (auto& p : ps) {
        if (p.done) continue;
        auto& q = p.sm ? p.l->sm_in : p.l->mm_in;
        while (!q.empty() && !p.done) {
          Inbound& in = q.front();
          WireEvent& ev = io_.log[in.log_index];
          current_ = p.st->where.str();
          if (in.closed) {
            trace_[static_cast<std::size_t>(p.idx)].status = "fail";
            fail("the server closed " + p.l->name() + "'s connection while " + p.type + " was expected");
          }
          std::string type = in.msg.value("type", "?");
          Pending* hit = nullptr;
          for (auto& c : ps)
            if (!c.done && c.l == p.l && c.sm == p.sm && c.type == type) {
              auto mm = mismatches(in.msg, c.match);
              if (!in.msg["error"].is_null()) mm.push_back("error: the message is invalid: " + in.msg["error"].dump());
              if (mm.empty()) { hit = &c; break; }
              c.near = mm;
            }
          if (hit) {
            current_ = hit->st->where.str();
            ev.note = "matched";
            ev.step = hit->idx;
            hit->done = true;
            trace_[static_cast<std::size_t>(hit->idx)].status = "ok";
            trace_[static_cast<std::size_t>(hit->idx)].t_ms = in.t_ms;
            if (in.t_ms < hit->earliest) {
              trace_[static_cast<std::size_t>(hit->idx)].status = "fail";
              ev.highlight = true;
              fail(type + " arrived too early", {"expected not before " + std::to_string(static_cast<int>(hit->earliest - last_)) +
                   " ms, observed after " + std::to_string(static_cast<int>(in.t_ms - last_)) + " ms"}, true);
            }
            for (const auto& [var, path] : hit->capture.items()) {
              Json v = lookup(in.msg, path.get<std::string>());
              if (v.is_null()) fail("cannot capture " + path.get<std::string>() + ": absent from " + type);
              vars_.set(vars_.text(Json(var)), v);
            }
            matched_at = std::max(matched_at, in.t_ms);
            q.pop_front();
          } else if (ign.count(type)) {
            ev.note = "ignored";
            q.pop_front();
          } else {
            ev.highlight = true;
            ev.note = "unexpected";
            for (auto& c : ps)
              if (!c.done && c.l == p.l && c.sm == p.sm && c.type == type) {
                trace_[static_cast<std::size_t>(c.idx)].status = "fail";
                current_ = c.st->where.str();
                std::vector<std::string> det = c.near;
                det.insert(det.begin(), "observed: " + plain(in.msg).dump());
                fail(type + " at " + c.l->name() + " does not match", det);
              }
            trace_[static_cast<std::size_t>(p.idx)].status = "fail";
            fail("unexpected " + type + " at " + p.l->name() + " while " + p.type + " was expected",
                 {"expected: " + p.type + " " + p.match.dump(), "observed: " + plain(in.msg).dump()});
          }
        }
      }
      return std::all_of(ps.begin(), ps.end(), [](const Pending& p) { return p.done; });
    };
    for (;;) {
      double next = 1e300;
      for (const auto& p : ps)
        if (!p.done) next = std::min(next, p.deadline);
      if (pump(next, scan)) break;
      if (scan()) break;
      for (auto& p : ps)
        if (!p.done && io_.now_ms() >= p.deadline) {
          current_ = p.st->where.str();
          trace_[static_cast<std::size_t>(p.idx)].status = "fail";
          std::vector<std::string> det{"expected: " + p.type + " " + p.match.dump() + " within " +
                                       std::to_string(static_cast<int>(p.deadline - last_)) + " ms"};
          if (p.near.empty()) det.push_back("observed: nothing");
          for (const auto& n : p.near) det.push_back("last " + p.type + " seen: " + n);
          fail("no " + p.type + " at " + p.l->name() + " in time", det, true);
        }
    }
    last_ = matched_at;
  }

  std::vector<Lifeline*> lines_of(const Json& at) {
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

  void nothing(const Step& st) {
    auto ls = lines_of(st.args.value("at", Json("all")));
    std::set<std::string> types;
    for (const auto& t : st.args.value("types", Json::array())) types.insert(vars_.text(t));
    std::string channel = st.args.value("channel", "");
    double start = io_.now_ms(), end = start + scale(vars_.number(st.args["during"]));
    int idx = trace(st, "nothing", ls.size() == 1 ? ls[0]->name() : "", "", false);
    auto check = [&]() -> bool {
      for (Lifeline* l : ls)
        for (int sm = 0; sm < 2; ++sm) {
          if ((channel == "sm" && !sm) || (channel == "mm" && sm)) continue;
          auto& q = sm ? l->sm_in : l->mm_in;
          for (auto it = q.begin(); it != q.end();) {
            std::string type = it->closed ? "(connection closed)" : it->msg.value("type", "?");
            bool violation = types.empty() ? !ignore_.count(type) : types.count(type) > 0;
            if (violation) {
              WireEvent& ev = io_.log[it->log_index];
              ev.highlight = true;
              ev.note = "unexpected";
              trace_[static_cast<std::size_t>(idx)].status = "fail";
              fail("unexpected " + type + " at " + l->name() + " where nothing was expected",
                   {"expected: no " + (types.empty() ? std::string("message") : Json(types).dump()) +
                        " for " + std::to_string(static_cast<int>(end - start)) + " ms",
                    "observed after " + std::to_string(static_cast<int>(it->t_ms - start)) + " ms: " +
                        (it->closed ? type : plain(it->msg).dump())});
            }
            ++it;  // left queued: a later step may expect it (ignorable ones are skipped there)
          }
        }
      return false;
    };
    pump(end, check);
    check();
    last_ = io_.now_ms();
  }

  void closed(const Step& st) {
    Lifeline& l = line(st.args["at"]);
    double deadline = last_ + upper(vars_.number(st.args.value("within", Json(cfg_.pixit.window_ms))));
    int idx = trace(st, "closed", l.name(), "close", false);
    auto check = [&]() -> bool {
      while (!l.sm_in.empty()) {
        Inbound& in = l.sm_in.front();
        if (in.closed) return true;
        io_.log[in.log_index].highlight = true;
        trace_[static_cast<std::size_t>(idx)].status = "fail";
        fail("the server answered " + in.msg.value("type", "?") + " instead of closing the connection",
             {"observed: " + plain(in.msg).dump()});
      }
      return false;
    };
    if (!pump(deadline, check)) {
      trace_[static_cast<std::size_t>(idx)].status = "fail";
      fail("the server did not close " + l.name() + "'s connection in time",
           {"expected: connection closed within " + std::to_string(static_cast<int>(deadline - last_)) + " ms",
            "observed: still open"}, true);
    }
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
