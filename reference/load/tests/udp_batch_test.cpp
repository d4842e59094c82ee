// UDP GSO/GRO batching (gmp/udp_batch.hpp): the plan that groups a batch into trains, the
// split of a received train, and a loopback exchange where a batch sent as trains arrives as
// the same individual datagrams.
#include "gmp/udp_batch.hpp"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <unistd.h>

#include <chrono>
#include <map>
#include <utility>

namespace gmp::udp {
namespace {

std::vector<std::vector<std::size_t>> trains(const std::vector<Item>& items, std::size_t segments = max_segments,
                                             std::size_t bytes = max_super_bytes) {
  Plan p;
  plan(items, p, segments, bytes);
  std::vector<std::vector<std::size_t>> out;
  std::size_t next = 0;
  for (const Group& g : p.groups) {
    EXPECT_EQ(g.first, next);
    next += g.count;
    std::vector<std::size_t> t;
    for (std::size_t s = 0; s < g.count; ++s) {
      const Item& it = items[p.order[g.first + s]];
      t.push_back(p.order[g.first + s]);
      if (s + 1 < g.count) {
        EXPECT_EQ(it.length, g.segment);
      } else {
        EXPECT_LE(it.length, g.segment);
      }
    }
    out.push_back(t);
  }
  EXPECT_EQ(next, items.size());
  return out;
}

using Trains = std::vector<std::vector<std::size_t>>;

TEST(UdpBatchPlan, EmptyBatchHasNoGroup) { EXPECT_TRUE(trains({}).empty()); }

TEST(UdpBatchPlan, OneSegmentKeepsTheQueuedOrder) {
  const std::vector<Item> items{{2, 24}, {1, 24}, {2, 24}};
  EXPECT_EQ(trains(items, 1), (Trains{{0}, {1}, {2}}));
}

TEST(UdpBatchPlan, GathersEachDestinationInItsOwnOrder) {
  const std::vector<Item> items{{7, 24}, {3, 24}, {7, 24}, {3, 24}, {7, 24}};
  EXPECT_EQ(trains(items), (Trains{{1, 3}, {0, 2, 4}}));
}

TEST(UdpBatchPlan, ALongerDatagramStartsANewTrainAShorterOneEndsIt) {
  const std::vector<Item> items{{1, 24}, {1, 24}, {1, 40}, {1, 40}, {1, 30}, {1, 40}};
  EXPECT_EQ(trains(items), (Trains{{0, 1}, {2, 3, 4}, {5}}));
}

TEST(UdpBatchPlan, TrainsStopAtTheSegmentAndByteLimits) {
  const std::vector<Item> items(10, Item{1, 100});
  EXPECT_EQ(trains(items, 4), (Trains{{0, 1, 2, 3}, {4, 5, 6, 7}, {8, 9}}));
  EXPECT_EQ(trains(items, 64, 350), (Trains{{0, 1, 2}, {3, 4, 5}, {6, 7, 8}, {9}}));
  EXPECT_EQ(trains(std::vector<Item>(130, Item{1, 24})).size(), 3u);  // 64 + 64 + 2
}

TEST(UdpBatchPlan, EmptyAndOverMtuDatagramsGoAlone) {
  EXPECT_EQ(trains({{1, 0}, {1, 0}}), (Trains{{0}, {1}}));
  EXPECT_EQ(trains({{1, 24}, {1, 0}}), (Trains{{0}, {1}}));
  EXPECT_EQ(trains({{1, 1500}, {1, 1500}}), (Trains{{0}, {1}}));
  EXPECT_EQ(trains({{1, 1200}, {1, 1200}}), (Trains{{0, 1}}));  // the largest MM message
}

std::vector<std::pair<std::size_t, std::size_t>> pieces(std::size_t length, std::size_t segment) {
  std::vector<std::pair<std::size_t, std::size_t>> out;
  split(length, segment, [&](std::size_t o, std::size_t l) { out.emplace_back(o, l); });
  return out;
}

TEST(UdpBatchSplit, CutsATrainAtTheSegmentSize) {
  using P = std::vector<std::pair<std::size_t, std::size_t>>;
  EXPECT_EQ(pieces(24, 0), (P{{0, 24}}));   // no UDP_GRO cmsg: one datagram
  EXPECT_EQ(pieces(0, 0), (P{{0, 0}}));     // an empty datagram is still one
  EXPECT_EQ(pieces(72, 24), (P{{0, 24}, {24, 24}, {48, 24}}));
  EXPECT_EQ(pieces(60, 24), (P{{0, 24}, {24, 24}, {48, 12}}));  // a short last segment
  EXPECT_EQ(pieces(20, 24), (P{{0, 20}}));
}

int bound_socket(std::uint16_t& port) {
  const int fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
  // Room for the whole batch: a train split for a plain socket costs more buffer per datagram.
  const int size = 4 << 20;
  ::setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof size);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  EXPECT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
  socklen_t len = sizeof a;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  port = ntohs(a.sin_port);
  return fd;
}

// A batch for two receivers, interleaved, with mixed lengths, sent with GSO: one receiver
// takes trains (GRO), the other plain datagrams; both get every datagram, whole and in order.
TEST(UdpBatchLoopback, TrainsArriveAsTheSameDatagrams) {
  std::uint16_t tx_port = 0, gro_port = 0, plain_port = 0;
  const int tx = bound_socket(tx_port);
  const int rx_gro = bound_socket(gro_port);
  const int rx_plain = bound_socket(plain_port);
  Sender sender(tx, true);
  Receiver gro(rx_gro, 16, 2048, true);
  Receiver plain(rx_plain, 16, 2048, false);
  EXPECT_FALSE(plain.gro());

  std::vector<std::vector<std::uint8_t>> payloads;
  std::vector<Sender::Datagram> batch;
  sockaddr_in to[2]{};
  for (int k = 0; k < 2; ++k) {
    to[k].sin_family = AF_INET;
    to[k].sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    to[k].sin_port = htons(k == 0 ? gro_port : plain_port);
  }
  constexpr std::size_t count = 300;
  for (std::size_t i = 0; i < count; ++i) {
    const std::size_t len = i % 50 == 49 ? 17 : (i < 150 ? 24 : 1200);
    std::vector<std::uint8_t> p(len, static_cast<std::uint8_t>(i));
    p[0] = static_cast<std::uint8_t>(i >> 8);
    payloads.push_back(std::move(p));
  }
  for (std::size_t i = 0; i < count; ++i) batch.push_back({to[i % 2], payloads[i].data(), payloads[i].size()});
  const auto out = sender.send(batch, [] { return false; });
  EXPECT_EQ(out.sent, count);
  EXPECT_EQ(out.dropped, 0u);
  if (sender.gso()) {
    EXPECT_LT(sender.calls(), count / 4);  // trains, not one call per datagram
  }

  std::map<int, std::vector<std::vector<std::uint8_t>>> got;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(3);
  while (got[0].size() + got[1].size() < count && std::chrono::steady_clock::now() < deadline) {
    pollfd p[2]{{rx_gro, POLLIN, 0}, {rx_plain, POLLIN, 0}};
    if (::poll(p, 2, 100) <= 0) continue;
    for (int k = 0; k < 2; ++k) {
      (k == 0 ? gro : plain).receive([&](const sockaddr_in& from, std::span<const std::uint8_t> d, bool trunc) {
        EXPECT_FALSE(trunc);
        EXPECT_EQ(ntohs(from.sin_port), tx_port);
        got[k].emplace_back(d.begin(), d.end());
      });
    }
  }
  for (int k = 0; k < 2; ++k) {
    std::vector<std::vector<std::uint8_t>> want;
    for (std::size_t i = static_cast<std::size_t>(k); i < count; i += 2) want.push_back(payloads[i]);
    EXPECT_EQ(got[k].size(), want.size()) << "receiver " << k;
    EXPECT_EQ(got[k], want) << "receiver " << k;
  }
  ::close(tx);
  ::close(rx_gro);
  ::close(rx_plain);
}

// A datagram longer than the receiver's limit is reported truncated, with or without GRO.
TEST(UdpBatchLoopback, ALongDatagramIsReportedTruncated) {
  for (const bool with_gro : {false, true}) {
    std::uint16_t tx_port = 0, rx_port = 0;
    const int tx = bound_socket(tx_port);
    const int rx = bound_socket(rx_port);
    Receiver r(rx, 4, 64, with_gro);
    sockaddr_in to{};
    to.sin_family = AF_INET;
    to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    to.sin_port = htons(rx_port);
    std::vector<std::uint8_t> big(100, 1), small(10, 2);
    ::sendto(tx, big.data(), big.size(), 0, reinterpret_cast<sockaddr*>(&to), sizeof to);
    ::sendto(tx, small.data(), small.size(), 0, reinterpret_cast<sockaddr*>(&to), sizeof to);
    std::vector<std::pair<std::size_t, bool>> seen;
    for (int tries = 0; tries < 30 && seen.size() < 2; ++tries) {
      pollfd p{rx, POLLIN, 0};
      if (::poll(&p, 1, 100) <= 0) continue;
      r.receive([&](const sockaddr_in&, std::span<const std::uint8_t> d, bool t) { seen.emplace_back(d.size(), t); });
    }
    EXPECT_EQ(seen, (std::vector<std::pair<std::size_t, bool>>{{64, true}, {10, false}})) << "gro " << with_gro;
    ::close(tx);
    ::close(rx);
  }
}

}  // namespace
}  // namespace gmp::udp
