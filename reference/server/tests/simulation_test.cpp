// The seeded simulation of the keepalive ladder: many members answer keepalives with random delays within
// the timeout and random losses that never reach the miss limit; none is ever demoted. Then
// one member is silenced and is demoted at exactly the expected round.
#include <algorithm>
#include <random>

#include "harness.hpp"

namespace gmp::server::test {

namespace {

struct Sim {
  static constexpr int members = 400;
  static constexpr std::uint8_t miss_limit = 3;

  explicit Sim(std::uint64_t seed) : h(Config{}, seed), rng(seed) {
    SessionParams p;
    p.ka = opt::Keepalive{KaUnits{10}, KaUnits{5}, miss_limit};
    creator = h.client("creator", 1);
    s = h.create(creator, p);
    h.join(s, creator);
    h.activate(s, creator);
    for (int i = 0; i < members; ++i) {
      Client c = h.client("m" + std::to_string(i), 100 + i);
      h.register_to(s, c);
      h.join(s, c);
      h.activate(s, c);
      clients.push_back(c);
    }
    missed.assign(clients.size(), 0);
  }

  /// One round: every member answers after a random delay within the timeout, or is lost
  /// (never `miss_limit` times in a row). `silent` never answers.
  void round(int silent) {
    h.advance(Millis{1000});
    const std::uint32_t r = h.srv.session(s)->round;
    h.mm(creator, h.kares(s, creator, r));
    std::vector<std::pair<int, std::size_t>> replies;  // (delay ms, client)
    std::uniform_int_distribution<int> delay(0, 499);
    std::bernoulli_distribution lost(0.3);
    for (std::size_t i = 0; i < clients.size(); ++i) {
      if (static_cast<int>(i) == silent) continue;
      if (missed[i] + 1 < miss_limit && lost(rng)) {
        ++missed[i];
        continue;
      }
      missed[i] = 0;
      replies.emplace_back(delay(rng), i);
    }
    std::sort(replies.begin(), replies.end());
    const Time start = h.now;
    for (const auto& [d, i] : replies) {
      h.now = start + Millis{d};  // no deadline before the timeout at +500
      h.mm(clients[i], h.kares(s, clients[i], r));
    }
    h.now = start;
    h.take();
  }

  Harness h;
  std::mt19937_64 rng;
  Client creator;
  SessionId s;
  std::vector<Client> clients;
  std::vector<int> missed;
};

}  // namespace

TEST(Simulation, LossBelowMissLimitNeverDemotesThenSilenceDemotesOnTime) {
  for (std::uint64_t seed : {1u, 2u, 3u}) {
    Sim sim(seed);
    for (int r = 0; r < 40; ++r) sim.round(-1);
    EXPECT_EQ(sim.h.srv.counters().demotions, 0u) << "seed " << seed;
    EXPECT_EQ(sim.h.srv.session(sim.s)->active, static_cast<std::size_t>(Sim::members + 1));

    // Silence member 7 from round 41 on (it answered round 40 or missed fewer than the
    // limit; make it clean first by one answered round).
    const std::size_t victim = 7;
    sim.missed[victim] = Sim::miss_limit;  // forces an answer in the next round
    sim.round(-1);
    const std::uint32_t last_answered = sim.h.srv.session(sim.s)->round;
    std::uint32_t demoted_at = 0;
    for (int r = 0; r < 10 && demoted_at == 0; ++r) {
      sim.round(static_cast<int>(victim));
      if (sim.h.state(sim.s, sim.clients[victim]) != MemberState::active)
        demoted_at = sim.h.srv.session(sim.s)->round;
    }
    // Rounds last+1 .. last+3 missed; the third miss is counted at last+3's timeout, seen
    // when round last+4 starts.
    EXPECT_EQ(demoted_at, last_answered + Sim::miss_limit + 1) << "seed " << seed;
    EXPECT_EQ(sim.h.srv.counters().demotions, 1u);
  }
}

}  // namespace gmp::server::test
