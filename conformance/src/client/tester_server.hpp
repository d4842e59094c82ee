// The server the tester plays in a client purpose: SM over TCP and MM over UDP on 127.0.0.1
// (port 0), plus a second MM socket (messages from another address). What the client sends
// is attributed to one of the purpose's memberships (lifelines) and queued for the matcher;
// what the scenario sends goes to a membership's SM connection or MM address (profile 1).
//
// In the wire log `to_server` means "towards the implementation under test" (here the
// client) and `server` is its endpoint, so that the pcap and the diagram need no second form.
#pragma once

#include <asio.hpp>
#include <deque>
#include <gmp/framer.hpp>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "lifeline.hpp"
#include "vars.hpp"

namespace conform::client {

/// One TCP connection the client opened to the tester's SM port.
struct Conn {
  explicit Conn(asio::io_context& io) : sock(io) {}
  asio::ip::tcp::socket sock;
  gmp::SmFramer framer{65535};
  std::array<std::uint8_t, 4096> buf{};
  int owner = -1;  // index of the membership it belongs to, from its first message
  bool closed = false;
  Ep tester{}, client{};
};

/// One membership of the client, as the tester's server sees it.
struct Peer {
  std::string name, role;
  std::deque<Inbound> sm_in, mm_in;
  Conn* conn = nullptr;                       // the connection of its latest SM message
  std::optional<asio::ip::udp::endpoint> mm;  // its MM address, from SAREQ
};

class TesterServer {
 public:
  static constexpr std::size_t max_connections = 16;  // TCP connections a client may open per case
  static constexpr std::size_t max_queue = 10000;     // messages queued per membership and channel

  /// `vars` gives the memberships' user IDs ($NAME.user) and receives $NAME.mm_port.
  TesterServer(CaseIo& io, Vars& vars, const std::vector<LifelineDecl>& lifelines);
  ~TesterServer();

  [[nodiscard]] std::uint16_t sm_port() const { return acceptor_.local_endpoint().port(); }
  [[nodiscard]] std::uint16_t mm_port() const { return udp_.local_endpoint().port(); }
  [[nodiscard]] std::uint16_t alt_mm_port() const { return alt_udp_.local_endpoint().port(); }

  Peer& peer(const std::string& name);
  std::vector<Peer>& peers() { return peers_; }

  /// An SM message (prefixed unless `prefixed` is false) on the membership's connection.
  /// `anomaly`: sent by the robustness campaign for the client to discard (WireEvent).
  void send_sm(Peer& p, const std::vector<std::uint8_t>& bytes, bool prefixed, int step, bool anomaly = false);
  /// An MM datagram to the membership's MM address, from the second socket when `alt`.
  void send_mm(Peer& p, const std::vector<std::uint8_t>& bytes, bool alt, int step, bool anomaly = false);
  /// The tester closes the membership's SM connection.
  void close(Peer& p);
  void close_all();

 private:
  void accept();
  void read_tcp(Conn* c);
  void on_frame(Conn* c, std::span<const std::uint8_t> frame);
  void read_udp(asio::ip::udp::socket& s, bool alt);
  void on_datagram(asio::ip::udp::socket& s, bool alt, std::size_t n);
  int owner_of(const Json& msg, int current) const;
  WireEvent tcp_event(const Conn& c, WireKind kind, bool to_client) const;

  CaseIo& io_;
  Vars& vars_;
  asio::ip::tcp::acceptor acceptor_;
  asio::ip::udp::socket udp_, alt_udp_;
  std::array<std::uint8_t, 65536> udp_buf_{};
  asio::ip::udp::endpoint udp_from_;
  std::vector<std::unique_ptr<Conn>> conns_;
  std::vector<Peer> peers_;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace conform::client
