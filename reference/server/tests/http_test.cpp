// The announcement (profile 5.2): /sessions, /counters and / over HTTP, with no secrets.
#include <gtest/gtest.h>
#include <httplib.h>

#include <nlohmann/json.hpp>

#include "http.hpp"
#include "snapshot.hpp"

namespace gmp::server::test {

TEST(Announcement, SessionsAndCountersOverHttpWithoutSecrets) {
  Config cfg;
  Server core(cfg, std::make_unique<SeededRandom>(3));
  const Time t0{};
  core.connection_opened(ConnId{1}, Ipv4{0x7F000001}, t0);
  core.handle_sm(ConnId{1}, Ipv4{0x7F000001}, build::screq("alice", true), t0);
  auto acc = std::get<SendSm>(*core.poll_action()).msg;
  SmMessage inf = build::scinf(acc.session, acc.user, true, true, "weekly call", 6000, Ipv4{0xEFFF0102});
  inf.options.emplace_back(opt::AccessKey{{0xDE, 0xAD, 0xBE, 0xEF}});
  inf.options.emplace_back(opt::SessionInfo{"planning"});
  core.handle_sm(ConnId{1}, Ipv4{0x7F000001}, inf, t0);
  ASSERT_EQ(std::get<SendSm>(*core.poll_action()).msg.type, SmType::SCCON);

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

  auto page = client.Get("/");
  ASSERT_TRUE(page);
  EXPECT_NE(page->body.find("fetch('/sessions'"), std::string::npos);
  http.stop();
}

}  // namespace gmp::server::test
