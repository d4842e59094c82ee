// Writer -> read(): the messages come back with their frame numbers, endpoints and times,
// however the TCP stream cuts them.
#include "test_util.hpp"

namespace gmp::pcap::test {
namespace {

const Endpoint client = ep(2, 40001);
const Endpoint server = ep(1, 16513);

TEST(PcapRoundTrip, SmOverTcpAndMmOverUdp) {
  TempFile f("rt");
  {
    Writer w(f.path);
    w.tcp_open(client, server, Timestamp(1'000'000));                         // frames 1-3
    w.tcp_data(client, server, framed(screq_alice()), Timestamp(1'000'100));  // 4
    w.udp(server, ep(2, 40000), kareq_example(), Timestamp(2'500'000));       // 5
    w.tcp_data(server, client, framed(blob(20, 2)), Timestamp(3'000'000));    // 6
    w.tcp_close(client, server, Timestamp(4'000'000));
  }
  ReadStats stats;
  std::vector<Record> rs;
  read_each(
      f.path, {}, [&](const Record& r) { rs.push_back(r); }, &stats);
  ASSERT_EQ(rs.size(), 3u);
  EXPECT_EQ(rs[0].frame, 4u);
  EXPECT_EQ(rs[0].time, Timestamp(1'000'100));
  EXPECT_EQ(rs[0].src, client);
  EXPECT_EQ(rs[0].dst, server);
  EXPECT_TRUE(rs[0].tcp);
  EXPECT_EQ(rs[0].bytes, screq_alice());
  EXPECT_FALSE(rs[0].framing_error);
  EXPECT_EQ(rs[1].frame, 5u);
  EXPECT_FALSE(rs[1].tcp);
  EXPECT_EQ(rs[1].src, server);
  EXPECT_EQ(rs[1].dst, ep(2, 40000));
  EXPECT_EQ(rs[1].bytes, kareq_example());
  EXPECT_EQ(rs[2].frame, 6u);
  EXPECT_EQ(rs[2].src, server);
  EXPECT_EQ(rs[2].bytes, blob(20, 2));
  EXPECT_EQ(stats.frames, 9u);
  EXPECT_EQ(stats.incomplete_at_end, 0u);
  EXPECT_EQ(stats.retransmitted, 0u);
  EXPECT_EQ(read(f.path).size(), 3u);
}

TEST(PcapRoundTrip, MessageSplitAcrossSegments) {
  TempFile f("split");
  const Bytes m = framed(screq_alice());
  {
    Writer w(f.path);
    w.tcp_open(client, server, Timestamp(0));
    w.tcp_data(client, server, Bytes(m.begin(), m.begin() + 1), Timestamp(1));  // frame 4
    w.tcp_data(client, server, Bytes(m.begin() + 1, m.begin() + 9), Timestamp(2));
    w.tcp_data(client, server, Bytes(m.begin() + 9, m.end()), Timestamp(3));  // frame 6
  }
  const auto rs = read(f.path);
  ASSERT_EQ(rs.size(), 1u);
  EXPECT_EQ(rs[0].frame, 6u);
  EXPECT_EQ(rs[0].time, Timestamp(3));
  EXPECT_EQ(rs[0].bytes, screq_alice());
}

TEST(PcapRoundTrip, SeveralMessagesInOneSegmentAndOneAcrossTwo) {
  TempFile f("several");
  const Bytes stream =
      cat({framed(blob(16, 1)), framed(blob(24, 2)), framed(blob(32, 3)), framed(blob(16, 4))});
  {
    Writer w(f.path);
    w.tcp_data(client, server, Bytes(stream.begin(), stream.begin() + 50), Timestamp(1));  // 4
    w.tcp_data(client, server, Bytes(stream.begin() + 50, stream.end()), Timestamp(2));    // 5
  }
  const auto rs = read(f.path);
  ASSERT_EQ(rs.size(), 4u);
  EXPECT_EQ(rs[0].bytes, blob(16, 1));
  EXPECT_EQ(rs[1].bytes, blob(24, 2));
  EXPECT_EQ(rs[2].bytes, blob(32, 3));
  EXPECT_EQ(rs[3].bytes, blob(16, 4));
  EXPECT_EQ(rs[0].frame, 4u);
  EXPECT_EQ(rs[1].frame, 4u);
  EXPECT_EQ(rs[2].frame, 5u);  // bytes 44..79 straddle the cut at 50
  EXPECT_EQ(rs[3].frame, 5u);
}

TEST(PcapRoundTrip, LargeMessageOverManySegments) {
  TempFile f("large");
  const Bytes m = blob(4096, 9);
  {
    Writer w(f.path);
    w.tcp_data(client, server, framed(m), Timestamp(1));  // 3 segments after the handshake
  }
  const auto rs = read(f.path);
  ASSERT_EQ(rs.size(), 1u);
  EXPECT_EQ(rs[0].frame, 6u);
  EXPECT_EQ(rs[0].bytes, m);
}

struct FramingCase {
  std::uint16_t prefix;
  const char* error;
};

class PcapFraming : public ::testing::TestWithParam<FramingCase> {};

TEST_P(PcapFraming, ErrorStopsOnlyThatDirection) {
  TempFile f("framing");
  const Bytes bad{static_cast<std::uint8_t>(GetParam().prefix >> 8),
                  static_cast<std::uint8_t>(GetParam().prefix),
                  0,
                  0,
                  0,
                  0};
  {
    Writer w(f.path);
    w.tcp_data(client, server, cat({framed(blob(16, 1)), bad}), Timestamp(1));  // frame 4
    w.tcp_data(client, server, framed(blob(16, 2)), Timestamp(2));  // ignored: stream abandoned
    w.tcp_data(server, client, framed(blob(16, 3)), Timestamp(3));  // other direction: fine
  }
  ReadOptions o;
  o.max_message = 4096;
  const auto rs = read(f.path, o);
  ASSERT_EQ(rs.size(), 3u);
  EXPECT_EQ(rs[0].bytes, blob(16, 1));
  EXPECT_EQ(rs[1].frame, 4u);
  EXPECT_EQ(rs[1].src, client);
  EXPECT_TRUE(rs[1].tcp);
  EXPECT_TRUE(rs[1].bytes.empty());
  ASSERT_TRUE(rs[1].framing_error);
  EXPECT_EQ(*rs[1].framing_error, GetParam().error);
  EXPECT_EQ(rs[2].src, server);
  EXPECT_EQ(rs[2].bytes, blob(16, 3));
}

INSTANTIATE_TEST_SUITE_P(Errors, PcapFraming,
                         ::testing::Values(FramingCase{12, "frame_too_short"},
                                           FramingCase{0, "frame_too_short"},
                                           FramingCase{18, "frame_not_aligned"},
                                           FramingCase{4100, "frame_too_large"}));

TEST(PcapRoundTrip, PortSelectsTheTraffic) {
  TempFile f("port");
  {
    Writer w(f.path);
    w.tcp_data(ep(2, 40001), ep(1, 7000), framed(blob(16, 1)), Timestamp(1));
    w.udp(ep(2, 40000), ep(1, 7000), kareq_example(), Timestamp(2));
    w.udp(ep(2, 40000), ep(1, 16513), kareq_example(), Timestamp(3));
  }
  EXPECT_EQ(read(f.path).size(), 1u);
  ReadOptions o;
  o.port = 7000;
  const auto rs = read(f.path, o);
  ASSERT_EQ(rs.size(), 2u);
  EXPECT_TRUE(rs[0].tcp);
  EXPECT_FALSE(rs[1].tcp);
}

TEST(PcapRoundTrip, ReopenedConnectionStartsAFreshStream) {
  TempFile f("reopen");
  {
    Writer w(f.path);
    w.tcp_data(client, server, Bytes{0x00, 0x10, 1, 2}, Timestamp(1));  // half a message
    w.tcp_close(client, server, Timestamp(2));
    w.tcp_data(client, server, framed(blob(16, 5)), Timestamp(3));  // same 4-tuple again
  }
  ReadStats stats;
  std::vector<Record> rs;
  read_each(
      f.path, {}, [&](const Record& r) { rs.push_back(r); }, &stats);
  ASSERT_EQ(rs.size(), 1u);
  EXPECT_EQ(rs[0].bytes, blob(16, 5));
  EXPECT_EQ(stats.incomplete_at_end, 1u);
}

TEST(PcapRoundTrip, MissingFileThrows) {
  EXPECT_THROW(read("/nonexistent/file.pcap"), std::runtime_error);
}

}  // namespace
}  // namespace gmp::pcap::test
