// What the standing checks of both suites share (standing.hpp judges what a server sends,
// client_standing.hpp what a client sends): the Violation they report, its wording, the
// judgement of a message that does not decode and of the option area's padding (profile 4),
// and small readers of describe()'s JSON.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace conform::match {

/// One message that crossed the wire in the case.
struct Seen {
  std::string lifeline;
  bool to_server = false;               // towards the implementation under test (the wire log's sense)
  bool sm = true;                       // SM (TCP) or MM (UDP)
  std::uint16_t port = 0;               // MM received: the lifeline's UDP port it arrived at
  const nlohmann::json* msg = nullptr;  // describe() of the message
  std::span<const std::uint8_t> bytes;  // the message (SM without its length prefix)
  double t_ms = 0;
};

/// A message that breaks a standing check.
struct Violation {
  std::string reason;   // "KAREQ #3 to A: KA period 31, session's is 30 (profile 3)"
  std::string field;    // "ka_period"
  std::string section;  // "3"
  bool timing = false;  // a timing judgement (inconclusive when the tester was late)
};

/// The details a report shows under a standing violation: the field, the message as observed
/// (`observed`, already plain), the section ("standing check, profile section N").
std::vector<std::string> details_of(const Violation& v, const nlohmann::json& observed);

/// "<what>: <field> <observed>, <required> (profile <section>)".
Violation violation(const std::string& what, const std::string& field, const nlohmann::json& observed,
                    const std::string& required, const std::string& section);

/// A message that does not decode, as a violation: the field its decode error is about and the
/// one section that defines it (2 for the SM format, 3 for MM, 4 for options), so that the
/// verdict's authority names exactly one profile decision. `where` is "to A" or "from A".
Violation invalid(const std::string& proto, const std::string& where, const std::string& error);

/// The first nonzero padding byte after an option, or the first nonzero reserved byte of a
/// MEMBER-LIST entry, in the option area of `bytes` (from byte 16, up to END); "" when none.
std::string option_area_fault(std::span<const std::uint8_t> bytes);

/// The reserved fields every message of both directions sends as 0: Q and the SM reserved
/// byte (profile 2), R and the MM reserved byte (3), the option padding (4). `what` names the
/// message in the reason.
std::optional<Violation> reserved_fault(const std::string& what, bool sm, const nlohmann::json& msg,
                                        std::span<const std::uint8_t> bytes);

namespace json {
/// The member `key` of `j`, null when `j` is not an object or has no such member.
const nlohmann::json& at(const nlohmann::json& j, const char* key);
/// A string as itself, anything else as its JSON text.
std::string str(const nlohmann::json& j);
/// The number `key` of `m`, 0 when absent.
int integer(const nlohmann::json& m, const char* key);
/// The flag `f` ("q", "s", "r", ...) of `m`'s flags.
bool flag(const nlohmann::json& m, const char* f);
}  // namespace json

}  // namespace conform::match
