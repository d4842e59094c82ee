// gmp::pcap::relabel_lifelines: gives every role of a capture its own IPv4 address, so that
// Wireshark's Source and Destination columns show who talks to whom. Captures written on one
// host (the conformance tester and the server on 127.0.0.1) tell their roles apart by port
// only; here the server becomes `server` and every client (a "lifeline": all the sockets of one
// member) `first_peer`, `first_peer + 1`... in order of appearance, the creator first.
//
// A client's sockets are grouped by what GMP says about them: the (session ID, user ID) its
// SM and MM messages carry (a user ID is unique in its session, profile 2), and the MM-PORT
// of its SAREQ (profile 5.5: the MM address is the source IP of the SM connection with that
// port). So a member's MM datagrams come from the address of its SM connection, as the
// profile requires. The creator is the client that sends SCREQ.
#include <pcap/pcap.h>

#include <map>
#include <optional>
#include <stdexcept>
#include <vector>

#include "decap.hpp"
#include "gmp/pcap.hpp"
#include "inet.hpp"

namespace gmp::pcap {
namespace {

struct RawFrame {
  pcap_pkthdr hdr{};
  std::vector<std::uint8_t> bytes;
};

std::vector<RawFrame> read_raw(const std::string& path, int& dlt) {
  char err[PCAP_ERRBUF_SIZE] = {};
  pcap_t* p = pcap_open_offline(path.c_str(), err);
  if (p == nullptr) throw std::runtime_error(err);
  dlt = pcap_datalink(p);
  std::vector<RawFrame> out;
  pcap_pkthdr* h = nullptr;
  const u_char* data = nullptr;
  while (pcap_next_ex(p, &h, &data) == 1) {
    RawFrame f;
    f.hdr = *h;
    f.bytes.assign(data, data + h->caplen);
    out.push_back(std::move(f));
  }
  pcap_close(p);
  return out;
}

// Union-find over client sockets.
struct Groups {
  std::vector<std::size_t> parent;
  std::size_t add() {
    parent.push_back(parent.size());
    return parent.size() - 1;
  }
  std::size_t find(std::size_t x) {
    while (parent[x] != x) x = parent[x] = parent[parent[x]];
    return x;
  }
  void join(std::size_t a, std::size_t b) { parent[find(a)] = find(b); }
};

std::uint16_t be16(const std::vector<std::uint8_t>& b, std::size_t at) {
  return static_cast<std::uint16_t>(b[at] << 8 | b[at + 1]);
}

// The MM-PORT option of an SAREQ, or 0 (profile 4: type, length, value, padding to 4).
std::uint16_t sareq_mm_port(const std::vector<std::uint8_t>& m) {
  std::size_t at = header_size;
  while (at + 2 <= m.size() && m[at] != 0) {
    const std::size_t len = m[at + 1];
    if (m[at] == static_cast<std::uint8_t>(OptionType::MM_PORT) && len == 2 && at + 4 <= m.size()) return be16(m, at + 2);
    at += (2 + len + 3) / 4 * 4;
  }
  return 0;
}

void put_ip(std::vector<std::uint8_t>& b, std::size_t at, Ipv4 ip) {
  for (int i = 0; i < 4; ++i) b[at + i] = static_cast<std::uint8_t>(ip.value >> (24 - 8 * i));
}

}  // namespace

RelabelStats relabel_lifelines(const std::string& in, const std::string& out,
                               const RelabelOptions& options) {
  int dlt = 0;
  auto frames = read_raw(in, dlt);
  if (dlt != DLT_EN10MB) throw std::runtime_error(in + ": only Ethernet captures are relabelled");

  // Client sockets in order of first appearance; the server is whoever uses the GMP port.
  std::map<std::pair<bool, Endpoint>, std::size_t> sockets;  // (tcp, endpoint) -> group index
  std::vector<std::pair<bool, Endpoint>> order;
  Groups groups;
  auto client_of = [&](bool tcp, Endpoint a, Endpoint b) -> std::optional<std::size_t> {
    const Endpoint c = a.port == options.port ? b : a;
    if (c.port == options.port) return std::nullopt;
    auto [it, fresh] = sockets.try_emplace({tcp, c}, 0);
    if (fresh) {
      it->second = groups.add();
      order.push_back({tcp, c});
    }
    return it->second;
  };
  for (const auto& f : frames) {
    detail::Packet pkt;
    if (detail::decapsulate(dlt, f.bytes, pkt) == detail::Decap::ok)
      client_of(pkt.tcp, pkt.src, pkt.dst);
  }

  // Group the sockets by (session, user) and SAREQ's MM-PORT; find the creator.
  std::map<std::uint32_t, std::size_t> by_user;        // session << 16 | user -> socket
  std::map<std::uint16_t, std::size_t> by_mm_port;      // announced MM-PORT -> SM socket
  std::optional<std::size_t> creator;
  ReadOptions ro;
  ro.port = options.port;
  for (const auto& r : read(in, ro)) {
    if (r.bytes.size() < header_size) continue;
    const auto sock = client_of(r.tcp, r.src, r.dst);
    if (!sock) continue;
    const std::uint8_t type = r.tcp ? r.bytes[1] : (r.bytes[0] & 0x0F);
    const std::uint32_t su = std::uint32_t{be16(r.bytes, 4)} << 16 | be16(r.bytes, 6);
    if (r.tcp && type == static_cast<std::uint8_t>(SmType::SCREQ) && !creator) creator = *sock;
    if ((su >> 16) != 0 && (su & 0xFFFF) != 0) {
      if (auto [it, fresh] = by_user.try_emplace(su, *sock); !fresh) groups.join(*sock, it->second);
    }
    if (r.tcp && type == static_cast<std::uint8_t>(SmType::SAREQ))
      if (const auto port = sareq_mm_port(r.bytes); port != 0) by_mm_port[port] = *sock;
  }
  for (const auto& [key, idx] : sockets)
    if (!key.first)
      if (auto it = by_mm_port.find(key.second.port); it != by_mm_port.end()) groups.join(idx, it->second);

  // Addresses: the creator's lifeline first, then the others as they appear.
  std::map<std::size_t, Ipv4> address;  // group root -> address
  std::uint32_t next = options.first_peer.value;
  if (creator) address[groups.find(*creator)] = Ipv4{next++};
  for (const auto& key : order) {
    const auto root = groups.find(sockets[key]);
    if (!address.count(root)) address[root] = Ipv4{next++};
  }

  // Rewrite: Ethernet MACs (02:00:<ip>, as the writer makes them), IPv4 addresses, header
  // checksum and the TCP/UDP checksum (its pseudo-header holds the addresses).
  pcap_t* dead = pcap_open_dead(DLT_EN10MB, 65535);
  pcap_dumper_t* dumper = pcap_dump_open(dead, out.c_str());
  if (dumper == nullptr) {
    std::string why = pcap_geterr(dead);
    pcap_close(dead);
    throw std::runtime_error(out + ": " + why);
  }
  RelabelStats stats;
  stats.lifelines = address.size();
  for (auto& f : frames) {
    detail::Packet pkt;
    auto& b = f.bytes;
    constexpr std::size_t ip = detail::ethernet_header;
    if (detail::decapsulate(dlt, b, pkt) == detail::Decap::ok && be16(b, 12) == 0x0800) {
      auto map = [&](Endpoint e) {
        if (e.port == options.port) return options.server;
        return address[groups.find(sockets[{pkt.tcp, e}])];
      };
      const Ipv4 src = map(pkt.src), dst = map(pkt.dst);
      const std::size_t ihl = static_cast<std::size_t>(b[ip] & 0x0F) * 4;
      const std::size_t total = be16(b, ip + 2);
      put_ip(b, ip + 12, src);
      put_ip(b, ip + 16, dst);
      b[0] = 0x02; b[1] = 0x00; put_ip(b, 2, dst);
      b[6] = 0x02; b[7] = 0x00; put_ip(b, 8, src);
      b[ip + 10] = b[ip + 11] = 0;
      detail::Checksum c;
      c.add(std::span<const std::uint8_t>(b).subspan(ip, ihl));
      const auto ipsum = c.value();
      b[ip + 10] = static_cast<std::uint8_t>(ipsum >> 8);
      b[ip + 11] = static_cast<std::uint8_t>(ipsum);
      const std::size_t l4 = ip + ihl, sum_at = l4 + (pkt.tcp ? 16 : 6);
      if (total >= ihl && l4 + (total - ihl) <= b.size() && sum_at + 2 <= b.size()) {
        b[sum_at] = b[sum_at + 1] = 0;
        const auto s = detail::transport_checksum(
            src, dst, pkt.tcp ? detail::ip_proto_tcp : detail::ip_proto_udp,
            std::span<const std::uint8_t>(b).subspan(l4, total - ihl));
        b[sum_at] = static_cast<std::uint8_t>(s >> 8);
        b[sum_at + 1] = static_cast<std::uint8_t>(s);
      }
    }
    pcap_dump(reinterpret_cast<u_char*>(dumper), &f.hdr, b.data());
    ++stats.frames;
  }
  pcap_dump_close(dumper);
  pcap_close(dead);
  return stats;
}

}  // namespace gmp::pcap
