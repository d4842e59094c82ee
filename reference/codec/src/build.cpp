// One builder per message type, with the header fields profile sections 2, 3 and 5-6 require.
#include <algorithm>

#include "gmp/message.hpp"

namespace gmp::build {
namespace {

SmMessage sm(SmType t, SessionId s, UserId u) {
  SmMessage m;
  m.type = t;
  m.session = s;
  m.user = u;
  return m;
}

// Server answers about a known session carry M and S (profile 2).
SmMessage about(SmType t, SessionId s, UserId u, bool closed, bool secure) {
  SmMessage m = sm(t, s, u);
  m.closed = closed;
  m.secure = secure;
  return m;
}

// A server answer that tells the multicast group (profile 2: port and address fields).
SmMessage about_group(SmType t, SessionId s, UserId u, bool closed, bool secure,
                      std::uint16_t group_port, Ipv4 group) {
  SmMessage m = about(t, s, u, closed, secure);
  m.group_port = group_port;
  m.group_address = group;
  return m;
}

MmMessage from_server(MmType t, const MmContext& c, UserId to, MemberType to_type) {
  MmMessage m;
  m.type = t;
  m.mode = static_cast<std::uint8_t>(c.mode);
  m.member_type = static_cast<std::uint8_t>(to_type);
  m.group_port = c.group_port;
  m.session = c.session;
  m.user = to;
  m.group_address = c.group_address;
  m.ka_period = c.ka_period;
  m.ka_timeout = c.ka_timeout;
  return m;
}

// A member's message: its IDs and type; group and KA fields 0 (profile 3).
MmMessage from_member(MmType t, SessionId s, UserId from, MemberType from_type, Mode mode) {
  MmMessage m;
  m.type = t;
  m.mode = static_cast<std::uint8_t>(mode);
  m.member_type = static_cast<std::uint8_t>(from_type);
  m.session = s;
  m.user = from;
  return m;
}

}  // namespace

SmMessage screq(std::string client_name, bool secure) {
  SmMessage m = sm(SmType::SCREQ, {}, {});
  m.secure = secure;
  m.options.emplace_back(opt::ClientName{std::move(client_name)});
  return m;
}

// Profile 2: SCACC carries S alone; the mode is not known before SCINF.
SmMessage scacc(SessionId s, UserId creator, bool secure) {
  SmMessage m = sm(SmType::SCACC, s, creator);
  m.secure = secure;
  return m;
}

SmMessage screj(Reason r, bool secure) {
  SmMessage m = sm(SmType::SCREJ, {}, {});
  m.secure = secure;
  m.options.emplace_back(opt::ReasonCode{r});
  return m;
}

SmMessage sdreq(SessionId s, UserId creator) { return sm(SmType::SDREQ, s, creator); }

SmMessage sdres(SessionId s, UserId u, Reason r, bool closed, bool secure) {
  SmMessage m = about(SmType::SDRES, s, u, closed, secure);
  m.options.emplace_back(opt::ReasonCode{r});
  return m;
}

SmMessage scinf(SessionId s, UserId creator, bool closed, bool secure, std::string session_name,
                std::uint16_t group_port, Ipv4 group) {
  SmMessage m = about_group(SmType::SCINF, s, creator, closed, secure, group_port, group);
  m.info = true;
  m.options.emplace_back(opt::SessionName{std::move(session_name)});
  return m;
}

SmMessage sccon(SessionId s, UserId creator, bool closed, bool secure, std::uint16_t group_port,
                Ipv4 group) {
  return about_group(SmType::SCCON, s, creator, closed, secure, group_port, group);
}

SmMessage srreq(SessionId s, std::string client_name) {
  SmMessage m = sm(SmType::SRREQ, s, {});
  m.options.emplace_back(opt::ClientName{std::move(client_name)});
  return m;
}

SmMessage srres(SessionId s, bool closed, bool secure) {
  return about(SmType::SRRES, s, {}, closed, secure);
}

SmMessage sracc(SessionId s, UserId u, bool closed, bool secure, std::uint16_t group_port,
                Ipv4 group) {
  return about_group(SmType::SRACC, s, u, closed, secure, group_port, group);
}

SmMessage srrej(SessionId s, Reason r, bool closed, bool secure) {
  SmMessage m = about(SmType::SRREJ, s, {}, closed, secure);
  m.options.emplace_back(opt::ReasonCode{r});
  return m;
}

SmMessage sjreq(SessionId s, UserId u) { return sm(SmType::SJREQ, s, u); }

SmMessage sjres(SessionId s, UserId u, bool closed, bool secure, std::uint16_t group_port,
                Ipv4 group, const opt::GroupKey* key) {
  SmMessage m = about_group(SmType::SJRES, s, u, closed, secure || key != nullptr, group_port,
                            group);
  if (key) {
    m.key_length = static_cast<std::uint8_t>(std::min<std::size_t>(key->key.size(), 253));
    m.options.emplace_back(*key);
  }
  return m;
}

SmMessage sareq(SessionId s, UserId u, std::uint16_t mm_port) {
  SmMessage m = sm(SmType::SAREQ, s, u);
  m.options.emplace_back(opt::MmPort{mm_port});
  return m;
}

MmMessage kareq(const MmContext& c, UserId to, MemberType to_type, std::uint32_t round) {
  MmMessage m = from_server(MmType::KAREQ, c, to, to_type);
  m.options.emplace_back(opt::KaSeq{round});
  return m;
}

MmMessage kares(SessionId s, UserId from, MemberType from_type, Mode mode,
                std::optional<std::uint32_t> round) {
  MmMessage m = from_member(MmType::KARES, s, from, from_type, mode);
  if (round) m.options.emplace_back(opt::KaSeq{*round});
  return m;
}

MmMessage uireq(SessionId s, UserId from, MemberType from_type, Mode mode) {
  return from_member(MmType::UIREQ, s, from, from_type, mode);
}

MmMessage lvreq(SessionId s, UserId from, MemberType from_type, Mode mode) {
  return from_member(MmType::LVREQ, s, from, from_type, mode);
}

MmMessage trreq(SessionId s, UserId from, Mode mode) {
  return from_member(MmType::TRREQ, s, from, MemberType::creator, mode);
}

MmMessage trind(const MmContext& c, UserId to, MemberType to_type) {
  MmMessage m = from_server(MmType::TRIND, c, to, to_type);
  m.ss = true;
  return m;
}

MmMessage kdupt(const MmContext& c, UserId to, MemberType to_type, const opt::GroupKey& key) {
  MmMessage m = from_server(MmType::KDUPT, c, to, to_type);
  m.key_length = static_cast<std::uint8_t>(std::min<std::size_t>(key.key.size(), 253));
  m.options.emplace_back(key);
  return m;
}

// Profile 6.4. An option of k entries takes 4k + 4 bytes with its padding; a part holds as many
// entries as fit in 1,200 bytes after the header, LIST-PART and (part 1, open mode)
// MEMBER-COUNT. The part count is one byte: lists longer than 255 parts are cut there.
std::vector<MmMessage> uires(const MmContext& c, UserId to, MemberType to_type,
                             const std::vector<opt::MemberEntry>& members,
                             std::optional<std::uint32_t> member_count) {
  auto capacity = [&](bool first) {
    std::size_t avail = max_mm_uires_size - header_size - 4 - (first && member_count ? 8 : 0);
    const std::size_t full = avail / 256;
    const std::size_t rest = avail - full * 256;
    return full * opt::max_member_entries + (rest >= 8 ? rest / 4 - 1 : 0);
  };
  std::size_t parts = 1;
  for (std::size_t left = members.size() > capacity(true) ? members.size() - capacity(true) : 0;
       left > 0 && parts < 255; ++parts)
    left = left > capacity(false) ? left - capacity(false) : 0;

  std::vector<MmMessage> out;
  std::size_t next = 0;
  for (std::size_t p = 1; p <= parts; ++p) {
    MmMessage m = from_server(MmType::UIRES, c, to, to_type);
    m.ui = true;
    m.options.emplace_back(opt::ListPart{static_cast<std::uint8_t>(p),
                                         static_cast<std::uint8_t>(parts)});
    if (p == 1 && member_count) m.options.emplace_back(opt::MemberCount{*member_count});
    const std::size_t end = std::min(members.size(), next + capacity(p == 1));
    while (next < end) {
      const std::size_t n = std::min(opt::max_member_entries, end - next);
      opt::MemberList list;
      list.entries.assign(members.begin() + static_cast<std::ptrdiff_t>(next),
                          members.begin() + static_cast<std::ptrdiff_t>(next + n));
      m.options.emplace_back(std::move(list));
      next += n;
    }
    out.push_back(std::move(m));
  }
  return out;
}

}  // namespace gmp::build
