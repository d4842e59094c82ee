// Counters of the server core (profile 7): messages in and out by type, discards by
// reason, connection events. The syntactic discard reasons are the codec's DecodeError names;
// the semantic ones are listed in `Discard` (docs/server.md "Discard reasons").
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

#include "gmp/error.hpp"

namespace gmp::server {

#define GMP_SERVER_DISCARDS(X)                                                              \
  X(wrong_direction)   /* a type the server sends (SCACC, KAREQ...) received by it */       \
  X(unknown_session)   /* session ID neither on the list nor pending */                     \
  X(unknown_user)      /* user ID not registered on that session */                         \
  X(address_mismatch)  /* SM from another IP than the user's, MM from another address */    \
  X(wrong_state)       /* not allowed in the member's state (profile 7) */                  \
  X(not_creator)       /* TRREQ from a member that is not the creator */                    \
  X(not_polled)        /* LVREQ or KARES from a joined member that is not polled */         \
  X(future_round)      /* KARES echoing a round above the highest sent */                   \
  X(wrong_connection)  /* SCINF on another connection than its SCREQ's */                   \
  X(oversize)          /* MM datagram above 1,200 bytes (profile 3) or the receive buffer */ \
  X(write_overflow)    /* a connection that does not read its answers: closed */         \
  X(uires_budget)      /* UIREQ whose UIRES would exceed the UIRES bytes per second */

enum class Discard : std::uint8_t {
#define GMP_DISCARD_ENUM(n) n,
  GMP_SERVER_DISCARDS(GMP_DISCARD_ENUM)
#undef GMP_DISCARD_ENUM
      count_
};
inline constexpr std::size_t discard_count = static_cast<std::size_t>(Discard::count_);
std::string_view discard_name(Discard d);

struct Counters {
  std::array<std::uint64_t, 16> sm_in{};   // by SM type code (Table 2), decoded messages
  std::array<std::uint64_t, 16> sm_out{};
  std::array<std::uint64_t, 16> mm_in{};   // by MM type code (Table 4 + KDUPT)
  std::array<std::uint64_t, 16> mm_out{};
  std::array<std::uint64_t, decode_error_count> decode_errors{};  // syntactic discards, framing
  std::array<std::uint64_t, discard_count> discards{};           // semantic discards
  std::uint64_t connections_opened = 0;
  std::uint64_t connections_closed = 0;
  std::uint64_t connections_refused = 0;  // above the connection limit
  std::uint64_t sessions_created = 0;
  std::uint64_t sessions_ended = 0;
  std::uint64_t pending_expired = 0;
  std::uint64_t rounds = 0;
  std::uint64_t promotions = 0;
  std::uint64_t demotions = 0;
  std::uint64_t rekeys = 0;
  std::uint64_t limit_rejections = 0;  // SCREJ / SRREJ REASON 1
  std::uint64_t total_member_rejections = 0;  // of which SRREJ 1 for the bound over all sessions

  [[nodiscard]] std::uint64_t discarded(Discard d) const {
    return discards[static_cast<std::size_t>(d)];
  }
  [[nodiscard]] std::uint64_t discarded(DecodeError e) const {
    return decode_errors[static_cast<std::size_t>(e)];
  }
  [[nodiscard]] std::uint64_t total_discards() const;
};

}  // namespace gmp::server
