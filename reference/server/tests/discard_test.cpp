// Profile 7: every kind of invalid input is discarded silently, counted by its reason, and
// leaves the state unchanged (sessions, members, timers).
#include <functional>

#include "harness.hpp"

namespace gmp::server::test {

namespace {

struct World {
  World() {
    alice = h.client("alice", 1);
    bob = h.client("bob", 2);
    carl = h.client("carl", 3);
    eve = h.client("eve", 5);
    s = h.create(alice);
    h.register_to(s, bob);
    h.register_to(s, carl);
    h.join(s, alice);
    h.join(s, bob);
    h.activate(s, alice);
    h.activate(s, bob);
    h.advance(Millis{1000});  // round 1
    h.mm(alice, h.kares(s, alice, 1));
    h.mm(bob, h.kares(s, bob, 1));
    UserId unused{1};
    while (unused == alice.user || unused == bob.user || unused == carl.user) ++unused.value;
    nobody = unused;
  }
  Harness h;
  Client alice, bob, carl, eve;
  SessionId s;
  UserId nobody;
};

// Rewrites an encoded SM message and fixes its checksum, so that only the intended fault remains.
std::vector<std::uint8_t> patched_sm(const SmMessage& m, const std::function<void(std::vector<std::uint8_t>&)>& f) {
  auto b = encode(m);
  f(b);
  b[2] = b[3] = 0;
  const std::uint16_t c = internet_checksum(b);
  b[2] = static_cast<std::uint8_t>(c >> 8);
  b[3] = static_cast<std::uint8_t>(c);
  return b;
}

struct Case {
  const char* name;
  std::function<void(World&)> send;
  std::function<std::uint64_t(const Counters&)> counter;
};

std::function<std::uint64_t(const Counters&)> by(DecodeError e) {
  return [e](const Counters& c) { return c.discarded(e); };
}
std::function<std::uint64_t(const Counters&)> by(Discard d) {
  return [d](const Counters& c) { return c.discarded(d); };
}

void raw_sm(World& w, const Client& c, const std::vector<std::uint8_t>& b) {
  w.h.srv.handle_sm_bytes(c.conn, c.ip, b, w.h.now);
}
void raw_mm(World& w, const Client& c, std::vector<std::uint8_t> b) {
  w.h.srv.handle_mm_bytes(c.mm(), b, w.h.now);
}

// `m` with unknown options (ignored by receivers) appended until it is exactly `size` bytes.
MmMessage padded(MmMessage m, std::size_t size) {
  for (std::size_t n = encode(m).size(); n < size; n = encode(m).size()) {
    // Sizes are multiples of 4, so a value of 2 bytes less than the room fills it exactly.
    const std::size_t value = std::min<std::size_t>(size - n, 256) - 2;
    m.options.emplace_back(opt::Unknown{200, std::vector<std::uint8_t>(value, 0)});
  }
  return m;
}

class Discards : public ::testing::TestWithParam<Case> {};

TEST_P(Discards, CountedAndStateUnchanged) {
  World w;
  const auto before = w.h.fingerprint();
  const std::uint64_t count = GetParam().counter(w.h.srv.counters());
  const std::uint64_t total = w.h.srv.counters().total_discards();
  GetParam().send(w);
  w.h.expect_nothing();
  EXPECT_EQ(w.h.fingerprint(), before);
  EXPECT_EQ(GetParam().counter(w.h.srv.counters()), count + 1);
  EXPECT_EQ(w.h.srv.counters().total_discards(), total + 1);
}

const Case cases[] = {
    {"sm_bad_version",
     [](World& w) { raw_sm(w, w.eve, patched_sm(build::srreq(w.s, "eve"), [](auto& b) { b[0] = 0x20; })); },
     by(DecodeError::bad_version)},
    {"sm_bad_checksum",
     [](World& w) { auto b = encode(build::srreq(w.s, "eve")); b[2] ^= 0x55; raw_sm(w, w.eve, b); },
     by(DecodeError::bad_checksum)},
    {"sm_unknown_type",
     [](World& w) { raw_sm(w, w.eve, patched_sm(build::srreq(w.s, "eve"), [](auto& b) { b[1] = 15; })); },
     by(DecodeError::unknown_type)},
    {"sm_type_zero",
     [](World& w) { raw_sm(w, w.eve, patched_sm(build::srreq(w.s, "eve"), [](auto& b) { b[1] = 0; })); },
     by(DecodeError::unknown_type)},
    {"sm_truncated_option",
     [](World& w) { raw_sm(w, w.eve, patched_sm(build::srreq(w.s, "eve"), [](auto& b) { b[17] = 200; })); },
     by(DecodeError::truncated_option)},
    {"sm_duplicate_option",
     [](World& w) {
       SmMessage m = build::srreq(w.s, "eve");
       m.options.emplace_back(opt::ClientName{"eve2"});
       w.h.sm(w.eve, m);
     },
     by(DecodeError::duplicate_option)},
    {"sm_flag_contradicts_type",
     [](World& w) { SmMessage m = build::srreq(w.s, "eve"); m.info = true; w.h.sm(w.eve, m); },
     by(DecodeError::flag_contradicts_type)},
    {"sm_missing_required_option",
     [](World& w) { SmMessage m = build::srreq(w.s, "eve"); m.options.clear(); w.h.sm(w.eve, m); },
     by(DecodeError::missing_required_option)},
    {"sm_bad_option_size",
     [](World& w) {
       raw_sm(w, w.bob, patched_sm(build::sareq(w.s, w.bob.user, 7000), [](auto& b) { b[17] = 1; }));
     },
     by(DecodeError::bad_option_size)},
    {"sm_bad_option_value",
     [](World& w) { w.h.sm(w.bob, build::sareq(w.s, w.bob.user, 0)); },
     by(DecodeError::bad_option_value)},
    {"sm_invalid_utf8",
     [](World& w) { w.h.sm(w.eve, build::srreq(w.s, "\xc3(")); },
     by(DecodeError::invalid_utf8)},
    {"sm_scinf_invalid_utf8",
     [](World& w) {
       SmMessage m = scinf_for(w.s, w.alice.user, SessionParams{});
       m.options.emplace_back(opt::OwnerInfo{"\xed\xa0\x80"});  // a UTF-16 surrogate
       w.h.sm(w.alice, m);
     },
     by(DecodeError::invalid_utf8)},
    {"sm_wrong_direction",
     [](World& w) { w.h.sm(w.bob, build::scacc(w.s, w.bob.user, false)); },
     by(Discard::wrong_direction)},
    {"sm_unknown_session",
     [](World& w) { w.h.sm(w.bob, build::sjreq(SessionId{static_cast<std::uint16_t>(w.s.value + 1)}, w.bob.user)); },
     by(Discard::unknown_session)},
    {"sm_unknown_user",
     [](World& w) { w.h.sm(w.eve, build::sjreq(w.s, w.nobody)); },
     by(Discard::unknown_user)},
    {"sm_address_mismatch",
     [](World& w) { w.h.sm(w.eve, build::sjreq(w.s, w.bob.user)); },
     by(Discard::address_mismatch)},
    {"sm_sareq_not_joined",
     [](World& w) { w.h.sm(w.carl, build::sareq(w.s, w.carl.user, w.carl.mm_port)); },
     by(Discard::wrong_state)},
    {"sm_scinf_for_listed_session",
     [](World& w) { w.h.sm(w.alice, scinf_for(w.s, w.alice.user, SessionParams{})); },
     by(Discard::wrong_state)},
    {"mm_too_short",
     [](World& w) { raw_mm(w, w.bob, std::vector<std::uint8_t>(12, 0x12)); },
     by(DecodeError::too_short)},
    {"mm_not_aligned",
     [](World& w) { auto b = encode(w.h.kares(w.s, w.bob, 1)); b.resize(b.size() + 2); raw_mm(w, w.bob, b); },
     by(DecodeError::not_aligned)},
    {"mm_bad_version",
     [](World& w) { auto b = encode(w.h.kares(w.s, w.bob, 1)); b[0] = 0x32; raw_mm(w, w.bob, b); },
     by(DecodeError::bad_version)},
    {"mm_unknown_type",
     [](World& w) { auto b = encode(w.h.kares(w.s, w.bob, 1)); b[0] = 0x1F; raw_mm(w, w.bob, b); },
     by(DecodeError::unknown_type)},
    {"mm_bad_mode",
     [](World& w) { MmMessage m = w.h.kares(w.s, w.bob, 1); m.mode = 0; w.h.mm(w.bob, m); },
     by(DecodeError::bad_mode)},
    {"mm_flag_contradicts_type",
     [](World& w) { MmMessage m = w.h.kares(w.s, w.bob, 1); m.ss = true; w.h.mm(w.bob, m); },
     by(DecodeError::flag_contradicts_type)},
    {"mm_truncated_option",
     [](World& w) { auto b = encode(w.h.kares(w.s, w.bob, 1)); b[17] = 40; raw_mm(w, w.bob, b); },
     by(DecodeError::truncated_option)},
    {"mm_oversize",  // profile 3 [P]: above 1,200 bytes, malformed whatever it says
     [](World& w) { w.h.mm(w.bob, padded(build::uireq(w.s, w.bob.user, MemberType::participant, Mode::open), 1204)); },
     by(Discard::oversize)},
    {"mm_wrong_direction",
     [](World& w) {
       w.h.mm(w.bob, build::kareq(build::MmContext{w.s, Mode::open, 5004, ip("239.255.10.20"), KaUnits{10}, KaUnits{5}},
                                  w.bob.user, MemberType::participant, 1));
     },
     by(Discard::wrong_direction)},
    {"mm_unknown_session",
     [](World& w) { w.h.mm(w.bob, build::kares(SessionId{static_cast<std::uint16_t>(w.s.value + 1)}, w.bob.user, MemberType::participant, Mode::open, 1)); },
     by(Discard::unknown_session)},
    {"mm_unknown_user",
     [](World& w) { w.h.mm(w.bob, build::kares(w.s, w.nobody, MemberType::participant, Mode::open, 1)); },
     by(Discard::unknown_user)},
    {"mm_spoofed_port",
     [](World& w) { w.h.mm_from(Endpoint{w.bob.ip, 1}, w.h.kares(w.s, w.bob, 1)); },
     by(Discard::address_mismatch)},
    {"mm_spoofed_ip",
     [](World& w) { w.h.mm_from(Endpoint{w.eve.ip, w.bob.mm_port}, w.h.kares(w.s, w.bob, 1)); },
     by(Discard::address_mismatch)},
    {"mm_unbound_member",
     [](World& w) { w.h.mm(w.carl, w.h.kares(w.s, w.carl, 1)); },
     by(Discard::address_mismatch)},
    {"mm_trreq_not_creator",
     [](World& w) { w.h.mm(w.bob, build::trreq(w.s, w.bob.user, Mode::open)); },
     by(Discard::not_creator)},
    {"mm_future_round",
     [](World& w) { w.h.mm(w.bob, w.h.kares(w.s, w.bob, 2)); },
     by(Discard::future_round)},
};

INSTANTIATE_TEST_SUITE_P(Profile7, Discards, ::testing::ValuesIn(cases),
                         [](const auto& info) { return std::string(info.param.name); });

TEST(Profile7, MmOfExactly1200BytesIsServed) {
  World w;
  const auto m = padded(build::uireq(w.s, w.bob.user, MemberType::participant, Mode::open), 1200);
  ASSERT_EQ(encode(m).size(), 1200u);
  w.h.mm(w.bob, m);
  EXPECT_EQ(all_mm(w.h.take(), MmType::UIRES).size(), 1u);
  EXPECT_EQ(w.h.srv.counters().discarded(Discard::oversize), 0u);
}

// Profile 3 (1.3): the server trusts its own records, never the member type field of a
// member's message; any code is accepted. A KARES with code 011 from bob's bound address
// answers round 2 (miss limit 1: a discarded one would drop bob to joined at the timeout),
// and a UIREQ with code 111 gets its UIRES, which carries bob's recorded type.
TEST(Profile3, AnyMemberTypeCodeInAMembersMessageIsTaken) {
  World w;
  w.h.advance(Millis{1000});  // round 2
  const std::uint32_t round = w.h.srv.session(w.s)->round;
  ASSERT_EQ(round, 2u);
  w.h.mm(w.alice, w.h.kares(w.s, w.alice, round));
  MmMessage k = w.h.kares(w.s, w.bob, round);
  k.member_type = 3;
  w.h.mm(w.bob, k);
  w.h.advance(Millis{600});  // past round 2's timeout
  EXPECT_EQ(w.h.state(w.s, w.bob), MemberState::active);

  MmMessage u = build::uireq(w.s, w.bob.user, MemberType::participant, Mode::open);
  u.member_type = 7;
  w.h.mm(w.bob, u);
  const auto out = w.h.take();
  const auto uires = all_mm(out, MmType::UIRES);
  ASSERT_EQ(uires.size(), 1u);
  EXPECT_EQ(uires[0]->to, w.bob.mm());
  EXPECT_EQ(uires[0]->msg.member_type, static_cast<std::uint8_t>(MemberType::participant));
  for (int e = 1; e < decode_error_count; ++e)
    EXPECT_EQ(w.h.srv.counters().discarded(static_cast<DecodeError>(e)), 0u) << e;
}

TEST(Profile7, FramingErrorClosesConnection) {
  World w;
  const auto before = w.h.fingerprint();
  w.h.srv.handle_framing_error(w.bob.conn, DecodeError::frame_too_large, w.h.now);
  auto out = w.h.take();
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(std::get<CloseConn>(out[0]).conn, w.bob.conn);
  EXPECT_EQ(w.h.srv.counters().discarded(DecodeError::frame_too_large), 1u);
  EXPECT_EQ(w.h.fingerprint(), before);
}

}  // namespace

}  // namespace gmp::server::test
