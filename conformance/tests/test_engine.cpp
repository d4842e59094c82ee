// Unit tests of the tester's engine pieces that need no server: variables and expressions,
// matching, message building, PIXIT/glob, and the validation of the shipped scenarios.
#include <gmp/message.hpp>
#include <gmp/pcap.hpp>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "loader.hpp"
#include "matcher.hpp"
#include "msgbuild.hpp"
#include "pixit.hpp"
#include "report/report.hpp"
#include "runner.hpp"
#include "vars.hpp"

using namespace conform;

TEST(Vars, SubstitutesKeepingTypeAndInterpolates) {
  Vars v;
  v.set("session", 4660);
  v.set("A.user", 7);
  v.set("i", 3);
  EXPECT_EQ(v.resolve(Json("$session")), Json(4660));
  EXPECT_EQ(v.resolve(Json("m$i")), Json("m3"));
  EXPECT_EQ(v.resolve(Json("$A.user")), Json(7));
  EXPECT_EQ(v.resolve(Json("$$i")), Json("$i"));  // $$ is a literal dollar
  EXPECT_EQ(v.resolve(Json("${i}x")), Json("3x"));
  EXPECT_EQ(v.resolve(Json("= $i * 2")), Json(6));
  EXPECT_DOUBLE_EQ(v.number(Json("2 * $i + ($session - 4660) / 2")), 6.0);
  EXPECT_THROW((void)v.resolve(Json("$nope")), ScenarioError);
  EXPECT_THROW((void)v.number(Json("2 +")), ScenarioError);
}

TEST(Matcher, ConstraintsAndDerivedFields) {
  auto bytes = gmp::encode(gmp::build::screj(gmp::Reason::not_authorised, true));
  Json m = describe(true, bytes);
  EXPECT_TRUE(mismatches(m, {{"type", "SCREJ"}, {"flags.s", true}, {"opt.REASON", 2}}).empty());
  auto diff = mismatches(m, {{"opt.REASON", 3}});
  ASSERT_EQ(diff.size(), 1u);
  EXPECT_NE(diff[0].find("expected 3"), std::string::npos);
  EXPECT_TRUE(mismatches(m, {{"session_id", {{"lt", 1}}}, {"opt.KA-SEQ", nullptr}}).empty());
  EXPECT_FALSE(mismatches(m, {{"opt.REASON", {{"in", {1, 3}}}}}).empty());

  gmp::build::MmContext c;
  c.session.value = 9;
  auto parts = gmp::build::uires(c, gmp::UserId{1}, gmp::MemberType::creator,
                                 {{gmp::UserId{3}, 4}, {gmp::UserId{5}, 1}}, std::nullopt);
  Json u = describe(false, gmp::encode(parts.at(0)));
  EXPECT_EQ(u["members"], Json({3, 5}));
  EXPECT_EQ(u["sorted"], Json(true));
  EXPECT_EQ(u["n_members"], Json(2));
}

TEST(Matcher, NotConsecutive) {
  EXPECT_FALSE(compare(Json({5, 6, 7}), "not_consecutive", Json()));
  EXPECT_TRUE(compare(Json({5, 9, 7}), "not_consecutive", Json()));
}

// Profile 2: a counter (any stride, either direction, gaps and one wrap) is caught; a random
// order passes.
TEST(Matcher, NotSequential) {
  EXPECT_FALSE(compare(Json({1, 2, 3, 4, 5}), "not_sequential", Json()));            // counter
  EXPECT_FALSE(compare(Json({2, 4, 6, 8, 10}), "not_sequential", Json()));           // stride 2
  EXPECT_FALSE(compare(Json({65535, 65534, 65533, 65532}), "not_sequential", Json()));  // descending
  EXPECT_FALSE(compare(Json({65533, 65534, 65535, 1, 2}), "not_sequential", Json()));   // wrap
  EXPECT_FALSE(compare(Json({10, 13, 20, 21, 40, 41}), "not_sequential", Json()));   // counter with gaps
  EXPECT_FALSE(compare(Json({100, 30100, 60100, 24564, 54564}), "not_sequential", Json()));  // stride 30000
  EXPECT_TRUE(compare(Json({40000, 12, 9000, 61000, 300, 5000, 777}), "not_sequential", Json()));
  EXPECT_TRUE(compare(Json({1, 2}), "not_sequential", Json()));  // too short to judge
}

TEST(Matcher, CanonicalSaysWhetherTheBytesAreTheCodecsOwn) {
  gmp::build::MmContext c;
  c.session.value = 9;
  auto parts = gmp::build::uires(c, gmp::UserId{1}, gmp::MemberType::creator,
                                 {{gmp::UserId{3}, 4}, {gmp::UserId{5}, 1}}, std::nullopt);
  auto bytes = gmp::encode(parts.at(0));
  EXPECT_EQ(describe(false, bytes)["canonical"], Json(true));
  bytes[16 + 4 + 2 + 3] = 0x55;  // first entry's reserved byte: ignored by a receiver, but not 0
  Json d = describe(false, bytes);
  EXPECT_TRUE(d["error"].is_null());
  EXPECT_EQ(d["canonical"], Json(false));
  EXPECT_FALSE(plain(d).contains("canonical"));
}

TEST(MsgBuild, ForcedChecksumIsFfffAndStillVerifies) {
  SendDefaults d;
  d.client_name = "alice";
  Json a = {{"from", "A"}, {"type", "SCREQ"}, {"force_checksum", true}};
  auto o = build_outgoing(a, d);
  ASSERT_TRUE(o.tcp);
  EXPECT_EQ(o.bytes[2], 0xFF);
  EXPECT_EQ(o.bytes[3], 0xFF);
  EXPECT_TRUE(gmp::sm_checksum_ok(o.bytes));
}

TEST(MsgBuild, OverridesProduceInvalidMessages) {
  SendDefaults d;
  d.session = 5;
  d.user = 6;
  d.mode = "closed";
  auto bad_version = build_outgoing({{"from", "A"}, {"type", "SJREQ"}, {"version", 2}}, d);
  EXPECT_EQ(bad_version.bytes[0] >> 4, 2);
  EXPECT_TRUE(gmp::sm_checksum_ok(bad_version.bytes));  // only the version is wrong
  auto bad_sum = build_outgoing({{"from", "A"}, {"type", "SJREQ"}, {"checksum", 0x1234}}, d);
  EXPECT_FALSE(gmp::sm_checksum_ok(bad_sum.bytes));
  auto mm = build_outgoing({{"from", "A"}, {"type", "UIREQ"}, {"mode_code", 0}}, d);
  EXPECT_FALSE(mm.tcp);
  gmp::MmMessage out;
  EXPECT_FALSE(gmp::decode_mm(mm.bytes, out).ok());
  auto good = build_outgoing({{"from", "A"}, {"type", "UIREQ"}}, d);
  ASSERT_TRUE(gmp::decode_mm(good.bytes, out).ok());
  EXPECT_EQ(out.session.value, 5);
  EXPECT_EQ(out.user.value, 6);
  EXPECT_EQ(out.mode, 2);
  auto sareq = build_outgoing({{"from", "A"}, {"type", "SAREQ"}, {"options", {{{"RAW", {{"code", 13}, {"hex", "123456"}}}}}}}, d);
  gmp::SmMessage sm;
  EXPECT_EQ(gmp::decode_sm(sareq.bytes, sm).error, gmp::DecodeError::bad_option_size);
}

TEST(Pixit, GlobAndPics) {
  EXPECT_TRUE(glob_match("GMP/SM/*", "GMP/SM/CRE/01"));
  EXPECT_FALSE(glob_match("GMP/MM/*", "GMP/SM/CRE/01"));
  EXPECT_TRUE(glob_match("GMP/*/CRE/0?", "GMP/SM/CRE/01"));
  EXPECT_TRUE(glob_match("GMP/SM/CRE/0[1-3]", "GMP/SM/CRE/02"));
  EXPECT_FALSE(glob_match("GMP/SM/CRE/0[1-3]", "GMP/SM/CRE/04"));
  Pixit p = default_pixit();
  EXPECT_EQ(pics_unmet(p, {"secure_mode"}), "");
  EXPECT_EQ(pics_unmet(p, {"!secure_mode"}), "!secure_mode");
  EXPECT_EQ(pics_unmet(p, {"session_limit"}), "session_limit");
}

TEST(Pixit, RejectsUnknownItemsWithLine) {
  auto path = std::filesystem::temp_directory_path() / ("gmp-conform-test-pixit-" + std::to_string(::getpid()) + ".yaml");
  std::ofstream(path) << "pixit:\n  ka_period: 2\n  bogus: 1\n";
  Pixit p = default_pixit();
  std::vector<std::string> errors;
  EXPECT_FALSE(load_pixit(path.string(), p, errors));
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_NE(errors[0].find(":3:"), std::string::npos);
  EXPECT_EQ(p.values["ka_ms"], Json(200));
  std::filesystem::remove(path);
}

TEST(Loader, ShippedScenariosAreValid) {
  LoadResult r = load_suite(GMP_CONFORM_SCENARIO_DIR);
  for (const auto& e : r.errors) ADD_FAILURE() << e;
  std::size_t n = 0;
  for (const auto& f : r.files) n += f.purposes.size();
  EXPECT_GE(n, 60u);
}

TEST(Loader, ReportsFileAndLine) {
  auto dir = std::filesystem::temp_directory_path() / ("gmp-conform-bad-" + std::to_string(::getpid())) / "scenarios";
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "bad.yaml") << "figure: 4\npurposes:\n  - id: GMP/SM/CRE/01\n    clauses: 7.1.1\n"
                                     "    requirement: x\n    lifelines: [creator]\n    steps:\n"
                                     "      - send: {from: creator, type: SCREQ}\n"
                                     "      - expect: {at: nobody, type: SCACC}\n"
                                     "      - send: {from: creator, type: BOGUS}\n";
  LoadResult r = load_suite(dir.string());
  ASSERT_EQ(r.errors.size(), 2u);
  EXPECT_NE(r.errors[0].find("bad.yaml:9:"), std::string::npos) << r.errors[0];
  EXPECT_NE(r.errors[0].find("nobody"), std::string::npos);
  EXPECT_NE(r.errors[1].find("bad.yaml:10:"), std::string::npos) << r.errors[1];
  std::filesystem::remove_all(dir.parent_path());
}

TEST(MsgBuild, RawFormsAndPrefix) {
  SendDefaults d;
  auto raw = build_outgoing({{"from", "A"}, {"raw", "14 01 bb 29 00000000"}}, d);
  EXPECT_TRUE(raw.tcp && raw.prefixed);
  EXPECT_EQ(raw.bytes.size(), 8u);
  auto frame = build_outgoing({{"from", "A"}, {"frame", "0008 0102"}}, d);
  EXPECT_TRUE(frame.tcp && !frame.prefixed);
  EXPECT_EQ(frame.bytes, (std::vector<std::uint8_t>{0, 8, 1, 2}));
  auto dgram = build_outgoing({{"from", "A"}, {"datagram", "11 88"}}, d);
  EXPECT_FALSE(dgram.tcp);
  auto bad_len = build_outgoing({{"from", "A"}, {"type", "SJREQ"}, {"prefix", 8}}, d);
  EXPECT_FALSE(bad_len.prefixed);
  EXPECT_EQ(bad_len.bytes[0], 0);
  EXPECT_EQ(bad_len.bytes[1], 8);
  EXPECT_EQ(bad_len.bytes.size(), 2u + 16u);
  EXPECT_THROW(build_outgoing({{"from", "A"}, {"raw", "zz"}}, d), ScenarioError);
}

TEST(Pcap, WhatCrossedTheWireReadsBack) {
  TestPurpose tp;
  tp.id = "GMP/SM/CRE/01";
  CaseResult r;
  r.tp = &tp;
  const Ep client{0x7f000001, 40000}, server{0x7f000001, 16513}, mm_client{0x7f000001, 40001};
  auto sm = gmp::encode_framed(gmp::build::screq("alice", true));
  WireEvent open;
  open.kind = WireKind::tcp_open;
  open.local = client;
  open.server = server;
  open.wall_us = 1000;
  WireEvent data = open;
  data.kind = WireKind::data;
  data.wire = sm;
  data.wall_us = 2000;
  gmp::build::MmContext c;
  c.session.value = 7;
  auto mm = gmp::encode(gmp::build::kareq(c, gmp::UserId{9}, gmp::MemberType::participant, 3));
  WireEvent dgram;
  dgram.tcp = false;
  dgram.to_server = false;
  dgram.local = mm_client;
  dgram.server = server;
  dgram.wire = mm;
  dgram.wall_us = 3000;
  WireEvent close = open;
  close.kind = WireKind::tcp_close_by_tester;
  close.wall_us = 4000;
  r.log = {open, data, dgram, close};
  auto path = std::filesystem::temp_directory_path() / ("gmp-conform-" + std::to_string(::getpid()) + "-" + pcap_name(tp.id));
  write_pcap(path.string(), r);
  auto records = gmp::pcap::read(path.string());
  ASSERT_EQ(records.size(), 2u);
  EXPECT_TRUE(records[0].tcp);
  EXPECT_EQ(records[0].bytes, std::vector<std::uint8_t>(sm.begin() + 2, sm.end()));
  EXPECT_FALSE(records[1].tcp);
  EXPECT_EQ(records[1].bytes, mm);
  EXPECT_EQ(records[1].src.port, 16513);
  std::filesystem::remove(path);
}

TEST(TypeNames, ParseIsTheInverseOfNameAndGivesTheChannel) {
  for (int code = 1; code <= 14; ++code) {
    auto t = static_cast<gmp::SmType>(code);
    EXPECT_EQ(gmp::parse_sm_type(gmp::name(t)), t);
    EXPECT_FALSE(gmp::parse_mm_type(gmp::name(t)));
  }
  for (int code = 1; code <= 8; ++code) {
    auto t = static_cast<gmp::MmType>(code);
    EXPECT_EQ(gmp::parse_mm_type(gmp::name(t)), t);
    EXPECT_FALSE(gmp::parse_sm_type(gmp::name(t)));
  }
  EXPECT_FALSE(gmp::parse_sm_type("UNKNOWN"));
  EXPECT_FALSE(gmp::parse_sm_type("SXXXX"));  // spelled like an SM type, in no table
  EXPECT_FALSE(gmp::parse_mm_type("kareq"));
  // The builder sends by table: SAREQ over TCP, KDUPT (MM, profile 3) over UDP.
  SendDefaults d;
  EXPECT_TRUE(build_outgoing({{"from", "A"}, {"type", "SAREQ"}}, d).tcp);
  EXPECT_FALSE(build_outgoing({{"from", "A"}, {"type", "KDUPT"}}, d).tcp);
  EXPECT_THROW(build_outgoing({{"from", "A"}, {"type", "SXXXX"}}, d), ScenarioError);
}
