// Keepalive rounds and the membership ladder: profile 6.1, Figure 12 (clause 7.2).
//
// One deadline per session drives everything: the next round's start, or the timeout of the
// current round. A member's "KA timer" is two small fields: `last_timely` (the last round it
// answered within the KA timeout: an epoch counter, no per-member timer) and `misses` (rounds
// missed in a row). A round costs one pass over the members to send KAREQ and one pass at its
// timeout to count misses; a KARES is O(1).
#include "impl.hpp"

namespace gmp::server {

void Server::Impl::schedule(Session& s) {
  deadlines.set(detail::DeadlineQueue::session, s.id, s.deadline());
}

void Server::Impl::on_session_timer(Session& s, Time now) {
  if (s.check_pending && s.check_at() <= now) {
    const SessionId id = s.id;
    check_round(s);
    if (!find_session(id)) return;  // the session ended (profile 6.3)
  }
  if (s.next_round_at <= now) start_round(s, now);
  schedule(s);
}

// Profile 6.1: every KA period, round r (1, 2, 3...) sends KAREQ with KA-SEQ = r to every
// polled member.
void Server::Impl::start_round(Session& s, Time now) {
  ++s.round;
  ++ctr.rounds;
  s.round_started = now;
  s.check_pending = true;
  s.next_round_at += s.ka_period.duration();
  if (s.next_round_at <= now) s.next_round_at = now + s.ka_period.duration();  // late: no burst
  sending.push_back(Sending{s.id, s.round, 0});  // KAREQ to every polled member, see refill()
}

void Server::Impl::refill(std::size_t max) {
  while (!sending.empty() && out.size() - out_pos < max) {
    Sending& job = sending.front();
    Session* s = find_session(job.session);
    if (!s || s->round != job.round) {  // ended, or (never while draining) overtaken
      sending.pop_front();
      continue;
    }
    auto all = s->members.all();
    while (job.next < all.size() && out.size() - out_pos < max) {
      Member& m = all[job.next++];
      if (m.polled && m.bound) send_kareq(*s, m, job.round);
    }
    if (job.next >= all.size()) sending.pop_front();
  }
}

void Server::Impl::send_kareq(Session& s, Member& m, std::uint32_t round) {
  send_mm(mm_address(m), build::kareq(context(s), m.user, m.type, round));
}

// The timeout of round r: every member polled before r that did not answer r in time has
// missed one more round; at `miss limit` misses in a row its KA timer has run out.
void Server::Impl::check_round(Session& s) {
  s.check_pending = false;
  const std::uint32_t r = s.round;
  const unsigned limit = hooks.honour_miss_limit ? s.miss_limit : 1u;
  std::vector<UserId> leavers;  // allocated only when a member leaves the joined group
  for (Member& m : s.members.all()) {
    if (!m.polled || m.polled_since >= r || m.last_timely == r) continue;
    if (m.misses < 255) ++m.misses;
    if (m.misses < limit || !hooks.timeout_demotes) continue;
    bool left_joined_group = false;
    if (on_ka_timer_expired(s, m, left_joined_group)) return;  // session ended
    if (left_joined_group) leavers.push_back(m.user);
  }
  if (!leavers.empty()) rekey(s, leavers);
}

// Figure 12, "KA timer expired": active -> joined (still polled), joined -> registered (no
// longer polled). Profile 6.3: for the creator or a base member the session ends instead
// (Figures 16 and 22), whether it is active or joined and polled.
bool Server::Impl::on_ka_timer_expired(Session& s, Member& m, bool& left_joined_group) {
  if ((m.type == MemberType::creator || m.type == MemberType::base) &&
      hooks.base_timeout_terminates) {
    terminate(s, &m);
    return true;
  }
  m.misses = 0;  // the KA timer starts again in the lower state
  ++ctr.demotions;
  const MemberState from = m.state;
  if (const auto step = climb(m, detail::LadderInput::ka_timer_expired, false).step)
    apply(s, m, *step);
  // Clause 7.3: leaving the joined group means a new key (security.cpp, rekey).
  left_joined_group = from == MemberState::joined && m.state == MemberState::registered;
  return false;
}

// Figure 12, "KARES received": registered -> joined (polled again), joined -> active, active
// stays. Only a KARES answering the latest round within its timeout resets the miss count.
void Server::Impl::on_kares(Session& s, Member& m, const MmMessage& msg, Time now) {
  const auto* seq = find<opt::KaSeq>(msg.options);
  const std::uint32_t r = seq ? seq->round : s.round;
  if (r > s.round && hooks.refuse_future_rounds) {
    discard(Discard::future_round);  // a round the session never sent
    return;
  }
  // A joined member that left with LVREQ is no longer polled: not allowed (not_polled).
  const Climb climbed = climb(m, detail::LadderInput::kares, hooks.refuse_kares_after_leave);
  if (!climbed.allowed) return;
  const bool timely = r == s.round && s.check_pending && now <= s.check_at();
  if (timely && m.polled) {
    m.last_timely = r;
    m.misses = 0;
  } else if (!hooks.late_kares_is_a_miss) {
    m.misses = 0;
  }
  if (!climbed.step || climbed.step->to == m.state) return;  // active stays active
  if (m.state == MemberState::registered && !hooks.kares_promotes_registered) return;
  apply(s, m, *climbed.step);
  ++ctr.promotions;
  if (m.state == MemberState::active) catch_up_key(s, m);  // profile 6.6 [P]
}

}  // namespace gmp::server
