// Encode + decode of typical GMP messages (performance goal, docs/performance.md: <= 50 ns per message for the
// keepalive messages). Buffers and message structs are reused across iterations, as a server
// loop would reuse them; the figures are reported in docs/codec.md.
#include <benchmark/benchmark.h>

#include "gmp/message.hpp"

namespace gmp {
namespace {

const build::MmContext ctx{SessionId{0x3a5c}, Mode::closed, 5004, Ipv4{0xefff0a14}, KaUnits{10},
                           KaUnits{5}};

MmMessage kareq() { return build::kareq(ctx, UserId{0xc0de}, MemberType::participant, 7); }
MmMessage kares() {
  return build::kares(SessionId{0x3a5c}, UserId{0xc0de}, MemberType::participant, Mode::closed, 7);
}
MmMessage uires63() {
  std::vector<opt::MemberEntry> members;
  for (std::uint16_t u = 1; u <= 63; ++u) members.push_back({UserId{u}, 1});
  return build::uires(ctx, UserId{0xc0de}, MemberType::participant, members, std::nullopt).at(0);
}
SmMessage srreq() { return build::srreq(SessionId{0x3a5c}, "bob"); }
SmMessage scinf() {
  SmMessage m = build::scinf(SessionId{0x3a5c}, UserId{0x1f2e}, true, true, "standup", 5004,
                             Ipv4{0xefff0a14});
  m.options.emplace_back(opt::Keepalive{KaUnits{20}, KaUnits{8}, 3});
  m.options.emplace_back(opt::BaseMember{"carol"});
  m.options.emplace_back(opt::Allow{"bob"});
  m.options.emplace_back(opt::AccessKey{{0xde, 0xad, 0xbe, 0xef}});
  return m;
}

template <class Msg>
void round_trip(benchmark::State& state, const Msg& m) {
  std::vector<std::uint8_t> wire;
  wire.reserve(2048);
  Msg out;
  for (auto _ : state) {
    wire.clear();
    if constexpr (std::is_same_v<Msg, SmMessage>) {
      encode_sm(m, wire);
      benchmark::DoNotOptimize(decode_sm(wire, out));
    } else {
      encode_mm(m, wire);
      benchmark::DoNotOptimize(decode_mm(wire, out));
    }
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(wire.size()));
}

template <class Msg>
void encode_only(benchmark::State& state, const Msg& m) {
  std::vector<std::uint8_t> wire;
  wire.reserve(2048);
  for (auto _ : state) {
    wire.clear();
    if constexpr (std::is_same_v<Msg, SmMessage>) encode_sm(m, wire);
    else encode_mm(m, wire);
    benchmark::DoNotOptimize(wire.data());
  }
}

template <class Msg>
void decode_only(benchmark::State& state, const Msg& m) {
  const auto wire = encode(m);
  Msg out;
  for (auto _ : state) {
    if constexpr (std::is_same_v<Msg, SmMessage>) benchmark::DoNotOptimize(decode_sm(wire, out));
    else benchmark::DoNotOptimize(decode_mm(wire, out));
  }
}

void checksum_24(benchmark::State& state) {
  const auto wire = encode(srreq());
  for (auto _ : state) benchmark::DoNotOptimize(internet_checksum(wire));
}

BENCHMARK_CAPTURE(round_trip, KAREQ, kareq());
BENCHMARK_CAPTURE(round_trip, KARES, kares());
BENCHMARK_CAPTURE(round_trip, SRREQ, srreq());
BENCHMARK_CAPTURE(round_trip, SCINF, scinf());
BENCHMARK_CAPTURE(round_trip, UIRES_63, uires63());
BENCHMARK_CAPTURE(encode_only, KAREQ, kareq());
BENCHMARK_CAPTURE(decode_only, KAREQ, kareq());
BENCHMARK_CAPTURE(encode_only, KARES, kares());
BENCHMARK_CAPTURE(decode_only, KARES, kares());
BENCHMARK_CAPTURE(decode_only, UIRES_63, uires63());
BENCHMARK(checksum_24);

}  // namespace
}  // namespace gmp

BENCHMARK_MAIN();
