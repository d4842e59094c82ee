// Internal: from one captured frame to the IPv4 TCP/UDP segment it carries.
#pragma once

#include <cstdint>
#include <span>

#include "gmp/pcap.hpp"

namespace gmp::pcap::detail {

enum class Decap { ok, not_ipv4, fragment, malformed, other_protocol };

struct Packet {
  Endpoint src, dst;
  bool tcp = false;
  std::uint32_t seq = 0;                  // TCP only
  std::uint8_t flags = 0;                 // TCP only
  std::span<const std::uint8_t> payload;  // views the frame
};

/// True for the link types the reader understands: Ethernet (with 802.1Q/802.1ad tags),
/// Linux cooked SLL and SLL2, raw IP, BSD loopback (NULL and LOOP).
bool link_type_supported(int dlt);

/// Strips the link layer, IPv4 (cut to its total length, so Ethernet padding is dropped) and
/// the TCP or UDP header. IPv4 fragments are not reassembled (Decap::fragment).
Decap decapsulate(int dlt, std::span<const std::uint8_t> frame, Packet& out);

}  // namespace gmp::pcap::detail
