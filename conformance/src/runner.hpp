// Runs one test purpose against the implementation under test and gives its verdict
// (ISO/IEC 9646: pass, fail, inconc, error; n/a is decided before running, from the PICS).
#pragma once

#include <asio/ip/address.hpp>
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

struct RunConfig {
  Pixit pixit;
  Target target;
  double time_scale = 1.0;
  bool teardown = true;  // delete the case's session at the end (SDREQ), see runner.cpp
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
  std::vector<WireEvent> log;
  std::vector<TraceEntry> trace;
};

CaseResult run_case(const TestPurpose& tp, const RunConfig& cfg);

}  // namespace conform
