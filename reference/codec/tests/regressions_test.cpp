// Regressions found by review of the codec: each test names what went wrong before the fix.
#include <gtest/gtest.h>

#include "gmp/framer.hpp"
#include "gmp/message.hpp"

namespace gmp {
namespace {

// A too-short message used to leave the previous decode's options in `out`.
TEST(Regressions, TooShortClearsOptionsOfThePreviousDecode) {
  SmMessage sm;
  ASSERT_TRUE(decode_sm(encode(build::screq("alice", false)), sm));
  ASSERT_EQ(sm.options.size(), 1u);
  const std::vector<std::uint8_t> short_bytes(8, 0);
  EXPECT_EQ(decode_sm(short_bytes, sm).error, make_error_code(DecodeError::too_short));
  EXPECT_TRUE(sm.options.empty());

  MmMessage mm;
  ASSERT_TRUE(decode_mm(encode(build::kares(SessionId{1}, UserId{2}, MemberType::participant,
                                            Mode::open, 3u)),
                        mm));
  ASSERT_EQ(mm.options.size(), 1u);
  EXPECT_EQ(decode_mm(short_bytes, mm).error, make_error_code(DecodeError::too_short));
  EXPECT_TRUE(mm.options.empty());
}

// validate() used to accept values that encode() silently cuts to what a length byte holds.
TEST(Regressions, ValidateRejectsWhatTheEncoderWouldCut) {
  EXPECT_EQ(validate(build::screq(std::string(256, 'a'), false)).error,
            make_error_code(DecodeError::bad_option_size));
  EXPECT_TRUE(validate(build::screq(std::string(255, 'a'), false)));

  build::MmContext c{SessionId{1}, Mode::closed, 5004, Ipv4{0xEFFF0001}, KaUnits{10}, KaUnits{5}};
  MmMessage m = build::uires(c, UserId{1}, MemberType::creator, {}, std::nullopt).front();
  opt::MemberList list;
  list.entries.resize(64, opt::MemberEntry{UserId{7}, 1});
  m.options.emplace_back(list);
  EXPECT_EQ(validate(m).error, make_error_code(DecodeError::bad_option_size));
  std::get<opt::MemberList>(m.options.back()).entries.resize(63);
  EXPECT_TRUE(validate(m));

  SmMessage key = build::srreq(SessionId{1}, "bob");
  key.options.emplace_back(opt::AccessKey{std::vector<std::uint8_t>(65, 1)});
  EXPECT_EQ(validate(key).error, make_error_code(DecodeError::bad_option_size));
}

// A pipelining peer: reading at most room() bytes at a time, with frames taken out in between,
// never trips the buffer bound however many messages arrive.
TEST(Regressions, ReadingRoomBytesAtATimeNeverRefusesAPipeliningPeer) {
  SmFramer framer(64);
  std::vector<std::uint8_t> stream;
  for (int i = 0; i < 1000; ++i) {
    const auto f = encode_framed(build::sjreq(SessionId{9}, UserId{static_cast<std::uint16_t>(i)}));
    stream.insert(stream.end(), f.begin(), f.end());
  }
  std::size_t pos = 0;
  int frames = 0;
  while (pos < stream.size()) {
    const std::size_t n = std::min(framer.room(), stream.size() - pos);
    ASSERT_GT(n, 0u);
    ASSERT_TRUE(framer.feed(std::span(stream).subspan(pos, n)));
    pos += n;
    std::span<const std::uint8_t> frame;
    while (framer.next(frame) == SmFramer::Status::frame) ++frames;
  }
  EXPECT_EQ(frames, 1000);
  EXPECT_FALSE(framer.feed(std::vector<std::uint8_t>(framer.room() + 1, 0)));
}

}  // namespace
}  // namespace gmp
