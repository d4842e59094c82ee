// Internal: synthesized Ethernet II / IPv4 / TCP or UDP frames for the writer.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "gmp/pcap.hpp"

namespace gmp::pcap::detail {

struct TcpFields {
  std::uint32_t seq = 0;
  std::uint32_t ack = 0;
  std::uint8_t flags = 0;
  std::uint16_t window = 65535;
};

/// Largest UDP payload one IPv4 datagram can carry (65535 - 20 - 8).
inline constexpr std::size_t max_udp_payload = 65507;

/// Ethernet (locally administered MACs 02:00:<ip>) + IPv4 (DF, TTL 64, header checksum) + UDP
/// (checksum with the pseudo-header). Throws std::length_error above max_udp_payload.
std::vector<std::uint8_t> udp_frame(Endpoint src, Endpoint dst, std::uint16_t ip_id,
                                    std::span<const std::uint8_t> payload);
/// The same with a 20-byte TCP header (no options). Payload at most 65495 bytes.
std::vector<std::uint8_t> tcp_frame(Endpoint src, Endpoint dst, std::uint16_t ip_id,
                                    const TcpFields& tcp, std::span<const std::uint8_t> payload);

}  // namespace gmp::pcap::detail
