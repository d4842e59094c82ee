// Anomalies derived from one valid message, field by field (gmp-conform --robustness).
//
// Every anomaly says what a receiver that follows the profile must do with it, so that the
// campaign can prove the implementation alive and its state unchanged afterwards:
//   discard     malformed or not acceptable (profile 4, 7): dropped without an answer and
//               without a change of state; sent BEFORE the valid message, which must then
//               get its usual answer;
//   close       an SM framing error (profile 1): the receiver closes the connection; sent on
//               a connection of its own;
//   equivalent  differs only in what receivers ignore (reserved bits and bytes, padding,
//               unknown options, fields a member's message leaves 0, any member type code
//               in a member's MM message): sent IN PLACE of the valid message, which it must
//               stand for.
// Anomalies whose correct handling the profile leaves open are not generated.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace conform::robustness {

enum class Channel { sm, mm };
enum class Expect { discard, close, equivalent };
const char* name(Expect e);

struct Anomaly {
  std::string family;  // "version", "type", "checksum", "flag", "reserved", "id", "length",
                       // "option.truncated", "option.size", "option.duplicated",
                       // "option.padding", "option.unknown", "option.end", "option.utf8", "cut",
                       // "appended", "framing", "member-type", "mm-fields"
  std::string id;      // family/detail, unique among the anomalies of one message
  Expect expect = Expect::discard;
  /// The message; for SM without the TCP length prefix. `prefix_override` replaces the
  /// prefix the sender would compute (framing anomalies).
  std::vector<std::uint8_t> bytes;
  int prefix_override = -1;
};

/// Whether `message` is of a type that flows to the server (SCREQ, SDREQ, SCINF, SRREQ, SJREQ,
/// SAREQ; KARES, UIREQ, LVREQ, TRREQ): the types its anomalies are derived for.
bool to_server(std::span<const std::uint8_t> message, Channel channel);

/// Every anomaly of `valid` (a message that decodes; empty if it does not). `seed` draws the
/// random field values, so the same seed gives the same anomalies.
std::vector<Anomaly> derive(std::span<const std::uint8_t> valid, Channel channel, std::uint64_t seed);

}  // namespace conform::robustness
