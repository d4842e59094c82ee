// The Asio shell over loopback with real sockets: a full Figure 3 life cycle, framing errors
// closing the connection, a spoofed MM source ignored, shutdown sending TRIND.
#include <gtest/gtest.h>

#include <future>
#include <thread>

#include "shell.hpp"
#include "test_client.hpp"

namespace gmp::server::test {

namespace {

class Loop {
 public:
  explicit Loop(std::size_t max_message = default_max_sm_size) {
    ShellOptions o;
    o.core.max_sm_size = max_message;
    o.port = 0;
    o.socket_buffer = 1 << 20;
    shell = std::make_unique<Shell>(io, o, std::make_unique<SeededRandom>(7));
    shell->start();
    sm = shell->sm_port();
    mm = shell->mm_port();
    thread = std::thread([this] { io.run(); });
  }
  ~Loop() {
    asio::post(io, [this] {
      shell->stop();
      io.stop();
    });
    thread.join();
  }
  template <class F>
  auto on_loop(F f) {
    std::packaged_task<decltype(f())()> task(f);
    auto fut = task.get_future();
    asio::post(io, [&task] { task(); });
    return fut.get();
  }
  void stop_now() {
    on_loop([this] {
      shell->stop();
      return 0;
    });
  }
  asio::io_context io;
  std::unique_ptr<Shell> shell;
  std::uint16_t sm = 0, mm = 0;
  std::thread thread;
};

SmMessage scinf(SessionId s, UserId u, bool closed, std::vector<std::string> allow) {
  SmMessage m = build::scinf(s, u, closed, false, "loopback", 5004, Ipv4{0xEFFF0001});
  m.options.emplace_back(opt::Keepalive{KaUnits{2}, KaUnits{2}, 20});  // 200 ms rounds, tolerant
  for (auto& a : allow) m.options.emplace_back(opt::Allow{a});
  return m;
}

struct Created {
  SessionId s;
  UserId u;
};

Created create(TestClient& c, bool closed, std::vector<std::string> allow) {
  c.send(build::screq("creator", false));
  auto acc = c.recv_sm();
  EXPECT_TRUE(acc && acc->type == SmType::SCACC);
  if (!acc) return {};
  c.send(scinf(acc->session, acc->user, closed, allow));
  auto con = c.recv_sm();
  EXPECT_TRUE(con && con->type == SmType::SCCON);
  c.type = MemberType::creator;
  c.mode = closed ? Mode::closed : Mode::open;
  return {acc->session, acc->user};
}

UserId join_and_activate(TestClient& c, SessionId s, UserId u) {
  c.send(build::sjreq(s, u));
  auto res = c.recv_sm();
  EXPECT_TRUE(res && res->type == SmType::SJRES);
  c.send(build::sareq(s, u, c.mm_port()));
  c.answer_kareq = false;
  auto ka = c.recv_mm(MmType::KAREQ);
  EXPECT_TRUE(ka.has_value());
  if (ka) c.send_mm(build::kares(s, u, c.type, c.mode, find<opt::KaSeq>(ka->options)->round));
  c.answer_kareq = true;
  return u;
}

}  // namespace

TEST(ShellLoopback, Figure3LifeCycle) {
  Loop loop;
  TestClient creator(loop.sm, loop.mm), a(loop.sm, loop.mm), b(loop.sm, loop.mm), c(loop.sm, loop.mm);
  const Created cr = create(creator, true, {"A", "B"});
  ASSERT_NE(cr.s.value, 0);

  UserId ua, ub;
  for (auto [cl, name, out] : {std::tuple{&a, "A", &ua}, std::tuple{&b, "B", &ub}}) {
    cl->send(build::srreq(cr.s, name));
    auto res = cl->recv_sm();
    ASSERT_TRUE(res);
    EXPECT_EQ(res->type, SmType::SRRES);
    auto acc = cl->recv_sm();
    ASSERT_TRUE(acc);
    EXPECT_EQ(acc->type, SmType::SRACC);
    *out = acc->user;
    cl->mode = Mode::closed;
  }
  c.send(build::srreq(cr.s, "C"));
  EXPECT_EQ(c.recv_sm()->type, SmType::SRRES);
  auto rej = c.recv_sm();
  ASSERT_TRUE(rej);
  EXPECT_EQ(rej->type, SmType::SRREJ);
  EXPECT_EQ(find<opt::ReasonCode>(rej->options)->reason, Reason::not_authorised);

  join_and_activate(creator, cr.s, cr.u);
  join_and_activate(a, cr.s, ua);
  join_and_activate(b, cr.s, ub);

  // Periodic rounds reach everyone; KA-SEQ grows.
  std::uint32_t last = 0;
  for (int i = 0; i < 3; ++i) {
    for (TestClient* cl : {&creator, &a, &b}) {
      cl->answer_kareq = false;
      auto ka = cl->recv_mm(MmType::KAREQ);
      ASSERT_TRUE(ka);
      const auto r = find<opt::KaSeq>(ka->options)->round;
      cl->send_mm(build::kares(cr.s, ka->user, cl->type, Mode::closed, r));
      if (cl == &creator) {
        EXPECT_GT(r, last);
        last = r;
      }
    }
  }
  const auto active = loop.on_loop([&] { return loop.shell->core().session(cr.s)->active; });
  EXPECT_EQ(active, 3u);

  // A leaves; the creator ends the session; TRIND reaches the creator, A and B.
  a.send_mm(build::lvreq(cr.s, ua, MemberType::participant, Mode::closed));
  // The datagram crosses the loopback on its own: wait (bounded) for the loop to see it.
  bool left = false;
  for (int i = 0; i < 300 && !left; ++i) {
    left = loop.on_loop([&] { return loop.shell->core().member(cr.s, ua)->state; }) == MemberState::joined;
    if (!left) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_TRUE(left);
  creator.send_mm(build::trreq(cr.s, cr.u, Mode::closed));
  for (TestClient* cl : {&creator, &a, &b}) {
    cl->answer_kareq = true;
    auto t = cl->recv_mm(MmType::TRIND);
    ASSERT_TRUE(t);
    EXPECT_TRUE(t->ss);
  }
  EXPECT_EQ(loop.on_loop([&] { return loop.shell->core().sessions().size(); }), 0u);
}

TEST(ShellLoopback, FramingErrorsCloseTheConnection) {
  Loop loop;
  const std::vector<std::vector<std::uint8_t>> bad{
      {0x00, 0x0C, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0},  // length 12 < 16
      {0x00, 0x11},                                            // 17: not a multiple of 4
      {0x10, 0x04},                                            // 4100 > 4096
  };
  for (const auto& b : bad) {
    TestClient c(loop.sm, loop.mm);
    c.send_raw(b);
    EXPECT_TRUE(c.closed_by_server());
  }
  const auto counters = loop.on_loop([&] { return loop.shell->core().counters(); });
  EXPECT_EQ(counters.discarded(DecodeError::frame_too_short), 1u);
  EXPECT_EQ(counters.discarded(DecodeError::frame_not_aligned), 1u);
  EXPECT_EQ(counters.discarded(DecodeError::frame_too_large), 1u);
  // A good connection still works, and a bad checksum is discarded without closing.
  TestClient ok(loop.sm, loop.mm);
  auto bytes = encode_framed(build::screq("x", false));
  bytes[4] ^= 0xFF;
  ok.send_raw(bytes);
  ok.send(build::screq("x", false));
  auto acc = ok.recv_sm();
  ASSERT_TRUE(acc);
  EXPECT_EQ(acc->type, SmType::SCACC);
}

// A client may send many requests before reading any answer. With a small maximum message the
// framer holds less than one socket read: the shell must read only what it can hold.
TEST(ShellLoopback, PipelinedRequestsWithASmallMaxMessageAreAllAnswered) {
  Loop loop(64);
  TestClient c(loop.sm, loop.mm);
  std::vector<std::uint8_t> burst;
  constexpr int n = 200;
  for (int i = 0; i < n; ++i) {
    const auto one = encode_framed(build::srreq(SessionId{0x7777}, "p"));  // unknown: SRREJ 4
    burst.insert(burst.end(), one.begin(), one.end());
  }
  ASSERT_GT(burst.size(), 4u * (64 + 2));  // more than the framer may buffer
  c.send_raw(burst);
  int answered = 0;
  for (; answered < n; ++answered) {
    auto rej = c.recv_sm();
    if (!rej) break;
    EXPECT_EQ(rej->type, SmType::SRREJ);
  }
  EXPECT_EQ(answered, n);
  EXPECT_EQ(loop.on_loop([&] { return loop.shell->core().counters().discarded(DecodeError::frame_too_large); }), 0u);
}

TEST(ShellLoopback, SpoofedMmSourceIsIgnored) {
  Loop loop;
  TestClient creator(loop.sm, loop.mm), spoof(loop.sm, loop.mm);
  const Created cr = create(creator, false, {});
  join_and_activate(creator, cr.s, cr.u);
  // TRREQ with the creator's IDs from another UDP port: discarded.
  spoof.send_mm(build::trreq(cr.s, cr.u, Mode::open));
  creator.send_mm(build::uireq(cr.s, cr.u, MemberType::creator, Mode::open));
  auto u = creator.recv_mm(MmType::UIRES);
  ASSERT_TRUE(u);
  EXPECT_EQ(loop.on_loop([&] { return loop.shell->core().sessions().size(); }), 1u);
  // The spoofed TRREQ was sent before the UIREQ that got its answer: both were read by now.
  EXPECT_EQ(loop.on_loop([&] { return loop.shell->core().counters().discarded(Discard::address_mismatch); }), 1u);
}

TEST(ShellLoopback, StopSendsTrindToEveryMember) {
  Loop loop;
  TestClient creator(loop.sm, loop.mm);
  const Created cr = create(creator, false, {});
  join_and_activate(creator, cr.s, cr.u);
  loop.stop_now();
  auto t = creator.recv_mm(MmType::TRIND);
  ASSERT_TRUE(t);
  EXPECT_TRUE(t->ss);
  EXPECT_EQ(t->session, cr.s);
}

}  // namespace gmp::server::test
