// The machine's loopback datagram rate: one thread sends 24-byte datagrams with sendmmsg, the
// other receives with recvmmsg; the received count per second is the figure.
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <thread>

#include "gmp/load.hpp"
#include "net.hpp"

namespace gmp::load {

std::string RawResult::to_json() const {
  char buf[256];
  std::snprintf(buf, sizeof buf,
                "{\"raw_seconds\": %.2f, \"datagrams_sent\": %llu, \"datagrams_received\": %llu, "
                "\"received_per_s\": %.0f}",
                seconds, static_cast<unsigned long long>(sent), static_cast<unsigned long long>(received),
                received_per_s);
  return buf;
}

RawResult raw(double seconds) {
  const Ipv4 loop{0x7F000001};
  std::uint16_t rport = 0, sport = 0;
  const int rfd = udp_socket(loop, rport);
  const int sfd = udp_socket(loop, sport);
  std::atomic<bool> stop{false};
  std::atomic<std::uint64_t> received{0};
  std::thread rx([&] {
    std::vector<std::uint8_t> buf(batch * 64);
    std::vector<mmsghdr> h(batch);
    std::vector<iovec> iov(batch);
    pollfd p{rfd, POLLIN, 0};
    while (!stop) {
      if (::poll(&p, 1, 50) <= 0) continue;
      for (std::size_t i = 0; i < batch; ++i) {
        iov[i] = iovec{buf.data() + i * 64, 64};
        h[i] = mmsghdr{};
        h[i].msg_hdr.msg_iov = &iov[i];
        h[i].msg_hdr.msg_iovlen = 1;
      }
      const int n = ::recvmmsg(rfd, h.data(), batch, MSG_DONTWAIT, nullptr);
      if (n > 0) received += static_cast<std::uint64_t>(n);
    }
  });
  std::vector<std::uint8_t> payload(24, 0x11);
  sockaddr_in to = address(loop, rport);
  std::vector<mmsghdr> h(batch);
  std::vector<iovec> iov(batch);
  for (std::size_t i = 0; i < batch; ++i) {
    iov[i] = iovec{payload.data(), payload.size()};
    h[i].msg_hdr.msg_iov = &iov[i];
    h[i].msg_hdr.msg_iovlen = 1;
    h[i].msg_hdr.msg_name = &to;
    h[i].msg_hdr.msg_namelen = sizeof to;
  }
  RawResult out;
  const auto t0 = Steady::now();
  const std::uint64_t r0 = received.load();
  while (seconds_since(t0) < seconds) {
    const int s = ::sendmmsg(sfd, h.data(), batch, 0);
    if (s > 0) out.sent += static_cast<std::uint64_t>(s);
  }
  out.seconds = seconds_since(t0);
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  stop = true;
  rx.join();
  out.received = received.load() - r0;
  out.received_per_s = static_cast<double>(out.received) / out.seconds;
  ::close(rfd);
  ::close(sfd);
  return out;
}

}  // namespace gmp::load
