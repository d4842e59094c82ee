#include "conn_guard.hpp"

#include <algorithm>

namespace gmp::server {

void ConnGuard::opened(ConnId c, Time now) { conns_[c.value] = Entry{now, std::nullopt, std::nullopt}; }

void ConnGuard::closed(ConnId c) {
  auto it = conns_.find(c.value);
  if (it == conns_.end()) return;
  if (const auto& k = it->second.member) {
    auto o = owner_.find(key_of(k->session, k->user));
    if (o != owner_.end() && o->second == c.value) owner_.erase(o);
  }
  conns_.erase(it);
}

void ConnGuard::activity(ConnId c, Time now) {
  auto it = conns_.find(c.value);
  if (it != conns_.end()) it->second.last = now;
}

void ConnGuard::framed(ConnId c, std::size_t buffered, bool took_frame, Time now) {
  auto it = conns_.find(c.value);
  if (it == conns_.end()) return;
  auto& p = it->second.partial_since;
  if (buffered == 0) {
    p.reset();
  } else if (took_frame || !p) {
    p = now;
  }
}

// Profile 5.1 (SCACC: a pending creation; SCCON: the creator), 5.3 (SRACC), 5.4 (SJRES): the
// answers after which the profile's client may come back on this connection.
void ConnGuard::answered(ConnId c, const SmMessage& m, Time now) {
  const bool positive = m.type == SmType::SCACC || m.type == SmType::SCCON ||
                        m.type == SmType::SRACC || m.type == SmType::SJRES;
  if (!positive) return;
  auto it = conns_.find(c.value);
  if (it == conns_.end()) return;
  Entry& e = it->second;
  const std::uint32_t k = key_of(m.session, m.user);
  if (e.member && key_of(e.member->session, e.member->user) != k) {
    auto o = owner_.find(key_of(e.member->session, e.member->user));
    if (o != owner_.end() && o->second == c.value) owner_.erase(o);
  }
  auto [o, fresh] = owner_.try_emplace(k, c.value);
  if (!fresh && o->second != c.value) {  // the member's newer connection takes over
    auto prev = conns_.find(o->second);
    if (prev != conns_.end()) prev->second.member.reset();
    o->second = c.value;
  }
  e.member = Key{m.session, m.user, m.type == SmType::SCACC, now};
}

std::vector<ConnGuard::Expired> ConnGuard::expired(Time now, const Alive& alive) const {
  std::vector<Expired> out;
  for (const auto& [id, e] : conns_) {
    if (t_.frame.count() > 0 && e.partial_since && now - *e.partial_since >= t_.frame) {
      out.push_back({ConnId{id}, Expiry::partial_frame});
      continue;
    }
    if (t_.idle.count() <= 0 || now - e.last < t_.idle) continue;
    if (e.member && alive(e.member->session, e.member->user, e.member->pending, e.member->since))
      continue;
    out.push_back({ConnId{id}, Expiry::idle});
  }
  return out;
}

Millis ConnGuard::period() const {
  Millis shortest{1000};
  for (const Millis t : {t_.frame, t_.idle})
    if (t.count() > 0) shortest = std::min(shortest, t / 4);
  return std::clamp(shortest, Millis{20}, Millis{1000});
}

}  // namespace gmp::server
