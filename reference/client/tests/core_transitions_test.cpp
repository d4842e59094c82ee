// The transition table (transitions.hpp): what it allows, and that the core refuses and
// counts what it does not list, with the events the core always gave for them.
#include "fake_server.hpp"

namespace gmp::client::test {
namespace {

constexpr State all_states[] = {State::idle,       State::creating, State::describing,
                                State::registering, State::pending,  State::registered,
                                State::joining,     State::joined,   State::activating,
                                State::active,      State::ended,    State::failed};
constexpr Input all_inputs[] = {
    Input::create, Input::register_to, Input::join,  Input::activate,     Input::members,
    Input::leave,  Input::terminate,   Input::remove, Input::scacc,       Input::sccon,
    Input::screj,  Input::srres,       Input::sracc,  Input::srrej,       Input::sjres,
    Input::sjres_polled, Input::deleted, Input::kares, Input::kdupt,      Input::trind,
    Input::answer_lost};

TEST(ClientTransitions, EndedAllowsNothingAndFailedOnlyANewRegistration) {
  for (Input in : all_inputs) {
    EXPECT_FALSE(transition(State::ended, in)) << name(in);
    EXPECT_EQ(transition(State::failed, in).has_value(), in == Input::register_to) << name(in);
  }
}

TEST(ClientTransitions, EveryStateButEndedHasAWayOut) {
  for (State s : all_states) {
    bool leaves = false;
    for (Input in : all_inputs) {
      const auto t = transition(s, in);
      leaves = leaves || (t && (t->back || t->to != s));
    }
    EXPECT_EQ(leaves, s != State::ended) << name(s);
  }
}

TEST(ClientTransitions, OnlyTheJoiningStateGoesBack) {
  for (State s : all_states) {
    for (Input in : all_inputs) {
      const auto t = transition(s, in);
      if (t && t->back) {
        EXPECT_EQ(s, State::joining) << name(in);
      }
    }
  }
  ASSERT_TRUE(transition(State::joining, Input::answer_lost));
  EXPECT_TRUE(transition(State::joining, Input::answer_lost)->back);
  EXPECT_EQ(transition(State::joining, Input::sjres)->to, State::joined);
}

TEST(ClientTransitions, ARefusedCommandIsAnErrorEventAndCounted) {
  Harness h(Role::participant);
  h.core.join(h.now);
  h.core.leave(h.now);
  h.pump();
  EXPECT_EQ(h.core.not_allowed(), 2u);
  ASSERT_EQ(h.count(EventKind::error), 2u);
  EXPECT_EQ(h.events[0].detail, "join: not registered (state idle)");
  EXPECT_EQ(h.events[1].detail, "leave: not polled (state idle)");
  EXPECT_EQ(h.unread(), 0u);
  EXPECT_EQ(h.core.state(), State::idle);
}

TEST(ClientTransitions, ARefusalThatIsNotAboutTheStateIsNotCounted) {
  Harness h(Role::participant);
  h.core.create(cp("bob"), h.now);  // a participant never creates: the role, not the state
  h.pump();
  EXPECT_EQ(h.count(EventKind::error), 1u);
  EXPECT_EQ(h.core.not_allowed(), 0u);
}

// Figure 7: a closed session's SRRES once; a second one is not allowed while pending.
TEST(ClientTransitions, ASecondSrresIsUnexpectedAndCounted) {
  Harness h(Role::participant);
  h.send_srreq();
  h.take_sm();
  h.feed(build::srres(kSession, true, false));
  EXPECT_EQ(h.core.state(), State::pending);
  EXPECT_EQ(h.core.not_allowed(), 0u);
  h.feed(build::srres(kSession, true, false));
  EXPECT_EQ(h.core.state(), State::pending);
  EXPECT_EQ(h.last(EventKind::unexpected)->detail, "a second SRRES");
  EXPECT_EQ(h.core.not_allowed(), 1u);
}

// Figure 14 after TRIND: the session is over, every MM message is refused and counted.
TEST(ClientTransitions, MmAfterTheEndIsUnexpectedAndCounted) {
  Harness h(Role::participant);
  h.make_active();
  h.feed(build::trind(h.ctx(Mode::open), kUser, MemberType::participant));
  ASSERT_EQ(h.core.state(), State::ended);
  h.feed(build::kareq(h.ctx(Mode::open), kUser, MemberType::participant, 9));
  EXPECT_EQ(h.unread(), 0u);  // no KARES
  EXPECT_EQ(h.last(EventKind::unexpected)->detail, "the session is over for us");
  EXPECT_EQ(h.core.not_allowed(), 1u);
}

}  // namespace
}  // namespace gmp::client::test
