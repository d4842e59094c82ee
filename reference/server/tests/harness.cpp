#include "harness.hpp"

#include <cstdlib>
#include <sstream>
#include <stdexcept>

#ifdef GMP_FAULTS
#include "faulty_server.hpp"
#endif

namespace gmp::server::test {

Ipv4 ip(const char* dotted) {
  Ipv4 out;
  EXPECT_TRUE(Ipv4::parse(dotted, out));
  return out;
}

SmMessage scinf_for(SessionId s, UserId creator, const SessionParams& p) {
  SmMessage m = build::scinf(s, creator, p.closed, p.secure, "test session", p.group_port, p.group);
  m.options.emplace_back(p.ka);
  for (const auto& b : p.base) m.options.emplace_back(opt::BaseMember{b});
  for (const auto& a : p.allow) m.options.emplace_back(opt::Allow{a});
  if (!p.access_key.empty()) m.options.emplace_back(opt::AccessKey{p.access_key});
  return m;
}

namespace {
// Mutation check: GMP_SERVER_TEST_FAULT=NAME runs every core test against a server with that
// fault switched on; the suite must then fail (docs/server.md, "Tests"). Only the
// gmp_server_core_mutation_tests build (with the fault layer) can do it.
std::unique_ptr<Server> make_server(Config cfg, std::uint64_t seed) {
  auto random = std::make_unique<SeededRandom>(seed);
  if (const char* f = std::getenv("GMP_SERVER_TEST_FAULT")) {
#ifndef GMP_FAULTS
    (void)f;
    throw std::invalid_argument(
        "GMP_SERVER_TEST_FAULT needs the fault layer: build gmp_server_core_mutation_tests");
#else
    const auto fault = parse_fault(f);
    if (!fault) throw std::invalid_argument("unknown fault in GMP_SERVER_TEST_FAULT");
    FaultSet set;
    set.set(*fault);
    return make_faulty_server(std::move(cfg), std::move(random), set);
#endif
  }
  return std::make_unique<Server>(std::move(cfg), std::move(random));
}
}  // namespace

Harness::Harness(Config cfg, std::uint64_t seed) : Harness(make_server(std::move(cfg), seed)) {}

Harness::Harness(std::unique_ptr<Server> server) : owned_(std::move(server)), srv(*owned_) {}

Client Harness::client(const std::string& name, int host, MemberType type) {
  Client c;
  c.name = name;
  c.ip = Ipv4{0x7F000000u + static_cast<std::uint32_t>(host)};
  c.conn = ConnId{static_cast<std::uint64_t>(host)};
  c.mm_port = static_cast<std::uint16_t>(40000 + host);
  c.type = type;
  srv.handle_sm_opened(c.conn, c.ip, now);
  return c;
}

void Harness::sm(const Client& c, const SmMessage& m) {
  const auto bytes = encode(m);
  srv.handle_sm_bytes(c.conn, c.ip, bytes, now);
}

void Harness::mm(const Client& c, const MmMessage& m) { mm_from(c.mm(), m); }

void Harness::mm_from(Endpoint from, const MmMessage& m) {
  const auto bytes = encode(m);
  srv.handle_mm_bytes(from, bytes, now);
}

std::vector<Transmit> Harness::take() {
  auto out = srv.take_transmits();
  if (validate_out) {
    for (const auto& a : out) {
      if (const auto* s = std::get_if<SendSm>(&a)) {
        EXPECT_TRUE(validate(s->msg).ok()) << "invalid SM " << name(s->msg.type);
      } else if (const auto* m = std::get_if<SendMm>(&a)) {
        EXPECT_TRUE(validate(m->msg).ok()) << "invalid MM " << name(m->msg.type);
        EXPECT_LE(encode(m->msg).size(), max_mm_uires_size);
      }
    }
  }
  return out;
}

SmMessage Harness::one_sm(const Client& c) {
  auto out = take();
  if (out.size() != 1 || !std::holds_alternative<SendSm>(out[0])) {
    ADD_FAILURE() << "expected one SM action, got " << out.size();
    return {};
  }
  const auto& s = std::get<SendSm>(out[0]);
  EXPECT_EQ(s.conn, c.conn);
  return s.msg;
}

MmMessage Harness::one_mm(const Client& c) {
  auto out = take();
  if (out.size() != 1 || !std::holds_alternative<SendMm>(out[0])) {
    ADD_FAILURE() << "expected one MM action, got " << out.size();
    return {};
  }
  const auto& s = std::get<SendMm>(out[0]);
  EXPECT_EQ(s.to, c.mm());
  return s.msg;
}

void Harness::expect_nothing() {
  auto out = take();
  EXPECT_TRUE(out.empty()) << out.size() << " unexpected actions";
}

std::vector<Transmit> Harness::advance(Millis d) {
  const Time end = now + d;
  std::vector<Transmit> all;
  while (auto dl = srv.next_deadline()) {
    if (*dl > end) break;
    if (*dl > now) now = *dl;
    srv.handle_timeout(now);
    for (auto& a : take()) all.push_back(std::move(a));
  }
  now = end;
  return all;
}

std::vector<Transmit> Harness::step() {
  auto dl = srv.next_deadline();
  if (!dl) return {};
  if (*dl > now) now = *dl;
  srv.handle_timeout(now);
  return take();
}

SessionId Harness::create(Client& creator, const SessionParams& p) {
  sm(creator, build::screq(creator.name, p.secure));
  const SmMessage acc = one_sm(creator);
  EXPECT_EQ(acc.type, SmType::SCACC);
  EXPECT_NE(acc.session.value, 0);
  EXPECT_NE(acc.user.value, 0);
  EXPECT_EQ(acc.secure, p.secure);
  EXPECT_FALSE(acc.closed);
  creator.user = acc.user;
  creator.type = MemberType::creator;
  sm(creator, scinf_for(acc.session, acc.user, p));
  const SmMessage con = one_sm(creator);
  EXPECT_EQ(con.type, SmType::SCCON);
  EXPECT_EQ(con.session, acc.session);
  EXPECT_EQ(con.user, acc.user);
  EXPECT_EQ(con.closed, p.closed);
  EXPECT_EQ(con.secure, p.secure);
  return acc.session;
}

void Harness::register_to(SessionId s, Client& c, bool closed) {
  sm(c, build::srreq(s, c.name));
  auto out = take();
  std::size_t i = 0;
  if (closed) {
    ASSERT_GE(out.size(), 1u);
    EXPECT_EQ(std::get<SendSm>(out[0]).msg.type, SmType::SRRES);
    i = 1;
  }
  ASSERT_EQ(out.size(), i + 1);
  const auto& acc = std::get<SendSm>(out[i]).msg;
  ASSERT_EQ(acc.type, SmType::SRACC);
  EXPECT_EQ(acc.session, s);
  EXPECT_NE(acc.user.value, 0);
  c.user = acc.user;
}

void Harness::join(SessionId s, Client& c) {
  sm(c, build::sjreq(s, c.user));
  const SmMessage res = one_sm(c);
  EXPECT_EQ(res.type, SmType::SJRES);
  EXPECT_EQ(res.user, c.user);
}

MmMessage Harness::kares(SessionId s, const Client& c, std::optional<std::uint32_t> round,
                         Mode mode) const {
  return build::kares(s, c.user, c.type, mode, round);
}

std::vector<Transmit> Harness::activate(SessionId s, Client& c, Mode mode) {
  sm(c, build::sareq(s, c.user, c.mm_port));
  const MmMessage ka = one_mm(c);
  EXPECT_EQ(ka.type, MmType::KAREQ);
  const auto* seq = find<opt::KaSeq>(ka.options);
  EXPECT_NE(seq, nullptr);
  mm(c, kares(s, c, seq ? seq->round : 0, mode));
  EXPECT_EQ(state(s, c), MemberState::active);
  return take();
}

std::string Harness::fingerprint() const {
  std::ostringstream o;
  for (const auto& s : srv.sessions()) {
    o << "S" << s.id.value << " " << s.name << " m" << int(s.mode) << " s" << s.secure << " r"
      << s.round << " e" << s.key_epoch << " " << s.registered << "/" << s.joined << "/"
      << s.active << "\n";
    for (const auto& m : srv.members(s.id)) {
      o << "  U" << m.user.value << " " << m.name << " t" << int(m.type) << " st"
        << int(m.state) << " p" << m.polled << " e" << m.key_epoch << " x" << int(m.misses);
      if (m.mm) o << " @" << m.mm->ip.value << ":" << m.mm->port;
      o << "\n";
    }
  }
  o << "pending " << srv.pending_count() << " deadline ";
  if (auto d = srv.next_deadline()) o << d->time_since_epoch().count();
  return o.str();
}

MemberState Harness::state(SessionId s, const Client& c) const {
  auto m = srv.member(s, c.user);
  EXPECT_TRUE(m.has_value());
  return m ? m->state : MemberState::registered;
}

bool Harness::polled(SessionId s, const Client& c) const {
  auto m = srv.member(s, c.user);
  return m && m->polled;
}

Reason reason_in(const SmMessage& m) {
  const auto* r = find<opt::ReasonCode>(m.options);
  EXPECT_NE(r, nullptr) << "no REASON in " << name(m.type);
  return r ? r->reason : static_cast<Reason>(255);
}

std::uint32_t ka_seq(const MmMessage& m) {
  const auto* r = find<opt::KaSeq>(m.options);
  EXPECT_NE(r, nullptr) << "no KA-SEQ in " << name(m.type);
  return r ? r->round : 0xFFFFFFFFu;
}

std::uint16_t key_epoch_in(const MmMessage& m) {
  const auto* k = find<opt::GroupKey>(m.options);
  EXPECT_NE(k, nullptr) << "no GROUP-KEY in " << name(m.type);
  return k ? k->epoch : 0;
}

std::uint32_t member_count_in(const MmMessage& m) {
  const auto* c = find<opt::MemberCount>(m.options);
  EXPECT_NE(c, nullptr) << "no MEMBER-COUNT";
  return c ? c->count : 0xFFFFFFFFu;
}

std::uint32_t member_count_at1(const MmMessage& m) {
  const auto* c = m.options.size() > 1 ? std::get_if<opt::MemberCount>(&m.options[1]) : nullptr;
  EXPECT_NE(c, nullptr) << "MEMBER-COUNT is not the second option";
  return c ? c->count : 0xFFFFFFFFu;
}

std::vector<const SendMm*> mm_to(const std::vector<Transmit>& actions, Endpoint to) {
  std::vector<const SendMm*> out;
  for (const auto& a : actions)
    if (const auto* m = std::get_if<SendMm>(&a); m && m->to == to) out.push_back(m);
  return out;
}

std::vector<const SendMm*> all_mm(const std::vector<Transmit>& actions, MmType type) {
  std::vector<const SendMm*> out;
  for (const auto& a : actions)
    if (const auto* m = std::get_if<SendMm>(&a); m && m->msg.type == type) out.push_back(m);
  return out;
}

}  // namespace gmp::server::test
