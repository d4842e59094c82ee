// One lifeline played by the tester: its own TCP connection to the SM port and its own UDP
// socket (plus an alternate one for spoofing tests), bound to a chosen source address.
// Received messages queue up per channel; KAREQ is answered at once with a KARES echoing
// KA-SEQ unless the lifeline is muted (profile 6.1), so that the server does not demote it.
#pragma once

#include <asio.hpp>
#include <chrono>
#include <deque>
#include <functional>
#include <memory>
#include <optional>

#include <gmp/framer.hpp>

#include "match/expect.hpp"
#include "wirelog.hpp"

namespace conform {

using Clock = std::chrono::steady_clock;

/// A received message (or the server's close) as the matcher sees it, plus its place in the
/// wire log.
struct Inbound : match::Received {
  std::size_t log_index = 0;
  bool auto_answered = false;  // a KAREQ the lifeline answered itself: never left unexplained
};

/// The per-case shared state: the io_context, the clock origin, the wire log.
struct CaseIo {
  asio::io_context io;
  Clock::time_point start = Clock::now();
  std::vector<WireEvent> log;
  asio::ip::tcp::endpoint sm_server;
  asio::ip::udp::endpoint mm_server;
  std::size_t max_log = 20000;  // a limit on what a chatty server can make us hold
  /// Called with the index of every event recorded (the standing checks see every message,
  /// the KAREQs the lifelines answer themselves included, before they are answered).
  std::function<void(std::size_t)> on_record;
  [[nodiscard]] double now_ms() const {
    return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
  }
  std::size_t record(WireEvent e);
};

class Lifeline {
 public:
  Lifeline(CaseIo& io, std::string name, std::string role, const std::string& address);
  ~Lifeline();
  Lifeline(const Lifeline&) = delete;
  Lifeline& operator=(const Lifeline&) = delete;

  /// SM: `prefixed` adds the 2-byte length prefix (profile 1). Connects on first use.
  /// `anomaly`: a malformed message the server must discard (robustness campaign, WireEvent).
  void send_tcp(const std::vector<std::uint8_t>& bytes, bool prefixed, int step, bool anomaly = false);
  void send_udp(const std::vector<std::uint8_t>& bytes, bool alt, int step, bool anomaly = false);
  void close_tcp();

  [[nodiscard]] const std::string& name() const { return name_; }
  [[nodiscard]] const std::string& role() const { return role_; }
  [[nodiscard]] std::uint16_t mm_port() const { return udp_.local_endpoint().port(); }
  [[nodiscard]] bool tcp_open() const { return tcp_ && tcp_->is_open() && !peer_closed_; }

  bool muted = false;
  std::deque<Inbound> sm_in, mm_in;
  bool peer_closed_ = false;  // set when the server closed our connection

 private:
  void read_tcp();
  void read_udp();
  void on_datagram(std::size_t n);
  /// An event of this lifeline's TCP connection (towards the server unless the server closed it).
  WireEvent tcp_event(WireKind kind) const;
  Ep local_tcp() const;
  Ep local_udp(bool alt) const;

  CaseIo& io_;
  std::string name_, role_;
  asio::ip::address_v4 address_;
  std::unique_ptr<asio::ip::tcp::socket> tcp_;
  Ep tcp_local_{};
  asio::ip::udp::socket udp_;
  std::optional<asio::ip::udp::socket> alt_udp_;
  gmp::SmFramer framer_{65535};
  std::array<std::uint8_t, 4096> tcp_buf_{};
  std::array<std::uint8_t, 65536> udp_buf_{};
  asio::ip::udp::endpoint udp_from_;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

Ep to_ep(const asio::ip::address& a, std::uint16_t port);

}  // namespace conform
