// A small GMP client for the shell tests, written on the codec and POSIX sockets only (not the
// reference client): one TCP connection for SM, one UDP socket for MM, bounded waits.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "gmp/message.hpp"

namespace gmp::server::test {

class TestClient {
 public:
  TestClient(std::uint16_t sm_port, std::uint16_t mm_port);
  ~TestClient();
  TestClient(const TestClient&) = delete;
  TestClient& operator=(const TestClient&) = delete;

  void send(const SmMessage& m);
  void send_raw(std::span<const std::uint8_t> bytes);
  /// The next SM message, or nullopt after `ms` or when the server closed the connection.
  std::optional<SmMessage> recv_sm(int ms = 3000);
  /// True when the server closes the connection within `ms`.
  bool closed_by_server(int ms = 3000);

  void send_mm(const MmMessage& m);
  /// The next MM message of `type`; KAREQs met on the way are answered with KARES (echoing
  /// KA-SEQ) when `answer_kareq` is set. nullopt after `ms`.
  std::optional<MmMessage> recv_mm(MmType type, int ms = 3000);
  [[nodiscard]] std::uint16_t mm_port() const { return local_mm_port_; }

  bool answer_kareq = true;
  Mode mode = Mode::open;
  MemberType type = MemberType::participant;

 private:
  bool wait_readable(int fd, int ms);
  int tcp_ = -1;
  int udp_ = -1;
  std::uint16_t server_mm_port_;
  std::uint16_t local_mm_port_ = 0;
  std::vector<std::uint8_t> inbuf_;
};

}  // namespace gmp::server::test
