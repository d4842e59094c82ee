#include "member_table.hpp"

namespace gmp::server::detail {

std::uint32_t name_hash(std::string_view s) {  // FNV-1a
  std::uint32_t h = 2166136261u;
  for (unsigned char c : s) h = (h ^ c) * 16777619u;
  return h;
}

Member* MemberTable::find(UserId u) {
  auto slot = by_user_.find(u.value, [](std::uint32_t) { return true; });
  return slot ? &members_[*slot] : nullptr;
}

const Member* MemberTable::find(UserId u) const {
  auto slot = by_user_.find(u.value, [](std::uint32_t) { return true; });
  return slot ? &members_[*slot] : nullptr;
}

Member* MemberTable::find_name(std::string_view n) {
  auto slot = by_name_.find(name_hash(n), [&](std::uint32_t i) { return name(members_[i]) == n; });
  return slot ? &members_[*slot] : nullptr;
}

Member& MemberTable::add(UserId u, std::string_view n, MemberType type, Ipv4 sm_ip) {
  Member m;
  m.name_off = static_cast<std::uint32_t>(names_.size());
  m.name_len = static_cast<std::uint8_t>(n.size() > 255 ? 255 : n.size());
  names_.append(n.substr(0, m.name_len));
  m.type = type;
  m.user = u;
  m.sm_ip = sm_ip;
  const auto slot = static_cast<std::uint32_t>(members_.size());
  members_.push_back(m);
  by_user_.insert(u.value, slot);
  by_name_.insert(name_hash(n.substr(0, m.name_len)), slot);
  return members_.back();
}

std::size_t MemberTable::heap_bytes() const {
  return members_.capacity() * sizeof(Member) + names_.capacity() + by_user_.bytes() +
         by_name_.bytes();
}

}  // namespace gmp::server::detail
