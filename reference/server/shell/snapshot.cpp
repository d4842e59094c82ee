#include "snapshot.hpp"

namespace gmp::server {

nlohmann::json sessions_json(const Server& core) {
  auto list = nlohmann::json::array();
  for (const SessionView& s : core.sessions()) {
    nlohmann::json j{
        {"session_id", s.id.value},
        {"name", s.name},
        {"info", s.info},
        {"media", s.media},
        {"app", s.app},
        {"owner", s.owner},
        {"mode", std::string(name(s.mode))},
        {"secure", s.secure},
        {"group_address", s.group.to_string()},
        {"group_port", s.group_port},
        {"ka_period_ms", s.ka_period.duration().count()},
        {"ka_timeout_ms", s.ka_timeout.duration().count()},
        {"miss_limit", s.miss_limit},
        {"round", s.round},
        {"registered", s.registered + s.joined + s.active},
        {"joined", s.joined + s.active},
        {"active", s.active},
        {"start_time", s.start_time ? nlohmann::json(*s.start_time) : nlohmann::json()},
        {"end_time", s.end_time ? nlohmann::json(*s.end_time) : nlohmann::json()},
    };
    list.push_back(std::move(j));
  }
  return nlohmann::json{{"sessions", std::move(list)}};
}

namespace {

template <class Arr, class Name>
nlohmann::json by_type(const Arr& a, Name name_of) {
  nlohmann::json j = nlohmann::json::object();
  for (std::size_t i = 1; i < a.size(); ++i) {
    const std::string n(name_of(i));
    if (n != "UNKNOWN") j[n] = a[i];
  }
  return j;
}

}  // namespace

nlohmann::json counters_json(const Server& core, const ShellStats& shell) {
  const Counters& c = core.counters();
  nlohmann::json discards = nlohmann::json::object();
  for (int i = 1; i < decode_error_count; ++i)
    discards[std::string(error_name(static_cast<DecodeError>(i)))] = c.decode_errors[static_cast<std::size_t>(i)];
  for (std::size_t i = 0; i < discard_count; ++i)
    discards[std::string(discard_name(static_cast<Discard>(i)))] = c.discards[i];
  std::size_t reg = 0, joined = 0, active = 0;
  const auto sessions = core.sessions();
  for (const auto& s : sessions) {
    reg += s.registered + s.joined + s.active;
    joined += s.joined + s.active;
    active += s.active;
  }
  return nlohmann::json{
      {"sm_in", by_type(c.sm_in, [](std::size_t i) { return name(static_cast<SmType>(i)); })},
      {"sm_out", by_type(c.sm_out, [](std::size_t i) { return name(static_cast<SmType>(i)); })},
      {"mm_in", by_type(c.mm_in, [](std::size_t i) { return name(static_cast<MmType>(i)); })},
      {"mm_out", by_type(c.mm_out, [](std::size_t i) { return name(static_cast<MmType>(i)); })},
      {"discards", discards},
      {"discards_total", c.total_discards()},
      {"members", {{"registered", reg}, {"joined", joined}, {"active", active}}},
      {"sessions", sessions.size()},
      {"pending_creations", core.pending_count()},
      {"connections",
       {{"opened", c.connections_opened}, {"closed", c.connections_closed},
        {"refused", c.connections_refused}, {"frame_timeouts", shell.frame_timeouts},
        {"idle_timeouts", shell.idle_timeouts}}},
      {"sessions_created", c.sessions_created},
      {"sessions_ended", c.sessions_ended},
      {"pending_expired", c.pending_expired},
      {"rounds", c.rounds},
      {"promotions", c.promotions},
      {"demotions", c.demotions},
      {"rekeys", c.rekeys},
      {"limit_rejections", c.limit_rejections},
      {"total_member_rejections", c.total_member_rejections},
      {"member_table_bytes", core.member_memory_bytes()},
      {"mm_send_dropped", shell.mm_send_dropped},
      {"mm_datagrams_in", shell.mm_datagrams_in},
      {"mm_datagrams_out", shell.mm_datagrams_out},
  };
}

bool SnapshotCache::refresh(const Server& core, Clock::time_point now) {
  if (!stale(core) || (built_ && now - last_ < min_interval_)) return false;
  version_ = core.state_version();
  sessions_ = sessions_json(core).dump();
  built_ = true;
  last_ = now;
  ++rebuilds_;
  return true;
}

}  // namespace gmp::server
