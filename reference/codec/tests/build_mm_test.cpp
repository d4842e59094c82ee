// The MM builders give the header fields and options profile sections 3 and 6 require, and
// UIRES is split as profile 6.4 says: LIST-PART 1..n, MEMBER-COUNT in part 1 only (open mode),
// MEMBER-LIST options of 63 entries (the last shorter), each part within 1,200 bytes.
#include <gtest/gtest.h>

#include "support.hpp"

namespace gmp {
namespace {

const SessionId S{0x3a5c};
const UserId U{0xc0de};
const Ipv4 G{0xefff0a14};
const build::MmContext open_ctx{S, Mode::open, 5004, G, KaUnits{10}, KaUnits{5}};
const build::MmContext closed_ctx{S, Mode::closed, 5004, G, KaUnits{20}, KaUnits{8}};

void on_the_wire(const MmMessage& m) {
  EXPECT_TRUE(validate(m)) << name(m.type);
  MmMessage back;
  EXPECT_TRUE(decode_mm(encode(m), back)) << name(m.type);
  EXPECT_EQ(test::diff(m, back), "") << name(m.type);
  EXPECT_EQ(m.version, 1);
  EXPECT_FALSE(m.r);
  EXPECT_EQ(m.reserved, 0);
  EXPECT_EQ(m.ui, m.type == MmType::UIRES);
  EXPECT_EQ(m.ss, m.type == MmType::TRIND);
}

// A server message carries the session's context (profile 3).
void from_server(const MmMessage& m, const build::MmContext& c, MemberType to) {
  on_the_wire(m);
  EXPECT_EQ(m.session, c.session);
  EXPECT_EQ(m.user, U);
  EXPECT_EQ(m.mode, static_cast<std::uint8_t>(c.mode));
  EXPECT_EQ(m.member_type, static_cast<std::uint8_t>(to));
  EXPECT_EQ(m.group_port, c.group_port);
  EXPECT_EQ(m.group_address, c.group_address);
  EXPECT_EQ(m.ka_period, c.ka_period);
  EXPECT_EQ(m.ka_timeout, c.ka_timeout);
}

// A member's message: its IDs and type, group and KA fields 0 (profile 3).
void from_member(const MmMessage& m, Mode mode, MemberType from) {
  on_the_wire(m);
  EXPECT_EQ(m.session, S);
  EXPECT_EQ(m.user, U);
  EXPECT_EQ(m.mode, static_cast<std::uint8_t>(mode));
  EXPECT_EQ(m.member_type, static_cast<std::uint8_t>(from));
  EXPECT_EQ(m.group_port, 0);
  EXPECT_EQ(m.group_address, Ipv4{});
  EXPECT_EQ(m.ka_period, KaUnits{0});
  EXPECT_EQ(m.ka_timeout, KaUnits{0});
  EXPECT_EQ(m.key_length, 0);
}

TEST(BuildMm, Kareq) {
  const auto m = build::kareq(closed_ctx, U, MemberType::base, 17);
  from_server(m, closed_ctx, MemberType::base);
  EXPECT_EQ(m.type, MmType::KAREQ);
  EXPECT_EQ(test::must<opt::KaSeq>(m.options).round, 17u);
  EXPECT_EQ(m.key_length, 0);
}

TEST(BuildMm, KaresWithAndWithoutRound) {
  const auto with = build::kares(S, U, MemberType::participant, Mode::closed, 7);
  from_member(with, Mode::closed, MemberType::participant);
  EXPECT_EQ(test::must<opt::KaSeq>(with.options).round, 7u);
  EXPECT_EQ(encode(with),
            test::bytes(test::vector("mm-kares-round-7").at("hex").get<std::string>()));
  const auto without = build::kares(S, U, MemberType::participant, Mode::closed, std::nullopt);
  from_member(without, Mode::closed, MemberType::participant);
  EXPECT_TRUE(without.options.empty());
}

TEST(BuildMm, MemberRequests) {
  from_member(build::uireq(S, U, MemberType::base, Mode::open), Mode::open, MemberType::base);
  from_member(build::lvreq(S, U, MemberType::participant, Mode::open), Mode::open,
              MemberType::participant);
  const auto t = build::trreq(S, U, Mode::closed);
  from_member(t, Mode::closed, MemberType::creator);  // only the creator ends a session
  EXPECT_EQ(t.type, MmType::TRREQ);
}

TEST(BuildMm, TrindHasSs) {
  const auto m = build::trind(open_ctx, U, MemberType::creator);
  from_server(m, open_ctx, MemberType::creator);
  EXPECT_TRUE(m.ss);
  EXPECT_TRUE(m.options.empty());
}

TEST(BuildMm, KduptCarriesKeyAndLength) {
  const opt::GroupKey key{2, test::bytes("0f1e2d3c4b5a69788796a5b4c3d2e1f0")};
  const auto m = build::kdupt(open_ctx, U, MemberType::participant, key);
  from_server(m, open_ctx, MemberType::participant);
  EXPECT_EQ(m.key_length, 16);
  EXPECT_EQ(test::must<opt::GroupKey>(m.options).epoch, 2);
  build::MmContext c = closed_ctx;
  c.ka_period = KaUnits{10};
  c.ka_timeout = KaUnits{5};
  EXPECT_EQ(encode(build::kdupt(c, U, MemberType::participant, key)),
            test::bytes(test::vector("mm-kdupt").at("hex").get<std::string>()));
}

std::vector<opt::MemberEntry> members(std::size_t n) {
  std::vector<opt::MemberEntry> v;
  for (std::size_t i = 0; i < n; ++i)
    v.push_back({UserId{static_cast<std::uint16_t>(i + 1)},
                 static_cast<std::uint8_t>(i == 0 ? 4 : (i < 3 ? 2 : 1))});
  return v;
}

// Checks every rule of profile 6.4 on the parts and returns the entries per part.
void check_parts_into(const std::vector<MmMessage>& parts, const std::vector<opt::MemberEntry>& in,
                      std::optional<std::uint32_t> count, const build::MmContext& c,
                      std::vector<std::size_t>& per_part) {
  std::vector<opt::MemberEntry> all;
  EXPECT_FALSE(parts.empty());
  for (std::size_t p = 0; p < parts.size(); ++p) {
    SCOPED_TRACE(testing::Message() << "part " << p + 1);
    const auto& m = parts[p];
    from_server(m, c, MemberType::participant);
    EXPECT_EQ(m.type, MmType::UIRES);
    EXPECT_TRUE(m.ui);
    EXPECT_LE(encode(m).size(), max_mm_uires_size);
    ASSERT_FALSE(m.options.empty());
    const auto* lp = std::get_if<opt::ListPart>(&m.options[0]);  // LIST-PART first
    ASSERT_NE(lp, nullptr);
    EXPECT_EQ(lp->index, p + 1);
    EXPECT_EQ(lp->count, parts.size());
    std::size_t i = 1;
    if (p == 0 && count) {  // then MEMBER-COUNT, part 1 only
      ASSERT_GT(m.options.size(), 1u);
      const auto* mc = std::get_if<opt::MemberCount>(&m.options[1]);
      ASSERT_NE(mc, nullptr);
      EXPECT_EQ(mc->count, *count);
      i = 2;
    } else {
      EXPECT_EQ(find<opt::MemberCount>(m.options), nullptr);
    }
    std::size_t here = 0;
    for (; i < m.options.size(); ++i) {  // then MEMBER-LISTs of 63, the last shorter
      const auto* ml = std::get_if<opt::MemberList>(&m.options[i]);
      ASSERT_NE(ml, nullptr);
      ASSERT_GE(ml->entries.size(), 1u);
      if (i + 1 < m.options.size()) {
        EXPECT_EQ(ml->entries.size(), 63u);
      } else {
        EXPECT_LE(ml->entries.size(), 63u);
      }
      all.insert(all.end(), ml->entries.begin(), ml->entries.end());
      here += ml->entries.size();
    }
    // Every part but the last is full: one more entry (4 bytes, or 8 for a new MEMBER-LIST
    // after a full one) would not fit in 1,200 bytes.
    if (p + 1 < parts.size()) {
      const bool last_full = std::get<opt::MemberList>(m.options.back()).entries.size() == 63;
      EXPECT_GT(encode(m).size() + (last_full ? 8 : 4), max_mm_uires_size);
    }
    per_part.push_back(here);
  }
  EXPECT_EQ(all, in);
}

std::vector<std::size_t> check_parts(const std::vector<MmMessage>& parts,
                                     const std::vector<opt::MemberEntry>& in,
                                     std::optional<std::uint32_t> count,
                                     const build::MmContext& c) {
  std::vector<std::size_t> per_part;
  check_parts_into(parts, in, count, c, per_part);
  return per_part;
}

TEST(BuildUires, EmptyListOpenAndClosed) {
  const auto open = build::uires(open_ctx, U, MemberType::participant, {}, 5);
  EXPECT_EQ(check_parts(open, {}, 5, open_ctx), std::vector<std::size_t>{0});
  const auto closed = build::uires(closed_ctx, U, MemberType::participant, {}, std::nullopt);
  EXPECT_EQ(check_parts(closed, {}, std::nullopt, closed_ctx), std::vector<std::size_t>{0});
  EXPECT_EQ(closed[0].options.size(), 1u);
}

TEST(BuildUires, SixtyThreeEntriesPerOption) {
  for (std::size_t n : {1, 3, 62, 63, 64, 126, 127}) {
    SCOPED_TRACE(n);
    const auto in = members(n);
    const auto parts = build::uires(closed_ctx, U, MemberType::participant, in, std::nullopt);
    ASSERT_EQ(parts.size(), 1u);
    check_parts(parts, in, std::nullopt, closed_ctx);
    EXPECT_EQ(parts[0].options.size(), 1 + (n + 62) / 63);
  }
}

TEST(BuildUires, PartsFillTwelveHundredBytes) {
  // Open, part 1: 1,200 - 16 (header) - 4 (LIST-PART) - 8 (MEMBER-COUNT) = 1,172 bytes: four
  // full lists of 63 (256 bytes each) and one of 36 (148 bytes): 288 entries, exactly 1,200.
  // Any other part: 1,180 bytes: 4 x 63 + 38 = 290 entries, exactly 1,200.
  auto in = members(288);
  auto parts = build::uires(open_ctx, U, MemberType::participant, in, 40);
  EXPECT_EQ(check_parts(parts, in, 40, open_ctx), std::vector<std::size_t>{288});
  EXPECT_EQ(encode(parts[0]).size(), 1200u);

  in = members(289);
  parts = build::uires(open_ctx, U, MemberType::participant, in, 40);
  EXPECT_EQ(check_parts(parts, in, 40, open_ctx), (std::vector<std::size_t>{288, 1}));

  in = members(290);
  parts = build::uires(closed_ctx, U, MemberType::participant, in, std::nullopt);
  EXPECT_EQ(check_parts(parts, in, std::nullopt, closed_ctx), std::vector<std::size_t>{290});
  EXPECT_EQ(encode(parts[0]).size(), 1200u);

  in = members(1000);
  parts = build::uires(open_ctx, U, MemberType::participant, in, 7);
  EXPECT_EQ(check_parts(parts, in, 7, open_ctx),
            (std::vector<std::size_t>{288, 290, 290, 132}));
}

TEST(BuildUires, SameAsTheHandWrittenVector) {
  const std::vector<opt::MemberEntry> in{
      {UserId{0x1f2e}, 4}, {UserId{0x2468}, 2}, {UserId{0x3579}, 2}};
  const auto parts = build::uires(open_ctx, U, MemberType::participant, in, 12);
  ASSERT_EQ(parts.size(), 1u);
  EXPECT_EQ(encode(parts[0]),
            test::bytes(test::vector("mm-uires-open").at("hex").get<std::string>()));
}

TEST(BuildUires, PartCountFitsInOneByte) {
  const auto in = members(255 * 290 + 10);  // more than 255 parts can hold
  const auto parts = build::uires(closed_ctx, U, MemberType::participant, in, std::nullopt);
  ASSERT_EQ(parts.size(), 255u);
  for (const auto& p : parts) {
    const auto& lp = std::get<opt::ListPart>(p.options[0]);
    EXPECT_EQ(lp.count, 255);
    EXPECT_TRUE(validate(p));
  }
}

}  // namespace
}  // namespace gmp

// Profile 6.6: epochs are 16-bit serial numbers; 1 follows 65,535 and 0 is never used.
TEST(Epochs, SerialNumbers) {
  EXPECT_EQ(gmp::next_epoch(1), 2);
  EXPECT_EQ(gmp::next_epoch(65535), 1);
  EXPECT_TRUE(gmp::epoch_newer(2, 1));
  EXPECT_TRUE(gmp::epoch_newer(1, 65535));
  EXPECT_TRUE(gmp::epoch_newer(32768, 1));   // 32,767 ahead
  EXPECT_FALSE(gmp::epoch_newer(32769, 1));  // 32,768 ahead: behind, as RFC 1982 reads it
  EXPECT_FALSE(gmp::epoch_newer(65535, 1));
  EXPECT_FALSE(gmp::epoch_newer(7, 7));
  EXPECT_FALSE(gmp::epoch_newer(0, 65535));
}
