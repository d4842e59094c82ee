// Field constraints on received messages. A message is matched in its JSON form
// (docs/json-format.md via gmp_json) plus derived fields that make the profile's rules easy
// to state:  opt.<NAME>  (first option's value: `value` if it has one, else its object),
//            opt_count.<NAME>, option_order (names in wire order),
//            members / member_types (every MEMBER-LIST entry, in order), n_members,
//            sorted (members strictly ascending), first_member, last_member,
//            canonical (re-encoding the decoded message gives the same bytes).
// A constraint is a scalar (equality), null (absent) or a mapping of operators:
// eq ne gt ge lt le in not_in absent present has (a list holds a value); size is the
// message length in bytes.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "model.hpp"

namespace conform {

/// Decodes and describes received bytes (SM without prefix, or an MM datagram).
Json describe(bool sm, std::span<const std::uint8_t> bytes);

/// The message without the derived fields (for reports: the docs/json-format.md form).
Json plain(const Json& msg);

/// The value at a dotted path, or null when absent.
Json lookup(const Json& msg, const std::string& path);

/// Empty when `msg` satisfies every constraint; otherwise one line per difference,
/// "field: expected X, observed Y".
std::vector<std::string> mismatches(const Json& msg, const Json& constraints);

/// True when `observed op expected` holds (op as in `check` steps).
bool compare(const Json& observed, const std::string& op, const Json& expected);

}  // namespace conform
