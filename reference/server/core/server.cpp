// The public face of the core: forwarding, the transmit and event queues, ID drawing,
// read-only views.
#include <algorithm>
#include <cassert>

#include "impl.hpp"

namespace gmp::server {

Server::Server(Config config, std::unique_ptr<Random> random)
    : impl_(std::make_unique<Impl>(std::move(config), std::move(random))) {}
Server::~Server() {}  // Impl is complete here

void Server::handle_sm_opened(ConnId c, Ipv4, Time) {
  ++impl_->ctr.connections_opened;
  if (impl_->conns.size() >= impl_->cfg.max_connections) {  // profile 7: bound connections
    ++impl_->ctr.connections_refused;
    impl_->close(c);
    return;
  }
  impl_->conns.insert(c.value);
}

void Server::handle_sm_closed(ConnId c, Time) { impl_->on_connection_closed(c); }

void Server::handle_framing_error(ConnId c, DecodeError e, Time) {
  impl_->decode_error(e);
  impl_->close(c);  // profile 1
}

void Server::handle_write_overflow(ConnId c, Time) {
  impl_->discard(Discard::write_overflow);
  impl_->close(c);
}

void Server::handle_sm(ConnId c, Ipv4 peer, const SmMessage& m, Time now) {
  impl_->on_sm(c, peer, m, now);
}
void Server::handle_mm(Endpoint from, const MmMessage& m, Time now) {
  impl_->on_mm(from, m, now);
}
void Server::handle_mm_oversize(Time) { impl_->discard(Discard::oversize); }

void Server::handle_timeout(Time now) {
  auto& im = *impl_;
  while (auto due = im.deadlines.pop_due(now)) {
    if (due->first == detail::DeadlineQueue::pending) {
      im.on_pending_expired(due->second);
    } else if (Session* s = im.find_session(due->second)) {
      im.on_session_timer(*s, now);
    }
  }
}

std::optional<Time> Server::next_deadline() const { return impl_->deadlines.next(); }

void Server::shutdown(Time) { impl_->shutdown(); }

std::optional<Transmit> Server::poll_transmit() {
  auto& im = *impl_;
  if (im.out_pos >= im.out.size()) {
    im.out.clear();
    im.out_pos = 0;
    im.refill(256);
    if (im.out.empty()) return std::nullopt;
  }
  return std::move(im.out[im.out_pos++]);
}

std::optional<Event> Server::poll_event() {
  auto& ev = impl_->events;
  if (ev.empty()) return std::nullopt;
  Event e = std::move(ev.front());
  ev.pop_front();
  return e;
}

std::vector<Transmit> Server::take_transmits() {
  std::vector<Transmit> result;
  while (auto t = poll_transmit()) result.push_back(std::move(*t));
  return result;
}

void Server::set_decision_hooks(const DecisionHooks& hooks) { impl_->hooks = hooks; }

const Counters& Server::counters() const { return impl_->ctr; }
const Config& Server::config() const { return impl_->cfg; }
std::uint64_t Server::state_version() const { return impl_->version; }
std::size_t Server::pending_count() const { return impl_->pending.size(); }

static SessionView view_of(const Session& s) {
  SessionView v;
  v.id = s.id;
  v.name = s.name;
  v.info = s.info;
  v.media = s.media;
  v.app = s.app;
  v.owner = s.owner;
  v.mode = s.mode;
  v.secure = s.secure;
  v.group = s.group;
  v.group_port = s.group_port;
  v.ka_period = s.ka_period;
  v.ka_timeout = s.ka_timeout;
  v.miss_limit = s.miss_limit;
  v.start_time = s.start_time;
  v.end_time = s.end_time;
  v.round = s.round;
  v.key_epoch = s.epoch;
  v.registered = s.by_state[static_cast<std::size_t>(MemberState::registered)];
  v.joined = s.by_state[static_cast<std::size_t>(MemberState::joined)];
  v.active = s.by_state[static_cast<std::size_t>(MemberState::active)];
  return v;
}

std::vector<SessionView> Server::sessions() const {
  std::vector<SessionView> out;
  for (const auto& [id, s] : impl_->sessions) out.push_back(view_of(*s));
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
  return out;
}

std::optional<SessionView> Server::session(SessionId id) const {
  auto it = impl_->sessions.find(id.value);
  if (it == impl_->sessions.end()) return std::nullopt;
  return view_of(*it->second);
}

static MemberView member_view(const Session& s, const Member* m) {
  MemberView v;
  v.user = m->user;
  v.name = std::string(s.members.name(*m));
  v.type = m->type;
  v.state = m->state;
  v.polled = m->polled;
  if (m->bound) v.mm = Server::Impl::mm_address(*m);
  v.key_epoch = m->key_epoch;
  v.misses = m->misses;
  return v;
}

std::optional<MemberView> Server::member(SessionId sid, UserId u) const {
  auto it = impl_->sessions.find(sid.value);
  if (it == impl_->sessions.end()) return std::nullopt;
  const Member* m = it->second->members.find(u);
  if (!m) return std::nullopt;
  return member_view(*it->second, m);
}

std::vector<MemberView> Server::members(SessionId sid) const {
  std::vector<MemberView> out;
  auto it = impl_->sessions.find(sid.value);
  if (it == impl_->sessions.end()) return out;
  for (const Member& m : it->second->members.all()) out.push_back(member_view(*it->second, &m));
  return out;
}

std::size_t Server::member_memory_bytes() const {
  std::size_t total = 0;
  for (const auto& [id, s] : impl_->sessions) total += s->members.heap_bytes();
  return total;
}

// ---- Impl helpers

void Server::Impl::send_sm(ConnId c, SmMessage m) {
  ++ctr.sm_out[static_cast<std::size_t>(m.type) & 15];
  out.emplace_back(SendSm{c, std::move(m)});
}

void Server::Impl::send_mm(Endpoint to, MmMessage m) {
  ++ctr.mm_out[static_cast<std::size_t>(m.type) & 15];
  out.emplace_back(SendMm{to, std::move(m)});
}

void Server::Impl::close(ConnId c) { out.emplace_back(CloseConn{c}); }

build::MmContext Server::Impl::context(const Session& s) {
  build::MmContext c;
  c.session = s.id;
  c.mode = s.mode;
  c.group_port = s.group_port;
  c.group_address = s.group;
  c.ka_period = s.ka_period;
  c.ka_timeout = s.ka_timeout;
  return c;
}

// Profile 2 [P]: IDs drawn at random among the unused non-zero values, not sequentially.
std::uint16_t Server::Impl::draw_id(const std::function<bool(std::uint16_t)>& used,
                                    std::uint16_t& sequential) {
  if (!hooks.random_ids) {
    for (int i = 0; i < 65536; ++i) {
      if (++sequential == 0) sequential = 1;
      if (!used(sequential)) return sequential;
    }
    return 0;
  }
  for (int i = 0; i < 64; ++i) {
    const auto v = static_cast<std::uint16_t>(rng->next_u64());
    if (v != 0 && !used(v)) return v;
  }
  // Dense table: scan from a random start (bounded; callers keep one value free).
  auto v = static_cast<std::uint16_t>(rng->next_u64());
  for (int i = 0; i < 65536; ++i, ++v)
    if (v != 0 && !used(v)) return v;
  return 0;
}

Session* Server::Impl::find_session(SessionId id) {
  auto it = sessions.find(id.value);
  return it == sessions.end() ? nullptr : it->second.get();
}

Member& Server::Impl::add_member(Session& s, UserId u, std::string_view name, MemberType type,
                                 Ipv4 sm_ip) {
  Member& m = s.members.add(u, name, type, sm_ip);
  ++members_total;
  ++s.by_state[static_cast<std::size_t>(MemberState::registered)];
  return m;
}

Server::Impl::Climb Server::Impl::climb(const Member& m, detail::LadderInput in, bool enforce) {
  Discard refusal = Discard::wrong_state;
  if (auto step = detail::ladder_step(m.state, m.polled, in, &refusal)) return Climb{true, step};
  if (enforce) {
    discard(refusal);  // profile 7: not allowed in this state
    return Climb{false, std::nullopt};
  }
  return Climb{true, detail::ladder_row(m.state, in)};
}

void Server::Impl::apply(Session& s, Member& m, const detail::LadderStep& step) {
  if (m.state != step.to) {
    --s.by_state[static_cast<std::size_t>(m.state)];
    ++s.by_state[static_cast<std::size_t>(step.to)];
    m.state = step.to;
    changed();
  }
  if (step.polled == detail::Polled::set && !m.polled) {
    m.polled = true;  // judged from the next round on (profile 6.1)
    m.polled_since = s.round;
    m.misses = 0;
    changed();
  } else if (step.polled == detail::Polled::clear) {
    m.polled = false;
  }
  check_invariants(s, m);
}

void Server::Impl::check_invariants([[maybe_unused]] const Session& s,
                                    [[maybe_unused]] const Member& m) const {
#ifndef NDEBUG
  std::size_t by_state = 0;
  for (auto n : s.by_state) by_state += n;
  assert(by_state == s.members.size() && "members by state add up to the member count");
  assert((!m.polled || m.bound || !hooks.bind_mm_address) && "a polled member has an MM address");
  assert((m.key_epoch == 0 || m.key_epoch == s.epoch || epoch_newer(s.epoch, m.key_epoch)) &&
         "a member never holds a key newer than the session's");
#endif
}

}  // namespace gmp::server
