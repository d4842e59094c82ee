// The reader's link layers and IPv4 edge cases: raw IP, BSD loopback, Linux cooked (SLL and
// SLL2), VLAN tags, Ethernet padding, fragments, non-IPv4, truncated frames.
#include "frames.hpp"
#include "test_util.hpp"

namespace gmp::pcap::test {
namespace {

const Endpoint member = ep(2, 40000);
const Endpoint server = ep(1, 16513);

Bytes ip_packet() {  // the IPv4 packet of a UDP datagram carrying the appendix KAREQ
  const Bytes eth = detail::udp_frame(member, server, 1, kareq_example());
  return Bytes(eth.begin() + 14, eth.end());
}

std::vector<Record> one_frame(int dlt, const Bytes& frame, ReadStats* stats = nullptr) {
  TempFile f("link");
  {
    RawWriter w(f.path, dlt);
    w.add(frame);
  }
  std::vector<Record> rs;
  read_each(
      f.path, {}, [&](const Record& r) { rs.push_back(r); }, stats);
  return rs;
}

void expect_kareq(const std::vector<Record>& rs) {
  ASSERT_EQ(rs.size(), 1u);
  EXPECT_FALSE(rs[0].tcp);
  EXPECT_EQ(rs[0].src, member);
  EXPECT_EQ(rs[0].dst, server);
  EXPECT_EQ(rs[0].bytes, kareq_example());
}

TEST(PcapLinkTypes, RawIp) { expect_kareq(one_frame(DLT_RAW, ip_packet())); }

TEST(PcapLinkTypes, NullLoopbackEitherByteOrder) {
  expect_kareq(one_frame(DLT_NULL, cat({Bytes{2, 0, 0, 0}, ip_packet()})));
  expect_kareq(one_frame(DLT_NULL, cat({Bytes{0, 0, 0, 2}, ip_packet()})));
  expect_kareq(one_frame(DLT_LOOP, cat({Bytes{0, 0, 0, 2}, ip_packet()})));
  EXPECT_TRUE(one_frame(DLT_NULL, cat({Bytes{30, 0, 0, 0}, ip_packet()})).empty());  // AF_INET6
}

TEST(PcapLinkTypes, LinuxCooked) {
  Bytes sll(16, 0);
  sll[14] = 0x08;
  expect_kareq(one_frame(DLT_LINUX_SLL, cat({sll, ip_packet()})));
  Bytes sll2(20, 0);
  sll2[0] = 0x08;
  expect_kareq(one_frame(DLT_LINUX_SLL2, cat({sll2, ip_packet()})));
}

TEST(PcapLinkTypes, EthernetVlanTagAndPadding) {
  const Bytes eth = detail::udp_frame(member, server, 1, kareq_example());
  Bytes tagged(eth.begin(), eth.begin() + 12);
  tagged.insert(tagged.end(), {0x81, 0x00, 0x00, 0x05});
  tagged.insert(tagged.end(), eth.begin() + 12, eth.end());
  expect_kareq(one_frame(DLT_EN10MB, tagged));
  // Ethernet pads short frames to 60 bytes: the IPv4 total length says where data ends.
  Bytes padded = eth;
  padded.resize(eth.size() + 6, 0);
  expect_kareq(one_frame(DLT_EN10MB, padded));
}

TEST(PcapLinkTypes, SkippedPacketsAreCounted) {
  ReadStats st;
  Bytes frag = detail::udp_frame(member, server, 1, kareq_example());
  frag[14 + 6] = 0x20;  // MF set, DF cleared
  EXPECT_TRUE(one_frame(DLT_EN10MB, frag, &st).empty());
  EXPECT_EQ(st.ip_fragments, 1u);

  Bytes arp = detail::udp_frame(member, server, 1, kareq_example());
  arp[12] = 0x08;
  arp[13] = 0x06;
  EXPECT_TRUE(one_frame(DLT_EN10MB, arp, &st).empty());
  EXPECT_EQ(st.not_ipv4, 1u);

  const Bytes whole = detail::udp_frame(member, server, 1, kareq_example());
  const Bytes cut(whole.begin(), whole.end() - 5);  // snap length shorter than the packet
  EXPECT_TRUE(one_frame(DLT_EN10MB, cut, &st).empty());
  EXPECT_EQ(st.malformed, 1u);
  EXPECT_EQ(st.frames, 1u);
}

TEST(PcapLinkTypes, UnsupportedLinkTypeThrows) {
  EXPECT_THROW(one_frame(DLT_IEEE802_11, ip_packet()), std::runtime_error);
}

}  // namespace
}  // namespace gmp::pcap::test
