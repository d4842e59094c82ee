// Seeded random captures: mutated and random frames, random TCP sequence numbers and
// payloads. The reader must not crash (run it under GMP_SANITIZE) and every record it gives
// must respect the framing: 16..max_message bytes, a multiple of 4, or a framing error.
#include <random>

#include "frames.hpp"
#include "inet.hpp"
#include "test_util.hpp"

namespace gmp::pcap::test {
namespace {

Bytes random_bytes(std::mt19937& rng, std::size_t n) {
  Bytes b(n);
  for (auto& x : b) x = static_cast<std::uint8_t>(rng());
  return b;
}

TEST(PcapRobustness, RandomCapturesKeepTheFramingContract) {
  std::size_t tcp_messages = 0;
  for (std::uint32_t seed = 1; seed <= 20; ++seed) {
    std::mt19937 rng(seed);
    TempFile f("random");
    {
      RawWriter w(f.path, DLT_EN10MB);
      for (int i = 0; i < 300; ++i) {
        const Endpoint a = ep(static_cast<std::uint8_t>(2 + rng() % 3),
                              static_cast<std::uint16_t>(40000 + rng() % 3));
        const Endpoint s = ep(1, 16513);
        const bool up = rng() % 2;
        Bytes payload = random_bytes(rng, rng() % 80);
        if (payload.size() >= 2 && rng() % 2) {  // often a plausible length prefix
          payload[0] = 0;
          payload[1] = static_cast<std::uint8_t>(16 + 4 * (rng() % 8));
        }
        Bytes frame;
        if (rng() % 4 == 0) {
          frame = detail::udp_frame(up ? a : s, up ? s : a, 1, payload);
        } else {
          detail::TcpFields t;
          t.seq = static_cast<std::uint32_t>(rng() % 4 == 0 ? rng() : rng() % 400);
          t.flags = static_cast<std::uint8_t>(rng() % 8 == 0 ? rng() : detail::tcp_ack);
          frame = detail::tcp_frame(up ? a : s, up ? s : a, 1, t, payload);
        }
        switch (rng() % 6) {
          case 0:
            frame.resize(rng() % (frame.size() + 1));
            break;  // cut anywhere
          case 1:
            frame[rng() % frame.size()] = static_cast<std::uint8_t>(rng());
            break;
          case 2:
            frame = random_bytes(rng, rng() % 100);
            break;
          default:
            break;
        }
        w.add(frame, i);
      }
    }
    ReadOptions o;
    o.max_message = 48;
    o.max_pending_segments = 8;
    o.max_streams = 6;
    std::size_t n = 0;
    read_each(f.path, o, [&](const Record& r) {
      ++n;
      if (r.framing_error || !r.tcp) return;
      ++tcp_messages;
      EXPECT_GE(r.bytes.size(), 16u) << "seed " << seed;
      EXPECT_LE(r.bytes.size(), o.max_message) << "seed " << seed;
      EXPECT_EQ(r.bytes.size() % 4, 0u) << "seed " << seed;
    });
    EXPECT_GT(n, 0u) << "seed " << seed;
  }
  EXPECT_GT(tcp_messages, 0u);  // the generator does produce whole SM frames
}

}  // namespace
}  // namespace gmp::pcap::test
