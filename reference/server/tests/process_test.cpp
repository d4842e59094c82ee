// The gmp-server executable: the "listening ..." line, serving, and SIGTERM ending every session
// with TRIND before exiting 0.
#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include <cstdio>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "test_client.hpp"

namespace gmp::server::test {

namespace {
// Stops the child whatever happens in the test: waits up to 10 s, then SIGKILL.
struct Child {
  pid_t pid = -1;
  int status = -1;
  bool wait(int ms) {
    for (int waited = 0; waited < ms; waited += 10) {
      if (::waitpid(pid, &status, WNOHANG) == pid) {
        pid = -1;
        return true;
      }
      ::usleep(10000);
    }
    return false;
  }
  ~Child() {
    if (pid > 0 && !wait(0)) {
      ::kill(pid, SIGKILL);
      ::waitpid(pid, nullptr, 0);
    }
  }
};


// A gmp-server child with its stdout on a pipe; `nofile`, when set, is its RLIMIT_NOFILE.
struct Started {
  Child child;
  FILE* out = nullptr;
  std::uint16_t sm = 0, mm = 0, http = 0;
  std::string line;
  ~Started() {
    if (out) std::fclose(out);
  }
};

// Starts gmp-server with `args` (stderr to `err_path` when given) and reads its "listening"
// line (10 s at most). False when the line did not come or did not parse.
bool launch(Started& s, std::vector<std::string> args, const std::string& err_path = {},
            rlim_t nofile = 0, bool read_line = true) {
  int out[2];
  if (::pipe(out) != 0) return false;
  args.insert(args.begin(), GMP_SERVER_BIN);
  s.child.pid = ::fork();
  if (s.child.pid < 0) return false;
  if (s.child.pid == 0) {
    ::dup2(out[1], STDOUT_FILENO);
    ::close(out[0]);
    if (!err_path.empty()) {
      const int e = ::open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      if (e >= 0) ::dup2(e, STDERR_FILENO);
    }
    if (nofile) {
      const rlimit r{nofile, nofile};
      ::setrlimit(RLIMIT_NOFILE, &r);
    }
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    ::execv(GMP_SERVER_BIN, argv.data());
    ::_exit(127);
  }
  ::close(out[1]);
  s.out = ::fdopen(out[0], "r");
  if (!read_line) return true;
  char line[512] = {};
  pollfd p{out[0], POLLIN, 0};
  if (::poll(&p, 1, 10000) <= 0 || std::fgets(line, sizeof line, s.out) == nullptr) return false;
  s.line = line;
  std::smatch m;
  if (!std::regex_search(s.line, m, std::regex(
          R"(^listening sm=tcp://127\.0\.0\.1:(\d+) mm=udp://127\.0\.0\.1:(\d+) http=(?:off|http://127\.0\.0\.1:(\d+))\n$)")))
    return false;
  s.sm = static_cast<std::uint16_t>(std::stoi(m[1]));
  s.mm = static_cast<std::uint16_t>(std::stoi(m[2]));
  if (m[3].matched) s.http = static_cast<std::uint16_t>(std::stoi(m[3]));
  return true;
}

}  // namespace

TEST(ServerProcess, ListensPrintsLineAndEndsSessionsOnSigterm) {
  Started srv;
  ASSERT_TRUE(launch(srv, {"--listen", "127.0.0.1:0", "--http", "127.0.0.1:0", "--log-level", "warn"}))
      << "unexpected line: " << srv.line;
  Child& child = srv.child;
  const pid_t pid = child.pid;
  const auto sm = srv.sm, mm = srv.mm;
  EXPECT_EQ(sm, mm);
  EXPECT_NE(srv.http, 0);
  {
    TestClient c(sm, mm);
    c.send(build::screq("alice", false));
    auto acc = c.recv_sm();
    ASSERT_TRUE(acc && acc->type == SmType::SCACC);
    SmMessage inf = build::scinf(acc->session, acc->user, false, false, "process");
    c.send(inf);
    auto con = c.recv_sm();
    ASSERT_TRUE(con && con->type == SmType::SCCON);
    c.send(build::sjreq(acc->session, acc->user));
    ASSERT_TRUE(c.recv_sm());
    c.type = MemberType::creator;
    c.send(build::sareq(acc->session, acc->user, c.mm_port()));
    ASSERT_TRUE(c.recv_mm(MmType::KAREQ));  // answered by the client
    ::kill(pid, SIGTERM);
    auto t = c.recv_mm(MmType::TRIND);
    ASSERT_TRUE(t);
    EXPECT_TRUE(t->ss);
  }
  ASSERT_TRUE(child.wait(10000)) << "gmp-server did not exit after SIGTERM";
  ASSERT_TRUE(WIFEXITED(child.status));
  EXPECT_EQ(WEXITSTATUS(child.status), 0);
}


// Profile 4: text options are UTF-8. An SCINF with other bytes in its names used to create a
// session whose JSON announcement could not be written, and that exception ended the process.
// Such an SCINF is malformed: discarded without answer (profile 7), and the server serves on.
TEST(ServerProcess, InvalidUtf8InScinfIsDiscardedAndTheServerServesOn) {
  Started srv;
  ASSERT_TRUE(launch(srv, {"--listen", "127.0.0.1:0", "--http", "127.0.0.1:0", "--log-level", "off"}))
      << srv.line;
  TestClient c(srv.sm, srv.mm);
  c.send(build::screq("alice", false));
  auto acc = c.recv_sm();
  ASSERT_TRUE(acc && acc->type == SmType::SCACC);
  SmMessage bad = build::scinf(acc->session, acc->user, false, false, "caf\xe9");  // Latin-1
  bad.options.emplace_back(opt::SessionInfo{"\xff\xfe"});
  c.send(bad);
  EXPECT_FALSE(c.recv_sm(400)) << "an SCINF with invalid UTF-8 is discarded without answer";
  c.send(build::scinf(acc->session, acc->user, false, false, "caf\xc3\xa9"));
  auto con = c.recv_sm();
  ASSERT_TRUE(con);
  EXPECT_EQ(con->type, SmType::SCCON);
  ::usleep(400 * 1000);  // the announcement is republished every 250 ms
  EXPECT_FALSE(srv.child.wait(0)) << "gmp-server exited";
  TestClient d(srv.sm, srv.mm);
  d.send(build::screq("bob", false));
  auto again = d.recv_sm();
  ASSERT_TRUE(again);
  EXPECT_EQ(again->type, SmType::SCACC);
  ::kill(srv.child.pid, SIGTERM);
  ASSERT_TRUE(srv.child.wait(5000));
  EXPECT_TRUE(WIFEXITED(srv.child.status) && WEXITSTATUS(srv.child.status) == 0);
}

}  // namespace gmp::server::test

namespace gmp::server::test {
namespace {

// utime + stime of `pid` in seconds (/proc/PID/stat fields 14 and 15).
double cpu_seconds(pid_t pid) {
  FILE* f = std::fopen(("/proc/" + std::to_string(pid) + "/stat").c_str(), "r");
  if (!f) return -1;
  char buf[1024] = {};
  const std::size_t n = std::fread(buf, 1, sizeof buf - 1, f);
  std::fclose(f);
  std::string s(buf, n);
  const auto close_paren = s.rfind(')');  // the command name may hold spaces
  if (close_paren == std::string::npos) return -1;
  std::istringstream in(s.substr(close_paren + 2));
  std::string field;
  unsigned long long utime = 0, stime = 0;
  for (int i = 3; i <= 15 && in >> field; ++i) {
    if (i == 14) utime = std::stoull(field);
    if (i == 15) stime = std::stoull(field);
  }
  return static_cast<double>(utime + stime) / static_cast<double>(::sysconf(_SC_CLK_TCK));
}

int idle_connection(std::uint16_t port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = htons(port);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

}  // namespace

// Out of file descriptors, accept() fails at once while the connection stays queued: without a
// pause between retries the server spins on it and logs without end. With few descriptors
// and more idle connections than it can take, it must stay nearly idle, log a bounded amount
// and accept again once descriptors are free.
TEST(ServerProcess, OutOfDescriptorsBacksOffInsteadOfSpinning) {
  const std::string log = ::testing::TempDir() + "gmp_server_emfile.log";
  Started srv;
  ASSERT_TRUE(launch(srv, {"--listen", "127.0.0.1:0", "--log-level", "warn"}, log, 32)) << srv.line;
  std::vector<int> idle;
  for (int i = 0; i < 48; ++i) {
    const int fd = idle_connection(srv.sm);
    if (fd >= 0) idle.push_back(fd);
  }
  ASSERT_GE(idle.size(), 40u);
  ::usleep(300 * 1000);  // the descriptors run out
  const double cpu0 = cpu_seconds(srv.child.pid);
  ::usleep(2000 * 1000);
  const double cpu1 = cpu_seconds(srv.child.pid);
  ASSERT_GE(cpu0, 0);
  EXPECT_LT(cpu1 - cpu0, 0.4) << "more than 20% of a core over 2 s";
  struct stat st {};
  ASSERT_EQ(::stat(log.c_str(), &st), 0);
  EXPECT_LT(st.st_size, 4096) << "the accept failure is logged at a bounded rate";
  for (int fd : idle) ::close(fd);
  // Descriptors are free again: a new client is served within the longest back-off.
  TestClient c(srv.sm, srv.mm);
  c.send(build::screq("after", false));
  auto acc = c.recv_sm(5000);
  ASSERT_TRUE(acc);
  EXPECT_EQ(acc->type, SmType::SCACC);
  ::kill(srv.child.pid, SIGTERM);
  EXPECT_TRUE(srv.child.wait(5000));
  std::remove(log.c_str());
}

}  // namespace gmp::server::test

namespace gmp::server::test {

// SIGTERM right after start-up, before the HTTP thread has begun to listen: the server must
// still end at once (the HTTP thread is stopped once it runs), every time.
TEST(ServerProcess, SigtermAtStartUpWithHttpExitsPromptly) {
  for (int i = 0; i < 20; ++i) {
    SCOPED_TRACE(i);
    Started srv;
    ASSERT_TRUE(launch(srv, {"--listen", "127.0.0.1:0", "--http", "127.0.0.1:0", "--log-level", "off"}))
        << srv.line;
    ::kill(srv.child.pid, SIGTERM);
    ASSERT_TRUE(srv.child.wait(2000)) << "gmp-server still running 2 s after SIGTERM";
    EXPECT_TRUE(WIFEXITED(srv.child.status) && WEXITSTATUS(srv.child.status) == 0);
  }
}

}  // namespace gmp::server::test
