// The Asio shell of the client (Membership) against a hostile TCP peer on loopback: a server
// that accepts and at once sends a bad length prefix or closes. The SM write the client
// started on connect may then complete after the read has already failed the connection.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "gmp/client/membership.hpp"

namespace gmp::client::test {
namespace {

// Accepts every connection and answers it with `reply` (possibly empty) before closing it.
class HostileServer {
 public:
  explicit HostileServer(std::vector<std::uint8_t> reply) : reply_(std::move(reply)) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    const int one = 1;
    ::setsockopt(fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    EXPECT_EQ(::bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
    EXPECT_EQ(::listen(fd_, 64), 0);
    socklen_t len = sizeof a;
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &len);
    port = ntohs(a.sin_port);
    thread_ = std::thread([this] {
      while (!stop_) {
        const int c = ::accept(fd_, nullptr, nullptr);
        if (c < 0) break;
        if (!reply_.empty()) (void)!::write(c, reply_.data(), reply_.size());
        ::close(c);
      }
    });
  }
  ~HostileServer() {
    stop_ = true;
    ::shutdown(fd_, SHUT_RDWR);  // wakes accept()
    thread_.join();
    ::close(fd_);
  }
  std::uint16_t port = 0;

 private:
  std::vector<std::uint8_t> reply_;
  int fd_ = -1;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

// One membership per round: SRREQ is queued, the connection comes up, and the server's reply
// (or close) is already waiting, so the read fails the connection while the SRREQ write's
// completion is still to run. That completion must not touch the cleared write queue.
void hammer(const std::vector<std::uint8_t>& reply) {
  HostileServer srv(reply);
  const auto server = resolve_server("127.0.0.1", srv.port, srv.port);
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  int errors = 0;
  for (int round = 0; round < 200 && std::chrono::steady_clock::now() < until; ++round) {
    asio::io_context io;
    int round_errors = 0;
    auto m = Membership::make(io, server, Role::participant, {}, [&](const Event& e) {
      if (e.kind == EventKind::error) ++round_errors;
    });
    m->register_to({SessionId{0x3a5c}, "bob", {}});  // starts connecting
    // Let the server accept, reply and close before the client's loop sees the connection.
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
    io.run_for(std::chrono::seconds(2));
    m->close();
    EXPECT_GE(round_errors, 1) << "round " << round;
    EXPECT_LE(round_errors, 2) << "round " << round;  // the failure, at most a retry's failure
    errors += round_errors;
  }
  EXPECT_GT(errors, 0);
}

TEST(MembershipSocket, ServerSendingABadLengthPrefixAtOnce) {
  hammer({0x00, 0x05});  // below 16: a framing error (profile 1)
}

TEST(MembershipSocket, ServerClosingAtOnce) { hammer({}); }

// Anyone can send datagrams to the MM port. Each becomes an `unexpected` event that the
// runner keeps for wait-for, so only a short prefix of a stranger's datagram is kept.
TEST(MembershipSocket, DatagramsFromStrangersKeepOnlyAPrefix) {
  HostileServer srv({});
  asio::io_context io;
  std::vector<Event> unexpected;
  auto m = Membership::make(io, resolve_server("127.0.0.1", srv.port, srv.port), Role::participant, {},
                            [&](const Event& e) {
                              if (e.kind == EventKind::unexpected) unexpected.push_back(e);
                            });
  m->activate(0);
  const std::uint16_t port = m->local_mm_port();
  ASSERT_NE(port, 0);
  asio::ip::udp::socket stranger(io, asio::ip::udp::endpoint(asio::ip::address_v4::loopback(), 0));
  const std::vector<std::uint8_t> big(4000, 0xAB);  // small enough that loopback queues all five
  for (int i = 0; i < 5; ++i)
    stranger.send_to(asio::buffer(big), asio::ip::udp::endpoint(asio::ip::address_v4::loopback(), port));
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (unexpected.size() < 5 && std::chrono::steady_clock::now() < until)
    io.run_for(std::chrono::milliseconds(50));
  m->close();
  ASSERT_EQ(unexpected.size(), 5u);
  for (const auto& e : unexpected) {
    EXPECT_EQ(e.raw.size(), 64u);
    EXPECT_NE(e.detail.find("not the server"), std::string::npos);
  }
}

}  // namespace
}  // namespace gmp::client::test
