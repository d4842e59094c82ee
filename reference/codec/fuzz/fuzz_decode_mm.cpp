// libFuzzer target for decode_mm (profile sections 3, 4, 7): whatever decodes re-encodes to
// bytes that decode to the same message, no longer than the input; validate() agrees; the JSON
// description of any input never throws.
#include <cstdint>
#include <span>

#include "gmp/json.hpp"
#include "gmp/message.hpp"
#include "oracle.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace gmp;
  const std::span<const std::uint8_t> in(data, size);
  (void)json::describe_mm_bytes(in).dump();

  MmMessage m;
  const DecodeResult r = decode_mm(in, m);
  GMP_FUZZ_CHECK(r.ok() || r.offset < (size < 16 ? 1 : size));
  fuzz::check_partial_agrees(in, r, m, [](auto b, MmMessage& out) { return decode_mm_partial(b, out); });
  if (!r.ok()) return 0;

  const MmMessage again = fuzz::check_reencodes(m, size, [](auto b, MmMessage& out) { return decode_mm(b, out); });
  GMP_FUZZ_CHECK(json::describe(m) == json::describe(again));
  return 0;
}
