// Unit tests of the pure matching module (match/expect.hpp): what a received message means for
// expect, unordered, nothing and closed steps, with the exact wording the reports quote.
#include <gmp/message.hpp>
#include <gtest/gtest.h>

#include "match/expect.hpp"
#include "matcher.hpp"

using namespace conform;
using namespace conform::match;

namespace {

Received sm(const gmp::SmMessage& m, double t_ms = 10) { return {false, describe(true, gmp::encode(m)), t_ms}; }
Received mm(const gmp::MmMessage& m, double t_ms = 10) { return {false, describe(false, gmp::encode(m)), t_ms}; }
Received closed_at(double t_ms) { return {true, Json(), t_ms}; }

Expectation want(const std::string& at, const std::string& type, Json match = Json::object(),
                 double deadline_ms = 1000, double earliest_ms = -1) {
  return {{at, MsgType::parse(type)->channel()}, type, std::move(match), deadline_ms, earliest_ms, false, {}};
}

const gmp::SessionId session{7};
const gmp::UserId user{3};
const std::set<std::string> karq_ignored = {"KAREQ"};

}  // namespace

TEST(MatchExpect, MatchingMessageMeetsTheExpectation) {
  ExpectSet set(0);
  set.add(want("A", "SJRES", {{"session_id", 7}}));
  Judgement j = set.offer(0, sm(gmp::build::sjres(session, user, false, false, 1234, {}, nullptr)), karq_ignored);
  EXPECT_EQ(j.outcome, Outcome::matched);
  EXPECT_FALSE(j.failed());
  EXPECT_TRUE(set[0].done);
  EXPECT_TRUE(set.all_done());
}

TEST(MatchExpect, FieldDifferenceIsAMismatchQuotingTheMessage) {
  ExpectSet set(0);
  set.add(want("A", "SCREJ", {{"opt.REASON", 3}}));
  Judgement j = set.offer(0, sm(gmp::build::screj(gmp::Reason::not_authorised, false)), karq_ignored);
  ASSERT_EQ(j.outcome, Outcome::mismatch);
  EXPECT_EQ(j.reason, "SCREJ at A does not match");
  ASSERT_EQ(j.details.size(), 2u);
  EXPECT_EQ(j.details[0].rfind("observed: {", 0), 0u) << j.details[0];
  EXPECT_EQ(j.details[1], "opt.REASON: expected 3, observed 2");
  EXPECT_FALSE(j.timing);
  EXPECT_FALSE(set[0].done);
}

TEST(MatchExpect, UnexpectedTypeNamesWhatWasExpected) {
  ExpectSet set(0);
  set.add(want("A", "SJRES"));
  Judgement j = set.offer(0, sm(gmp::build::screj(gmp::Reason::invalid_request, false)), karq_ignored);
  ASSERT_EQ(j.outcome, Outcome::unexpected);
  EXPECT_EQ(j.reason, "unexpected SCREJ at A while SJRES was expected");
  ASSERT_EQ(j.details.size(), 2u);
  EXPECT_EQ(j.details[0], "expected: SJRES {}");
}

TEST(MatchExpect, IgnoredTypeIsSkipped) {
  ExpectSet set(0);
  set.add(want("A", "UIRES"));
  gmp::build::MmContext c;
  c.session = session;
  Judgement j = set.offer(0, mm(gmp::build::kareq(c, user, gmp::MemberType::participant, 1)), karq_ignored);
  EXPECT_EQ(j.outcome, Outcome::ignored);
  EXPECT_FALSE(j.failed());
  EXPECT_FALSE(set[0].done);
  // Not ignored without the list: a KAREQ is then unexpected.
  EXPECT_EQ(set.offer(0, mm(gmp::build::kareq(c, user, gmp::MemberType::participant, 1)), {}).outcome,
            Outcome::unexpected);
}

TEST(MatchExpect, InvalidMessageNeverMatches) {
  auto bytes = gmp::encode(gmp::build::sjreq(session, user));
  bytes[2] ^= 0xFF;  // checksum
  ExpectSet set(0);
  set.add(want("A", "SJREQ"));
  Judgement j = set.offer(0, {false, describe(true, bytes), 5}, {});
  ASSERT_EQ(j.outcome, Outcome::mismatch);
  ASSERT_FALSE(j.details.empty());
  EXPECT_NE(j.details.back().find("error: the message is invalid"), std::string::npos) << j.details.back();
}

TEST(MatchExpect, ClosedConnectionWhileExpecting) {
  ExpectSet set(0);
  set.add(want("creator", "SCACC"));
  Judgement j = set.offer(0, closed_at(20), {});
  EXPECT_EQ(j.outcome, Outcome::closed);
  EXPECT_EQ(j.reason, "the server closed creator's connection while SCACC was expected");
}

TEST(MatchExpect, TooEarlyIsATimingFailure) {
  ExpectSet set(100);
  set.add(want("A", "SJRES", Json::object(), 2000, 600));
  Judgement j = set.offer(0, sm(gmp::build::sjres(session, user, false, false, 1, {}, nullptr), 350), {});
  ASSERT_EQ(j.outcome, Outcome::too_early);
  EXPECT_TRUE(j.failed());
  EXPECT_TRUE(j.timing);
  EXPECT_EQ(j.reason, "SJRES arrived too early");
  EXPECT_EQ(j.details, std::vector<std::string>{"expected not before 500 ms, observed after 250 ms"});
}

TEST(MatchExpect, UnorderedTakesTheFirstSatisfiedExpectationOfTheLane) {
  ExpectSet set(0);
  set.add(want("A", "SCREJ", {{"opt.REASON", 4}}));
  set.add(want("A", "SCREJ", {{"opt.REASON", 2}}));
  set.add(want("B", "SCREJ"));
  Judgement j = set.offer(0, sm(gmp::build::screj(gmp::Reason::not_authorised, false)), {});
  ASSERT_EQ(j.outcome, Outcome::matched);
  EXPECT_EQ(j.which, 1u);
  EXPECT_FALSE(set[0].done);
  EXPECT_EQ(set[0].near, std::vector<std::string>{"opt.REASON: expected 4, observed 2"});
  EXPECT_FALSE(set[2].done);  // another lifeline's lane is not offered A's messages
  EXPECT_FALSE(set.all_done());
}

TEST(MatchExpect, DeadlinesAndTimeoutWording) {
  ExpectSet set(50);
  set.add(want("A", "SJRES", Json::object(), 800));
  set.add(want("B", "SRACC", {{"session_id", 7}}, 300));
  EXPECT_EQ(set.next_deadline(), 300);
  EXPECT_FALSE(set.expired(299).has_value());
  auto j = set.expired(300);
  ASSERT_TRUE(j.has_value());
  EXPECT_EQ(j->which, 1u);
  EXPECT_EQ(j->outcome, Outcome::timeout);
  EXPECT_TRUE(j->timing);
  EXPECT_EQ(j->reason, "no SRACC at B in time");
  EXPECT_EQ(j->details, (std::vector<std::string>{"expected: SRACC {\"session_id\":7} within 250 ms", "observed: nothing"}));
}

TEST(MatchExpect, TimeoutQuotesTheLastNearMiss) {
  ExpectSet set(0);
  set.add(want("A", "SCREJ", {{"opt.REASON", 4}}, 100));
  set.add(want("A", "SCREJ", {{"opt.REASON", 2}}, 100));
  ASSERT_EQ(set.offer(1, sm(gmp::build::screj(gmp::Reason::not_authorised, false)), {}).which, 1u);
  auto j = set.expired(100);
  ASSERT_TRUE(j.has_value());
  EXPECT_EQ(j->details.back(), "last SCREJ seen: opt.REASON: expected 4, observed 2");
}

TEST(MatchCapture, ValuesInOrderOrTheAbsentPath) {
  Json m = describe(true, gmp::encode(gmp::build::scacc(session, user, false)));
  Captures c = capture(m, {{Json("session"), "session_id"}, {Json("creator.user"), "user_id"}});
  EXPECT_TRUE(c.error.empty());
  ASSERT_EQ(c.values.size(), 2u);
  EXPECT_EQ(c.values[0].second, Json(7));
  EXPECT_EQ(c.values[1].second, Json(3));
  Captures bad = capture(m, {{Json("r"), "opt.REASON"}});
  EXPECT_EQ(bad.error, "cannot capture opt.REASON: absent from SCACC");
}

TEST(MatchNothing, TypesOrEverythingNotIgnored) {
  Silence any{{}, {"KAREQ"}, 100, 250};
  gmp::build::MmContext c;
  c.session = session;
  EXPECT_FALSE(breaks_silence(mm(gmp::build::kareq(c, user, gmp::MemberType::participant, 1)), "A", any));
  auto j = breaks_silence(mm(gmp::build::trind(c, user, gmp::MemberType::participant), 130), "A", any);
  ASSERT_TRUE(j.has_value());
  EXPECT_EQ(j->outcome, Outcome::violation);
  EXPECT_EQ(j->reason, "unexpected TRIND at A where nothing was expected");
  EXPECT_EQ(j->details[0], "expected: no message for 150 ms");
  EXPECT_EQ(j->details[1].rfind("observed after 30 ms: {", 0), 0u) << j->details[1];

  Silence only{{"SDRES", "TRIND"}, {}, 0, 100};
  EXPECT_FALSE(breaks_silence(sm(gmp::build::screj(gmp::Reason::resources, false)), "S", only));
  auto k = breaks_silence(mm(gmp::build::trind(c, user, gmp::MemberType::creator)), "S", only);
  ASSERT_TRUE(k.has_value());
  EXPECT_EQ(k->details[0], "expected: no [\"SDRES\",\"TRIND\"] for 100 ms");
  // A close is a message for `nothing`.
  auto closed = breaks_silence(closed_at(40), "S", any);
  ASSERT_TRUE(closed.has_value());
  EXPECT_EQ(closed->details[1], "observed after -60 ms: (connection closed)");
}

TEST(MatchClosed, CloseOrTheMessageInstead) {
  EXPECT_EQ(awaiting_close(closed_at(5)).outcome, Outcome::matched);
  Judgement j = awaiting_close(sm(gmp::build::sdres(session, user, gmp::Reason::success, false, false)));
  EXPECT_TRUE(j.failed());
  EXPECT_EQ(j.reason, "the server answered SDRES instead of closing the connection");
  Judgement t = not_closed("A", 1200);
  EXPECT_TRUE(t.timing);
  EXPECT_EQ(t.details, (std::vector<std::string>{"expected: connection closed within 1200 ms", "observed: still open"}));
}
