// The announcement (profile 5.2): /sessions, /counters and / over HTTP, with no secrets.
#include <gtest/gtest.h>
#include <httplib.h>

#include <chrono>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "http.hpp"
#include "snapshot.hpp"

namespace gmp::server::test {

TEST(Announcement, SessionsAndCountersOverHttpWithoutSecrets) {
  Config cfg;
  Server core(cfg, std::make_unique<SeededRandom>(3));
  const Time t0{};
  core.handle_sm_opened(ConnId{1}, Ipv4{0x7F000001}, t0);
  core.handle_sm(ConnId{1}, Ipv4{0x7F000001}, build::screq("alice", true), t0);
  auto acc = std::get<SendSm>(*core.poll_transmit()).msg;
  SmMessage inf = build::scinf(acc.session, acc.user, true, true, "weekly call", 6000, Ipv4{0xEFFF0102});
  inf.options.emplace_back(opt::AccessKey{{0xDE, 0xAD, 0xBE, 0xEF}});
  inf.options.emplace_back(opt::SessionInfo{"planning"});
  core.handle_sm(ConnId{1}, Ipv4{0x7F000001}, inf, t0);
  ASSERT_EQ(std::get<SendSm>(*core.poll_transmit()).msg.type, SmType::SCCON);

  HttpAnnouncer http;
  const auto port = http.start("127.0.0.1", 0);
  http.publish(sessions_json(core).dump(), counters_json(core, ShellStats{}).dump());
  httplib::Client client("127.0.0.1", port);
  client.set_connection_timeout(5);
  client.set_read_timeout(5);

  auto s = client.Get("/sessions");
  ASSERT_TRUE(s);
  EXPECT_EQ(s->status, 200);
  const auto j = nlohmann::json::parse(s->body);
  ASSERT_EQ(j["sessions"].size(), 1u);
  const auto& e = j["sessions"][0];
  EXPECT_EQ(e["name"], "weekly call");
  EXPECT_EQ(e["info"], "planning");
  EXPECT_EQ(e["mode"], "closed");
  EXPECT_EQ(e["secure"], true);
  EXPECT_EQ(e["group_address"], "239.255.1.2");
  EXPECT_EQ(e["group_port"], 6000);
  EXPECT_EQ(e["ka_period_ms"], 1000);
  EXPECT_EQ(e["registered"], 1);
  EXPECT_EQ(s->body.find("dead"), std::string::npos);   // the access key, in hex
  EXPECT_EQ(s->body.find("key\""), std::string::npos);  // no key field at all

  auto c = client.Get("/counters");
  ASSERT_TRUE(c);
  const auto cj = nlohmann::json::parse(c->body);
  EXPECT_EQ(cj["sm_in"]["SCREQ"], 1);
  EXPECT_EQ(cj["sm_out"]["SCCON"], 1);
  EXPECT_EQ(cj["members"]["registered"], 1);
  EXPECT_TRUE(cj["discards"].contains("bad_checksum"));
  EXPECT_TRUE(cj["discards"].contains("address_mismatch"));

  auto one = client.Get("/sessions/" + std::to_string(acc.session.value));
  ASSERT_TRUE(one);
  EXPECT_EQ(one->status, 200);
  EXPECT_EQ(nlohmann::json::parse(one->body)["name"], "weekly call");
  auto none = client.Get("/sessions/" + std::to_string((acc.session.value + 1) & 0xFFFF));
  ASSERT_TRUE(none);
  EXPECT_EQ(none->status, 404);

  http.set_join({"127.0.0.1", 16513, 16514});
  auto page = client.Get("/");
  ASSERT_TRUE(page);
  EXPECT_NE(page->body.find("127.0.0.1:16513"), std::string::npos);
  char hex[16];
  std::snprintf(hex, sizeof hex, "0x%04x", static_cast<unsigned>(acc.session.value));
  EXPECT_NE(page->body.find(hex), std::string::npos);
  EXPECT_NE(page->body.find("1 registered (of which 0 joined, 0 active)"), std::string::npos);
  EXPECT_EQ(page->body.find("dead"), std::string::npos);
  http.stop();
}

TEST(Announcement, PageEscapesEveryStringFromTheWire) {
  nlohmann::json s = {{"session_id", 7}, {"name", "<script>alert(1)</script>"}, {"owner", "a&b"},
                      {"info", "\"quoted\""}, {"media", "<blink>"}, {"app", "x'y"}, {"mode", "open"},
                      {"group_address", "239.0.0.1"}, {"group_port", 5004}, {"registered", 3},
                      {"joined", 2}, {"active", 1}, {"start_time", 0}, {"end_time", nullptr}};
  const std::string page = announcement_page({{"sessions", {s}}}, {"10.0.0.1", 16513, 16513});
  EXPECT_EQ(page.find("<script>"), std::string::npos);
  EXPECT_NE(page.find("&lt;script&gt;alert(1)&lt;/script&gt;"), std::string::npos);
  EXPECT_NE(page.find("a&amp;b"), std::string::npos);
  EXPECT_EQ(page.find("<blink>"), std::string::npos);
  EXPECT_NE(page.find("&lt;blink&gt;"), std::string::npos);
  EXPECT_NE(page.find("0x0007 (7)"), std::string::npos);
  EXPECT_NE(page.find("3 registered (of which 2 joined, 1 active)"), std::string::npos);
  EXPECT_NE(page.find("1970-01-01 00:00:00 UTC"), std::string::npos);
}

namespace {

// Creates a session on its own connection; returns its ID.
SessionId create_session(Server& core, std::uint64_t conn, const std::string& info, Time t) {
  core.handle_sm_opened(ConnId{conn}, Ipv4{0x7F000001}, t);
  core.handle_sm(ConnId{conn}, Ipv4{0x7F000001}, build::screq("alice", false), t);
  auto acc = std::get<SendSm>(*core.poll_transmit()).msg;
  SmMessage inf = build::scinf(acc.session, acc.user, false, false, "s" + std::to_string(conn), 6000,
                               Ipv4{0xEFFF0102});
  inf.options.emplace_back(opt::SessionInfo{info});
  core.handle_sm(ConnId{conn}, Ipv4{0x7F000001}, inf, t);
  while (core.poll_transmit()) {
  }
  return acc.session;
}

}  // namespace

// With many sessions and long info fields, a burst of registrations must not rebuild the
// whole snapshot after each of them: at most one build per interval, and only when needed.
TEST(Announcement, SnapshotIsRebuiltLazilyNotOnEveryStateChange) {
  Config cfg;
  cfg.max_sessions = 1100;
  cfg.max_connections = 3000;
  Server core(cfg, std::make_unique<SeededRandom>(5));
  const Time t0{};
  const std::string info(2000, 'i');
  std::vector<SessionId> ids;
  for (std::uint64_t c = 1; c <= 1000; ++c) ids.push_back(create_session(core, c, info, t0));

  SnapshotCache cache(std::chrono::milliseconds(100));
  const auto start = SnapshotCache::Clock::time_point{} + std::chrono::hours(1);
  EXPECT_TRUE(cache.refresh(core, start));
  EXPECT_FALSE(cache.refresh(core, start + std::chrono::seconds(1)));  // nothing changed
  EXPECT_EQ(cache.rebuilds(), 1u);

  // 1000 registrations within 50 ms, the cache asked after each one.
  for (int i = 0; i < 1000; ++i) {
    const std::uint64_t conn = 2000 + static_cast<std::uint64_t>(i);
    core.handle_sm_opened(ConnId{conn}, Ipv4{0x7F000002}, t0);
    core.handle_sm(ConnId{conn}, Ipv4{0x7F000002}, build::srreq(ids[0], "m" + std::to_string(i)), t0);
    while (core.poll_transmit()) {
    }
    cache.refresh(core, start + std::chrono::seconds(1) + std::chrono::microseconds(50 * i));
  }
  EXPECT_EQ(cache.rebuilds(), 2u);  // the first change only; the rest wait for the interval
  EXPECT_TRUE(cache.stale(core));
  EXPECT_TRUE(cache.refresh(core, start + std::chrono::seconds(2)));
  const auto j = nlohmann::json::parse(cache.sessions());
  ASSERT_EQ(j["sessions"].size(), 1000u);
  for (const auto& s : j["sessions"]) {
    if (s["session_id"] == ids[0].value) {
      EXPECT_EQ(s["registered"], 1001);
    }
  }
}

}  // namespace gmp::server::test
