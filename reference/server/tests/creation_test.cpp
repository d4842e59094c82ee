// Profile 5.1: Figure 4 (successful creation) and Figure 5 (unsuccessful creation).
#include "harness.hpp"

namespace gmp::server::test {

// Figure 4: SCREQ -> SCACC -> SCINF -> SCCON; the session is listed, the creator registered.
TEST(Figure4, SuccessfulCreation) {
  Harness h;
  Client alice = h.client("alice", 1);
  h.sm(alice, build::screq("alice", false));
  const SmMessage acc = h.one_sm(alice);
  EXPECT_EQ(acc.type, SmType::SCACC);
  EXPECT_FALSE(acc.closed);  // profile 2: M = 0 in SCACC
  EXPECT_FALSE(acc.secure);
  EXPECT_NE(acc.session.value, 0);
  EXPECT_NE(acc.user.value, 0);
  EXPECT_EQ(h.srv.pending_count(), 1u);
  EXPECT_TRUE(h.srv.sessions().empty());  // not listed before SCCON

  SessionParams p;
  p.closed = true;
  p.allow = {"bob"};
  h.sm(alice, scinf_for(acc.session, acc.user, p));
  const SmMessage con = h.one_sm(alice);
  EXPECT_EQ(con.type, SmType::SCCON);
  EXPECT_EQ(con.session, acc.session);
  EXPECT_EQ(con.user, acc.user);
  EXPECT_TRUE(con.closed);
  EXPECT_FALSE(con.secure);
  EXPECT_EQ(con.group_address, p.group);
  EXPECT_EQ(con.group_port, 5004);
  ASSERT_EQ(h.srv.sessions().size(), 1u);
  const auto v = h.srv.sessions()[0];
  EXPECT_EQ(v.name, "test session");
  EXPECT_EQ(v.registered, 1u);
  EXPECT_EQ(h.srv.pending_count(), 0u);
  const auto creator = h.srv.member(acc.session, acc.user);
  ASSERT_TRUE(creator);
  EXPECT_EQ(creator->type, MemberType::creator);
  EXPECT_EQ(creator->state, MemberState::registered);
}

TEST(Figure4, SecureCreationEchoesS) {
  Harness h;
  Client alice = h.client("alice", 1);
  SessionParams p;
  p.secure = true;
  const SessionId s = h.create(alice, p);
  EXPECT_EQ(h.srv.session(s)->key_epoch, 1);
}

TEST(Figure4, GroupZeroIsAllocatedFrom239_255) {
  Harness h;
  Client alice = h.client("alice", 1);
  SessionParams p;
  p.group = Ipv4{0};
  p.group_port = 0;
  const SessionId s = h.create(alice, p);
  const auto v = h.srv.session(s);
  EXPECT_EQ(v->group.value >> 16, 0xEFFFu);
  EXPECT_NE(v->group.value & 0xFFFF, 0u);
  EXPECT_EQ(v->group_port, 5004);
}

TEST(Figure5, RefusedNameGetsReason2) {
  Config cfg;
  cfg.allow_creators = {"carol"};
  Harness h(cfg);
  Client alice = h.client("alice", 1);
  h.sm(alice, build::screq("alice", false));
  const SmMessage rej = h.one_sm(alice);
  EXPECT_EQ(rej.type, SmType::SCREJ);
  ASSERT_TRUE(find<opt::ReasonCode>(rej.options));
  EXPECT_EQ(reason_in(rej), Reason::not_authorised);
  EXPECT_EQ(h.srv.pending_count(), 0u);
  Client carol = h.client("carol", 2);
  h.create(carol);
}

TEST(Figure5, SecureUnsupportedGetsReason3WithS) {
  Config cfg;
  cfg.secure_supported = false;
  Harness h(cfg);
  Client alice = h.client("alice", 1);
  h.sm(alice, build::screq("alice", true));
  const SmMessage rej = h.one_sm(alice);
  EXPECT_EQ(rej.type, SmType::SCREJ);
  EXPECT_TRUE(rej.secure);
  EXPECT_EQ(reason_in(rej), Reason::secure_unsupported);
  h.sm(alice, build::screq("alice", false));  // without S: accepted
  EXPECT_EQ(h.one_sm(alice).type, SmType::SCACC);
}

// One connection cannot take every session slot with SCREQs it never follows with SCINF:
// beyond its own bound it gets SCREJ 1, while another connection still creates.
TEST(Figure5, PendingCreationsPerConnectionAreBounded) {
  Config cfg;
  cfg.max_pending_per_connection = 3;
  Harness h(cfg);
  Client mallory = h.client("mallory", 1);
  for (int i = 0; i < 3; ++i) {
    h.sm(mallory, build::screq("mallory", false));
    EXPECT_EQ(h.one_sm(mallory).type, SmType::SCACC);
  }
  h.sm(mallory, build::screq("mallory", false));
  const SmMessage rej = h.one_sm(mallory);
  EXPECT_EQ(rej.type, SmType::SCREJ);
  EXPECT_EQ(reason_in(rej), Reason::resources);
  Client alice = h.client("alice", 2);
  h.create(alice);
}

TEST(Figure5, ResourcesGetReason1AndPendingCounts) {
  Config cfg;
  cfg.max_sessions = 2;
  Harness h(cfg);
  Client alice = h.client("alice", 1);
  h.create(alice);
  h.sm(alice, build::screq("alice", false));  // pending: counts against the limit
  EXPECT_EQ(h.one_sm(alice).type, SmType::SCACC);
  h.sm(alice, build::screq("alice", false));
  const SmMessage rej = h.one_sm(alice);
  EXPECT_EQ(rej.type, SmType::SCREJ);
  EXPECT_FALSE(rej.secure);
  EXPECT_EQ(reason_in(rej), Reason::resources);
  EXPECT_EQ(h.srv.counters().limit_rejections, 1u);
}

TEST(Figure5, RefusalOrderIsAuthorisationSecureResources) {
  Config cfg;
  cfg.allow_creators = {"carol"};
  cfg.secure_supported = false;
  cfg.max_sessions = 0;
  Harness h(cfg);
  Client alice = h.client("alice", 1);
  h.sm(alice, build::screq("alice", true));
  EXPECT_EQ(reason_in(h.one_sm(alice)), Reason::not_authorised);
  Client carol = h.client("carol", 2);
  h.sm(carol, build::screq("carol", true));
  EXPECT_EQ(reason_in(h.one_sm(carol)), Reason::secure_unsupported);
  h.sm(carol, build::screq("carol", false));
  EXPECT_EQ(reason_in(h.one_sm(carol)), Reason::resources);
}

struct BadScinf {
  const char* what;
  void (*edit)(SmMessage&);
};

class Figure5Scinf : public ::testing::TestWithParam<BadScinf> {};

TEST_P(Figure5Scinf, UnacceptableScinfGetsScrej5AndDropsPending) {
  Harness h;
  Client alice = h.client("alice", 1);
  h.sm(alice, build::screq("alice", false));
  const SmMessage acc = h.one_sm(alice);
  SmMessage inf = scinf_for(acc.session, acc.user, SessionParams{});
  GetParam().edit(inf);
  h.sm(alice, inf);
  const SmMessage rej = h.one_sm(alice);
  EXPECT_EQ(rej.type, SmType::SCREJ) << GetParam().what;
  ASSERT_TRUE(find<opt::ReasonCode>(rej.options));
  EXPECT_EQ(reason_in(rej), Reason::invalid_request);
  EXPECT_EQ(h.srv.pending_count(), 0u);
  EXPECT_TRUE(h.srv.sessions().empty());
  // The creation is gone: a good SCINF now is for an unknown session.
  h.sm(alice, scinf_for(acc.session, acc.user, SessionParams{}));
  h.expect_nothing();
}

void set_ka(SmMessage& m, std::uint8_t period, std::uint8_t timeout, std::uint8_t miss) {
  for (auto& o : m.options)
    if (auto* k = std::get_if<opt::Keepalive>(&o)) *k = opt::Keepalive{KaUnits{period}, KaUnits{timeout}, miss};
}

INSTANTIATE_TEST_SUITE_P(
    Profile51, Figure5Scinf,
    ::testing::Values(
        BadScinf{"no session name",
                 [](SmMessage& m) {
                   std::erase_if(m.options, [](const Option& o) {
                     return std::holds_alternative<opt::SessionName>(o);
                   });
                 }},
        BadScinf{"ka period 0", [](SmMessage& m) { set_ka(m, 0, 0, 1); }},
        BadScinf{"ka timeout 0", [](SmMessage& m) { set_ka(m, 10, 0, 1); }},
        BadScinf{"ka timeout above period", [](SmMessage& m) { set_ka(m, 10, 11, 1); }},
        BadScinf{"miss limit 0", [](SmMessage& m) { set_ka(m, 10, 5, 0); }},
        BadScinf{"closed without allow or key", [](SmMessage& m) { m.closed = true; }},
        BadScinf{"S differs from SCREQ", [](SmMessage& m) { m.secure = true; }}));

TEST(Profile51, PendingCreationExpiresAfterTimeout) {
  Config cfg;
  cfg.pending_timeout = Millis{30000};
  Harness h(cfg);
  Client alice = h.client("alice", 1);
  h.sm(alice, build::screq("alice", false));
  const SmMessage acc = h.one_sm(alice);
  h.advance(Millis{29999});
  EXPECT_EQ(h.srv.pending_count(), 1u);
  h.advance(Millis{1});
  EXPECT_EQ(h.srv.pending_count(), 0u);
  EXPECT_EQ(h.srv.counters().pending_expired, 1u);
  h.sm(alice, scinf_for(acc.session, acc.user, SessionParams{}));
  h.expect_nothing();
  EXPECT_EQ(h.srv.counters().discarded(Discard::unknown_session), 1u);
}

TEST(Profile51, PendingCreationDroppedWhenConnectionCloses) {
  Harness h;
  Client alice = h.client("alice", 1);
  h.sm(alice, build::screq("alice", false));
  h.one_sm(alice);
  Client bob = h.client("bob", 2);
  h.sm(bob, build::screq("bob", false));
  h.one_sm(bob);
  h.srv.handle_sm_closed(alice.conn, h.now);
  EXPECT_EQ(h.srv.pending_count(), 1u);
  EXPECT_FALSE(h.srv.next_deadline() == std::nullopt);
}

TEST(Profile51, ScinfOnAnotherConnectionIsDiscarded) {
  Harness h;
  Client alice = h.client("alice", 1);
  h.sm(alice, build::screq("alice", false));
  const SmMessage acc = h.one_sm(alice);
  Client other = alice;
  other.conn = ConnId{99};
  h.srv.handle_sm_opened(other.conn, other.ip, h.now);
  h.sm(other, scinf_for(acc.session, acc.user, SessionParams{}));
  h.expect_nothing();
  EXPECT_EQ(h.srv.counters().discarded(Discard::wrong_connection), 1u);
  EXPECT_EQ(h.srv.pending_count(), 1u);
}

TEST(Profile2, SessionAndUserIdsAreNotSequential) {
  Harness h;
  Client alice = h.client("alice", 1);
  std::vector<std::uint16_t> ids;
  for (int i = 0; i < 8; ++i) {
    h.sm(alice, build::screq("alice", false));
    const SmMessage acc = h.one_sm(alice);
    ids.push_back(acc.session.value);
    ids.push_back(acc.user.value);
  }
  int sequential = 0;
  for (std::size_t i = 2; i < ids.size(); ++i)
    if (ids[i] == ids[i - 2] + 1) ++sequential;
  EXPECT_LT(sequential, 2);
}

TEST(Profile7, ConnectionLimitClosesExtraConnections) {
  Config cfg;
  cfg.max_connections = 1;
  Harness h(cfg);
  h.client("alice", 1);
  h.expect_nothing();
  h.client("bob", 2);
  auto out = h.take();
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(std::get<CloseConn>(out[0]).conn, ConnId{2});
  EXPECT_EQ(h.srv.counters().connections_refused, 1u);
}

}  // namespace gmp::server::test
