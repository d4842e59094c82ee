// The announcement (clause 7.1.2, profile 5.2) and the counters as JSON, and the live HTML
// page. Built from the core's read-only views: no access keys, no group keys.
#pragma once

#include <nlohmann/json.hpp>
#include <string_view>

#include "gmp/server/core.hpp"

namespace gmp::server {

struct ShellStats {
  std::uint64_t mm_send_dropped = 0;  // sendmmsg would block: the datagram is dropped (UDP)
  std::uint64_t mm_datagrams_in = 0;
  std::uint64_t mm_datagrams_out = 0;
};

nlohmann::json sessions_json(const Server& core);
nlohmann::json counters_json(const Server& core, const ShellStats& shell);
std::string_view announcement_page();

}  // namespace gmp::server
