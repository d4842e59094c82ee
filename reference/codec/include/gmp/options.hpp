// The option TLVs of profile section 4: typed values, kept in wire order.
#pragma once

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "gmp/types.hpp"

namespace gmp::opt {

struct ClientName { std::string value; };    // 1: 1..255 bytes UTF-8
struct SessionName { std::string value; };   // 2: 1..255 bytes
struct SessionInfo { std::string value; };   // 3
struct OwnerInfo { std::string value; };     // 4
struct StartTime { std::uint64_t seconds = 0; };  // 5: seconds since 1970 UTC
struct EndTime { std::uint64_t seconds = 0; };    // 6
struct MediaInfo { std::string value; };     // 7
struct AppInfo { std::string value; };       // 8
struct Keepalive {                           // 9: 3 bytes
  KaUnits period{10};
  KaUnits timeout{5};
  std::uint8_t miss_limit = 1;
};
struct BaseMember { std::string name; };     // 10, repeatable
struct Allow { std::string name; };          // 11, repeatable
struct AccessKey { std::vector<std::uint8_t> bytes; };  // 12: 1..64 bytes
struct MmPort { std::uint16_t port = 0; };   // 13: not 0
struct GroupKey {                            // 14: epoch, then key_length bytes of key
  std::uint16_t epoch = 0;
  std::vector<std::uint8_t> key;
};
struct MemberEntry {
  UserId user;
  std::uint8_t member_type = 0;  // low 3 bits of the byte, as MemberType codes
  friend bool operator==(const MemberEntry&, const MemberEntry&) = default;
};
struct MemberList { std::vector<MemberEntry> entries; };  // 15: 1..63 entries, repeatable
struct MemberCount { std::uint32_t count = 0; };          // 16
struct ListPart { std::uint8_t index = 1; std::uint8_t count = 1; };  // 17
struct ReasonCode { Reason reason = Reason::success; };   // 18: 1 byte
struct KaSeq { std::uint32_t round = 0; };                // 19
/// Any option type this profile does not define: kept raw, skipped by receivers.
struct Unknown {
  std::uint8_t type = 0;
  std::vector<std::uint8_t> value;
};

inline constexpr std::size_t max_member_entries = 63;
inline constexpr std::size_t max_access_key = 64;

}  // namespace gmp::opt

namespace gmp {

using Option = std::variant<opt::ClientName, opt::SessionName, opt::SessionInfo, opt::OwnerInfo,
                            opt::StartTime, opt::EndTime, opt::MediaInfo, opt::AppInfo,
                            opt::Keepalive, opt::BaseMember, opt::Allow, opt::AccessKey,
                            opt::MmPort, opt::GroupKey, opt::MemberList, opt::MemberCount,
                            opt::ListPart, opt::ReasonCode, opt::KaSeq, opt::Unknown>;

/// The option area in wire order. Encoders write it in this order (END is implicit).
using Options = std::vector<Option>;

/// The wire type code of an option (Unknown gives its own code).
std::uint8_t option_code(const Option& o);

/// First option of type T, or nullptr.
template <class T>
const T* find(const Options& options) {
  for (const auto& o : options)
    if (const T* p = std::get_if<T>(&o)) return p;
  return nullptr;
}

/// Every option of type T, in order (for repeatable options).
template <class T>
std::vector<const T*> find_all(const Options& options) {
  std::vector<const T*> out;
  for (const auto& o : options)
    if (const T* p = std::get_if<T>(&o)) out.push_back(p);
  return out;
}

}  // namespace gmp
