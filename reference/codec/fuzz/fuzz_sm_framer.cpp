// libFuzzer target for SmFramer (profile section 1). The input is a TCP byte stream; the first
// byte picks the maximum message size (16..1024) and how the stream is cut into reads. The oracle: the
// frames (and the final verdict) are the same however the stream is cut, and the same as a
// plain walk over the length prefixes; what is buffered never exceeds the limit; every frame
// is then decoded (and, when valid, round-tripped) like fuzz_decode_sm does.
#include <algorithm>
#include <cstdint>
#include <span>
#include <vector>

#include "gmp/framer.hpp"
#include "gmp/message.hpp"
#include "oracle.hpp"

namespace {

using Frames = std::vector<std::vector<std::uint8_t>>;
using gmp::SmFramer;

struct Outcome {
  Frames frames;
  SmFramer::Status last = SmFramer::Status::need_more;
  std::error_code error;
  bool refused = false;  // feed() returned false (buffer limit)
};

void drain(SmFramer& f, Outcome& o) {
  std::span<const std::uint8_t> frame;
  for (;;) {
    o.last = f.next(frame);
    if (o.last != SmFramer::Status::frame) break;
    o.frames.emplace_back(frame.begin(), frame.end());
  }
  o.error = f.error();
  GMP_FUZZ_CHECK((o.last == SmFramer::Status::error) == static_cast<bool>(o.error));
}

Outcome run(std::span<const std::uint8_t> stream, std::size_t max, std::uint8_t cut) {
  SmFramer f(max);
  Outcome o;
  std::uint32_t state = cut | 1u;
  std::size_t pos = 0;
  while (pos < stream.size() && o.last != SmFramer::Status::error) {
    std::size_t n = stream.size() - pos;
    if (cut) {
      state = state * 1103515245u + 12345u;
      n = std::min<std::size_t>(n, 1 + (state >> 16) % 64);
    }
    if (!f.feed(stream.subspan(pos, n))) {
      o.refused = true;
      break;
    }
    GMP_FUZZ_CHECK(f.buffered() <= f.buffered_limit());
    pos += n;
    drain(f, o);
  }
  return o;
}

// What the stream holds, read directly: frames until the first bad or incomplete prefix.
Outcome reference(std::span<const std::uint8_t> s, std::size_t max) {
  Outcome o;
  std::size_t pos = 0;
  while (s.size() - pos >= 2) {
    const std::size_t len = (std::size_t{s[pos]} << 8) | s[pos + 1];
    if (len < 16 || len % 4 || len > max) {
      o.last = SmFramer::Status::error;
      o.error = make_error_code(len < 16   ? gmp::DecodeError::frame_too_short
                                : len % 4 ? gmp::DecodeError::frame_not_aligned
                                          : gmp::DecodeError::frame_too_large);
      return o;
    }
    if (s.size() - pos - 2 < len) break;
    o.frames.emplace_back(s.begin() + pos + 2, s.begin() + pos + 2 + len);
    pos += 2 + len;
  }
  return o;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  const std::size_t max = 16 + 16 * static_cast<std::size_t>(data[0] & 0x3f);  // 16..1024
  const std::span<const std::uint8_t> stream(data + 1, size - 1);
  {
    // A single read larger than the buffered limit is refused, and nothing is kept.
    SmFramer f(max);
    if (stream.size() > f.buffered_limit()) {
      GMP_FUZZ_CHECK(!f.feed(stream) && f.buffered() == 0);
      return 0;
    }
  }
  // Within the limit, the cut never matters: every feed is accepted.
  const Outcome whole = run(stream, max, 0);
  const Outcome pieces = run(stream, max, static_cast<std::uint8_t>(data[0] | 0x80));
  const Outcome want = reference(stream, max);
  GMP_FUZZ_CHECK(!whole.refused && !pieces.refused);
  GMP_FUZZ_CHECK(whole.frames == want.frames && whole.error == want.error);
  GMP_FUZZ_CHECK(pieces.frames == want.frames && pieces.error == want.error);

  for (const auto& frame : whole.frames) {
    GMP_FUZZ_CHECK(frame.size() >= 16 && frame.size() % 4 == 0 && frame.size() <= max);
    gmp::SmMessage m;
    if (!gmp::decode_sm(frame, m)) continue;
    const auto wire = gmp::encode(m);
    gmp::SmMessage again;
    GMP_FUZZ_CHECK(gmp::decode_sm(wire, again).ok());
    GMP_FUZZ_CHECK(gmp::encode(again) == wire);
  }
  return 0;
}
