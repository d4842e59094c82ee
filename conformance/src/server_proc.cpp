#include "server_proc.hpp"

#include "gmp/host_port.hpp"

#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <regex>
#include <stdexcept>
#include <thread>

namespace conform {

bool parse_hostport(const std::string& s, std::string& host, std::uint16_t& port) {
  const auto hp = gmp::app::parse_host_port(s);
  if (!hp) return false;
  host = hp->host;
  port = hp->port;
  return true;
}

bool parse_listening(const std::string& line, Target& t) {
  static const std::regex re(R"(listening\s+sm=tcp://([^\s]+)\s+mm=udp://([^\s]+))");
  std::smatch m;
  if (!std::regex_search(line, m, re)) return false;
  return parse_hostport(m[1], t.sm_host, t.sm_port) && parse_hostport(m[2], t.mm_host, t.mm_port);
}

ServerProcess::ServerProcess(const std::string& cmd, double timeout_s) {
  int fds[2];
  if (pipe(fds) != 0) throw std::runtime_error("pipe failed");
  pid_ = fork();
  if (pid_ < 0) throw std::runtime_error("fork failed");
  if (pid_ == 0) {
    setpgid(0, 0);
    dup2(fds[1], STDOUT_FILENO);
    close(fds[0]);
    close(fds[1]);
    execl("/bin/sh", "sh", "-c", ("exec " + cmd).c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  setpgid(pid_, pid_);
  close(fds[1]);
  out_fd_ = fds[0];
  std::string buf;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(timeout_s);
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now()).count();
    if (left <= 0) break;
    pollfd p{out_fd_, POLLIN, 0};
    if (poll(&p, 1, static_cast<int>(left)) <= 0) continue;
    char chunk[512];
    ssize_t n = read(out_fd_, chunk, sizeof chunk);
    if (n <= 0) break;
    buf.append(chunk, static_cast<std::size_t>(n));
    std::size_t nl;
    bool found = false;
    while ((nl = buf.find('\n')) != std::string::npos) {
      std::string line = buf.substr(0, nl);
      buf.erase(0, nl + 1);
      if (parse_listening(line, target_)) {
        found = true;
        break;
      }
    }
    if (found) {
      int fd = out_fd_;  // keep draining so the server never blocks on a full pipe
      drain_ = std::thread([fd] {
        char sink[4096];
        while (read(fd, sink, sizeof sink) > 0) {
        }
      });
      return;
    }
  }
  // A server that died before its listening line: say how it ended, so a vendor sees "exited
  // with status 1" (a bind error, a bad option) instead of a time-out.
  std::string ended;
  for (int i = 0; i < 50 && ended.empty(); ++i) {
    int st = 0;
    if (waitpid(pid_, &st, WNOHANG) == pid_) {
      ended = WIFEXITED(st) ? "exited with status " + std::to_string(WEXITSTATUS(st))
                            : "was killed by signal " + std::to_string(WTERMSIG(st));
      pid_ = -1;
    } else {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  }
  stop();
  if (!ended.empty())
    throw std::runtime_error("'" + cmd + "' " + ended + " before printing its 'listening sm=tcp://... mm=udp://...' line" +
                             (buf.empty() ? std::string() : " (last output: " + buf.substr(0, 200) + ")"));
  throw std::runtime_error("'" + cmd + "' printed no 'listening sm=tcp://... mm=udp://...' line within " +
                           std::to_string(timeout_s) + " s");
}

bool ServerProcess::running() {
  if (pid_ <= 0) return false;
  int st = 0;
  return waitpid(pid_, &st, WNOHANG) == 0;
}

ServerProcess::~ServerProcess() { stop(); }

void ServerProcess::stop() {
  if (pid_ > 0) {
    kill(-pid_, SIGTERM);
    int st = 0;
    bool gone = false;
    for (int i = 0; i < 100 && !gone; ++i) {
      if (waitpid(pid_, &st, WNOHANG) != 0) gone = true;
      else usleep(20000);
    }
    if (!gone) {
      kill(-pid_, SIGKILL);
      waitpid(pid_, &st, 0);
    }
    pid_ = -1;
  }
  if (drain_.joinable()) drain_.join();
  if (out_fd_ >= 0) close(out_fd_);
  out_fd_ = -1;
}

}  // namespace conform
