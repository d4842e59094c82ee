// Session creation, profile 5.1 (clause 7.1.1): Figure 4 (SCREQ -> SCACC -> SCINF -> SCCON)
// and Figure 5 (SCREJ for SCREQ, SCREJ 5 for SCINF).
#include <algorithm>
#include <array>

#include "impl.hpp"

namespace gmp::server {

// Figures 4 and 5, first half: SCREQ -> SCACC or SCREJ.
void Server::Impl::on_screq(ConnId c, Ipv4 peer, const SmMessage& m, Time now) {
  const auto* name = find<opt::ClientName>(m.options);
  if (!name) {
    decode_error(DecodeError::missing_required_option);
    return;
  }
  // Profile 5.1 step 2: refusals checked in this order: 2, 3 (with S = 1), 1.
  const bool not_allowed =
      !cfg.allow_creators.empty() && std::find(cfg.allow_creators.begin(), cfg.allow_creators.end(),
                                               name->value) == cfg.allow_creators.end();
  const bool no_secure = m.secure && !cfg.secure_supported;
  const std::size_t limit = std::min<std::size_t>(cfg.max_sessions, 65535);
  const auto mine = std::count_if(pending.begin(), pending.end(),
                                  [c](const auto& kv) { return kv.second.conn == c; });
  const bool full = sessions.size() + pending.size() >= limit ||
                    static_cast<std::size_t>(mine) >= cfg.max_pending_per_connection;

  auto failed = [&](Reason r) {
    return r == Reason::not_authorised ? not_allowed
           : r == Reason::secure_unsupported ? no_secure
                                             : full;
  };
  for (const Reason reason : hooks.screq_refusal_order) {
    if (!failed(reason)) continue;
    if (reason == Reason::resources) ++ctr.limit_rejections;
    // Clause 7.3: S = 1 in the SCREJ that refuses secure mode.
    send_sm(c, build::screj(reason, reason == Reason::secure_unsupported));
    return;
  }

  Pending p;
  p.id = SessionId{draw_id([this](std::uint16_t v) { return sessions.count(v) || pending.count(v); },
                              seq_session)};
  p.creator = UserId{draw_id([](std::uint16_t) { return false; }, seq_user)};
  p.name = name->value;
  p.ip = peer;
  p.conn = c;
  p.secure = m.secure;
  p.expires = now + cfg.pending_timeout;
  if (hooks.pending_expires) deadlines.set(detail::DeadlineQueue::pending, p.id, p.expires);
  SmMessage acc = build::scacc(p.id, p.creator, m.secure);
  pending.emplace(p.id.value, std::move(p));
  send_sm(c, std::move(acc));
}

// Figure 4 second half (SCINF -> SCCON) and Figure 5 (SCINF -> SCREJ 5).
void Server::Impl::on_scinf(ConnId c, Ipv4, const SmMessage& m, Time now) {
  auto it = pending.find(m.session.value);
  if (it == pending.end()) {
    discard(sessions.count(m.session.value) ? Discard::wrong_state : Discard::unknown_session);
    return;
  }
  Pending& p = it->second;
  if (m.user != p.creator) {
    discard(Discard::unknown_user);
    return;
  }
  if (c != p.conn) {  // profile 5.1 step 3: on the same connection
    discard(Discard::wrong_connection);
    return;
  }
  const auto* name = find<opt::SessionName>(m.options);
  const opt::Keepalive ka = find<opt::Keepalive>(m.options) ? *find<opt::Keepalive>(m.options)
                                                             : opt::Keepalive{};
  const auto allow = find_all<opt::Allow>(m.options);
  const auto* key = find<opt::AccessKey>(m.options);
  // Profile 5.1 step 4 [P]: what makes an SCINF unacceptable.
  const bool bad = !name || name->value.empty() || ka.period.value == 0 ||
                   ka.timeout.value == 0 || ka.timeout > ka.period || ka.miss_limit == 0 ||
                   (m.closed && allow.empty() && !key) || m.secure != p.secure;
  if (bad) {
    if (!hooks.refuse_bad_scinf) return;  // silence: the creation stays pending
    send_sm(c, build::screj(Reason::invalid_request, false));
    deadlines.clear(detail::DeadlineQueue::pending, p.id);
    pending.erase(it);
    return;
  }

  auto s = std::make_unique<Session>();
  s->id = p.id;
  s->name = name->value;
  if (const auto* o = find<opt::SessionInfo>(m.options)) s->info = o->value;
  if (const auto* o = find<opt::OwnerInfo>(m.options)) s->owner = o->value;
  if (const auto* o = find<opt::MediaInfo>(m.options)) s->media = o->value;
  if (const auto* o = find<opt::AppInfo>(m.options)) s->app = o->value;
  if (const auto* o = find<opt::StartTime>(m.options)) s->start_time = o->seconds;
  if (const auto* o = find<opt::EndTime>(m.options)) s->end_time = o->seconds;
  s->mode = m.closed ? Mode::closed : Mode::open;
  s->secure = m.secure;
  s->group = m.group_address;
  if (s->group.value == 0) {  // profile 2 [P]: allocate from 239.255.0.0/16
    auto low = static_cast<std::uint16_t>(rng->next_u64());
    if (low == 0) low = 1;
    s->group = Ipv4{0xEFFF0000u | low};
  }
  s->group_port = m.group_port ? m.group_port : cfg.group_port_when_unset;
  s->ka_period = ka.period;
  s->ka_timeout = ka.timeout;
  s->miss_limit = ka.miss_limit;
  for (const auto* b : find_all<opt::BaseMember>(m.options)) s->base_members.push_back(b->name);
  for (const auto* a : allow) s->allow.insert(a->name);
  if (key) s->access_key = key->bytes;
  s->creator = p.creator;
  add_member(*s, p.creator, p.name, MemberType::creator, p.ip);
  if (s->secure) new_key(*s);
  s->next_round_at = now + s->ka_period.duration();

  send_sm(c, build::sccon(s->id, p.creator, m.closed, m.secure, s->group_port, s->group));
  deadlines.clear(detail::DeadlineQueue::pending, p.id);
  pending.erase(it);
  Session& ref = *s;
  sessions.emplace(ref.id.value, std::move(s));
  schedule(ref);
  ++ctr.sessions_created;
  changed();
  emit(SessionCreated{ref.id, ref.creator});
}

// Profile 5.1 step 3 [P]: a creation still pending after its time limit is dropped.
void Server::Impl::on_pending_expired(SessionId id) {
  if (pending.erase(id.value)) ++ctr.pending_expired;
}

}  // namespace gmp::server
