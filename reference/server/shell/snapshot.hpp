// The announcement (clause 7.1.2, profile 5.2) and the counters as JSON, and the HTML page.
// Built from the core's read-only views: no access keys, no group keys.
#pragma once

#include <chrono>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "gmp/server/core.hpp"

namespace gmp::server {

struct ShellStats {
  std::uint64_t mm_send_dropped = 0;  // sendmmsg would block: the datagram is dropped (UDP)
  std::uint64_t mm_datagrams_in = 0;
  std::uint64_t mm_datagrams_out = 0;
  std::uint64_t frame_timeouts = 0;  // connections closed holding a partial frame too long
  std::uint64_t idle_timeouts = 0;   // connections closed idle too long
};

/// Member counts follow the ladder registered < joined < active: an active member is also
/// joined and registered, so `registered` counts every member and `joined` every joined or
/// active one.
nlohmann::json sessions_json(const Server& core);
nlohmann::json counters_json(const Server& core, const ShellStats& shell);

/// Building the sessions JSON copies every session's strings: with many sessions and long
/// info fields it must not run after every state change on the event loop. The cache
/// rebuilds only when the core's state changed and `min_interval` has passed since the last
/// build; between two builds it serves the previous one.
class SnapshotCache {
 public:
  using Clock = std::chrono::steady_clock;
  explicit SnapshotCache(std::chrono::milliseconds min_interval) : min_interval_(min_interval) {}
  /// The sessions JSON, rebuilt first when due. Returns true when it was rebuilt.
  bool refresh(const Server& core, Clock::time_point now);
  [[nodiscard]] const std::string& sessions() const { return sessions_; }
  [[nodiscard]] std::uint64_t rebuilds() const { return rebuilds_; }
  /// True when the state changed since the last build (a refresh would rebuild once due).
  [[nodiscard]] bool stale(const Server& core) const { return !built_ || core.state_version() != version_; }

 private:
  std::chrono::milliseconds min_interval_;
  std::string sessions_ = R"({"sessions":[]})";
  std::uint64_t version_ = 0;
  bool built_ = false;
  Clock::time_point last_{};
  std::uint64_t rebuilds_ = 0;
};

/// Where clients reach the SM and MM ports, for the "how to join" line of the page.
struct JoinInfo {
  std::string host;  // empty or 0.0.0.0: the address the page was requested on
  std::uint16_t sm_port = 0;
  std::uint16_t mm_port = 0;
};

/// The announcement page rendered from a sessions JSON document: every string from the
/// wire (names, info, owner, media, application) is HTML-escaped.
std::string announcement_page(const nlohmann::json& sessions, const JoinInfo& join);

std::string html_escape(std::string_view s);

}  // namespace gmp::server
