// The faulty build's output filter: faults that change what the server sends are applied here
// to what the core polls, after each input (so a fault can drop what one input produced, e.g.
// the KAREQ that answers an SAREQ). The core's own queues are emptied eagerly: the faulty
// build never serves sessions large enough for the lazy round queue to matter.
#include <algorithm>

#include "faulty_server.hpp"

namespace gmp::server {

namespace {

template <class T, class M>
T* option(M& m) {
  for (auto& o : m.options)
    if (auto* p = std::get_if<T>(&o)) return p;
  return nullptr;
}

template <class T, class M>
void drop_option(M& m) {
  std::erase_if(m.options, [](const auto& o) { return std::holds_alternative<T>(o); });
}

void shorten_key(Options& options) {
  for (auto& o : options)
    if (auto* k = std::get_if<opt::GroupKey>(&o); k && k->key.size() > 8) k->key.resize(8);
}

bool is_sm(const Transmit& t, SmType type) {
  const auto* s = std::get_if<SendSm>(&t);
  return s && s->msg.type == type;
}

const SendMm* uires(const Transmit& t) {
  const auto* m = std::get_if<SendMm>(&t);
  return m && m->msg.type == MmType::UIRES ? m : nullptr;
}

std::vector<opt::MemberEntry> entries_of(const MmMessage& m) {
  std::vector<opt::MemberEntry> all;
  for (const auto& o : m.options)
    if (const auto* l = std::get_if<opt::MemberList>(&o))
      all.insert(all.end(), l->entries.begin(), l->entries.end());
  return all;
}

}  // namespace

void FaultyServer::collect(Input in) {
  causes_.clear();
  while (auto e = Server::poll_event()) {
    if (const auto* t = std::get_if<SessionTerminated>(&*e)) causes_[t->session.value] = t->cause;
    events_.push_back(std::move(*e));
  }
  std::vector<Transmit> batch;
  while (auto t = Server::poll_transmit()) batch.push_back(std::move(*t));
  filter(batch, in);
  for (auto& t : batch) out_.push_back(std::move(t));
}

// GCC 12 sees the moved-from variant's members as "maybe uninitialized" (a false positive).
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
std::optional<Transmit> FaultyServer::poll_transmit() {
  if (out_.empty()) collect(Input{});
  if (out_.empty()) return std::nullopt;
  std::optional<Transmit> t(std::move(out_.front()));
  out_.pop_front();
  return t;
}
#pragma GCC diagnostic pop

std::optional<Event> FaultyServer::poll_event() {
  while (auto e = Server::poll_event()) events_.push_back(std::move(*e));
  if (events_.empty()) return std::nullopt;
  Event e = std::move(events_.front());
  events_.pop_front();
  return e;
}

void FaultyServer::filter(std::vector<Transmit>& batch, Input in) {
  if (!hung_.empty())  // hang_on_zero_length_option
    std::erase_if(batch, [&](const Transmit& t) {
      const auto* s = std::get_if<SendSm>(&t);
      const auto* c = std::get_if<CloseConn>(&t);
      return (s && hung_.contains(s->conn)) || (c && hung_.contains(c->conn));
    });
  if (has(Fault::uires_unsorted) || has(Fault::uires_no_split) || has(Fault::uires_pack_62) ||
      has(Fault::member_count_every_part) || has(Fault::uires_option_order_swapped))
    filter_uires(batch);
  std::vector<Transmit> kept;
  for (std::size_t i = 0; i < batch.size(); ++i) {
    Transmit& t = batch[i];
    filter_missing_branches(t, in);
    if (std::holds_alternative<CloseConn>(t)) {
      if (in.kind == Input::framing && has(Fault::no_close_on_framing_error)) continue;
    } else if (auto* s = std::get_if<SendSm>(&t)) {
      SmMessage& m = s->msg;
      if (m.type == SmType::SCACC && has(Fault::scacc_sets_mode)) m.closed = true;
      if (m.type == SmType::SRRES && has(Fault::no_srres)) continue;
      if (m.type == SmType::SRRES && has(Fault::srres_after_check) && i + 1 < batch.size() &&
          (is_sm(batch[i + 1], SmType::SRACC) || is_sm(batch[i + 1], SmType::SRREJ))) {
        std::swap(batch[i], batch[i + 1]);  // the answer first, then the SRRES
        kept.push_back(std::move(batch[i]));
        continue;
      }
      if (m.type == SmType::SRREJ) {
        const auto* r = option<opt::ReasonCode>(m);
        const bool unknown = r && r->reason == Reason::unknown_session;
        if (unknown && has(Fault::srres_before_unknown_session))
          kept.emplace_back(SendSm{s->conn, build::srres(m.session, true, false)});
        if (!unknown && has(Fault::srrej_no_reason)) m.options.clear();
      }
      if (m.type == SmType::SJRES) {
        if (const auto* k = option<opt::GroupKey>(m); k && has(Fault::sjres_no_key)) {
          withheld_[{m.session.value, m.user.value}] = *k;
          drop_option<opt::GroupKey>(m);
        }
        if (has(Fault::sjres_wrong_group)) m.group_address.value ^= 1;
        if (has(Fault::short_group_key)) shorten_key(m.options);
      }
    } else if (auto* mm = std::get_if<SendMm>(&t)) {
      MmMessage& m = mm->msg;
      if (m.type == MmType::KAREQ) {
        if (in.kind == Input::sm_message && in.sm == SmType::SAREQ && has(Fault::no_kareq_on_sareq)) continue;
        if (in.kind == Input::timeout && has(Fault::no_kareq_rounds)) continue;
        if (auto* seq = option<opt::KaSeq>(m); seq && has(Fault::ka_seq_not_incremented)) seq->round = 1;
        if (has(Fault::kareq_wrong_ka_values)) m.ka_period = KaUnits{0};
      } else if (m.type == MmType::TRIND) {
        if (in.kind == Input::sm_message && in.sm == SmType::SDREQ && has(Fault::sdres_no_trind)) continue;
        const auto cause = causes_.find(m.session.value);
        if (cause != causes_.end() && cause->second.value != 0 && cause->second == m.user &&
            has(Fault::no_trind_to_causer))
          continue;
        if (has(Fault::trind_no_ss)) m.ss = false;
      } else if (m.type == MmType::UIRES) {
        if (has(Fault::uires_no_member_count)) drop_option<opt::MemberCount>(m);
      } else if (m.type == MmType::KDUPT) {
        withheld_.erase({m.session.value, m.user.value});
        if (in.kind == Input::mm_message && in.mm == MmType::KARES && has(Fault::no_catchup_kdupt)) continue;
        if (has(Fault::short_group_key)) shorten_key(m.options);
      }
    }
    kept.push_back(std::move(t));
  }
  batch = std::move(kept);
  if (in.kind == Input::mm_message && in.mm == MmType::KARES) catch_up_withheld_keys(batch);
  standing_faults(batch, in);
}

SmMessage FaultyServer::faster_rounds(const SmMessage& scinf) {
  SmMessage m = scinf;
  opt::Keepalive ka;  // profile 4 defaults when SCINF omits KEEPALIVE
  if (const auto* k = option<opt::Keepalive>(m)) ka = *k;
  if (ka.period.value < 2) return m;
  asked_ka_[m.session.value] = {ka.period, ka.timeout};
  drop_option<opt::Keepalive>(m);
  ka.period = KaUnits{static_cast<std::uint8_t>(ka.period.value - 1)};
  ka.timeout = KaUnits{std::min(ka.timeout.value, ka.period.value)};
  m.options.emplace_back(ka);
  return m;
}

// Each switch below breaks one header field, reserved bit or answer count that the tester's
// standing checks (docs/conformance.md "Standing checks") must catch in any test purpose.
void FaultyServer::standing_faults(std::vector<Transmit>& batch, Input in) {
  std::vector<Transmit> out;
  for (auto& t : batch) {
    std::optional<Transmit> extra;
    if (auto* s = std::get_if<SendSm>(&t)) {
      SmMessage& m = s->msg;
      if (m.type == SmType::SRACC && m.closed && has(Fault::extra_srres_after_sracc))
        extra = SendSm{s->conn, build::srres(m.session, m.closed, m.secure)};
      if (m.type == SmType::SJRES && has(Fault::duplicate_sjres)) extra = t;
      if (m.type == SmType::SRACC && has(Fault::sracc_no_m)) m.closed = false;
      if (m.type == SmType::SRACC && has(Fault::sracc_no_s)) m.secure = false;
      if (m.type == SmType::SRRES && has(Fault::srres_no_m)) m.closed = false;
      if (m.type == SmType::SRREJ && has(Fault::refusal_wrong_ids)) m.user = UserId{1};
      if (m.type == SmType::SCREJ && has(Fault::refusal_wrong_ids)) m.session = SessionId{1};
      if (has(Fault::sm_reserved_bit_set)) m.q = true;
      if (has(Fault::sm_reserved_byte_set)) m.reserved = 1;
    } else if (auto* mm = std::get_if<SendMm>(&t)) {
      MmMessage& m = mm->msg;
      if (auto a = asked_ka_.find(m.session.value); a != asked_ka_.end()) {
        m.ka_period = a->second.first;
        m.ka_timeout = a->second.second;
      }
      if (m.type == MmType::KAREQ) {
        if (has(Fault::ka_period_off_by_one)) m.ka_period = KaUnits{static_cast<std::uint8_t>(m.ka_period.value + 1)};
        if (has(Fault::ka_timeout_off_by_one)) m.ka_timeout = KaUnits{static_cast<std::uint8_t>(m.ka_timeout.value + 1)};
        if (auto* seq = option<opt::KaSeq>(m); seq && seq->round >= 3 && in.kind == Input::timeout &&
                                                has(Fault::ka_seq_skips_round))
          ++seq->round;
        if (has(Fault::wrong_group_in_kareq)) m.group_address.value ^= 1;
        if (has(Fault::wrong_user_in_kareq)) m.user.value ^= 1;
        if (has(Fault::wrong_member_type_in_kareq))
          m.member_type = static_cast<std::uint8_t>(m.member_type == static_cast<std::uint8_t>(MemberType::participant)
                                                        ? MemberType::base
                                                        : MemberType::participant);
        if (has(Fault::key_length_outside_kdupt)) m.key_length = 16;
      }
      if (m.type == MmType::UIRES && has(Fault::member_list_reserved_nonzero))
        for (auto& o : m.options)
          if (auto* l = std::get_if<opt::MemberList>(&o)) {
            opt::Unknown raw{15, {}};  // the same entries, reserved byte 1 (profile 4)
            for (const auto& e : l->entries)
              raw.value.insert(raw.value.end(), {static_cast<std::uint8_t>(e.user.value >> 8),
                                                 static_cast<std::uint8_t>(e.user.value & 0xFF), e.member_type, 1});
            o = raw;
          }
      if (m.type == MmType::TRIND && has(Fault::extra_trind)) extra = t;
      if (has(Fault::mm_reserved_flag_set)) m.r = true;
      if (has(Fault::mm_reserved_byte_set)) m.reserved = 1;
    }
    out.push_back(std::move(t));
    if (extra) out.push_back(std::move(*extra));
  }
  if (has(Fault::extra_uires_part))
    for (std::size_t i = out.size(); i-- > 0;)
      if (uires(out[i])) {
        out.insert(out.begin() + static_cast<std::ptrdiff_t>(i) + 1, out[i]);
        break;
      }
  batch = std::move(out);
}

void FaultyServer::catch_up_withheld_keys(std::vector<Transmit>& batch) {
  for (auto it = withheld_.begin(); it != withheld_.end();) {
    const SessionId sid{it->first.first};
    const UserId uid{it->first.second};
    const auto s = session(sid);
    const auto m = member(sid, uid);
    if (!s || !m || s->key_epoch != it->second.epoch) {  // ended, or a new key reached it
      it = withheld_.erase(it);
      continue;
    }
    if (m->state != MemberState::active || !m->mm) {
      ++it;
      continue;
    }
    const build::MmContext c{sid, s->mode, s->group_port, s->group, s->ka_period, s->ka_timeout};
    batch.emplace_back(SendMm{*m->mm, build::kdupt(c, uid, m->type, it->second)});
    it = withheld_.erase(it);
  }
}

// The parts of one UIRES (consecutive, to one recipient): uires_unsorted lists the entries in
// descending user ID across the parts; uires_no_split puts every entry in the first part.
void FaultyServer::filter_uires(std::vector<Transmit>& batch) {
  for (std::size_t i = 0; i < batch.size(); ++i) {
    const SendMm* first = uires(batch[i]);
    if (!first) continue;
    std::size_t end = i + 1;
    while (end < batch.size() && uires(batch[end]) && uires(batch[end])->to == first->to) ++end;
    std::vector<opt::MemberEntry> all;
    std::vector<std::size_t> sizes;
    for (std::size_t k = i; k < end; ++k) {
      auto part = entries_of(std::get<SendMm>(batch[k]).msg);
      sizes.push_back(part.size());
      all.insert(all.end(), part.begin(), part.end());
    }
    if (has(Fault::uires_unsorted))
      std::sort(all.begin(), all.end(), [](const auto& a, const auto& b) { return a.user > b.user; });
    if (has(Fault::uires_no_split) && end - i > 1) {
      sizes.assign(1, all.size());
      if (auto* lp = option<opt::ListPart>(std::get<SendMm>(batch[i]).msg)) *lp = opt::ListPart{1, 1};
      batch.erase(batch.begin() + static_cast<std::ptrdiff_t>(i + 1),
                  batch.begin() + static_cast<std::ptrdiff_t>(end));
      end = i + 1;
    }
    // Refill each part's MEMBER-LIST options with its share, in chunks of at most 63
    // (uires_pack_62: 62).
    const std::size_t chunk = has(Fault::uires_pack_62) ? 62 : opt::max_member_entries;
    const auto* count = option<opt::MemberCount>(std::get<SendMm>(batch[i]).msg);
    const std::optional<opt::MemberCount> first_count = count ? std::optional(*count) : std::nullopt;
    std::size_t next = 0;
    for (std::size_t k = i; k < end; ++k) {
      MmMessage& m = std::get<SendMm>(batch[k]).msg;
      drop_option<opt::MemberList>(m);
      // member_count_every_part: MEMBER-COUNT in every part, not in part 1 only (profile 6.4)
      if (k > i && first_count && has(Fault::member_count_every_part)) m.options.emplace_back(*first_count);
      const std::size_t stop = next + sizes[k - i];
      for (; next < stop; next += chunk) {
        const auto chunk_end = std::min(stop, next + chunk);
        m.options.emplace_back(opt::MemberList{{all.begin() + static_cast<std::ptrdiff_t>(next),
                                                all.begin() + static_cast<std::ptrdiff_t>(chunk_end)}});
      }
      // uires_option_order_swapped: LIST-PART last instead of first (profile 6.4)
      if (has(Fault::uires_option_order_swapped) && !m.options.empty())
        std::rotate(m.options.begin(), m.options.begin() + 1, m.options.end());
    }
    i = end - 1;
  }
}

// missing branches: wrong_ka_seq_after_sareq, kdupt_wrong_key_length, and what the input
// faults need to know: each member's last KAREQ (round, time) and each SRACC's source IP.
void FaultyServer::filter_missing_branches(Transmit& t, Input in) {
  if (kareq_.size() > 100000) kareq_.clear();  // the faulty build's own bound
  if (auto* s = std::get_if<SendSm>(&t)) {
    if (s->msg.type == SmType::SRACC && in.kind == Input::sm_message && in.sm == SmType::SRREQ)
      registered_from_[{s->msg.session.value, s->msg.user.value}] = in.peer;
    return;
  }
  auto* mm = std::get_if<SendMm>(&t);
  if (!mm) return;
  MmMessage& m = mm->msg;
  if (m.type == MmType::KDUPT && has(Fault::kdupt_wrong_key_length)) m.key_length = 8;
  if (m.type != MmType::KAREQ) return;
  auto* seq = option<opt::KaSeq>(m);
  if (!seq) return;
  // profile 5.5: the KAREQ that answers SAREQ carries the current round; here the next one
  if (in.kind == Input::sm_message && in.sm == SmType::SAREQ && has(Fault::wrong_ka_seq_after_sareq))
    seq->round += 1;
  kareq_[{m.session.value, m.user.value}] = {seq->round, now_};
}

}  // namespace gmp::server
