// Profile section 7 (invalid input) and the server's MM receive algorithm (Figure 13): decode,
// count, check direction, session, user and address binding, then hand each message to the
// one procedure that handles it. Every discard is counted by reason and changes nothing.
#include <vector>

#include "impl.hpp"

namespace gmp::server {

namespace {

DecodeError as_decode_error(const DecodeResult& r) { return static_cast<DecodeError>(r.error.value()); }

}  // namespace

void Server::handle_sm_bytes(ConnId c, Ipv4 peer, std::span<const std::uint8_t> bytes, Time now) {
  auto& im = *impl_;
  SmMessage m;
  const DecodeResult r = decode_sm(bytes, m);
  // Profile 5.1 step 4: an SCINF without SESSION-NAME is answered (SCREJ 5), not dropped.
  if (!r && !(as_decode_error(r) == DecodeError::missing_required_option && m.type == SmType::SCINF)) {
    im.decode_error(as_decode_error(r));
    return;
  }
  im.on_sm(c, peer, m, now);
}

void Server::handle_mm_bytes(Endpoint from, std::span<const std::uint8_t> bytes, Time now) {
  auto& im = *impl_;
  if (bytes.size() > max_mm_size) {  // profile 3 [P]: malformed, however well formed the rest
    im.discard(Discard::oversize);
    return;
  }
  MmMessage m;
  if (const DecodeResult r = decode_mm(bytes, m); !r) {
    im.decode_error(as_decode_error(r));
    return;
  }
  im.on_mm(from, m, now);
}

void Server::Impl::on_sm(ConnId c, Ipv4 peer, const SmMessage& m, Time now) {
  ++ctr.sm_in[static_cast<std::size_t>(m.type) & 15];
  if (sent_by_server(m.type) || !is_known(m.type)) {  // profile 7: flows the wrong way
    discard(Discard::wrong_direction);
    return;
  }
  switch (m.type) {
    case SmType::SCREQ: on_screq(c, peer, m, now); break;
    case SmType::SCINF: on_scinf(c, peer, m, now); break;
    case SmType::SRREQ: on_srreq(c, peer, m); break;
    case SmType::SJREQ: on_sjreq(c, peer, m); break;
    case SmType::SAREQ: on_sareq(c, peer, m, now); break;
    case SmType::SDREQ: on_sdreq(c, peer, m); break;
    case SmType::SCACC: case SmType::SCREJ: case SmType::SDRES: case SmType::SCCON:
    case SmType::SRRES: case SmType::SRACC: case SmType::SRREJ: case SmType::SJRES:
      discard(Discard::wrong_direction);  // the server's own messages (profile 7)
      break;
  }
}

Member* Server::Impl::sm_member(Session*& s, const SmMessage& m, Ipv4 peer) {
  s = find_session(m.session);
  if (!s) {
    discard(Discard::unknown_session);
    return nullptr;
  }
  Member* mem = s->members.find(m.user);
  if (!mem && !hooks.refuse_unknown_user && m.user.value != 0 &&
      s->members.size() < cfg.max_members) {
    mem = &add_member(*s, m.user, "unknown-user", MemberType::participant, peer);
  }
  if (!mem) {
    discard(Discard::unknown_user);
    return nullptr;
  }
  if (mem->sm_ip != peer && hooks.bind_sm_address) {  // profile 1 binding
    discard(Discard::address_mismatch);
    return nullptr;
  }
  return mem;
}

// Figure 13: the server's MM receive algorithm.
void Server::Impl::on_mm(Endpoint from, const MmMessage& m, Time now) {
  ++ctr.mm_in[static_cast<std::size_t>(m.type) & 15];
  if (sent_by_server(m.type) || !is_known(m.type)) {
    discard(Discard::wrong_direction);
    return;
  }
  Session* s = find_session(m.session);
  if (!s) {
    discard(Discard::unknown_session);
    return;
  }
  Member* mem = s->members.find(m.user);
  if (!mem && !hooks.refuse_unknown_user && m.type == MmType::UIREQ) {
    Member stranger;  // answered at its source address, as if it were registered
    stranger.user = m.user;
    stranger.mm_ip = from.ip;
    stranger.mm_port = from.port;
    on_uireq(*s, stranger);
    return;
  }
  if (!mem) {
    discard(Discard::unknown_user);
    return;
  }
  // Profile 1 [P]: MM only from the member's bound MM address.
  if ((!mem->bound || mm_address(*mem) != from) && hooks.bind_mm_address) {
    discard(Discard::address_mismatch);
    return;
  }
  switch (m.type) {
    case MmType::KARES: on_kares(*s, *mem, m, now); break;
    case MmType::UIREQ:  // active members only (the ladder's UIREQ row)
      if (!climb(*mem, detail::LadderInput::uireq, hooks.check_member_state).allowed) return;
      if (!uires_budget.take(cfg.uires_rate, detail::uires_cost(*s), now)) {
        discard(Discard::uires_budget);  // before any list is built
        return;
      }
      on_uireq(*s, *mem);
      break;
    case MmType::LVREQ: on_lvreq(*s, *mem); break;
    case MmType::TRREQ:
      if (mem->user != s->creator && hooks.check_member_state) {
        discard(Discard::not_creator);
        return;
      }
      on_trreq(*s, *mem);
      break;
    case MmType::KAREQ: case MmType::UIRES: case MmType::TRIND: case MmType::KDUPT:
      discard(Discard::wrong_direction);  // the server's own messages (profile 7)
      break;
  }
}

void Server::Impl::on_connection_closed(ConnId c) {
  if (conns.erase(c.value)) ++ctr.connections_closed;
  if (!hooks.pending_dropped_on_close) return;
  // Profile 5.1 step 3: a pending creation is dropped when its connection closes.
  std::vector<std::uint16_t> gone;
  for (const auto& [id, p] : pending)
    if (p.conn == c) gone.push_back(id);
  for (auto id : gone) {
    pending.erase(id);
    deadlines.clear(detail::DeadlineQueue::pending, SessionId{id});
  }
}

}  // namespace gmp::server
