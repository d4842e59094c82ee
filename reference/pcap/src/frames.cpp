#include "frames.hpp"

#include <stdexcept>

#include "inet.hpp"

namespace gmp::pcap::detail {
namespace {

void put_mac(std::vector<std::uint8_t>& out, Ipv4 ip) {
  out.push_back(0x02);  // locally administered, unicast
  out.push_back(0x00);
  put32(out, ip.value);
}

// Ethernet + IPv4 header for `transport_len` bytes of TCP/UDP; returns the IP header offset.
std::size_t put_ip(std::vector<std::uint8_t>& out, Endpoint src, Endpoint dst, std::uint16_t id,
                   std::uint8_t proto, std::size_t transport_len) {
  put_mac(out, dst.ip);
  put_mac(out, src.ip);
  put16(out, 0x0800);  // IPv4
  const std::size_t ip = out.size();
  out.push_back(0x45);  // version 4, IHL 5
  out.push_back(0x00);  // DSCP/ECN
  put16(out, static_cast<std::uint16_t>(ipv4_header + transport_len));
  put16(out, id);
  put16(out, 0x4000);  // DF, fragment offset 0
  out.push_back(64);   // TTL
  out.push_back(proto);
  put16(out, 0);  // header checksum, filled below
  put32(out, src.ip.value);
  put32(out, dst.ip.value);
  Checksum c;
  c.add(std::span(out).subspan(ip, ipv4_header));
  const std::uint16_t sum = c.value();
  out[ip + 10] = static_cast<std::uint8_t>(sum >> 8);
  out[ip + 11] = static_cast<std::uint8_t>(sum);
  return ip;
}

void set_checksum(std::vector<std::uint8_t>& out, std::size_t transport, std::size_t field,
                  Endpoint src, Endpoint dst, std::uint8_t proto) {
  const std::uint16_t sum =
      transport_checksum(src.ip, dst.ip, proto, std::span(out).subspan(transport));
  out[transport + field] = static_cast<std::uint8_t>(sum >> 8);
  out[transport + field + 1] = static_cast<std::uint8_t>(sum);
}

// Ethernet and IPv4 headers for a transport header of `header` bytes and `payload` bytes,
// then the source and destination ports both transports start with. Returns the offset of
// the transport header.
std::size_t begin_transport(std::vector<std::uint8_t>& out, Endpoint src, Endpoint dst,
                            std::uint16_t ip_id, std::uint8_t proto, std::size_t header,
                            std::size_t payload) {
  out.reserve(ethernet_header + ipv4_header + header + payload);
  put_ip(out, src, dst, ip_id, proto, header + payload);
  const std::size_t at = out.size();
  put16(out, src.port);
  put16(out, dst.port);
  return at;
}

}  // namespace

std::vector<std::uint8_t> udp_frame(Endpoint src, Endpoint dst, std::uint16_t ip_id,
                                    std::span<const std::uint8_t> payload) {
  if (payload.size() > max_udp_payload) throw std::length_error("UDP payload above 65507 bytes");
  std::vector<std::uint8_t> out;
  const std::size_t udp = begin_transport(out, src, dst, ip_id, ip_proto_udp, udp_header,
                                          payload.size());
  put16(out, static_cast<std::uint16_t>(udp_header + payload.size()));
  put16(out, 0);
  out.insert(out.end(), payload.begin(), payload.end());
  set_checksum(out, udp, 6, src, dst, ip_proto_udp);
  return out;
}

std::vector<std::uint8_t> tcp_frame(Endpoint src, Endpoint dst, std::uint16_t ip_id,
                                    const TcpFields& tcp, std::span<const std::uint8_t> payload) {
  if (payload.size() > 65535 - ipv4_header - tcp_header)
    throw std::length_error("TCP payload too large for one IPv4 packet");
  std::vector<std::uint8_t> out;
  const std::size_t t = begin_transport(out, src, dst, ip_id, ip_proto_tcp, tcp_header,
                                        payload.size());
  put32(out, tcp.seq);
  put32(out, (tcp.flags & tcp_ack) ? tcp.ack : 0);
  out.push_back(static_cast<std::uint8_t>((tcp_header / 4) << 4));  // data offset, no options
  out.push_back(tcp.flags);
  put16(out, tcp.window);
  put16(out, 0);  // checksum, filled below
  put16(out, 0);  // urgent pointer
  out.insert(out.end(), payload.begin(), payload.end());
  set_checksum(out, t, 16, src, dst, ip_proto_tcp);
  return out;
}

}  // namespace gmp::pcap::detail
