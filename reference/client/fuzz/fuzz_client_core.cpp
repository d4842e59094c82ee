// libFuzzer target for the client core: the input is read as a program in which the fuzzer
// plays the server (well-formed answers built around the IDs the client uses, mutated ones,
// raw bytes), the user (commands) and the clock. After every input:
//   - everything the client sends decodes and validates (profile 2, 3);
//   - a KARES echoes the KA-SEQ of a KAREQ the client received, or carries none (6.1);
//   - an installed key is newer than the one it replaces, as a serial number (6.6);
//   - nothing is sent on MM after the membership ended (TRIND, SDRES);
//   - the event queue stays within its bound.
// A violated invariant aborts, which libFuzzer reports as a crash with the input saved.
#include <fuzzer/FuzzedDataProvider.h>

#include <cstdio>
#include <cstdlib>
#include <set>

#include "gmp/client/core.hpp"
#include "gmp/message.hpp"
#include "oracle.hpp"

using namespace gmp;
using namespace gmp::client;

namespace {

using fuzz::violated;

struct Program {
  explicit Program(FuzzedDataProvider& in)
      : in(in), core(in.ConsumeBool() ? Role::creator : Role::participant, Timing{}) {}

  SessionId session() {
    if (in.ConsumeIntegralInRange<int>(0, 7) == 0) return SessionId{in.ConsumeIntegral<std::uint16_t>()};
    return core.session().value != 0 ? core.session() : SessionId{0x1234};
  }
  UserId user() {
    if (in.ConsumeIntegralInRange<int>(0, 7) == 0) return UserId{in.ConsumeIntegral<std::uint16_t>()};
    return core.user().value != 0 ? core.user() : UserId{0x0042};
  }
  bool flag() { return in.ConsumeBool(); }
  Reason reason() { return static_cast<Reason>(in.ConsumeIntegralInRange<int>(0, 6)); }
  opt::GroupKey key() {
    opt::GroupKey k;
    k.epoch = in.ConsumeIntegral<std::uint16_t>();
    k.key.assign(in.ConsumeBool() ? 16 : in.ConsumeIntegralInRange<std::size_t>(0, 20), 0xAB);
    return k;
  }
  build::MmContext context() {
    build::MmContext c;
    c.session = session();
    c.mode = flag() ? Mode::open : Mode::closed;
    c.group_port = 5004;
    c.group_address = Ipv4{0xEFFF0A14};
    c.ka_period = KaUnits{in.ConsumeIntegralInRange<std::uint8_t>(0, 20)};
    c.ka_timeout = KaUnits{in.ConsumeIntegralInRange<std::uint8_t>(0, 20)};
    return c;
  }

  SmMessage server_sm() {
    const Ipv4 group{0xEFFF0A14};
    switch (in.ConsumeIntegralInRange<int>(0, 8)) {
      case 0: return build::scacc(session(), user(), flag());
      case 1: return build::screj(reason(), flag());
      case 2: return build::sccon(session(), user(), flag(), flag(), 5004, group);
      case 3: return build::srres(session(), flag(), flag());
      case 4: return build::sracc(session(), user(), flag(), flag(), 5004, group);
      case 5: return build::srrej(session(), reason(), flag(), flag());
      case 6: {
        const auto k = key();
        return build::sjres(session(), user(), flag(), flag(), 5004, group, flag() ? &k : nullptr);
      }
      default: return build::sdres(session(), user(), reason(), flag(), flag());
    }
  }

  std::vector<std::uint8_t> server_mm() {
    const auto type = static_cast<MemberType>(std::uint8_t{1} << in.ConsumeIntegralInRange<int>(0, 2));
    switch (in.ConsumeIntegralInRange<int>(0, 3)) {
      case 0: return encode(build::kareq(context(), user(), type, in.ConsumeIntegralInRange<std::uint32_t>(0, 40)));
      case 1: {
        MmMessage t = build::trind(context(), user(), type);
        t.ss = flag() || flag();
        return encode(t);
      }
      case 2: return encode(build::kdupt(context(), user(), type, key()));
      default: {
        std::vector<opt::MemberEntry> members;
        const int n = in.ConsumeIntegralInRange<int>(0, 130);
        for (int i = 0; i < n; ++i) members.push_back(opt::MemberEntry{UserId{static_cast<std::uint16_t>(i + 1)}, 1});
        std::optional<std::uint32_t> count;
        if (flag()) count = in.ConsumeIntegral<std::uint32_t>();
        auto parts = build::uires(context(), user(), type, members, count);
        const auto k = in.ConsumeIntegralInRange<std::size_t>(0, parts.size() - 1);
        return encode(parts[k]);
      }
    }
  }

  std::vector<std::uint8_t> maybe_mutated(std::vector<std::uint8_t> b) {
    if (!b.empty() && in.ConsumeIntegralInRange<int>(0, 3) == 0)
      b[in.ConsumeIntegralInRange<std::size_t>(0, b.size() - 1)] ^= in.ConsumeIntegral<std::uint8_t>();
    return b;
  }

  void command() {
    switch (in.ConsumeIntegralInRange<int>(0, 8)) {
      case 0: {
        CreateParams p;
        p.client_name = "creator";
        p.secure = flag();
        p.closed = flag();
        core.create(p, now);
        break;
      }
      case 1: {
        RegisterParams p;
        p.session = session();
        p.client_name = "member";
        core.register_to(p, now);
        break;
      }
      case 2: core.join(now); break;
      case 3: core.activate(static_cast<std::uint16_t>(40000 + in.ConsumeIntegralInRange<int>(0, 3)), now); break;
      case 4: core.request_members(now); break;
      case 5: core.leave(now); break;
      case 6: core.terminate(now); break;
      case 7: core.remove(now); break;
      default: core.set_muted(flag()); break;
    }
  }

  void step() {
    switch (in.ConsumeIntegralInRange<int>(0, 7)) {
      case 0: command(); break;
      case 1:
      case 2: core.handle_sm_bytes(maybe_mutated(encode(server_sm())), now); break;
      case 3:
      case 4: {
        const auto d = maybe_mutated(server_mm());
        if (d.size() >= 24 && d[0] == 0x11 && d[16] == 19) {  // a KAREQ with KA-SEQ first
          rounds.insert((std::uint32_t{d[18]} << 24) | (std::uint32_t{d[19]} << 16) |
                        (std::uint32_t{d[20]} << 8) | d[21]);
        }
        core.handle_mm_bytes(d, now);
        break;
      }
      case 5: {
        const auto raw = in.ConsumeBytes<std::uint8_t>(in.ConsumeIntegralInRange<std::size_t>(0, 80));
        if (flag()) core.handle_mm_bytes(raw, now);
        else core.handle_sm_bytes(raw, now);
        break;
      }
      case 6:
        now += std::chrono::milliseconds{in.ConsumeIntegralInRange<int>(0, 6000)};
        core.handle_timeout(now);
        break;
      default:
        if (flag()) {
          core.handle_sm_closed(now);
        } else if (auto d = core.next_deadline()) {
          now = std::max(now, *d);
          core.handle_timeout(now);
        }
        break;
    }
    drain();
  }

  void drain() {
    std::size_t n = 0;
    while (auto t = core.poll_transmit()) {
      if (++n > 10'000) violated("unbounded output for one input");
      if (t->channel == Channel::sm) {
        SmMessage m;
        if (!decode_sm(t->bytes, m) || !validate(m)) violated("SM sent that does not decode");
      } else {
        MmMessage m;
        if (!decode_mm(t->bytes, m) || !validate(m)) violated("MM sent that does not decode");
        if (ended) violated("MM sent after the membership ended");
        if (m.type == MmType::KARES) {
          for (const auto& o : m.options)
            if (const auto* seq = std::get_if<opt::KaSeq>(&o); seq && rounds.count(seq->round) == 0)
              violated("KARES echoes a KA-SEQ no KAREQ carried");
        }
      }
    }
    std::size_t events = 0;
    while (auto e = core.poll_event()) {
      if (++events > max_queued_events + 1) violated("event queue above its bound");
      if (e->kind == EventKind::key) {
        if (epoch != 0 && !epoch_newer(e->epoch, epoch)) violated("installed a key that is not newer");
        epoch = e->epoch;
      }
      if (e->kind == EventKind::state && (e->to == State::ended || e->to == State::failed)) ended = true;
      if (e->kind == EventKind::state && e->to != State::ended && e->to != State::failed) ended = false;
    }
  }

  FuzzedDataProvider& in;
  ClientCore core;
  Time now = Time{} + std::chrono::hours(1);
  std::set<std::uint32_t> rounds;
  std::uint16_t epoch = 0;
  bool ended = false;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  FuzzedDataProvider in(data, size);
  Program p(in);
  for (int i = 0; i < 300 && in.remaining_bytes() > 0; ++i) p.step();
  return 0;
}
