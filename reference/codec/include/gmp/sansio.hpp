// The one sans-I/O vocabulary both protocol cores speak (server: gmp::server::Server,
// client: gmp::client::ClientCore). Neither core owns a socket, a thread or a clock.
//
//   Inputs   every input carries `now`, the caller's clock reading:
//              handle_sm_bytes(...)   one framed SM message (no TCP length prefix)
//              handle_sm_closed(...)  the TCP connection ended (or failed)
//              handle_mm_bytes(...)   one UDP datagram with its source
//              handle_timeout(now)    called at or after next_deadline()
//            plus each core's own commands (client: create, join, ...; server: shutdown).
//   Outputs  drained by the caller after every input, always in this order:
//              1. poll_transmit() until empty: what to put on the wire (or close)
//              2. poll_event() until empty:    what happened, for logs and user interfaces
//              3. next_deadline():             when to call handle_timeout() next
//
// The shells (Asio) do nothing else: read, call handle_*, drain, write, re-arm one timer.
// Timer behaviour is therefore testable with a fake clock: advance `now`, call
// handle_timeout(now), look at what was polled.
#pragma once

#include <chrono>

namespace gmp::sansio {

using Clock = std::chrono::steady_clock;
/// Passed in by the caller; a core never reads a clock.
using Time = Clock::time_point;
using Millis = std::chrono::milliseconds;

}  // namespace gmp::sansio
