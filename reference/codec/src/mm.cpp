// MM messages (profile section 3, Figure 26): header, mode, member type, flags, options.
#include "detail.hpp"

namespace gmp {
namespace {

using detail::be16;
using detail::be32;
using detail::fail;

DecodeResult check_header(const MmMessage& m) {
  if (m.version != protocol_version) return fail(DecodeError::bad_version);
  if (!is_known(m.type)) return fail(DecodeError::unknown_type);
  if (!is_known(static_cast<Mode>(m.mode))) return fail(DecodeError::bad_mode, 1);
  // Profile 3 (1.3): the member type code is never checked; the server trusts its own records.
  // Profile 3 and 7: UI exactly in UIRES, SS exactly in TRIND.
  if (m.ui != (m.type == MmType::UIRES) || m.ss != (m.type == MmType::TRIND))
    return fail(DecodeError::flag_contradicts_type, 1);
  return {};
}

// Profile 4 table, "required" column, for MM types.
DecodeResult check_required(const MmMessage& m) {
  auto need = [&](OptionType t) { return detail::require(m.options, t); };
  switch (m.type) {
    case MmType::KAREQ: return need(OptionType::KA_SEQ);
    case MmType::UIRES: return need(OptionType::LIST_PART);
    case MmType::KDUPT: return need(OptionType::GROUP_KEY);
    default: return {};
  }
}

// Profile 3 and 7; strict or partial as the SM decode (sm.cpp).
DecodeResult decode(std::span<const std::uint8_t> b, MmMessage& m, bool keep_going) {
  if (b.size() < header_size) {
    m.options.clear();
    return fail(DecodeError::too_short);
  }
  m.version = b[0] >> 4;
  m.type = static_cast<MmType>(b[0] & 0x0F);
  m.mode = b[1] >> 6;
  m.member_type = (b[1] >> 3) & 7;
  m.r = b[1] & 4;
  m.ss = b[1] & 2;
  m.ui = b[1] & 1;
  m.group_port = be16(&b[2]);
  m.session = SessionId{be16(&b[4])};
  m.user = UserId{be16(&b[6])};
  m.group_address = Ipv4{be32(&b[8])};
  m.ka_period = KaUnits{b[12]};
  m.ka_timeout = KaUnits{b[13]};
  m.key_length = b[14];
  m.reserved = b[15];
  m.options.clear();
  detail::FirstError e{keep_going};
  if (e.stop(b.size() % 4 ? fail(DecodeError::not_aligned) : DecodeResult{})) return e.first;
  if (e.stop(check_header(m))) return e.first;
  if (e.stop(detail::decode_options(b, m.key_length, m.options, keep_going))) return e.first;
  e.stop(check_required(m));
  return e.first;
}

}  // namespace

DecodeResult decode_mm(std::span<const std::uint8_t> b, MmMessage& m) {
  return decode(b, m, false);
}

DecodeResult decode_mm_partial(std::span<const std::uint8_t> b, MmMessage& m) {
  return decode(b, m, true);
}

std::size_t encode_mm(const MmMessage& m, std::vector<std::uint8_t>& out) {
  const std::size_t start = out.size();
  out.resize(start + header_size);
  std::uint8_t* h = out.data() + start;
  h[0] = static_cast<std::uint8_t>((m.version << 4) | (static_cast<int>(m.type) & 0x0F));
  h[1] = static_cast<std::uint8_t>(((m.mode & 3) << 6) | ((m.member_type & 7) << 3) |
                                   (m.r << 2) | (m.ss << 1) | (m.ui ? 1 : 0));
  detail::store16(h + 2, m.group_port);
  detail::store16(h + 4, m.session.value);
  detail::store16(h + 6, m.user.value);
  detail::store32(h + 8, m.group_address.value);
  h[12] = m.ka_period.value;
  h[13] = m.ka_timeout.value;
  h[14] = m.key_length;
  h[15] = m.reserved;
  detail::encode_options(m.options, out, start);
  return out.size() - start;
}

std::vector<std::uint8_t> encode(const MmMessage& m) { return detail::encode_fresh(m, encode_mm); }

DecodeResult validate(const MmMessage& m) {
  const auto decode = [](std::span<const std::uint8_t> b, MmMessage& c) { return decode_mm(b, c); };
  return detail::validate_by_decoding(m, check_header(m), decode);
}

}  // namespace gmp
