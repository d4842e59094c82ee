// Internal: big-endian byte helpers and the Internet checksum with the pseudo-header
// (RFC 791 header checksum, RFC 768 / RFC 793 pseudo-header, RFC 1071 arithmetic).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "gmp/pcap.hpp"

namespace gmp::pcap::detail {

inline constexpr std::uint8_t ip_proto_tcp = 6;
inline constexpr std::uint8_t ip_proto_udp = 17;
inline constexpr std::size_t ethernet_header = 14;
inline constexpr std::size_t ipv4_header = 20;
inline constexpr std::size_t tcp_header = 20;
inline constexpr std::size_t udp_header = 8;

// TCP flag bits (byte 13 of the TCP header).
inline constexpr std::uint8_t tcp_fin = 0x01;
inline constexpr std::uint8_t tcp_syn = 0x02;
inline constexpr std::uint8_t tcp_rst = 0x04;
inline constexpr std::uint8_t tcp_psh = 0x08;
inline constexpr std::uint8_t tcp_ack = 0x10;

inline std::uint16_t get16(std::span<const std::uint8_t> b, std::size_t at) {
  return static_cast<std::uint16_t>(b[at] << 8 | b[at + 1]);
}
inline std::uint32_t get32(std::span<const std::uint8_t> b, std::size_t at) {
  return std::uint32_t{b[at]} << 24 | std::uint32_t{b[at + 1]} << 16 |
         std::uint32_t{b[at + 2]} << 8 | b[at + 3];
}
inline void put16(std::vector<std::uint8_t>& out, std::uint16_t v) {
  out.push_back(static_cast<std::uint8_t>(v >> 8));
  out.push_back(static_cast<std::uint8_t>(v));
}
inline void put32(std::vector<std::uint8_t>& out, std::uint32_t v) {
  put16(out, static_cast<std::uint16_t>(v >> 16));
  put16(out, static_cast<std::uint16_t>(v));
}

/// One's complement sum of 16-bit big-endian words, fed piece by piece. Only the last piece
/// may have an odd length (it is padded with a zero byte, RFC 1071).
class Checksum {
 public:
  void add(std::span<const std::uint8_t> bytes);
  void add16(std::uint16_t word) { acc_ += word; }
  void add32(std::uint32_t v) { acc_ += (v >> 16) + (v & 0xFFFF); }
  /// The folded sum (0xFFFF when a block with its checksum in place verifies).
  [[nodiscard]] std::uint16_t sum() const;
  /// The checksum to put in the header: the complement of the folded sum.
  [[nodiscard]] std::uint16_t value() const { return static_cast<std::uint16_t>(~sum()); }

 private:
  std::uint64_t acc_ = 0;
};

/// Checksum of a TCP or UDP segment (header with a zero checksum field, then payload) with
/// the IPv4 pseudo-header. For UDP a result of 0 is sent as 0xFFFF (RFC 768).
std::uint16_t transport_checksum(Ipv4 src, Ipv4 dst, std::uint8_t proto,
                                 std::span<const std::uint8_t> segment);

}  // namespace gmp::pcap::detail
