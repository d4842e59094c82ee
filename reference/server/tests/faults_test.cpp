// The fault switches (test only): names round-trip, and a sample of them visibly breaks the
// behaviour it names (the conformance tester checks all of them against gmp-server-faulty).
// One test per place a fault can live: input filter, output filter, decision hook.
#include "faulty_server.hpp"
#include "harness.hpp"

namespace gmp::server::test {

namespace {
std::unique_ptr<Server> with(Fault f, Config c = {}) {
  FaultSet set;
  set.set(f);
  return make_faulty_server(std::move(c), std::make_unique<SeededRandom>(1), set);
}
SessionParams secure_session() {
  SessionParams p;
  p.secure = true;
  return p;
}

// An open session created by `a`, who joined it.
SessionId created_and_joined(Harness& h, Client& a) {
  const SessionId s = h.create(a);
  h.join(s, a);
  return s;
}

// An open session created by `a`, with `a` and `b` both active.
SessionId open_session_of_two_active(Harness& h, Client& a, Client& b) {
  const SessionId s = h.create(a);
  h.register_to(s, b);
  for (Client* c : {&a, &b}) {
    h.join(s, *c);
    h.activate(s, *c);
  }
  return s;
}
}  // namespace

TEST(Faults, NamesRoundTrip) {
  for (std::size_t i = 0; i < fault_count; ++i) {
    const auto f = static_cast<Fault>(i);
    ASSERT_EQ(parse_fault(fault_name(f)), f) << fault_name(f);
  }
  EXPECT_FALSE(parse_fault("no_such_fault").has_value());
  EXPECT_TRUE(parse_fault("accept_spoofed_mm").has_value());
}

TEST(Faults, ScaccSetsMode) {
  Harness h(with(Fault::scacc_sets_mode));
  Client a = h.client("alice", 1);
  h.sm(a, build::screq("alice", false));
  EXPECT_TRUE(h.one_sm(a).closed);
}

TEST(Faults, SequentialIds) {
  Harness h(with(Fault::sequential_ids));
  Client a = h.client("alice", 1);
  h.sm(a, build::screq("alice", false));
  const auto first = h.one_sm(a).session.value;
  h.sm(a, build::screq("alice", false));
  EXPECT_EQ(h.one_sm(a).session.value, first + 1);
}

TEST(Faults, NoDemotion) {
  Harness h(with(Fault::no_demotion));
  Client a = h.client("alice", 1);
  Client b = h.client("bob", 2);
  const SessionId s = h.create(a);
  h.register_to(s, b);
  h.join(s, b);
  h.activate(s, b);
  h.advance(Millis{3000});
  EXPECT_EQ(h.state(s, b), MemberState::active);
}

TEST(Faults, AcceptSpoofedMm) {
  Harness h(with(Fault::accept_spoofed_mm));
  Client a = h.client("alice", 1);
  const SessionId s = created_and_joined(h, a);
  h.activate(s, a);
  h.mm_from(Endpoint{a.ip, 1}, build::trreq(s, a.user, Mode::open));
  EXPECT_FALSE(h.srv.session(s).has_value());
}

TEST(Faults, NoCloseOnFramingError) {
  Harness h(with(Fault::no_close_on_framing_error));
  Client a = h.client("alice", 1);
  h.srv.handle_framing_error(a.conn, DecodeError::frame_too_short, h.now);
  h.expect_nothing();
}

TEST(Faults, UiresUnsorted) {
  Harness h(with(Fault::uires_unsorted));
  h.validate_out = false;
  Client a = h.client("alice", 1);
  SessionParams p;
  p.closed = true;
  p.allow = {"bob"};
  const SessionId s = h.create(a, p);
  Client b = h.client("bob", 2);
  h.register_to(s, b, true);
  for (Client* c : {&a, &b}) {
    h.join(s, *c);
    h.activate(s, *c, Mode::closed);
  }
  h.mm(a, build::uireq(s, a.user, MemberType::creator, Mode::closed));
  const MmMessage u = h.one_mm(a);
  const auto* l = find<opt::MemberList>(u.options);
  ASSERT_TRUE(l);
  ASSERT_EQ(l->entries.size(), 2u);
  EXPECT_GT(l->entries[0].user, l->entries[1].user);
}

TEST(Faults, AcceptBadChecksum) {
  Harness h(with(Fault::accept_bad_checksum));
  Client a = h.client("alice", 1);
  auto b = encode(build::screq("alice", false));
  b[2] ^= 1;
  h.srv.handle_sm_bytes(a.conn, a.ip, b, h.now);
  EXPECT_EQ(h.one_sm(a).type, SmType::SCACC);
}

// Post-encode seam: while a faulty server lives, the codec's encoders called from outside the
// codec (here as from the shell) go through the fault layer's wrappers; otherwise not.
TEST(Faults, PostEncodeRewritesOnlyTheWire) {
  const SmMessage refusal = build::srrej(SessionId{7}, Reason::not_authorised, false, false);
  const auto right = encode_framed(refusal);  // REASON: 3 bytes, 1 of padding (profile 4)
  {
    auto srv = with(Fault::bad_checksum_out);
    const auto b = encode_framed(refusal);
    EXPECT_FALSE(sm_checksum_ok(std::span(b).subspan(2)));
    EXPECT_EQ(b[2 + 16 + 3], 0);
  }
  {
    auto srv = with(Fault::option_padding_nonzero);
    const auto b = encode_framed(refusal);
    EXPECT_TRUE(sm_checksum_ok(std::span(b).subspan(2)));
    EXPECT_NE(b[2 + 16 + 3], 0);
    build::MmContext c;
    c.session = SessionId{7};
    std::vector<std::uint8_t> mm;
    encode_mm(build::kareq(c, UserId{1}, MemberType::participant, 1), mm);
    EXPECT_NE(mm[16 + 6], 0);  // KA-SEQ: 6 bytes, 2 of padding
  }
  EXPECT_EQ(encode_framed(refusal), right);  // gone with the server
}

// Input filter: a KAREQ from a member is taken as a KARES (it activates the member).
TEST(Faults, AcceptWrongDirection) {
  Harness h(with(Fault::accept_wrong_direction));
  h.validate_out = false;
  Client a = h.client("alice", 1);
  const SessionId s = created_and_joined(h, a);
  h.sm(a, build::sareq(s, a.user, a.mm_port));
  h.take();
  MmMessage m = h.kares(s, a, 0);
  m.type = MmType::KAREQ;
  h.mm(a, m);
  h.take();
  EXPECT_EQ(h.state(s, a), MemberState::active);
}

// Output filter, by the input that produced the transmit: no KAREQ answers the SAREQ.
TEST(Faults, NoKareqOnSareq) {
  Harness h(with(Fault::no_kareq_on_sareq));
  Client a = h.client("alice", 1);
  const SessionId s = created_and_joined(h, a);
  h.sm(a, build::sareq(s, a.user, a.mm_port));
  h.expect_nothing();
  EXPECT_TRUE(h.polled(s, a));
}

// Output filter, by the core's event: the member whose TRREQ ended the session gets no TRIND.
TEST(Faults, NoTrindToCauser) {
  Harness h(with(Fault::no_trind_to_causer));
  Client a = h.client("alice", 1);
  Client b = h.client("bob", 2);
  const SessionId s = open_session_of_two_active(h, a, b);
  h.mm(a, build::trreq(s, a.user, Mode::open));
  const auto out = h.take();
  EXPECT_TRUE(mm_to(out, a.mm()).empty());
  EXPECT_EQ(mm_to(out, b.mm()).size(), 1u);
  EXPECT_TRUE(h.srv.poll_event().has_value());  // events still reach the caller
}

// Decision hook: an open session's UIRES lists the participants too.
TEST(Faults, UiresOpenListsAll) {
  Harness h(with(Fault::uires_open_lists_all));
  Client a = h.client("alice", 1);
  Client b = h.client("bob", 2);
  const SessionId s = open_session_of_two_active(h, a, b);
  h.mm(b, build::uireq(s, b.user, MemberType::participant, Mode::open));
  const auto* l = find<opt::MemberList>(h.one_mm(b).options);
  ASSERT_TRUE(l);
  EXPECT_EQ(l->entries.size(), 2u);
}

// Configuration: SCREQ with S = 1 is accepted by a server started with secure mode refused.
TEST(Faults, SecureAcceptedWhenUnsupported) {
  Config c;
  c.secure_supported = false;
  Harness h(with(Fault::secure_accepted_when_unsupported, c));
  Client a = h.client("alice", 1);
  h.sm(a, build::screq("alice", true));
  EXPECT_EQ(h.one_sm(a).type, SmType::SCACC);
}

// Output filter: SJRES without GROUP-KEY; as when the core never gave the key, the member gets
// it by KDUPT once active (profile 6.6 catch-up).
TEST(Faults, SjresNoKey) {
  Harness h(with(Fault::sjres_no_key));
  h.validate_out = false;
  Client a = h.client("alice", 1);
  const SessionId s = h.create(a, secure_session());
  h.sm(a, build::sjreq(s, a.user));
  EXPECT_EQ(find<opt::GroupKey>(h.one_sm(a).options), nullptr);
  const auto out = h.activate(s, a);
  ASSERT_EQ(all_mm(out, MmType::KDUPT).size(), 1u);
  EXPECT_EQ(key_epoch_in(all_mm(out, MmType::KDUPT)[0]->msg), h.srv.session(s)->key_epoch);
}

}  // namespace gmp::server::test
