// The client's transition table (transitions.hpp) and the one place ClientCore changes state,
// with the invariants checked after every change in debug and sanitizer builds.
#include "gmp/client/transitions.hpp"

#include <cstdio>
#include <cstdlib>

#include "gmp/client/core.hpp"

// Debug builds (no NDEBUG), sanitizer builds, and the core tests' build check invariants.
#if !defined(NDEBUG) || defined(__SANITIZE_ADDRESS__) || defined(GMP_CLIENT_INVARIANTS)
#define GMP_CLIENT_CHECK_INVARIANTS 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(undefined_behavior_sanitizer)
#define GMP_CLIENT_CHECK_INVARIANTS 1
#endif
#endif

namespace gmp::client {

namespace {

struct Row {
  State from;
  Input input;
  State to;
  bool back = false;  // to the state the SJREQ was sent from (see Target)
};

using S = State;
using I = Input;

// Profile 5 (SM) and 6 (MM), client side; the figure of each step is in transitions.hpp.
// Rows whose `to` equals `from` allow an input that changes nothing in that state.
constexpr Row rows[] = {
    // Creation (Figures 4, 5).
    {S::idle, I::create, S::creating},
    {S::creating, I::scacc, S::describing},
    {S::creating, I::screj, S::failed},
    {S::creating, I::answer_lost, S::failed},
    {S::describing, I::sccon, S::registered},
    {S::describing, I::screj, S::failed},
    {S::describing, I::answer_lost, S::failed},
    // Registration (Figures 6, 7, 8); a failed membership may try again.
    {S::idle, I::register_to, S::registering},
    {S::failed, I::register_to, S::registering},
    {S::registering, I::srres, S::pending},  // closed mode: wait for SRACC / SRREJ
    {S::registering, I::sracc, S::registered},
    {S::registering, I::srrej, S::failed},
    {S::registering, I::answer_lost, S::failed},
    {S::pending, I::sracc, S::registered},
    {S::pending, I::srrej, S::failed},
    {S::pending, I::answer_lost, S::failed},
    // Registered: join, or delete as the creator (Table 1).
    {S::registered, I::join, S::joining},
    {S::registered, I::remove, S::registered},
    {S::registered, I::deleted, S::ended},
    // Joining (Figure 9): SJRES, or no answer, takes us back; a polled member goes on
    // answering KAREQ meanwhile (profile 6.1) and takes a new key (profile 6.6).
    {S::joining, I::sjres, S::joined},
    {S::joining, I::sjres_polled, S::joining, true},
    {S::joining, I::answer_lost, S::joining, true},
    {S::joining, I::kares, S::joining},
    {S::joining, I::kdupt, S::joining},
    {S::joining, I::terminate, S::joining},
    {S::joining, I::trind, S::ended},
    // Joined, not polled (Figure 9; after LVREQ, Figure 19).
    {S::joined, I::join, S::joining},
    {S::joined, I::activate, S::activating},
    {S::joined, I::kdupt, S::joined},
    {S::joined, I::terminate, S::joined},
    {S::joined, I::remove, S::joined},
    {S::joined, I::trind, S::ended},
    {S::joined, I::deleted, S::ended},
    // Activating: SAREQ sent, the first KAREQ answered makes us active (Figures 10, 11).
    {S::activating, I::join, S::joining},
    {S::activating, I::activate, S::activating},
    {S::activating, I::leave, S::joined},
    {S::activating, I::kares, S::active},
    {S::activating, I::kdupt, S::activating},
    {S::activating, I::terminate, S::activating},
    {S::activating, I::remove, S::activating},
    {S::activating, I::trind, S::ended},
    {S::activating, I::deleted, S::ended},
    // Active (Figure 14): the member list, LVREQ (profile 6.5), TRREQ (clause 7.2.4).
    {S::active, I::join, S::joining},
    {S::active, I::activate, S::activating},
    {S::active, I::members, S::active},
    {S::active, I::leave, S::joined},
    {S::active, I::kares, S::active},
    {S::active, I::kdupt, S::active},
    {S::active, I::terminate, S::active},
    {S::active, I::remove, S::active},
    {S::active, I::trind, S::ended},
    {S::active, I::deleted, S::ended},
    // ended and failed: nothing but a new registration from failed.
};

}  // namespace

std::optional<Target> transition(State s, Input in) {
  for (const Row& r : rows)
    if (r.from == s && r.input == in) return Target{r.to, r.back};
  return std::nullopt;
}

std::string_view name(Input in) {
  switch (in) {
    case Input::create: return "create";
    case Input::register_to: return "register";
    case Input::join: return "join";
    case Input::activate: return "activate";
    case Input::members: return "members";
    case Input::leave: return "leave";
    case Input::terminate: return "terminate";
    case Input::remove: return "delete";
    case Input::scacc: return "SCACC";
    case Input::sccon: return "SCCON";
    case Input::screj: return "SCREJ";
    case Input::srres: return "SRRES";
    case Input::sracc: return "SRACC";
    case Input::srrej: return "SRREJ";
    case Input::sjres: return "SJRES";
    case Input::sjres_polled: return "SJRES (polled)";
    case Input::deleted: return "SDRES 0";
    case Input::kares: return "KAREQ answered";
    case Input::kdupt: return "KDUPT";
    case Input::trind: return "TRIND";
    case Input::answer_lost: return "answer lost";
  }
  return "unknown";
}

// ---------------------------------------------------------------- ClientCore

bool ClientCore::allowed(Input in) const { return transition(state_, in).has_value(); }

bool ClientCore::apply(Input in) {
  const auto t = transition(state_, in);
  if (!t) {
    // The handlers ask allowed() before acting, so this is a path they did not foresee.
    ++not_allowed_;
    invariant(false, "an input the table does not list was applied");
    return false;
  }
  const State to = t->back ? before_join_ : t->to;
  if (to != state_) {
    Event e;
    e.kind = EventKind::state;
    e.from = state_;
    e.to = to;
    state_ = to;
    emit(std::move(e));
  }
  check_invariants();
  return true;
}

void ClientCore::refuse_command(std::string detail) {
  ++not_allowed_;
  error(std::move(detail));
}

void ClientCore::refuse_message(Channel c, std::span<const std::uint8_t> raw, std::string why) {
  ++not_allowed_;
  unexpected(c, raw, std::move(why));
}

void ClientCore::invariant([[maybe_unused]] bool holds, [[maybe_unused]] const char* what) const {
#ifdef GMP_CLIENT_CHECK_INVARIANTS
  if (holds) return;
  std::fprintf(stderr, "gmp::client::ClientCore invariant broken in state %s: %s\n",
               std::string(name(state_)).c_str(), what);
  std::abort();
#endif
}

void ClientCore::check_invariants() {
#ifdef GMP_CLIENT_CHECK_INVARIANTS
  const auto in = [this](std::initializer_list<State> set) {
    for (State s : set)
      if (state_ == s) return true;
    return false;
  };
  const bool polling = in({S::activating, S::active}) ||
                       (state_ == S::joining && (before_join_ == S::activating || before_join_ == S::active));
  invariant(polled_ == polling, "polled exactly while activating, active, or re-joining from there");
  invariant(!polled_ || mm_port_ != 0, "polled implies an MM port announced");
  invariant(!in({S::registered, S::joining, S::joined, S::activating, S::active}) || has_ids(),
            "a registered membership has its session and user IDs");
  const auto awaiting = [this](SmType t) { return awaited_ && *awaited_ == t; };
  invariant(awaiting(SmType::SCREQ) == (state_ == S::creating), "SCREQ outstanding iff creating");
  invariant(awaiting(SmType::SCINF) == (state_ == S::describing), "SCINF outstanding iff describing");
  invariant(awaiting(SmType::SRREQ) == in({S::registering, S::pending}),
            "SRREQ outstanding iff registering or pending");
  invariant(awaiting(SmType::SJREQ) == (state_ == S::joining), "SJREQ outstanding iff joining");
  invariant(!in({S::ended, S::failed}) || (!polled_ && uireq_sent_ == 0 && trreq_sent_ == 0),
            "nothing is polled or retransmitted once the session is over");
  invariant(uireq_sent_ <= timing_.uireq_tries && trreq_sent_ <= timing_.trreq_tries,
            "retransmissions stay within their bound");
  invariant(!hooks_.newer_epochs_only || key_epoch_ == highest_epoch_ || highest_epoch_ == 0 ||
                epoch_newer(key_epoch_, highest_epoch_),
            "the group key's epoch only grows (as a serial number)");
  highest_epoch_ = key_epoch_;
  invariant(events_.size() <= max_queued_events, "the event queue is bounded");
#endif
}

}  // namespace gmp::client
