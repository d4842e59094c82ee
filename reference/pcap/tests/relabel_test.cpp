// relabel_lifelines: one address per role, the creator first, a member's sockets (its SM
// connections and its MM socket) on one address.
#include <gtest/gtest.h>

#include "gmp/pcap.hpp"
#include "test_util.hpp"

namespace gmp::pcap::test {
namespace {

constexpr std::uint16_t gmp_port = 16513;

// A 16-byte SM header (no options) of `type` for session 0x3a5c and `user`.
Bytes sm(std::uint8_t type, std::uint16_t user, Bytes options = {}) {
  Bytes m = {0x10, type, 0, 0, 0x3a, 0x5c, static_cast<std::uint8_t>(user >> 8),
             static_cast<std::uint8_t>(user), 0, 0, 0, 0, 0, 0, 0, 0};
  return options.empty() ? m : cat({m, options});
}
Bytes mm(std::uint8_t type, std::uint16_t user) {
  return {static_cast<std::uint8_t>(0x10 | type), 0x48, 0, 0, 0x3a, 0x5c,
          static_cast<std::uint8_t>(user >> 8), static_cast<std::uint8_t>(user), 0, 0, 0, 0,
          0, 0, 0, 0};
}

TEST(Relabel, OneAddressPerRoleCreatorFirst) {
  TempFile in("in"), out("out");
  const Endpoint server = ep(1, gmp_port), creator = ep(1, 40001), a_reg = ep(1, 40002),
                 a_act = ep(1, 40003), a_mm = ep(1, 40100), refused = ep(1, 40004);
  {
    Writer w(in.path);
    Timestamp t{1'000'000};
    // A registers before the creator's SCREQ appears: the creator still gets .10.
    w.tcp_data(a_reg, server, framed(sm(8, 0)), t);             // SRREQ
    w.tcp_data(server, a_reg, framed(sm(10, 0x1111)), t);       // SRACC: A is 0x1111
    w.tcp_data(creator, server, framed(screq_alice()), t);      // SCREQ
    w.tcp_data(server, creator, framed(sm(2, 0xc0de)), t);      // SCACC
    w.tcp_data(a_act, server, framed(sm(14, 0x1111, {13, 2, 0x9c, 0xa4})), t);  // SAREQ, MM-PORT 40100
    w.udp(server, a_mm, mm(1, 0x1111), t);                      // KAREQ to A's MM port
    w.udp(a_mm, server, mm(2, 0x1111), t);                      // KARES
    w.tcp_data(refused, server, framed(sm(8, 0)), t);           // SRREQ, never accepted
  }
  const auto st = relabel_lifelines(in.path, out.path);
  EXPECT_EQ(st.lifelines, 3u);
  const Ipv4 srv{0xC0000201}, c{0xC000020A}, a{0xC000020B}, r{0xC000020C};
  std::vector<std::pair<Ipv4, Ipv4>> got;
  for (const auto& rec : read(out.path)) got.push_back({rec.src.ip, rec.dst.ip});
  const std::vector<std::pair<Ipv4, Ipv4>> want = {
      {a, srv}, {srv, a}, {c, srv}, {srv, c}, {a, srv}, {srv, a}, {a, srv}, {r, srv}};
  EXPECT_EQ(got, want);
  // Ports, and so the TCP streams, are kept.
  const auto recs = read(out.path);
  ASSERT_EQ(recs.size(), 8u);
  EXPECT_EQ(recs[5].dst.port, 40100);
  EXPECT_EQ(recs[7].src.port, 40004);
}

}  // namespace
}  // namespace gmp::pcap::test
