// SM messages (profile section 2, Figure 25): header, checksum, required options.
#include <cstring>

#include "detail.hpp"

namespace gmp {
namespace {

using detail::be16;
using detail::be32;
using detail::fail;

// Profile 4 table, "required" column, for SM types. SCINF's SESSION-NAME is not here: an SCINF
// without it is well formed but unacceptable, and gets SCREJ REASON 5 (profile 5.1).
DecodeResult check_required(const SmMessage& m) {
  auto need = [&](OptionType t) { return detail::require(m.options, t); };
  switch (m.type) {
    case SmType::SCREQ:
    case SmType::SRREQ: return need(OptionType::CLIENT_NAME);
    case SmType::SCREJ:
    case SmType::SRREJ:
    case SmType::SDRES: return need(OptionType::REASON);
    case SmType::SAREQ: return need(OptionType::MM_PORT);
    case SmType::SJRES: return m.secure ? need(OptionType::GROUP_KEY) : DecodeResult{};
    default: return {};
  }
}

// Header checks common to decode and validate, in the order docs/json-format.md lists them.
DecodeResult check_header(const SmMessage& m) {
  if (m.version != protocol_version) return fail(DecodeError::bad_version);
  if (!is_known(m.type)) return fail(DecodeError::unknown_type, 1);
  if (m.info != (m.type == SmType::SCINF)) return fail(DecodeError::flag_contradicts_type);
  return {};
}

}  // namespace

DecodeResult decode_sm(std::span<const std::uint8_t> b, SmMessage& m, DecodeFlags flags) {
  if (b.size() < header_size) {
    m.options.clear();
    return fail(DecodeError::too_short);
  }
  m.version = b[0] >> 4;
  m.q = b[0] & 8;
  m.secure = b[0] & 4;
  m.closed = b[0] & 2;
  m.info = b[0] & 1;
  m.type = static_cast<SmType>(b[1]);
  m.checksum = be16(&b[2]);
  m.session = SessionId{be16(&b[4])};
  m.user = UserId{be16(&b[6])};
  m.key_length = b[8];
  m.reserved = b[9];
  m.group_port = be16(&b[10]);
  m.group_address = Ipv4{be32(&b[12])};
  m.options.clear();
  if (b.size() % 4) return fail(DecodeError::not_aligned);
  if (m.version != protocol_version) return fail(DecodeError::bad_version);
  if (flags.verify_checksum && !sm_checksum_ok(b)) return fail(DecodeError::bad_checksum, 2);
  if (auto r = check_header(m); !r) return r;
  if (auto r = detail::decode_options(b, m.key_length, m.options); !r) return r;
  return check_required(m);
}

std::size_t encode_sm(const SmMessage& m, std::vector<std::uint8_t>& out) {
  const std::size_t start = out.size();
  out.resize(start + header_size);
  std::uint8_t* h = out.data() + start;
  h[0] = static_cast<std::uint8_t>((m.version << 4) | (m.q << 3) | (m.secure << 2) |
                                   (m.closed << 1) | (m.info ? 1 : 0));
  h[1] = static_cast<std::uint8_t>(m.type);
  h[2] = h[3] = 0;  // checksum, filled below
  detail::store16(h + 4, m.session.value);
  detail::store16(h + 6, m.user.value);
  h[8] = m.key_length;
  h[9] = m.reserved;
  detail::store16(h + 10, m.group_port);
  detail::store32(h + 12, m.group_address.value);
  detail::encode_options(m.options, out, start);
  const auto sum = internet_checksum(std::span(out).subspan(start));
  detail::store16(out.data() + start + 2, sum);
  return out.size() - start;
}

std::vector<std::uint8_t> encode(const SmMessage& m) {
  std::vector<std::uint8_t> out;
  out.reserve(64);
  encode_sm(m, out);
  return out;
}

std::vector<std::uint8_t> encode_framed(const SmMessage& m) {
  std::vector<std::uint8_t> out{0, 0};
  const auto n = encode_sm(m, out);
  out[0] = static_cast<std::uint8_t>(n >> 8);
  out[1] = static_cast<std::uint8_t>(n);
  return out;
}

DecodeResult validate(const SmMessage& m) {
  if (auto r = check_header(m); !r) return r;
  if (auto r = detail::check_encodable(m.options); !r) return r;
  // Sizes, ranges and repetition: decode what would be sent.
  SmMessage copy;
  return decode_sm(encode(m), copy);
}

}  // namespace gmp
