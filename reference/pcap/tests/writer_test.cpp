// The writer's frames, checked independently of the reader: link type, IPv4 header checksum,
// TCP/UDP checksums with the pseudo-header, the handshake, flags and sequence numbers.
#include <map>
#include <stdexcept>

#include "inet.hpp"
#include "test_util.hpp"

namespace gmp::pcap::test {
namespace {

using detail::get16;
using detail::get32;

struct Seg {
  Endpoint src, dst;
  std::uint32_t seq = 0, ack = 0;
  std::uint8_t flags = 0;
  Bytes payload;
};

// Parses one Ethernet/IPv4/TCP frame, checking every checksum on the way.
Seg parse_tcp(const Bytes& f) {
  Seg s;
  EXPECT_EQ(get16(f, 12), 0x0800);
  const auto ip = std::span(f).subspan(14);
  detail::Checksum ipsum;
  ipsum.add(ip.first(20));
  EXPECT_EQ(ipsum.sum(), 0xFFFF) << "IPv4 header checksum";
  EXPECT_EQ(ip[9], detail::ip_proto_tcp);
  EXPECT_EQ(get16(ip, 2), ip.size());
  s.src.ip.value = get32(ip, 12);
  s.dst.ip.value = get32(ip, 16);
  const auto tcp = ip.subspan(20);
  detail::Checksum t;
  t.add32(s.src.ip.value);
  t.add32(s.dst.ip.value);
  t.add16(6);
  t.add16(static_cast<std::uint16_t>(tcp.size()));
  t.add(tcp);
  EXPECT_EQ(t.sum(), 0xFFFF) << "TCP checksum";
  s.src.port = get16(tcp, 0);
  s.dst.port = get16(tcp, 2);
  s.seq = get32(tcp, 4);
  s.ack = get32(tcp, 8);
  s.flags = tcp[13];
  s.payload.assign(tcp.begin() + (tcp[12] >> 4) * 4, tcp.end());
  return s;
}

TEST(PcapWriter, UdpFrameHasValidChecksums) {
  TempFile f("udp");
  {
    Writer w(f.path);
    w.udp(ep(1, 16513), ep(2, 40000), kareq_example(), Timestamp(1'700'000'000'123'456));
    EXPECT_EQ(w.frames(), 1u);
  }
  const auto frames = raw_frames(f.path);
  ASSERT_EQ(frames.size(), 1u);
  const Bytes& fr = frames[0];
  ASSERT_EQ(fr.size(), 14u + 20 + 8 + 24);
  const auto ip = std::span(fr).subspan(14);
  detail::Checksum ipsum;
  ipsum.add(ip.first(20));
  EXPECT_EQ(ipsum.sum(), 0xFFFF);
  EXPECT_EQ(ip[9], detail::ip_proto_udp);
  EXPECT_EQ(get32(ip, 12), 0x7F000001u);
  EXPECT_EQ(get32(ip, 16), 0x7F000002u);
  const auto udp = ip.subspan(20);
  EXPECT_EQ(get16(udp, 0), 16513);
  EXPECT_EQ(get16(udp, 2), 40000);
  EXPECT_EQ(get16(udp, 4), 8 + 24);
  EXPECT_NE(get16(udp, 6), 0) << "UDP checksum must be present";
  detail::Checksum u;
  u.add32(0x7F000001u);
  u.add32(0x7F000002u);
  u.add16(17);
  u.add16(static_cast<std::uint16_t>(udp.size()));
  u.add(udp);
  EXPECT_EQ(u.sum(), 0xFFFF);
  EXPECT_EQ(Bytes(udp.begin() + 8, udp.end()), kareq_example());
}

TEST(PcapWriter, UdpTimestampIsKept) {
  TempFile f("ts");
  { Writer(f.path).udp(ep(1, 1), ep(2, 2), kareq_example(), Timestamp(1'700'000'000'123'456)); }
  char err[PCAP_ERRBUF_SIZE];
  pcap_t* p = pcap_open_offline(f.path.c_str(), err);
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(pcap_datalink(p), DLT_EN10MB);
  pcap_pkthdr* h;
  const u_char* d;
  ASSERT_EQ(pcap_next_ex(p, &h, &d), 1);
  EXPECT_EQ(h->ts.tv_sec, 1'700'000'000);
  EXPECT_EQ(h->ts.tv_usec, 123'456);
  pcap_close(p);
}

TEST(PcapWriter, TcpConnectionIsConsistent) {
  TempFile f("tcp");
  const Endpoint c = ep(2, 40001), s = ep(1, 16513);
  const Bytes big(3000, 0xAB);  // cut at 1460
  {
    Writer w(f.path);
    w.tcp_open(c, s, Timestamp(1));
    w.tcp_data(c, s, framed(screq_alice()), Timestamp(2));
    w.tcp_data(s, c, framed(blob(16, 2)), Timestamp(3));
    w.tcp_data(c, s, big, Timestamp(4));
    w.tcp_close(c, s, Timestamp(5));
    EXPECT_EQ(w.frames(), 3u + 1 + 1 + 3 + 3);
  }
  std::vector<Seg> segs;
  for (const auto& fr : raw_frames(f.path)) segs.push_back(parse_tcp(fr));
  ASSERT_EQ(segs.size(), 11u);
  using namespace detail;
  EXPECT_EQ(segs[0].flags, tcp_syn);
  EXPECT_EQ(segs[1].flags, tcp_syn | tcp_ack);
  EXPECT_EQ(segs[2].flags, tcp_ack);
  EXPECT_EQ(segs[0].src, c);
  EXPECT_EQ(segs[1].src, s);
  for (int i = 3; i <= 7; ++i) EXPECT_EQ(segs[i].flags, tcp_psh | tcp_ack) << i;
  EXPECT_EQ(segs[5].payload.size(), 1460u);
  EXPECT_EQ(segs[6].payload.size(), 1460u);
  EXPECT_EQ(segs[7].payload.size(), 80u);
  EXPECT_EQ(segs[8].flags, tcp_fin | tcp_ack);
  EXPECT_EQ(segs[8].src, c);
  EXPECT_EQ(segs[9].flags, tcp_fin | tcp_ack);
  EXPECT_EQ(segs[9].src, s);
  EXPECT_EQ(segs[10].flags, tcp_ack);
  // Per direction: each segment starts where the previous one ended (SYN and FIN count one);
  // every ACK acknowledges exactly what the peer sent so far.
  std::map<Endpoint, std::uint32_t> next;
  for (std::size_t i = 0; i < segs.size(); ++i) {
    const Seg& g = segs[i];
    if (next.count(g.src)) {
      EXPECT_EQ(g.seq, next[g.src]) << "segment " << i;
    }
    if (g.flags & tcp_ack) {
      EXPECT_EQ(g.ack, next.at(g.dst)) << "segment " << i;
    }
    next[g.src] = g.seq + static_cast<std::uint32_t>(g.payload.size()) +
                  ((g.flags & (tcp_syn | tcp_fin)) ? 1 : 0);
  }
  EXPECT_EQ(segs[3].payload, framed(screq_alice()));
}

TEST(PcapWriter, DataWithoutOpenOpensImplicitly) {
  TempFile f("implicit");
  {
    Writer w(f.path);
    w.tcp_data(ep(3, 40002), ep(1, 16513), framed(blob(16, 1)), Timestamp(0));
  }
  const auto frames = raw_frames(f.path);
  ASSERT_EQ(frames.size(), 4u);
  EXPECT_EQ(parse_tcp(frames[0]).flags, detail::tcp_syn);
  EXPECT_EQ(parse_tcp(frames[0]).src, ep(3, 40002));
}

TEST(PcapWriter, SameCallsGiveTheSameFile) {
  TempFile a("a"), b("b");
  for (const auto* p : {&a.path, &b.path}) {
    Writer w(*p);
    w.tcp_data(ep(2, 40001), ep(1, 16513), framed(screq_alice()), Timestamp(7));
    w.udp(ep(2, 40000), ep(1, 16513), kareq_example(), Timestamp(8));
  }
  EXPECT_EQ(raw_frames(a.path), raw_frames(b.path));
}

TEST(PcapWriter, RejectsOversizedUdpAndUnwritablePath) {
  TempFile f("big");
  Writer w(f.path);
  const Bytes huge(65508, 0);
  EXPECT_THROW(w.udp(ep(1, 1), ep(2, 2), huge, Timestamp(0)), std::length_error);
  EXPECT_THROW(Writer("/nonexistent-dir/x.pcap"), std::runtime_error);
}

TEST(PcapWriter, EndpointToString) {
  EXPECT_EQ(ep(1, 16513).to_string(), "127.0.0.1:16513");
  EXPECT_EQ((Endpoint{Ipv4{0xEFFF0A14}, 5004}).to_string(), "239.255.10.20:5004");
}

}  // namespace
}  // namespace gmp::pcap::test
