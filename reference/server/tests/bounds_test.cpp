// Bounds a hostile member or client could otherwise push the core past (profile 7: "servers
// bound everything a peer can make them hold"): the UIRES byte budget (profile 6.4, Figure 18)
// and the member count over every session. Fake clock throughout.
#include <numeric>

#include "harness.hpp"
#include "uires_budget.hpp"

namespace gmp::server::test {

namespace {

// A closed session of `n` active participants besides its creator (profile 6.2: closed-mode
// UIRES lists every active member, so each UIREQ costs about 4 bytes per member).
struct BigClosed {
  BigClosed(Config cfg, int n) : h(cfg) {
    alice = h.client("alice", 1);
    SessionParams p;
    p.closed = true;
    p.access_key = {7};
    p.ka = opt::Keepalive{KaUnits{250}, KaUnits{50}, 1};  // rounds 25 s apart: out of the way
    s = h.create(alice, p);
    h.join(s, alice);
    h.activate(s, alice, Mode::closed);
    for (int i = 0; i < n; ++i) {
      Client c = h.client("m" + std::to_string(i), 100 + i);
      SmMessage req = build::srreq(s, c.name);
      req.options.emplace_back(opt::AccessKey{{7}});
      h.sm(c, req);
      c.user = std::get<SendSm>(h.take().back()).msg.user;
      h.join(s, c);
      h.activate(s, c, Mode::closed);
      members.push_back(c);
    }
  }
  void uireq(const Client& c) { h.mm(c, build::uireq(s, c.user, c.type, Mode::closed)); }
  std::size_t uires_bytes_out(const std::vector<Transmit>& out) const {
    std::size_t bytes = 0;
    for (const auto* m : all_mm(out, MmType::UIRES)) bytes += encode(m->msg).size();
    return bytes;
  }
  Harness h;
  Client alice;
  SessionId s;
  std::vector<Client> members;
};

}  // namespace

// The estimate charged before a list is built is the exact size of what build::uires sends.
TEST(UiresBudget, CostIsTheSizeOfTheParts) {
  build::MmContext ctx;
  ctx.session = SessionId{0x1234};
  for (const bool open : {false, true}) {
    for (std::size_t n : {0u, 1u, 62u, 63u, 64u, 280u, 290u, 291u, 1000u, 5000u, 70000u}) {
      std::vector<opt::MemberEntry> entries(n, opt::MemberEntry{UserId{7}, 3});
      ctx.mode = open ? Mode::open : Mode::closed;
      std::size_t total = 0;
      for (const auto& part : build::uires(ctx, UserId{1}, MemberType::participant, entries,
                                           open ? std::optional<std::uint32_t>(5) : std::nullopt))
        total += encode(part).size();
      EXPECT_EQ(detail::uires_bytes(n, open), total) << n << (open ? " open" : " closed");
    }
  }
}

TEST(UiresBudget, BucketRefillsFromNowOnly) {
  detail::UiresBudget b;
  const Time t0 = Time{} + std::chrono::hours(1);
  EXPECT_TRUE(b.take(1000, 600, t0));   // starts full: 1,000
  EXPECT_FALSE(b.take(1000, 600, t0));  // 400 left
  EXPECT_TRUE(b.take(1000, 400, t0));
  EXPECT_FALSE(b.take(1000, 1, t0 + 999us));  // 0.999 bytes earned: not a whole byte yet
  EXPECT_TRUE(b.take(1000, 1, t0 + 1ms));
  EXPECT_TRUE(b.take(1000, 1000, t0 + 10s));  // refilled, but never above one second
  EXPECT_FALSE(b.take(1000, 1, t0 + 10s));
  // A list above one second's budget goes out when the bucket is full, leaving it in debt.
  EXPECT_TRUE(b.take(1000, 5000, t0 + 20s));
  EXPECT_FALSE(b.take(1000, 10, t0 + 24s));  // -4000 + 4000 = 0
  EXPECT_TRUE(b.take(1000, 10, t0 + 24010ms));
  EXPECT_TRUE(b.take(0, 1u << 30, t0));  // rate 0: off
}

// Figure 18 as an amplifier: 2,000 active members make each UIRES about 8 KB. A flood of
// 10,000 UIREQ in one instant is answered only up to the budget; the rest are discarded and
// counted without a list being built, and the round due next carries only KAREQs.
TEST(UiresBudget, FloodIsDiscardedBeforeAnyListAndCounted) {
  Config cfg;
  cfg.uires_rate = 64 * 1024;
  BigClosed g(cfg, 2000);
  const std::size_t cost = detail::uires_bytes(2001, false);
  ASSERT_GT(cost, 8000u);
  std::size_t answered = 0;
  std::size_t bytes = 0;
  for (int i = 0; i < 10000; ++i) {
    g.uireq(g.members[static_cast<std::size_t>(i) % g.members.size()]);
    const auto out = g.h.take();
    if (!out.empty()) ++answered;
    bytes += g.uires_bytes_out(out);
  }
  EXPECT_EQ(answered, cfg.uires_rate / cost);
  EXPECT_LE(bytes, cfg.uires_rate);
  EXPECT_EQ(g.h.srv.counters().discarded(Discard::uires_budget), 10000 - answered);
  EXPECT_EQ(g.h.srv.counters().mm_out[static_cast<std::size_t>(MmType::UIRES)] > 0, true);

  // Half a second later, half a second of budget.
  g.h.now += 500ms;
  std::size_t later = 0;
  for (int i = 0; i < 100; ++i) {
    g.uireq(g.members[0]);
    if (!g.h.take().empty()) ++later;
  }
  EXPECT_EQ(later, (cfg.uires_rate / 2 + cfg.uires_rate % cost) / cost);

  // The round: every member polled gets its KAREQ, and nothing else is queued before them.
  const auto round = g.h.advance(25s);
  EXPECT_EQ(all_mm(round, MmType::KAREQ).size(), 2001u);
  EXPECT_TRUE(all_mm(round, MmType::UIRES).empty());
}

// Without the budget (rate 0) every UIREQ is answered: the test above can fail.
TEST(UiresBudget, RateZeroAnswersEveryUireq) {
  Config cfg;
  cfg.uires_rate = 0;
  BigClosed g(cfg, 300);
  for (int i = 0; i < 200; ++i) {
    g.uireq(g.members[5]);
    EXPECT_FALSE(all_mm(g.h.take(), MmType::UIRES).empty());
  }
  EXPECT_EQ(g.h.srv.counters().discarded(Discard::uires_budget), 0u);
}

// Profile 7: members over all sessions together are bounded; the registration beyond the
// bound gets SRREJ REASON 1 (resources, 5.7) and is counted; a session's end frees its room.
TEST(MembersTotal, RegistrationBeyondTheBoundIsRefusedWithReason1) {
  Config cfg;
  cfg.max_members_total = 4;
  Harness h(cfg);
  Client alice = h.client("alice", 1);
  Client bea = h.client("bea", 2);
  const SessionId a = h.create(alice);  // creators are members: 1
  const SessionId b = h.create(bea);    // 2
  Client p1 = h.client("p1", 3);
  Client p2 = h.client("p2", 4);
  h.register_to(a, p1);  // 3
  h.register_to(b, p2);  // 4
  Client p3 = h.client("p3", 5);
  h.sm(p3, build::srreq(a, "p3"));
  const SmMessage rej = h.one_sm(p3);
  EXPECT_EQ(rej.type, SmType::SRREJ);
  EXPECT_EQ(reason_in(rej), Reason::resources);
  EXPECT_EQ(h.srv.counters().total_member_rejections, 1u);
  EXPECT_EQ(h.srv.counters().limit_rejections, 1u);
  EXPECT_FALSE(h.srv.member(a, UserId{0}));
  EXPECT_EQ(h.srv.members(a).size(), 2u);

  h.register_to(a, p1);  // idempotent: same name, same IP, same user ID, at the bound too

  // Session b ends (its creator deletes it): its 2 members leave the count.
  h.sm(bea, build::sdreq(b, bea.user));
  ASSERT_EQ(std::get<SendSm>(h.take().back()).msg.type, SmType::SDRES);
  h.register_to(a, p3);
  EXPECT_EQ(h.srv.members(a).size(), 3u);
}

}  // namespace gmp::server::test
