// Turns a `send` step (typed fields, or raw hex) into the bytes the tester puts on the wire.
// Typed messages go through the codec's encoder; every header field can be overridden, even to
// an invalid value, so that robustness purposes (profile section 7) can be written as data.
#pragma once

#include <cstdint>
#include <vector>

#include "model.hpp"

namespace conform {

/// What a lifeline fills in when a typed message leaves a field out.
struct SendDefaults {
  Json session;        // number or null
  Json user;           // number or null
  std::string mode = "open";   // "open" / "closed"
  bool secure = false;
  std::string role = "participant";
  std::string client_name;
  std::uint16_t mm_port = 0;   // the lifeline's UDP port (SAREQ's MM-PORT default)
};

struct Outgoing {
  bool tcp = true;          // SM over TCP, else MM over UDP
  bool prefixed = true;     // TCP only: false when the step gave a raw frame (no prefix added)
  std::vector<std::uint8_t> bytes;  // SM message (prefix added by the sender) / frame / datagram
};

/// `a` has its variables already resolved. Throws ScenarioError on a bad field value.
Outgoing build_outgoing(const Json& a, const SendDefaults& d);

/// Hex text (spaces allowed) to bytes; throws ScenarioError.
std::vector<std::uint8_t> hex_bytes(const std::string& text);

}  // namespace conform
