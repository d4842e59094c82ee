// ClientCore: commands, output queues, timers. SM answers are in core_sm.cpp, the MM
// algorithm (Figure 14) in core_mm.cpp.
#include "gmp/client/core.hpp"

#include <utility>

namespace gmp::client {

ClientCore::ClientCore(Role role, Timing timing) : role_(role), timing_(timing) {
  if (timing_.uireq_tries < 1) timing_.uireq_tries = 1;
  if (timing_.trreq_tries < 1) timing_.trreq_tries = 1;
}

// ---------------------------------------------------------------- helpers

bool ClientCore::report(Channel c, std::span<const std::uint8_t> raw, const DecodeResult& r) {
  Event e;
  e.kind = r ? EventKind::received : EventKind::invalid;
  e.channel = c;
  e.raw.assign(raw.begin(), raw.end());
  if (!r) {
    e.error = static_cast<DecodeError>(r.error.value());
    e.detail = std::string(error_name(e.error));
  }
  emit(std::move(e));
  return r.ok();
}

void ClientCore::emit(Event e) {
  if (events_.size() >= max_queued_events) {  // bounded: the caller is not draining
    events_.pop_front();
    ++dropped_events_;
  }
  events_.push_back(std::move(e));
}

void ClientCore::error(std::string detail) {
  Event e;
  e.kind = EventKind::error;
  e.detail = std::move(detail);
  emit(std::move(e));
}

void ClientCore::unexpected(Channel c, std::span<const std::uint8_t> raw, std::string why) {
  Event e;
  e.kind = EventKind::unexpected;
  e.channel = c;
  e.raw.assign(raw.begin(), raw.end());
  e.detail = std::move(why);
  emit(std::move(e));
}

void ClientCore::transmit(Channel c, std::vector<std::uint8_t> bytes) {
  Event e;
  e.kind = EventKind::sent;
  e.channel = c;
  e.raw = bytes;
  emit(std::move(e));
  transmits_.push_back(Transmit{c, std::move(bytes)});
}

void ClientCore::send_sm(const SmMessage& m, std::optional<SmType> awaited, Time now) {
  transmit(Channel::sm, encode(m));
  if (awaited) {
    awaited_ = awaited;
    sm_deadline_ = now + timing_.sm_answer;
  }
}

void ClientCore::send_mm(const MmMessage& m) { transmit(Channel::mm, encode(m)); }

MemberType ClientCore::my_type() const {
  if (server_type_) return *server_type_;
  return role_ == Role::creator ? MemberType::creator : MemberType::participant;
}

void ClientCore::end_session(Input in, const char* cause) {
  polled_ = false;
  // An answer still awaited cannot change anything now, except SDRES (TRIND comes first).
  if (awaited_ && *awaited_ != SmType::SDREQ) awaited_.reset();
  uireq_sent_ = 0;
  trreq_sent_ = 0;
  Event e;
  e.kind = EventKind::ended;
  e.detail = cause;
  emit(std::move(e));
  apply(in);
}

// ---------------------------------------------------------------- commands

void ClientCore::create(const CreateParams& p, Time now) {
  if (role_ != Role::creator) return error("create: this membership is a participant");
  if (!allowed(Input::create))
    return refuse_command("create: already used (state " + std::string(name(state_)) + ")");
  create_ = p;
  secure_ = p.secure;
  mode_ = p.closed ? Mode::closed : Mode::open;
  send_sm(build::screq(p.client_name, p.secure), SmType::SCREQ, now);  // Figure 4
  apply(Input::create);
}

void ClientCore::register_to(const RegisterParams& p, Time now) {
  // A creator membership may register too: with the creator's own name it re-attaches to a
  // session it created earlier (profile 5.3: registration is idempotent, same user ID).
  if (!allowed(Input::register_to))
    return refuse_command("register: already registered or registering (state " +
                          std::string(name(state_)) + ")");
  if (p.session.value == 0) return error("register: session ID 0");
  session_ = p.session;
  user_ = {};
  SmMessage m = build::srreq(p.session, p.client_name);  // Figures 6-8
  if (!p.access_key.empty()) m.options.push_back(opt::AccessKey{p.access_key});
  send_sm(m, SmType::SRREQ, now);
  apply(Input::register_to);
}

void ClientCore::join(Time now) {
  if (awaited_) return error("join: busy, waiting for the answer to " + std::string(name(*awaited_)));
  if (!allowed(Input::join))
    return refuse_command("join: not registered (state " + std::string(name(state_)) + ")");
  before_join_ = state_;
  send_sm(build::sjreq(session_, user_), SmType::SJREQ, now);  // Figure 9
  apply(Input::join);
}

void ClientCore::activate(std::uint16_t mm_port, Time now) {
  (void)now;
  if (!allowed(Input::activate))
    return refuse_command("activate: not joined (state " + std::string(name(state_)) + ")");
  if (mm_port == 0) return error("activate: MM port 0");
  mm_port_ = mm_port;
  polled_ = true;
  send_sm(build::sareq(session_, user_, mm_port), std::nullopt, now);  // Figures 10, 11: no answer
  apply(Input::activate);
}

void ClientCore::request_members(Time now) {
  if (!allowed(Input::members))
    return refuse_command("members: not active (state " + std::string(name(state_)) + ")");
  uireq_sent_ = 0;
  parts_count_ = 0;
  send_uireq(now);  // Figure 18
}

void ClientCore::send_uireq(Time now) {
  parts_count_ = 0;  // each UIREQ gets a fresh list (profile 6.4: the parts are sent at once)
  parts_seen_.clear();
  parts_members_.clear();
  parts_member_count_.reset();
  ++uireq_sent_;
  uireq_deadline_ = now + timing_.uireq_retry;
  send_mm(build::uireq(session_, user_, my_type(), mode_));
}

void ClientCore::leave(Time now) {
  (void)now;
  if (!allowed(Input::leave))  // activating or active: polled (profile 6.1)
    return refuse_command("leave: not polled (state " + std::string(name(state_)) + ")");
  send_mm(build::lvreq(session_, user_, my_type(), mode_));  // Figures 19, 20: no answer
  polled_ = false;
  uireq_sent_ = 0;
  apply(Input::leave);  // profile 6.5: active -> joined, no longer polled
}

void ClientCore::terminate(Time now) {
  if (role_ != Role::creator) return error("terminate: only the creator may send TRREQ");
  static constexpr const char* no_mm = "terminate: no MM address announced yet (activate first)";
  if (!allowed(Input::terminate)) return refuse_command(no_mm);
  if (mm_port_ == 0) return error(no_mm);  // joined but never activated
  trreq_sent_ = 0;
  send_trreq(now);  // Figure 21
}

void ClientCore::send_trreq(Time now) {
  ++trreq_sent_;
  trreq_deadline_ = now + timing_.trreq_retry;
  send_mm(build::trreq(session_, user_, mode_));
}

void ClientCore::remove(Time now) {
  if (role_ != Role::creator) return error("delete: only the creator may delete (SDREQ)");
  if (awaited_) return error("delete: busy, waiting for the answer to " + std::string(name(*awaited_)));
  if (!allowed(Input::remove))
    return refuse_command("delete: no session (state " + std::string(name(state_)) + ")");
  send_sm(build::sdreq(session_, user_), SmType::SDREQ, now);
}

// ---------------------------------------------------------------- timers

std::optional<Time> ClientCore::next_deadline() const {
  std::optional<Time> d;
  auto consider = [&d](Time t) {
    if (!d || t < *d) d = t;
  };
  if (awaited_) consider(sm_deadline_);
  if (uireq_sent_ > 0) consider(uireq_deadline_);
  if (trreq_sent_ > 0) consider(trreq_deadline_);
  if (comeback_at_ && state_ == State::active && polled_) consider(*comeback_at_);
  return d;
}

void ClientCore::handle_timeout(Time now) {
  auto timed_out = [this](std::string what) {
    Event e;
    e.kind = EventKind::timeout;
    e.detail = std::move(what);
    emit(std::move(e));
  };
  if (awaited_ && now >= sm_deadline_) {
    timed_out("answer to " + std::string(name(*awaited_)));
    abandon_sm_request();
  }
  if (uireq_sent_ > 0 && now >= uireq_deadline_) {
    if (uireq_sent_ < timing_.uireq_tries && state_ == State::active) {
      send_uireq(now);  // retransmission on timeout (bounded)
    } else {
      uireq_sent_ = 0;
      timed_out("UIRES");
    }
  }
  if (trreq_sent_ > 0 && now >= trreq_deadline_) {
    if (trreq_sent_ < timing_.trreq_tries) {
      send_trreq(now);  // clause 7.2.4: TRREQ until TRIND (bounded)
    } else {
      trreq_sent_ = 0;
      timed_out("TRIND");
    }
  }
  come_back(now);  // profile 6.1 [P]: silent too long while active
}

/// An SM request that will get no answer (timeout, connection closed): back to a state that
/// does not claim anything the server has not confirmed.
void ClientCore::abandon_sm_request() {
  const SmType t = *awaited_;
  awaited_.reset();
  // SCREQ, SCINF, SRREQ -> failed; SJREQ -> back to where it was sent from; SDREQ: nothing
  // changed.
  if (t != SmType::SDREQ) apply(Input::answer_lost);
}

void ClientCore::handle_sm_closed(Time now) {
  (void)now;
  if (awaited_) {
    error("SM connection closed while waiting for the answer to " + std::string(name(*awaited_)));
    abandon_sm_request();
  }  // otherwise nothing was lost: the shell reports why the link went down
}

// ---------------------------------------------------------------- output

std::optional<Transmit> ClientCore::poll_transmit() {
  if (transmits_.empty()) return std::nullopt;
  Transmit t = std::move(transmits_.front());
  transmits_.pop_front();
  return t;
}

std::optional<Event> ClientCore::poll_event() {
  if (events_.empty()) return std::nullopt;
  Event e = std::move(events_.front());
  events_.pop_front();
  return e;
}

}  // namespace gmp::client
