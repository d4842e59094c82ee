#include "net.hpp"

#include <arpa/inet.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <stdexcept>

namespace gmp::load {

double seconds_since(Steady::time_point t) {
  return std::chrono::duration<double>(Steady::now() - t).count();
}

sockaddr_in address(Ipv4 host, std::uint16_t port) {
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(host.value);
  a.sin_port = htons(port);
  return a;
}

int udp_socket(Ipv4 toward, std::uint16_t& port_out) {
  const int fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
  if (fd < 0) throw std::runtime_error("udp socket");
  int size = 256 * 1024 * 1024;
  if (::setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof size) != 0)
    ::setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof size);
  if (::setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &size, sizeof size) != 0)
    ::setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &size, sizeof size);
  const bool loop = (toward.value >> 24) == 127;
  sockaddr_in a = address(loop ? Ipv4{0x7F000001} : Ipv4{0}, 0);
  if (::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) throw std::runtime_error("udp bind");
  socklen_t len = sizeof a;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  port_out = ntohs(a.sin_port);
  return fd;
}

SmConn::SmConn(Ipv4 host, std::uint16_t port) {
  fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a = address(host, port);
  if (::connect(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
    ::close(fd_);
    throw std::runtime_error("connect to the SM port");
  }
  int one = 1;
  ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  timeval tv{10, 0};  // a server that stops answering ends the run, not hangs it
  ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
}

SmConn::~SmConn() { ::close(fd_); }

void SmConn::queue(const SmMessage& m) {
  const auto b = encode_framed(m);
  out_.insert(out_.end(), b.begin(), b.end());
}

void SmConn::flush() {
  std::size_t done = 0;
  while (done < out_.size()) {
    const ssize_t n = ::send(fd_, out_.data() + done, out_.size() - done, MSG_NOSIGNAL);
    if (n <= 0) throw std::runtime_error("send on the SM connection");
    done += static_cast<std::size_t>(n);
  }
  out_.clear();
}

SmMessage SmConn::read() {
  for (;;) {
    if (in_.size() - pos_ >= 2) {
      const std::size_t len = (std::size_t{in_[pos_]} << 8) | in_[pos_ + 1];
      if (in_.size() - pos_ >= 2 + len) {
        SmMessage m;
        decode_sm(std::span<const std::uint8_t>(in_.data() + pos_ + 2, len), m);
        pos_ += 2 + len;
        return m;
      }
    }
    if (pos_ > 0) {
      in_.erase(in_.begin(), in_.begin() + static_cast<std::ptrdiff_t>(pos_));
      pos_ = 0;
    }
    std::uint8_t buf[65536];
    const ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
    if (n <= 0) throw std::runtime_error("the server closed the SM connection or stopped answering");
    in_.insert(in_.end(), buf, buf + n);
  }
}

}  // namespace gmp::load
