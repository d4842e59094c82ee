// gmp::pcap::Writer: a classic pcap file (LINKTYPE_ETHERNET) written through libpcap
// (pcap_open_dead + pcap_dump), with synthesized TCP connections whose sequence numbers stay
// consistent per direction, so that Wireshark reports no lost or out-of-order segment.
#include <pcap/pcap.h>

#include <algorithm>
#include <map>
#include <stdexcept>
#include <utility>

#include "frames.hpp"
#include "gmp/pcap.hpp"
#include "inet.hpp"

namespace gmp::pcap {
namespace {

constexpr std::size_t mss = 1460;  // payloads above this are cut into several segments
constexpr int snaplen = 65535;

struct Connection {
  Endpoint client, server;
  std::uint32_t next_seq[2] = {0, 0};  // [0]: client -> server, [1]: server -> client
};

// Deterministic initial sequence numbers: the same calls give a byte-identical file.
std::uint32_t initial_seq(Endpoint a, Endpoint b, std::uint64_t n) {
  std::uint64_t x = (std::uint64_t{a.ip.value} << 16 | a.port) * 0x9E3779B97F4A7C15ULL ^
                    (std::uint64_t{b.ip.value} << 16 | b.port) ^ (n << 40);
  x ^= x >> 31;
  x *= 0xBF58476D1CE4E5B9ULL;
  x ^= x >> 29;
  return static_cast<std::uint32_t>(x);
}

}  // namespace

struct Writer::Impl {
  pcap_t* dead = nullptr;
  pcap_dumper_t* dumper = nullptr;
  std::uint64_t frames = 0;
  std::uint16_t ip_id = 1;
  std::uint64_t connections_opened = 0;
  std::map<std::pair<Endpoint, Endpoint>, Connection> connections;  // key (client, server)

  void emit(const std::vector<std::uint8_t>& frame, Timestamp ts) {
    if (dumper == nullptr) throw std::logic_error("gmp::pcap::Writer used after close()");
    pcap_pkthdr h{};
    const auto us = ts.count();
    h.ts.tv_sec = static_cast<decltype(h.ts.tv_sec)>(us / 1000000);
    h.ts.tv_usec = static_cast<decltype(h.ts.tv_usec)>(us % 1000000);
    h.caplen = h.len = static_cast<bpf_u_int32>(frame.size());
    pcap_dump(reinterpret_cast<u_char*>(dumper), &h, frame.data());
    ++frames;
  }

  // The connection and the direction index of src -> dst, or nullptr.
  Connection* find(Endpoint src, Endpoint dst, int& dir) {
    if (auto it = connections.find({src, dst}); it != connections.end()) {
      dir = 0;
      return &it->second;
    }
    if (auto it = connections.find({dst, src}); it != connections.end()) {
      dir = 1;
      return &it->second;
    }
    return nullptr;
  }

  void segment(Connection& c, int dir, std::uint8_t flags, std::span<const std::uint8_t> payload,
               Timestamp ts) {
    const Endpoint src = dir == 0 ? c.client : c.server;
    const Endpoint dst = dir == 0 ? c.server : c.client;
    detail::TcpFields f;
    f.seq = c.next_seq[dir];
    f.ack = c.next_seq[1 - dir];
    f.flags = flags;
    emit(detail::tcp_frame(src, dst, ip_id++, f, payload), ts);
    c.next_seq[dir] += static_cast<std::uint32_t>(payload.size());
    if (flags & (detail::tcp_syn | detail::tcp_fin)) c.next_seq[dir] += 1;
  }

  Connection& open(Endpoint client, Endpoint server, Timestamp ts) {
    connections.erase({client, server});
    connections.erase({server, client});
    Connection& c = connections[{client, server}];
    c.client = client;
    c.server = server;
    c.next_seq[0] = initial_seq(client, server, connections_opened);
    c.next_seq[1] = initial_seq(server, client, connections_opened);
    ++connections_opened;
    segment(c, 0, detail::tcp_syn, {}, ts);
    segment(c, 1, detail::tcp_syn | detail::tcp_ack, {}, ts);
    segment(c, 0, detail::tcp_ack, {}, ts);
    return c;
  }
};

Writer::Writer(const std::string& path) : impl_(std::make_unique<Impl>()) {
  impl_->dead = pcap_open_dead(DLT_EN10MB, snaplen);
  if (impl_->dead == nullptr) throw std::runtime_error("pcap_open_dead failed");
  impl_->dumper = pcap_dump_open(impl_->dead, path.c_str());
  if (impl_->dumper == nullptr) {
    std::string why = pcap_geterr(impl_->dead);
    pcap_close(impl_->dead);
    throw std::runtime_error(why.starts_with(path) ? why : path + ": " + why);
  }
}

Writer::~Writer() { close(); }

void Writer::close() {
  if (impl_->dumper != nullptr) {
    pcap_dump_close(impl_->dumper);
    impl_->dumper = nullptr;
  }
  if (impl_->dead != nullptr) {
    pcap_close(impl_->dead);
    impl_->dead = nullptr;
  }
}

std::uint64_t Writer::frames() const { return impl_->frames; }

void Writer::udp(Endpoint src, Endpoint dst, std::span<const std::uint8_t> payload, Timestamp ts) {
  impl_->emit(detail::udp_frame(src, dst, impl_->ip_id++, payload), ts);
}

void Writer::tcp_open(Endpoint client, Endpoint server, Timestamp ts) {
  impl_->open(client, server, ts);
}

void Writer::tcp_data(Endpoint src, Endpoint dst, std::span<const std::uint8_t> payload,
                      Timestamp ts) {
  int dir = 0;
  Connection* c = impl_->find(src, dst, dir);
  if (c == nullptr) {
    c = &impl_->open(src, dst, ts);
    dir = 0;
  }
  while (!payload.empty()) {
    const auto part = payload.first(std::min(payload.size(), mss));
    impl_->segment(*c, dir, detail::tcp_psh | detail::tcp_ack, part, ts);
    payload = payload.subspan(part.size());
  }
}

void Writer::tcp_close(Endpoint closer, Endpoint peer, Timestamp ts) {
  int dir = 0;
  Connection* c = impl_->find(closer, peer, dir);
  if (c == nullptr) {
    c = &impl_->open(closer, peer, ts);
    dir = 0;
  }
  impl_->segment(*c, dir, detail::tcp_fin | detail::tcp_ack, {}, ts);
  impl_->segment(*c, 1 - dir, detail::tcp_fin | detail::tcp_ack, {}, ts);
  impl_->segment(*c, dir, detail::tcp_ack, {}, ts);
  impl_->connections.erase({c->client, c->server});
}

}  // namespace gmp::pcap
