// The robustness campaign's close check against in-test TCP peers on 127.0.0.1: one that
// closes on a framing error (pass), one that answers, one that holds the connection open
// (both caught, naming the anomaly); and the derivation seed of a send.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <thread>

#include <gtest/gtest.h>

#include "robustness/inject.hpp"

namespace {

using conform::robustness::Anomaly;
using conform::robustness::check_closes;
using conform::robustness::Expect;
using conform::robustness::step_seed;

enum class Peer { closes, answers, holds };

/// A listener on 127.0.0.1 that treats every connection the same way, for a bounded time.
class Listener {
 public:
  explicit Listener(Peer how) : fd_(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) {
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    EXPECT_EQ(::bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
    EXPECT_EQ(::listen(fd_, 16), 0);
    socklen_t n = sizeof a;
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &n);
    port_ = ntohs(a.sin_port);
    thread_ = std::thread([this, how] {
      std::vector<int> held;
      for (int i = 0; i < 16 && !stop_; ++i) {
        const int c = ::accept(fd_, nullptr, nullptr);
        if (c < 0) break;
        std::uint8_t buf[64];
        (void)::recv(c, buf, sizeof buf, 0);
        if (how == Peer::answers) (void)::send(c, "\0\x10", 2, MSG_NOSIGNAL);
        if (how == Peer::holds) held.push_back(c);
        else ::close(c);
      }
      for (int c : held) ::close(c);
    });
  }
  ~Listener() {
    stop_ = true;
    ::shutdown(fd_, SHUT_RDWR);
    ::close(fd_);
    thread_.join();
  }
  [[nodiscard]] conform::Target target() const {
    conform::Target t;
    t.sm_port = port_;
    return t;
  }

 private:
  int fd_;
  std::uint16_t port_ = 0;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

Anomaly framing(int prefix) {
  return Anomaly{"framing", "framing/prefix=" + std::to_string(prefix), Expect::close, std::vector<std::uint8_t>(16, 0), prefix};
}

TEST(RobustnessInject, APeerThatClosesPasses) {
  Listener l(Peer::closes);
  const Anomaly a = framing(0), b = framing(65535);
  EXPECT_EQ(check_closes(l.target(), {&a, &b}, 500), "");
}

TEST(RobustnessInject, APeerThatAnswersIsCaught) {
  Listener l(Peer::answers);
  const Anomaly a = framing(4);
  const std::string why = check_closes(l.target(), {&a}, 500);
  EXPECT_NE(why.find("framing/prefix=4"), std::string::npos) << why;
  EXPECT_NE(why.find("answered"), std::string::npos) << why;
}

TEST(RobustnessInject, APeerThatHoldsTheConnectionIsCaughtWithinTheWindow) {
  Listener l(Peer::holds);
  const Anomaly a = framing(15);
  const auto t0 = std::chrono::steady_clock::now();
  const std::string why = check_closes(l.target(), {&a}, 200);
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0).count();
  EXPECT_NE(why.find("did not close"), std::string::npos) << why;
  EXPECT_GE(ms, 150);
  EXPECT_LT(ms, 2000);
}

TEST(RobustnessInject, NoServerIsCaught) {
  conform::Target t;
  {
    Listener l(Peer::closes);
    t = l.target();
  }
  const Anomaly a = framing(0);
  EXPECT_NE(check_closes(t, {&a}, 200), "");
}

TEST(RobustnessInject, TheSeedOfASendDependsOnSeedPurposeAndPlace) {
  EXPECT_EQ(step_seed(7, "GMP/SM/CRE/01", 1), step_seed(7, "GMP/SM/CRE/01", 1));
  EXPECT_NE(step_seed(7, "GMP/SM/CRE/01", 1), step_seed(8, "GMP/SM/CRE/01", 1));
  EXPECT_NE(step_seed(7, "GMP/SM/CRE/01", 1), step_seed(7, "GMP/SM/CRE/02", 1));
  EXPECT_NE(step_seed(7, "GMP/SM/CRE/01", 1), step_seed(7, "GMP/SM/CRE/01", 2));
}

}  // namespace
