// Pure matching of received messages (see expect.hpp). The wording of every reason and
// detail line is the reports' wording: the JSON, JUnit and HTML reports quote them.
#include "match/expect.hpp"

#include <algorithm>

#include "matcher.hpp"

namespace conform::match {

namespace {

std::string ms(double v) { return std::to_string(static_cast<int>(v)); }

/// Constraint differences, plus the decode error of an invalid message (never a match).
std::vector<std::string> differences(const Json& msg, const Json& constraints) {
  auto out = mismatches(msg, constraints);
  if (msg.contains("error") && !msg["error"].is_null())
    out.push_back("error: the message is invalid: " + msg["error"].dump());
  return out;
}

Judgement failure(Outcome o, std::size_t which, std::string reason, std::vector<std::string> details,
                  bool timing = false) {
  return {o, which, std::move(reason), std::move(details), timing};
}

}  // namespace

std::string Received::type() const { return closed ? "(connection closed)" : msg.value("type", "?"); }

std::size_t ExpectSet::add(Expectation e) {
  items_.push_back(std::move(e));
  return items_.size() - 1;
}

bool ExpectSet::all_done() const {
  return std::all_of(items_.begin(), items_.end(), [](const Expectation& e) { return e.done; });
}

double ExpectSet::next_deadline() const {
  double next = 1e300;
  for (const auto& e : items_)
    if (!e.done) next = std::min(next, e.deadline_ms);
  return next;
}

Judgement ExpectSet::offer(std::size_t lane_of, const Received& in, const std::set<std::string>& ignore) {
  const Expectation& p = items_[lane_of];
  if (in.closed)
    return failure(Outcome::closed, lane_of,
                   "the server closed " + p.lane.lifeline + "'s connection while " + p.type + " was expected", {});
  const std::string type = in.type();
  auto candidate = [&](const Expectation& c) { return !c.done && c.lane == p.lane && c.type == type; };
  for (std::size_t i = 0; i < items_.size(); ++i) {
    Expectation& c = items_[i];
    if (!candidate(c)) continue;
    auto diff = differences(in.msg, c.match);
    if (!diff.empty()) {
      c.near = std::move(diff);
      continue;
    }
    c.done = true;
    if (in.t_ms < c.earliest_ms)
      return failure(Outcome::too_early, i, type + " arrived too early",
                     {"expected not before " + ms(c.earliest_ms - since_) + " ms, observed after " +
                      ms(in.t_ms - since_) + " ms"},
                     true);
    return {Outcome::matched, i, {}, {}, false};
  }
  if (ignore.count(type)) return {Outcome::ignored, lane_of, {}, {}, false};
  for (std::size_t i = 0; i < items_.size(); ++i)
    if (candidate(items_[i])) {
      std::vector<std::string> details = items_[i].near;
      details.insert(details.begin(), "observed: " + plain(in.msg).dump());
      return failure(Outcome::mismatch, i, type + " at " + p.lane.lifeline + " does not match", std::move(details));
    }
  return failure(Outcome::unexpected, lane_of,
                 "unexpected " + type + " at " + p.lane.lifeline + " while " + p.type + " was expected",
                 {"expected: " + p.type + " " + p.match.dump(), "observed: " + plain(in.msg).dump()});
}

std::optional<Judgement> ExpectSet::expired(double now_ms) const {
  for (std::size_t i = 0; i < items_.size(); ++i) {
    const Expectation& p = items_[i];
    if (p.done || now_ms < p.deadline_ms) continue;
    std::vector<std::string> details{"expected: " + p.type + " " + p.match.dump() + " within " +
                                     ms(p.deadline_ms - since_) + " ms"};
    if (p.near.empty()) details.push_back("observed: nothing");
    for (const auto& n : p.near) details.push_back("last " + p.type + " seen: " + n);
    return failure(Outcome::timeout, i, "no " + p.type + " at " + p.lane.lifeline + " in time", std::move(details), true);
  }
  return std::nullopt;
}

Captures capture(const Json& msg, const std::vector<std::pair<Expr, std::string>>& what) {
  Captures out;
  for (const auto& [var, path] : what) {
    Json v = lookup(msg, path);
    if (v.is_null()) {
      out.error = "cannot capture " + path + ": absent from " + msg.value("type", "?");
      return out;
    }
    out.values.emplace_back(var, std::move(v));
  }
  return out;
}

std::optional<Judgement> breaks_silence(const Received& in, const std::string& lifeline, const Silence& s) {
  const std::string type = in.type();
  bool violation = s.types.empty() ? !s.ignore.count(type) : s.types.count(type) > 0;
  if (!violation) return std::nullopt;
  return failure(Outcome::violation, 0, "unexpected " + type + " at " + lifeline + " where nothing was expected",
                 {"expected: no " + (s.types.empty() ? std::string("message") : Json(s.types).dump()) + " for " +
                      ms(s.end_ms - s.start_ms) + " ms",
                  "observed after " + ms(in.t_ms - s.start_ms) + " ms: " + (in.closed ? type : plain(in.msg).dump())});
}

Judgement awaiting_close(const Received& in) {
  if (in.closed) return {Outcome::matched, 0, {}, {}, false};
  return failure(Outcome::violation, 0, "the server answered " + in.type() + " instead of closing the connection",
                 {"observed: " + plain(in.msg).dump()});
}

Judgement not_closed(const std::string& lifeline, double window_ms) {
  return failure(Outcome::timeout, 0, "the server did not close " + lifeline + "'s connection in time",
                 {"expected: connection closed within " + ms(window_ms) + " ms", "observed: still open"}, true);
}

}  // namespace conform::match
