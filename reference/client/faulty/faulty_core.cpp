// The faulty build's client core: the decision hooks and timing a fault changes,
// the input filter (bytes before the core) and the output filter (what the core queued).
#include "faulty_core.hpp"

#include <algorithm>
#include <array>
#include <cstdlib>
#include <variant>

namespace gmp::client {

namespace {

constexpr std::size_t max_held = 64;  // kares_late: KARES kept back at once
constexpr int endless_tries = 1000;   // endless_uireq_retransmission: far past any PIXIT
constexpr Duration late_margin{200};  // kares_late: this much past the KA timeout

// no_uireq_retransmission / endless_uireq_retransmission / no_trreq_retransmission: the
// core's own retransmission, with another number of tries (clause 7.2.2, 7.2.4).
Timing adjusted(Timing t, const FaultSet& f) {
  if (f.has(Fault::no_uireq_retransmission)) t.uireq_tries = 1;
  if (f.has(Fault::endless_uireq_retransmission)) t.uireq_tries = endless_tries;
  if (f.has(Fault::no_trreq_retransmission)) t.trreq_tries = 1;
  return t;
}

DecisionHooks hooks_for(const FaultSet& f) {
  DecisionHooks h;
  h.newer_epochs_only = !f.has(Fault::installs_older_epoch);
  h.kdupt_needs_secure = !f.has(Fault::keeps_nonsecure_kdupt_key);
  return h;
}

}  // namespace

FaultyCore::FaultyCore(Role role, Timing timing, FaultSet faults)
    : ClientCore(role, adjusted(timing, faults)), faults_(faults) {
  set_decision_hooks(hooks_for(faults));
}

// ---------------------------------------------------------------- input filter

void FaultyCore::request_members(Time now) {
  now_ = now;
  // uireq_when_not_active: UIREQ from a member that is registered or joined (profile 7: only
  // an active member may ask), as long as the server knows our MM address.
  if (has(Fault::uireq_when_not_active) && state() != State::active && session().value != 0 &&
      user().value != 0 && mm_port() != 0 && state() != State::ended && state() != State::failed)
    return inject(Channel::mm, encode(build::uireq(session(), user(), member_type(), mode())));
  ClientCore::request_members(now);
}

void FaultyCore::handle_sm_bytes(std::span<const std::uint8_t> bytes, Time now) {
  now_ = now;
  // kares_stop_after_bad_checksum: an SM message that fails its checksum (profile 2; to be
  // discarded, profile 7) silently stops the keepalive answers from then on.
  if (has(Fault::kares_stop_after_bad_checksum) && bytes.size() >= 16 && !sm_checksum_ok(bytes)) ka_broken_ = true;
  SmMessage m;
  if (!decode_sm(bytes, m)) {
    // sjres_s1_without_key_accepted: an SJRES with S = 1 and no GROUP-KEY is malformed
    // (profile 4: required there); this client takes it as a join without a key.
    SmMessage p;
    const DecodeResult r = decode_sm_partial(bytes, p);
    if (has(Fault::sjres_s1_without_key_accepted) &&
        r.error == make_error_code(DecodeError::missing_required_option) &&
        p.type == SmType::SJRES && p.secure) {
      p.secure = false;
      p.key_length = 0;
      return ClientCore::handle_sm_bytes(encode(p), now);
    }
    return ClientCore::handle_sm_bytes(bytes, now);
  }
  // accept_sracc_without_srres: in closed mode SRACC before SRRES is taken as if SRRES had come.
  if (has(Fault::accept_sracc_without_srres) && m.type == SmType::SRACC && m.closed &&
      state() == State::registering)
    ClientCore::handle_sm_bytes(encode(build::srres(m.session, true, m.secure)), now);
  ClientCore::handle_sm_bytes(bytes, now);
}

void FaultyCore::handle_mm_bytes(std::span<const std::uint8_t> bytes, Time now) {
  now_ = now;
  MmMessage m;
  const bool ok = decode_mm(bytes, m).ok();
  const bool has_header = bytes.size() >= 16 && bytes.size() <= max_mm_size;
  if (has_header && m.type == MmType::TRIND) {
    // ignore_trind: the end of the session goes unnoticed.
    if (has(Fault::ignore_trind)) return;
    // accepts_trind_ss0: a TRIND without SS (malformed, profile 7) ends the session anyway.
    if (has(Fault::accepts_trind_ss0) && !ok && !m.ss) {
      MmMessage whole;
      decode_mm_partial(bytes, whole);
      whole.ss = true;
      return ClientCore::handle_mm_bytes(encode(whole), now);
    }
  }
  if (!robustness_faults(bytes, m, ok)) return;
  if (ok && m.type == MmType::KAREQ && mm_port() != 0) {
    const bool ours = m.session == session() && m.user == user();
    // kares_other_session: a KAREQ for another session or user is answered as its own.
    if (has(Fault::kares_other_session) && !ours) answer_kareq(m);
    // kares_after_leave: the KAREQs still coming after LVREQ are answered.
    if (has(Fault::kares_after_leave) && ours && !polled() && state() == State::joined)
      answer_kareq(m);
  }
  // member_count_any_part: a MEMBER-COUNT in a part other than 1 is taken as the count.
  if (ok && has(Fault::member_count_any_part) && m.type == MmType::UIRES) {
    const auto* part = find<opt::ListPart>(m.options);
    const auto* count = find<opt::MemberCount>(m.options);
    if (part && count && part->index != 1) stray_count_ = count->count;
  }
  ClientCore::handle_mm_bytes(bytes, now);
}

bool FaultyCore::robustness_faults(std::span<const std::uint8_t> bytes, const MmMessage& m, bool ok) {
  // abort_on_empty_mm_option: the option walk trips over a value of length 0 (profile 4: a
  // wrong size makes the message malformed; it must be discarded, not crash the client).
  if (has(Fault::abort_on_empty_mm_option) && bytes.size() <= max_mm_size)
    for (std::size_t i = 16; i + 2 <= bytes.size() && bytes[i] != 0; i += (2 + bytes[i + 1] + 3) / 4 * 4)
      if (bytes[i + 1] == 0) std::abort();
  if (!ok || m.type != MmType::KAREQ) return true;
  if (ka_broken_) return false;
  // kaseq_high_bit_lost_with_unknown: a KAREQ with an unknown option (skipped, profile 4) and a
  // KA-SEQ at or above 2^31 is echoed with the round's high bit cleared (a signed round).
  const auto* seq = find<opt::KaSeq>(m.options);
  const bool unknown = std::any_of(m.options.begin(), m.options.end(),
                                   [](const Option& o) { return std::holds_alternative<opt::Unknown>(o); });
  if (has(Fault::kaseq_high_bit_lost_with_unknown) && seq && (seq->round & 0x80000000u) && unknown &&
      m.session == session() && m.user == user() && mm_port() != 0) {
    MmMessage mangled = m;
    for (auto& o : mangled.options)
      if (auto* k = std::get_if<opt::KaSeq>(&o)) k->round &= 0x7FFFFFFFu;
    ClientCore::handle_mm_bytes(encode(mangled), now_);
    return false;
  }
  return true;
}

void FaultyCore::answer_kareq(const MmMessage& kareq) {
  const auto* seq = find<opt::KaSeq>(kareq.options);
  inject(Channel::mm, encode(build::kares(kareq.session, kareq.user, member_type(), mode(),
                                          seq ? seq->round : 0)));
}

void FaultyCore::handle_timeout(Time now) {
  now_ = now;
  collect();  // what earlier inputs queued keeps its place before what is released now
  while (!held_.empty() && held_.front().at <= now) {
    transmits_out_.push_back(std::move(held_.front().transmit));
    events_out_.push_back(std::move(held_.front().sent));
    held_.pop_front();
  }
  ClientCore::handle_timeout(now);
}

std::optional<Time> FaultyCore::next_deadline() const {
  auto d = ClientCore::next_deadline();
  if (!held_.empty() && (!d || held_.front().at < *d)) d = held_.front().at;
  return d;
}

// ---------------------------------------------------------------- output filter

std::optional<Transmit> FaultyCore::poll_transmit() {
  collect();
  if (transmits_out_.empty()) return std::nullopt;
  Transmit t = std::move(transmits_out_.front());
  transmits_out_.pop_front();
  return t;
}

std::optional<Event> FaultyCore::poll_event() {
  collect();
  if (events_out_.empty()) return std::nullopt;
  Event e = std::move(events_out_.front());
  events_out_.pop_front();
  return e;
}

void FaultyCore::inject(Channel c, std::vector<std::uint8_t> bytes) {
  collect();
  Event e;
  e.kind = EventKind::sent;
  e.channel = c;
  e.raw = bytes;
  events_out_.push_back(std::move(e));
  transmits_out_.push_back(Transmit{c, std::move(bytes)});
}

// The core reports each transmission with one `sent` event, in the same order: each pair goes
// through the filter together, so that the event shows the bytes that went out (or none).
void FaultyCore::collect() {
  std::deque<Transmit> batch;
  while (auto t = ClientCore::poll_transmit()) batch.push_back(std::move(*t));
  while (auto e = ClientCore::poll_event()) {
    if (e->kind == EventKind::sent && !batch.empty()) {
      Transmit t = std::move(batch.front());
      batch.pop_front();
      const Verdict v = filter(t);
      if (v == Verdict::drop) continue;
      e->raw = t.bytes;
      if (v == Verdict::hold) {
        if (held_.size() < max_held)
          held_.push_back(
              Held{now_ + ka_unit * ka_timeout().value + late_margin, std::move(t), std::move(*e)});
        continue;
      }
      if (v == Verdict::twice) {
        transmits_out_.push_back(t);
        events_out_.push_back(*e);
      }
      transmits_out_.push_back(std::move(t));
    }
    filter_event(*e);
    if (events_out_.size() >= max_queued_events)
      events_out_.pop_front();  // bounded like the core's
    events_out_.push_back(std::move(*e));
  }
  for (auto& t : batch) transmits_out_.push_back(std::move(t));  // their events were dropped
}

FaultyCore::Verdict FaultyCore::filter(Transmit& t) {
  if (t.channel == Channel::mm) {
    MmMessage m;
    if (!decode_mm(t.bytes, m)) return Verdict::keep;
    spoil_standing(m, t);
    if (m.type != MmType::KARES) return Verdict::keep;
    opt::KaSeq* seq = nullptr;
    for (auto& o : m.options)
      if (auto* k = std::get_if<opt::KaSeq>(&o)) seq = k;
    // no_coming_back: the unsolicited KARES of profile 6.1 (no KA-SEQ) never leaves.
    if (has(Fault::no_coming_back) && !seq) return Verdict::drop;
    if (has(Fault::kares_no_echo) && seq) seq->round = 0;
    if (has(Fault::kares_wrong_member_type))
      m.member_type = static_cast<std::uint8_t>(
          m.member_type == static_cast<std::uint8_t>(MemberType::creator) ? MemberType::participant
                                                                          : MemberType::creator);
    if (has(Fault::kares_nonzero_fields)) {  // profile 3: all 0 in a member's message
      m.ka_period = KaUnits{10};
      m.ka_timeout = KaUnits{5};
      m.group_port = 5004;
      m.group_address = Ipv4{0xefff0001};
    }
    t.bytes = encode(m);
    return has(Fault::kares_late) ? Verdict::hold : Verdict::keep;
  }
  SmMessage m;
  if (!decode_sm(t.bytes, m)) return Verdict::keep;
  if (m.type == SmType::SCREQ && has(Fault::screq_nonzero_ids)) {  // profile 2: 0 and 0 in SCREQ
    m.session = SessionId{0x1234};
    m.user = UserId{0x5678};
    t.bytes = encode(m);
  } else if (m.type == SmType::SCINF) {
    if (has(Fault::scinf_wrong_s)) m.secure = !m.secure;  // profile 2: S as in the SCREQ
    if (has(Fault::scinf_no_i_flag)) m.info = false;      // profile 2: I = 1 exactly in SCINF
    t.bytes = encode(m);
  }
  spoil_standing(m, t);
  // bad_checksum_out: every SM message carries a wrong checksum (profile 2), on the bytes as
  // encoded (no typed message can carry one).
  if (has(Fault::bad_checksum_out)) app::spoil_checksum(t.bytes);
  // sjreq_twice: every SJREQ goes out twice, the second unasked for (nothing unexplained).
  return has(Fault::sjreq_twice) && m.type == SmType::SJREQ ? Verdict::twice : Verdict::keep;
}

// The faults of the fields every message carries, which the client standing checks judge in
// every case. Each changes the typed message and re-encodes it (SM: checksum recomputed), so
// that only the field it names is wrong; option_padding_nonzero works on the encoded bytes.
void FaultyCore::spoil_standing(SmMessage& m, Transmit& t) const {
  const bool typed = has(Fault::sm_reserved_bit_set) || has(Fault::sm_reserved_byte_set) ||
                     (has(Fault::wrong_user_id_later) && m.type == SmType::SJREQ);
  if (has(Fault::sm_reserved_bit_set)) m.q = true;          // profile 2: Q sent as 0
  if (has(Fault::sm_reserved_byte_set)) m.reserved = 0x5A;  // profile 2: reserved sent as 0
  // profile 2: after SCACC/SRACC every message carries the user ID the server gave
  if (has(Fault::wrong_user_id_later) && m.type == SmType::SJREQ)
    m.user = UserId{static_cast<std::uint16_t>(m.user.value + 1)};
  if (typed) t.bytes = encode(m);
  if (has(Fault::option_padding_nonzero)) app::spoil_padding(t.bytes, true);  // profile 4
}

void FaultyCore::spoil_standing(MmMessage& m, Transmit& t) const {
  if (!has(Fault::mm_reserved_flag_set) && !has(Fault::mm_reserved_byte_set)) return;
  if (has(Fault::mm_reserved_flag_set)) m.r = true;         // profile 3: R sent as 0
  if (has(Fault::mm_reserved_byte_set)) m.reserved = 0x5A;  // profile 3: reserved sent as 0
  t.bytes = encode(m);
}

void FaultyCore::filter_event(Event& e) {
  if (e.kind == EventKind::members && stray_count_) {
    e.member_count = stray_count_;
    stray_count_.reset();
  }
}

}  // namespace gmp::client
