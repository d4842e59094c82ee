// A fake server and a fake clock around one ClientCore: the tests play the server's side of
// each figure by feeding encoded messages and reading what the core sends back.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <optional>
#include <vector>

#include "gmp/client/core.hpp"
#include "gmp/message.hpp"

namespace gmp::client::test {

inline constexpr SessionId kSession{0x3a5c};
inline constexpr UserId kUser{0xc0de};
inline constexpr std::uint16_t kMmPort = 40000;
inline const Ipv4 kGroup{0xefff0a14};  // 239.255.10.20

class Harness {
 public:
  explicit Harness(Role role, Timing timing = {}) : Harness(std::make_unique<ClientCore>(role, timing)) {}
  /// Around another core (a test build's wrapper of ClientCore).
  explicit Harness(std::unique_ptr<ClientCore> c) : owned_(std::move(c)), core(*owned_) {}

 private:
  std::unique_ptr<ClientCore> owned_;

 public:
  ClientCore& core;
  Time now{};                 // the fake clock
  std::vector<Event> events;  // every event so far
  std::vector<Transmit> sent;  // every transmission so far
  std::size_t seen_sent = 0;   // cursor for take_*

  void pump() {
    while (auto t = core.poll_transmit()) sent.push_back(std::move(*t));
    while (auto e = core.poll_event()) events.push_back(std::move(*e));
  }
  /// Moves the fake clock; fires the core's deadline(s) that fall due on the way.
  void advance(Duration d) {
    const Time end = now + d;
    for (int guard = 0; guard < 1000; ++guard) {
      auto dl = core.next_deadline();
      if (!dl || *dl > end) break;
      now = std::max(now, *dl);
      core.handle_timeout(now);
      pump();
    }
    now = end;
  }
  void feed(const SmMessage& m) {
    core.handle_sm_bytes(encode(m), now);
    pump();
  }
  void feed(const MmMessage& m) {
    core.handle_mm_bytes(encode(m), now);
    pump();
  }
  void feed_sm_bytes(const std::vector<std::uint8_t>& b) {
    core.handle_sm_bytes(b, now);
    pump();
  }
  void feed_mm_bytes(const std::vector<std::uint8_t>& b) {
    core.handle_mm_bytes(b, now);
    pump();
  }

  /// Transmissions not yet taken.
  std::size_t unread() const { return sent.size() - seen_sent; }
  SmMessage take_sm() {
    return take<SmMessage>(Channel::sm, [](const auto& b, SmMessage& m) { return decode_sm(b, m); });
  }
  MmMessage take_mm() {
    return take<MmMessage>(Channel::mm, [](const auto& b, MmMessage& m) { return decode_mm(b, m); });
  }
  /// The next transmission, which must be a valid message on channel `c`.
  template <class Message, class Decode>
  Message take(Channel c, Decode decode) {
    EXPECT_GT(unread(), 0u) << "nothing sent";
    if (unread() == 0) return {};
    const Transmit& t = sent[seen_sent++];
    EXPECT_EQ(t.channel, c);
    Message m;
    EXPECT_TRUE(decode(t.bytes, m).ok()) << "the core sent an invalid " << name(c) << " message";
    return m;
  }

  /// Takes every unread transmission (all MM); how many were of type `t`. An active member
  /// left without KAREQ also sends its coming-back KARES (profile 6.1): tests of other timers
  /// count their own messages with this.
  std::size_t take_count(MmType t) {
    std::size_t n = 0;
    while (unread() > 0) n += take_mm().type == t;
    return n;
  }

  std::size_t count(EventKind k) const {
    return static_cast<std::size_t>(
        std::count_if(events.begin(), events.end(), [k](const Event& e) { return e.kind == k; }));
  }
  const Event* last(EventKind k) const {
    for (auto it = events.rbegin(); it != events.rend(); ++it)
      if (it->kind == k) return &*it;
    return nullptr;
  }

  build::MmContext ctx(Mode mode = Mode::closed) const {
    build::MmContext c;
    c.session = core.session();
    c.mode = mode;
    c.group_port = 5004;
    c.group_address = kGroup;
    c.ka_period = KaUnits{1};
    c.ka_timeout = KaUnits{1};
    return c;
  }

  // ---- Drive the core to a state through the figures (each step checked).

  /// Figure 4: creator registered on kSession as kUser.
  void create_session(bool closed = true, bool secure = false) {
    CreateParams p;
    p.client_name = "alice";
    p.closed = closed;
    p.secure = secure;
    p.session_name = "demo";
    if (closed) p.extra.push_back(opt::Allow{"bob"});
    core.create(p, now);
    pump();
    ASSERT_EQ(take_sm().type, SmType::SCREQ);
    feed(build::scacc(kSession, kUser, secure));
    ASSERT_EQ(take_sm().type, SmType::SCINF);
    feed(build::sccon(kSession, kUser, closed, secure, 5004, kGroup));
    ASSERT_EQ(core.state(), State::registered);
  }
  /// Figures 6-8: "bob" asks to register on kSession (SRREQ sent, not taken).
  void send_srreq() {
    core.register_to(RegisterParams{kSession, "bob", {}}, now);
    pump();
  }
  /// Figure 6: participant registered on kSession as kUser.
  void register_open(bool secure = false) {
    send_srreq();
    ASSERT_EQ(take_sm().type, SmType::SRREQ);
    feed(build::sracc(kSession, kUser, false, secure, 5004, kGroup));
    ASSERT_EQ(core.state(), State::registered);
  }
  /// Figure 9.
  void join(const opt::GroupKey* key = nullptr) {
    core.join(now);
    pump();
    ASSERT_EQ(take_sm().type, SmType::SJREQ);
    const bool closed = core.mode() == Mode::closed;
    feed(build::sjres(kSession, kUser, closed, key != nullptr, 5004, kGroup, key));
    ASSERT_EQ(core.state(), State::joined);
  }
  /// Figure 10: SAREQ, then the server's first KAREQ (round `round`) answered.
  void activate(std::uint32_t round = 0) {
    core.activate(kMmPort, now);
    pump();
    ASSERT_EQ(take_sm().type, SmType::SAREQ);
    feed(build::kareq(ctx(core.mode()), kUser, member_type(), round));
    ASSERT_EQ(take_mm().type, MmType::KARES);
    ASSERT_EQ(core.state(), State::active);
  }
  /// Figures 4 (creator) or 6 (participant), 9 and 10: registered, joined and active.
  void make_active() {
    if (core.role() == Role::creator) create_session();
    else register_open();
    join();
    activate();
  }
  /// Figure 9 again, from where we are: SJREQ sent and taken, no answer yet.
  void rejoin() {
    core.join(now);
    pump();
    ASSERT_EQ(take_sm().type, SmType::SJREQ);
  }
  MemberType member_type() const {
    return core.role() == Role::creator ? MemberType::creator : MemberType::participant;
  }
};

inline CreateParams cp(std::string client_name) {
  CreateParams p;
  p.client_name = std::move(client_name);
  return p;
}

/// TRREQ resent every `retry` up to `tries` sends (clause 7.2.4).
inline Timing trreq_timing(Duration retry, int tries) {
  Timing t;
  t.trreq_retry = retry;
  t.trreq_tries = tries;
  return t;
}

inline opt::GroupKey key_of(std::uint16_t epoch, std::uint8_t fill) {
  return opt::GroupKey{epoch, std::vector<std::uint8_t>(16, fill)};
}

}  // namespace gmp::client::test
