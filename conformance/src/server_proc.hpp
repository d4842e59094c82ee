// --server-cmd: starts the implementation under test, reads its
// "listening sm=tcp://H:P mm=udp://H:P ..." line, and stops it (the whole process group).
#pragma once

#include <sys/types.h>

#include <string>
#include <thread>

#include "runner.hpp"

namespace conform {

class ServerProcess {
 public:
  /// Throws std::runtime_error when it cannot start or prints no listening line in time.
  ServerProcess(const std::string& cmd, double timeout_s);
  ~ServerProcess();
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;
  [[nodiscard]] const Target& target() const { return target_; }
  [[nodiscard]] bool running();

 private:
  void stop();
  pid_t pid_ = -1;
  int out_fd_ = -1;
  Target target_;
  std::thread drain_;
};

/// Parses "listening sm=tcp://127.0.0.1:P mm=udp://127.0.0.1:Q ..."; false if not that line.
bool parse_listening(const std::string& line, Target& t);
/// Parses "HOST:PORT".
bool parse_hostport(const std::string& s, std::string& host, std::uint16_t& port);

}  // namespace conform
