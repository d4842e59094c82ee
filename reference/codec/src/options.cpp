// The option TLVs of profile section 4: type, length, value, zero padding to 32 bits; END is a
// single zero byte. Sizes, ranges and repetition are checked here; which options a message
// type requires is checked by sm.cpp and mm.cpp.
#include <algorithm>
#include <array>
#include <type_traits>
#include <string>

#include "detail.hpp"

namespace gmp {

std::uint8_t option_code(const Option& o) {
  if (const auto* u = std::get_if<opt::Unknown>(&o)) return u->type;
  // The variant's alternatives are declared in option-code order, 1..19, then Unknown.
  return static_cast<std::uint8_t>(o.index() + 1);
}

namespace detail {
namespace {

struct Rule {
  std::uint16_t min = 0;
  std::uint16_t max = 255;
  bool repeatable = false;
};

// Profile 4 table: value sizes and repetition. GROUP-KEY and MEMBER-LIST are special-cased.
constexpr std::array<Rule, 20> rules = {{
    {0, 0, false},      // 0 END (never looked up)
    {1, 255, false},    // 1 CLIENT-NAME
    {1, 255, false},    // 2 SESSION-NAME
    {0, 255, false},    // 3 SESSION-INFO
    {0, 255, false},    // 4 OWNER-INFO
    {8, 8, false},      // 5 START-TIME
    {8, 8, false},      // 6 END-TIME
    {0, 255, false},    // 7 MEDIA-INFO
    {0, 255, false},    // 8 APP-INFO
    {3, 3, false},      // 9 KEEPALIVE
    {1, 255, true},     // 10 BASE-MEMBER
    {1, 255, true},     // 11 ALLOW
    {1, 64, false},     // 12 ACCESS-KEY
    {2, 2, false},      // 13 MM-PORT
    {3, 255, false},    // 14 GROUP-KEY: 2 + key length, key length >= 1
    {4, 252, true},     // 15 MEMBER-LIST: 1..63 entries of 4 bytes
    {4, 4, false},      // 16 MEMBER-COUNT
    {2, 2, false},      // 17 LIST-PART
    {1, 1, false},      // 18 REASON
    {4, 4, false},      // 19 KA-SEQ
}};

std::string text(std::span<const std::uint8_t> v) { return std::string(v.begin(), v.end()); }

// Profile 4: names and descriptions are UTF-8. A receiver that stored arbitrary bytes would
// hand them on (JSON, the announcement page, logs) where they are not text; such an option
// makes the message malformed instead. Strict RFC 3629: no overlong forms, no surrogates,
// nothing above U+10FFFF.
bool utf8(std::span<const std::uint8_t> v) {
  std::size_t i = 0;
  while (i < v.size()) {
    const std::uint8_t b = v[i];
    if (b < 0x80) {
      ++i;
      continue;
    }
    std::size_t n = 0;
    std::uint8_t lo = 0x80, hi = 0xBF;  // the range of the second byte
    if (b >= 0xC2 && b <= 0xDF) n = 1;
    else if (b == 0xE0) n = 2, lo = 0xA0;
    else if (b == 0xED) n = 2, hi = 0x9F;
    else if (b >= 0xE1 && b <= 0xEF) n = 2;
    else if (b == 0xF0) n = 3, lo = 0x90;
    else if (b == 0xF4) n = 3, hi = 0x8F;
    else if (b >= 0xF1 && b <= 0xF3) n = 3;
    else return false;
    if (i + n >= v.size()) return false;  // cut short
    if (v[i + 1] < lo || v[i + 1] > hi) return false;
    for (std::size_t k = 2; k <= n; ++k)
      if ((v[i + k] & 0xC0) != 0x80) return false;
    i += n + 1;
  }
  return true;
}

bool is_text(std::uint8_t type) {
  switch (static_cast<OptionType>(type)) {
    case OptionType::CLIENT_NAME: case OptionType::SESSION_NAME: case OptionType::SESSION_INFO:
    case OptionType::OWNER_INFO: case OptionType::MEDIA_INFO: case OptionType::APP_INFO:
    case OptionType::BASE_MEMBER: case OptionType::ALLOW:
      return true;
    default:
      return false;
  }
}

std::uint64_t be64(const std::uint8_t* p) {
  return (std::uint64_t{be32(p)} << 32) | be32(p + 4);
}

// Parses a value whose size has been checked. Returns a DecodeError for out-of-range values,
// which are appended all the same (a partial decode shows them); invalid UTF-8 appends nothing.
DecodeError parse(std::uint8_t type, std::span<const std::uint8_t> v, Options& out) {
  const std::uint8_t* p = v.data();
  if (is_text(type) && !utf8(v)) return DecodeError::invalid_utf8;
  switch (static_cast<OptionType>(type)) {
    case OptionType::CLIENT_NAME: out.emplace_back(opt::ClientName{text(v)}); break;
    case OptionType::SESSION_NAME: out.emplace_back(opt::SessionName{text(v)}); break;
    case OptionType::SESSION_INFO: out.emplace_back(opt::SessionInfo{text(v)}); break;
    case OptionType::OWNER_INFO: out.emplace_back(opt::OwnerInfo{text(v)}); break;
    case OptionType::START_TIME: out.emplace_back(opt::StartTime{be64(p)}); break;
    case OptionType::END_TIME: out.emplace_back(opt::EndTime{be64(p)}); break;
    case OptionType::MEDIA_INFO: out.emplace_back(opt::MediaInfo{text(v)}); break;
    case OptionType::APP_INFO: out.emplace_back(opt::AppInfo{text(v)}); break;
    case OptionType::KEEPALIVE:
      out.emplace_back(opt::Keepalive{KaUnits{p[0]}, KaUnits{p[1]}, p[2]});
      break;
    case OptionType::BASE_MEMBER: out.emplace_back(opt::BaseMember{text(v)}); break;
    case OptionType::ALLOW: out.emplace_back(opt::Allow{text(v)}); break;
    case OptionType::ACCESS_KEY:
      out.emplace_back(opt::AccessKey{std::vector<std::uint8_t>(v.begin(), v.end())});
      break;
    case OptionType::MM_PORT:
      out.emplace_back(opt::MmPort{be16(p)});
      if (be16(p) == 0) return DecodeError::bad_option_value;
      break;
    case OptionType::GROUP_KEY:
      out.emplace_back(opt::GroupKey{be16(p), std::vector<std::uint8_t>(v.begin() + 2, v.end())});
      break;
    case OptionType::MEMBER_LIST: {
      opt::MemberList list;
      list.entries.reserve(v.size() / 4);
      for (std::size_t i = 0; i < v.size(); i += 4)
        list.entries.push_back({UserId{be16(p + i)}, static_cast<std::uint8_t>(p[i + 2] & 7)});
      out.emplace_back(std::move(list));
      break;
    }
    case OptionType::MEMBER_COUNT: out.emplace_back(opt::MemberCount{be32(p)}); break;
    case OptionType::LIST_PART:
      out.emplace_back(opt::ListPart{p[0], p[1]});
      if (p[0] == 0 || p[1] == 0 || p[0] > p[1]) return DecodeError::bad_option_value;
      break;
    case OptionType::REASON: out.emplace_back(opt::ReasonCode{static_cast<Reason>(p[0])}); break;
    case OptionType::KA_SEQ: out.emplace_back(opt::KaSeq{be32(p)}); break;
    default:
      out.emplace_back(opt::Unknown{type, std::vector<std::uint8_t>(v.begin(), v.end())});
  }
  return DecodeError::ok;
}

}  // namespace

DecodeResult decode_options(std::span<const std::uint8_t> m, std::uint8_t key_length,
                            Options& out, bool keep_going) {
  FirstError e{keep_going};
  std::uint32_t seen = 0;  // bit per known non-repeatable type
  std::size_t pos = header_size;
  while (pos < m.size()) {
    const std::uint8_t type = m[pos];
    if (type == 0) break;  // END: the rest is ignored
    // A truncated option ends the walk in every mode: nothing after it has a known place.
    if (pos + 2 > m.size() || pos + 2 + std::size_t{m[pos + 1]} > m.size()) {
      e.stop(fail(DecodeError::truncated_option, pos));
      return e.first;
    }
    const std::size_t len = m[pos + 1];
    const auto value = m.subspan(pos + 2, len);
    const auto raw = [&] {
      out.emplace_back(opt::Unknown{type, std::vector<std::uint8_t>(value.begin(), value.end())});
    };
    bool size_ok = true;
    if (type < rules.size()) {
      const Rule& r = rules[type];
      size_ok = len >= r.min && len <= r.max;
      if (type == static_cast<std::uint8_t>(OptionType::GROUP_KEY))
        size_ok = size_ok && len == 2u + key_length;
      if (type == static_cast<std::uint8_t>(OptionType::MEMBER_LIST))
        size_ok = size_ok && len % 4 == 0;
      if (!size_ok && e.stop(fail(DecodeError::bad_option_size, pos))) return e.first;
      if (!r.repeatable) {
        const bool again = seen & (1u << type);
        if (again && e.stop(fail(DecodeError::duplicate_option, pos))) return e.first;
        seen |= 1u << type;
      }
    }
    if (!size_ok) {
      raw();  // a value of the wrong size has no typed form: shown as its bytes
      pos = (pos + 2 + len + 3) & ~std::size_t{3};
      continue;
    }
    const std::size_t before = out.size();
    if (const DecodeError err = parse(type, value, out); err != DecodeError::ok) {
      if (e.stop(fail(err, pos))) {
        // A strict decode leaves only the options before the bad one.
        out.erase(out.begin() + static_cast<std::ptrdiff_t>(before), out.end());
        return e.first;
      }
      // Out of range: kept typed (see parse). Not UTF-8: kept as its bytes.
      if (err == DecodeError::invalid_utf8) raw();
    }
    pos = (pos + 2 + len + 3) & ~std::size_t{3};
  }
  return e.first;
}

namespace {

void put_bytes(std::vector<std::uint8_t>& out, std::uint8_t type, const std::uint8_t* data,
               std::size_t len) {
  if (len > 255) len = 255;
  out.push_back(type);
  out.push_back(static_cast<std::uint8_t>(len));
  out.insert(out.end(), data, data + len);
}
void put_text(std::vector<std::uint8_t>& out, OptionType t, const std::string& s) {
  put_bytes(out, static_cast<std::uint8_t>(t), reinterpret_cast<const std::uint8_t*>(s.data()),
            s.size());
}
// Appends an option header and room for `len` value bytes; returns where the value goes.
std::uint8_t* put_header(std::vector<std::uint8_t>& out, OptionType t, std::uint8_t len) {
  const std::size_t at = out.size();
  out.resize(at + 2 + len);
  std::uint8_t* p = out.data() + at;
  p[0] = static_cast<std::uint8_t>(t);
  p[1] = len;
  return p + 2;
}

struct Writer {
  std::vector<std::uint8_t>& out;
  void operator()(const opt::ClientName& o) { put_text(out, OptionType::CLIENT_NAME, o.value); }
  void operator()(const opt::SessionName& o) { put_text(out, OptionType::SESSION_NAME, o.value); }
  void operator()(const opt::SessionInfo& o) { put_text(out, OptionType::SESSION_INFO, o.value); }
  void operator()(const opt::OwnerInfo& o) { put_text(out, OptionType::OWNER_INFO, o.value); }
  void operator()(const opt::StartTime& o) { time(OptionType::START_TIME, o.seconds); }
  void operator()(const opt::EndTime& o) { time(OptionType::END_TIME, o.seconds); }
  void operator()(const opt::MediaInfo& o) { put_text(out, OptionType::MEDIA_INFO, o.value); }
  void operator()(const opt::AppInfo& o) { put_text(out, OptionType::APP_INFO, o.value); }
  void operator()(const opt::Keepalive& o) {
    std::uint8_t* v = put_header(out, OptionType::KEEPALIVE, 3);
    v[0] = o.period.value;
    v[1] = o.timeout.value;
    v[2] = o.miss_limit;
  }
  void operator()(const opt::BaseMember& o) { put_text(out, OptionType::BASE_MEMBER, o.name); }
  void operator()(const opt::Allow& o) { put_text(out, OptionType::ALLOW, o.name); }
  void operator()(const opt::AccessKey& o) {
    put_bytes(out, static_cast<std::uint8_t>(OptionType::ACCESS_KEY), o.bytes.data(),
              o.bytes.size());
  }
  void operator()(const opt::MmPort& o) { store16(put_header(out, OptionType::MM_PORT, 2), o.port); }
  void operator()(const opt::GroupKey& o) {
    const std::size_t key = o.key.size() > 253 ? 253 : o.key.size();
    std::uint8_t* v = put_header(out, OptionType::GROUP_KEY, static_cast<std::uint8_t>(2 + key));
    store16(v, o.epoch);
    std::copy_n(o.key.begin(), key, v + 2);
  }
  void operator()(const opt::MemberList& o) {
    const std::size_t n = o.entries.size() > 63 ? 63 : o.entries.size();
    std::uint8_t* v = put_header(out, OptionType::MEMBER_LIST, static_cast<std::uint8_t>(4 * n));
    for (std::size_t i = 0; i < n; ++i, v += 4) {
      store16(v, o.entries[i].user.value);
      v[2] = o.entries[i].member_type & 7;
      v[3] = 0;
    }
  }
  void operator()(const opt::MemberCount& o) {
    store32(put_header(out, OptionType::MEMBER_COUNT, 4), o.count);
  }
  void operator()(const opt::ListPart& o) {
    std::uint8_t* v = put_header(out, OptionType::LIST_PART, 2);
    v[0] = o.index;
    v[1] = o.count;
  }
  void operator()(const opt::ReasonCode& o) {
    *put_header(out, OptionType::REASON, 1) = static_cast<std::uint8_t>(o.reason);
  }
  void operator()(const opt::KaSeq& o) { store32(put_header(out, OptionType::KA_SEQ, 4), o.round); }
  // Written as given, even with a known code and a wrong size: the tester sends malformed
  // options this way. Type 0 would read as END, so it is written as such (one zero byte).
  void operator()(const opt::Unknown& o) {
    if (o.type == 0) {
      out.push_back(0);
      return;
    }
    put_bytes(out, o.type, o.value.data(), o.value.size());
  }
  void time(OptionType t, std::uint64_t s) {
    std::uint8_t* v = put_header(out, t, 8);
    store32(v, static_cast<std::uint32_t>(s >> 32));
    store32(v + 4, static_cast<std::uint32_t>(s));
  }
};

}  // namespace

DecodeResult check_encodable(const Options& options) {
  for (const auto& o : options) {
    const bool ok = std::visit(
        [](const auto& v) {
          using T = std::decay_t<decltype(v)>;
          if constexpr (requires { v.value.size(); }) return v.value.size() <= 255;
          else if constexpr (requires { v.name.size(); }) return v.name.size() <= 255;
          else if constexpr (std::is_same_v<T, opt::AccessKey>) return v.bytes.size() <= opt::max_access_key;
          else if constexpr (std::is_same_v<T, opt::GroupKey>) return v.key.size() <= 253;
          else if constexpr (std::is_same_v<T, opt::MemberList>) return v.entries.size() <= opt::max_member_entries;
          else return true;
        },
        o);
    if (!ok) return fail(DecodeError::bad_option_size);
  }
  return {};
}

void encode_options(const Options& options, std::vector<std::uint8_t>& out,
                    std::size_t message_start) {
  for (const auto& o : options) {
    std::visit(Writer{out}, o);
    const std::size_t used = out.size() - message_start;
    out.resize(message_start + ((used + 3) & ~std::size_t{3}));  // zero padding
  }
}

}  // namespace detail
}  // namespace gmp
