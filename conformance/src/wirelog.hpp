// Everything that crossed the wire during one test purpose, in order: the source of the
// HTML wire log, the observed side of the sequence diagram and the per-case pcap.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "model.hpp"

namespace conform {

struct Ep {
  std::uint32_t ip = 0;  // host order
  std::uint16_t port = 0;
};

enum class WireKind { data, tcp_open, tcp_close_by_tester, tcp_close_by_server };

struct WireEvent {
  WireKind kind = WireKind::data;
  double t_ms = 0;                    // since the case started (steady clock)
  std::int64_t wall_us = 0;           // wall clock, for the pcap
  std::string lifeline;
  bool to_server = true;
  bool tcp = true;
  Ep local, server;                   // the lifeline's socket and the server's
  std::vector<std::uint8_t> wire;     // exactly what crossed (TCP: prefix included)
  std::vector<std::uint8_t> message;  // the GMP message (prefix removed)
  Json decoded;                       // gmp_json description (+ derived fields)
  std::string note;                   // "auto KARES", "ignored", "matched step 4", "unexpected"
  int step = -1;                      // index in the trace of the step that sent/matched it
  bool highlight = false;             // drawn in red: unexpected or mismatching
  bool anomaly = false;               // sent by the robustness campaign to be discarded: the
                                      // standing checks learn no session fact from it
};

/// How a step of the expected side ended: played, failed (drawn red), or left unplayed by an
/// earlier failure (grey).
enum class StepStatus { ok, fail, notrun };

/// One executed (or not executed) step, for the expected side of the diagram.
struct TraceEntry {
  std::string label;
  std::string kind;        // send / expect / nothing / closed / other
  std::string lifeline;
  std::string type;        // message type, when there is one
  bool to_server = true;
  StepStatus status = StepStatus::ok;
  std::string where;
  double t_ms = 0;
};

}  // namespace conform
