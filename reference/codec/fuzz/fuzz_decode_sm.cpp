// libFuzzer target for decode_sm (profile sections 2, 4, 7). The oracle: whatever decodes
// re-encodes to bytes that decode to the same message (same JSON description, same bytes again),
// with a checksum that verifies, no longer than the input; validate() agrees with decode; the
// JSON description of any input never throws.
#include <cstdint>
#include <span>

#include "gmp/json.hpp"
#include "gmp/message.hpp"
#include "oracle.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace gmp;
  const std::span<const std::uint8_t> in(data, size);
  (void)json::describe_sm_bytes(in).dump();  // gmp-decode's path: must never throw

  SmMessage m;
  const DecodeResult r = decode_sm(in, m);
  SmMessage unchecked;
  const DecodeResult ru = decode_sm(in, unchecked, DecodeFlags{.verify_checksum = false});
  // Skipping the checksum changes nothing but the bad_checksum verdict.
  if (r.ok() || r.error != make_error_code(DecodeError::bad_checksum))
    GMP_FUZZ_CHECK(ru.error == r.error && ru.offset == r.offset);
  GMP_FUZZ_CHECK(r.ok() || r.offset < (size < 16 ? 1 : size));
  // The partial decode (gmp-decode's path) reports the same first error, at the same offset,
  // and reads at least the options the strict one did.
  SmMessage partial;
  const DecodeResult rp = decode_sm_partial(in, partial);
  GMP_FUZZ_CHECK(rp.error == r.error && rp.offset == r.offset);
  GMP_FUZZ_CHECK(partial.options.size() >= m.options.size());
  if (!r.ok()) return 0;

  GMP_FUZZ_CHECK(validate(m).ok());
  const auto wire = encode(m);
  GMP_FUZZ_CHECK(wire.size() <= size && wire.size() % 4 == 0);
  GMP_FUZZ_CHECK(sm_checksum_ok(wire));
  SmMessage again;
  GMP_FUZZ_CHECK(decode_sm(wire, again).ok());
  auto a = json::describe(m);
  auto b = json::describe(again);
  a.erase("checksum");  // the input's checksum may be the 0xFFFF form
  b.erase("checksum");
  GMP_FUZZ_CHECK(a == b);
  GMP_FUZZ_CHECK(encode(again) == wire);
  return 0;
}
