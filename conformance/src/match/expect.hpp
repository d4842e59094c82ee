// Matching of received messages against `expect`, `unordered`, `nothing` and `closed` steps,
// as pure functions: no sockets, no clock, no variables. The runner takes messages from the
// lifelines' queues, asks here what each one means, and applies the judgement (trace, wire
// log notes, verdict). Times are ms since the case started, as the runner's clock gives them.
//
// A failed Judgement carries the verdict's reason and detail lines, exactly as the reports
// print them; `timing` marks a timing failure, inconclusive when the tester itself was late.
#pragma once

#include <cstddef>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "steps.hpp"

namespace conform::match {

/// One item taken from a lifeline's receive queue.
struct Received {
  bool closed = false;       // the server closed the TCP connection: no message
  Json msg;                  // the described message (matcher.hpp describe) unless closed
  double t_ms = 0;
  /// The message type, "(connection closed)" for a close.
  [[nodiscard]] std::string type() const;
};

/// A lifeline's receive queue on one channel: expectations on the same lane compete for its
/// messages, in arrival order.
struct Lane {
  std::string lifeline;
  Channel channel = Channel::sm;
  friend bool operator==(const Lane&, const Lane&) = default;
};

/// One message waited for, its constraints already resolved.
struct Expectation {
  Lane lane;
  std::string type;              // MsgType::name()
  Json match = Json::object();
  double deadline_ms = 0;        // absolute; the window and tolerance applied
  double earliest_ms = -1;       // absolute; -1: no lower bound
  bool done = false;
  std::vector<std::string> near;  // why the last message of this type did not match
};

enum class Outcome {
  matched,     // the message satisfies expectation `which`
  ignored,     // not expected, of an ignored type: skipped
  too_early,   // matched expectation `which` before its `after` bound (timing)
  closed,      // the connection closed while `which` was expected
  mismatch,    // of the type `which` expects, but a field differs
  unexpected,  // of a type nobody expects on this lane
  timeout,     // `which` did not arrive in time (timing)
  violation,   // a message where nothing was expected, or not the close awaited
};

struct Judgement {
  Outcome outcome = Outcome::matched;
  std::size_t which = 0;
  std::string reason;
  std::vector<std::string> details;
  bool timing = false;
  [[nodiscard]] bool failed() const { return outcome != Outcome::matched && outcome != Outcome::ignored; }
};

/// The expectations of one `expect` (one) or `unordered` (several) step.
class ExpectSet {
 public:
  /// `since_ms`: the end of the previous step, from which windows are counted in messages.
  explicit ExpectSet(double since_ms) : since_(since_ms) {}

  std::size_t add(Expectation e);
  [[nodiscard]] const Expectation& operator[](std::size_t i) const { return items_[i]; }
  [[nodiscard]] std::size_t size() const { return items_.size(); }
  [[nodiscard]] bool all_done() const;
  /// The earliest deadline of the expectations still pending; +infinity when none.
  [[nodiscard]] double next_deadline() const;

  /// Judges `in`, the head of the lane of expectation `lane_of` (pending). The first pending
  /// expectation of that lane and type whose constraints hold takes it (and is done); an
  /// invalid message (a decode error) never matches.
  Judgement offer(std::size_t lane_of, const Received& in, const std::set<std::string>& ignore);

  /// The first pending expectation whose deadline has passed at `now_ms`.
  [[nodiscard]] std::optional<Judgement> expired(double now_ms) const;

 private:
  std::vector<Expectation> items_;
  double since_;
};

/// The values of an expect step's `capture` (variable <- field path) in `msg`, in order;
/// `error` names the first path absent from the message.
struct Captures {
  std::vector<std::pair<Expr, Json>> values;
  std::string error;
};
Captures capture(const Json& msg, const std::vector<std::pair<Expr, std::string>>& what);

/// A `nothing` window: no message of `types` (empty: of any type not in `ignore`).
struct Silence {
  std::set<std::string> types;
  std::set<std::string> ignore;
  double start_ms = 0, end_ms = 0;
};
/// A violation when `in`, received at `lifeline`, breaks the silence.
std::optional<Judgement> breaks_silence(const Received& in, const std::string& lifeline, const Silence& s);

/// `closed`: the close ends the step (matched); any message before it is a violation.
Judgement awaiting_close(const Received& in);
/// `closed`: the connection of `lifeline` still open after `window_ms`.
Judgement not_closed(const std::string& lifeline, double window_ms);

}  // namespace conform::match
