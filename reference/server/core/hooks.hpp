// The protocol decisions the core makes inside a procedure, in one place. Each field is named
// by the decision it takes and starts as the profile requires; the shipped server never
// changes them. Only a test build wrapping the core (docs/architecture.md) sets another value,
// through Server::set_decision_hooks, to show a tester can tell the difference.
// Everything else a test build changes (bytes in, messages out) it changes outside the core.
#pragma once

#include <array>

#include "gmp/server/core.hpp"

namespace gmp::server {

struct DecisionHooks {
  // Profile 2 [P]: session and user IDs are drawn at random among the unused values
  // (false: 1, 2, 3... in order).
  bool random_ids = true;
  // Profile 5.1 step 2: the order in which SCREQ refusals are checked (2, 3 with S = 1, 1).
  std::array<Reason, 3> screq_refusal_order{Reason::not_authorised, Reason::secure_unsupported,
                                            Reason::resources};
  // Profile 5.1 step 4: an unacceptable SCINF gets SCREJ 5 and the creation is dropped.
  bool refuse_bad_scinf = true;
  // Profile 5.1 step 3: a pending creation expires after its time limit...
  bool pending_expires = true;
  // ...and is dropped when its connection closes.
  bool pending_dropped_on_close = true;
  // Profile 5.3: the same name from the same IP gets the same user ID again.
  bool registration_idempotent = true;
  // Profile 5.3: a closed session admits only listed names holding the ACCESS-KEY.
  bool check_allow_list = true;
  bool check_access_key = true;
  // Profile 1 [P]: SM only from the member's registered IP, MM only from its bound address.
  bool bind_sm_address = true;
  bool bind_mm_address = true;
  // Profile 7: a request naming a user ID not registered on its session is discarded.
  bool refuse_unknown_user = true;
  // Profile 7: a request the member ladder does not allow in the member's state is discarded.
  bool check_member_state = true;
  // Figure 12: a KARES brings a registered member back to joined (polled).
  bool kares_promotes_registered = true;
  // Figure 12: `miss limit` rounds missed in a row demote the member...
  bool timeout_demotes = true;
  // ...counted with the session's MISS-LIMIT (false: one missed round is enough).
  bool honour_miss_limit = true;
  // Profile 6.1: a KARES echoing a round never sent is discarded.
  bool refuse_future_rounds = true;
  // Profile 6.5: a KARES from a member that left (LVREQ) is discarded.
  bool refuse_kares_after_leave = true;
  // Profile 6.1: only a KARES answering the latest round in time resets the miss count.
  bool late_kares_is_a_miss = true;
  // Profile 6.5 (Figure 19): a member that leaves is no longer polled.
  bool leave_stops_polling = true;
  // Profile 6.2: in an open session UIRES lists the creator and base members only.
  bool open_uires_lists_participants = false;
  // Profile 6.3 (Figures 20, 22): the creator's or a base member's LVREQ or KA timeout ends
  // the session.
  bool base_leave_terminates = true;
  bool base_timeout_terminates = true;
  // Profile 5.6: only the creator deletes its session (SDRES REASON 2 otherwise).
  bool only_creator_deletes = true;
  // Clause 7.3 (Figures 23, 24): members leaving the joined group trigger a new key...
  bool rekey_on_leave = true;
  // ...which those members never receive.
  bool new_key_to_leavers = false;
};

}  // namespace gmp::server
