// Profile 6.2, 6.4, 6.5: Figures 13, 15, 17, 18 (UIREQ/UIRES) and 19 (LVREQ).
#include <algorithm>

#include "harness.hpp"

namespace gmp::server::test {

namespace {

struct Group {
  Group(bool closed, int participants, std::vector<std::string> base = {}) {
    alice = h.client("alice", 1);
    SessionParams p;
    p.closed = closed;
    p.base = base;
    if (closed) p.access_key = {9, 9};
    s = h.create(alice, p);
    h.join(s, alice);
    h.activate(s, alice, mode());
    for (int i = 0; i < participants; ++i) {
      const std::string n = i < static_cast<int>(base.size()) ? base[static_cast<std::size_t>(i)]
                                                              : "p" + std::to_string(i);
      Client c = h.client(n, 10 + i);
      SmMessage req = build::srreq(s, c.name);
      if (closed) req.options.emplace_back(opt::AccessKey{{9, 9}});
      h.sm(c, req);
      auto out = h.take();
      c.user = std::get<SendSm>(out.back()).msg.user;
      c.type = h.srv.member(s, c.user)->type;
      h.join(s, c);
      h.activate(s, c, mode());
      members.push_back(c);
    }
  }
  Mode mode() const { return h.srv.session(s) && h.srv.session(s)->mode == Mode::closed ? Mode::closed : Mode::open; }
  std::vector<MmMessage> uireq(const Client& c) {
    h.mm(c, build::uireq(s, c.user, c.type, mode()));
    std::vector<MmMessage> parts;
    for (auto& a : h.take()) {
      const auto& m = std::get<SendMm>(a);
      EXPECT_EQ(m.to, c.mm());
      parts.push_back(m.msg);
    }
    return parts;
  }
  Harness h;
  Client alice;
  SessionId s;
  std::vector<Client> members;
};

std::vector<opt::MemberEntry> entries_of(const std::vector<MmMessage>& parts) {
  std::vector<opt::MemberEntry> out;
  for (const auto& p : parts)
    for (const auto* l : find_all<opt::MemberList>(p.options))
      out.insert(out.end(), l->entries.begin(), l->entries.end());
  return out;
}

}  // namespace

// Figure 17: closed mode, UIRES lists every active member, ascending user ID, no MEMBER-COUNT.
TEST(Figure17, ClosedUiresListsEveryActiveMember) {
  Group g(true, 3);
  const auto parts = g.uireq(g.members[1]);
  ASSERT_EQ(parts.size(), 1u);
  const MmMessage& u = parts[0];
  EXPECT_EQ(u.type, MmType::UIRES);
  EXPECT_TRUE(u.ui);
  EXPECT_EQ(u.user, g.members[1].user);
  EXPECT_EQ(u.mode, static_cast<std::uint8_t>(Mode::closed));
  EXPECT_EQ(find<opt::MemberCount>(u.options), nullptr);
  ASSERT_FALSE(u.options.empty());
  EXPECT_TRUE(std::holds_alternative<opt::ListPart>(u.options[0]));
  std::vector<opt::MemberEntry> expect{{g.alice.user, 4}};
  for (const auto& c : g.members) expect.push_back({c.user, 1});
  std::sort(expect.begin(), expect.end(), [](auto& a, auto& b) { return a.user < b.user; });
  EXPECT_EQ(entries_of(parts), expect);
}

// Figure 15: open mode, UIRES lists the active creator and base members and counts the rest.
TEST(Figure15, OpenUiresListsCreatorAndBaseAndCountsOthers) {
  Group g(false, 4, {"dave"});
  const auto parts = g.uireq(g.members[2]);
  ASSERT_EQ(parts.size(), 1u);
  const MmMessage& u = parts[0];
  ASSERT_GE(u.options.size(), 2u);
  EXPECT_TRUE(std::holds_alternative<opt::ListPart>(u.options[0]));
  ASSERT_TRUE(std::holds_alternative<opt::MemberCount>(u.options[1]));
  EXPECT_EQ(member_count_at1(u), 3u);  // requester included
  std::vector<opt::MemberEntry> expect{{g.alice.user, 4}, {g.members[0].user, 2}};
  std::sort(expect.begin(), expect.end(), [](auto& a, auto& b) { return a.user < b.user; });
  EXPECT_EQ(entries_of(parts), expect);
}

TEST(Figure15, InactiveMembersAreNeitherListedNorCounted) {
  Group g(false, 2);
  g.h.mm(g.members[0], build::lvreq(g.s, g.members[0].user, MemberType::participant, Mode::open));
  const auto parts = g.uireq(g.members[1]);
  ASSERT_EQ(parts.size(), 1u);
  EXPECT_EQ(member_count_in(parts[0]), 1u);
}

// Figure 18: a list above 1,200 bytes is split; parts 1..n, all sent at once.
TEST(Figure18, LongListIsSplitIntoParts) {
  Group g(true, 600);
  const auto parts = g.uireq(g.alice);
  ASSERT_GE(parts.size(), 3u);
  for (std::size_t i = 0; i < parts.size(); ++i) {
    const auto* lp = find<opt::ListPart>(parts[i].options);
    ASSERT_TRUE(lp);
    EXPECT_EQ(lp->index, i + 1);
    EXPECT_EQ(lp->count, parts.size());
    EXPECT_LE(encode(parts[i]).size(), max_mm_uires_size);
  }
  const auto all = entries_of(parts);
  EXPECT_EQ(all.size(), 601u);
  EXPECT_TRUE(std::is_sorted(all.begin(), all.end(),
                             [](auto& a, auto& b) { return a.user < b.user; }));
}

TEST(Figure13, UireqFromJoinedMemberIsDiscarded) {
  Group g(true, 1);
  g.h.mm(g.members[0], build::lvreq(g.s, g.members[0].user, MemberType::participant, Mode::closed));
  const auto before = g.h.fingerprint();
  g.h.mm(g.members[0], build::uireq(g.s, g.members[0].user, MemberType::participant, Mode::closed));
  g.h.expect_nothing();
  EXPECT_EQ(g.h.fingerprint(), before);
  EXPECT_EQ(g.h.srv.counters().discarded(Discard::wrong_state), 1u);
}

// Figure 19: an active participant leaves: back to joined, no more KAREQ, no answer.
TEST(Figure19, LeaveStopsPolling) {
  Group g(false, 2);
  Client& bob = g.members[0];
  g.h.mm(bob, build::lvreq(g.s, bob.user, MemberType::participant, Mode::open));
  g.h.expect_nothing();
  EXPECT_EQ(g.h.state(g.s, bob), MemberState::joined);
  EXPECT_FALSE(g.h.polled(g.s, bob));
  auto out = g.h.advance(Millis{1000});
  EXPECT_TRUE(mm_to(out, bob.mm()).empty());
  EXPECT_EQ(mm_to(out, g.members[1].mm()).size(), 1u);
  // A second LVREQ (not polled) and a KARES (joined, not polled) are discarded.
  const auto before = g.h.fingerprint();
  g.h.mm(bob, build::lvreq(g.s, bob.user, MemberType::participant, Mode::open));
  g.h.mm(bob, g.h.kares(g.s, bob, 1));
  g.h.expect_nothing();
  EXPECT_EQ(g.h.fingerprint(), before);
  EXPECT_EQ(g.h.srv.counters().discarded(Discard::not_polled), 1u);
  // SAREQ makes it polled again.
  g.h.sm(bob, build::sareq(g.s, bob.user, bob.mm_port));
  EXPECT_EQ(g.h.one_mm(bob).type, MmType::KAREQ);
  EXPECT_TRUE(g.h.polled(g.s, bob));
}

}  // namespace gmp::server::test
