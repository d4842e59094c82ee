// The capacity campaign (gmp-conform --capacity): the tester acts as N members of the
// implementation under test with the load engine (gmp/load.hpp, the same engine as
// gmp-load), climbs a ladder of N and reports the largest N held: every member polled in
// every keepalive round and counted active at the end, read from the wire only (profile 6.1,
// 6.4). Beside it, the machine's loopback datagram rate measured in the same run, so that a
// figure is never read without its ceiling: one datagram per message, and as the GSO/GRO
// trains the tester itself sends and reads (gmp/udp_batch.hpp; on the wire every datagram
// stays its own, so the implementation sees no difference).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "gmp/load.hpp"

namespace conform::capacity {

/// PIXIT of the campaign (the `capacity:` section of the PIXIT file).
struct Settings {
  std::uint8_t ka_period = 10;  // 100 ms units
  std::uint8_t ka_timeout = 5;
  std::uint8_t miss_limit = 1;
  int target = 200000;            // the top of the ladder
  int start = 1000;               // the first step
  double seconds_per_step = 5;    // keepalive time of each step
  int members_per_session = 60000;  // sessions = ceil(N / this)
  int sockets = 8;
  int threads = 2;
  int connections = 2;
  bool udp_offload = true;  // the tester's KAREQ/KARES as UDP GRO/GSO trains when possible
};

/// Reads the `capacity:` mapping of a PIXIT YAML file over the defaults; errors are
/// "file:line: message". A file without the section gives the defaults.
bool load_settings(const std::string& path, Settings& out, std::vector<std::string>& errors);

/// 1000, 2000, 5000, 10000, ... up to `target` (the last step is `target` itself).
std::vector<int> ladder(int start, int target);

struct Step {
  int members = 0;
  std::optional<gmp::load::Result> result;  // empty when set-up failed
  std::string error;                        // why set-up failed, or why it did not hold
  [[nodiscard]] bool held() const { return result && result->held(); }
};

struct Report {
  Settings settings;
  std::vector<Step> steps;
  int largest_held = 0;  // 0: not even the first step
  gmp::load::RawResult loopback;         // one datagram per message
  gmp::load::RawResult loopback_trains;  // UDP GSO/GRO trains (the tester's own way)
  [[nodiscard]] nlohmann::json to_json() const;
  [[nodiscard]] std::string to_text() const;
};

/// `fresh` gives the target for one step (a fresh server process, or the same address); it
/// returns nothing when the implementation could not be started. Stops at the first step
/// that does not hold.
Report run(const Settings& s, const std::function<std::optional<gmp::load::Target>()>& fresh,
           const std::function<void()>& done_with_step);

}  // namespace conform::capacity
