// The error category of the codec (profile section 7, docs/json-format.md).
#include "gmp/error.hpp"

#include <array>
#include <string>

namespace gmp {
namespace {

constexpr std::array<std::string_view, decode_error_count> names = {
    "ok",           "too_short",        "not_aligned",      "bad_version",
    "bad_checksum", "unknown_type",     "truncated_option", "duplicate_option",
    "bad_option_size", "bad_option_value", "missing_required_option",
    "flag_contradicts_type", "bad_mode", "invalid_utf8", "frame_too_short",
    "frame_not_aligned", "frame_too_large"};

constexpr std::array<std::string_view, decode_error_count> messages = {
    "no error",
    "message shorter than the 16-byte header",
    "message length not a multiple of 4",
    "version other than 1",
    "SM checksum does not verify",
    "unknown or reserved message type",
    "option runs past the end of the message",
    "non-repeatable option appears twice",
    "option value has the wrong size",
    "option value out of range",
    "required option missing",
    "flag contradicts the message type",
    "invalid MM mode (00 or 11)",
    "text option is not valid UTF-8",
    "TCP length prefix below 16",
    "TCP length prefix not a multiple of 4",
    "TCP length prefix above the maximum message size"};

class Category final : public std::error_category {
 public:
  const char* name() const noexcept override { return "gmp-decode"; }
  std::string message(int ev) const override {
    if (ev < 0 || ev >= decode_error_count) return "unknown GMP decode error";
    return std::string(messages[static_cast<std::size_t>(ev)]);
  }
};

}  // namespace

const std::error_category& decode_category() noexcept {
  static const Category category;
  return category;
}

std::error_code make_error_code(DecodeError e) noexcept {
  return {static_cast<int>(e), decode_category()};
}

std::string_view error_name(DecodeError e) noexcept {
  auto i = static_cast<int>(e);
  if (i < 0 || i >= decode_error_count) return "unknown";
  return names[static_cast<std::size_t>(i)];
}

}  // namespace gmp
