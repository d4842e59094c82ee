#include "inet.hpp"

namespace gmp::pcap::detail {

void Checksum::add(std::span<const std::uint8_t> bytes) {
  std::size_t i = 0;
  for (; i + 1 < bytes.size(); i += 2) acc_ += get16(bytes, i);
  if (i < bytes.size()) acc_ += std::uint32_t{bytes[i]} << 8;
}

std::uint16_t Checksum::sum() const {
  std::uint64_t s = acc_;
  while (s >> 16) s = (s & 0xFFFF) + (s >> 16);
  return static_cast<std::uint16_t>(s);
}

std::uint16_t transport_checksum(Ipv4 src, Ipv4 dst, std::uint8_t proto,
                                 std::span<const std::uint8_t> segment) {
  Checksum c;
  c.add32(src.value);
  c.add32(dst.value);
  c.add16(proto);
  c.add16(static_cast<std::uint16_t>(segment.size()));
  c.add(segment);
  std::uint16_t v = c.value();
  if (proto == ip_proto_udp && v == 0) v = 0xFFFF;
  return v;
}

}  // namespace gmp::pcap::detail
