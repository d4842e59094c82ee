#include "lifeline.hpp"

#include <gmp/message.hpp>

#include <chrono>

#include "matcher.hpp"
#include "vars.hpp"

namespace conform {

namespace {
std::int64_t wall_us() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}
}  // namespace

Ep to_ep(const asio::ip::address& a, std::uint16_t port) {
  return {a.is_v4() ? a.to_v4().to_uint() : 0u, port};
}

std::size_t CaseIo::record(WireEvent e) {
  if (log.size() >= max_log) return log.size() - 1;
  if (e.t_ms == 0) e.t_ms = now_ms();
  e.wall_us = wall_us();
  log.push_back(std::move(e));
  if (on_record) on_record(log.size() - 1);
  return log.size() - 1;
}

Lifeline::Lifeline(CaseIo& io, std::string name, std::string role, const std::string& address)
    : io_(io), name_(std::move(name)), role_(std::move(role)), udp_(io.io) {
  asio::error_code ec;
  address_ = address.empty() ? asio::ip::address_v4::loopback()
                             : asio::ip::make_address_v4(address, ec);
  if (ec) throw ScenarioError("lifeline " + name_ + ": bad address '" + address + "'");
  udp_.open(asio::ip::udp::v4());
  udp_.bind({address_, 0}, ec);
  if (ec) throw std::runtime_error("lifeline " + name_ + ": cannot bind UDP to " + address + ": " + ec.message());
  read_udp();
}

Lifeline::~Lifeline() {
  *alive_ = false;
  asio::error_code ec;
  if (tcp_) tcp_->close(ec);
  udp_.close(ec);
  if (alt_udp_) alt_udp_->close(ec);
}

Ep Lifeline::local_tcp() const { return tcp_local_; }

Ep Lifeline::local_udp(bool alt) const {
  auto ep = alt ? alt_udp_->local_endpoint() : udp_.local_endpoint();
  return to_ep(ep.address(), ep.port());
}

void Lifeline::send_tcp(const std::vector<std::uint8_t>& bytes, bool prefixed, int step, bool anomaly) {
  if (!tcp_ || !tcp_->is_open() || peer_closed_) {
    if (tcp_ && tcp_->is_open()) close_tcp();
    tcp_ = std::make_unique<asio::ip::tcp::socket>(io_.io);
    tcp_->open(asio::ip::tcp::v4());
    tcp_->bind({address_, 0});
    tcp_->connect(io_.sm_server);
    tcp_->set_option(asio::ip::tcp::no_delay(true));
    auto le = tcp_->local_endpoint();
    tcp_local_ = to_ep(le.address(), le.port());
    peer_closed_ = false;
    framer_ = gmp::SmFramer(65535);
    io_.record(tcp_event(WireKind::tcp_open));
    read_tcp();
  }
  std::vector<std::uint8_t> wire;
  if (prefixed) {
    wire.push_back(static_cast<std::uint8_t>(bytes.size() >> 8));
    wire.push_back(static_cast<std::uint8_t>(bytes.size() & 0xff));
  }
  wire.insert(wire.end(), bytes.begin(), bytes.end());
  asio::error_code ec;
  asio::write(*tcp_, asio::buffer(wire), ec);
  WireEvent e = tcp_event(WireKind::data);
  e.wire = wire;
  e.message = prefixed ? bytes : std::vector<std::uint8_t>();
  e.decoded = prefixed || bytes.size() >= 18
                  ? describe(true, prefixed ? std::span<const std::uint8_t>(bytes)
                                            : std::span<const std::uint8_t>(bytes).subspan(2))
                  : Json();
  e.step = step;
  e.anomaly = anomaly;
  e.note = ec ? "write failed: " + ec.message() : "";
  io_.record(std::move(e));
}

void Lifeline::send_udp(const std::vector<std::uint8_t>& bytes, bool alt, int step, bool anomaly) {
  if (alt && !alt_udp_) {
    alt_udp_.emplace(io_.io);
    alt_udp_->open(asio::ip::udp::v4());
    alt_udp_->bind({address_, 0});
  }
  asio::error_code ec;
  (alt ? *alt_udp_ : udp_).send_to(asio::buffer(bytes), io_.mm_server, 0, ec);
  WireEvent e;
  e.lifeline = name_;
  e.tcp = false;
  e.local = local_udp(alt);
  e.server = to_ep(io_.mm_server.address(), io_.mm_server.port());
  e.wire = bytes;
  e.message = bytes;
  e.decoded = describe(false, bytes);
  e.step = step;
  e.anomaly = anomaly;
  if (alt) e.note = "from the alternate port";
  if (ec) e.note = "send failed: " + ec.message();
  io_.record(std::move(e));
}

void Lifeline::close_tcp() {
  if (!tcp_ || !tcp_->is_open()) return;
  asio::error_code ec;
  tcp_->shutdown(asio::ip::tcp::socket::shutdown_both, ec);
  tcp_->close(ec);
  if (!peer_closed_) io_.record(tcp_event(WireKind::tcp_close_by_tester));
}

WireEvent Lifeline::tcp_event(WireKind kind) const {
  WireEvent e;
  e.kind = kind;
  e.lifeline = name_;
  e.to_server = kind != WireKind::tcp_close_by_server;
  e.local = tcp_local_;
  e.server = to_ep(io_.sm_server.address(), io_.sm_server.port());
  return e;
}

void Lifeline::read_tcp() {
  auto* sock = tcp_.get();
  auto alive = alive_;
  sock->async_read_some(asio::buffer(tcp_buf_), [this, sock, alive](asio::error_code ec, std::size_t n) {
    if (!*alive || sock != tcp_.get()) return;
    if (ec) {
      if (ec == asio::error::operation_aborted || peer_closed_) return;
      peer_closed_ = true;
      Inbound in{{true, Json(), io_.now_ms()}, 0};
      in.log_index = io_.record(tcp_event(WireKind::tcp_close_by_server));
      sm_in.push_back(std::move(in));
      return;
    }
    if (!framer_.feed({tcp_buf_.data(), n})) {
      WireEvent e;
      e.lifeline = name_;
      e.to_server = false;
      e.note = "server sent more than the tester buffers";
      e.wire.assign(tcp_buf_.begin(), tcp_buf_.begin() + static_cast<long>(n));
      io_.record(std::move(e));
    }
    std::span<const std::uint8_t> frame;
    for (;;) {
      auto st = framer_.next(frame);
      if (st != gmp::SmFramer::Status::frame) {
        if (st == gmp::SmFramer::Status::error && sm_in.size() < 10000) {
          WireEvent e;
          e.lifeline = name_;
          e.to_server = false;
          e.note = "framing error from the server: " + framer_.error().message();
          e.highlight = true;
          io_.record(std::move(e));
        }
        break;
      }
      WireEvent e = tcp_event(WireKind::data);
      e.to_server = false;
      e.message.assign(frame.begin(), frame.end());
      e.wire.push_back(static_cast<std::uint8_t>(frame.size() >> 8));
      e.wire.push_back(static_cast<std::uint8_t>(frame.size() & 0xff));
      e.wire.insert(e.wire.end(), frame.begin(), frame.end());
      e.decoded = describe(true, frame);
      Inbound in{{false, e.decoded, io_.now_ms()}, 0};
      e.t_ms = in.t_ms;
      in.log_index = io_.record(std::move(e));
      if (sm_in.size() < 10000) sm_in.push_back(std::move(in));
    }
    if (framer_.error()) return;
    read_tcp();
  });
}

void Lifeline::read_udp() {
  auto alive = alive_;
  udp_.async_receive_from(asio::buffer(udp_buf_), udp_from_, [this, alive](asio::error_code ec, std::size_t n) {
    if (!*alive || ec == asio::error::operation_aborted) return;
    if (!ec) on_datagram(n);
    read_udp();
  });
}

void Lifeline::on_datagram(std::size_t n) {
  std::span<const std::uint8_t> bytes(udp_buf_.data(), n);
  WireEvent e;
  e.lifeline = name_;
  e.to_server = false;
  e.tcp = false;
  e.local = local_udp(false);
  e.server = to_ep(udp_from_.address(), udp_from_.port());
  e.wire.assign(bytes.begin(), bytes.end());
  e.message = e.wire;
  e.decoded = describe(false, bytes);
  if (udp_from_ != io_.mm_server) e.note = "from an address other than the server's MM port";
  Json msg = e.decoded;
  Inbound in{{false, msg, io_.now_ms()}, 0};
  e.t_ms = in.t_ms;
  in.log_index = io_.record(std::move(e));
  // Figure 14 (client side of 6.1): answer each KAREQ at once, echoing KA-SEQ. It was
  // standing-checked when recorded above.
  const bool answer = !muted && msg.value("type", "") == "KAREQ" && msg["error"].is_null();
  in.auto_answered = answer;
  if (mm_in.size() < 10000) mm_in.push_back(in);
  if (answer) {
    gmp::MmMessage kares = gmp::build::kares(
        gmp::SessionId{static_cast<std::uint16_t>(msg.value("session_id", 0))},
        gmp::UserId{static_cast<std::uint16_t>(msg.value("user_id", 0))},
        static_cast<gmp::MemberType>(msg.value("member_type_code", 1)),
        static_cast<gmp::Mode>(msg.value("mode_code", 1)),
        msg["opt"].contains("KA-SEQ") ? std::optional<std::uint32_t>(msg["opt"]["KA-SEQ"].get<std::uint32_t>())
                                      : std::nullopt);
    send_udp(gmp::encode(kares), false, -1);
    io_.log.back().note = "auto KARES";
  }
}

}  // namespace conform
