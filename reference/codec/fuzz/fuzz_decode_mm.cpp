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
  // The partial decode (gmp-decode's path) reports the same first error, at the same offset,
  // and reads at least the options the strict one did.
  MmMessage partial;
  const DecodeResult rp = decode_mm_partial(in, partial);
  GMP_FUZZ_CHECK(rp.error == r.error && rp.offset == r.offset);
  GMP_FUZZ_CHECK(partial.options.size() >= m.options.size());
  if (!r.ok()) return 0;

  GMP_FUZZ_CHECK(validate(m).ok());
  const auto wire = encode(m);
  GMP_FUZZ_CHECK(wire.size() <= size && wire.size() % 4 == 0);
  MmMessage again;
  GMP_FUZZ_CHECK(decode_mm(wire, again).ok());
  GMP_FUZZ_CHECK(json::describe(m) == json::describe(again));
  GMP_FUZZ_CHECK(encode(again) == wire);
  return 0;
}
