// The client's state machine as one table (transitions.cpp): (state, input) -> state.
// Every state change of ClientCore goes through it; an input the table does not list for the
// current state is not allowed there: ClientCore refuses it (a command with an `error` event,
// a message with an `unexpected` event, profile 7: discarded) and counts it.
//
// Inputs are what can change the state, or is allowed only in some states: the commands,
// the server's answers and MM messages, and the loss of an outstanding SM answer (timeout or
// connection closed). Checks that are not about the state (our role, one SM request at a
// time, which request a message answers, the message's own content) stay with the handler.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "gmp/client/event.hpp"

namespace gmp::client {

enum class Input : std::uint8_t {
  // Commands (core.cpp).
  create,       // SCREQ (Figure 4)
  register_to,  // SRREQ (Figures 6-8)
  join,         // SJREQ (Figure 9)
  activate,     // SAREQ (Figures 10, 11)
  members,      // UIREQ (Figure 18)
  leave,        // LVREQ (Figures 19, 20)
  terminate,    // TRREQ (Figure 21)
  remove,       // SDREQ (Table 1)
  // SM answers (core_sm.cpp, profile 5), once matched to the outstanding request.
  scacc,
  sccon,
  screj,
  srres,
  sracc,
  srrej,
  sjres,         // SJRES to an SJREQ sent while not polled
  sjres_polled,  // SJRES to an SJREQ sent while activating or active: polling goes on
  deleted,       // SDRES with REASON 0
  // MM (core_mm.cpp, Figure 14), from the server's address, for us.
  kares,  // a KAREQ answered
  kdupt,  // a new group key (profile 6.6)
  trind,
  // The outstanding SCREQ, SCINF, SRREQ or SJREQ will get no answer (timeout, closed link).
  answer_lost,
};
std::string_view name(Input in);

/// Where an allowed input leads: `to`, or with `back` the state the outstanding SJREQ was
/// sent from (a re-join does not change where we are on the polling ladder, Figure 9).
struct Target {
  State to = State::idle;
  bool back = false;
};

/// The table's entry for (s, in); nullopt when `in` is not allowed in state `s`.
std::optional<Target> transition(State s, Input in);

}  // namespace gmp::client
