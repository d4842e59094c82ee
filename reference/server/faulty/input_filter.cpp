// The faulty build's input filter: faults that change what the server accepts (profile 7,
// section 3 header checks) are applied here, to the bytes or the decoded message, before the
// core sees them. Each rewrites the offending bits of a copy so the rest decodes normally,
// or hands the core a message it would have refused to decode.
#include <chrono>
#include <vector>

#include "faulty_server.hpp"

namespace gmp::server {

namespace {

DecodeError error_of(const DecodeResult& r) { return static_cast<DecodeError>(r.error.value()); }

std::vector<std::uint8_t> with_version_1(std::span<const std::uint8_t> b) {
  std::vector<std::uint8_t> v(b.begin(), b.end());
  if (!v.empty()) v[0] = static_cast<std::uint8_t>((v[0] & 0x0F) | (protocol_version << 4));
  return v;
}

/// How many options of `code` the SM option area holds, and whether one has an empty value
/// (the raw TLVs of profile 4, walked as far as they go).
struct RawOptions {
  int count = 0;
  bool zero_length = false;
};
RawOptions raw_options(std::span<const std::uint8_t> b, std::uint8_t code) {
  RawOptions r;
  for (std::size_t i = 16; i + 2 <= b.size() && b[i] != 0; i += (2 + b[i + 1] + 3) / 4 * 4) {
    if (b[i] == code) r.count++;
    if (b[i + 1] == 0) r.zero_length = true;
  }
  return r;
}

constexpr std::size_t max_hung = 4096;

}  // namespace

void FaultyServer::handle_sm_bytes(ConnId c, Ipv4 peer, std::span<const std::uint8_t> bytes,
                                   Time now) {
  // hang_on_zero_length_option: as if the connection's handler stopped on an option with an
  // empty value; the connection is never answered again.
  if (has(Fault::hang_on_zero_length_option) && raw_options(bytes, 0).zero_length &&
      hung_.size() < max_hung)
    hung_.insert(c);
  SmMessage m;
  DecodeFlags flags;
  flags.verify_checksum = !has(Fault::accept_bad_checksum);
  DecodeResult r = decode_sm(bytes, m, flags);
  bool decoded = r.ok();
  if (!decoded) {
    const DecodeError e = error_of(r);
    if (e == DecodeError::bad_version && has(Fault::accept_bad_version)) {
      auto fixed = with_version_1(bytes);
      flags.verify_checksum = false;
      decoded = decode_sm(fixed, m, flags).ok();
    } else if (e == DecodeError::flag_contradicts_type && has(Fault::accept_contradicting_flags)) {
      std::vector<std::uint8_t> fixed(bytes.begin(), bytes.end());
      const bool scinf = fixed.size() > 1 && fixed[1] == static_cast<std::uint8_t>(SmType::SCINF);
      fixed[0] = static_cast<std::uint8_t>((fixed[0] & ~1u) | (scinf ? 1u : 0u));
      flags.verify_checksum = false;
      decoded = decode_sm(fixed, m, flags).ok();
    } else if (e == DecodeError::unknown_type && has(Fault::answer_unknown_type)) {
      out_.emplace_back(SendSm{c, build::screj(Reason::invalid_request, false)});
      return;
    } else if (e == DecodeError::truncated_option) {
      decoded = has(Fault::ignore_truncated_option);
      if (!decoded && has(Fault::answer_truncated_scinf) && bytes.size() > 1 &&
          bytes[1] == static_cast<std::uint8_t>(SmType::SCINF)) {  // SCREJ instead of silence
        out_.emplace_back(SendSm{c, build::screj(Reason::invalid_request, false)});
        return;
      }
    } else if (e == DecodeError::duplicate_option) {
      decoded = has(Fault::accept_duplicate_option);
      if (!decoded && has(Fault::corrupt_on_duplicate_keepalive) &&
          raw_options(bytes, static_cast<std::uint8_t>(OptionType::KEEPALIVE)).count > 1) {
        decoded = true;  // taken, with a keepalive period one unit longer than it said
        for (auto& o : m.options)
          if (auto* k = std::get_if<opt::Keepalive>(&o))
            k->period = KaUnits{static_cast<std::uint8_t>(k->period.value + 1)};
      }
    }
  }
  if (!decoded) {  // the core counts the error (and lets an SCINF without a name through)
    Server::handle_sm_bytes(c, peer, bytes, now);
    collect(Input{Input::sm_message, m.type});
    return;
  }
  handle_sm(c, peer, m, now);
}

void FaultyServer::handle_sm(ConnId c, Ipv4 peer, const SmMessage& m, Time now) {
  now_ = now;
  if ((sent_by_server(m.type) || !is_known(m.type)) && has(Fault::accept_wrong_direction)) {
    out_.emplace_back(SendSm{c, build::screj(Reason::invalid_request, false)});
    return;
  }
  const Ipv4 source = peer;
  const auto given = rewrite_sm(peer, m);
  if (!given) return;
  const bool faster = given->type == SmType::SCINF && has(Fault::kareq_rounds_early);
  Server::handle_sm(c, peer, faster ? faster_rounds(*given) : *given, now);
  collect(Input{Input::sm_message, m.type, MmType::KAREQ, source});
}

// missing branches
std::optional<SmMessage> FaultyServer::rewrite_sm(Ipv4& peer, const SmMessage& m) {
  const auto who = member(m.session, m.user);
  if (m.type == SmType::SJREQ && who) {
    // sjreq_from_joined_refused: a joined member's SJREQ is dropped (profile 5.4 answers it);
    // sjreq_after_demotion_refused: so is that of a member demoted to registered (its MM
    // address is still bound: only a demotion makes a registered member have one).
    if (who->state == MemberState::joined && has(Fault::sjreq_from_joined_refused)) return std::nullopt;
    if (who->state == MemberState::registered && who->mm && has(Fault::sjreq_after_demotion_refused))
      return std::nullopt;
  }
  if (m.type == SmType::SAREQ && who && who->mm && has(Fault::sareq_new_port_ignored)) {
    SmMessage same_port = m;  // profile 1: a later SAREQ replaces the MM address; here it does not
    for (auto& o : same_port.options)
      if (auto* p = std::get_if<opt::MmPort>(&o)) p->port = who->mm->port;
    return same_port;
  }
  const auto s = session(m.session);
  if (m.type == SmType::SRREQ && s && s->mode == Mode::closed &&
      has(Fault::registration_other_ip_accepted_closed)) {
    // a name registered from another IP is taken as coming from that IP (profile 5.3: REASON 2)
    for (const auto& o : m.options)
      if (const auto* n = std::get_if<opt::ClientName>(&o))
        for (const auto& v : members(m.session))
          if (v.name == n->value)
            if (auto ip = registered_from_.find({m.session.value, v.user.value}); ip != registered_from_.end())
              peer = ip->second;
  }
  return m;
}

std::optional<Endpoint> FaultyServer::rewrite_mm_source(Endpoint from, const MmMessage& m, Time now) {
  const auto who = member(m.session, m.user);
  const auto s = session(m.session);
  if (!who || !who->mm || !s) return from;
  // spoofed_kares_counts: a KARES for a member from any address counts as from its own.
  if (m.type == MmType::KARES && has(Fault::spoofed_kares_counts)) return *who->mm;
  // late_kares_no_promotion: a joined member's KARES that answers its last KAREQ after the KA
  // timeout (or an older round) is dropped instead of making it active (profile 6.1).
  if (m.type == MmType::KARES && who->state == MemberState::joined && has(Fault::late_kares_no_promotion)) {
    const auto sent = kareq_.find({m.session.value, m.user.value});
    std::uint32_t round = s->round;
    for (const auto& o : m.options)
      if (const auto* q = std::get_if<opt::KaSeq>(&o)) round = q->round;
    if (sent != kareq_.end() &&
        (round != sent->second.first || now > sent->second.second + s->ka_timeout.duration()))
      return std::nullopt;
  }
  // one_leaver_per_round: after one LVREQ in a round, the session's other leavers are dropped.
  if (m.type == MmType::LVREQ && who->polled && from == *who->mm && has(Fault::one_leaver_per_round)) {
    const auto [it, first] = leave_round_.try_emplace(m.session.value, s->round);
    if (!first && it->second == s->round) return std::nullopt;
    it->second = s->round;
  }
  return from;
}

void FaultyServer::handle_mm_bytes(Endpoint from, std::span<const std::uint8_t> bytes, Time now) {
  if (has(Fault::slow_mm)) {  // a server that needs 2 ms per datagram: a low capacity figure
    const auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(2);
    while (std::chrono::steady_clock::now() < until) {
    }
  }
  // forget_member_on_mm_3_bytes_over: a valid message followed by 3 stray bytes is taken as
  // the sender leaving (its state corrupted) instead of being discarded.
  if (has(Fault::forget_member_on_mm_3_bytes_over) && bytes.size() % 4 == 3 &&
      bytes.size() <= max_mm_size) {
    MmMessage leave;
    if (decode_mm(bytes.first(bytes.size() - 3), leave).ok()) {
      leave.type = MmType::LVREQ;
      leave.options.clear();
      Server::handle_mm(from, leave, now);
      collect(Input{Input::mm_message, SmType::SCREQ, MmType::LVREQ});
      return;
    }
  }
  MmMessage m;
  bool decoded = bytes.size() <= max_mm_size && decode_mm(bytes, m).ok();
  if (!decoded && bytes.size() <= max_mm_size) {
    const DecodeError e = error_of(decode_mm(bytes, m));
    std::vector<std::uint8_t> fixed(bytes.begin(), bytes.end());
    if (e == DecodeError::bad_version && has(Fault::accept_bad_version)) {
      fixed = with_version_1(bytes);
      decoded = decode_mm(fixed, m).ok();
    } else if (e == DecodeError::bad_mode && has(Fault::accept_bad_mode) && fixed.size() > 1) {
      fixed[1] = static_cast<std::uint8_t>((fixed[1] & 0x3F) | 0x40);  // mode 01
      decoded = decode_mm(fixed, m).ok();
    } else if (e == DecodeError::flag_contradicts_type && has(Fault::accept_contradicting_flags) &&
               fixed.size() > 1) {
      const unsigned type = fixed[0] & 0x0F;
      unsigned fl = 0;
      if (type == static_cast<unsigned>(MmType::UIRES)) fl |= 1;
      if (type == static_cast<unsigned>(MmType::TRIND)) fl |= 2;
      fixed[1] = static_cast<std::uint8_t>((fixed[1] & ~0x07u) | fl);
      decoded = decode_mm(fixed, m).ok();
    } else if (e == DecodeError::truncated_option) {
      decoded = has(Fault::ignore_truncated_option);
    } else if (e == DecodeError::duplicate_option) {
      decoded = has(Fault::accept_duplicate_option);
    }
  }
  if (!decoded) {  // the core counts the error (or the oversize datagram)
    Server::handle_mm_bytes(from, bytes, now);
    collect(Input{Input::mm_message, SmType::SCREQ, m.type});
    return;
  }
  handle_mm(from, m, now);
}

void FaultyServer::handle_mm(Endpoint from, const MmMessage& m, Time now) {
  now_ = now;
  const auto source = rewrite_mm_source(from, m, now);
  if (!source) return;
  from = *source;
  if ((sent_by_server(m.type) || !is_known(m.type)) && has(Fault::accept_wrong_direction)) {
    MmMessage as_kares = m;  // a KAREQ/UIRES/TRIND/KDUPT from a member is taken as a KARES
    as_kares.type = MmType::KARES;
    Server::handle_mm(from, as_kares, now);
    collect(Input{Input::mm_message, SmType::SCREQ, MmType::KARES});
    return;
  }
  Server::handle_mm(from, m, now);
  collect(Input{Input::mm_message, SmType::SCREQ, m.type});
}

void FaultyServer::handle_framing_error(ConnId c, DecodeError e, Time now) {
  Server::handle_framing_error(c, e, now);
  collect(Input{Input::framing});
}

void FaultyServer::handle_timeout(Time now) {
  now_ = now;
  Server::handle_timeout(now);
  collect(Input{Input::timeout});
}

}  // namespace gmp::server
