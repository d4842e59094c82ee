// ClientCore, MM side: Figure 14, the client MM algorithm (clause 7.2; profile 6.1, 6.4,
// 6.6). on_mm_message is the flowchart: check the message is the server's and ours, then
// KAREQ -> KARES echoing KA-SEQ; UIRES -> list reassembly; KDUPT -> new key by epoch;
// TRIND -> end of the session. Anything else is reported and changes nothing (profile 7).
#include <algorithm>
#include <string>

#include "gmp/client/core.hpp"

namespace gmp::client {

namespace {
constexpr std::size_t oversize_prefix = 64;  // bytes of an oversize datagram kept for the event
}  // namespace

void ClientCore::handle_mm_bytes(std::span<const std::uint8_t> bytes, Time now) {
  if (bytes.size() > max_mm_size) {
    // Profile 3 [P]: malformed whatever it holds. Only a prefix is kept in the event: the
    // datagram may be up to 64 KiB and come from anyone who floods the port.
    ++oversize_discards_;
    Event e;
    e.kind = EventKind::invalid;
    e.channel = Channel::mm;
    e.raw.assign(bytes.begin(), bytes.begin() + oversize_prefix);
    e.detail = "oversize";
    emit(std::move(e));
    return;
  }
  MmMessage m;
  const DecodeResult r = decode_mm(bytes, m);
  if (!report(Channel::mm, bytes, r)) return;  // profile 7: discarded, reported
  on_mm_message(m, bytes, now);
}

// Figure 14 - client MM algorithm.
void ClientCore::on_mm_message(const MmMessage& m, std::span<const std::uint8_t> raw, Time now) {
  if (!sent_by_server(m.type))  // KARES, UIREQ, LVREQ, TRREQ come from members only
    return unexpected(Channel::mm, raw, std::string(name(m.type)) + " flows the wrong way");
  if (mm_port_ == 0 || !has_ids())
    return unexpected(Channel::mm, raw, "no MM address announced yet (no SAREQ sent)");
  if (m.session != session_ || m.user != user_)
    return unexpected(Channel::mm, raw,
                      "for session " + std::to_string(m.session.value) + " user " +
                          std::to_string(m.user.value) + ", we are session " +
                          std::to_string(session_.value) + " user " + std::to_string(user_.value));
  if (state_ == State::ended || state_ == State::failed)  // the table lists no MM input there
    return refuse_message(Channel::mm, raw, "the session is over for us");
  switch (m.type) {
    case MmType::KAREQ: return on_kareq(m, raw, now);
    case MmType::UIRES: return on_uires(m, raw);
    case MmType::KDUPT: return on_kdupt(m, raw);
    case MmType::TRIND: return on_trind(m, raw);
    default: return unexpected(Channel::mm, raw, "not handled");
  }
}

// Figure 14: every KAREQ gets a KARES echoing its KA-SEQ, within the round (at once).
void ClientCore::on_kareq(const MmMessage& m, std::span<const std::uint8_t> raw, Time now) {
  if (!polled_)  // profile 6.5: after LVREQ the server polls us no more
    return unexpected(Channel::mm, raw, "KAREQ while not polled (no SAREQ since LVREQ)");
  const auto* seq = find<opt::KaSeq>(m.options);  // required in KAREQ: the codec checked it
  const std::uint32_t round = seq ? seq->round : 0;
  if (m.ka_period != ka_period_ || m.ka_timeout != ka_timeout_) {  // clause 9.2
    ka_period_ = m.ka_period;
    ka_timeout_ = m.ka_timeout;
    Event e;
    e.kind = EventKind::keepalive;
    e.ka_period = m.ka_period.value;
    e.ka_timeout = m.ka_timeout.value;
    e.round = round;
    emit(std::move(e));
  }
  if (seen_kareq_ && round < highest_round_) {
    Event e;
    e.kind = EventKind::stale_round;
    e.round = round;
    emit(std::move(e));
  }
  highest_round_ = std::max(highest_round_, round);
  seen_kareq_ = true;
  comeback_at_ = now + silence_limit();  // profile 6.1: the silence is counted from here
  const auto type = static_cast<MemberType>(m.member_type);
  if (is_known(type)) server_type_ = type;  // the recipient's type (profile 3)
  if (muted_) return;  // a silent member (tests of Figure 12): no KARES
  send_mm(build::kares(session_, user_, my_type(), mode_, round));
  apply(Input::kares);  // activating -> active (Figures 10, 11)
}

// Profile 6.1 [P], coming back: how long an active member may hear no KAREQ before it
// concludes it was demoted: 2 KA periods plus the KA timeout, the last values it saw.
Duration ClientCore::silence_limit() const {
  return ka_unit * (2 * ka_period_.value + ka_timeout_.value);
}

Duration ClientCore::ka_period_ms() const {
  return ka_unit * std::max<int>(1, ka_period_.value);  // a period of 0 would loop at once
}

// Profile 6.1 [P]: active in our view, no LVREQ since the SAREQ (polled), and silent too long:
// one KARES without KA-SEQ to the server's MM address, then again once per KA period, until a
// KAREQ arrives (on_kareq sets a new silence deadline) or the session ends. On the server it
// is the registered -> joined step of Figure 12.
void ClientCore::come_back(Time now) {
  if (!comeback_at_ || now < *comeback_at_) return;
  if (state_ != State::active || !polled_) {
    comeback_at_.reset();  // left, re-activating or over: a new KAREQ starts the count again
    return;
  }
  comeback_at_ = now + ka_period_ms();
  if (muted_) return;  // a silent member stays silent (tests of Figure 12)
  send_mm(build::kares(session_, user_, my_type(), mode_, std::nullopt));
}

// Figure 18, profile 6.4: parts 1..n of one list, LIST-PART in each.
void ClientCore::on_uires(const MmMessage& m, std::span<const std::uint8_t> raw) {
  if (uireq_sent_ == 0) return unexpected(Channel::mm, raw, "UIRES without a UIREQ outstanding");
  const auto* part = find<opt::ListPart>(m.options);
  if (!part || part->index == 0 || part->index > part->count)
    return unexpected(Channel::mm, raw, "UIRES without a valid LIST-PART");
  if (parts_count_ == 0) {
    parts_count_ = part->count;
    parts_seen_.assign(part->count, false);
  } else if (part->count != parts_count_) {
    return unexpected(Channel::mm, raw,
                      "LIST-PART count " + std::to_string(part->count) + " differs from " +
                          std::to_string(parts_count_) + " in an earlier part");
  }
  if (parts_seen_[part->index - 1])
    return unexpected(Channel::mm, raw, "UIRES part " + std::to_string(part->index) + " twice");
  parts_seen_[part->index - 1] = true;
  for (const auto* list : find_all<opt::MemberList>(m.options))
    for (const auto& entry : list->entries)
      if (parts_members_.size() < max_listed_members) parts_members_.push_back(entry);
  // Profile 6.4: MEMBER-COUNT is in part 1 only; one in another part is not the count.
  if (const auto* count = find<opt::MemberCount>(m.options); count && part->index == 1)
    parts_member_count_ = count->count;
  if (std::find(parts_seen_.begin(), parts_seen_.end(), false) != parts_seen_.end()) return;
  Event e;
  e.kind = EventKind::members;
  e.members = std::move(parts_members_);
  e.member_count = parts_member_count_;
  e.parts = parts_count_;
  emit(std::move(e));
  uireq_sent_ = 0;
  parts_count_ = 0;
  parts_seen_.clear();
  parts_members_.clear();
  parts_member_count_.reset();
}

// Figure 24, profile 6.6: a new key for the joined group.
void ClientCore::on_kdupt(const MmMessage& m, std::span<const std::uint8_t> raw) {
  if (!secure_ && hooks_.kdupt_needs_secure)
    return unexpected(Channel::mm, raw, "KDUPT in a session that is not secure");
  if (!allowed(Input::kdupt)) return refuse_message(Channel::mm, raw, "KDUPT while not joined");
  const auto* key = find<opt::GroupKey>(m.options);
  if (!key || key->key.empty() || key->key.size() != m.key_length)
    return unexpected(Channel::mm, raw, "KDUPT whose GROUP-KEY does not match its key length");
  install_key(*key, "KDUPT");
  apply(Input::kdupt);  // changes no state: checks the invariants (the epoch only grows)
}

// Keys by epoch: only a newer epoch replaces the key (an older or equal one is reported).
// Epochs are serial numbers (profile 6.6): 1 after 65,535 is newer, 65,535 after 1 is not.
void ClientCore::install_key(const opt::GroupKey& k, const char* source) {
  Event e;
  e.epoch = k.epoch;
  e.current_epoch = key_epoch_;
  e.detail = source;
  const bool stale = key_epoch_ != 0 ? !epoch_newer(k.epoch, key_epoch_) : k.epoch == 0;
  if (stale && hooks_.newer_epochs_only) {
    e.kind = EventKind::key_ignored;
  } else {
    e.kind = EventKind::key;
    key_epoch_ = k.epoch;
    key_ = k.key;
    e.key = k.key;
  }
  emit(std::move(e));
}

// Figures 16, 20, 21, 22: TRIND (SS = 1, checked by the codec) ends the session.
void ClientCore::on_trind(const MmMessage& m, std::span<const std::uint8_t> raw) {
  if (!allowed(Input::trind))
    return refuse_message(Channel::mm, raw,
                          std::string(name(m.type)) + " not allowed in state " + std::string(name(state_)));
  end_session(Input::trind, "TRIND");
}

}  // namespace gmp::client
