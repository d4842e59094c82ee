// libFuzzer target for the server core: the input is read as a program of connection events,
// SM and MM inputs (well-formed ones built from what the server has said so far, mutated ones,
// raw bytes) and clock jumps. After every input the core's outputs and state are checked:
//   - everything the core sends decodes and validates (profile 2, 3);
//   - each session's by-state counts add up to its member list, and IDs are unique;
//   - a KDUPT only goes to a current joined or active member of its session (clause 7.3);
//   - what the core holds stays within its configured bounds.
// A violated invariant aborts, which libFuzzer reports as a crash with the input saved.
//
// An input that starts with 'R' is instead a recorded exchange (scripts/fuzz-cores turns the
// conformance captures into such seeds): records [direction, peer, length (2), bytes]. The
// server's recorded answers teach which session and user IDs the live core gave in their
// place, and the peers' messages are replayed with those IDs (checksum recomputed), so that
// mutations of a real exchange reach the states it reached.
//
// fuzz_server_core_faulty is this program against the core wrapped by the fault layer, with
// the switch GMP_SERVER_TEST_FAULT=NAME on (reference/server/faulty): it shows that the checks
// above catch a core that breaks them (docs/reliability.md, "Fuzzing the cores").
#include <fuzzer/FuzzedDataProvider.h>

#include <algorithm>
#include <bitset>
#include <cstdio>
#include <cstdlib>
#include <map>

#include "gmp/message.hpp"
#include "oracle.hpp"
#include "gmp/server/core.hpp"
#ifdef GMP_FAULTS
#include "faulty_server.hpp"
#endif

using namespace gmp;
using namespace gmp::server;

namespace {

using fuzz::violated;

Config small_config() {
  Config c;
  c.max_sessions = 6;
  c.max_pending_per_connection = 3;
  c.max_members = 24;
  c.max_connections = 8;
  c.pending_timeout = Millis{3000};
  return c;
}

std::unique_ptr<Server> make_server(FuzzedDataProvider& in) {
  auto random = std::make_unique<SeededRandom>(in.ConsumeIntegral<std::uint64_t>());
#ifdef GMP_FAULTS
  static const FaultSet faults = [] {
    FaultSet set;
    const char* name = std::getenv("GMP_SERVER_TEST_FAULT");
    const auto fault = parse_fault(name ? name : "");
    if (!fault) {
      std::fprintf(stderr, "fuzz_server_core_faulty: set GMP_SERVER_TEST_FAULT to a fault switch\n");
      std::exit(2);
    }
    set.set(*fault);
    return set;
  }();
  return make_faulty_server(small_config(), std::move(random), faults);
#else
  return std::make_unique<Server>(small_config(), std::move(random));
#endif
}

struct Program {
  explicit Program(FuzzedDataProvider& in) : in(in), owned(make_server(in)), srv(*owned) {}

  // What the program has learned from the server (so its messages can reach deep states).
  std::vector<SessionId> sessions{SessionId{0}};
  std::vector<UserId> users{UserId{0}};
  std::vector<std::uint32_t> rounds{0, 1};
  // Connections are ConnId 0..7 (conn() below); a bit each is cheaper than a std::set per step.
  std::bitset<8> open_conns;
  bool is_open(ConnId c) const { return open_conns.test(c.value % 8u); }
  void set_open(ConnId c, bool open) { open_conns.set(c.value % 8u, open); }

  Ipv4 peer(std::uint8_t k) const { return Ipv4{0x0A000001u + (k % 4)}; }
  ConnId conn(std::uint8_t k) const { return ConnId{k % 8u}; }
  Endpoint mm_from(std::uint8_t k) const {
    return Endpoint{peer(k), static_cast<std::uint16_t>(40000 + (k % 8))};
  }

  template <class T>
  const T& pick(const std::vector<T>& v) {
    return v[in.ConsumeIntegralInRange<std::size_t>(0, v.size() - 1)];
  }
  std::string name() {
    static const char* names[] = {"alice", "bob", "carol", "dave", "e"};
    return names[in.ConsumeIntegralInRange<int>(0, 4)];
  }

  SmMessage sm_message() {
    const SessionId s = pick(sessions);
    const UserId u = pick(users);
    switch (in.ConsumeIntegralInRange<int>(0, 5)) {
      case 0: return build::screq(name(), in.ConsumeBool());
      case 1: {
        SmMessage m = build::scinf(s, u, in.ConsumeBool(), in.ConsumeBool(), name(),
                                   in.ConsumeIntegral<std::uint16_t>());
        if (in.ConsumeBool())
          m.options.emplace_back(opt::Keepalive{KaUnits{in.ConsumeIntegral<std::uint8_t>()},
                                                KaUnits{in.ConsumeIntegral<std::uint8_t>()},
                                                in.ConsumeIntegral<std::uint8_t>()});
        const int base = in.ConsumeIntegralInRange<int>(0, 3), allow = in.ConsumeIntegralInRange<int>(0, 3);
        for (int i = 0; i < base; ++i) m.options.emplace_back(opt::BaseMember{name()});
        for (int i = 0; i < allow; ++i) m.options.emplace_back(opt::Allow{name()});
        if (in.ConsumeBool()) m.options.emplace_back(opt::AccessKey{{1, 2, 3}});
        return m;
      }
      case 2: {
        SmMessage m = build::srreq(s, name());
        if (in.ConsumeBool()) m.options.emplace_back(opt::AccessKey{{1, 2, 3}});
        return m;
      }
      case 3: return build::sjreq(s, u);
      case 4: return build::sareq(s, u, static_cast<std::uint16_t>(40000 + in.ConsumeIntegralInRange<int>(0, 7)));
      default: return build::sdreq(s, u);
    }
  }

  MmMessage mm_message() {
    const SessionId s = pick(sessions);
    const UserId u = pick(users);
    const auto type = static_cast<MemberType>(std::uint8_t{1} << in.ConsumeIntegralInRange<int>(0, 2));
    const Mode mode = in.ConsumeBool() ? Mode::open : Mode::closed;
    switch (in.ConsumeIntegralInRange<int>(0, 3)) {
      case 0: {
        std::optional<std::uint32_t> r;
        if (in.ConsumeBool()) r = pick(rounds);
        return build::kares(s, u, type, mode, r);
      }
      case 1: return build::uireq(s, u, type, mode);
      case 2: return build::lvreq(s, u, type, mode);
      default: return build::trreq(s, u, mode);
    }
  }

  /// Well-formed bytes, sometimes with one byte changed (checksum, flags, lengths...).
  std::vector<std::uint8_t> maybe_mutated(std::vector<std::uint8_t> b) {
    if (!b.empty() && in.ConsumeIntegralInRange<int>(0, 3) == 0) {
      b[in.ConsumeIntegralInRange<std::size_t>(0, b.size() - 1)] ^= in.ConsumeIntegral<std::uint8_t>();
    }
    return b;
  }

  void step() {
    const std::uint8_t k = in.ConsumeIntegral<std::uint8_t>();
    switch (in.ConsumeIntegralInRange<int>(0, 9)) {
      case 0:
        srv.handle_sm_opened(conn(k), peer(k), now);
        set_open(conn(k), true);
        break;
      case 1:
        srv.handle_sm_closed(conn(k), now);
        set_open(conn(k), false);
        break;
      case 2:
      case 3:
        if (!is_open(conn(k))) break;
        srv.handle_sm_bytes(conn(k), peer(k), maybe_mutated(encode(sm_message())), now);
        break;
      case 4:
      case 5: srv.handle_mm_bytes(mm_from(k), maybe_mutated(encode(mm_message())), now); break;
      case 6: {
        const auto raw = in.ConsumeBytes<std::uint8_t>(in.ConsumeIntegralInRange<std::size_t>(0, 80));
        if (in.ConsumeBool()) srv.handle_mm_bytes(mm_from(k), raw, now);
        else if (is_open(conn(k))) srv.handle_sm_bytes(conn(k), peer(k), raw, now);
        break;
      }
      case 7:
        now += Millis{in.ConsumeIntegralInRange<int>(0, 4000)};
        srv.handle_timeout(now);
        break;
      case 8:
        if (!is_open(conn(k))) break;
        if (in.ConsumeBool()) srv.handle_framing_error(conn(k), DecodeError::frame_too_large, now);
        else srv.handle_write_overflow(conn(k), now);
        set_open(conn(k), false);
        break;
      default: run_next_deadline(); break;
    }
    drain();
    check_state();
  }

  /// Jumps the clock exactly to the core's next deadline and runs its timers.
  void run_next_deadline() {
    if (auto d = srv.next_deadline()) {
      now = std::max(now, *d);
      srv.handle_timeout(now);
    }
  }

  void learn(const SmMessage& m) {
    if (m.session.value != 0 && sessions.size() < 16) sessions.push_back(m.session);
    if (m.user.value != 0 && users.size() < 32) users.push_back(m.user);
  }

  std::vector<Transmit> pending;  // polled by a caller that looked at them first

  std::optional<Transmit> next_action() {
    if (!pending.empty()) {
      Transmit a = std::move(pending.front());
      pending.erase(pending.begin());
      return a;
    }
    return srv.poll_transmit();
  }

  void drain() {
    std::size_t n = 0;
    while (auto a = next_action()) {
      if (++n > 200'000) violated("unbounded output for one input");
      if (const auto* s = std::get_if<SendSm>(&*a)) {
        // validate() encodes the message and decodes it strictly: "decodes and validates" at once.
        if (!validate(s->msg)) violated("SM sent that does not decode");
        learn(s->msg);
        if (s->msg.type == SmType::SCACC || s->msg.type == SmType::SRACC) set_open(s->conn, true);
      } else if (const auto* m = std::get_if<SendMm>(&*a)) {
        if (!validate(m->msg)) violated("MM sent that does not decode");
        if (m->msg.type == MmType::KAREQ && rounds.size() < 64) {
          for (const auto& o : m->msg.options)
            if (const auto* seq = std::get_if<opt::KaSeq>(&o)) rounds.push_back(seq->round);
        }
        if (m->msg.type == MmType::KDUPT) check_kdupt(*m);
      } else if (const auto* c = std::get_if<CloseConn>(&*a)) {
        set_open(c->conn, false);
      }
    }
  }

  void check_kdupt(const SendMm& k) {
    const auto members = srv.members(k.msg.session);
    const bool current = std::any_of(members.begin(), members.end(), [&](const MemberView& v) {
      return v.mm == k.to && v.state != MemberState::registered;
    });
    if (!current) violated("KDUPT to an address that is no joined or active member");
  }

  std::uint64_t checked_version = ~std::uint64_t{0};
  std::vector<std::uint16_t> ids;  // one session's user IDs, kept to reuse its storage

  void check_state() {
    if (srv.state_version() == checked_version) return;  // nothing the views show changed
    checked_version = srv.state_version();
    const auto views = srv.sessions();
    if (views.size() + srv.pending_count() > srv.config().max_sessions) violated("session bound");
    for (const auto& s : views) {
      const auto members = srv.members(s.id);
      if (members.size() > srv.config().max_members) violated("member bound");
      if (s.registered + s.joined + s.active != members.size()) violated("by-state counts");
      ids.clear();
      for (const auto& m : members) {
        ids.push_back(m.user.value);
        if (m.polled && !m.mm) violated("polled member without an MM address");
      }
      std::sort(ids.begin(), ids.end());
      if (std::adjacent_find(ids.begin(), ids.end()) != ids.end()) violated("user ID twice in a session");
    }
  }

  FuzzedDataProvider& in;
  std::unique_ptr<Server> owned;
  Server& srv;
  Time now = Time{} + std::chrono::hours(1);
};

/// Replays a recorded exchange (see the top of this file) through a Program's checks.
struct Replay {
  Program& p;
  std::map<std::uint16_t, std::uint16_t> sessions, users;  // recorded -> live
  std::map<std::uint8_t, SmMessage> last_answer;           // live, per peer
  std::map<std::uint8_t, std::uint32_t> last_round;        // live KA-SEQ of the last KAREQ, per peer
  std::bitset<8> answering;  // peers that answered the last KAREQ they got

  std::uint16_t live(std::map<std::uint16_t, std::uint16_t>& m, std::uint16_t v) {
    const auto it = m.find(v);
    return it == m.end() ? v : it->second;
  }

  void learn(std::uint8_t peer, std::span<const std::uint8_t> recorded) {
    SmMessage rec;
    const auto it = last_answer.find(peer);
    if (it == last_answer.end() || !decode_sm(recorded, rec) || rec.type != it->second.type) return;
    if (rec.session.value != 0) sessions[rec.session.value] = it->second.session.value;
    if (rec.user.value != 0) users[rec.user.value] = it->second.user.value;
  }

  void play(std::uint8_t dir, std::uint8_t peer, std::span<const std::uint8_t> bytes) {
    const ConnId c{peer % 8u};
    if (dir == 0) {
      SmMessage m;
      std::vector<std::uint8_t> out(bytes.begin(), bytes.end());
      if (decode_sm(bytes, m)) {
        m.session.value = live(sessions, m.session.value);
        m.user.value = live(users, m.user.value);
        for (auto& o : m.options)  // the peer's MM datagrams come from the target's own port
          if (auto* port = std::get_if<opt::MmPort>(&o)) port->port = p.mm_from(peer).port;
        out = encode(m);
      }
      if (!p.is_open(c)) {
        p.set_open(c, true);
        p.srv.handle_sm_opened(c, p.peer(peer), p.now);
      }
      p.srv.handle_sm_bytes(c, p.peer(peer), out, p.now);
    } else if (dir == 1) {
      MmMessage m;
      std::vector<std::uint8_t> out(bytes.begin(), bytes.end());
      if (decode_mm(bytes, m)) {
        m.session.value = live(sessions, m.session.value);
        m.user.value = live(users, m.user.value);
        // A KARES answers the last KAREQ the peer got (profile 6.1): the live round, which
        // the recorded one is not (the core draws its own first round).
        const auto round = last_round.find(static_cast<std::uint8_t>(peer % 8u));
        for (auto& o : m.options)
          if (auto* seq = std::get_if<opt::KaSeq>(&o); seq && m.type == MmType::KARES && round != last_round.end())
            seq->round = round->second;
        answering.set(peer % 8u, m.type == MmType::KARES);
        out = encode(m);
      }
      p.srv.handle_mm_bytes(p.mm_from(peer), out, p.now);
    } else if (dir == 2) {
      learn(peer, bytes);
      return;
    } else {
      p.now += Millis{bytes.empty() ? 100 : bytes[0] * 10};
      p.srv.handle_timeout(p.now);
    }
    // Keep the live answers per peer for learn(); then the usual checks.
    while (auto a = p.srv.poll_transmit()) {
      p.pending.push_back(*a);
      if (const auto* sm = std::get_if<SendSm>(&*a)) last_answer[static_cast<std::uint8_t>(sm->conn.value)] = sm->msg;
      if (const auto* mm = std::get_if<SendMm>(&*a); mm && mm->msg.type == MmType::KAREQ) {
        answering.reset(mm->to.port % 8u);
        for (const auto& o : mm->msg.options)
          if (const auto* seq = std::get_if<opt::KaSeq>(&o)) last_round[static_cast<std::uint8_t>(mm->to.port % 8u)] = seq->round;
      }
    }
    p.drain();
    p.check_state();
  }

  /// After the recording, the next deadline: the peers that last answered a KAREQ go on
  /// answering (Figure 24's creator does while another member times out), the others do not.
  void settle() {
    p.run_next_deadline();
    std::vector<std::pair<Endpoint, MmMessage>> answers;
    while (auto a = p.srv.poll_transmit()) {
      if (const auto* mm = std::get_if<SendMm>(&*a); mm && mm->msg.type == MmType::KAREQ && answering.test(mm->to.port % 8u)) {
        for (const auto& o : mm->msg.options)
          if (const auto* seq = std::get_if<opt::KaSeq>(&o))
            answers.emplace_back(mm->to, build::kares(mm->msg.session, mm->msg.user, static_cast<MemberType>(mm->msg.member_type),
                                                      static_cast<Mode>(mm->msg.mode), seq->round));
      }
      p.pending.push_back(std::move(*a));
    }
    for (const auto& [to, kares] : answers) p.srv.handle_mm_bytes(to, encode(kares), p.now);
    p.drain();
    p.check_state();
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > 0 && data[0] == 'R') {
    FuzzedDataProvider seed(data, 0);
    Program p(seed);
    Replay r{p, {}, {}, {}, {}, {}};
    std::size_t i = 1;
    for (int n = 0; n < 2000 && i + 4 <= size; ++n) {
      const std::size_t len = (std::size_t{data[i + 2]} << 8) | data[i + 3];
      if (i + 4 + len > size) break;
      r.play(data[i] % 4, data[i + 1], {data + i + 4, len});
      i += 4 + len;
    }
    // A capture ends with the peers' last message; what it leads to comes later (a member's
    // KA timer running out, then the new key by KDUPT of Figure 24): a few more deadlines.
    for (int n = 0; n < 6; ++n) r.settle();
    p.srv.shutdown(p.now);
    p.drain();
    return 0;
  }
  FuzzedDataProvider in(data, size);
  Program p(in);
  for (int i = 0; i < 400 && in.remaining_bytes() > 0; ++i) p.step();
  p.srv.shutdown(p.now);
  p.drain();
  return 0;
}
