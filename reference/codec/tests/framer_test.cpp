// The SM framer of profile section 1: a 2-byte length, then the message. Whole messages come out
// however the bytes are cut; need_more is not an error; a length below 16, not a multiple of 4
// or above the maximum is a framing error that sticks; what is buffered is bounded.
#include "gmp/framer.hpp"

#include <gtest/gtest.h>

#include "support.hpp"

namespace gmp {
namespace {

using B = std::vector<std::uint8_t>;
using Status = SmFramer::Status;

B framed_screq(const std::string& name) { return encode_framed(build::screq(name, false)); }

B take(SmFramer& f, Status want = Status::frame) {
  std::span<const std::uint8_t> frame;
  EXPECT_EQ(f.next(frame), want);
  return {frame.begin(), frame.end()};
}

TEST(Framer, OneByteAtATime) {
  const B wire = framed_screq("alice");
  SmFramer f;
  std::span<const std::uint8_t> frame;
  for (std::size_t i = 0; i + 1 < wire.size(); ++i) {
    ASSERT_TRUE(f.feed(std::span(wire).subspan(i, 1)));
    ASSERT_EQ(f.next(frame), Status::need_more) << "after byte " << i;
    EXPECT_FALSE(f.error());
  }
  ASSERT_TRUE(f.feed(std::span(wire).subspan(wire.size() - 1)));
  EXPECT_EQ(take(f), B(wire.begin() + 2, wire.end()));
  take(f, Status::need_more);
  EXPECT_EQ(f.buffered(), 0u);
}

TEST(Framer, SeveralMessagesInOneFeed) {
  B wire;
  std::vector<B> sent;
  for (const char* n : {"alice", "bob", "carol-with-a-longer-name", "d"}) {
    const B one = framed_screq(n);
    sent.emplace_back(one.begin() + 2, one.end());
    wire.insert(wire.end(), one.begin(), one.end());
  }
  const B half = framed_screq("erin");
  wire.insert(wire.end(), half.begin(), half.begin() + 7);  // and part of a fifth
  SmFramer f;
  ASSERT_TRUE(f.feed(wire));
  for (const auto& want : sent) {
    const B got = take(f);
    EXPECT_EQ(got, want);
    SmMessage m;
    EXPECT_TRUE(decode_sm(got, m));
  }
  take(f, Status::need_more);
  ASSERT_TRUE(f.feed(std::span(half).subspan(7)));
  EXPECT_EQ(take(f), B(half.begin() + 2, half.end()));
}

TEST(Framer, LengthBelowSixteen) {
  for (std::uint8_t len : {0, 4, 12, 15}) {
    SmFramer f;
    ASSERT_TRUE(f.feed(B{0x00, len}));
    take(f, Status::error);
    EXPECT_EQ(f.error(), make_error_code(DecodeError::frame_too_short)) << int(len);
  }
}

TEST(Framer, LengthNotAMultipleOfFour) {
  SmFramer f;
  ASSERT_TRUE(f.feed(B{0x00, 18}));  // the error shows as soon as the prefix is in
  take(f, Status::error);
  EXPECT_EQ(f.error(), make_error_code(DecodeError::frame_not_aligned));
}

TEST(Framer, AboveTheMaximum) {
  SmFramer f;  // default maximum: 4096 (profile 1)
  ASSERT_TRUE(f.feed(B{0x10, 0x04}));  // 4100
  take(f, Status::error);
  EXPECT_EQ(f.error(), make_error_code(DecodeError::frame_too_large));

  SmFramer exact;
  B big{0x10, 0x00};  // exactly 4096 is allowed
  big.resize(2 + 4096);
  ASSERT_TRUE(exact.feed(big));
  EXPECT_EQ(take(exact).size(), 4096u);

  SmFramer small(64);
  ASSERT_TRUE(small.feed(B{0x00, 68}));
  take(small, Status::error);
  EXPECT_EQ(small.error(), make_error_code(DecodeError::frame_too_large));
}

TEST(Framer, ErrorSticksAndHidesLaterFrames) {
  SmFramer f;
  ASSERT_TRUE(f.feed(B{0x00, 0x08}));
  take(f, Status::error);
  const B good = framed_screq("alice");
  f.feed(good);
  take(f, Status::error);
  EXPECT_EQ(f.error(), make_error_code(DecodeError::frame_too_short));
}

TEST(Framer, GoodFramesBeforeABadOneStillComeOut) {
  B wire = framed_screq("alice");
  wire.insert(wire.end(), {0x00, 0x11});
  SmFramer f;
  ASSERT_TRUE(f.feed(wire));
  EXPECT_EQ(take(f).size(), 24u);
  take(f, Status::error);
}

TEST(Framer, NeedMoreIsNotAnError) {
  SmFramer f;
  take(f, Status::need_more);  // nothing yet
  ASSERT_TRUE(f.feed(B{0x00}));
  take(f, Status::need_more);  // half a prefix
  ASSERT_TRUE(f.feed(B{0x18, 0x14}));
  take(f, Status::need_more);  // a prefix and one byte of 24
  EXPECT_FALSE(f.error());
}

TEST(Framer, BufferedBytesAreBounded) {
  SmFramer f(64);
  EXPECT_EQ(f.buffered_limit(), 4u * (64 + 2));
  const B frame = framed_screq("alice");  // 26 bytes framed
  std::size_t fed = 0;
  while (f.feed(frame)) fed += frame.size();
  EXPECT_LE(fed, f.buffered_limit());
  EXPECT_GT(fed + frame.size(), f.buffered_limit());
  EXPECT_LE(f.buffered(), f.buffered_limit());
  // Draining one message makes room for one more.
  EXPECT_EQ(take(f).size(), 24u);
  EXPECT_TRUE(f.feed(frame));
  // A single feed larger than the limit is refused outright.
  SmFramer g(64);
  EXPECT_FALSE(g.feed(B(g.buffered_limit() + 1, 0)));
  EXPECT_EQ(g.buffered(), 0u);
}

TEST(Framer, LongStreamStaysBoundedWhileDraining) {
  SmFramer f;
  const B frame = framed_screq("alice");
  for (int i = 0; i < 10000; ++i) {
    ASSERT_TRUE(f.feed(std::span(frame).first(10)));
    take(f, Status::need_more);
    ASSERT_TRUE(f.feed(std::span(frame).subspan(10)));
    ASSERT_EQ(take(f).size(), 24u);
    ASSERT_LE(f.buffered(), f.buffered_limit());
  }
  EXPECT_EQ(f.buffered(), 0u);
}

}  // namespace
}  // namespace gmp
