#include "decode_output.hpp"

#include <array>
#include <string_view>
#include <type_traits>

#include "gmp/json.hpp"

namespace gmp::decode {
namespace {

// docs/json-format.md order of the SM and MM fields and flags.
constexpr auto sm_order = std::to_array<std::string_view>(
    {"protocol", "version", "type", "type_code", "flags", "checksum", "checksum_status",
     "session_id", "user_id", "key_length", "reserved", "group_port", "group_address", "options",
     "error", "error_offset"});
constexpr auto mm_order = std::to_array<std::string_view>(
    {"protocol", "version", "type", "type_code", "mode", "mode_code", "member_type",
     "member_type_code", "flags", "group_port", "session_id", "user_id", "group_address",
     "ka_period", "ka_timeout", "key_length", "reserved", "options", "error", "error_offset"});
constexpr auto sm_flags = std::to_array<std::string_view>({"q", "s", "m", "i"});
constexpr auto mm_flags = std::to_array<std::string_view>({"r", "ss", "ui"});
constexpr auto option_order = std::to_array<std::string_view>({"type", "code", "length"});

// Copies `from` into `to`, the keys in `order` first, then the others (alphabetical).
template <std::size_t N>
void ordered_copy(const nlohmann::json& from, const std::array<std::string_view, N>& order,
                  Json& to) {
  for (auto key : order) {
    if (auto it = from.find(std::string(key)); it != from.end()) to[std::string(key)] = Json(*it);
  }
  for (auto it = from.begin(); it != from.end(); ++it) {
    if (!to.contains(it.key())) to[it.key()] = Json(it.value());
  }
}

Json ordered_message(bool sm, const nlohmann::json& m) {
  Json out = Json::object();
  if (sm) {
    ordered_copy(m, sm_order, out);
  } else {
    ordered_copy(m, mm_order, out);
  }
  if (auto it = m.find("flags"); it != m.end() && it->is_object()) {
    Json flags = Json::object();
    if (sm) {
      ordered_copy(*it, sm_flags, flags);
    } else {
      ordered_copy(*it, mm_flags, flags);
    }
    out["flags"] = std::move(flags);
  }
  if (auto it = m.find("options"); it != m.end() && it->is_array()) {
    Json opts = Json::array();
    for (const auto& o : *it) {
      if (!o.is_object()) {
        opts.push_back(Json(o));
        continue;
      }
      Json one = Json::object();
      ordered_copy(o, option_order, one);
      opts.push_back(std::move(one));
    }
    out["options"] = std::move(opts);
  }
  return out;
}

void bump(std::map<std::string, std::uint64_t>& m, const std::string& key) { ++m[key]; }

// What a partial decode read (every field, every option the layout allows, even after the
// first error), with "checksum_status" (SM) and the first error: its name and, for an
// invalid message, the byte offset of the field or option at fault.
template <class Message>
nlohmann::json partial(std::span<const std::uint8_t> bytes, const char* protocol,
                       DecodeResult (*decode)(std::span<const std::uint8_t>, Message&)) {
  Message m;
  const DecodeResult r = decode(bytes, m);
  nlohmann::json j = bytes.size() >= header_size ? json::describe(m)
                                                  : nlohmann::json{{"protocol", protocol}};
  if constexpr (std::is_same_v<Message, SmMessage>)
    j["checksum_status"] = sm_checksum_ok(bytes) ? "good" : "bad";
  if (r.ok()) {
    j["error"] = nullptr;
  } else {
    j["error"] = error_name(static_cast<DecodeError>(r.error.value()));
    j["error_offset"] = r.offset;
  }
  return j;
}

}  // namespace

Json describe_message(bool sm, std::span<const std::uint8_t> bytes) {
  return ordered_message(sm, sm ? partial<SmMessage>(bytes, "sm", decode_sm_partial)
                                : partial<MmMessage>(bytes, "mm", decode_mm_partial));
}

Json describe_record(const pcap::Record& r) {
  Json out = Json::object();
  out["frame"] = r.frame;
  out["time"] = static_cast<double>(r.time.count()) / 1e6;
  out["src"] = r.src.to_string();
  out["dst"] = r.dst.to_string();
  out["transport"] = r.tcp ? "tcp" : "udp";
  if (r.framing_error) {
    out["protocol"] = "sm";
    out["error"] = *r.framing_error;
    return out;
  }
  Json message = describe_message(r.tcp, r.bytes);
  for (auto& [key, value] : message.items()) out[key] = std::move(value);
  return out;
}

bool Summary::add(const Json& message) {
  ++messages_;
  const bool sm = message.value("protocol", "") == "sm";
  const auto type = message.find("type");
  if (type != message.end() && type->is_string())
    bump(sm ? sm_types_ : mm_types_, type->get<std::string>());
  const auto error = message.find("error");
  if (error == message.end() || error->is_null()) return false;
  ++errors_;
  bump(error_names_, error->is_string() ? error->get<std::string>() : error->dump());
  return true;
}

Json Summary::to_json(const pcap::ReadStats* stats) const {
  Json s = Json::object();
  s["messages"] = messages_;
  s["with_error"] = errors_;
  s["sm"] = Json(sm_types_);
  s["mm"] = Json(mm_types_);
  s["errors"] = Json(error_names_);
  if (stats != nullptr) {
    s["frames"] = stats->frames;
    s["skipped"] = Json{{"not_ipv4", stats->not_ipv4},
                        {"ip_fragments", stats->ip_fragments},
                        {"malformed", stats->malformed},
                        {"streams_ignored", stats->streams_ignored}};
    s["tcp"] = Json{{"out_of_order", stats->out_of_order},
                    {"retransmitted", stats->retransmitted},
                    {"incomplete_at_end", stats->incomplete_at_end}};
  }
  return Json{{"summary", s}};
}

}  // namespace gmp::decode
