// The client adapter process (docs/client-adapter.md): started from the --client-cmd
// template, commands on its stdin, one JSON event a line on its stdout, stderr kept for the
// report. Everything it can make us hold is bounded: line length, line count, stderr bytes.
#pragma once

#include <sys/types.h>
#include <sys/wait.h>

#include <asio.hpp>
#include <deque>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace conform::client {

using Json = nlohmann::json;

/// Splits a command template into words as a POSIX shell would, without expansion: blanks
/// separate words, single quotes keep everything, double quotes keep all but \" and \\,
/// a backslash outside quotes escapes the next character. Nothing on an unclosed quote.
std::optional<std::vector<std::string>> split_words(const std::string& text);

/// Replaces {sm} {host} {sm_port} {mm_port} in every word.
std::vector<std::string> fill_placeholders(std::vector<std::string> words,
                                           const std::map<std::string, std::string>& values);

/// One event line, parsed, and when it came (ms on the caller's clock).
struct Event {
  Json ev;
  double t_ms = 0;
};

class Adapter {
 public:
  static constexpr std::size_t max_line = 65536;    // bytes of one stdout line
  static constexpr std::size_t max_lines = 20000;   // stdout lines per process
  static constexpr std::size_t max_stderr = 65536;  // stderr bytes kept

  /// Starts argv[0] (searched in PATH) in its own process group. Throws std::runtime_error
  /// when it cannot be started. `now` gives the time stamped on events.
  Adapter(asio::io_context& io, const std::vector<std::string>& argv, std::function<double()> now);
  ~Adapter();
  Adapter(const Adapter&) = delete;
  Adapter& operator=(const Adapter&) = delete;

  /// Writes one command line (the newline is added). False when stdin is closed.
  bool write_line(const std::string& line);
  /// quit, `grace_s` (2 s: the contract's end of a case), SIGTERM to the group, `grace_s`, SIGKILL.
  void stop(double grace_s = 2.0);

  /// Has the process ended? Its wait status is then in exit_status().
  bool exited();
  [[nodiscard]] std::string exit_text() const;  // "exited with status 3", "killed by signal 6 (SIGABRT)"
  /// Ended by a signal (after exited() said it ended): a crash, unless the tester sent it.
  [[nodiscard]] bool killed() const { return reaped_ && WIFSIGNALED(status_); }

  std::deque<Event> events;    // JSON objects with an "event" member, in order
  std::string protocol_error;  // the first line that broke the contract, quoted
  bool stdout_closed = false;
  std::string stderr_text;
  std::vector<std::string> sent;  // every command line written

 private:
  void read_out();
  void read_err();
  void on_line(const std::string& line);

  pid_t pid_ = -1;
  int status_ = 0;
  bool reaped_ = false;
  asio::posix::stream_descriptor in_, out_, err_;
  std::function<double()> now_;
  std::string partial_;
  std::size_t lines_ = 0;
  std::array<char, 4096> out_buf_{}, err_buf_{};
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace conform::client
