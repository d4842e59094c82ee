// User information (profile 6.2 and 6.4: Figures 15, 17, 18) and leave (6.5: Figure 19).
#include <algorithm>

#include "impl.hpp"

namespace gmp::server {

namespace {

// Fault uires_no_split: every entry in one UIRES, whatever its size.
MmMessage one_part(MmMessage first, const std::vector<opt::MemberEntry>& entries) {
  Options kept;
  for (auto& o : first.options)
    if (!std::holds_alternative<opt::MemberList>(o)) kept.push_back(std::move(o));
  for (auto& o : kept)
    if (auto* lp = std::get_if<opt::ListPart>(&o)) *lp = opt::ListPart{1, 1};
  for (std::size_t i = 0; i < entries.size(); i += opt::max_member_entries) {
    const auto end = std::min(entries.size(), i + opt::max_member_entries);
    kept.emplace_back(opt::MemberList{{entries.begin() + static_cast<std::ptrdiff_t>(i),
                                       entries.begin() + static_cast<std::ptrdiff_t>(end)}});
  }
  first.options = std::move(kept);
  return first;
}

}  // namespace

// Figures 15 and 17 (status notification), 18 (UIREQ -> UIRES). Closed mode lists every
// active member; open mode lists the active creator and base members and counts the other
// active members (the requester included). Ascending user ID; parts of at most 1,200 bytes.
void Server::Impl::on_uireq(Session& s, Member& m) {
  const bool list_all = s.mode == Mode::closed || fault(Fault::uires_open_lists_all);
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
  if (fault(Fault::uires_unsorted)) {
    std::sort(entries.begin(), entries.end(),
              [](const auto& a, const auto& b) { return a.user > b.user; });
  } else {
    std::sort(entries.begin(), entries.end(),
              [](const auto& a, const auto& b) { return a.user < b.user; });
  }
  std::optional<std::uint32_t> count;
  if (s.mode == Mode::open && !fault(Fault::uires_no_member_count)) count = counted;
  auto parts = build::uires(context(s), m.user, m.type, entries, count);
  if (fault(Fault::uires_no_split) && parts.size() > 1) {
    send_mm(mm_address(m), one_part(std::move(parts.front()), entries));
    return;
  }
  for (auto& p : parts) send_mm(mm_address(m), std::move(p));
}

// Figure 19 (LVREQ): an active member goes back to the joined list; either way it is no longer
// polled. Figure 20: from the creator or a base member, LVREQ ends the session (profile 6.3).
void Server::Impl::on_lvreq(Session& s, Member& m) {
  if ((m.type == MemberType::creator || m.type == MemberType::base) &&
      !fault(Fault::no_terminate_on_base_lvreq)) {
    terminate(s, &m);
    return;
  }
  if (m.state == MemberState::active) set_state(s, m, MemberState::joined);
  if (!fault(Fault::kareq_after_leave)) m.polled = false;
  changed();
}

}  // namespace gmp::server
