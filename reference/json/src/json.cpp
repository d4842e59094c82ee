// GMP messages as JSON, with the field names of docs/json-format.md.
#include "gmp/json.hpp"

namespace gmp::json {
namespace {

using nlohmann::json;

json base(OptionType t, std::uint8_t code, std::size_t length) {
  return json{{"type", name(t)}, {"code", code}, {"length", length}};
}

// Names are UTF-8 by the profile; invalid bytes become U+FFFD so the JSON stays printable.
std::string valid_utf8(const std::string& v) {
  return json::parse(json(v).dump(-1, ' ', false, json::error_handler_t::replace))
      .get<std::string>();
}

std::string_view member_type_name(std::uint8_t code) {
  return name(static_cast<MemberType>(code));
}

struct Describer {
  json operator()(const opt::ClientName& o) { return text(OptionType::CLIENT_NAME, o.value); }
  json operator()(const opt::SessionName& o) { return text(OptionType::SESSION_NAME, o.value); }
  json operator()(const opt::SessionInfo& o) { return text(OptionType::SESSION_INFO, o.value); }
  json operator()(const opt::OwnerInfo& o) { return text(OptionType::OWNER_INFO, o.value); }
  json operator()(const opt::MediaInfo& o) { return text(OptionType::MEDIA_INFO, o.value); }
  json operator()(const opt::AppInfo& o) { return text(OptionType::APP_INFO, o.value); }
  json operator()(const opt::BaseMember& o) { return text(OptionType::BASE_MEMBER, o.name); }
  json operator()(const opt::Allow& o) { return text(OptionType::ALLOW, o.name); }
  json operator()(const opt::StartTime& o) { return number(OptionType::START_TIME, 8, o.seconds); }
  json operator()(const opt::EndTime& o) { return number(OptionType::END_TIME, 8, o.seconds); }
  json operator()(const opt::MmPort& o) { return number(OptionType::MM_PORT, 2, o.port); }
  json operator()(const opt::MemberCount& o) { return number(OptionType::MEMBER_COUNT, 4, o.count); }
  json operator()(const opt::KaSeq& o) { return number(OptionType::KA_SEQ, 4, o.round); }
  json operator()(const opt::Keepalive& o) {
    json j = base(OptionType::KEEPALIVE, 9, 3);
    j["period"] = o.period.value;
    j["timeout"] = o.timeout.value;
    j["miss_limit"] = o.miss_limit;
    return j;
  }
  json operator()(const opt::AccessKey& o) {
    json j = base(OptionType::ACCESS_KEY, 12, o.bytes.size());
    j["hex"] = to_hex(o.bytes);
    return j;
  }
  json operator()(const opt::GroupKey& o) {
    json j = base(OptionType::GROUP_KEY, 14, 2 + o.key.size());
    j["epoch"] = o.epoch;
    j["key"] = to_hex(o.key);
    return j;
  }
  json operator()(const opt::MemberList& o) {
    json j = base(OptionType::MEMBER_LIST, 15, 4 * o.entries.size());
    json entries = json::array();
    for (const auto& e : o.entries)
      entries.push_back({{"user_id", e.user.value},
                         {"member_type", member_type_name(e.member_type)},
                         {"member_type_code", e.member_type}});
    j["entries"] = std::move(entries);
    return j;
  }
  json operator()(const opt::ListPart& o) {
    json j = base(OptionType::LIST_PART, 17, 2);
    j["index"] = o.index;
    j["count"] = o.count;
    return j;
  }
  json operator()(const opt::ReasonCode& o) {
    json j = base(OptionType::REASON, 18, 1);
    j["value"] = static_cast<int>(o.reason);
    j["text"] = reason_text(o.reason);
    return j;
  }
  json operator()(const opt::Unknown& o) {
    // Unknown codes, and known codes carried raw (the tester's malformed options).
    json j = base(static_cast<OptionType>(o.type), o.type, o.value.size());
    j["hex"] = to_hex(o.value);
    return j;
  }

  static json text(OptionType t, const std::string& v) {
    json j = base(t, static_cast<std::uint8_t>(t), v.size());
    j["value"] = valid_utf8(v);
    return j;
  }
  static json number(OptionType t, std::size_t len, std::uint64_t v) {
    json j = base(t, static_cast<std::uint8_t>(t), len);
    j["value"] = v;
    return j;
  }
};

json flags_sm(const SmMessage& m) {
  return {{"q", m.q}, {"s", m.secure}, {"m", m.closed}, {"i", m.info}};
}

}  // namespace

nlohmann::json describe(const Option& o) { return std::visit(Describer{}, o); }

nlohmann::json describe(const Options& options) {
  json list = json::array();
  for (const auto& o : options) list.push_back(describe(o));
  return list;
}

nlohmann::json describe(const SmMessage& m) {
  return {{"protocol", "sm"},
          {"version", m.version},
          {"type", name(m.type)},
          {"type_code", static_cast<int>(m.type)},
          {"flags", flags_sm(m)},
          {"checksum", m.checksum},
          {"session_id", m.session.value},
          {"user_id", m.user.value},
          {"key_length", m.key_length},
          {"reserved", m.reserved},
          {"group_port", m.group_port},
          {"group_address", m.group_address.to_string()},
          {"options", describe(m.options)}};
}

nlohmann::json describe(const MmMessage& m) {
  return {{"protocol", "mm"},
          {"version", m.version},
          {"type", name(m.type)},
          {"type_code", static_cast<int>(m.type)},
          {"mode", name(static_cast<Mode>(m.mode))},
          {"mode_code", m.mode},
          {"member_type", member_type_name(m.member_type)},
          {"member_type_code", m.member_type},
          {"flags", {{"r", m.r}, {"ss", m.ss}, {"ui", m.ui}}},
          {"group_port", m.group_port},
          {"session_id", m.session.value},
          {"user_id", m.user.value},
          {"group_address", m.group_address.to_string()},
          {"ka_period", m.ka_period.value},
          {"ka_timeout", m.ka_timeout.value},
          {"key_length", m.key_length},
          {"reserved", m.reserved},
          {"options", describe(m.options)}};
}

namespace {
json error_value(const DecodeResult& r) {
  if (r.ok()) return nullptr;
  return error_name(static_cast<DecodeError>(r.error.value()));
}
}  // namespace

nlohmann::json describe_sm_bytes(std::span<const std::uint8_t> bytes) {
  // Fields come from a decode that does not stop at the checksum, so a message with a bad
  // checksum is still shown whole; the error is the one a receiver would act on.
  SmMessage shown;
  decode_sm(bytes, shown, DecodeFlags{.verify_checksum = false});
  SmMessage checked;
  const DecodeResult r = decode_sm(bytes, checked);
  json j = bytes.size() >= header_size ? describe(shown) : json{{"protocol", "sm"}};
  j["checksum_status"] = sm_checksum_ok(bytes) ? "good" : "bad";
  j["error"] = error_value(r);
  return j;
}

nlohmann::json describe_mm_bytes(std::span<const std::uint8_t> bytes) {
  MmMessage m;
  const DecodeResult r = decode_mm(bytes, m);
  json j = bytes.size() >= header_size ? describe(m) : json{{"protocol", "mm"}};
  j["error"] = error_value(r);
  return j;
}

std::string to_hex(std::span<const std::uint8_t> bytes) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string s;
  s.reserve(bytes.size() * 2);
  for (auto b : bytes) {
    s += digits[b >> 4];
    s += digits[b & 15];
  }
  return s;
}

bool from_hex(std::string_view text, std::vector<std::uint8_t>& out) {
  out.clear();
  int high = -1;
  for (char c : text) {
    if (c == ' ' || c == '\n' || c == '\t' || c == '\r') continue;
    int v;
    if (c >= '0' && c <= '9') v = c - '0';
    else if (c >= 'a' && c <= 'f') v = c - 'a' + 10;
    else if (c >= 'A' && c <= 'F') v = c - 'A' + 10;
    else return false;
    if (high < 0) {
      high = v;
    } else {
      out.push_back(static_cast<std::uint8_t>(high << 4 | v));
      high = -1;
    }
  }
  return high < 0;
}

}  // namespace gmp::json
