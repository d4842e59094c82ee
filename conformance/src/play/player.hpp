// What the two step interpreters share: the server suite's (runner.cpp, the tester plays the
// clients) and the client suite's (client/client_case.cpp, the tester plays the server). The
// wire steps mean the same on both sides, so their waiting and judging is written once here:
//   - windows: `within` W gives a deadline of W*scale plus the tolerance (absolute + percent,
//     profile-independent, packetdrill style), counted from the end of the previous step;
//     `after` A gives an earliest arrival of A*scale minus the tolerance;
//   - `expect` / `unordered` take the received messages of their lanes in arrival order and ask
//     match/expect.hpp (pure) what each one means; `nothing` watches the queues for a window;
//   - a timing failure while the tester itself was late (its wake-ups overran by more than
//     PIXIT late_ms) is inconclusive, not a fail.
// A runner derives from Player, names its queues (a lifeline's, a client's membership's) and
// plays the steps whose I/O differs (send, close, closed, mute, adapter steps). The hooks let
// each side add its own rules without changing the shared order of things: the server suite's
// standing checks run around every wake-up (on_wake), the client suite's adapter is looked at
// before every look at the queues (poll).
#pragma once

#include <deque>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "lifeline.hpp"
#include "match/expect.hpp"
#include "runner.hpp"
#include "vars.hpp"

namespace conform::play {

/// A failed step: thrown to end the case with verdict fail (or inconc, see conclude).
struct Failure {
  std::string reason;
  std::vector<std::string> details;
  std::string where;
  bool timing = false;
  std::optional<Authority> authority;  // CaseResult::rests_on
};

template <class... F>
struct overloaded : F... {
  using F::operator()...;
};

/// The receive queues of one lifeline (server suite) or membership (client suite).
struct Queues {
  std::string name;
  std::deque<Inbound>* sm = nullptr;
  std::deque<Inbound>* mm = nullptr;
  [[nodiscard]] std::deque<Inbound>& operator[](Channel ch) const {
    return ch == Channel::sm ? *sm : *mm;
  }
};

class Player {
 public:
  Player(const Player&) = delete;
  Player& operator=(const Player&) = delete;
  virtual ~Player() = default;

 protected:
  /// Variables: the PIXIT's values, then `extra` (the client suite's own PIXIT section), then
  /// the case's own. `slice_ms`: the longest single wait of the I/O loop (the client suite
  /// wakes up to see its adapter's events). `max_repeat`: the bound on a `repeat` count.
  Player(const TestPurpose& tp, const RunConfig& cfg, const Json& extra, double slice_ms,
         long long max_repeat);

  // ---- what a runner supplies ----
  /// The queues of the lifeline `name` names; ScenarioError when there is none.
  virtual Queues queues(const Expr& name) = 0;
  virtual std::vector<Queues> all_queues() = 0;
  virtual void send(const Step& st, const SendStep& s) = 0;
  virtual void close(const Step& st, const CloseStep& s) = 0;
  virtual void closed(const Step& st, const ClosedStep& s) = 0;
  virtual void mute(const Step& st, const MuteStep& s) = 0;
  virtual void adapter(const Step& st, const AdapterStep& a) = 0;
  /// Around every wake-up of pump, before its predicate is looked at again, and before a step
  /// fails (a standing violation in the same message decides first).
  virtual void on_wake() {}
  /// Before every look at the receive queues (and on every idle wake-up).
  virtual void poll() {}
  /// After a `nothing` step's window has passed quietly, with the queues it watched.
  virtual void after_nothing(const std::vector<Queues>&) {}
  /// A queued message the side's own rules explain (beyond the purpose's `ignore` list and the
  /// KAREQs a lifeline answered itself): never left unexplained.
  [[nodiscard]] virtual bool excused(const std::string& /*lane*/, const Inbound& /*in*/) const { return false; }

  // ---- the case ----
  /// Runs `body`: pass when it returns; fail/inconc on a Failure, error on a scenario or
  /// tester error (with the step being played).
  void judge(CaseResult& r, const std::function<void()>& body);
  /// Plays the purpose's top-level steps in order.
  void play_all();
  void play(const Step& st);
  /// Hands the lateness, the wire log and the trace to the result.
  void finish(CaseResult& r);

  // ---- failures ----
  /// Nothing unexplained: a message still queued at `qs` that no step consumed fails the case
  /// ("unexpected T <dir> L after U <when>"), unless ignored or excused.
  void unexplained(const std::vector<Queues>& qs, const std::string& when, const std::string& dir = "to");
  [[noreturn]] void fail(std::string reason, std::vector<std::string> details = {},
                         bool timing = false);
  /// Marks the step's trace entry failed and ends the case with the judgement.
  [[noreturn]] void reject(int trace_index, const match::Judgement& j);
  /// fail; inconc when the failure is about timing and the tester itself was late.
  void conclude(CaseResult& r, const Failure& f) const;

  // ---- time ----
  [[nodiscard]] double scale(double ms) const { return ms * cfg_.time_scale; }
  /// A `within` window W: W*scale plus the tolerance.
  [[nodiscard]] double upper(double w) const;
  /// An `after` bound A: A*scale minus the tolerance, never below 0.
  [[nodiscard]] double lower_bound(double a) const;
  /// The absolute deadline of a `within` window counted from the previous step.
  [[nodiscard]] double deadline(const std::optional<Expr>& within) const;
  /// Runs the io_context until `pred` holds or `deadline_ms` passes; false on timeout (and the
  /// overrun counts as the tester's lateness).
  bool pump(double deadline_ms, const std::function<bool()>& pred);
  /// Lets the I/O run until `deadline_ms`, polling.
  void idle(double deadline_ms);

  // ---- the trace and the variables ----
  int trace(const Step& st, std::string kind, std::string lifeline, std::string type, bool to_iut);
  /// A step's captures (variable <- field path) of `msg` into variables.
  void store(const std::vector<std::pair<Expr, std::string>>& what, const Json& msg);
  /// "all", a list of names or one name.
  std::vector<Queues> queues_of(const Expr& at);

  const TestPurpose& tp_;
  const RunConfig& cfg_;
  CaseIo io_;
  Vars vars_;
  std::set<std::string> ignore_;  // the purpose's `ignore` types
  std::vector<TraceEntry> trace_;
  std::string current_;  // the step being played (file:line)
  double last_ = 0;      // when the previous step ended: windows count from there
  double late_ = 0;      // the tester's worst overrun of a deadline
  std::size_t top_ = 0;  // index of the top-level step being played
  std::map<std::string, std::string>
      last_taken_;  // "lifeline/sm" -> type of the last message consumed

 private:
  /// An expect step being waited for: where its matches go.
  struct Waiting {
    const Step* step;
    const ExpectStep* expect;
    Queues q;
    int trace;  // index in the trace
  };

  void wait(const Step& st, const WaitStep& s);
  void set(const SetStep& s);
  void check(const CheckStep& s);
  void repeat(const RepeatStep& s);
  void expect(const std::vector<const Step*>& subs);
  bool take_matches(match::ExpectSet& set, std::vector<Waiting>& waiting,
                    const std::set<std::string>& ignore, double& matched_at);
  void nothing(const Step& st, const NothingStep& s);

  double slice_ms_;
  long long max_repeat_;
};

}  // namespace conform::play
