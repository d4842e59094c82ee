// How both runners feed their standing checks (standing.hpp for a server, client_standing.hpp
// for a client): every message recorded in the case's wire log goes to the checks as it
// arrives; the first violation is kept, with its event, until the runner's next look, which
// marks the event for the reports and ends the case (the I/O callbacks themselves never throw).
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "match/violation.hpp"
#include "matcher.hpp"
#include "wirelog.hpp"

namespace conform::match {

/// A violation as the case's failure: the reason, the details the reports show (field,
/// message as observed, section) and the section the verdict rests on.
struct StandingFailure {
  std::string reason;
  std::vector<std::string> details;
  std::string section;
  bool timing = false;
};

template <class Checks>
class Watch {
 public:
  template <class... A>
  explicit Watch(A&&... a) : checks_(std::forward<A>(a)...) {}

  /// Hands the recorded event `i` to the checks (messages only; the robustness campaign's
  /// anomalies teach them nothing). Violations count only while `judging`.
  void observe(const std::vector<WireEvent>& log, std::size_t i, bool judging = true) {
    const WireEvent& e = log[i];
    if (e.kind != WireKind::data || !e.decoded.is_object() || e.anomaly) return;
    Seen seen{e.lifeline, e.to_server, e.tcp, e.local.port, &e.decoded, e.message, e.t_ms};
    auto v = checks_.observe(seen);
    if (v && judging && !first_) first_ = {*v, i};
  }

  /// The first violation, its event marked "standing check" in `log`; none when there is none.
  std::optional<StandingFailure> due(std::vector<WireEvent>& log) {
    if (!first_) return std::nullopt;
    const auto& [v, i] = *first_;
    log[i].highlight = true;
    log[i].note = "standing check";
    return StandingFailure{v.reason, details_of(v, plain(log[i].decoded)), v.section, v.timing};
  }

 private:
  Checks checks_;
  std::optional<std::pair<Violation, std::size_t>> first_;  // the first, and its event
};

}  // namespace conform::match
