// The scripted mode's interpreter: runs script commands against memberships over Asio and
// reports one JSON object per event to a sink (docs/client.md). The one-shot subcommands
// run through it too, with a human-readable sink.
#pragma once

// A standard header first: asio/detail/config.hpp decides between aligned_alloc and operator
// new from _GLIBCXX_HAVE_ALIGNED_ALLOC, which only a libstdc++ header defines. Without this,
// translation units disagree (an ODR violation that ASan reports as alloc-dealloc-mismatch;
// chriskohlhoff/asio#1139).
#include <cstddef>
// clang-format off
#include <asio.hpp>
// clang-format on
#include <chrono>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "gmp/client/membership.hpp"
#include "gmp/client/script.hpp"

namespace gmp::client {

/// Exit codes of gmp-client (docs/client.md, "Exit codes").
namespace exit_code {
inline constexpr int ok = 0;
inline constexpr int no_answer = 1;  // cannot connect, connection lost, timeout
inline constexpr int usage = 2;      // the command line convention of every gmp-* program
inline constexpr int script = 3;         // a script command was invalid or refused
inline constexpr int wait_failed = 4;    // a wait-for did not see its event in time
inline constexpr int session_ended = 5;  // the session ended under a one-shot command
inline constexpr int refused_base = 10;  // 10 + REASON of SCREJ / SRREJ / SDRES (11..15)
}  // namespace exit_code

/// The events of one membership kept for wait-for, oldest first, bounded by count and by the
/// bytes of their JSON text: a server or a stranger flooding the MM port must not make the
/// client hold more. The oldest are dropped first; `cursor` follows them.
class EventHistory {
 public:
  EventHistory(std::size_t max_events, std::size_t max_bytes)
      : max_events_(max_events), max_bytes_(max_bytes) {}
  void push(nlohmann::json j);
  [[nodiscard]] std::size_t size() const { return events_.size(); }
  [[nodiscard]] const nlohmann::json& operator[](std::size_t i) const { return events_[i].json; }
  [[nodiscard]] std::size_t bytes() const { return bytes_; }
  [[nodiscard]] std::uint64_t dropped() const { return dropped_; }
  std::size_t cursor = 0;  // first event a wait-for has not consumed

 private:
  struct Kept {
    nlohmann::json json;
    std::size_t bytes;
  };
  std::size_t max_events_, max_bytes_;
  std::deque<Kept> events_;
  std::size_t bytes_ = 0;
  std::uint64_t dropped_ = 0;
};

class Runner {
 public:
  using Sink = std::function<void(const nlohmann::json&)>;
  struct Options {
    Timing timing;
    Duration default_wait{5000};
    bool stop_on_failure = false;  // one-shot: the first failure ends the run
    std::size_t history_limit = 20000;  // events kept per membership for wait-for
    std::size_t history_bytes = 16u << 20;  // and their JSON bytes
    // The adapter handshake's `implementation` (docs/client-adapter.md): name and version.
    std::string implementation = "gmp-client";
    // Makes each membership; empty: Membership::make (a test build passes its own).
    std::function<std::shared_ptr<Membership>(asio::io_context&, ServerEndpoints, Role, Timing,
                                              Membership::EventHandler)>
        make_membership;
  };

  /// The adapter contract this interpreter follows, and the commands it does
  /// (docs/client-adapter.md, "Handshake"; `quit` is implied).
  static constexpr int adapter_version = 1;
  static const std::vector<std::string>& adapter_commands();

  Runner(asio::io_context& io, ServerEndpoints server, Options options, Sink sink,
         std::function<void(int)> on_done);

  /// Parses and queues one script line (a syntax error is reported as an error event).
  void push_line(const std::string& line);
  void push(script::Command c);
  /// No more commands will come: the run ends when the queue is drained.
  void end_of_input();

  [[nodiscard]] bool done() const { return done_; }
  [[nodiscard]] int exit_code() const;
  /// The membership named `name`, or nullptr.
  [[nodiscard]] const ClientCore* core(const std::string& name) const;

 private:
  struct Entry {
    explicit Entry(const Options& o) : history(o.history_limit, o.history_bytes) {}
    std::shared_ptr<Membership> membership;
    EventHistory history;  // for wait-for
  };
  struct Wait {
    std::string target, event, value, spec;
  };

  void step();
  void execute(const script::Command& c);
  void exec_membership(const script::Command& c, Entry& e);
  void on_event(const std::string& name, const Event& e);
  bool check_wait();
  void finish_wait(bool ok, const std::string& why);
  void command_error(const script::Command& c, const std::string& why, int code = exit_code::script);
  void finish();
  void emit(nlohmann::json j);
  bool resolve(const std::string& value, std::uint64_t max, std::uint64_t& out, std::string& why) const;
  [[nodiscard]] std::int64_t t_ms() const;

  asio::io_context& io_;
  ServerEndpoints server_;
  Options options_;
  Sink sink_;
  std::function<void(int)> on_done_;
  std::chrono::steady_clock::time_point start_;

  std::map<std::string, Entry> memberships_;
  std::deque<script::Command> queue_;
  bool input_ended_ = false;
  std::size_t lines_ = 0;
  bool busy_ = false;  // sleeping or waiting
  bool done_ = false;
  bool stepping_ = false;
  std::optional<Wait> wait_;
  asio::steady_timer timer_;

  int failures_ = 0;
  int first_failure_code_ = exit_code::ok;
  int last_problem_ = exit_code::ok;  // the last rejection / timeout / end seen
};

/// True when event JSON `j` matches `EVENT[=VALUE]` (docs/client.md, wait-for).
bool event_matches(const nlohmann::json& j, const std::string& event, const std::string& value);

}  // namespace gmp::client
