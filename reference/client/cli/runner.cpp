// The scripted mode's interpreter (docs/client.md, "Script language" and "Events").
#include "gmp/client/runner.hpp"

#include <utility>

#include "gmp/client/event_json.hpp"

namespace gmp::client {

namespace {

/// The field a `wait-for EVENT=VALUE` compares, by event name.
const char* primary_field(const std::string& event) {
  if (event == "state") return "to";
  if (event == "sent" || event == "received" || event == "unexpected") return "type";
  if (event == "key" || event == "key_ignored") return "epoch";
  if (event == "rejected") return "message";
  if (event == "ended") return "cause";
  if (event == "timeout") return "awaiting";
  if (event == "invalid") return "error";
  return nullptr;
}

std::string as_text(const nlohmann::json& v) {
  return v.is_string() ? v.get<std::string>() : v.dump();
}

}  // namespace

bool event_matches(const nlohmann::json& j, const std::string& event, const std::string& value) {
  if (j.value("event", "") != event) return false;
  if (value.empty()) return true;
  const char* field = primary_field(event);
  return field && j.contains(field) && as_text(j[field]) == value;
}

void EventHistory::push(nlohmann::json j) {
  const std::size_t n = j.dump().size();
  while (!events_.empty() && (events_.size() >= max_events_ || bytes_ + n > max_bytes_)) {
    bytes_ -= events_.front().bytes;
    events_.pop_front();
    ++dropped_;
    if (cursor > 0) --cursor;
  }
  bytes_ += n;
  events_.push_back(Kept{std::move(j), n});
}

Runner::Runner(asio::io_context& io, ServerEndpoints server, Options options, Sink sink,
               std::function<void(int)> on_done)
    : io_(io), server_(server), options_(options), sink_(std::move(sink)),
      on_done_(std::move(on_done)), start_(std::chrono::steady_clock::now()), timer_(io) {}

std::int64_t Runner::t_ms() const {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start_)
      .count();
}

void Runner::emit(nlohmann::json j) {
  j["t_ms"] = t_ms();
  if (sink_) sink_(j);
}

int Runner::exit_code() const { return first_failure_code_; }

const ClientCore* Runner::core(const std::string& name) const {
  auto it = memberships_.find(name);
  return it == memberships_.end() ? nullptr : &it->second.membership->core();
}

const std::vector<std::string>& Runner::adapter_commands() {
  static const std::vector<std::string> commands{"create", "register", "join",      "activate",
                                                 "members", "leave",   "terminate", "delete",
                                                 "mute",    "unmute"};
  return commands;
}

void Runner::push_line(const std::string& line) {
  const std::size_t line_no = ++lines_;
  std::string error;
  auto c = script::parse_line(line, line_no, error);
  if (c) return push(std::move(*c));
  if (error.empty()) return;  // blank or comment
  script::Command bad;  // reported in its turn, after the commands before it
  bad.line = line_no;
  bad.text = line;
  bad.verb = "!syntax";
  // A verb we do not know is a command this client cannot do: the adapter contract answers
  // it with `unsupported` (a later tester may send commands of a later contract version).
  std::vector<std::string> toks;
  std::string ignored;
  if (script::tokenize(line, toks, ignored) && !toks.empty() && !script::known_verb(toks[0])) {
    bad.verb = "!unsupported";
    bad.target = toks[0];
  }
  bad.words.push_back(error);
  push(std::move(bad));
}

void Runner::push(script::Command c) {
  if (done_) return;
  queue_.push_back(std::move(c));
  step();
}

void Runner::end_of_input() {
  input_ended_ = true;
  step();
}

void Runner::command_error(const script::Command& c, const std::string& why, int code) {
  nlohmann::json j{{"event", "error"}, {"command", c.text}, {"line", c.line}, {"why", why}};
  if (!c.target.empty()) j["membership"] = c.target;
  emit(std::move(j));
  ++failures_;
  if (first_failure_code_ == exit_code::ok) first_failure_code_ = code;
  if (options_.stop_on_failure) finish();
}

// Runs queued commands until one blocks (sleep, wait-for) or the queue is empty.
void Runner::step() {
  if (stepping_) return;  // a command's events may call back into step()
  stepping_ = true;
  while (!done_ && !busy_ && !queue_.empty()) {
    script::Command c = std::move(queue_.front());
    queue_.pop_front();
    execute(c);
  }
  stepping_ = false;
  if (!done_ && !busy_ && queue_.empty() && input_ended_) finish();
}

void Runner::finish() {
  if (done_) return;
  done_ = true;
  busy_ = false;
  timer_.cancel();
  for (auto& [name, e] : memberships_) e.membership->close();
  emit({{"event", "done"}, {"exit_code", first_failure_code_}});
  if (on_done_) on_done_(first_failure_code_);
}

bool Runner::resolve(const std::string& v, std::uint64_t max, std::uint64_t& out, std::string& why) const {
  if (!v.starts_with("@") && !v.starts_with("$")) {
    if (script::parse_number(v, max, out)) return true;
    why = "bad number '" + v + "'";
    return false;
  }
  // @NAME (its session ID), @NAME.session, @NAME.user, @NAME.epoch, @NAME.port ($ = @)
  std::string name = v.substr(1), field = "session";
  if (const auto dot = name.find('.'); dot != std::string::npos) {
    field = name.substr(dot + 1);
    name = name.substr(0, dot);
  }
  const ClientCore* c = core(name);
  if (!c) {
    why = "unknown membership '" + name + "' in " + v;
    return false;
  }
  if (field == "session") out = c->session().value;
  else if (field == "user") out = c->user().value;
  else if (field == "epoch") out = c->key_epoch();
  else if (field == "port") out = c->mm_port();
  else {
    why = "unknown field '" + field + "' in " + v + " (session, user, epoch, port)";
    return false;
  }
  if (out == 0 && field != "epoch") {
    why = v + " is not known yet (0)";
    return false;
  }
  return out <= max;
}

void Runner::execute(const script::Command& c) {
  if (c.verb == "!syntax") return command_error(c, c.words.at(0));
  if (c.verb == "!unsupported") {
    emit({{"event", "unsupported"}, {"command", c.target}, {"line", c.line}, {"why", c.words.at(0)}});
    ++failures_;  // a script with a misspelt command still fails (exit 3)
    if (first_failure_code_ == exit_code::ok) first_failure_code_ = exit_code::script;
    if (options_.stop_on_failure) finish();
    return;
  }
  if (c.verb == "quit") return finish();
  if (c.verb == "hello") {
    // The handshake (docs/client-adapter.md): we speak version 1 whatever the tester asked;
    // the tester decides whether it can work with that.
    emit({{"event", "hello"},
          {"adapter_version", adapter_version},
          {"implementation", options_.implementation},
          {"supports", adapter_commands()}});
    return;
  }
  if (c.verb == "sleep") {
    std::uint64_t ms = 0;
    std::string why;
    if (!resolve(c.words[0], 3600000, ms, why)) return command_error(c, "sleep: " + why);
    busy_ = true;
    timer_.expires_after(std::chrono::milliseconds(ms));
    timer_.async_wait([this](const std::error_code& ec) {
      if (ec || done_) return;
      busy_ = false;
      step();
    });
    return;
  }
  auto it = memberships_.find(c.target);
  if (c.verb == "create" || c.verb == "register") {
    if (it != memberships_.end()) return command_error(c, "membership '" + c.target + "' exists already");
    const Role role =
        c.verb == "create" || c.has_word("creator") ? Role::creator : Role::participant;
    const std::string name = c.target;
    Entry e(options_);
    auto make = options_.make_membership;
    if (!make) make = &Membership::make;
    e.membership = make(io_, server_, role, options_.timing,
                        [this, name](const Event& ev) { on_event(name, ev); });
    it = memberships_.emplace(name, std::move(e)).first;
  } else if (it == memberships_.end()) {
    return command_error(c, "no membership named '" + c.target + "'");
  }
  exec_membership(c, it->second);
  // A create / register refused before anything was sent leaves no membership behind.
  if ((c.verb == "create" || c.verb == "register") && it->second.membership->core().state() == State::idle) {
    it->second.membership->close();
    memberships_.erase(it);
  }
}

void Runner::exec_membership(const script::Command& c, Entry& e) {
  Membership& m = *e.membership;
  std::string why;
  if (c.verb == "create") {
    CreateParams p;
    if (!script::parse_create(c, p, why)) return command_error(c, why);
    m.create(p);
  } else if (c.verb == "register") {
    RegisterParams p;
    std::uint64_t s = 0;
    if (!resolve(*c.get("session"), 65535, s, why)) return command_error(c, "register: " + why);
    p.session = SessionId{static_cast<std::uint16_t>(s)};
    p.client_name = c.as;
    if (const auto* k = c.get("key"))
      if (!script::parse_access_key(*k, p.access_key))
        return command_error(c, "register: key=hex:... or key=text:... of 1..64 bytes expected");
    m.register_to(p);
  } else if (c.verb == "join") {
    m.join();
  } else if (c.verb == "activate") {
    std::uint64_t port = 0;
    if (const auto* v = c.get("port"); v && !resolve(*v, 65535, port, why))
      return command_error(c, "activate: " + why);
    m.activate(static_cast<std::uint16_t>(port));
  } else if (c.verb == "members") {
    m.request_members();
  } else if (c.verb == "leave") {
    if (c.has_word("if-participant") && m.core().member_type() != MemberType::participant) return;
    m.leave();
  } else if (c.verb == "terminate") {
    m.terminate();
  } else if (c.verb == "delete") {
    m.remove();
  } else if (c.verb == "mute" || c.verb == "unmute") {
    m.set_muted(c.verb == "mute");
    emit({{"event", "muted"}, {"membership", c.target}, {"muted", c.verb == "mute"}});
  } else if (c.verb == "wait-for") {
    std::uint64_t ms = static_cast<std::uint64_t>(options_.default_wait.count());
    if (const auto* v = c.get("timeout"); v && !resolve(*v, 3600000, ms, why))
      return command_error(c, "wait-for: " + why);
    Wait w;
    w.target = c.target;
    w.spec = c.words[0];
    const auto eq = w.spec.find('=');
    w.event = w.spec.substr(0, eq);
    if (eq != std::string::npos) w.value = w.spec.substr(eq + 1);
    wait_ = w;
    busy_ = true;
    if (check_wait()) return;
    timer_.expires_after(std::chrono::milliseconds(ms));
    timer_.async_wait([this](const std::error_code& ec) {
      if (ec || done_ || !wait_) return;
      finish_wait(false, "timed out");
    });
  }
}

void Runner::on_event(const std::string& name, const Event& ev) {
  auto it = memberships_.find(name);
  if (it == memberships_.end() || done_) return;
  Entry& e = it->second;
  nlohmann::json j = to_json(ev);
  j["membership"] = name;
  const ClientCore& core = e.membership->core();
  if (ev.kind == EventKind::state) {
    j["session_id"] = core.session().value;
    j["user_id"] = core.user().value;
    if (ev.to == State::registered || ev.to == State::joined) {
      j["mode"] = std::string(gmp::name(core.mode()));
      j["secure"] = core.secure();
      j["group"] = core.group_address().to_string() + ":" + std::to_string(core.group_port());
    }
    if (ev.to == State::activating) j["mm_port"] = core.mm_port();
  }
  // Problems remembered for the exit code of a failed wait (one-shot messages).
  if (ev.kind == EventKind::rejected) last_problem_ = exit_code::refused_base + static_cast<int>(ev.reason);
  if (ev.kind == EventKind::timeout || ev.kind == EventKind::error) last_problem_ = exit_code::no_answer;
  if (ev.kind == EventKind::ended) last_problem_ = exit_code::session_ended;
  e.history.push(j);
  emit(std::move(j));
  if (options_.stop_on_failure && (ev.kind == EventKind::rejected || ev.kind == EventKind::timeout ||
                                   ev.kind == EventKind::error)) {
    if (first_failure_code_ == exit_code::ok) first_failure_code_ = last_problem_;
    ++failures_;
    return finish();
  }
  if (wait_ && wait_->target == name) check_wait();
}

// Consumes the target's events since the last wait; true when the wait is over.
bool Runner::check_wait() {
  if (!wait_) return true;
  Entry& e = memberships_.at(wait_->target);
  for (auto& cursor = e.history.cursor; cursor < e.history.size(); ++cursor) {
    const nlohmann::json& j = e.history[cursor];
    if (event_matches(j, wait_->event, wait_->value)) {
      ++cursor;
      finish_wait(true, "");
      return true;
    }
    // The membership is over: what we wait for cannot come any more.
    if (j.value("event", "") == "state" && (j.value("to", "") == "failed" || j.value("to", "") == "ended")) {
      ++cursor;
      finish_wait(false, "the membership is " + j.value("to", std::string()));
      return true;
    }
  }
  return false;
}

void Runner::finish_wait(bool ok, const std::string& why) {
  const Wait w = *wait_;
  wait_.reset();
  timer_.cancel();
  nlohmann::json j{{"event", "wait"}, {"membership", w.target}, {"for", w.spec}, {"ok", ok}};
  if (!ok) j["why"] = why;
  emit(std::move(j));
  if (!ok) {
    ++failures_;
    if (first_failure_code_ == exit_code::ok)
      first_failure_code_ = options_.stop_on_failure && last_problem_ != exit_code::ok
                                ? last_problem_
                                : exit_code::wait_failed;
    if (options_.stop_on_failure) return finish();
  }
  // Resume the queue outside the event handler that ended the wait.
  asio::post(io_, [this] {
    busy_ = false;
    step();
  });
}

}  // namespace gmp::client
