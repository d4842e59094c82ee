// Termination (profile 6.3: Figures 16, 20, 21, 22) and deletion (5.6, Table 1 SDREQ/SDRES).
#include "impl.hpp"

namespace gmp::server {

// Figures 16, 20, 21, 22: TRIND (SS = 1) to every member with a bound MM address, the one
// whose message or silence ended the session included; then the session leaves the list.
void Server::Impl::terminate(Session& s, const Member* causer) {
  const UserId cause = causer ? causer->user : UserId{};
  for (const Member& m : s.members.all())
    if (m.bound) send_mm(mm_address(m), build::trind(context(s), m.user, m.type));
  deadlines.clear(detail::DeadlineQueue::session, s.id);
  emit(SessionTerminated{s.id, cause});
  ++ctr.sessions_ended;
  changed();
  members_total -= s.members.size();
  sessions.erase(s.id.value);  // `s` is gone from here on
}

// Figure 21: the creator's TRREQ (dispatch.cpp checked it is the creator).
void Server::Impl::on_trreq(Session& s, Member& m) { terminate(s, &m); }

// Profile 5.6: SDREQ from the creator -> TRIND to the members, SDRES (REASON 0), session
// removed. From another registered member (from its own address) -> SDRES REASON 2, nothing
// else changes.
void Server::Impl::on_sdreq(ConnId c, Ipv4 peer, const SmMessage& m) {
  Session* s = nullptr;
  Member* mem = sm_member(s, m, peer);
  if (!mem) return;
  const bool closed = s->mode == Mode::closed;
  const UserId mem_user = mem->user;
  if (mem->user != s->creator && hooks.only_creator_deletes) {
    send_sm(c, build::sdres(s->id, mem->user, Reason::not_authorised, closed, s->secure));
    return;
  }
  SmMessage res = build::sdres(s->id, mem->user, Reason::success, closed, s->secure);
  const SessionId id = s->id;
  terminate(*s, nullptr);
  send_sm(c, std::move(res));
  emit(SessionDeleted{id, mem_user});
}

// SIGINT/SIGTERM: every session ends as by TRREQ (TRIND to every member with an address).
void Server::Impl::shutdown() {
  std::vector<std::uint16_t> ids;
  for (const auto& [id, s] : sessions) ids.push_back(id);
  for (auto id : ids)
    if (Session* s = find_session(SessionId{id})) terminate(*s, s->members.find(s->creator));
  for (const auto& [id, p] : pending) deadlines.clear(detail::DeadlineQueue::pending, p.id);
  pending.clear();
}

}  // namespace gmp::server
