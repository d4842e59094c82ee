// One test per invalid-input reason of profile section 7 (docs/json-format.md names): the exact
// DecodeError and the byte offset decode reports (the field's byte for header problems, the
// option's first byte for option problems, 0 for a missing option or a short message).
#include <gtest/gtest.h>

#include <map>
#include <set>

#include "support.hpp"

namespace gmp {
namespace {

// Every invalid vector of vectors.json, with the offset decode must report.
const std::map<std::string, std::size_t> offsets = {
    {"sm-too-short-empty", 0}, {"sm-too-short-12", 0}, {"sm-not-aligned-17", 0},
    {"sm-not-aligned-18", 0}, {"sm-bad-version-0", 0}, {"sm-bad-version-2", 0},
    {"sm-bad-version-15", 0}, {"sm-bad-checksum-field", 2}, {"sm-bad-checksum-payload", 2},
    {"sm-unknown-type-0", 1}, {"sm-unknown-type-15", 1}, {"sm-unknown-type-255", 1},
    {"sm-truncated-option-value", 16}, {"sm-truncated-second-option", 24},
    {"sm-duplicate-client-name", 24}, {"sm-duplicate-keepalive", 32},
    {"sm-duplicate-session-name", 24}, {"sm-duplicate-reason", 20},
    {"sm-duplicate-foreign-option", 24}, {"sm-bad-size-client-name-0", 16},
    {"sm-bad-size-session-name-0", 16}, {"sm-bad-size-base-member-0", 24},
    {"sm-bad-size-allow-0", 32}, {"sm-bad-size-group-key-empty", 16}, {"sm-bad-size-start-time-4", 24},
    {"sm-bad-size-end-time-9", 24}, {"sm-bad-size-keepalive-2", 16},
    {"sm-bad-size-keepalive-4", 16}, {"sm-bad-size-access-key-0", 24},
    {"sm-bad-size-access-key-65", 24}, {"sm-bad-size-mm-port-1", 16},
    {"sm-bad-size-mm-port-4", 16}, {"sm-bad-size-reason-0", 16}, {"sm-bad-size-reason-2", 16},
    {"sm-bad-size-group-key-1", 16}, {"sm-bad-size-group-key-mismatch", 16},
    {"sm-bad-value-mm-port-0", 16}, {"sm-invalid-utf8-client-name", 16},
    {"sm-invalid-utf8-session-info-surrogate", 24}, {"sm-invalid-utf8-owner-info-overlong", 24},
    {"sm-missing-client-name-screq", 0},
    {"sm-missing-client-name-srreq", 0}, {"sm-missing-mm-port-sareq", 0},
    {"sm-missing-reason-screj", 0}, {"sm-missing-reason-srrej", 0},
    {"sm-missing-reason-sdres", 0}, {"sm-missing-group-key-sjres-secure", 0},
    {"sm-flag-scinf-without-i", 0}, {"sm-flag-i-in-screq", 0}, {"sm-flag-i-in-sccon", 0},
    {"mm-too-short-empty", 0}, {"mm-too-short-12", 0}, {"mm-not-aligned-18", 0},
    {"mm-not-aligned-19", 0}, {"mm-bad-version-0", 0}, {"mm-bad-version-2", 0},
    {"mm-unknown-type-0", 0}, {"mm-unknown-type-9", 0}, {"mm-unknown-type-15", 0},
    {"mm-bad-mode-00", 1}, {"mm-bad-mode-11", 1}, {"mm-flag-ui-in-kareq", 1},
    {"mm-flag-uires-without-ui", 1}, {"mm-flag-ss-in-kares", 1},
    {"mm-flag-trind-without-ss", 1}, {"mm-truncated-ka-seq", 16},
    {"mm-truncated-member-list", 20}, {"mm-duplicate-ka-seq", 24},
    {"mm-duplicate-list-part", 20}, {"mm-duplicate-member-count", 28},
    {"mm-duplicate-group-key", 36}, {"mm-bad-size-ka-seq-2", 16},
    {"mm-bad-size-member-count-2", 20}, {"mm-bad-size-list-part-1", 16},
    {"mm-bad-size-list-part-3", 16}, {"mm-bad-size-member-list-0", 20},
    {"mm-bad-size-member-list-6", 20}, {"mm-bad-size-member-list-253", 20},
    {"mm-bad-size-group-key-1", 16}, {"mm-bad-size-group-key-mismatch", 16},
    {"mm-bad-value-list-part-index-0", 16}, {"mm-bad-value-list-part-over", 16},
    {"mm-bad-value-list-part-count-0", 16}, {"mm-missing-ka-seq-kareq", 0},
    {"mm-missing-list-part-uires", 0}, {"mm-missing-group-key-kdupt", 0},
};

DecodeResult decode(const nlohmann::json& v) {
  const auto b = test::bytes(v.at("hex").get<std::string>());
  if (v.at("protocol") == "sm") {
    SmMessage m;
    return decode_sm(b, m);
  }
  MmMessage m;
  return decode_mm(b, m);
}

TEST(DecodeErrors, EveryInvalidVectorGivesItsErrorAtItsOffset) {
  std::set<std::string> reasons;
  std::size_t invalid = 0;
  for (const auto& v : test::vectors()) {
    if (v.at("error").is_null()) continue;
    ++invalid;
    const std::string n = v.at("name");
    SCOPED_TRACE(n);
    ASSERT_TRUE(offsets.count(n)) << "give this vector its offset in the table";
    const auto r = decode(v);
    EXPECT_EQ(error_name(test::error_of(r)), v.at("error").get<std::string>());
    EXPECT_EQ(r.offset, offsets.at(n));
    reasons.insert(v.at("error").get<std::string>());
  }
  EXPECT_EQ(invalid, offsets.size());
  EXPECT_EQ(reasons.size(), 13u);  // every message error of docs/json-format.md
}

// The same, one named test per reason, built from the builders rather than from the file.
SmMessage good_screq() { return build::screq("alice", true); }
std::vector<std::uint8_t> wire(const SmMessage& m) { return encode(m); }
void refresh_checksum(std::vector<std::uint8_t>& b) {
  b[2] = b[3] = 0;
  const auto c = internet_checksum(b);
  b[2] = static_cast<std::uint8_t>(c >> 8);
  b[3] = static_cast<std::uint8_t>(c);
}
DecodeResult sm(const std::vector<std::uint8_t>& b) {
  SmMessage m;
  return decode_sm(b, m);
}
DecodeResult mm(const std::vector<std::uint8_t>& b) {
  MmMessage m;
  return decode_mm(b, m);
}
#define EXPECT_ERROR_AT(result, err, off)                 \
  do {                                                    \
    const auto r_ = (result);                             \
    EXPECT_EQ(test::error_of(r_), DecodeError::err);      \
    EXPECT_EQ(r_.offset, std::size_t{off});               \
  } while (0)

TEST(DecodeErrors, TooShort) {
  auto b = wire(good_screq());
  b.resize(15);
  EXPECT_ERROR_AT(sm(b), too_short, 0);
  EXPECT_ERROR_AT(mm({}), too_short, 0);
  // Shortness wins over a bad version and a length that is not a multiple of 4.
  b[0] = 0x20;
  EXPECT_ERROR_AT(sm(b), too_short, 0);
}

TEST(DecodeErrors, NotAligned) {
  auto b = wire(good_screq());
  b.push_back(0);
  EXPECT_ERROR_AT(sm(b), not_aligned, 0);
  b[0] = 0x24;  // and a bad version: alignment is checked first
  EXPECT_ERROR_AT(sm(b), not_aligned, 0);
}

TEST(DecodeErrors, BadVersionBeforeChecksum) {
  auto b = wire(good_screq());
  b[0] = 0x24;  // version 2, checksum now wrong too
  EXPECT_ERROR_AT(sm(b), bad_version, 0);
}

TEST(DecodeErrors, BadChecksumAndTheFlagThatSkipsIt) {
  auto b = wire(good_screq());
  b[18] ^= 3;  // "alice" -> "blice"
  EXPECT_ERROR_AT(sm(b), bad_checksum, 2);
  SmMessage m;
  EXPECT_TRUE(decode_sm(b, m, DecodeFlags{.verify_checksum = false}));
  EXPECT_EQ(test::must<opt::ClientName>(m.options).value, "blice");
}

TEST(DecodeErrors, UnknownType) {
  auto b = wire(good_screq());
  b[1] = 15;
  refresh_checksum(b);
  EXPECT_ERROR_AT(sm(b), unknown_type, 1);
  auto k = encode(build::lvreq(SessionId{1}, UserId{2}, MemberType::participant, Mode::open));
  k[0] = 0x19;
  EXPECT_ERROR_AT(mm(k), unknown_type, 0);
}

TEST(DecodeErrors, TruncatedOptionKeepsTheOptionsBefore) {
  auto m = build::scinf(SessionId{1}, UserId{2}, false, false, "chat");
  m.options.emplace_back(opt::SessionInfo{"x"});
  auto b = wire(m);
  b[25] = 9;  // SESSION-INFO at 24 now claims 9 bytes; 2 remain
  refresh_checksum(b);
  SmMessage out;
  const auto r = decode_sm(b, out);
  EXPECT_ERROR_AT(r, truncated_option, 24);
  ASSERT_EQ(out.options.size(), 1u);  // SESSION-NAME, read before the bad option
  EXPECT_EQ(out.session, SessionId{1});  // and the whole header
}

TEST(DecodeErrors, DuplicateOption) {
  auto m = good_screq();
  m.options.push_back(m.options[0]);
  EXPECT_ERROR_AT(sm(wire(m)), duplicate_option, 24);
  // Repeatable options may repeat.
  auto s = build::scinf(SessionId{1}, UserId{2}, true, false, "x");
  s.options.emplace_back(opt::Allow{"a"});
  s.options.emplace_back(opt::Allow{"b"});
  s.options.emplace_back(opt::BaseMember{"c"});
  s.options.emplace_back(opt::BaseMember{"d"});
  EXPECT_TRUE(sm(wire(s)));
}

TEST(DecodeErrors, BadOptionSize) {
  auto m = build::sareq(SessionId{1}, UserId{2}, 4000);
  m.options[0] = opt::Unknown{13, {0x0f, 0xa0, 0}};  // MM-PORT of 3 bytes
  EXPECT_ERROR_AT(sm(wire(m)), bad_option_size, 16);
}

TEST(DecodeErrors, BadOptionValue) {
  EXPECT_ERROR_AT(sm(wire(build::sareq(SessionId{1}, UserId{2}, 0))), bad_option_value, 16);
  build::MmContext c{SessionId{1}, Mode::open, 0, {}, KaUnits{10}, KaUnits{5}};
  auto u = build::uires(c, UserId{2}, MemberType::creator, {}, 0).at(0);
  std::get<opt::ListPart>(u.options[0]) = opt::ListPart{2, 1};
  EXPECT_ERROR_AT(mm(encode(u)), bad_option_value, 16);
}

TEST(DecodeErrors, MissingRequiredOption) {
  auto m = good_screq();
  m.options.clear();
  EXPECT_ERROR_AT(sm(wire(m)), missing_required_option, 0);
  // SCINF without SESSION-NAME is not malformed: the server answers SCREJ 5 (profile 5.1).
  auto s = build::scinf(SessionId{1}, UserId{2}, false, false, "x");
  s.options.clear();
  EXPECT_TRUE(sm(wire(s)));
  // SJRES requires GROUP-KEY only with S = 1.
  auto j = build::sjres(SessionId{1}, UserId{2}, false, false, 0, {}, nullptr);
  EXPECT_TRUE(sm(wire(j)));
  j.secure = true;
  EXPECT_ERROR_AT(sm(wire(j)), missing_required_option, 0);
}

TEST(DecodeErrors, FlagContradictsType) {
  auto m = good_screq();
  m.info = true;
  EXPECT_ERROR_AT(sm(wire(m)), flag_contradicts_type, 0);
  auto k = build::kares(SessionId{1}, UserId{2}, MemberType::base, Mode::open, 3);
  k.ui = true;
  EXPECT_ERROR_AT(mm(encode(k)), flag_contradicts_type, 1);
  k.ui = false;
  k.ss = true;
  EXPECT_ERROR_AT(mm(encode(k)), flag_contradicts_type, 1);
  k.ss = false;
  k.r = true;  // R is reserved: ignored
  EXPECT_TRUE(mm(encode(k)));
}

// Profile 3 (1.3): only modes 00 and 11 make the byte malformed; every member type code,
// standard or not, decodes and is kept as it came (in either mode).
TEST(DecodeErrors, BadModeButAnyMemberType) {
  auto k = build::kares(SessionId{1}, UserId{2}, MemberType::base, Mode::open, 3);
  for (std::uint8_t mode : {0, 3}) {
    k.mode = mode;
    EXPECT_ERROR_AT(mm(encode(k)), bad_mode, 1);
  }
  for (std::uint8_t mode : {1, 2}) {
    for (std::uint8_t t = 0; t < 8; ++t) {
      k.mode = mode;
      k.member_type = t;
      MmMessage out;
      EXPECT_TRUE(decode_mm(encode(k), out)) << int(mode) << " " << int(t);
      EXPECT_EQ(out.member_type, t);
    }
  }
}

// Profile 4: the eight text options are UTF-8. Invalid bytes make the message malformed, at
// the offset of the offending option; valid multi-byte text and opaque byte options
// (ACCESS-KEY, unknown types) are untouched.
TEST(DecodeErrors, InvalidUtf8InEveryTextOption) {
  const std::vector<std::string> bad = {
      "\xff",          "a\x80",         "\xc0\xaf",          // stray bytes, overlong '/'
      "\xc3",          "\xe2\x82",       "\xed\xa0\x80",      // cut short, a surrogate
      "\xf4\x90\x80\x80", "\xe0\x80\xaf", "\xf0\x80\x80\xaf"};  // > U+10FFFF, overlongs
  for (const auto& v : bad) {
    SCOPED_TRACE(testing::PrintToString(v));
    EXPECT_ERROR_AT(sm(wire(build::screq(v, false))), invalid_utf8, 16);
    auto s = build::scinf(SessionId{1}, UserId{2}, false, false, "ok");
    const std::size_t name_end = 16 + ((2 + 2 + 3) & ~3u);  // SESSION-NAME "ok", padded
    for (const Option& o : Options{opt::SessionName{v}, opt::SessionInfo{v}, opt::OwnerInfo{v},
                                   opt::MediaInfo{v}, opt::AppInfo{v}, opt::BaseMember{v},
                                   opt::Allow{v}}) {
      auto m = s;
      if (std::holds_alternative<opt::SessionName>(o)) {
        m.options = {o};
        EXPECT_ERROR_AT(sm(wire(m)), invalid_utf8, 16);
      } else {
        m.options.push_back(o);
        EXPECT_ERROR_AT(sm(wire(m)), invalid_utf8, name_end);
      }
    }
  }
  for (const std::string ok : {"zo\xc3\xab", "\xe2\x82\xac", "\xf0\x9f\x98\x80", "\xf4\x8f\xbf\xbf",
                               "\xef\xbf\xbf", "plain"}) {
    SCOPED_TRACE(testing::PrintToString(ok));
    EXPECT_TRUE(sm(wire(build::screq(ok, false))));
    auto m = build::scinf(SessionId{1}, UserId{2}, false, false, ok);
    m.options.push_back(opt::SessionInfo{ok});
    m.options.push_back(opt::Allow{ok});
    EXPECT_TRUE(sm(wire(m)));
  }
  auto k = build::scinf(SessionId{1}, UserId{2}, false, false, "ok");
  k.options.push_back(opt::AccessKey{{0xff, 0xc0, 0x80}});
  k.options.push_back(opt::Unknown{40, {0xff, 0xfe}});
  EXPECT_TRUE(sm(wire(k)));
  EXPECT_FALSE(validate(build::screq("\xff", false)));
}

TEST(DecodeErrors, CategoryNamesEveryError) {
  std::set<std::string_view> names;
  for (int e = 0; e < decode_error_count; ++e) {
    const auto code = make_error_code(static_cast<DecodeError>(e));
    EXPECT_EQ(&code.category(), &decode_category());
    EXPECT_FALSE(code.message().empty());
    names.insert(error_name(static_cast<DecodeError>(e)));
  }
  EXPECT_EQ(names.size(), static_cast<std::size_t>(decode_error_count));
  EXPECT_EQ(error_name(DecodeError::bad_checksum), "bad_checksum");
  EXPECT_EQ(error_name(DecodeError::frame_too_large), "frame_too_large");
  std::error_code ec = DecodeError::bad_mode;  // is_error_code_enum
  EXPECT_EQ(ec, make_error_code(DecodeError::bad_mode));
}

}  // namespace
}  // namespace gmp
