// TCP reassembly on hand-made segments: out of order, retransmitted, overlapping, wrapped
// sequence numbers, a capture that starts mid-connection, and the memory bounds.
#include "frames.hpp"
#include "inet.hpp"
#include "test_util.hpp"

namespace gmp::pcap::test {
namespace {

using detail::tcp_ack;
using detail::tcp_fin;
using detail::tcp_psh;
using detail::tcp_rst;
using detail::tcp_syn;

const Endpoint c = ep(2, 40001);
const Endpoint s = ep(1, 16513);

class Segments {
 public:
  explicit Segments(const std::string& path) : w_(path, DLT_EN10MB) {}
  void add(Endpoint src, Endpoint dst, std::uint32_t seq, std::uint8_t flags,
           const Bytes& payload = {}) {
    detail::TcpFields f;
    f.seq = seq;
    f.ack = 1;
    f.flags = flags;
    w_.add(detail::tcp_frame(src, dst, id_++, f, payload), ++t_);
  }
  void close() { w_.close(); }

 private:
  RawWriter w_;
  std::uint16_t id_ = 1;
  std::int64_t t_ = 0;
};

Bytes slice(const Bytes& b, std::size_t from, std::size_t to) {
  return Bytes(b.begin() + from, b.begin() + to);
}

std::vector<Record> read_with(const std::string& path, ReadStats& stats,
                              const ReadOptions& o = {}) {
  std::vector<Record> rs;
  read_each(
      path, o, [&](const Record& r) { rs.push_back(r); }, &stats);
  return rs;
}

TEST(PcapReassembly, OutOfOrderSegmentsAreReordered) {
  TempFile f("ooo");
  const Bytes st = cat({framed(blob(16, 1)), framed(blob(24, 2))});  // 44 bytes
  {
    Segments g(f.path);
    g.add(c, s, 1000, tcp_syn);                                    // 1: data from 1001
    g.add(c, s, 1001 + 30, tcp_psh | tcp_ack, slice(st, 30, 44));  // 2: third part first
    g.add(c, s, 1001 + 10, tcp_psh | tcp_ack, slice(st, 10, 30));  // 3: then the second
    g.add(c, s, 1001, tcp_psh | tcp_ack, slice(st, 0, 10));        // 4: the gap filled
  }
  ReadStats stats;
  const auto rs = read_with(f.path, stats);
  ASSERT_EQ(rs.size(), 2u);
  EXPECT_EQ(rs[0].bytes, blob(16, 1));
  EXPECT_EQ(rs[1].bytes, blob(24, 2));
  EXPECT_EQ(rs[0].frame, 4u);  // completed by the packet that filled the gap
  EXPECT_EQ(rs[1].frame, 4u);
  EXPECT_EQ(stats.out_of_order, 2u);
}

TEST(PcapReassembly, RetransmissionsAndOverlapsAreDeliveredOnce) {
  TempFile f("retx");
  const Bytes st = cat({framed(blob(16, 1)), framed(blob(16, 2))});  // 36 bytes
  {
    Segments g(f.path);
    g.add(c, s, 5000, tcp_syn);
    g.add(c, s, 5001, tcp_psh | tcp_ack, slice(st, 0, 20));   // 2: first message done
    g.add(c, s, 5001, tcp_psh | tcp_ack, slice(st, 0, 20));   // 3: whole retransmission
    g.add(c, s, 5011, tcp_psh | tcp_ack, slice(st, 10, 30));  // 4: overlaps 10 old bytes
    g.add(c, s, 5031, tcp_psh | tcp_ack, slice(st, 30, 36));  // 5: second message done
    g.add(c, s, 5031, tcp_psh | tcp_ack, slice(st, 30, 36));  // 6: retransmitted again
  }
  ReadStats stats;
  const auto rs = read_with(f.path, stats);
  ASSERT_EQ(rs.size(), 2u);
  EXPECT_EQ(rs[0].bytes, blob(16, 1));
  EXPECT_EQ(rs[0].frame, 2u);
  EXPECT_EQ(rs[1].bytes, blob(16, 2));
  EXPECT_EQ(rs[1].frame, 5u);
  EXPECT_EQ(stats.retransmitted, 2u);
}

TEST(PcapReassembly, SequenceNumbersWrapAround) {
  TempFile f("wrap");
  const Bytes st = cat({framed(blob(16, 1)), framed(blob(16, 2))});
  {
    Segments g(f.path);
    g.add(c, s, 0xFFFFFFF0u, tcp_syn);
    g.add(c, s, 0xFFFFFFF1u, tcp_psh | tcp_ack, slice(st, 0, 20));  // crosses 2^32
    g.add(c, s, 0xFFFFFFF1u + 20, tcp_psh | tcp_ack, slice(st, 20, 36));
  }
  ReadStats stats;
  const auto rs = read_with(f.path, stats);
  ASSERT_EQ(rs.size(), 2u);
  EXPECT_EQ(rs[1].bytes, blob(16, 2));
}

TEST(PcapReassembly, CaptureStartingMidConnection) {
  TempFile f("mid");
  {
    Segments g(f.path);  // no SYN: the first data is taken as a message boundary
    g.add(c, s, 777, tcp_psh | tcp_ack, framed(blob(16, 1)));
    g.add(c, s, 777 + 18, tcp_psh | tcp_ack, framed(blob(16, 2)));
  }
  ReadStats stats;
  const auto rs = read_with(f.path, stats);
  ASSERT_EQ(rs.size(), 2u);
  EXPECT_EQ(rs[0].bytes, blob(16, 1));
  EXPECT_EQ(rs[1].bytes, blob(16, 2));
}

TEST(PcapReassembly, GapBeyondTheBoundAbandonsTheDirection) {
  TempFile f("gap");
  {
    Segments g(f.path);
    g.add(c, s, 0, tcp_syn);
    for (std::uint32_t i = 0; i < 4; ++i)  // data from 1; byte 1..18 never captured
      g.add(c, s, 19 + 18 * i, tcp_psh | tcp_ack, framed(blob(16, 1)));
    g.add(s, c, 0, tcp_syn | tcp_ack);
    g.add(s, c, 1, tcp_psh | tcp_ack, framed(blob(16, 7)));
  }
  ReadOptions o;
  o.max_pending_segments = 3;
  ReadStats stats;
  const auto rs = read_with(f.path, stats, o);
  ASSERT_EQ(rs.size(), 2u);
  ASSERT_TRUE(rs[0].framing_error);
  EXPECT_EQ(*rs[0].framing_error, "capture_gap");
  EXPECT_EQ(rs[0].frame, 5u);
  EXPECT_EQ(rs[1].bytes, blob(16, 7));
  EXPECT_EQ(stats.out_of_order, 3u);

  o.max_pending_segments = 256;
  o.max_pending_bytes = 40;  // the third held segment (54 bytes in all) is one too many
  const auto rs2 = read_with(f.path, stats, o);
  ASSERT_EQ(rs2.size(), 2u);
  ASSERT_TRUE(rs2[0].framing_error);
  EXPECT_EQ(rs2[0].frame, 4u);

  // Within the bounds the gap only leaves the data pending: counted at the end.
  const auto rs3 = read_with(f.path, stats);
  ASSERT_EQ(rs3.size(), 1u);
  EXPECT_EQ(stats.incomplete_at_end, 1u);
}

TEST(PcapReassembly, ResetAndFinEndTheStream) {
  TempFile f("rst");
  {
    Segments g(f.path);
    g.add(c, s, 0, tcp_syn);
    g.add(c, s, 1, tcp_psh | tcp_ack, Bytes{0x00, 0x10, 0x10});  // partial
    g.add(c, s, 4, tcp_rst);
    g.add(c, s, 4, tcp_psh | tcp_ack, framed(blob(16, 1)));  // after RST: ignored
    g.add(s, c, 0, tcp_syn | tcp_ack);
    g.add(s, c, 1, tcp_psh | tcp_ack | tcp_fin, framed(blob(16, 2)));
    g.add(s, c, 19, tcp_psh | tcp_ack, framed(blob(16, 3)));  // after FIN: ignored
  }
  ReadStats stats;
  const auto rs = read_with(f.path, stats);
  ASSERT_EQ(rs.size(), 1u);
  EXPECT_EQ(rs[0].bytes, blob(16, 2));
  EXPECT_EQ(stats.incomplete_at_end, 1u);  // the RST cut a message
}

TEST(PcapReassembly, StreamCountIsBounded) {
  TempFile f("streams");
  {
    Segments g(f.path);
    for (std::uint16_t i = 0; i < 5; ++i)
      g.add(ep(2, static_cast<std::uint16_t>(40000 + i)), s, 0, tcp_psh | tcp_ack,
            framed(blob(16, 1)));
  }
  ReadOptions o;
  o.max_streams = 3;
  ReadStats stats;
  const auto rs = read_with(f.path, stats, o);
  EXPECT_EQ(rs.size(), 3u);
  EXPECT_EQ(stats.streams_ignored, 2u);
}

TEST(PcapReassembly, DeadStreamsMakeRoomForNewOnes) {
  TempFile f("evict");
  {
    Segments g(f.path);
    g.add(ep(2, 40000), s, 0, tcp_syn);
    g.add(ep(2, 40000), s, 1, tcp_fin | tcp_ack);  // closed: its slot can be reused
    g.add(ep(2, 40001), s, 0, tcp_psh | tcp_ack, framed(blob(16, 1)));
  }
  ReadOptions o;
  o.max_streams = 1;
  ReadStats stats;
  EXPECT_EQ(read_with(f.path, stats, o).size(), 1u);
  EXPECT_EQ(stats.streams_ignored, 0u);
}

}  // namespace
}  // namespace gmp::pcap::test
