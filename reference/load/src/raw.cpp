// The machine's loopback datagram rate: one thread sends 24-byte datagrams with sendmmsg, the
// other receives with recvmmsg; the received count per second is the figure. With the offload
// the datagrams travel as GSO/GRO trains of 64 (still one UDP datagram each).
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <thread>

#include "gmp/load.hpp"
#include "gmp/udp_batch.hpp"
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

RawResult raw(double seconds, bool udp_offload) {
  const Ipv4 loop{0x7F000001};
  std::uint16_t rport = 0, sport = 0;
  const int rfd = udp_socket(loop, rport);
  const int sfd = udp_socket(loop, sport);
  std::atomic<bool> stop{false};
  std::atomic<std::uint64_t> received{0};
  std::thread rx([&] {
    udp::Receiver r(rfd, udp_offload ? 64 : batch, 64, udp_offload);
    pollfd p{rfd, POLLIN, 0};
    std::uint64_t n = 0;
    const auto count = [&](const sockaddr_in&, std::span<const std::uint8_t>, bool) { ++n; };
    while (!stop) {
      if (::poll(&p, 1, 50) <= 0) continue;
      r.receive(count);
      received.store(n, std::memory_order_relaxed);
    }
  });
  std::vector<std::uint8_t> payload(24, 0x11);
  const sockaddr_in to = address(loop, rport);
  udp::Sender sender(sfd, udp_offload);
  const std::vector<udp::Sender::Datagram> burst(udp_offload ? 64 * udp::max_segments : batch,
                                                  udp::Sender::Datagram{to, payload.data(), payload.size()});
  RawResult out;
  const auto t0 = Steady::now();
  const std::uint64_t r0 = received.load();
  const auto wait_room = [&] {
    pollfd p{sfd, POLLOUT, 0};
    return ::poll(&p, 1, 10) > 0;
  };
  while (seconds_since(t0) < seconds) out.sent += sender.send(burst, wait_room).sent;
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
