// The JSON form of GMP messages (docs/json-format.md): gmp-decode, the tester's wire logs and
// the client's script events all print messages through these functions.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <span>

#include "gmp/message.hpp"

namespace gmp::json {

nlohmann::json describe(const Option& o);
nlohmann::json describe(const Options& options);
/// The message's fields; "checksum_status" and "error" are left for the caller (see below).
nlohmann::json describe(const SmMessage& m);
nlohmann::json describe(const MmMessage& m);

/// Decodes raw bytes and describes them: every readable field, "checksum_status" (SM) and
/// "error" (null or the DecodeError name). Never throws on bad input.
nlohmann::json describe_sm_bytes(std::span<const std::uint8_t> bytes);
nlohmann::json describe_mm_bytes(std::span<const std::uint8_t> bytes);

std::string to_hex(std::span<const std::uint8_t> bytes);
/// Parses hex (whitespace ignored); false on an odd count or a non-hex character.
bool from_hex(std::string_view text, std::vector<std::uint8_t>& out);

}  // namespace gmp::json
