// The scripted mode's language (docs/client.md): tokenizer, grammar, create options, the
// wait-for matcher and the event JSON.
#include <gtest/gtest.h>

#include "gmp/client/event_json.hpp"
#include "gmp/client/runner.hpp"
#include "gmp/client/script.hpp"

namespace gmp::client::script {
namespace {

TEST(ClientScript, TokenizerKeepsQuotedBlanksAndDropsComments) {
  std::vector<std::string> t;
  std::string err;
  ASSERT_TRUE(tokenize(R"(create c1 as alice session-name="a \"b\" c"  # comment)", t, err));
  ASSERT_EQ(t.size(), 5u);
  EXPECT_EQ(t[4], "session-name=a \"b\" c");
  EXPECT_FALSE(tokenize(R"(create c1 session-name="oops)", t, err));
  EXPECT_EQ(err, "unterminated quote");
}

TEST(ClientScript, BlankAndCommentLinesAreNotCommands) {
  std::string err;
  EXPECT_FALSE(parse_line("   ", 1, err));
  EXPECT_TRUE(err.empty());
  EXPECT_FALSE(parse_line("# hello", 1, err));
  EXPECT_TRUE(err.empty());
}

TEST(ClientScript, SyntaxErrorsAreExplained) {
  std::string err;
  EXPECT_FALSE(parse_line("fly c1", 1, err));
  EXPECT_EQ(err, "unknown command 'fly'");
  EXPECT_FALSE(parse_line("join", 1, err));
  EXPECT_EQ(err, "join: missing the membership name");
  EXPECT_FALSE(parse_line("create c1 closed", 1, err));
  EXPECT_EQ(err, "create: missing 'as CLIENT-NAME'");
  EXPECT_FALSE(parse_line("register p1 as bob", 1, err));
  EXPECT_EQ(err, "register: missing session=ID");
  EXPECT_FALSE(parse_line("create c1 as a colour=red", 1, err));
  EXPECT_EQ(err, "create: unknown argument 'colour'");
  EXPECT_FALSE(parse_line("join c1 now", 1, err));
  EXPECT_EQ(err, "join: unexpected word 'now'");
  EXPECT_FALSE(parse_line("wait-for c1", 1, err));
}

TEST(ClientScript, RegisterWithVariableAndKey) {
  std::string err;
  auto c = parse_line("register p1 session=@c1 as bob key=text:s3cret", 7, err);
  ASSERT_TRUE(c) << err;
  EXPECT_EQ(c->verb, "register");
  EXPECT_EQ(c->target, "p1");
  EXPECT_EQ(c->as, "bob");
  EXPECT_EQ(*c->get("session"), "@c1");
  EXPECT_EQ(c->line, 7u);
  std::vector<std::uint8_t> key;
  ASSERT_TRUE(parse_bytes(*c->get("key"), key));
  EXPECT_EQ(std::string(key.begin(), key.end()), "s3cret");
  ASSERT_TRUE(parse_bytes("hex:0aff", key));
  EXPECT_EQ(key, (std::vector<std::uint8_t>{0x0a, 0xff}));
  EXPECT_FALSE(parse_bytes("hex:0af", key));
}

TEST(ClientScript, WaitForTakesEventValueAndTimeout) {
  std::string err;
  auto c = parse_line("wait-for p1 state=active timeout=250", 1, err);
  ASSERT_TRUE(c) << err;
  ASSERT_EQ(c->words.size(), 1u);
  EXPECT_EQ(c->words[0], "state=active");
  EXPECT_EQ(*c->get("timeout"), "250");
}

TEST(ClientScript, WaitForAnUnknownEventIsAScriptError) {
  std::string err;
  EXPECT_FALSE(parse_line("wait-for p1 active", 3, err));  // the event is state=active
  EXPECT_NE(err.find("no event named 'active'"), std::string::npos) << err;
  EXPECT_FALSE(parse_line("wait-for p1 joined=1", 3, err));
  for (const char* ok : {"wait-for p1 members", "wait-for c1 ended=TRIND", "wait-for p1 key=2",
                         "wait-for p1 received=KDUPT", "wait-for c1 timeout"})
    EXPECT_TRUE(parse_line(ok, 1, err)) << ok << ": " << err;
}

TEST(ClientScript, CreateCarriesEverySCINFOption) {
  std::string err;
  auto c = parse_line(
      "create c1 as alice closed secure session-name=\"weekly call\" session-info=topic "
      "owner-info=me start-time=100 end-time=0x200 media-info=audio app-info=gmp "
      "keepalive=1,1,2 base=bob allow=carol,dave allow=erin key=hex:0102 group=239.1.2.3:5004",
      1, err);
  ASSERT_TRUE(c) << err;
  CreateParams p;
  ASSERT_TRUE(parse_create(*c, p, err)) << err;
  EXPECT_EQ(p.client_name, "alice");
  EXPECT_TRUE(p.closed);
  EXPECT_TRUE(p.secure);
  EXPECT_EQ(p.session_name, "weekly call");
  EXPECT_EQ(find<opt::SessionInfo>(p.extra)->value, "topic");
  EXPECT_EQ(find<opt::OwnerInfo>(p.extra)->value, "me");
  EXPECT_EQ(find<opt::StartTime>(p.extra)->seconds, 100u);
  EXPECT_EQ(find<opt::EndTime>(p.extra)->seconds, 0x200u);
  EXPECT_EQ(find<opt::MediaInfo>(p.extra)->value, "audio");
  EXPECT_EQ(find<opt::AppInfo>(p.extra)->value, "gmp");
  EXPECT_EQ(find<opt::Keepalive>(p.extra)->period.value, 1);
  EXPECT_EQ(find<opt::Keepalive>(p.extra)->miss_limit, 2);
  EXPECT_EQ(find_all<opt::BaseMember>(p.extra).size(), 1u);
  ASSERT_EQ(find_all<opt::Allow>(p.extra).size(), 3u);
  EXPECT_EQ(find_all<opt::Allow>(p.extra)[2]->name, "erin");
  EXPECT_EQ(find<opt::AccessKey>(p.extra)->bytes.size(), 2u);
  EXPECT_EQ(p.group_port, 5004);
  EXPECT_EQ(p.group_address.to_string(), "239.1.2.3");
}

TEST(ClientScript, CreateRejectsBadValues) {
  std::string err;
  CreateParams p;
  for (const char* line : {"create c as a keepalive=1", "create c as a keepalive=1,300",
                           "create c as a group=1.2.3.4", "create c as a key=hex:zz",
                           "create c as a open closed", "create c as a start-time=soon"}) {
    auto c = parse_line(line, 1, err);
    ASSERT_TRUE(c) << line << ": " << err;
    EXPECT_FALSE(parse_create(*c, p, err)) << line;
  }
}

TEST(ClientScript, EventMatcherComparesThePrimaryField) {
  Event st;
  st.kind = EventKind::state;
  st.from = State::activating;
  st.to = State::active;
  const auto j = to_json(st);
  EXPECT_TRUE(event_matches(j, "state", ""));
  EXPECT_TRUE(event_matches(j, "state", "active"));
  EXPECT_FALSE(event_matches(j, "state", "joined"));
  EXPECT_FALSE(event_matches(j, "key", ""));
  Event k;
  k.kind = EventKind::key;
  k.epoch = 2;
  k.key = {0xab, 0xcd};
  k.detail = "KDUPT";
  const auto jk = to_json(k);
  EXPECT_EQ(jk["key"], "abcd");
  EXPECT_TRUE(event_matches(jk, "key", "2"));
  EXPECT_FALSE(event_matches(jk, "key", "3"));
}

TEST(ClientScript, ReceivedEventsDescribeTheMessage) {
  Event e;
  e.kind = EventKind::received;
  e.channel = Channel::mm;
  build::MmContext c;
  c.session = SessionId{0x3a5c};
  c.mode = Mode::closed;
  e.raw = encode(build::kareq(c, UserId{0xc0de}, MemberType::participant, 7));
  const auto j = to_json(e);
  EXPECT_EQ(j["type"], "KAREQ");
  EXPECT_EQ(j["message"]["session_id"], 0x3a5c);
  EXPECT_EQ(j["message"]["options"][0]["value"], 7);
  EXPECT_TRUE(event_matches(j, "received", "KAREQ"));
}

}  // namespace
}  // namespace gmp::client::script

namespace gmp::client {
namespace {

// The history a wait-for reads is bounded by count and by bytes: 20,000 events of big
// datagrams would otherwise be hundreds of megabytes. The oldest go first; the cursor of a
// pending wait-for keeps pointing at the same event.
TEST(ClientEventHistory, BoundedByCountAndBytes) {
  EventHistory by_count(3, 1u << 20);
  for (int i = 0; i < 10; ++i) by_count.push({{"event", "sent"}, {"n", i}});
  EXPECT_EQ(by_count.size(), 3u);
  EXPECT_EQ(by_count[0]["n"], 7);
  EXPECT_EQ(by_count.dropped(), 7u);

  EventHistory by_bytes(20000, 10000);
  const std::string big(900, 'x');
  for (int i = 0; i < 1000; ++i) by_bytes.push({{"event", "unexpected"}, {"hex", big}, {"n", i}});
  EXPECT_LE(by_bytes.bytes(), 10000u);
  EXPECT_GE(by_bytes.size(), 9u);
  EXPECT_LE(by_bytes.size(), 11u);
  EXPECT_EQ(by_bytes[by_bytes.size() - 1]["n"], 999);

  EventHistory cursor(4, 1u << 20);
  for (int i = 0; i < 4; ++i) cursor.push({{"n", i}});
  cursor.cursor = 2;  // events 0 and 1 consumed
  cursor.push({{"n", 4}});
  EXPECT_EQ(cursor.cursor, 1u);
  EXPECT_EQ(cursor[cursor.cursor]["n"], 2);
}

// The adapter contract (docs/client-adapter.md): `hello 1` is answered at once with the
// contract version, the implementation and the commands supported; a verb of no version we
// know is answered with `unsupported`, not a syntax error; `quit` ends the run now.
TEST(ClientAdapter, HelloUnsupportedAndQuit) {
  asio::io_context io;
  std::vector<nlohmann::json> events;
  int done = -1;
  Runner::Options o;
  o.implementation = "gmp-client 9.9";
  Runner r(io, ServerEndpoints{}, o, [&](const nlohmann::json& j) { events.push_back(j); },
           [&](int code) { done = code; });
  r.push_line("hello 1");
  ASSERT_EQ(events.size(), 1u);
  const auto& h = events[0];
  EXPECT_EQ(h["event"], "hello");
  EXPECT_EQ(h["adapter_version"], 1);
  EXPECT_EQ(h["implementation"], "gmp-client 9.9");
  const std::vector<std::string> supports = h["supports"];
  EXPECT_EQ(supports, (std::vector<std::string>{"create", "register", "join", "activate", "members",
                                                "leave", "terminate", "delete", "mute", "unmute"}));
  r.push_line("teleport c1 to=mars");
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[1]["event"], "unsupported");
  EXPECT_EQ(events[1]["command"], "teleport");
  r.push_line("join nobody");  // a command it does, refused now: error with why
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[2]["event"], "error");
  EXPECT_EQ(events[2]["why"], "no membership named 'nobody'");
  EXPECT_EQ(events[2]["membership"], "nobody");
  EXPECT_FALSE(r.done());
  r.push_line("quit");
  EXPECT_TRUE(r.done());
  EXPECT_EQ(events.back()["event"], "done");
  EXPECT_EQ(done, exit_code::script);  // the unknown verb still fails a script
}

TEST(ClientAdapter, HelloNeedsTheVersionAndEveryAdvertisedCommandParses) {
  std::string err;
  EXPECT_FALSE(script::parse_line("hello", 1, err));
  EXPECT_EQ(err, "hello: expected the contract version (hello 1)");
  EXPECT_TRUE(script::known_verb("hello"));
  EXPECT_FALSE(script::known_verb("teleport"));
  for (const auto& verb : Runner::adapter_commands()) EXPECT_TRUE(script::known_verb(verb)) << verb;
  // The argument syntax of the contract's table, verbatim.
  EXPECT_TRUE(script::parse_line(
      R"(create c1 as alice closed secure session-name="weekly \"call\"" keepalive=10,5,3 base=bob,carol allow=dave key=text:k group=239.1.2.3:5000)",
      1, err))
      << err;
  EXPECT_TRUE(script::parse_line("register p1 session=42 as bob key=hex:0a0b", 1, err)) << err;
  EXPECT_TRUE(script::parse_line("activate p1 port=4000", 1, err)) << err;
}

}  // namespace
}  // namespace gmp::client
