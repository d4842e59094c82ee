// Runs one test purpose against the implementation under test and gives its verdict
// (ISO/IEC 9646: pass, fail, inconc, error; n/a is decided before running, from the PICS).
#pragma once

#include <asio/ip/address.hpp>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "model.hpp"
#include "verdict.hpp"
#include "pixit.hpp"
#include "wirelog.hpp"

namespace conform {

struct Target {
  std::string sm_host = "127.0.0.1";
  std::uint16_t sm_port = 0;
  std::string mm_host = "127.0.0.1";
  std::uint16_t mm_port = 0;
};

class Lifeline;
struct Outgoing;

/// A typed send about to leave, offered to RunConfig::before_send.
struct SendHook {
  std::size_t index;  // the case's typed sends in play order, from 0
  std::string where;  // the step (file:line with its macro call chain)
  Outgoing& out;      // may be replaced (an equivalent message sent in its place)
  bool alt_port;
  /// Sends an anomaly ahead of `out`, on its channel and to its receiver (marked in the log).
  std::function<void(const std::vector<std::uint8_t>&)> send_before;
  /// Set by the hook when `out` became an SM framing error (client suite, profile 1): the
  /// receiver must close the connection within this many ms, and the purpose ends there.
  double close_within_ms = 0;
};

struct RunConfig {
  Pixit pixit;
  Target target;
  double time_scale = 1.0;
  bool teardown = true;  // delete the case's session at the end (SDREQ), see runner.cpp
  /// The robustness campaign (robustness/campaign.hpp): may send anomalies before a typed send
  /// or replace its bytes; a non-empty answer fails the case with that reason.
  std::function<std::string(SendHook&)> before_send;
};

struct CaseResult {
  const TestPurpose* tp = nullptr;
  Verdict verdict = Verdict::error;
  std::string reason;             // one line
  std::vector<std::string> details;  // expected vs observed, one difference a line
  std::string where;              // the step that decided the verdict (file:line)
  std::string deviation;          // documented deviation (verdict stays visible)
  double duration_ms = 0;
  double lateness_ms = 0;         // the tester's own worst scheduling delay
  bool tester_late = false;       // inconc because of that lateness, not of the implementation
  int attempts = 1;               // plays of the case (more when tester_late asked for a replay)
  std::vector<WireEvent> log;
  std::vector<TraceEntry> trace;
  /// With RunConfig::before_send: "lifeline: TYPE" of what arrived and no step took (KAREQ,
  /// answered automatically, left out), for the robustness campaign to compare with a baseline.
  std::vector<std::string> leftover;
  /// What a fail rests on when it is not the purpose's own authority: a standing check names
  /// the profile section it applies (a reserved bit is profile 2 whatever the purpose tests).
  std::optional<Authority> rests_on;
  [[nodiscard]] const Authority& authority() const { return rests_on ? *rests_on : tp->authority; }
};

CaseResult run_case(const TestPurpose& tp, const RunConfig& cfg);

}  // namespace conform
