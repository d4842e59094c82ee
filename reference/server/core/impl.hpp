// The server core's state and its procedures, one per figure. Each .cpp file of core/ holds
// one group: creation.cpp (Figures 4, 5), registration.cpp (6-11), keepalive.cpp (12),
// membership.cpp (13, 15, 17, 18, 19), termination.cpp (16, 20-22, SDREQ), security.cpp
// (23, 24), dispatch.cpp (profile 7: decoding, direction, counters, connections).
#pragma once

#include <deque>
#include <functional>
#include <memory>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "gmp/server/core.hpp"
#include "hooks.hpp"
#include "ladder.hpp"
#include "session.hpp"
#include "uires_budget.hpp"

namespace gmp::server {

using detail::Member;
using detail::Pending;
using detail::Session;

struct Server::Impl {
  Impl(Config c, std::unique_ptr<Random> r) : cfg(std::move(c)), rng(std::move(r)) {}

  Config cfg;
  std::unique_ptr<Random> rng;
  Counters ctr;
  std::unordered_map<std::uint16_t, std::unique_ptr<Session>> sessions;
  std::unordered_map<std::uint16_t, Pending> pending;
  detail::DeadlineQueue deadlines;
  std::unordered_set<std::uint64_t> conns;
  std::vector<Transmit> out;
  std::size_t out_pos = 0;
  std::deque<Event> events;
  // Rounds whose KAREQs are still to be queued: generated lazily as the caller drains the
  // actions, so a round of 100,000 members never sits whole in the action queue.
  struct Sending {
    SessionId session;
    std::uint32_t round;
    std::size_t next;  // index in the session's member array
  };
  std::deque<Sending> sending;
  /// Queues pending round KAREQs until `max` actions wait (keepalive.cpp).
  void refill(std::size_t max);
  std::uint64_t version = 0;
  DecisionHooks hooks;  // the profile's decisions (hooks.hpp)
  detail::UiresBudget uires_budget;  // profile 6.4 amplification bound (uires_budget.hpp)
  std::size_t members_total = 0;     // members of every session, against max_members_total
  std::uint16_t seq_session = 0;  // last IDs given in order (hooks.random_ids off)
  std::uint16_t seq_user = 0;

  void discard(Discard d) { ++ctr.discards[static_cast<std::size_t>(d)]; }
  void decode_error(DecodeError e) { ++ctr.decode_errors[static_cast<std::size_t>(e)]; }
  void changed() { ++version; }
  void emit(Event e) { events.push_back(std::move(e)); }

  // ---- output (server.cpp)
  void send_sm(ConnId c, SmMessage m);
  void send_mm(Endpoint to, MmMessage m);
  void close(ConnId c);
  static build::MmContext context(const Session& s);
  static Endpoint mm_address(const Member& m) { return Endpoint{m.mm_ip, m.mm_port}; }
  std::uint16_t draw_id(const std::function<bool(std::uint16_t)>& used, std::uint16_t& sequential);
  Session* find_session(SessionId id);
  /// Adds a registered member (the ladder's first rung) and counts it by state.
  Member& add_member(Session& s, UserId u, std::string_view name, MemberType type, Ipv4 sm_ip);

  // ---- the member ladder (ladder.cpp: the table; server.cpp: these two)
  struct Climb {
    bool allowed = false;                   // false: refused and counted (profile 7)
    std::optional<detail::LadderStep> step;  // the table's move (none: nothing changes)
  };
  /// Looks `in` up for `m`. Not allowed in its state: counted and refused when `enforce`;
  /// otherwise (a decision hook) it goes on with the table's row for the state, if any.
  Climb climb(const Member& m, detail::LadderInput in, bool enforce);
  /// The only place a member's state or polled mark changes.
  void apply(Session& s, Member& m, const detail::LadderStep& step);
  /// Debug and sanitizer builds (NDEBUG off): the session's invariants still hold.
  void check_invariants(const Session& s, const Member& m) const;

  // ---- dispatch.cpp: profile 7 and the MM receive algorithm (Figure 13)
  void on_sm(ConnId c, Ipv4 peer, const SmMessage& m, Time now);
  void on_mm(Endpoint from, const MmMessage& m, Time now);
  /// Finds the member an SM request names, checking session, user and IP (profile 1, 7).
  Member* sm_member(Session*& s, const SmMessage& m, Ipv4 peer);
  void on_connection_closed(ConnId c);

  // ---- creation.cpp (profile 5.1, Figures 4 and 5)
  void on_screq(ConnId c, Ipv4 peer, const SmMessage& m, Time now);
  void on_scinf(ConnId c, Ipv4 peer, const SmMessage& m, Time now);
  void on_pending_expired(SessionId id);

  // ---- registration.cpp (profile 5.3-5.5, Figures 6-11)
  void on_srreq(ConnId c, Ipv4 peer, const SmMessage& m);
  void on_sjreq(ConnId c, Ipv4 peer, const SmMessage& m);
  void on_sareq(ConnId c, Ipv4 peer, const SmMessage& m, Time now);

  // ---- keepalive.cpp (profile 6.1, Figure 12)
  void schedule(Session& s);
  void on_session_timer(Session& s, Time now);
  void start_round(Session& s, Time now);
  void check_round(Session& s);
  void send_kareq(Session& s, Member& m, std::uint32_t round);
  void on_kares(Session& s, Member& m, const MmMessage& msg, Time now);
  /// Returns true when the session ended (creator or base member, profile 6.3).
  bool on_ka_timer_expired(Session& s, Member& m, bool& left_joined_group);

  // ---- membership.cpp (profile 6.2, 6.4, 6.5; Figures 15, 17, 18, 19)
  void on_uireq(Session& s, Member& m);
  void on_lvreq(Session& s, Member& m);

  // ---- termination.cpp (profile 5.6, 6.3; Figures 16, 20, 21, 22)
  void terminate(Session& s, const Member* causer);
  void on_trreq(Session& s, Member& m);
  void on_sdreq(ConnId c, Ipv4 peer, const SmMessage& m);
  void shutdown();

  // ---- security.cpp (profile 6.6, Figures 23 and 24)
  void new_key(Session& s);
  opt::GroupKey group_key(const Session& s) const;
  void rekey(Session& s, const std::vector<UserId>& leavers);
  void send_kdupt(Session& s, Member& m);
  void catch_up_key(Session& s, Member& m);
};

}  // namespace gmp::server
