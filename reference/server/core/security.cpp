// Secure mode: profile 6.6, clause 7.3, Figures 23 (server control algorithm) and 24 (key
// distribution by KDUPT). The refusal of secure mode (SCREJ S = 1, REASON 3) is in
// creation.cpp; the key in SJRES in registration.cpp (on_sjreq).
#include <cassert>

#include "impl.hpp"

namespace gmp::server {

// Profile 6.6 [P]: 16 random bytes from the injected source (the OS CSPRNG in the shell);
// the epoch starts at 1 and grows by one with each new key.
void Server::Impl::new_key(Session& s) {
  s.key_length = 16;
  rng->fill(std::span<std::uint8_t>(s.key.data(), s.key_length));
  [[maybe_unused]] const std::uint16_t old = s.epoch;
  s.epoch = next_epoch(s.epoch);  // a serial number: 1 follows 65,535 (profile 6.6)
  assert((old == 0 || epoch_newer(s.epoch, old)) && "key epochs only grow");
}

opt::GroupKey Server::Impl::group_key(const Session& s) const {
  return opt::GroupKey{s.epoch, std::vector<std::uint8_t>(s.key.begin(), s.key.begin() + s.key_length)};
}

void Server::Impl::send_kdupt(Session& s, Member& m) {
  assert((m.key_epoch == 0 || m.key_epoch == s.epoch || epoch_newer(s.epoch, m.key_epoch)) &&
         "a member's key epoch only grows");
  m.key_epoch = s.epoch;
  send_mm(mm_address(m), build::kdupt(context(s), m.user, m.type, group_key(s)));
}

// Figures 23 and 24 (clause 7.3): when members leave the joined group (joined -> registered),
// the key is discarded, a new one made and sent by KDUPT to every joined and active member
// with a bound MM address. The members that left never receive it. Members leaving in the
// same round share one new key.
void Server::Impl::rekey(Session& s, const std::vector<UserId>& leavers) {
  if (!s.secure || !hooks.rekey_on_leave) return;
  new_key(s);
  ++ctr.rekeys;
  changed();
  for (Member& m : s.members.all())
    if (m.bound && (m.state == MemberState::joined || m.state == MemberState::active))
      send_kdupt(s, m);
  if (hooks.new_key_to_leavers)
    for (UserId u : leavers)
      if (Member* m = s.members.find(u); m && m->bound) send_kdupt(s, *m);
}

// Profile 6.6 [P]: a member that becomes active holding an older key gets the current one
// right after its KARES. The session's epoch never goes back, so any other epoch is older
// (also across the wrap from 65,535 to 1).
void Server::Impl::catch_up_key(Session& s, Member& m) {
  if (s.secure && m.key_epoch != s.epoch) send_kdupt(s, m);
}

}  // namespace gmp::server
