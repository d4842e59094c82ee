// Stable names of the client's states, channels and events (used in JSON and messages).
#include "gmp/client/event.hpp"

namespace gmp::client {

std::string_view name(State s) {
  switch (s) {
    case State::idle: return "idle";
    case State::creating: return "creating";
    case State::describing: return "describing";
    case State::registering: return "registering";
    case State::pending: return "pending";
    case State::registered: return "registered";
    case State::joining: return "joining";
    case State::joined: return "joined";
    case State::activating: return "activating";
    case State::active: return "active";
    case State::ended: return "ended";
    case State::failed: return "failed";
  }
  return "unknown";
}

std::string_view name(Channel c) { return c == Channel::sm ? "sm" : "mm"; }

std::string_view name(EventKind k) {
  switch (k) {
    case EventKind::sent: return "sent";
    case EventKind::received: return "received";
    case EventKind::invalid: return "invalid";
    case EventKind::unexpected: return "unexpected";
    case EventKind::state: return "state";
    case EventKind::key: return "key";
    case EventKind::key_ignored: return "key_ignored";
    case EventKind::keepalive: return "keepalive";
    case EventKind::stale_round: return "stale_round";
    case EventKind::members: return "members";
    case EventKind::rejected: return "rejected";
    case EventKind::ended: return "ended";
    case EventKind::deleted: return "deleted";
    case EventKind::timeout: return "timeout";
    case EventKind::error: return "error";
  }
  return "unknown";
}

}  // namespace gmp::client
