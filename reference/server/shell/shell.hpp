// The standalone-Asio shell of the GMP server: a TCP listener with the profile's
// 2-byte length framing (SmFramer) and a write queue per connection; one UDP socket for MM
// read with recvmmsg and written with sendmmsg; one steady timer re-armed to the core's next
// deadline. Single-threaded: every handler runs on the io_context's thread.
#pragma once

#include <asio.hpp>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "conn_guard.hpp"
#include "gmp/server/core.hpp"
#include "gmp/udp_batch.hpp"
#include "snapshot.hpp"

namespace gmp::server {

struct ShellOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = default_port;  // 0: a free port, the same for TCP and UDP if possible
  Config core;
  std::size_t max_write_bytes = 256 * 1024;  // answers queued for a peer that does not read
  int socket_buffer = 256 * 1024 * 1024;     // UDP receive and send buffers (bytes, a bound)
  bool udp_offload = true;  // UDP GSO/GRO when the kernel has it (gmp/udp_batch.hpp)
  ConnTimeouts timeouts;                     // partial-frame and idle timeouts (conn_guard.hpp)
};

class Shell {
 public:
  Shell(asio::io_context& io, ShellOptions options, std::unique_ptr<Random> random);
  /// Serves a core built by the caller (gmp-server-faulty: the core wrapped by the fault layer).
  Shell(asio::io_context& io, ShellOptions options, std::unique_ptr<Server> core);
  ~Shell();
  Shell(const Shell&) = delete;
  Shell& operator=(const Shell&) = delete;

  /// Binds TCP and UDP and starts serving. Throws std::system_error when binding fails.
  void start();
  [[nodiscard]] std::uint16_t sm_port() const;
  [[nodiscard]] std::uint16_t mm_port() const;
  /// TRIND to every member of every session (flushed at once), then closes every socket.
  void stop();

  /// Called on the loop thread with fresh JSON (sessions, counters) after changes.
  std::function<void(std::string sessions, std::string counters)> on_publish;

  [[nodiscard]] const Server& core() const { return core_; }

 private:
  struct Conn;
  using ConnPtr = std::shared_ptr<Conn>;

  void bind();
  void do_accept();
  void do_read(const ConnPtr& c);
  void do_write(const ConnPtr& c);
  void close_conn(Conn& c);
  void wait_udp();
  /// Reads queued datagrams (about `max_datagrams` at most: whole recvmmsg calls). `stamp`,
  /// when set, is the time they are known to have arrived by (a deadline that just fired).
  void read_udp(std::optional<Time> stamp, std::size_t max_datagrams);
  void drain();
  void flush_mm();
  void after_batch();
  void arm_timer();
  void publish(bool force);
  void tick_publish();
  /// Closes the connections whose partial-frame or idle timeout ran out (conn_guard.hpp).
  void sweep_connections();

  asio::io_context& io_;
  ShellOptions opts_;
  std::unique_ptr<Server> owned_core_;
  Server& core_;
  asio::ip::tcp::acceptor acceptor_;
  asio::ip::udp::socket udp_;
  asio::steady_timer timer_;
  asio::steady_timer publish_timer_;
  // Accept failures (EMFILE, ENFILE, ENOBUFS...) leave the connection in the backlog, so an
  // immediate retry fails again at once: a busy loop. The retry waits, doubling up to 1 s.
  asio::steady_timer accept_timer_;
  std::chrono::milliseconds accept_backoff_{0};
  Time accept_log_at_{};  // the next accept failure logged (at most one per 10 s)
  std::uint64_t accept_failures_ = 0;
  bool armed_ = false;
  Time armed_at_{};
  bool stopped_ = false;
  std::uint64_t next_conn_ = 0;
  std::unordered_map<std::uint64_t, ConnPtr> conns_;
  ConnGuard guard_;
  asio::steady_timer guard_timer_;
  Time timeout_log_at_{};  // the next timeout logged (at most one line per 10 s)
  ShellStats stats_;
  std::uint64_t published_version_ = ~0ull;
  // The sessions JSON behind the announcement: rebuilt at most every 250 ms however fast the
  // state changes, so a busy server does not spend its loop re-serialising every session.
  SnapshotCache snapshot_{std::chrono::milliseconds(250)};
  void log_event(const Event& e);

  // MM datagrams queued by drain(), sent by flush_mm() with sendmmsg: one GSO train per
  // destination and length where the kernel allows (a KA round's KAREQs to a host's port).
  std::vector<std::uint8_t> tx_bytes_;
  struct TxItem {
    Endpoint to;
    std::size_t offset;
    std::size_t length;
  };
  std::vector<TxItem> tx_;
  std::vector<udp::Sender::Datagram> tx_batch_;
  std::optional<udp::Sender> sender_;
  std::optional<udp::Receiver> receiver_;  // recvmmsg, GRO trains split into datagrams
};

}  // namespace gmp::server
