// The gmp-server executable: the "listening ..." line, serving, and SIGTERM ending every session
// with TRIND before exiting 0.
#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <regex>
#include <string>

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
}  // namespace

TEST(ServerProcess, ListensPrintsLineAndEndsSessionsOnSigterm) {
  int out[2];
  ASSERT_EQ(::pipe(out), 0);
  Child child;
  child.pid = ::fork();
  const pid_t pid = child.pid;
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    ::dup2(out[1], STDOUT_FILENO);
    ::close(out[0]);
    ::execl(GMP_SERVER_BIN, GMP_SERVER_BIN, "--listen", "127.0.0.1:0", "--http", "127.0.0.1:0",
            "--log-level", "warn", static_cast<char*>(nullptr));
    ::_exit(127);
  }
  ::close(out[1]);
  FILE* f = ::fdopen(out[0], "r");
  char line[512] = {};
  pollfd p{out[0], POLLIN, 0};
  const bool got = ::poll(&p, 1, 10000) > 0 && std::fgets(line, sizeof line, f) != nullptr;
  std::smatch m;
  const std::string text(line);
  const bool ok = got && std::regex_search(text, m, std::regex(
      R"(^listening sm=tcp://127\.0\.0\.1:(\d+) mm=udp://127\.0\.0\.1:(\d+) http=http://127\.0\.0\.1:(\d+)\n$)"));
  if (!ok) FAIL() << "unexpected line: " << text;
  const auto sm = static_cast<std::uint16_t>(std::stoi(m[1]));
  const auto mm = static_cast<std::uint16_t>(std::stoi(m[2]));
  EXPECT_EQ(sm, mm);
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
  std::fclose(f);
  ASSERT_TRUE(WIFEXITED(child.status));
  EXPECT_EQ(WEXITSTATUS(child.status), 0);
}

}  // namespace gmp::server::test
