// User information (profile 6.2 and 6.4: Figures 15, 17, 18) and leave (6.5: Figure 19).
#include <algorithm>

#include "impl.hpp"

namespace gmp::server {

// Figures 15 and 17 (status notification), 18 (UIREQ -> UIRES). Closed mode lists every
// active member; open mode lists the active creator and base members and counts the other
// active members (the requester included). Ascending user ID; parts of at most 1,200 bytes.
void Server::Impl::on_uireq(Session& s, Member& m) {
  const bool list_all = s.mode == Mode::closed || hooks.open_uires_lists_participants;
  std::vector<opt::MemberEntry> entries;
  std::uint32_t counted = 0;
  for (const Member& x : s.members.all()) {
    if (x.state != MemberState::active) continue;
    if (!list_all && x.type == MemberType::participant) {
      ++counted;
      continue;
    }
    entries.push_back(opt::MemberEntry{x.user, static_cast<std::uint8_t>(x.type)});
  }
  std::sort(entries.begin(), entries.end(),
            [](const auto& a, const auto& b) { return a.user < b.user; });
  std::optional<std::uint32_t> count;
  if (s.mode == Mode::open) count = counted;
  for (auto& p : build::uires(context(s), m.user, m.type, entries, count)) send_mm(mm_address(m), std::move(p));
}

// Figure 19 (LVREQ): an active member goes back to the joined list; either way it is no longer
// polled. Figure 20: from the creator or a base member, LVREQ ends the session (profile 6.3).
void Server::Impl::on_lvreq(Session& s, Member& m) {
  // Profile 7: only a polled member may leave (the ladder's LVREQ rows).
  const Climb climbed = climb(m, detail::LadderInput::lvreq, hooks.check_member_state);
  if (!climbed.allowed) return;
  if ((m.type == MemberType::creator || m.type == MemberType::base) &&
      hooks.base_leave_terminates) {
    terminate(s, &m);
    return;
  }
  detail::LadderStep step = climbed.step.value_or(detail::LadderStep{m.state, detail::Polled::clear});
  if (!hooks.leave_stops_polling) step.polled = detail::Polled::keep;
  apply(s, m, step);
  changed();
}

}  // namespace gmp::server
