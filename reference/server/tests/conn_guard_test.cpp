// The connection timeouts of the shell (conn_guard.hpp) with a fake clock: partial frames,
// idle connections, and the one exempt connection per member (profile 1, 5.1).
#include <gtest/gtest.h>

#include <set>

#include "conn_guard.hpp"

namespace gmp::server::test {

namespace {
using namespace std::chrono_literals;

const Time t0 = Time{} + std::chrono::hours(1);

SmMessage answer(SmType type, std::uint16_t session, std::uint16_t user) {
  SmMessage m;
  m.type = type;
  m.session = SessionId{session};
  m.user = UserId{user};
  return m;
}

std::set<std::uint64_t> ids(const std::vector<ConnGuard::Expired>& v) {
  std::set<std::uint64_t> out;
  for (const auto& e : v) out.insert(e.conn.value);
  return out;
}

const ConnGuard::Alive everyone = [](SessionId, UserId, bool, Time) { return true; };
const ConnGuard::Alive nobody = [](SessionId, UserId, bool, Time) { return false; };
}  // namespace

TEST(ConnGuard, PartialFrameTimesOutPerFrame) {
  ConnGuard g({1000ms, 0ms});
  g.opened(ConnId{1}, t0);
  g.framed(ConnId{1}, 3, false, t0);
  g.framed(ConnId{1}, 5, false, t0 + 900ms);  // the same frame, still unfinished
  EXPECT_TRUE(g.expired(t0 + 999ms, everyone).empty());
  g.framed(ConnId{1}, 2, true, t0 + 999ms);  // a frame done, the next one begun
  EXPECT_TRUE(g.expired(t0 + 1500ms, everyone).empty());
  const auto e = g.expired(t0 + 2s, everyone);
  ASSERT_EQ(e.size(), 1u);
  EXPECT_EQ(e[0].why, ConnGuard::Expiry::partial_frame);
  g.framed(ConnId{1}, 0, true, t0 + 2s);
  EXPECT_TRUE(g.expired(t0 + 1h, everyone).empty());  // no idle timeout configured
}

TEST(ConnGuard, IdleTimesOutUnlessItsMemberIsAlive) {
  ConnGuard g({0ms, 1000ms});
  g.opened(ConnId{1}, t0);
  g.opened(ConnId{2}, t0);
  g.opened(ConnId{3}, t0);
  g.answered(ConnId{2}, answer(SmType::SRACC, 7, 9), t0);
  g.answered(ConnId{3}, answer(SmType::SRREJ, 7, 0), t0);  // a refusal attaches nothing
  g.activity(ConnId{1}, t0 + 500ms);
  EXPECT_EQ(ids(g.expired(t0 + 1200ms, everyone)), (std::set<std::uint64_t>{3}));
  EXPECT_EQ(ids(g.expired(t0 + 1600ms, everyone)), (std::set<std::uint64_t>{1, 3}));
  EXPECT_EQ(ids(g.expired(t0 + 1600ms, nobody)), (std::set<std::uint64_t>{1, 2, 3}));
  g.closed(ConnId{3});
  EXPECT_EQ(ids(g.expired(t0 + 1600ms, nobody)), (std::set<std::uint64_t>{1, 2}));
}

// One exempt connection per member: a member's newer connection takes the exemption over,
// so a peer cannot keep more idle connections than it has members.
TEST(ConnGuard, OneExemptConnectionPerMember) {
  ConnGuard g({0ms, 1000ms});
  for (std::uint64_t c = 1; c <= 4; ++c) {
    g.opened(ConnId{c}, t0);
    g.answered(ConnId{c}, answer(SmType::SRACC, 7, 9), t0);  // idempotent SRREQ, same member
  }
  EXPECT_EQ(ids(g.expired(t0 + 2s, everyone)), (std::set<std::uint64_t>{1, 2, 3}));
  // The exempt one closes: the member has none until another positive answer.
  g.closed(ConnId{4});
  g.answered(ConnId{1}, answer(SmType::SJRES, 7, 9), t0 + 2s);
  EXPECT_EQ(ids(g.expired(t0 + 2s, everyone)), (std::set<std::uint64_t>{2, 3}));
  // A connection answered for another member leaves the first one's exemption.
  g.answered(ConnId{1}, answer(SmType::SCCON, 8, 1), t0 + 2s);
  g.opened(ConnId{5}, t0 + 2s);
  g.answered(ConnId{5}, answer(SmType::SRACC, 7, 9), t0 + 2s);
  EXPECT_EQ(ids(g.expired(t0 + 4s, everyone)), (std::set<std::uint64_t>{2, 3}));
}

TEST(ConnGuard, SweepPeriodFollowsTheShortestTimeout) {
  EXPECT_EQ(ConnGuard({10000ms, 60000ms}).period(), 1000ms);
  EXPECT_EQ(ConnGuard({1000ms, 2000ms}).period(), 250ms);
  EXPECT_EQ(ConnGuard({10ms, 0ms}).period(), 20ms);
  EXPECT_FALSE(ConnGuard({0ms, 0ms}).enabled());
}

}  // namespace gmp::server::test
