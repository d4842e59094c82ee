// Client events as JSON (docs/client.md, "Events").
#include "gmp/client/event_json.hpp"

#include "gmp/json.hpp"

namespace gmp::client {

namespace {
nlohmann::json message_json(Channel c, const std::vector<std::uint8_t>& raw) {
  return c == Channel::sm ? json::describe_sm_bytes(raw) : json::describe_mm_bytes(raw);
}
}  // namespace

nlohmann::json to_json(const Event& e) {
  nlohmann::json j;
  j["event"] = std::string(name(e.kind));
  switch (e.kind) {
    case EventKind::sent:
    case EventKind::received:
      j["channel"] = std::string(name(e.channel));
      j["type"] = message_json(e.channel, e.raw).value("type", "UNKNOWN");
      j["message"] = message_json(e.channel, e.raw);
      break;
    case EventKind::invalid:
      j["channel"] = std::string(name(e.channel));
      j["error"] = e.detail;
      j["hex"] = json::to_hex(e.raw);
      if (!e.raw.empty()) j["message"] = message_json(e.channel, e.raw);
      break;
    case EventKind::unexpected:
      j["channel"] = std::string(name(e.channel));
      j["why"] = e.detail;
      if (!e.raw.empty()) {
        j["type"] = message_json(e.channel, e.raw).value("type", "UNKNOWN");
        j["message"] = message_json(e.channel, e.raw);
      }
      break;
    case EventKind::state:
      j["from"] = std::string(name(e.from));
      j["to"] = std::string(name(e.to));
      break;
    case EventKind::key:
      j["epoch"] = e.epoch;
      j["key"] = json::to_hex(e.key);
      j["source"] = e.detail;
      break;
    case EventKind::key_ignored:
      j["epoch"] = e.epoch;
      j["current_epoch"] = e.current_epoch;
      j["source"] = e.detail;
      break;
    case EventKind::keepalive:
      j["ka_period"] = e.ka_period;
      j["ka_timeout"] = e.ka_timeout;
      j["round"] = e.round;
      break;
    case EventKind::stale_round:
      j["round"] = e.round;
      break;
    case EventKind::members: {
      auto list = nlohmann::json::array();
      for (const auto& m : e.members) {
        const auto t = static_cast<MemberType>(m.member_type);
        list.push_back({{"user_id", m.user.value},
                        {"member_type", std::string(name(t))},
                        {"member_type_code", m.member_type}});
      }
      j["members"] = std::move(list);
      j["member_count"] = e.member_count ? nlohmann::json(*e.member_count) : nlohmann::json(nullptr);
      j["parts"] = e.parts;
      break;
    }
    case EventKind::rejected:
      j["message"] = e.detail;
      j["reason"] = static_cast<int>(e.reason);
      j["reason_text"] = std::string(reason_text(e.reason));
      break;
    case EventKind::ended:
      j["cause"] = e.detail;
      break;
    case EventKind::deleted:
      break;
    case EventKind::timeout:
      j["awaiting"] = e.detail;
      break;
    case EventKind::error:
      j["why"] = e.detail;
      break;
  }
  return j;
}

}  // namespace gmp::client
