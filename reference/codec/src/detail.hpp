// Internal helpers of the codec: big-endian access and the option area (profile section 4).
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "gmp/message.hpp"

namespace gmp::detail {

inline std::uint16_t be16(const std::uint8_t* p) {
  return static_cast<std::uint16_t>((p[0] << 8) | p[1]);
}
inline std::uint32_t be32(const std::uint8_t* p) {
  return (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) |
         p[3];
}
inline void store16(std::uint8_t* p, std::uint16_t v) {
  p[0] = static_cast<std::uint8_t>(v >> 8);
  p[1] = static_cast<std::uint8_t>(v);
}
inline void store32(std::uint8_t* p, std::uint32_t v) {
  store16(p, static_cast<std::uint16_t>(v >> 16));
  store16(p + 2, static_cast<std::uint16_t>(v));
}
/// Decodes the option area bytes[16..] into `out`, which the caller has cleared. `key_length` is the header's
/// key length: GROUP-KEY must hold exactly 2 + key_length bytes. Returns the first error. With
/// `keep_going` the walk goes on past an option that breaks a rule (kept typed when only its
/// value is out of range, raw as opt::Unknown otherwise); only a truncated option ends it.
DecodeResult decode_options(std::span<const std::uint8_t> message, std::uint8_t key_length,
                            Options& out, bool keep_going = false);
/// Appends the options, each padded with zeros to a 32-bit boundary counted from
/// `message_start`, the offset in `out` where the message begins.
void encode_options(const Options& options, std::vector<std::uint8_t>& out,
                    std::size_t message_start);

/// bad_option_size for a value the encoder would have to cut (a text above 255 bytes, an
/// ACCESS-KEY above 64, a MEMBER-LIST above 63 entries, a key above 253 bytes...).
DecodeResult check_encodable(const Options& options);

inline DecodeResult fail(DecodeError e, std::size_t offset = 0) {
  return DecodeResult{make_error_code(e), offset};
}

/// The first error of a decode: a strict decode stops at it, a partial one (decode_*_partial)
/// goes on and reads what the layout still allows, keeping the first error to report.
struct FirstError {
  bool keep_going = false;
  DecodeResult first{};
  /// Records r if it is the first error; true when the decode must stop here.
  bool stop(const DecodeResult& r) {
    if (r.ok()) return false;
    if (first.ok()) first = r;
    return !keep_going;
  }
};

/// encode(m) for either protocol: a fresh vector, encoded by encode_one (encode_sm, encode_mm).
template <class Message, class Encode>
std::vector<std::uint8_t> encode_fresh(const Message& m, Encode encode_one) {
  std::vector<std::uint8_t> out;
  out.reserve(64);
  encode_one(m, out);
  return out;
}

/// validate(m) for either protocol: the header checks' result, then what the encoder would have
/// to cut, then sizes, ranges and repetition by decoding what would be sent.
template <class Message, class Decode>
DecodeResult validate_by_decoding(const Message& m, const DecodeResult& header, Decode decode) {
  if (!header) return header;
  if (auto r = check_encodable(m.options); !r) return r;
  Message copy;
  return decode(gmp::encode(m), copy);
}

inline bool has(const Options& options, OptionType t) {
  for (const auto& o : options)
    if (option_code(o) == static_cast<std::uint8_t>(t)) return true;
  return false;
}

/// missing_required_option unless an option of type t is present (profile 4, "required").
inline DecodeResult require(const Options& options, OptionType t) {
  return has(options, t) ? DecodeResult{} : fail(DecodeError::missing_required_option);
}

}  // namespace gmp::detail
