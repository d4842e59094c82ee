#include "test_client.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <stdexcept>

#include "loopback.hpp"

namespace gmp::server::test {

namespace {
using Steady = std::chrono::steady_clock;
int left_ms(Steady::time_point end) {
  const auto d = std::chrono::duration_cast<std::chrono::milliseconds>(end - Steady::now()).count();
  return d < 0 ? 0 : static_cast<int>(d);
}
}  // namespace

TestClient::TestClient(std::uint16_t sm_port, std::uint16_t mm_port) : server_mm_port_(mm_port) {
  tcp_ = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a = loopback(sm_port);
  if (::connect(tcp_, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0)
    throw std::runtime_error("connect");
  int one = 1;
  ::setsockopt(tcp_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  udp_ = ::socket(AF_INET, SOCK_DGRAM, 0);
  sockaddr_in u = loopback(0);
  ::bind(udp_, reinterpret_cast<sockaddr*>(&u), sizeof u);
  socklen_t len = sizeof u;
  ::getsockname(udp_, reinterpret_cast<sockaddr*>(&u), &len);
  local_mm_port_ = ntohs(u.sin_port);
}

TestClient::~TestClient() {
  if (tcp_ >= 0) ::close(tcp_);
  if (udp_ >= 0) ::close(udp_);
}

bool TestClient::wait_readable(int fd, int ms) {
  pollfd p{fd, POLLIN, 0};
  return ::poll(&p, 1, ms) > 0;
}

void TestClient::send(const SmMessage& m) { send_raw(encode_framed(m)); }

void TestClient::send_raw(std::span<const std::uint8_t> bytes) {
  std::size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::send(tcp_, bytes.data() + done, bytes.size() - done, MSG_NOSIGNAL);
    if (n <= 0) return;
    done += static_cast<std::size_t>(n);
  }
}

std::optional<SmMessage> TestClient::recv_sm(int ms) {
  const auto end = Steady::now() + std::chrono::milliseconds(ms);
  for (;;) {
    if (inbuf_.size() >= 2) {
      const std::size_t len = (std::size_t{inbuf_[0]} << 8) | inbuf_[1];
      if (inbuf_.size() >= 2 + len) {
        SmMessage m;
        const auto r = decode_sm(std::span<const std::uint8_t>(inbuf_.data() + 2, len), m);
        inbuf_.erase(inbuf_.begin(), inbuf_.begin() + static_cast<std::ptrdiff_t>(2 + len));
        if (!r) return std::nullopt;
        return m;
      }
    }
    if (!wait_readable(tcp_, left_ms(end))) return std::nullopt;
    std::uint8_t buf[4096];
    const ssize_t n = ::recv(tcp_, buf, sizeof buf, 0);
    if (n <= 0) return std::nullopt;
    inbuf_.insert(inbuf_.end(), buf, buf + n);
  }
}

bool TestClient::closed_by_server(int ms) {
  const auto end = Steady::now() + std::chrono::milliseconds(ms);
  for (;;) {
    if (!wait_readable(tcp_, left_ms(end))) return false;
    std::uint8_t buf[4096];
    const ssize_t n = ::recv(tcp_, buf, sizeof buf, 0);
    if (n <= 0) return true;
  }
}

void TestClient::send_mm(const MmMessage& m) {
  const auto bytes = encode(m);
  sockaddr_in a = loopback(server_mm_port_);
  ::sendto(udp_, bytes.data(), bytes.size(), 0, reinterpret_cast<sockaddr*>(&a), sizeof a);
}

std::optional<MmMessage> TestClient::recv_mm(MmType want, int ms) {
  const auto end = Steady::now() + std::chrono::milliseconds(ms);
  for (;;) {
    if (!wait_readable(udp_, left_ms(end))) return std::nullopt;
    std::uint8_t buf[2048];
    const ssize_t n = ::recv(udp_, buf, sizeof buf, 0);
    if (n <= 0) continue;
    MmMessage m;
    if (!decode_mm(std::span<const std::uint8_t>(buf, static_cast<std::size_t>(n)), m)) continue;
    if (m.type == MmType::KAREQ && answer_kareq) {
      const auto* seq = find<opt::KaSeq>(m.options);
      send_mm(build::kares(m.session, m.user, type, mode, seq ? std::optional(seq->round) : std::nullopt));
    }
    if (m.type == want) return m;
  }
}

}  // namespace gmp::server::test
