// Profile section 7 (invalid input) and the server's MM receive algorithm (Figure 13): decode,
// count, check direction, session, user and address binding, then hand each message to the
// one procedure that handles it. Every discard is counted by reason and changes nothing.
#include <vector>

#include "impl.hpp"

namespace gmp::server {

namespace {

DecodeError as_decode_error(const DecodeResult& r) { return static_cast<DecodeError>(r.error.value()); }

// Fault helpers: rewrite the offending header bits of a copy so the rest decodes normally.
std::vector<std::uint8_t> with_version_1(std::span<const std::uint8_t> b) {
  std::vector<std::uint8_t> v(b.begin(), b.end());
  if (!v.empty()) v[0] = static_cast<std::uint8_t>((v[0] & 0x0F) | (protocol_version << 4));
  return v;
}

}  // namespace

void Server::handle_sm_bytes(ConnId c, Ipv4 peer, std::span<const std::uint8_t> bytes, Time now) {
  auto& im = *impl_;
  SmMessage m;
  DecodeFlags flags;
  flags.verify_checksum = !im.fault(Fault::accept_bad_checksum);
  DecodeResult r = decode_sm(bytes, m, flags);
  if (!r) {
    const DecodeError e = as_decode_error(r);
    bool go = false;
    if (e == DecodeError::missing_required_option && m.type == SmType::SCINF) {
      go = true;  // profile 5.1 step 4: an SCINF without SESSION-NAME gets SCREJ 5
    } else if (e == DecodeError::bad_version && im.fault(Fault::accept_bad_version)) {
      auto fixed = with_version_1(bytes);
      flags.verify_checksum = false;
      go = decode_sm(fixed, m, flags).ok();
    } else if (e == DecodeError::flag_contradicts_type &&
               im.fault(Fault::accept_contradicting_flags)) {
      std::vector<std::uint8_t> fixed(bytes.begin(), bytes.end());
      const bool scinf = fixed.size() > 1 && fixed[1] == static_cast<std::uint8_t>(SmType::SCINF);
      fixed[0] = static_cast<std::uint8_t>((fixed[0] & ~1u) | (scinf ? 1u : 0u));
      flags.verify_checksum = false;
      go = decode_sm(fixed, m, flags).ok();
    } else if (e == DecodeError::unknown_type && im.fault(Fault::answer_unknown_type)) {
      im.send_sm(c, build::screj(Reason::invalid_request, false));
      return;
    } else if (e == DecodeError::truncated_option) {
      go = im.fault(Fault::ignore_truncated_option);
    } else if (e == DecodeError::duplicate_option) {
      go = im.fault(Fault::accept_duplicate_option);
    }
    if (!go) {
      im.decode_error(e);
      return;
    }
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
  DecodeResult r = decode_mm(bytes, m);
  if (!r) {
    const DecodeError e = as_decode_error(r);
    bool go = false;
    std::vector<std::uint8_t> fixed(bytes.begin(), bytes.end());
    if (e == DecodeError::bad_version && im.fault(Fault::accept_bad_version)) {
      fixed = with_version_1(bytes);
      go = decode_mm(fixed, m).ok();
    } else if (e == DecodeError::bad_mode && im.fault(Fault::accept_bad_mode) && fixed.size() > 1) {
      fixed[1] = static_cast<std::uint8_t>((fixed[1] & 0x3F) | 0x40);  // mode 01
      go = decode_mm(fixed, m).ok();
    } else if (e == DecodeError::flag_contradicts_type &&
               im.fault(Fault::accept_contradicting_flags) && fixed.size() > 1) {
      const unsigned type = fixed[0] & 0x0F;
      unsigned flags = 0;
      if (type == static_cast<unsigned>(MmType::UIRES)) flags |= 1;
      if (type == static_cast<unsigned>(MmType::TRIND)) flags |= 2;
      fixed[1] = static_cast<std::uint8_t>((fixed[1] & ~0x07u) | flags);
      go = decode_mm(fixed, m).ok();
    } else if (e == DecodeError::truncated_option) {
      go = im.fault(Fault::ignore_truncated_option);
    } else if (e == DecodeError::duplicate_option) {
      go = im.fault(Fault::accept_duplicate_option);
    }
    if (!go) {
      im.decode_error(e);
      return;
    }
  }
  im.on_mm(from, m, now);
}

void Server::Impl::on_sm(ConnId c, Ipv4 peer, const SmMessage& m, Time now) {
  ++ctr.sm_in[static_cast<std::size_t>(m.type) & 15];
  if (sent_by_server(m.type) || !is_known(m.type)) {  // profile 7: flows the wrong way
    if (!fault(Fault::accept_wrong_direction)) {
      discard(Discard::wrong_direction);
    } else {
      send_sm(c, build::screj(Reason::invalid_request, false));
    }
    return;
  }
  switch (m.type) {
    case SmType::SCREQ: on_screq(c, peer, m, now); break;
    case SmType::SCINF: on_scinf(c, peer, m, now); break;
    case SmType::SRREQ: on_srreq(c, peer, m); break;
    case SmType::SJREQ: on_sjreq(c, peer, m); break;
    case SmType::SAREQ: on_sareq(c, peer, m, now); break;
    case SmType::SDREQ: on_sdreq(c, peer, m); break;
    default: discard(Discard::wrong_direction); break;
  }
}

Member* Server::Impl::sm_member(Session*& s, const SmMessage& m, Ipv4 peer) {
  s = find_session(m.session);
  if (!s) {
    discard(Discard::unknown_session);
    return nullptr;
  }
  Member* mem = s->members.find(m.user);
  if (!mem && fault(Fault::accept_unknown_user) && m.user.value != 0 &&
      s->members.size() < cfg.max_members) {
    mem = &s->members.add(m.user, "unknown-user", MemberType::participant, peer);
    ++members_total;
    ++s->by_state[static_cast<std::size_t>(MemberState::registered)];
  }
  if (!mem) {
    discard(Discard::unknown_user);
    return nullptr;
  }
  if (mem->sm_ip != peer && !fault(Fault::accept_sm_from_other_ip)) {  // profile 1 binding
    discard(Discard::address_mismatch);
    return nullptr;
  }
  return mem;
}

// Figure 13: the server's MM receive algorithm.
void Server::Impl::on_mm(Endpoint from, const MmMessage& m, Time now) {
  ++ctr.mm_in[static_cast<std::size_t>(m.type) & 15];
  bool as_kares = false;
  if (sent_by_server(m.type) || !is_known(m.type)) {
    if (!fault(Fault::accept_wrong_direction)) {
      discard(Discard::wrong_direction);
      return;
    }
    as_kares = true;  // fault: a KAREQ/UIRES/TRIND/KDUPT from a member is taken as a KARES
  }
  Session* s = find_session(m.session);
  if (!s) {
    discard(Discard::unknown_session);
    return;
  }
  Member* mem = s->members.find(m.user);
  if (!mem && fault(Fault::accept_unknown_user) && m.type == MmType::UIREQ) {
    Member stranger;  // fault: an unknown user ID gets a UIRES at its source address
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
  if ((!mem->bound || mm_address(*mem) != from) && !fault(Fault::accept_spoofed_mm)) {
    discard(Discard::address_mismatch);
    return;
  }
  if (as_kares) {
    on_kares(*s, *mem, m, now);
    return;
  }
  switch (m.type) {
    case MmType::KARES: on_kares(*s, *mem, m, now); break;
    case MmType::UIREQ:
      if (mem->state != MemberState::active && !fault(Fault::accept_wrong_state)) {
        discard(Discard::wrong_state);
        return;
      }
      if (!uires_budget.take(cfg.uires_rate, detail::uires_cost(*s), now)) {
        discard(Discard::uires_budget);  // before any list is built
        return;
      }
      on_uireq(*s, *mem);
      break;
    case MmType::LVREQ:
      if (!mem->polled && !fault(Fault::accept_wrong_state)) {
        discard(Discard::wrong_state);
        return;
      }
      on_lvreq(*s, *mem);
      break;
    case MmType::TRREQ:
      if (mem->user != s->creator && !fault(Fault::accept_wrong_state)) {
        discard(Discard::not_creator);
        return;
      }
      on_trreq(*s, *mem);
      break;
    default: discard(Discard::wrong_direction); break;
  }
}

void Server::Impl::on_connection_closed(ConnId c) {
  if (conns.erase(c.value)) ++ctr.connections_closed;
  if (fault(Fault::keep_pending_after_close)) return;
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
