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
  fuzz::check_partial_agrees(in, r, m, [](auto b, SmMessage& out) { return decode_sm_partial(b, out); });
  if (!r.ok()) return 0;

  const SmMessage again = fuzz::check_reencodes(m, size, [](auto b, SmMessage& out) { return decode_sm(b, out); });
  GMP_FUZZ_CHECK(sm_checksum_ok(encode(again)));
  auto a = json::describe(m);
  auto b = json::describe(again);
  a.erase("checksum");  // the input's checksum may be the 0xFFFF form
  b.erase("checksum");
  GMP_FUZZ_CHECK(a == b);
  return 0;
}
