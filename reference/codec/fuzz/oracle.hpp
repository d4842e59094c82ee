// Checks shared by the fuzz targets (the codec's and the protocol cores'): a failed check
// aborts, which libFuzzer reports as a crash with the input that caused it.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <span>

#include "gmp/message.hpp"

#define GMP_FUZZ_CHECK(cond)                                                          \
  do {                                                                                \
    if (!(cond)) {                                                                    \
      std::fprintf(stderr, "%s:%d: oracle failed: %s\n", __FILE__, __LINE__, #cond); \
      std::abort();                                                                   \
    }                                                                                 \
  } while (0)

namespace gmp::fuzz {

/// An invariant of a core did not hold: say which, then abort.
[[noreturn]] inline void violated(const char* what) {
  std::fprintf(stderr, "invariant violated: %s\n", what);
  std::abort();
}

/// The partial decode (gmp-decode's path) reports the same first error as the strict one, at
/// the same offset, and reads at least the options the strict one did.
template <class Message, class PartialDecode>
void check_partial_agrees(std::span<const std::uint8_t> in, const DecodeResult& strict,
                          const Message& strict_message, PartialDecode partial_decode) {
  Message partial;
  const DecodeResult rp = partial_decode(in, partial);
  GMP_FUZZ_CHECK(rp.error == strict.error && rp.offset == strict.offset);
  GMP_FUZZ_CHECK(partial.options.size() >= strict_message.options.size());
}

/// A message that decoded validates, re-encodes to no more bytes than it came in (32-bit
/// aligned), and those bytes decode again; returns that second decoding.
template <class Message, class Decode>
Message check_reencodes(const Message& m, std::size_t in_size, Decode decode) {
  GMP_FUZZ_CHECK(validate(m).ok());
  const auto wire = encode(m);
  GMP_FUZZ_CHECK(wire.size() <= in_size && wire.size() % 4 == 0);
  Message again;
  GMP_FUZZ_CHECK(decode(wire, again).ok());
  GMP_FUZZ_CHECK(encode(again) == wire);
  return again;
}

}  // namespace gmp::fuzz
