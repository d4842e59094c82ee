// Names and classification of the protocol's codes (profile sections 2-5).
#include "gmp/types.hpp"

#include <array>
#include <charconv>

namespace gmp {

std::string Ipv4::to_string() const {
  std::string s;
  for (int shift = 24; shift >= 0; shift -= 8) {
    s += std::to_string((value >> shift) & 0xFFu);
    if (shift) s += '.';
  }
  return s;
}

bool Ipv4::parse(std::string_view text, Ipv4& out) {
  std::uint32_t v = 0;
  const char* p = text.data();
  const char* end = text.data() + text.size();
  for (int i = 0; i < 4; ++i) {
    unsigned octet = 0;
    auto [next, ec] = std::from_chars(p, end, octet);
    if (ec != std::errc{} || next == p || next - p > 3 || octet > 255) return false;
    v = (v << 8) | octet;
    p = next;
    if (i < 3) {
      if (p == end || *p != '.') return false;
      ++p;
    }
  }
  if (p != end) return false;
  out.value = v;
  return true;
}

namespace {
template <class E>
constexpr std::size_t code(E e) { return static_cast<std::size_t>(e); }

constexpr std::array<std::string_view, 15> sm_names = {
    "UNKNOWN", "SCREQ", "SCACC", "SCREJ", "SDREQ", "SDRES", "SCINF", "SCCON",
    "SRREQ",   "SRRES", "SRACC", "SRREJ", "SJREQ", "SJRES", "SAREQ"};
constexpr std::array<std::string_view, 9> mm_names = {
    "UNKNOWN", "KAREQ", "KARES", "UIREQ", "UIRES", "LVREQ", "TRREQ", "TRIND", "KDUPT"};
constexpr std::array<std::string_view, 20> option_names = {
    "END",        "CLIENT-NAME", "SESSION-NAME", "SESSION-INFO", "OWNER-INFO",
    "START-TIME", "END-TIME",    "MEDIA-INFO",   "APP-INFO",     "KEEPALIVE",
    "BASE-MEMBER", "ALLOW",      "ACCESS-KEY",   "MM-PORT",      "GROUP-KEY",
    "MEMBER-LIST", "MEMBER-COUNT", "LIST-PART",  "REASON",       "KA-SEQ"};
constexpr std::array<std::string_view, 6> reason_texts = {
    "success", "resources exhausted", "not authorised", "secure mode not supported",
    "unknown session", "invalid request"};
}  // namespace

std::string_view name(SmType t) { return is_known(t) ? sm_names[code(t)] : "UNKNOWN"; }
std::string_view name(MmType t) { return is_known(t) ? mm_names[code(t)] : "UNKNOWN"; }
std::string_view name(OptionType t) {
  return is_known(t) ? option_names[code(t)] : "UNKNOWN";
}
std::string_view name(Mode m) {
  switch (m) {
    case Mode::open: return "open";
    case Mode::closed: return "closed";
  }
  return "invalid";
}
std::string_view name(MemberType m) {
  switch (m) {
    case MemberType::creator: return "creator";
    case MemberType::base: return "base";
    case MemberType::participant: return "participant";
  }
  return "invalid";
}
std::optional<SmType> parse_sm_type(std::string_view n) {
  for (std::size_t i = 1; i < sm_names.size(); ++i)
    if (sm_names[i] == n) return static_cast<SmType>(i);
  return std::nullopt;
}
std::optional<MmType> parse_mm_type(std::string_view n) {
  for (std::size_t i = 1; i < mm_names.size(); ++i)
    if (mm_names[i] == n) return static_cast<MmType>(i);
  return std::nullopt;
}
std::string_view reason_text(Reason r) {
  auto i = code(r);
  return i < reason_texts.size() ? reason_texts[i] : "unknown";
}

bool sent_by_server(SmType t) {
  switch (t) {
    case SmType::SCACC: case SmType::SCREJ: case SmType::SDRES: case SmType::SCCON:
    case SmType::SRRES: case SmType::SRACC: case SmType::SRREJ: case SmType::SJRES:
      return true;
    default:
      return false;
  }
}

bool sent_by_server(MmType t) {
  return t == MmType::KAREQ || t == MmType::UIRES || t == MmType::TRIND || t == MmType::KDUPT;
}

}  // namespace gmp
