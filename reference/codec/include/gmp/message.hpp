// SM and MM messages (profile sections 2 and 3): one struct per header, typed options,
// builders for each message type, encode and decode.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <system_error>
#include <vector>

#include "gmp/error.hpp"
#include "gmp/options.hpp"
#include "gmp/types.hpp"

namespace gmp {

/// An SM message, Figure 25 as laid out by profile section 2.
struct SmMessage {
  std::uint8_t version = protocol_version;
  SmType type = SmType::SCREQ;
  bool q = false;       // QoS, reserved: sent 0, ignored
  bool secure = false;  // S
  bool closed = false;  // M (1 closed, 0 open)
  bool info = false;    // I (1 exactly in SCINF)
  std::uint16_t checksum = 0;  // as read by decode; encode computes it
  SessionId session;
  UserId user;
  std::uint8_t key_length = 0;
  std::uint8_t reserved = 0;
  std::uint16_t group_port = 0;
  Ipv4 group_address;
  Options options;
};

/// An MM message, Figure 26 as laid out by profile section 3.
struct MmMessage {
  std::uint8_t version = protocol_version;
  MmType type = MmType::KAREQ;
  std::uint8_t mode = static_cast<std::uint8_t>(Mode::open);  // raw 2 bits (Mode codes)
  std::uint8_t member_type = static_cast<std::uint8_t>(MemberType::participant);  // raw 3 bits
  bool r = false;   // reserved flag (bit 2)
  bool ss = false;  // session ending (bit 1), set in TRIND
  bool ui = false;  // this is a UIRES (bit 0)
  std::uint16_t group_port = 0;
  SessionId session;
  UserId user;
  Ipv4 group_address;
  KaUnits ka_period;
  KaUnits ka_timeout;
  std::uint8_t key_length = 0;
  std::uint8_t reserved = 0;
  Options options;
};

/// Where decoding stopped: the reason (DecodeError on decode_category()) and the byte offset
/// in the message of the field or option that is wrong (0 for header-level problems).
struct DecodeResult {
  std::error_code error;
  std::size_t offset = 0;
  [[nodiscard]] bool ok() const { return !error; }
  explicit operator bool() const { return ok(); }
};

struct DecodeFlags {
  bool verify_checksum = true;  // SM only; off lets a tool show a message whose checksum is bad
};

/// Decodes one SM message (without the TCP length prefix). On error, the header fields that
/// could be read (all of them when there are >= 16 bytes) and the options before the bad one
/// are left in `out`. `out`'s option vector is reused (no allocation for option-free or
/// KA-SEQ-only messages once it has capacity).
DecodeResult decode_sm(std::span<const std::uint8_t> bytes, SmMessage& out, DecodeFlags flags = {});
/// Decodes one MM message (one UDP payload); same contract as decode_sm.
DecodeResult decode_mm(std::span<const std::uint8_t> bytes, MmMessage& out);

/// Partial decoding, for tools that show an invalid message as far as it can be read (as the
/// dissector does): returns the same first error and offset as decode_sm (checksum verified)
/// and decode_mm, but goes on past it wherever the layout still allows. All header fields
/// (>= 16 bytes); the option walk despite header errors (version, checksum, type, mode,
/// member type, flags, alignment); an option that breaks a rule is kept: typed when only
/// its value is out of range (MM-PORT 0, LIST-PART), as opt::Unknown with its own code and
/// raw bytes when its size is wrong or its text is not UTF-8, and a repeated one as read.
/// Only a truncated option ends the walk (nothing after it has a known place).
DecodeResult decode_sm_partial(std::span<const std::uint8_t> bytes, SmMessage& out);
DecodeResult decode_mm_partial(std::span<const std::uint8_t> bytes, MmMessage& out);

/// Encodes with the checksum computed (SM). Appends to `out`; returns the number of bytes added.
/// Encoding never fails: the caller is responsible for sizes (values are truncated to what their
/// length byte can hold; use validate_* in tests).
std::size_t encode_sm(const SmMessage& m, std::vector<std::uint8_t>& out);
std::size_t encode_mm(const MmMessage& m, std::vector<std::uint8_t>& out);
/// Convenience: a fresh vector.
std::vector<std::uint8_t> encode(const SmMessage& m);
std::vector<std::uint8_t> encode(const MmMessage& m);
/// SM with the 2-byte TCP length prefix (profile 1).
std::vector<std::uint8_t> encode_framed(const SmMessage& m);

/// Internet checksum (RFC 1071) of `bytes` (odd length padded with a zero byte): the one's
/// complement of the one's complement sum of the 16-bit big-endian words.
std::uint16_t internet_checksum(std::span<const std::uint8_t> bytes);
/// True when the one's complement sum of the whole message, checksum in place, is 0xFFFF.
bool sm_checksum_ok(std::span<const std::uint8_t> bytes);

/// Semantic checks that need the whole message (required options, flag/type agreement) are done
/// by decode. These let an encoder's user check a message it built.
DecodeResult validate(const SmMessage& m);
DecodeResult validate(const MmMessage& m);

// Builders: one per message type, fields as profile sections 2-6 require. Options the caller
// wants beyond the required ones are appended to `.options` afterwards.
namespace build {
SmMessage screq(std::string client_name, bool secure);
SmMessage scacc(SessionId s, UserId creator, bool secure);
/// SCREJ carries session 0 and user 0 whether it answers SCREQ or SCINF (docs/profile-choices.md).
SmMessage screj(Reason r, bool secure);
SmMessage sdreq(SessionId s, UserId creator);
SmMessage sdres(SessionId s, UserId u, Reason r, bool closed, bool secure);
SmMessage scinf(SessionId s, UserId creator, bool closed, bool secure, std::string session_name,
                std::uint16_t group_port = 0, Ipv4 group = {});
SmMessage sccon(SessionId s, UserId creator, bool closed, bool secure, std::uint16_t group_port,
                Ipv4 group);
SmMessage srreq(SessionId s, std::string client_name);
SmMessage srres(SessionId s, bool closed, bool secure);
SmMessage sracc(SessionId s, UserId u, bool closed, bool secure, std::uint16_t group_port,
                Ipv4 group);
SmMessage srrej(SessionId s, Reason r, bool closed, bool secure);
SmMessage sjreq(SessionId s, UserId u);
/// With `key` set (secure session) S = 1, key length and GROUP-KEY are filled in.
SmMessage sjres(SessionId s, UserId u, bool closed, bool secure, std::uint16_t group_port,
                Ipv4 group, const opt::GroupKey* key);
SmMessage sareq(SessionId s, UserId u, std::uint16_t mm_port);

/// The session context every server MM message carries (profile 3).
struct MmContext {
  SessionId session;
  Mode mode = Mode::open;
  std::uint16_t group_port = 0;
  Ipv4 group_address;
  KaUnits ka_period;
  KaUnits ka_timeout;
};
MmMessage kareq(const MmContext& c, UserId to, MemberType to_type, std::uint32_t round);
MmMessage kares(SessionId s, UserId from, MemberType from_type, Mode mode,
                std::optional<std::uint32_t> round);
MmMessage uireq(SessionId s, UserId from, MemberType from_type, Mode mode);
MmMessage lvreq(SessionId s, UserId from, MemberType from_type, Mode mode);
MmMessage trreq(SessionId s, UserId from, Mode mode);
MmMessage trind(const MmContext& c, UserId to, MemberType to_type);
MmMessage kdupt(const MmContext& c, UserId to, MemberType to_type, const opt::GroupKey& key);
/// All the UIRES parts for a list (ascending user ID expected), profile 6.4: LIST-PART,
/// MEMBER-COUNT (open mode, part 1 only; pass nullopt in closed mode), MEMBER-LIST options of 63
/// entries, each part within 1,200 bytes.
std::vector<MmMessage> uires(const MmContext& c, UserId to, MemberType to_type,
                             const std::vector<opt::MemberEntry>& members,
                             std::optional<std::uint32_t> member_count);
}  // namespace build

}  // namespace gmp
