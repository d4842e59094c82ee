// The step interpreter of the server suite: the tester plays the clients, one lifeline each.
// The wire steps, their windows and the inconclusive rule are shared with the client suite
// (play/player.hpp); this file adds the lifelines' I/O and two rules that hold in every case,
// whatever its steps: every message the tester receives passes the standing checks
// (match/standing.hpp), and no message is left unexplained: at each `nothing` step and when
// the steps are done (before teardown), a message still queued that no step consumed fails the
// case unless the purpose's `ignore` list names its type or it is a KAREQ the lifeline
// answered itself.
#include "runner.hpp"

#include <cctype>
#include <limits>

#include "lifeline.hpp"
#include "match/standing.hpp"
#include "match/watch.hpp"
#include "matcher.hpp"
#include "msgbuild.hpp"
#include "play/player.hpp"

namespace conform {

namespace {

constexpr double end_settle_ms = 20;  // see CaseRun::run

using play::Queues;

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

class CaseRun : public play::Player {
 public:
  // One wait of the I/O loop may last until the deadline: only the lifelines' sockets wake us.
  CaseRun(const TestPurpose& tp, const RunConfig& cfg)
      : Player(tp, cfg, Json::object(), std::numeric_limits<double>::infinity(), 100000),
        guard_(io_.io.get_executor()) {
    asio::error_code ec;
    io_.sm_server = {asio::ip::make_address(cfg.target.sm_host, ec), cfg.target.sm_port};
    io_.mm_server = {asio::ip::make_address(cfg.target.mm_host, ec), cfg.target.mm_port};
    vars_.set("scinf_extra", Json::array());
    io_.on_record = [this](std::size_t i) { standing_.observe(io_.log, i, judging_); };
  }

  void run(CaseResult& r) {
    judge(r, [&] {
      open_lifelines();
      play_all();
      // A short settle: what the server sent right behind the last message a step took (an
      // extra SRRES after SRACC) is judged too, rather than lost to the end of the case.
      idle(io_.now_ms() + end_settle_ms);
      if (cfg_.before_send) leftovers(r);
      standing_check();
      unexplained(all_queues(), "at the end of the case");
    });
    if (r.verdict != Verdict::pass) not_run();
    judging_ = false;
    teardown();
    for (auto& [n, l] : lines_) l->close_tcp();
    lines_.clear();
    finish(r);
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

  /// What the lifelines received and no step took (CaseResult), after the end-of-case settle.
  void leftovers(CaseResult& r) {
    for (auto& [n, l] : lines_)
      for (const auto* q : {&l->sm_in, &l->mm_in})
        for (const Inbound& in : *q)
          if (in.type() != "KAREQ") r.leftover.push_back(n + ": " + in.type());
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
      pump(io_.now_ms() + 300, [&] {
        return !l.sm_in.empty() && (l.sm_in.back().closed || l.sm_in.back().msg.value("type", "") == "SDRES");
      });
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

  void standing_check() {
    if (!judging_) return;
    if (auto f = standing_.due(io_.log))
      throw play::Failure{f->reason, f->details, current_, f->timing, Authority{{"P" + f->section}}};
  }

  // ---- the hooks of play::Player ----

  /// The standing checks judge every message as it arrives; a violation ends the case at the
  /// first wake-up after it.
  void on_wake() override { standing_check(); }

  /// After a quiet `nothing` window, nothing unexplained may remain queued at its lifelines.
  void after_nothing(const std::vector<Queues>& qs) override {
    standing_check();
    unexplained(qs, "at a nothing step");
  }

  Lifeline& line(const Expr& name) {
    std::string n = vars_.text(name);
    auto it = lines_.find(n);
    if (it == lines_.end()) throw ScenarioError("no lifeline '" + n + "'");
    return *it->second;
  }

  static Queues queues_of_line(Lifeline& l) { return {l.name(), &l.sm_in, &l.mm_in}; }
  Queues queues(const Expr& name) override { return queues_of_line(line(name)); }
  std::vector<Queues> all_queues() override {
    std::vector<Queues> out;
    for (auto& [n, l] : lines_) out.push_back(queues_of_line(*l));
    return out;
  }

  void adapter(const Step&, const AdapterStep&) override {
    throw ScenarioError("adapter steps belong to client purposes (GMP/CLI)");
  }

  // ---- the steps with the lifelines' I/O ----

  void mute(const Step& st, const MuteStep& s) override {
    line(s.who).muted = s.mute;
    trace(st, "other", vars_.text(s.who), (s.mute ? "mute " : "unmute ") + vars_.text(s.who), true);
  }

  void close(const Step& st, const CloseStep& s) override {
    line(s.who).close_tcp();
    trace(st, "other", vars_.text(s.who), "close TCP", true);
    last_ = io_.now_ms();
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

  void send(const Step& st, const SendStep& s) override {
    Json a = vars_.resolve(s.fields);
    Lifeline& l = line(a["from"]);
    Outgoing o = build_outgoing(a, defaults_for(l));
    if (cfg_.before_send && s.form == SendStep::Form::typed) {
      SendHook h{typed_sends_++, st.where.str(), o, s.alt_port, [&](const std::vector<std::uint8_t>& b) {
                   if (o.tcp) l.send_tcp(b, true, -1, true);
                   else l.send_udp(b, s.alt_port, -1, true);
                 }};
      if (std::string why = cfg_.before_send(h); !why.empty()) fail(why);
    }
    int idx = trace(st, "send", l.name(), s.type ? s.type->name() : "raw", true);
    if (o.tcp) l.send_tcp(o.bytes, o.prefixed, idx);
    else l.send_udp(o.bytes, s.alt_port, idx);
    last_ = io_.now_ms();
  }

  void closed(const Step& st, const ClosedStep& s) override {
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

  asio::executor_work_guard<asio::io_context::executor_type> guard_;
  std::map<std::string, std::unique_ptr<Lifeline>> lines_;
  match::Watch<match::Standing> standing_{scale(cfg_.pixit.tolerance_ms)};
  bool judging_ = true;  // false during teardown
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
