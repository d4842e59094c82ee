// pcapng input: libpcap cannot write pcapng, so the test assembles one by hand
// (section header, interface description with if_tsresol = 9, enhanced packet blocks).
#include <fstream>

#include "frames.hpp"
#include "inet.hpp"
#include "test_util.hpp"

namespace gmp::pcap::test {
namespace {

void le32(Bytes& b, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) b.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
}
void le16(Bytes& b, std::uint16_t v) {
  b.push_back(static_cast<std::uint8_t>(v));
  b.push_back(static_cast<std::uint8_t>(v >> 8));
}

// A block: type, total length, body (padded to 4), total length again.
void block(Bytes& out, std::uint32_t type, Bytes body) {
  body.resize((body.size() + 3) / 4 * 4, 0);
  const auto len = static_cast<std::uint32_t>(12 + body.size());
  le32(out, type);
  le32(out, len);
  out.insert(out.end(), body.begin(), body.end());
  le32(out, len);
}

class Pcapng {
 public:
  Pcapng() {
    Bytes shb;
    le32(shb, 0x1A2B3C4D);  // byte-order magic
    le16(shb, 1);           // version 1.0
    le16(shb, 0);
    le32(shb, 0xFFFFFFFF);  // section length unknown (-1)
    le32(shb, 0xFFFFFFFF);
    block(file_, 0x0A0D0D0A, shb);
    Bytes idb;
    le16(idb, 1);  // LINKTYPE_ETHERNET
    le16(idb, 0);
    le32(idb, 65535);
    le16(idb, 9);  // if_tsresol
    le16(idb, 1);
    idb.insert(idb.end(), {9, 0, 0, 0});  // 10^-9 s, padded
    le32(idb, 0);                         // opt_endofopt
    block(file_, 1, idb);
  }
  void packet(const Bytes& frame, std::uint64_t ns) {
    Bytes epb;
    le32(epb, 0);  // interface 0
    le32(epb, static_cast<std::uint32_t>(ns >> 32));
    le32(epb, static_cast<std::uint32_t>(ns));
    le32(epb, static_cast<std::uint32_t>(frame.size()));
    le32(epb, static_cast<std::uint32_t>(frame.size()));
    epb.insert(epb.end(), frame.begin(), frame.end());
    block(file_, 6, epb);
  }
  void save(const std::string& path) const {
    std::ofstream(path, std::ios::binary)
        .write(reinterpret_cast<const char*>(file_.data()),
               static_cast<std::streamsize>(file_.size()));
  }

 private:
  Bytes file_;
};

TEST(Pcapng, TcpAndUdpMessagesAreRead) {
  const Endpoint c = ep(2, 40001), s = ep(1, 16513);
  const Bytes st = cat({framed(screq_alice()), framed(blob(16, 2))});
  Pcapng ng;
  detail::TcpFields f;
  f.seq = 100;
  f.flags = detail::tcp_syn;
  ng.packet(detail::tcp_frame(c, s, 1, f, {}), 1'700'000'000'000'000'001ULL);
  f.seq = 101;
  f.flags = detail::tcp_psh | detail::tcp_ack;
  ng.packet(detail::tcp_frame(c, s, 2, f, Bytes(st.begin(), st.begin() + 30)),
            1'700'000'000'250'000'999ULL);
  f.seq = 131;
  ng.packet(detail::tcp_frame(c, s, 3, f, Bytes(st.begin() + 30, st.end())),
            1'700'000'001'000'000'000ULL);
  ng.packet(detail::udp_frame(ep(2, 40000), s, 4, kareq_example()), 1'700'000'002'000'000'000ULL);
  TempFile file("ng");
  ng.save(file.path);

  const auto rs = read(file.path);
  ASSERT_EQ(rs.size(), 3u);
  EXPECT_EQ(rs[0].bytes, screq_alice());
  EXPECT_EQ(rs[0].frame, 2u);
  EXPECT_EQ(rs[0].time, Timestamp(1'700'000'000'250'000));  // nanoseconds cut to microseconds
  EXPECT_EQ(rs[1].bytes, blob(16, 2));
  EXPECT_EQ(rs[1].frame, 3u);
  EXPECT_FALSE(rs[2].tcp);
  EXPECT_EQ(rs[2].bytes, kareq_example());
  EXPECT_EQ(rs[2].time, Timestamp(1'700'000'002'000'000));
}

TEST(Pcapng, GarbageFileThrows) {
  TempFile file("junk");
  std::ofstream(file.path) << "this is not a capture file at all";
  EXPECT_THROW(read(file.path), std::runtime_error);
}

}  // namespace
}  // namespace gmp::pcap::test
