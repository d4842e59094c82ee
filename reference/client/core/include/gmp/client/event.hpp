// What the client core reports to its caller: states, events, transmissions.
// Everything here is plain data: no I/O, no clock.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gmp/message.hpp"
#include "gmp/sansio.hpp"

namespace gmp::client {

/// The caller's clock reading and durations, as every sans-I/O core takes them (gmp/sansio.hpp):
/// the core never reads a clock.
using Time = sansio::Time;
using Duration = sansio::Millis;

enum class Role : std::uint8_t { creator, participant };

/// The membership as the client sees it (profile 5 and 6, client side). The server's ladder
/// (registered / joined / active, Figure 12) is mirrored by registered / joined / active; the
/// client cannot see a demotion, only the KAREQs that stop coming.
enum class State : std::uint8_t {
  idle,         // nothing sent yet
  creating,     // SCREQ sent, waiting for SCACC / SCREJ (Figure 4, 5)
  describing,   // SCINF sent, waiting for SCCON / SCREJ (Figure 4, 5)
  registering,  // SRREQ sent, waiting for SRRES / SRACC / SRREJ (Figures 6, 7, 8)
  pending,      // SRRES received (closed mode), waiting for SRACC / SRREJ (Figures 7, 8)
  registered,   // on the registered list (creator after SCCON, participant after SRACC)
  joining,      // SJREQ sent (Figure 9)
  joined,       // SJRES received, or left with LVREQ (Figure 19)
  activating,   // SAREQ sent, waiting for the first KAREQ (Figures 10, 11)
  active,       // answered a KAREQ since the last SAREQ (Figure 14)
  ended,        // TRIND received or the session deleted (Figures 16, 20-22; SDRES)
  failed,       // creation or registration refused or abandoned
};
std::string_view name(State s);

/// Which link a message travelled on.
enum class Channel : std::uint8_t { sm, mm };
std::string_view name(Channel c);

enum class EventKind : std::uint8_t {
  sent,         // a message the core sent (raw, message)
  received,     // a well-formed message from the server, before it is acted on (raw, message)
  invalid,      // bytes that do not decode (raw, error): discarded, profile 7
  unexpected,   // a well-formed message this state does not expect (raw, detail): discarded
  state,        // from -> to
  key,          // a new group key installed (epoch, key, detail = "SJRES" | "KDUPT")
  key_ignored,  // a key of an epoch not above the current one (epoch, current_epoch, detail)
  keepalive,    // KA period/timeout learned or changed (ka_period, ka_timeout, round)
  stale_round,  // a KAREQ whose KA-SEQ is below the highest seen (still answered, Figure 14)
  members,      // a complete UIRES list (members, member_count, parts)
  rejected,     // SCREJ / SRREJ / SDRES with a non-zero REASON (reason, detail = message type)
  ended,        // the session is over for us (detail = "TRIND" | "SDRES")
  deleted,      // SDRES REASON 0 (the session is removed)
  timeout,      // no answer in time (detail = what was awaited)
  error,        // a command not allowed now, or the link failed (detail)
};
std::string_view name(EventKind k);

struct Event {
  EventKind kind = EventKind::error;
  Channel channel = Channel::sm;
  std::vector<std::uint8_t> raw;       // sent / received / invalid / unexpected
  DecodeError error = DecodeError::ok;  // invalid
  std::string detail;
  State from = State::idle, to = State::idle;  // state
  std::uint16_t epoch = 0, current_epoch = 0;  // key, key_ignored
  std::vector<std::uint8_t> key;               // key
  std::uint8_t ka_period = 0, ka_timeout = 0;  // keepalive
  std::uint32_t round = 0;                     // keepalive, stale_round
  std::vector<opt::MemberEntry> members;       // members
  std::optional<std::uint32_t> member_count;   // members (open mode)
  std::uint8_t parts = 0;                      // members
  Reason reason = Reason::success;             // rejected
};

/// A message for the caller to put on the wire. SM: without the TCP length prefix.
struct Transmit {
  Channel channel = Channel::sm;
  std::vector<std::uint8_t> bytes;
};

}  // namespace gmp::client
