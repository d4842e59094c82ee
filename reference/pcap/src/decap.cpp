#include "decap.hpp"

#include <pcap/dlt.h>

#include "inet.hpp"

namespace gmp::pcap::detail {
namespace {

constexpr int dlt_ipv4 = 228;      // LINKTYPE_IPV4
constexpr int linktype_raw = 101;  // LINKTYPE_RAW, if libpcap hands it through unmapped
constexpr std::uint16_t ethertype_ipv4 = 0x0800;

enum class Link { ipv4, other, malformed };

// Sets `ip` to the network-layer bytes.
Link strip_link(int dlt, std::span<const std::uint8_t> f, std::span<const std::uint8_t>& ip) {
  switch (dlt) {
    case DLT_EN10MB: {
      std::size_t at = 12;
      if (f.size() < at + 2) return Link::malformed;
      std::uint16_t type = get16(f, at);
      for (int tags = 0; (type == 0x8100 || type == 0x88A8) && tags < 2; ++tags) {
        at += 4;
        if (f.size() < at + 2) return Link::malformed;
        type = get16(f, at);
      }
      ip = f.subspan(at + 2);
      return type == ethertype_ipv4 ? Link::ipv4 : Link::other;
    }
    case DLT_LINUX_SLL:  // 16-byte header, protocol at 14
      if (f.size() < 16) return Link::malformed;
      ip = f.subspan(16);
      return get16(f, 14) == ethertype_ipv4 ? Link::ipv4 : Link::other;
    case DLT_LINUX_SLL2:  // 20-byte header, protocol at 0
      if (f.size() < 20) return Link::malformed;
      ip = f.subspan(20);
      return get16(f, 0) == ethertype_ipv4 ? Link::ipv4 : Link::other;
    case DLT_NULL:  // 4-byte address family in the capturing host's byte order; AF_INET = 2
    case DLT_LOOP:  // the same in network byte order
      if (f.size() < 4) return Link::malformed;
      ip = f.subspan(4);
      return (get32(f, 0) == 2 || (dlt == DLT_NULL && get32(f, 0) == 0x02000000)) ? Link::ipv4
                                                                                  : Link::other;
    case DLT_RAW:
    case linktype_raw:
    case dlt_ipv4:
      if (f.empty()) return Link::malformed;
      ip = f;
      return (f[0] >> 4) == 4 ? Link::ipv4 : Link::other;
    default:
      return Link::other;
  }
}

}  // namespace

bool link_type_supported(int dlt) {
  switch (dlt) {
    case DLT_EN10MB:
    case DLT_LINUX_SLL:
    case DLT_LINUX_SLL2:
    case DLT_NULL:
    case DLT_LOOP:
    case DLT_RAW:
    case linktype_raw:
    case dlt_ipv4:
      return true;
    default:
      return false;
  }
}

Decap decapsulate(int dlt, std::span<const std::uint8_t> frame, Packet& out) {
  std::span<const std::uint8_t> ip;
  switch (strip_link(dlt, frame, ip)) {
    case Link::ipv4:
      break;
    case Link::other:
      return Decap::not_ipv4;
    case Link::malformed:
      return Decap::malformed;
  }
  // IPv4 header, RFC 791.
  if (ip.size() < ipv4_header || (ip[0] >> 4) != 4) return Decap::malformed;
  const std::size_t ihl = static_cast<std::size_t>(ip[0] & 0x0F) * 4;
  const std::size_t total = get16(ip, 2);
  if (ihl < ipv4_header || total < ihl || total > ip.size()) return Decap::malformed;
  ip = ip.first(total);
  const std::uint16_t frag = get16(ip, 6);
  if ((frag & 0x2000) != 0 || (frag & 0x1FFF) != 0) return Decap::fragment;
  const std::uint8_t proto = ip[9];
  out.src.ip.value = get32(ip, 12);
  out.dst.ip.value = get32(ip, 16);
  const auto l4 = ip.subspan(ihl);
  if (proto == ip_proto_tcp) {
    if (l4.size() < tcp_header) return Decap::malformed;
    const std::size_t off = static_cast<std::size_t>(l4[12] >> 4) * 4;
    if (off < tcp_header || off > l4.size()) return Decap::malformed;
    out.tcp = true;
    out.src.port = get16(l4, 0);
    out.dst.port = get16(l4, 2);
    out.seq = get32(l4, 4);
    out.flags = l4[13];
    out.payload = l4.subspan(off);
    return Decap::ok;
  }
  if (proto == ip_proto_udp) {
    if (l4.size() < udp_header) return Decap::malformed;
    const std::size_t len = get16(l4, 4);
    if (len < udp_header || len > l4.size()) return Decap::malformed;
    out.tcp = false;
    out.src.port = get16(l4, 0);
    out.dst.port = get16(l4, 2);
    out.seq = 0;
    out.flags = 0;
    out.payload = l4.subspan(udp_header, len - udp_header);
    return Decap::ok;
  }
  return Decap::other_protocol;
}

}  // namespace gmp::pcap::detail
