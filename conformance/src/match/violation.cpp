// The shared parts of the standing checks (see violation.hpp).
#include "match/violation.hpp"

#include <algorithm>

namespace conform::match {

namespace json {

const nlohmann::json& at(const nlohmann::json& j, const char* key) {
  static const nlohmann::json none;
  if (!j.is_object()) return none;
  auto it = j.find(key);
  return it == j.end() ? none : *it;
}

std::string str(const nlohmann::json& j) { return j.is_string() ? j.get<std::string>() : j.dump(); }

int integer(const nlohmann::json& m, const char* key) {
  return m.contains(key) && m[key].is_number() ? m[key].get<int>() : 0;
}

bool flag(const nlohmann::json& m, const char* f) {
  const auto& v = at(at(m, "flags"), f);
  return v.is_boolean() && v.get<bool>();
}

}  // namespace json

Violation violation(const std::string& what, const std::string& field, const nlohmann::json& observed,
                    const std::string& required, const std::string& section) {
  return {what + ": " + field + " " + json::str(observed) + ", " + required + " (profile " + section + ")", field,
          section, false};
}

std::vector<std::string> details_of(const Violation& v, const nlohmann::json& observed) {
  return {"field: " + v.field, "observed: " + observed.dump(), "standing check, profile section " + v.section};
}

Violation invalid(const std::string& proto, const std::string& where, const std::string& error) {
  const std::string header = proto == "SM" ? "2" : "3";
  std::string field = "options", section = "4";
  if (error == "bad_checksum") field = "checksum", section = header;
  else if (error == "bad_version") field = "version", section = header;
  else if (error == "unknown_type") field = "type", section = header;
  else if (error == "flag_contradicts_type") field = "flags", section = header;
  else if (error == "bad_mode") field = "mode", section = header;
  else if (error == "too_short" || error == "not_aligned") field = "length", section = header;
  return Violation{proto + " message " + where + " is invalid: " + error + " (profile " + section + ")", field,
                   section, false};
}

std::string option_area_fault(std::span<const std::uint8_t> b) {
  std::size_t i = 16;
  while (i < b.size()) {
    const std::uint8_t type = b[i];
    if (type == 0 || i + 1 >= b.size()) break;  // END; a truncated option is the decoder's matter
    const std::size_t len = b[i + 1];
    const std::size_t end = i + 2 + len;
    if (end > b.size()) break;
    if (type == 15)
      for (std::size_t e = i + 2; e + 4 <= end; e += 4)
        if (b[e + 3] != 0)
          return "MEMBER-LIST entry reserved byte " + std::to_string(b[e + 3]) + " at offset " + std::to_string(e + 3) +
                 ", must be 0";
    const std::size_t padded = std::min(b.size(), (end + 3) / 4 * 4);
    for (std::size_t p = end; p < padded; ++p)
      if (b[p] != 0) return "option padding byte " + std::to_string(b[p]) + " at offset " + std::to_string(p) + ", must be 0";
    i = padded;
  }
  return "";
}

std::optional<Violation> reserved_fault(const std::string& what, bool sm, const nlohmann::json& m,
                                        std::span<const std::uint8_t> bytes) {
  const std::string section = sm ? "2" : "3";
  if (json::flag(m, sm ? "q" : "r")) return violation(what, sm ? "Q" : "R", 1, "sent as 0", section);
  if (json::integer(m, "reserved") != 0) return violation(what, "reserved", json::at(m, "reserved"), "sent as 0", section);
  if (auto f = option_area_fault(bytes); !f.empty()) return Violation{what + ": " + f + " (profile 4)", "options", "4", false};
  return std::nullopt;
}

}  // namespace conform::match
