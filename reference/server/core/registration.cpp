// Registration (profile 5.3, Figures 6, 7, 8), join (5.4, Figure 9) and activation (5.5,
// Figures 10 and 11).
#include "impl.hpp"

namespace gmp::server {

namespace {

// Profile 5.3 [P]: ACCESS-KEY compared in constant time (no early exit on a mismatch).
bool same_key(const std::vector<std::uint8_t>& expected, const std::vector<std::uint8_t>& given) {
  unsigned diff = static_cast<unsigned>(expected.size() ^ given.size());
  for (std::size_t i = 0; i < expected.size(); ++i)
    diff |= expected[i] ^ (i < given.size() ? given[i] : 0u);
  return diff == 0;
}

}  // namespace

// Figures 6 (open: SRREQ -> SRACC), 7 (closed: SRREQ -> SRRES -> SRACC) and 8 (closed:
// SRREQ -> SRRES -> SRREJ). Check order: profile 5.3.
void Server::Impl::on_srreq(ConnId c, Ipv4 peer, const SmMessage& m) {
  const auto* name = find<opt::ClientName>(m.options);
  if (!name) {
    decode_error(DecodeError::missing_required_option);
    return;
  }
  Session* s = find_session(m.session);
  if (!s) {  // unknown session: SRREJ 4, without SRRES
    send_sm(c, build::srrej(m.session, Reason::unknown_session, false, false));
    return;
  }
  const bool closed = s->mode == Mode::closed;
  if (closed) send_sm(c, build::srres(s->id, closed, s->secure));  // before any other check

  auto reject = [&](Reason r) { send_sm(c, build::srrej(s->id, r, closed, s->secure)); };
  auto accept = [&](const Member& mem) {
    send_sm(c, build::sracc(s->id, mem.user, closed, s->secure, s->group_port, s->group));
  };

  Member* existing = s->members.find_name(name->value);
  if (existing && existing->sm_ip != peer) return reject(Reason::not_authorised);
  if (closed) {
    const Member* creator = s->members.find(s->creator);
    const bool listed = !hooks.check_allow_list || s->allow.empty() ||
                        s->allow.count(name->value) || s->is_base(name->value) ||
                        (creator && s->members.name(*creator) == name->value);
    const auto* key = find<opt::AccessKey>(m.options);
    const bool key_ok = !hooks.check_access_key || s->access_key.empty() ||
                        (key && same_key(s->access_key, key->bytes));
    if (!listed || !key_ok) return reject(Reason::not_authorised);
  }
  // Profile 5.3 [P]: the same name from the same IP gets the same user ID (idempotent).
  if (existing && hooks.registration_idempotent) return accept(*existing);
  if (s->members.size() >= std::min<std::size_t>(cfg.max_members, 65535)) {
    ++ctr.limit_rejections;
    return reject(Reason::resources);
  }
  if (members_total >= cfg.max_members_total) {  // profile 7: bound what a peer can make us hold
    ++ctr.limit_rejections;
    ++ctr.total_member_rejections;
    return reject(Reason::resources);
  }
  const UserId u{draw_id([s](std::uint16_t v) { return s->members.find(UserId{v}) != nullptr; },
                             seq_user)};
  const MemberType type = s->is_base(name->value) ? MemberType::base : MemberType::participant;
  Member& mem = add_member(*s, u, name->value, type, peer);
  changed();
  accept(mem);
}

// Figure 9: SJREQ -> SJRES; the member moves to the joined list. In a secure session SJRES
// carries the current key (Figure 23: a late joiner gets it too).
void Server::Impl::on_sjreq(ConnId c, Ipv4 peer, const SmMessage& m) {
  Session* s = nullptr;
  Member* mem = sm_member(s, m, peer);
  if (!mem) return;
  const Climb climbed = climb(*mem, detail::LadderInput::sjreq, true);
  if (!climbed.allowed) return;
  if (climbed.step) apply(*s, *mem, *climbed.step);
  const bool closed = s->mode == Mode::closed;
  opt::GroupKey key;
  const opt::GroupKey* keyp = nullptr;
  if (s->secure) {
    key = group_key(*s);
    keyp = &key;
    mem->key_epoch = s->epoch;
  }
  send_sm(c, build::sjres(s->id, mem->user, closed, s->secure, s->group_port, s->group, keyp));
}

// Figures 10 and 11 (late join): SAREQ records the MM address, marks the member polled and
// sends it a KAREQ at once with the session's current round number; its KARES (keepalive.cpp,
// on_kares) makes it active.
void Server::Impl::on_sareq(ConnId, Ipv4 peer, const SmMessage& m, Time) {
  Session* s = nullptr;
  Member* mem = sm_member(s, m, peer);
  if (!mem) return;
  const auto* port = find<opt::MmPort>(m.options);
  if (!port) {
    decode_error(DecodeError::missing_required_option);
    return;
  }
  // Profile 7: SAREQ from a member not joined is not allowed (the ladder has no such row).
  const Climb climbed = climb(*mem, detail::LadderInput::sareq, hooks.check_member_state);
  if (!climbed.allowed) return;
  mem->mm_ip = peer;  // profile 1 [P]: (source IP of the SM connection, MM-PORT)
  mem->mm_port = port->port;
  mem->bound = true;
  if (climbed.step) apply(*s, *mem, *climbed.step);  // polled from now on
  send_kareq(*s, *mem, s->round);
}

}  // namespace gmp::server
