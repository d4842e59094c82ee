// Socket helpers of the load engine: blocking pipelined SM connections and large UDP sockets.
#pragma once

#include <netinet/in.h>

#include <chrono>
#include <cstdint>
#include <vector>

#include "gmp/message.hpp"

namespace gmp::load {

using Steady = std::chrono::steady_clock;
inline constexpr std::size_t batch = 256;  // datagrams per recvmmsg/sendmmsg

double seconds_since(Steady::time_point t);
sockaddr_in address(Ipv4 host, std::uint16_t port);
/// A non-blocking UDP socket on 127.0.0.1 (or INADDR_ANY for another host) with large buffers.
int udp_socket(Ipv4 toward, std::uint16_t& port_out);

// A blocking SM connection: pipelined requests, answers read in order.
class SmConn {
 public:
  SmConn(Ipv4 host, std::uint16_t port);
  ~SmConn();
  SmConn(const SmConn&) = delete;
  SmConn& operator=(const SmConn&) = delete;
  void queue(const SmMessage& m);
  void flush();
  SmMessage read();

 private:
  int fd_;
  std::vector<std::uint8_t> out_, in_;
  std::size_t pos_ = 0;
};

}  // namespace gmp::load
