// Strong types and protocol constants of GMP (X.602 | ISO/IEC 16513), profile sections 2-4.
#pragma once

#include <chrono>
#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace gmp {

inline constexpr std::uint16_t default_port = 16513;  // profile 1, [P] binding
inline constexpr std::uint8_t protocol_version = 1;   // profile 2 and 3
inline constexpr std::size_t header_size = 16;        // both SM and MM fixed headers
inline constexpr std::size_t default_max_sm_size = 4096;  // profile 1, server default
inline constexpr std::size_t max_mm_uires_size = 1200;    // profile 6.4
/// Profile 3 [P]: no MM message is longer than this; a receiver discards a longer datagram.
inline constexpr std::size_t max_mm_size = max_mm_uires_size;

/// Session ID (profile 2): assigned by the server, 0 only before one is assigned.
struct SessionId {
  std::uint16_t value = 0;
  friend constexpr auto operator<=>(SessionId, SessionId) = default;
};

/// User ID (profile 2): assigned by the server, 0 only before one is assigned.
struct UserId {
  std::uint16_t value = 0;
  friend constexpr auto operator<=>(UserId, UserId) = default;
};

/// A KA period or timeout in the wire unit of 100 ms (clause 9.2).
struct KaUnits {
  std::uint8_t value = 0;
  friend constexpr auto operator<=>(KaUnits, KaUnits) = default;
  [[nodiscard]] constexpr std::chrono::milliseconds duration() const {
    return std::chrono::milliseconds(std::int64_t{value} * 100);
  }
};

/// An IPv4 address, host byte order in `value` (a.b.c.d == a<<24 | b<<16 | c<<8 | d).
struct Ipv4 {
  std::uint32_t value = 0;
  friend constexpr auto operator<=>(Ipv4, Ipv4) = default;
  [[nodiscard]] std::string to_string() const;
  /// Parses dotted-quad; returns false on anything else.
  static bool parse(std::string_view text, Ipv4& out);
};

/// SM message types, Table 2 (profile 2). Code 0 is reserved.
enum class SmType : std::uint8_t {
  SCREQ = 1, SCACC = 2, SCREJ = 3, SDREQ = 4, SDRES = 5, SCINF = 6, SCCON = 7,
  SRREQ = 8, SRRES = 9, SRACC = 10, SRREJ = 11, SJREQ = 12, SJRES = 13, SAREQ = 14,
};

/// MM message types, Table 4 plus [P] KDUPT (profile 3).
enum class MmType : std::uint8_t {
  KAREQ = 1, KARES = 2, UIREQ = 3, UIRES = 4, LVREQ = 5, TRREQ = 6, TRIND = 7, KDUPT = 8,
};

/// Session mode. On MM the 2-bit mode field (01 open, 10 closed); on SM the M flag.
enum class Mode : std::uint8_t { open = 1, closed = 2 };

/// Member type, MM 3-bit field: 100 creator, 010 base member, 001 participant.
enum class MemberType : std::uint8_t { participant = 1, base = 2, creator = 4 };

/// REASON codes, profile 5.7.
enum class Reason : std::uint8_t {
  success = 0, resources = 1, not_authorised = 2, secure_unsupported = 3,
  unknown_session = 4, invalid_request = 5,
};

/// Option types, profile 4.
enum class OptionType : std::uint8_t {
  END = 0, CLIENT_NAME = 1, SESSION_NAME = 2, SESSION_INFO = 3, OWNER_INFO = 4,
  START_TIME = 5, END_TIME = 6, MEDIA_INFO = 7, APP_INFO = 8, KEEPALIVE = 9,
  BASE_MEMBER = 10, ALLOW = 11, ACCESS_KEY = 12, MM_PORT = 13, GROUP_KEY = 14,
  MEMBER_LIST = 15, MEMBER_COUNT = 16, LIST_PART = 17, REASON = 18, KA_SEQ = 19,
};

// Names exactly as the profile spells them ("SCREQ", "CLIENT-NAME", "not authorised"...).
// Unknown codes give "UNKNOWN" (types, options) or "unknown" (reasons), "invalid" (mode, member).
std::string_view name(SmType t);
std::string_view name(MmType t);
std::string_view name(Mode m);
std::string_view name(MemberType m);  // "creator", "base", "participant"
std::string_view name(OptionType t);
std::string_view reason_text(Reason r);

// The inverse of name() for message types: the type a name spells exactly ("SCREQ"), or
// nothing for any other text ("UNKNOWN" included). Which of the two succeeds gives the channel.
std::optional<SmType> parse_sm_type(std::string_view name);
std::optional<MmType> parse_mm_type(std::string_view name);

// Inline: the decoders call these for every message.
constexpr bool is_known(SmType t) { return t >= SmType::SCREQ && t <= SmType::SAREQ; }
constexpr bool is_known(MmType t) { return t >= MmType::KAREQ && t <= MmType::KDUPT; }
constexpr bool is_known(OptionType t) { return t <= OptionType::KA_SEQ; }
constexpr bool is_known(Mode m) { return m == Mode::open || m == Mode::closed; }
constexpr bool is_known(MemberType m) {
  return m == MemberType::creator || m == MemberType::base || m == MemberType::participant;
}

/// True for the SM types a server sends (SCACC, SCREJ, SDRES, SCCON, SRRES, SRACC, SRREJ,
/// SJRES); false for the ones clients send. Used for "flows the wrong way" (profile 7).
bool sent_by_server(SmType t);
/// True for KAREQ, UIRES, TRIND, KDUPT.
bool sent_by_server(MmType t);

/// Group key epochs are 16-bit serial numbers (profile 6.6): after 65,535 comes 1 and 0 is
/// never used; epoch e is newer than c when 0 < (e - c) mod 65,536 < 32,768 (RFC 1982).
constexpr bool epoch_newer(std::uint16_t e, std::uint16_t c) {
  const unsigned d = (static_cast<unsigned>(e) - c) & 0xFFFFu;
  return e != 0 && d != 0 && d < 0x8000u;
}
constexpr std::uint16_t next_epoch(std::uint16_t e) {
  return e == 0xFFFF ? std::uint16_t{1} : static_cast<std::uint16_t>(e + 1);
}

}  // namespace gmp
