// Decode and framing errors of the GMP wire codec: the syntactic reasons of profile section 7.
#pragma once

#include <string_view>
#include <system_error>

namespace gmp {

/// Each value names one reason a message is invalid (profile 7, docs/json-format.md).
enum class DecodeError {
  ok = 0,
  too_short,                // fewer than 16 bytes
  not_aligned,              // length not a multiple of 4
  bad_version,              // version other than 1
  bad_checksum,             // SM Internet checksum does not verify
  unknown_type,             // message type 0 or not in the type table
  truncated_option,         // option header or value runs past the end of the message
  duplicate_option,         // a non-repeatable known option appears twice
  bad_option_size,          // a known option's value has the wrong size
  bad_option_value,         // a value out of range (MM-PORT 0, LIST-PART 0 or > count)
  missing_required_option,  // a required option is absent
  flag_contradicts_type,    // SM I iff SCINF, MM UI iff UIRES, MM SS iff TRIND
  bad_mode,                 // MM mode 00 or 11 (any member type code is accepted, profile 3)
  invalid_utf8,             // a text option (names, SESSION-INFO...) is not valid UTF-8
  // Framing errors of the TCP binding (profile 1): the receiver closes the connection.
  frame_too_short,          // length prefix below 16
  frame_not_aligned,        // length prefix not a multiple of 4
  frame_too_large,          // length prefix above the receiver's maximum
};

const std::error_category& decode_category() noexcept;
std::error_code make_error_code(DecodeError e) noexcept;
/// The stable snake_case name used in JSON, test vectors and counters ("bad_checksum").
std::string_view error_name(DecodeError e) noexcept;
inline constexpr int decode_error_count = static_cast<int>(DecodeError::frame_too_large) + 1;

}  // namespace gmp

template <>
struct std::is_error_code_enum<gmp::DecodeError> : std::true_type {};
