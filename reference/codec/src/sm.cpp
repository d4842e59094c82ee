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

// Profile 2 and 7, checks in the order of docs/json-format.md. A strict decode stops at the
// first error; a partial one reads every field and option the layout allows.
DecodeResult decode(std::span<const std::uint8_t> b, SmMessage& m, bool verify_checksum,
                    bool keep_going) {
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
  detail::FirstError e{keep_going};
  if (e.stop(b.size() % 4 ? fail(DecodeError::not_aligned) : DecodeResult{})) return e.first;
  if (e.stop(m.version != protocol_version ? fail(DecodeError::bad_version) : DecodeResult{}))
    return e.first;
  if (e.stop(verify_checksum && !sm_checksum_ok(b) ? fail(DecodeError::bad_checksum, 2)
                                                   : DecodeResult{}))
    return e.first;
  if (e.stop(check_header(m))) return e.first;
  if (e.stop(detail::decode_options(b, m.key_length, m.options, keep_going))) return e.first;
  e.stop(check_required(m));
  return e.first;
}

}  // namespace

DecodeResult decode_sm(std::span<const std::uint8_t> b, SmMessage& m, DecodeFlags flags) {
  return decode(b, m, flags.verify_checksum, false);
}

DecodeResult decode_sm_partial(std::span<const std::uint8_t> b, SmMessage& m) {
  return decode(b, m, true, true);
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

std::vector<std::uint8_t> encode(const SmMessage& m) { return detail::encode_fresh(m, encode_sm); }

std::vector<std::uint8_t> encode_framed(const SmMessage& m) {
  std::vector<std::uint8_t> out{0, 0};
  const auto n = encode_sm(m, out);
  out[0] = static_cast<std::uint8_t>(n >> 8);
  out[1] = static_cast<std::uint8_t>(n);
  return out;
}

DecodeResult validate(const SmMessage& m) {
  const auto decode = [](std::span<const std::uint8_t> b, SmMessage& c) { return decode_sm(b, c); };
  return detail::validate_by_decoding(m, check_header(m), decode);
}

}  // namespace gmp
