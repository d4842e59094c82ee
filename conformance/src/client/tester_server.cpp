#include "tester_server.hpp"

#include "matcher.hpp"

namespace conform::client {

namespace {

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

}  // namespace

TesterServer::TesterServer(CaseIo& io, Vars& vars, const std::vector<LifelineDecl>& lifelines)
    : io_(io), vars_(vars), acceptor_(io.io), udp_(io.io), alt_udp_(io.io) {
  const auto lo = asio::ip::make_address_v4("127.0.0.1");
  acceptor_.open(asio::ip::tcp::v4());
  acceptor_.bind({lo, 0});
  acceptor_.listen();
  udp_.open(asio::ip::udp::v4());
  udp_.bind({lo, 0});
  alt_udp_.open(asio::ip::udp::v4());
  alt_udp_.bind({lo, 0});
  io_.sm_server = acceptor_.local_endpoint();
  io_.mm_server = udp_.local_endpoint();
  for (const auto& d : lifelines) {
    peers_.push_back({d.name, d.role, {}, {}, nullptr, std::nullopt});
    vars_.set(d.name + ".name", d.client_name.empty() ? lower(d.name) : d.client_name);
  }
  accept();
  read_udp(udp_, false);
  read_udp(alt_udp_, true);
}

TesterServer::~TesterServer() {
  *alive_ = false;
  close_all();
}

void TesterServer::close_all() {
  asio::error_code ec;
  acceptor_.close(ec);
  udp_.close(ec);
  alt_udp_.close(ec);
  for (auto& c : conns_) c->sock.close(ec);
}

Peer& TesterServer::peer(const std::string& name) {
  for (auto& p : peers_)
    if (p.name == name) return p;
  throw ScenarioError("no lifeline '" + name + "'");
}

void TesterServer::accept() {
  auto c = std::make_shared<Conn>(io_.io);
  auto alive = alive_;
  acceptor_.async_accept(c->sock, [this, c, alive](asio::error_code ec) {
    if (!*alive || ec) return;
    if (conns_.size() >= max_connections) {
      asio::error_code ignored;
      c->sock.close(ignored);
    } else {
      auto n = std::make_unique<Conn>(io_.io);
      n->sock = std::move(c->sock);
      Conn* conn = conns_.emplace_back(std::move(n)).get();
      asio::error_code e1, e2;
      auto l = conn->sock.local_endpoint(e1), r = conn->sock.remote_endpoint(e2);
      conn->tester = to_ep(l.address(), l.port());
      conn->client = to_ep(r.address(), r.port());
      read_tcp(conn);
    }
    accept();
  });
}

WireEvent TesterServer::tcp_event(const Conn& c, WireKind kind, bool to_client) const {
  WireEvent e;
  e.kind = kind;
  e.lifeline = c.owner >= 0 ? peers_[static_cast<std::size_t>(c.owner)].name : "";
  e.to_server = to_client;
  e.local = c.tester;
  e.server = c.client;
  return e;
}

/// The membership a message belongs to: the one whose (non-zero) user ID it carries, else
/// the connection's, else the first without a connection yet, else the first.
int TesterServer::owner_of(const Json& msg, int current) const {
  const Json user = msg.value("user_id", Json());
  for (std::size_t i = 0; i < peers_.size(); ++i) {
    const std::string v = peers_[i].name + ".user";
    if (vars_.has(v) && user.is_number() && user != 0 && user == vars_.get(v))
      return static_cast<int>(i);
  }
  if (current >= 0) return current;
  for (std::size_t i = 0; i < peers_.size(); ++i)
    if (!peers_[i].conn) return static_cast<int>(i);
  return 0;
}

void TesterServer::read_tcp(Conn* c) {
  auto alive = alive_;
  c->sock.async_read_some(
      asio::buffer(c->buf), [this, c, alive](asio::error_code ec, std::size_t n) {
        if (!*alive || ec == asio::error::operation_aborted) return;
        if (ec) {
          if (!c->closed) io_.record(tcp_event(*c, WireKind::tcp_close_by_server, false));
          c->closed = true;
          return;
        }
        c->framer.feed({c->buf.data(), n});
        std::span<const std::uint8_t> frame;
        while (c->framer.next(frame) == gmp::SmFramer::Status::frame) on_frame(c, frame);
        if (c->framer.error()) {
          WireEvent e = tcp_event(*c, WireKind::data, false);
          e.note = "framing error from the client: " + c->framer.error().message();
          e.highlight = true;
          io_.record(std::move(e));
          return;
        }
        read_tcp(c);
      });
}

void TesterServer::on_frame(Conn* c, std::span<const std::uint8_t> frame) {
  if (peers_.empty()) return;
  Json msg = describe(true, frame);
  c->owner = owner_of(msg, c->owner);
  Peer& p = peers_[static_cast<std::size_t>(c->owner)];
  p.conn = c;
  WireEvent e = tcp_event(*c, WireKind::data, false);
  e.message.assign(frame.begin(), frame.end());
  e.wire = {static_cast<std::uint8_t>(frame.size() >> 8),
            static_cast<std::uint8_t>(frame.size() & 0xff)};
  e.wire.insert(e.wire.end(), frame.begin(), frame.end());
  e.decoded = msg;
  Inbound in{{false, msg, io_.now_ms()}, 0};
  e.t_ms = in.t_ms;
  in.log_index = io_.record(std::move(e));
  // Profile 1: the member's MM address is its SM connection's IP and SAREQ's MM-PORT.
  Json port = lookup(msg, "opt.MM-PORT");
  if (msg.value("type", "") == "SAREQ" && port.is_number() && port != 0) {
    asio::error_code ec;
    p.mm =
        asio::ip::udp::endpoint(c->sock.remote_endpoint(ec).address(), port.get<std::uint16_t>());
    vars_.set(p.name + ".mm_port", port);
  }
  if (p.sm_in.size() < max_queue) p.sm_in.push_back(std::move(in));
}

void TesterServer::read_udp(asio::ip::udp::socket& s, bool alt) {
  auto alive = alive_;
  s.async_receive_from(asio::buffer(udp_buf_), udp_from_,
                       [this, &s, alt, alive](asio::error_code ec, std::size_t n) {
                         if (!*alive || ec == asio::error::operation_aborted) return;
                         if (!ec && !peers_.empty()) on_datagram(s, alt, n);
                         read_udp(s, alt);
                       });
}

void TesterServer::on_datagram(asio::ip::udp::socket& s, bool alt, std::size_t n) {
  std::span<const std::uint8_t> bytes(udp_buf_.data(), n);
  Json msg = describe(false, bytes);
  int owner = -1;
  for (std::size_t i = 0; i < peers_.size() && owner < 0; ++i)
    if (peers_[i].mm && *peers_[i].mm == udp_from_) owner = static_cast<int>(i);
  Peer& p = peers_[static_cast<std::size_t>(owner_of(msg, owner))];
  msg["from_port"] = udp_from_.port();  // derived: the client's source port
  msg["to_alt_port"] = alt;             // derived: sent to the tester's second MM socket
  WireEvent e;
  e.lifeline = p.name;
  e.to_server = false;
  e.tcp = false;
  e.local = to_ep(s.local_endpoint().address(), s.local_endpoint().port());
  e.server = to_ep(udp_from_.address(), udp_from_.port());
  e.wire.assign(bytes.begin(), bytes.end());
  e.message = e.wire;
  e.decoded = msg;
  if (alt) e.note = "to the tester's second MM socket";
  Inbound in{{false, msg, io_.now_ms()}, 0};
  e.t_ms = in.t_ms;
  in.log_index = io_.record(std::move(e));
  if (p.mm_in.size() < max_queue) p.mm_in.push_back(std::move(in));
}

void TesterServer::send_sm(Peer& p, const std::vector<std::uint8_t>& bytes, bool prefixed,
                           int step, bool anomaly) {
  if (!p.conn || p.conn->closed)
    throw ScenarioError("membership '" + p.name + "' has no open SM connection");
  WireEvent e = tcp_event(*p.conn, WireKind::data, true);
  if (prefixed)
    e.wire = {static_cast<std::uint8_t>(bytes.size() >> 8),
              static_cast<std::uint8_t>(bytes.size() & 0xff)};
  e.wire.insert(e.wire.end(), bytes.begin(), bytes.end());
  e.message = bytes;
  e.decoded = describe(true, bytes);
  e.t_ms = io_.now_ms();
  e.step = step;
  e.anomaly = anomaly;
  asio::error_code ec;
  asio::write(p.conn->sock, asio::buffer(e.wire), ec);
  if (ec) e.note = "send failed: " + ec.message();
  io_.record(std::move(e));
}

void TesterServer::send_mm(Peer& p, const std::vector<std::uint8_t>& bytes, bool alt, int step,
                           bool anomaly) {
  if (!p.mm)
    throw ScenarioError("membership '" + p.name +
                        "' has no MM address yet (no SAREQ with MM-PORT)");
  auto& sock = alt ? alt_udp_ : udp_;
  WireEvent e;
  e.lifeline = p.name;
  e.tcp = false;
  e.local = to_ep(sock.local_endpoint().address(), sock.local_endpoint().port());
  e.server = to_ep(p.mm->address(), p.mm->port());
  e.wire = bytes;
  e.message = bytes;
  e.decoded = describe(false, bytes);
  e.t_ms = io_.now_ms();
  e.step = step;
  e.anomaly = anomaly;
  if (alt) e.note = "from the tester's second MM socket";
  asio::error_code ec;
  sock.send_to(asio::buffer(bytes), *p.mm, 0, ec);
  io_.record(std::move(e));
}

void TesterServer::close(Peer& p) {
  if (!p.conn || p.conn->closed) return;
  asio::error_code ec;
  p.conn->sock.close(ec);
  p.conn->closed = true;
  io_.record(tcp_event(*p.conn, WireKind::tcp_close_by_tester, true));
}

}  // namespace conform::client
