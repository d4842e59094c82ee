// gmp-client-faulty's fault switches (reference/client/faulty/): for each, the behaviour the
// profile requires (the shipped core, asserted elsewhere) and the faulty one, seen on the wire
// or in the events, with the fake server and clock of fake_server.hpp. kares_from_other_port
// is a socket matter: tests/client/test_faulty.py shows it against gmp-server.
#include <algorithm>
#include <set>

#include "fake_server.hpp"
#include "faulty_core.hpp"

namespace gmp::client::test {
namespace {

std::unique_ptr<ClientCore> faulty(std::initializer_list<Fault> list, Role role = Role::participant,
                                   Timing timing = {}) {
  FaultSet f;
  for (Fault x : list) f.set(x);
  return std::make_unique<FaultyCore>(role, timing, f);
}

MmMessage kareq_for(const Harness& h, std::uint32_t round) {
  return build::kareq(h.ctx(Mode::open), kUser, MemberType::participant, round);
}

/// The next transmission decoded as far as it goes (an invalid message is what some faults send).
SmMessage take_sm_partial(Harness& h) {
  EXPECT_GT(h.unread(), 0u);
  SmMessage m;
  if (h.unread() > 0) decode_sm_partial(h.sent[h.seen_sent++].bytes, m);
  return m;
}

TEST(ClientFaults, NamesRoundTripAndAreUnique) {
  std::set<std::string_view> seen;
  for (std::size_t i = 0; i < fault_count; ++i) {
    const auto f = static_cast<Fault>(i);
    EXPECT_EQ(parse_fault(fault_name(f)), f);
    EXPECT_TRUE(seen.insert(fault_name(f)).second);
  }
  EXPECT_EQ(fault_count, 33u);
  EXPECT_FALSE(parse_fault("no_such_fault"));
}

// Without a fault the wrapper changes nothing: the same bytes and events as the shipped core.
TEST(ClientFaults, NoFaultIsTheShippedClient) {
  Harness ref(Role::participant);
  Harness f(faulty({}));
  for (Harness* h : {&ref, &f}) {
    h->register_open(true);
    const auto k = key_of(1, 0x11);
    h->join(&k);
    h->activate(3);
    h->feed(kareq_for(*h, 4));
    h->advance(Duration{1000});
  }
  ASSERT_EQ(ref.sent.size(), f.sent.size());
  for (std::size_t i = 0; i < ref.sent.size(); ++i) EXPECT_EQ(ref.sent[i].bytes, f.sent[i].bytes);
  ASSERT_EQ(ref.events.size(), f.events.size());
  for (std::size_t i = 0; i < ref.events.size(); ++i) {
    EXPECT_EQ(ref.events[i].kind, f.events[i].kind);
    EXPECT_EQ(ref.events[i].raw, f.events[i].raw);
  }
}

// ---- KARES (Figure 14, profile 3 and 6.1)

TEST(ClientFaults, KaresNoEchoSendsKaSeqZeroAndTheSentEventShowsIt) {
  Harness h(faulty({Fault::kares_no_echo}));
  h.make_active();
  h.feed(kareq_for(h, 5));
  const MmMessage ka = h.take_mm();
  ASSERT_NE(find<opt::KaSeq>(ka.options), nullptr);
  EXPECT_EQ(find<opt::KaSeq>(ka.options)->round, 0u);  // the shipped client echoes 5
  const Event* sent = h.last(EventKind::sent);
  EXPECT_EQ(sent->raw, h.sent.back().bytes);  // the event shows what went out
}

TEST(ClientFaults, KaresLateComesAfterTheKaTimeout) {
  Harness h(faulty({Fault::kares_late}));
  h.register_open();
  h.join();
  h.core.activate(kMmPort, h.now);
  h.pump();
  h.take_sm();
  h.feed(kareq_for(h, 1));
  EXPECT_EQ(h.unread(), 0u);  // the shipped client answers in the same step
  h.advance(Duration{299});   // KA timeout 1 (100 ms) + 200 ms
  EXPECT_EQ(h.unread(), 0u);
  h.advance(Duration{1});
  const MmMessage ka = h.take_mm();
  EXPECT_EQ(ka.type, MmType::KARES);
  EXPECT_EQ(find<opt::KaSeq>(ka.options)->round, 1u);
}

TEST(ClientFaults, KaresOtherSessionAnswersAKareqNotForUs) {
  Harness h(faulty({Fault::kares_other_session}));
  h.make_active();
  auto other = h.ctx(Mode::open);
  other.session = SessionId{7};
  h.feed(build::kareq(other, kUser, MemberType::participant, 9));
  const MmMessage ka = h.take_mm();  // the shipped client sends nothing
  EXPECT_EQ(ka.type, MmType::KARES);
  EXPECT_EQ(ka.session, SessionId{7});
  EXPECT_EQ(find<opt::KaSeq>(ka.options)->round, 9u);
}

TEST(ClientFaults, KaresWrongMemberType) {
  Harness h(faulty({Fault::kares_wrong_member_type}));
  h.make_active();
  h.feed(kareq_for(h, 2));
  EXPECT_EQ(h.take_mm().member_type, static_cast<std::uint8_t>(MemberType::creator));
}

TEST(ClientFaults, KaresNonzeroFields) {
  Harness h(faulty({Fault::kares_nonzero_fields}));
  h.make_active();
  h.feed(kareq_for(h, 2));
  const MmMessage ka = h.take_mm();
  EXPECT_NE(ka.ka_period.value, 0);
  EXPECT_NE(ka.ka_timeout.value, 0);
  EXPECT_NE(ka.group_port, 0);
}

TEST(ClientFaults, KaresAfterLeave) {
  Harness h(faulty({Fault::kares_after_leave}));
  h.make_active();
  h.core.leave(h.now);
  h.pump();
  EXPECT_EQ(h.take_mm().type, MmType::LVREQ);
  h.feed(kareq_for(h, 6));
  const MmMessage ka = h.take_mm();  // the shipped client stays silent after LVREQ
  EXPECT_EQ(ka.type, MmType::KARES);
  EXPECT_EQ(find<opt::KaSeq>(ka.options)->round, 6u);
}

TEST(ClientFaults, NoComingBack) {
  Harness h(faulty({Fault::no_coming_back}));
  h.make_active();
  h.advance(Duration{3000});  // the shipped client sends a KARES without KA-SEQ after 300 ms
  EXPECT_EQ(h.unread(), 0u);
  h.feed(kareq_for(h, 1));  // solicited KARES still go out
  EXPECT_EQ(h.take_mm().type, MmType::KARES);
}

// ---- keys (profile 6.6)

TEST(ClientFaults, InstallsOlderEpoch) {
  Harness h(faulty({Fault::installs_older_epoch}));
  h.register_open(true);
  const auto k = key_of(3, 0x33);
  h.join(&k);
  h.activate();
  h.feed(build::kdupt(h.ctx(Mode::open), kUser, MemberType::participant, key_of(2, 0x22)));
  EXPECT_EQ(h.core.key_epoch(), 2);  // the shipped client keeps epoch 3
  EXPECT_EQ(h.last(EventKind::key)->epoch, 2);
}

TEST(ClientFaults, KeepsNonsecureKdupTKey) {
  Harness h(faulty({Fault::keeps_nonsecure_kdupt_key}));
  h.make_active();  // not secure
  h.feed(build::kdupt(h.ctx(Mode::open), kUser, MemberType::participant, key_of(1, 0x44)));
  EXPECT_EQ(h.core.key_epoch(), 1);  // the shipped client discards it
  EXPECT_EQ(h.count(EventKind::key), 1u);
}

TEST(ClientFaults, SjresS1WithoutKeyAccepted) {
  Harness h(faulty({Fault::sjres_s1_without_key_accepted}));
  h.register_open(true);
  h.core.join(h.now);
  h.pump();
  h.take_sm();
  h.feed(build::sjres(kSession, kUser, false, true, 5004, kGroup, nullptr));  // S = 1, no key
  EXPECT_EQ(h.core.state(), State::joined);  // the shipped client discards it, still joining
}

// ---- TRIND (Figures 16, 20-22; profile 7)

TEST(ClientFaults, IgnoreTrind) {
  Harness h(faulty({Fault::ignore_trind}));
  h.make_active();
  h.feed(build::trind(h.ctx(Mode::open), kUser, MemberType::participant));
  EXPECT_EQ(h.core.state(), State::active);
  EXPECT_EQ(h.count(EventKind::ended), 0u);
}

TEST(ClientFaults, AcceptsTrindWithoutSs) {
  Harness h(faulty({Fault::accepts_trind_ss0}));
  h.make_active();
  auto t = build::trind(h.ctx(Mode::open), kUser, MemberType::participant);
  t.ss = false;  // malformed: SS contradicts nothing else here but is required in TRIND
  h.feed(t);
  EXPECT_EQ(h.core.state(), State::ended);  // the shipped client discards it
}

// ---- SM (profile 2, 5.1, 5.3)

TEST(ClientFaults, ScreqNonzeroIds) {
  Harness h(faulty({Fault::screq_nonzero_ids}, Role::creator));
  h.core.create(cp("alice"), h.now);
  h.pump();
  const SmMessage rq = h.take_sm();
  EXPECT_EQ(rq.type, SmType::SCREQ);
  EXPECT_NE(rq.session.value, 0);
  EXPECT_NE(rq.user.value, 0);
}

TEST(ClientFaults, ScinfWrongSAndNoIFlag) {
  for (Fault f : {Fault::scinf_wrong_s, Fault::scinf_no_i_flag}) {
    Harness h(faulty({f}, Role::creator));
    h.core.create(cp("alice"), h.now);
    h.pump();
    h.take_sm();
    h.feed(build::scacc(kSession, kUser, false));
    const SmMessage inf = take_sm_partial(h);
    EXPECT_EQ(inf.type, SmType::SCINF);
    if (f == Fault::scinf_wrong_s)
      EXPECT_TRUE(inf.secure);  // the SCREQ had S = 0
    else
      EXPECT_FALSE(inf.info);
  }
}

TEST(ClientFaults, BadChecksumOut) {
  Harness h(faulty({Fault::bad_checksum_out}, Role::creator));
  h.core.create(cp("alice"), h.now);
  h.pump();
  ASSERT_GT(h.unread(), 0u);
  const auto& bytes = h.sent[h.seen_sent].bytes;
  EXPECT_FALSE(sm_checksum_ok(bytes));  // profile 2: the server must discard it
  SmMessage m;
  EXPECT_TRUE(decode_sm(bytes, m, {.verify_checksum = false}).ok());
  EXPECT_EQ(m.type, SmType::SCREQ);  // the same SCREQ otherwise
  const auto sent = std::find_if(h.events.rbegin(), h.events.rend(),
                                 [](const Event& e) { return e.kind == EventKind::sent; });
  ASSERT_NE(sent, h.events.rend());
  EXPECT_EQ(sent->raw, bytes);  // the sent event shows what went out
}

// The standing-check faults: one field of every message, the rest as the shipped client's.
TEST(ClientFaults, ReservedFieldsAndPaddingOfEverySmMessage) {
  Harness h(faulty({Fault::sm_reserved_bit_set, Fault::sm_reserved_byte_set, Fault::option_padding_nonzero},
                   Role::creator));
  h.core.create(cp("alice"), h.now);  // CLIENT-NAME "alice": one byte of padding
  h.pump();
  ASSERT_GT(h.unread(), 0u);
  const auto& bytes = h.sent[h.seen_sent].bytes;
  EXPECT_TRUE(sm_checksum_ok(bytes));  // only the named fields are wrong
  SmMessage m;
  ASSERT_TRUE(decode_sm(bytes, m).ok());
  EXPECT_EQ(m.type, SmType::SCREQ);
  EXPECT_TRUE(m.q);
  EXPECT_EQ(m.reserved, 0x5A);
  EXPECT_EQ(bytes.back(), 0xA5);  // the padding after "alice"
}

TEST(ClientFaults, ReservedFieldsOfEveryMmMessage) {
  Harness h(faulty({Fault::mm_reserved_flag_set, Fault::mm_reserved_byte_set}));
  h.register_open();
  h.join();
  h.core.activate(kMmPort, h.now);
  h.pump();
  ASSERT_EQ(h.take_sm().type, SmType::SAREQ);
  h.feed(kareq_for(h, 0));
  const MmMessage ka = h.take_mm();
  EXPECT_EQ(ka.type, MmType::KARES);
  EXPECT_TRUE(ka.r);
  EXPECT_EQ(ka.reserved, 0x5A);
}

TEST(ClientFaults, WrongUserIdLaterAndSjreqTwice) {
  Harness h(faulty({Fault::wrong_user_id_later, Fault::sjreq_twice}));
  h.register_open();
  h.core.join(h.now);
  h.pump();
  for (int i = 0; i < 2; ++i) {  // the same SJREQ twice, with the user ID SRACC gave plus one
    const SmMessage j = h.take_sm();
    EXPECT_EQ(j.type, SmType::SJREQ);
    EXPECT_EQ(j.user.value, static_cast<std::uint16_t>(kUser.value + 1));
  }
  EXPECT_EQ(h.unread(), 0u);
}

TEST(ClientFaults, AcceptSraccWithoutSrres) {
  Harness h(faulty({Fault::accept_sracc_without_srres}));
  h.send_srreq();
  h.take_sm();
  h.feed(build::sracc(kSession, kUser, true, false, 5004, kGroup));
  EXPECT_EQ(h.core.state(), State::registered);  // the shipped client waits for SRRES
}

// ---- UIREQ / TRREQ (clauses 7.2.2, 7.2.4; profile 6.4, 7)

TEST(ClientFaults, UireqRetransmission) {
  Timing t;
  t.uireq_retry = Duration{250};
  t.uireq_tries = 3;
  auto uireqs = [](Harness& h) {
    h.make_active();
    h.seen_sent = h.sent.size();
    h.core.request_members(h.now);
    h.pump();
    h.advance(Duration{250 * 40});
    return h.take_count(MmType::UIREQ);
  };
  Harness none(faulty({Fault::no_uireq_retransmission}, Role::participant, t));
  EXPECT_EQ(uireqs(none), 1u);  // the shipped client sends 3
  Harness endless(faulty({Fault::endless_uireq_retransmission}, Role::participant, t));
  EXPECT_EQ(uireqs(endless), 41u);
}

TEST(ClientFaults, NoTrreqRetransmission) {
  Harness h(
      faulty({Fault::no_trreq_retransmission}, Role::creator, trreq_timing(Duration{100}, 5)));
  h.make_active();
  h.seen_sent = h.sent.size();
  h.core.terminate(h.now);
  h.pump();
  h.advance(Duration{2000});
  EXPECT_EQ(h.take_count(MmType::TRREQ), 1u);  // the shipped client sends 5
}

TEST(ClientFaults, UireqWhenNotActive) {
  Harness h(faulty({Fault::uireq_when_not_active}));
  h.make_active();
  h.core.leave(h.now);  // joined: UIREQ is for active members only (profile 7)
  h.pump();
  h.take_mm();
  h.core.request_members(h.now);
  h.pump();
  EXPECT_EQ(h.take_mm().type, MmType::UIREQ);  // the shipped client refuses with an error
}

TEST(ClientFaults, MemberCountAnyPart) {
  Harness h(faulty({Fault::member_count_any_part}));
  h.make_active();
  h.core.request_members(h.now);
  h.pump();
  std::vector<opt::MemberEntry> list;
  for (std::uint16_t i = 1; i <= 300; ++i) list.push_back({UserId{i}, 1});
  auto parts = build::uires(h.ctx(Mode::open), kUser, MemberType::participant, list, 12u);
  parts[1].options.push_back(opt::MemberCount{99});
  for (const auto& p : parts) h.feed(p);
  ASSERT_EQ(h.count(EventKind::members), 1u);
  EXPECT_EQ(h.last(EventKind::members)->member_count, 99u);  // the shipped client says 12
}

// ---- the robustness campaign's faults: each only on a rare malformation ----

TEST(ClientFaults, AbortOnEmptyMmOptionDiesOnAKaSeqOfLengthZero) {
  Harness h(faulty({Fault::abort_on_empty_mm_option}));
  h.make_active();
  h.feed(kareq_for(h, 5));  // a valid KAREQ: answered
  EXPECT_EQ(h.take_mm().type, MmType::KARES);
  auto bad = encode(kareq_for(h, 6));
  bad[17] = 0;  // KA-SEQ (the first option) of length 0: malformed, profile 4
  EXPECT_DEATH(h.feed_mm_bytes(bad), "");
}

TEST(ClientFaults, KaresStopAfterBadChecksumGoesSilentAfterOneBadSmMessage) {
  Harness h(faulty({Fault::kares_stop_after_bad_checksum}));
  h.make_active();
  h.feed(kareq_for(h, 5));
  EXPECT_EQ(h.take_mm().type, MmType::KARES);
  auto bad = encode(build::sdres(h.ctx(Mode::open).session, kUser, Reason::success, false, false));
  bad[2] ^= 0x80;  // the checksum no longer verifies: to be discarded (profile 7)
  h.feed_sm_bytes(bad);
  h.feed(kareq_for(h, 6));
  EXPECT_EQ(h.unread(), 0u);  // the shipped client answers it
}

TEST(ClientFaults, KaseqHighBitLostOnlyWithAnUnknownOption) {
  Harness h(faulty({Fault::kaseq_high_bit_lost_with_unknown}));
  h.make_active();
  MmMessage k = kareq_for(h, 0x80000005u);
  h.feed(k);  // no unknown option: echoed whole
  EXPECT_EQ(find<opt::KaSeq>(h.take_mm().options)->round, 0x80000005u);
  k.options.emplace_back(opt::Unknown{200, {1, 2, 3}});
  h.feed(k);
  EXPECT_EQ(find<opt::KaSeq>(h.take_mm().options)->round, 5u);  // the shipped client echoes 0x80000005
}

}  // namespace
}  // namespace gmp::client::test