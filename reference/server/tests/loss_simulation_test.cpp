// Keepalive under UDP loss and delay, event by event (profile 6.1, Figures 12-14).
//
// Each member is modelled as the profile's member side: it answers every KAREQ it receives
// with a KARES echoing KA-SEQ after a random delay (jitter), and when it has seen no KAREQ for
// 2 KA periods plus the KA timeout it comes back with a KARES without KA-SEQ, then once per KA
// period. Every datagram is lost with probability `loss` in each direction. The test keeps the
// ground truth of which rounds each member really answered in time, and checks every demotion
// the server makes against it:
//   - a demotion is false when the member answered one of its last `miss limit` rounds in
//     time; there must be none;
//   - with miss limit 1, every polled round that fails demotes, so the number of demotions is
//     q * (polled member-rounds), q = 1 - (1 - loss)^2 (both datagrams must get through).
#include <algorithm>
#include <cmath>
#include <map>
#include <queue>
#include <random>

#include "harness.hpp"

namespace gmp::server::test {

namespace {

struct Round {
  std::uint32_t seq = 0;
  Time sent{};
  bool answered = false;  // a KARES for it reached the server within the KA timeout
};

struct Member {
  Client c;
  std::vector<Round> rounds;  // every KAREQ the server sent to it, lost or not
  Time last_kareq_seen{};     // member side: the last KAREQ that reached it
  Time next_unsolicited{};    // member side: the coming-back rule
  MemberState state = MemberState::active;
};

struct Delivery {
  Time at;
  std::size_t member;
  std::optional<std::uint32_t> seq;
  bool operator>(const Delivery& o) const { return at > o.at; }
};

struct LossSim {
  LossSim(std::uint64_t seed, int members, std::uint8_t miss_limit, double loss)
      : h(Config{}, seed), rng(seed), loss(loss) {
    SessionParams p;
    p.ka = opt::Keepalive{KaUnits{10}, KaUnits{5}, miss_limit};  // 1 s period, 500 ms timeout
    creator = h.client("creator", 1);
    s = h.create(creator, p);
    h.join(s, creator);
    h.activate(s, creator);
    for (int i = 0; i < members; ++i) {
      Member m;
      m.c = h.client("m" + std::to_string(i), 100 + i);
      h.register_to(s, m.c);
      h.join(s, m.c);
      h.activate(s, m.c);
      m.last_kareq_seen = h.now;
      by_port[m.c.mm()] = all.size();
      all.push_back(std::move(m));
    }
    h.take();
  }

  [[nodiscard]] std::uint64_t failed_rounds() const {
    std::uint64_t n = 0;
    for (const auto& m : all)
      for (const auto& r : m.rounds) n += (!r.answered && r.sent + timeout() <= h.now) ? 1 : 0;
    return n;
  }

  [[nodiscard]] Millis period() const { return Millis{1000}; }
  [[nodiscard]] Millis timeout() const { return Millis{500}; }

  bool lost() { return std::bernoulli_distribution(loss)(rng); }
  Millis jitter() {  // up to half the KA timeout: an answer is never late by delay alone
    return Millis{std::uniform_int_distribution<int>(0, 250)(rng)};
  }

  void on_actions(const std::vector<Transmit>& actions) {
    for (const auto& a : actions) {
      const auto* mm = std::get_if<SendMm>(&a);
      if (mm == nullptr || mm->msg.type != MmType::KAREQ) continue;
      if (mm->to == creator.mm()) {  // the creator always answers: it must never end the session
        h.mm(creator, h.kares(s, creator, ka_seq(mm->msg)));
        continue;
      }
      const std::size_t i = by_port.at(mm->to);
      const std::uint32_t seq = ka_seq(mm->msg);
      all[i].rounds.push_back(Round{seq, h.now});
      ++polled_rounds;
      if (lost()) continue;  // KAREQ lost on the way down
      all[i].last_kareq_seen = h.now;
      if (lost()) continue;  // KARES lost on the way up
      wire.push(Delivery{h.now + jitter(), i, seq});
    }
  }

  /// Member side, profile 6.1 "Coming back": silent for 2 periods + timeout, then every period.
  void coming_back() {
    for (std::size_t i = 0; i < all.size(); ++i) {
      Member& m = all[i];
      const Time due = std::max(m.last_kareq_seen + 2 * period() + timeout(), m.next_unsolicited);
      if (h.now < due) continue;
      m.next_unsolicited = h.now + period();
      ++unsolicited;
      if (!lost()) wire.push(Delivery{h.now + jitter(), i, std::nullopt});
    }
  }

  void deliver(const Delivery& d) {
    Member& m = all[d.member];
    h.mm(m.c, h.kares(s, m.c, d.seq));
    // Ground truth: which round this answers, and whether in time (profile 6.1).
    Round* r = nullptr;
    if (d.seq) {
      for (auto& x : m.rounds)
        if (x.seq == *d.seq) r = &x;
    } else if (!m.rounds.empty() && m.rounds.back().seq == h.srv.session(s)->round) {
      r = &m.rounds.back();
    }
    if (r != nullptr && h.now >= r->sent && h.now <= r->sent + timeout()) r->answered = true;
    m.state = h.state(s, m.c);  // a KARES only moves its sender, and only up (Figure 12)
    on_actions(h.take());
  }

  /// Every member whose state went down since the last look: checked against the truth.
  void check_demotions() {
    if (h.srv.counters().demotions == seen_demotions) return;
    seen_demotions = h.srv.counters().demotions;
    const std::uint8_t limit = h.srv.session(s)->miss_limit;
    for (auto& m : all) {
      const MemberState now_state = h.state(s, m.c);
      if (now_state < m.state) {
        ++demotions;
        // The last `limit` rounds whose timeout has passed must all be unanswered.
        int checked = 0;
        for (auto it = m.rounds.rbegin(); it != m.rounds.rend() && checked < limit; ++it) {
          if (it->sent + timeout() > h.now) continue;
          ++checked;
          if (it->answered) {
            ++false_demotions;
            break;
          }
        }
      }
      m.state = now_state;
    }
  }

  void run(Millis duration) {
    const Time end = h.now + duration;
    while (h.now < end) {
      const Time core = h.srv.next_deadline().value_or(end);
      const Time net = wire.empty() ? end : wire.top().at;
      const Time next_member = std::min(next_tick, end);
      const Time t = std::min({core, net, next_member, end});
      h.now = std::max(h.now, t);
      if (!wire.empty() && wire.top().at <= h.now) {
        const Delivery d = wire.top();
        wire.pop();
        deliver(d);
      } else if (core <= h.now) {
        h.srv.handle_timeout(h.now);
        on_actions(h.take());
      } else {
        coming_back();  // members look at their own timers every 100 ms
        next_tick = h.now + Millis{100};
      }
      check_demotions();
    }
  }

  Harness h;
  std::mt19937_64 rng;
  double loss;
  Client creator;
  SessionId s;
  std::vector<Member> all;
  std::map<Endpoint, std::size_t> by_port;
  std::priority_queue<Delivery, std::vector<Delivery>, std::greater<>> wire;
  std::uint64_t polled_rounds = 0, demotions = 0, false_demotions = 0, unsolicited = 0;
  std::uint64_t seen_demotions = 0;
  Time next_tick{};
};

}  // namespace

// 1,000 members, 5 % loss each way, jitter up to half the KA timeout, miss limit 3, ten
// simulated minutes. Three lost rounds in a row do happen (about 1 in 1,000 member-rounds) and
// are real demotions; a demotion of a member that answered in time must never happen.
TEST(LossSimulation, FivePercentLossMissLimitThreeNoFalseDemotion) {
  LossSim sim(11, 1000, 3, 0.05);
  sim.run(std::chrono::minutes(10));
  EXPECT_GT(sim.polled_rounds, 590'000u);
  EXPECT_EQ(sim.false_demotions, 0u) << "of " << sim.demotions << " demotions";
  EXPECT_EQ(sim.demotions, sim.h.srv.counters().demotions);
  // Expected genuine demotions: q^3 per member-round, q = 1 - 0.95^2; a loose band.
  const double q = 1 - 0.95 * 0.95;
  const double expected = std::pow(q, 3) * static_cast<double>(sim.polled_rounds);
  EXPECT_GT(static_cast<double>(sim.demotions), 0.5 * expected);
  EXPECT_LT(static_cast<double>(sim.demotions), 1.5 * expected);
  // Everyone is still in the session and nobody was lost for good.
  const auto view = *sim.h.srv.session(sim.s);
  EXPECT_EQ(view.registered + view.joined + view.active, 1001u);
}

// 30 % loss each way with miss limit 1: every polled round that fails demotes one step.
TEST(LossSimulation, ThirtyPercentLossMissLimitOneMatchesExpectation) {
  LossSim sim(12, 1000, 1, 0.30);
  sim.run(std::chrono::minutes(2));
  EXPECT_EQ(sim.false_demotions, 0u);
  EXPECT_EQ(sim.demotions, sim.h.srv.counters().demotions);
  const double q = 1 - 0.7 * 0.7;
  const double expected = q * static_cast<double>(sim.polled_rounds);
  EXPECT_NEAR(static_cast<double>(sim.demotions), expected, 0.10 * expected)
      << "polled rounds " << sim.polled_rounds << ", unsolicited " << sim.unsolicited
      << ", failed rounds " << sim.failed_rounds() << ", counter " << sim.h.srv.counters().demotions;
  EXPECT_GT(sim.unsolicited, 0u);  // members demoted to registered came back
}

}  // namespace gmp::server::test
