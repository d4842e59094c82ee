// A misbehaving server (profile 7 from the client's side): malformed, unexpected and
// out-of-order messages are reported as events, never crash the core, never change its state
// wrongly. Seeded random input: a failing seed reproduces the run.
#include <cstdlib>
#include <random>
#include <set>
#include <utility>

#include "fake_server.hpp"

namespace gmp::client::test {
namespace {

TEST(ClientCoreRobust, MalformedSmIsReportedAndChangesNothing) {
  Harness h(Role::participant);
  h.send_srreq();
  h.take_sm();
  auto good = encode(build::sracc(kSession, kUser, false, false, 5004, kGroup));
  auto bad_sum = good;
  bad_sum[2] ^= 0x01;
  auto bad_version = good;
  bad_version[0] = static_cast<std::uint8_t>(0x20 | (bad_version[0] & 0x0f));
  std::vector<std::uint8_t> short_msg(good.begin(), good.begin() + 12);
  for (const auto& b : {bad_sum, bad_version, short_msg}) h.feed_sm_bytes(b);
  EXPECT_EQ(h.count(EventKind::invalid), 3u);
  EXPECT_EQ(h.count(EventKind::received), 0u);
  EXPECT_EQ(h.core.state(), State::registering);
  EXPECT_EQ(h.last(EventKind::invalid)->detail, "too_short");
  h.feed_sm_bytes(good);  // the real answer still works afterwards
  EXPECT_EQ(h.core.state(), State::registered);
}

TEST(ClientCoreRobust, ClientMessagesFromTheServerFlowTheWrongWay) {
  Harness h(Role::creator);
  h.core.create(cp("alice"), h.now);
  h.pump();
  h.feed(build::screq("alice", false));
  h.feed(build::sjreq(kSession, kUser));
  h.feed(build::sccon(kSession, kUser, false, false, 0, {}));  // out of order: before SCACC
  EXPECT_EQ(h.count(EventKind::unexpected), 3u);
  EXPECT_EQ(h.core.state(), State::creating);
  EXPECT_EQ(h.core.session().value, 0);
}

TEST(ClientCoreRobust, ScaccWithZeroIdsIsRejected) {
  Harness h(Role::creator);
  h.core.create(cp("alice"), h.now);
  h.pump();
  h.take_sm();
  h.feed(build::scacc(SessionId{0}, kUser, false));
  EXPECT_EQ(h.core.state(), State::creating);
  EXPECT_EQ(h.unread(), 0u);  // no SCINF for session 0
}

TEST(ClientCoreRobust, MalformedMmIsReported) {
  Harness h(Role::participant);
  h.make_active();
  auto ka = encode(build::kareq(h.ctx(Mode::open), kUser, MemberType::participant, 3));
  auto bad_mode = ka;
  bad_mode[1] = static_cast<std::uint8_t>(bad_mode[1] & 0x3f);  // mode 00
  auto unaligned = ka;
  unaligned.push_back(0);
  auto no_seq = std::vector<std::uint8_t>(ka.begin(), ka.begin() + 16);  // KA-SEQ missing
  for (const auto& b : {bad_mode, unaligned, no_seq}) h.feed_mm_bytes(b);
  EXPECT_EQ(h.count(EventKind::invalid), 3u);
  EXPECT_EQ(h.unread(), 0u);  // no KARES to an invalid KAREQ
  EXPECT_EQ(h.core.state(), State::active);
}

// Profile 3 [P]: an MM datagram above 1,200 bytes is malformed, however well formed the
// rest: a KAREQ padded past the bound gets no KARES, is reported and counted; at exactly
// 1,200 bytes it is answered.
TEST(ClientCoreRobust, MmAbove1200BytesIsDiscarded) {
  Harness h(Role::participant);
  h.make_active();
  auto kareq_of = [&](std::uint32_t round, std::size_t size) {
    auto m = build::kareq(h.ctx(Mode::open), kUser, MemberType::participant, round);
    for (std::size_t n = encode(m).size(); n < size; n = encode(m).size())
      m.options.emplace_back(opt::Unknown{200, std::vector<std::uint8_t>(std::min<std::size_t>(size - n, 256) - 2, 0)});
    auto b = encode(m);
    EXPECT_EQ(b.size(), size);
    return b;
  };
  const auto invalid_before = h.count(EventKind::invalid);
  h.feed_mm_bytes(kareq_of(7, 1204));
  EXPECT_EQ(h.count(EventKind::invalid), invalid_before + 1);
  EXPECT_EQ(h.last(EventKind::invalid)->detail, "oversize");
  EXPECT_LE(h.last(EventKind::invalid)->raw.size(), 64u);  // a prefix, not the whole datagram
  EXPECT_EQ(h.core.oversize_discards(), 1u);
  EXPECT_EQ(h.unread(), 0u);  // no KARES
  h.feed_mm_bytes(kareq_of(8, 1200));
  EXPECT_EQ(h.count(EventKind::invalid), invalid_before + 1);
  EXPECT_EQ(h.unread(), 1u);  // KARES 8
  EXPECT_EQ(h.core.state(), State::active);
}

// ---- seeded random input

using Transition = std::pair<State, State>;
const std::set<Transition>& legal_transitions() {
  using S = State;
  static const std::set<Transition> t = {
      {S::idle, S::creating},        {S::idle, S::registering},     {S::creating, S::describing},
      {S::creating, S::failed},      {S::describing, S::registered}, {S::describing, S::failed},
      {S::registering, S::pending},  {S::registering, S::registered}, {S::registering, S::failed},
      {S::pending, S::registered},   {S::pending, S::failed},       {S::failed, S::registering},
      {S::registered, S::joining},   {S::joined, S::joining},       {S::activating, S::joining},
      {S::active, S::joining},       {S::joining, S::joined},       {S::joining, S::activating},
      {S::joining, S::active},       {S::joining, S::registered},   {S::joined, S::activating},
      {S::active, S::activating},    {S::activating, S::active},    {S::activating, S::joined},
      {S::active, S::joined}};
  return t;
}

/// A random server message: every type, our IDs or others, random options where they matter.
std::vector<std::uint8_t> random_server_message(std::mt19937& rng, const ClientCore& core,
                                                bool& is_mm) {
  auto pick = [&rng](int n) { return static_cast<int>(rng() % static_cast<unsigned>(n)); };
  const SessionId s = pick(4) ? core.session() : SessionId{static_cast<std::uint16_t>(rng())};
  const UserId u = pick(4) ? core.user() : UserId{static_cast<std::uint16_t>(rng())};
  const bool closed = pick(2), secure = pick(2);
  const auto reason = static_cast<Reason>(pick(6));
  const auto key = key_of(static_cast<std::uint16_t>(pick(6)), static_cast<std::uint8_t>(rng()));
  build::MmContext c;
  c.session = s;
  c.mode = closed ? Mode::closed : Mode::open;
  c.ka_period = KaUnits{static_cast<std::uint8_t>(pick(3))};
  c.ka_timeout = KaUnits{1};
  is_mm = pick(2);
  if (!is_mm) {
    switch (pick(10)) {
      case 0: return encode(build::scacc(s, u, secure));
      case 1: return encode(build::screj(reason, secure));
      case 2: return encode(build::sccon(s, u, closed, secure, 5004, kGroup));
      case 3: return encode(build::srres(s, closed, secure));
      case 4: return encode(build::sracc(s, u, closed, secure, 5004, kGroup));
      case 5: return encode(build::srrej(s, reason, closed, secure));
      case 6: return encode(build::sjres(s, u, closed, secure, 5004, kGroup, secure ? &key : nullptr));
      case 7: return encode(build::sdres(s, u, reason, closed, secure));
      case 8: return encode(build::sareq(s, u, 1));
      default: return encode(build::sjreq(s, u));
    }
  }
  switch (pick(7)) {
    case 0:
    case 1: return encode(build::kareq(c, u, MemberType::participant, static_cast<std::uint32_t>(pick(20))));
    case 2: return encode(build::kdupt(c, u, MemberType::participant, key));
    case 3: return encode(build::trind(c, u, MemberType::participant));
    case 4: return encode(build::kares(s, u, MemberType::creator, c.mode, 1));
    default: {
      std::vector<opt::MemberEntry> list(static_cast<std::size_t>(pick(200)), {UserId{9}, 1});
      auto parts = build::uires(c, u, MemberType::participant, list, 1u);
      return encode(parts[static_cast<std::size_t>(pick(static_cast<int>(parts.size())))]);
    }
  }
}

void random_command(std::mt19937& rng, ClientCore& core, Time now) {
  switch (rng() % 10) {
    case 0: core.join(now); break;
    case 1: core.activate(static_cast<std::uint16_t>(rng() % 3), now); break;
    case 2: core.request_members(now); break;
    case 3: core.leave(now); break;
    case 4: core.terminate(now); break;
    case 5: core.remove(now); break;
    case 6: core.set_muted(rng() % 2); break;
    case 7: core.register_to(RegisterParams{kSession, "bob", {}}, now); break;
    case 8: core.create(cp("alice"), now); break;
    default: core.handle_sm_closed(now); break;
  }
}

void run_seed(std::uint32_t seed) {
  SCOPED_TRACE("seed " + std::to_string(seed));
  std::mt19937 rng(seed);
  Timing t;
  t.sm_answer = Duration{300};
  t.uireq_retry = Duration{100};
  t.trreq_retry = Duration{100};
  Harness h(rng() % 2 ? Role::creator : Role::participant, t);
  // Start from a real state half of the time, from idle otherwise.
  if (rng() % 2) {
    if (h.core.role() == Role::creator) h.create_session(rng() % 2, true);
    else h.register_open(true);
    const auto k = key_of(1, 1);
    h.join(&k);
    if (rng() % 2) h.activate();
  }
  std::uint16_t epoch = h.core.key_epoch();
  for (int step = 0; step < 3000; ++step) {
    const State before = h.core.state();
    const std::size_t events_before = h.events.size();
    const int what = static_cast<int>(rng() % 10);
    bool is_mm = false, foreign = false;
    if (what < 6) {
      auto bytes = random_server_message(rng, h.core, is_mm);
      if (what >= 4 && !bytes.empty()) {  // mutate: flip bits, cut, extend
        for (int i = 0, n = static_cast<int>(rng() % 4); i < n; ++i)
          bytes[rng() % bytes.size()] ^= static_cast<std::uint8_t>(1u << (rng() % 8));
        if (rng() % 4 == 0) bytes.resize(rng() % (bytes.size() + 8));
      }
      if (bytes.size() >= 8) {
        const std::uint16_t sess = static_cast<std::uint16_t>(bytes[4] << 8 | bytes[5]);
        foreign = h.core.session().value != 0 && sess != h.core.session().value;
      }
      if (is_mm) h.feed_mm_bytes(bytes);
      else h.feed_sm_bytes(bytes);
      ASSERT_GT(h.events.size(), events_before);
      const EventKind first = h.events[events_before].kind;
      ASSERT_TRUE(first == EventKind::received || first == EventKind::invalid);
      // A message naming another session never moves us (SCACC/SCREJ name none we know).
      if (foreign && first == EventKind::received && before != State::creating &&
          before != State::describing) {
        ASSERT_EQ(h.core.state(), before) << "moved by a foreign message";
      }
    } else if (what < 8) {
      random_command(rng, h.core, h.now);
      h.pump();
    } else {
      h.advance(Duration{static_cast<int>(rng() % 400)});
    }
    for (std::size_t i = events_before; i < h.events.size(); ++i) {
      const Event& e = h.events[i];
      if (e.kind != EventKind::state) continue;
      if (e.to == State::ended) {
        ASSERT_NE(e.from, State::idle);
      } else {
        ASSERT_TRUE(legal_transitions().count({e.from, e.to}))
            << name(e.from) << " -> " << name(e.to);
      }
    }
    ASSERT_GE(h.core.key_epoch(), epoch) << "key epoch went back";
    epoch = h.core.key_epoch();
    // Everything the core sends is a valid message.
    while (h.unread() > 0) {
      const Transmit& tx = h.sent[h.seen_sent++];
      if (tx.channel == Channel::sm) {
        SmMessage m;
        ASSERT_TRUE(decode_sm(tx.bytes, m).ok());
      } else {
        MmMessage m;
        ASSERT_TRUE(decode_mm(tx.bytes, m).ok());
        if (m.type == MmType::KARES) {
          ASSERT_NE(h.core.state(), State::ended);
        }
      }
    }
    if (h.core.state() == State::ended) {
      ASSERT_FALSE(h.core.polled());
    }
  }
}

// GMP_CLIENT_FUZZ_SEEDS=N runs seeds 1..N (default 200); GMP_CLIENT_FUZZ_SEED=S runs S only.
TEST(ClientCoreRobust, SeededRandomInputNeverBreaksTheCore) {
  std::uint32_t first = 1, last = 200;
  if (const char* n = std::getenv("GMP_CLIENT_FUZZ_SEEDS")) last = static_cast<std::uint32_t>(std::atol(n));
  if (const char* s = std::getenv("GMP_CLIENT_FUZZ_SEED")) first = last = static_cast<std::uint32_t>(std::atol(s));
  for (std::uint32_t seed = first; seed <= last; ++seed) {
    run_seed(seed);
    if (::testing::Test::HasFatalFailure()) return;
  }
}

}  // namespace
}  // namespace gmp::client::test

namespace gmp::client::test {
namespace {

// Found by seed 94: an SJRES arriving after TRIND moved an ended membership back to joined.
TEST(ClientCoreRobust, AnswerAfterTrindDoesNotReviveTheMembership) {
  Harness h(Role::participant);
  h.make_active();
  h.rejoin();
  h.feed(build::trind(h.ctx(Mode::open), kUser, MemberType::participant));
  EXPECT_EQ(h.core.state(), State::ended);
  h.feed(build::sjres(kSession, kUser, false, false, 5004, kGroup, nullptr));
  EXPECT_EQ(h.core.state(), State::ended);
  EXPECT_EQ(h.last(EventKind::unexpected)->detail, "SJRES answers no request outstanding");
}

}  // namespace
}  // namespace gmp::client::test
