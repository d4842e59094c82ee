#include "adapter.hpp"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <stdexcept>
#include <thread>

extern char** environ;

namespace conform::client {

std::optional<std::vector<std::string>> split_words(const std::string& text) {
  std::vector<std::string> out;
  std::string cur;
  bool in_word = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == ' ' || c == '\t' || c == '\n') {
      if (in_word) out.push_back(cur);
      cur.clear();
      in_word = false;
    } else if (c == '\'') {
      std::size_t end = text.find('\'', i + 1);
      if (end == std::string::npos) return std::nullopt;
      cur += text.substr(i + 1, end - i - 1);
      i = end;
      in_word = true;
    } else if (c == '"') {
      for (++i;; ++i) {
        if (i >= text.size()) return std::nullopt;
        if (text[i] == '"') break;
        if (text[i] == '\\' && i + 1 < text.size() && (text[i + 1] == '"' || text[i + 1] == '\\'))
          ++i;
        cur += text[i];
      }
      in_word = true;
    } else if (c == '\\') {
      if (i + 1 < text.size()) cur += text[++i];
      in_word = true;
    } else {
      cur += c;
      in_word = true;
    }
  }
  if (in_word) out.push_back(cur);
  return out;
}

std::vector<std::string> fill_placeholders(std::vector<std::string> words,
                                           const std::map<std::string, std::string>& values) {
  for (auto& w : words)
    for (const auto& [k, v] : values) {
      const std::string pat = "{" + k + "}";
      for (std::size_t p = w.find(pat); p != std::string::npos; p = w.find(pat, p + v.size()))
        w.replace(p, pat.size(), v);
    }
  return words;
}

namespace {

void pipe_or_throw(int fds[2]) {
  if (pipe2(fds, O_CLOEXEC) != 0)
    throw std::runtime_error(std::string("pipe: ") + std::strerror(errno));
}

}  // namespace

Adapter::Adapter(asio::io_context& io, const std::vector<std::string>& argv,
                 std::function<double()> now)
    : in_(io), out_(io), err_(io), now_(std::move(now)) {
  if (argv.empty()) throw std::runtime_error("the client command is empty");
  int in[2], out[2], err[2];
  pipe_or_throw(in);
  pipe_or_throw(out);
  pipe_or_throw(err);
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_adddup2(&fa, in[0], STDIN_FILENO);
  posix_spawn_file_actions_adddup2(&fa, out[1], STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&fa, err[1], STDERR_FILENO);
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP);
  posix_spawnattr_setpgroup(&attr, 0);
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  int rc = posix_spawnp(&pid_, args[0], &fa, &attr, args.data(), environ);
  posix_spawn_file_actions_destroy(&fa);
  posix_spawnattr_destroy(&attr);
  ::close(in[0]);
  ::close(out[1]);
  ::close(err[1]);
  if (rc != 0) {
    ::close(in[1]);
    ::close(out[0]);
    ::close(err[0]);
    throw std::runtime_error("cannot start '" + argv[0] + "': " + std::strerror(rc));
  }
  signal(SIGPIPE, SIG_IGN);  // an adapter that exits must not kill the tester on a write
  in_.assign(in[1]);
  out_.assign(out[0]);
  err_.assign(err[0]);
  read_out();
  read_err();
}

Adapter::~Adapter() {
  *alive_ = false;
  stop();
}

bool Adapter::write_line(const std::string& line) {
  if (!in_.is_open()) return false;
  sent.push_back(line);
  std::string l = line + "\n";
  asio::error_code ec;
  asio::write(in_, asio::buffer(l), ec);  // small lines: the pipe buffer takes them at once
  return !ec;
}

bool Adapter::exited() {
  if (reaped_) return true;
  if (pid_ <= 0) return true;
  pid_t r = waitpid(pid_, &status_, WNOHANG);
  if (r == pid_) reaped_ = true;
  return reaped_;
}

std::string Adapter::exit_text() const {
  if (WIFEXITED(status_)) return "exited with status " + std::to_string(WEXITSTATUS(status_));
  if (WIFSIGNALED(status_)) {
    const char* abbrev = sigabbrev_np(WTERMSIG(status_));
    return "killed by signal " + std::to_string(WTERMSIG(status_)) + (abbrev ? std::string(" (SIG") + abbrev + ")" : "");
  }
  return "ended";
}

void Adapter::stop(double grace_s) {
  if (pid_ <= 0 || reaped_) return;
  write_line("quit");
  asio::error_code ec;
  in_.close(ec);
  auto wait_for = [&](double s) {
    auto end = std::chrono::steady_clock::now() + std::chrono::duration<double>(s);
    while (std::chrono::steady_clock::now() < end) {
      if (exited()) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return exited();
  };
  if (!wait_for(grace_s)) {
    kill(-pid_, SIGTERM);
    if (!wait_for(grace_s)) {
      kill(-pid_, SIGKILL);
      waitpid(pid_, &status_, 0);
      reaped_ = true;
    }
  }
  kill(-pid_, SIGKILL);  // whatever the adapter left behind in its group
}

void Adapter::read_out() {
  auto alive = alive_;
  out_.async_read_some(asio::buffer(out_buf_), [this, alive](asio::error_code ec, std::size_t n) {
    if (!*alive) return;
    if (ec) {
      stdout_closed = true;
      return;
    }
    partial_.append(out_buf_.data(), n);
    std::size_t nl;
    while ((nl = partial_.find('\n')) != std::string::npos) {
      std::string line = partial_.substr(0, nl);
      partial_.erase(0, nl + 1);
      on_line(line);
    }
    if (partial_.size() > max_line && protocol_error.empty())
      protocol_error = "a stdout line longer than " + std::to_string(max_line) + " bytes";
    if (partial_.size() > max_line) partial_.clear();
    read_out();
  });
}

void Adapter::read_err() {
  auto alive = alive_;
  err_.async_read_some(asio::buffer(err_buf_), [this, alive](asio::error_code ec, std::size_t n) {
    if (!*alive || ec) return;
    if (stderr_text.size() < max_stderr)
      stderr_text.append(err_buf_.data(), std::min(n, max_stderr - stderr_text.size()));
    read_err();
  });
}

void Adapter::on_line(const std::string& raw) {
  std::string line = raw;
  if (!line.empty() && line.back() == '\r') line.pop_back();
  if (line.find_first_not_of(" \t") == std::string::npos) return;
  if (++lines_ > max_lines) {
    if (protocol_error.empty())
      protocol_error = "more than " + std::to_string(max_lines) + " stdout lines";
    return;
  }
  Json j = Json::parse(line, nullptr, false);
  if (!j.is_object() || !j.contains("event") || !j["event"].is_string()) {
    if (protocol_error.empty()) {
      std::string q = line.size() > 200 ? line.substr(0, 200) + "..." : line;
      protocol_error = (j.is_object() ? "an event without \"event\": '"
                                      : "a line that is not a JSON object: '") +
                       q + "'";
    }
    return;
  }
  events.push_back({std::move(j), now_()});
}

}  // namespace conform::client
