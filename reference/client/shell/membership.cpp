// Membership: the standalone-Asio shell around one ClientCore (see membership.hpp).
#include "gmp/client/membership.hpp"

#include <algorithm>
#include <utility>

namespace gmp::client {

namespace {
constexpr std::size_t mm_datagram_max = 65536;
constexpr std::size_t sm_read_chunk = 4096;
// Bytes of a datagram from an unknown sender kept in its `unexpected` event: anyone can send
// them, as fast as they like, and the events are kept for wait-for.
constexpr std::size_t stranger_prefix = 64;
}  // namespace

ServerEndpoints resolve_server(const std::string& host, std::uint16_t sm_port, std::uint16_t mm_port) {
  asio::io_context io;
  asio::ip::tcp::resolver r(io);
  auto results = r.resolve(asio::ip::tcp::v4(), host, std::to_string(sm_port));
  const asio::ip::address a = results.begin()->endpoint().address();
  return ServerEndpoints{asio::ip::tcp::endpoint(a, sm_port), asio::ip::udp::endpoint(a, mm_port)};
}

std::shared_ptr<Membership> Membership::make(asio::io_context& io, ServerEndpoints server, Role role,
                                             Timing timing, EventHandler on_event) {
  return std::shared_ptr<Membership>(
      new Membership(io, server, std::make_unique<ClientCore>(role, timing), std::move(on_event)));
}

Membership::Membership(asio::io_context& io, ServerEndpoints server, std::unique_ptr<ClientCore> core,
                       EventHandler on_event)
    : io_(io), server_(server), core_(std::move(core)), on_event_(std::move(on_event)), sm_(io),
      framer_(default_max_sm_size), sm_buf_(sm_read_chunk), mm_(io), mm_buf_(mm_datagram_max),
      timer_(io) {}

Time Membership::now() { return sansio::Clock::now(); }

// ---------------------------------------------------------------- commands

void Membership::create(const CreateParams& p) {
  command([&p](ClientCore& c, Time t) { c.create(p, t); });
}
void Membership::register_to(const RegisterParams& p) {
  command([&p](ClientCore& c, Time t) { c.register_to(p, t); });
}
void Membership::join() { command([](ClientCore& c, Time t) { c.join(t); }); }
void Membership::request_members() { command([](ClientCore& c, Time t) { c.request_members(t); }); }
void Membership::leave() { command([](ClientCore& c, Time t) { c.leave(t); }); }
void Membership::terminate() { command([](ClientCore& c, Time t) { c.terminate(t); }); }
void Membership::remove() { command([](ClientCore& c, Time t) { c.remove(t); }); }
void Membership::set_muted(bool muted) { core_->set_muted(muted); }

void Membership::activate(std::uint16_t port) {
  if (closed_) return;
  std::error_code ec;
  const std::uint16_t current = local_mm_port();
  if (!mm_.is_open() || (port != 0 && port != current)) {
    // Bind to the address our SM connection uses to reach the server (profile 1: the
    // server takes the MM address's IP from the SM connection).
    asio::ip::address local = asio::ip::address_v4::loopback();
    if (link_ == Link::up) {
      auto ep = sm_.local_endpoint(ec);
      if (!ec) local = ep.address();
    } else if (!server_.mm.address().is_loopback()) {
      local = asio::ip::address_v4::any();
    }
    if (mm_.is_open()) mm_.close(ec);
    mm_.open(asio::ip::udp::v4(), ec);
    if (!ec) mm_.bind(asio::ip::udp::endpoint(local, port), ec);
    if (ec) {
      shell_event(EventKind::error, "activate: cannot bind the MM socket: " + ec.message());
      return pump();
    }
    start_mm_read();
  }
  core_->activate(local_mm_port(), now());
  pump();
}

std::uint16_t Membership::local_mm_port() const {
  std::error_code ec;
  if (!mm_.is_open()) return 0;
  auto ep = mm_.local_endpoint(ec);
  return ec ? 0 : ep.port();
}

void Membership::close() {
  closed_ = true;
  std::error_code ec;
  sm_.close(ec);
  mm_.close(ec);
  timer_.cancel();
  link_ = Link::down;
}

// ---------------------------------------------------------------- core <-> sockets

void Membership::shell_event(EventKind kind, std::string detail, Channel c,
                             std::vector<std::uint8_t> raw) {
  Event e;
  e.kind = kind;
  e.detail = std::move(detail);
  e.channel = c;
  e.raw = std::move(raw);
  if (on_event_ && !closed_) on_event_(e);
}

void Membership::pump() {
  if (closed_) return;
  while (auto t = core_->poll_transmit()) {
    if (t->channel == Channel::sm) {
      std::vector<std::uint8_t> framed;
      framed.reserve(t->bytes.size() + 2);
      framed.push_back(static_cast<std::uint8_t>(t->bytes.size() >> 8));
      framed.push_back(static_cast<std::uint8_t>(t->bytes.size() & 0xff));
      framed.insert(framed.end(), t->bytes.begin(), t->bytes.end());
      sm_out_.push_back(std::move(framed));
    } else if (mm_.is_open()) {
      send_mm(t->bytes);
    } else {
      shell_event(EventKind::error, "MM message dropped: no MM socket", Channel::mm);
    }
  }
  if (!sm_out_.empty()) {
    if (link_ == Link::down) connect();
    else if (link_ == Link::up) start_sm_write();
  }
  // Deliver events last: a handler may issue the next command, which pumps again.
  while (auto e = core_->poll_event()) {
    if (closed_) return;
    if (on_event_) on_event_(*e);
  }
  arm_timer();
}

void Membership::send_mm(std::span<const std::uint8_t> bytes) {
  std::error_code ec;
  mm_.send_to(asio::buffer(bytes.data(), bytes.size()), server_.mm, 0, ec);  // UDP: never blocks for long
  if (ec) shell_event(EventKind::error, "MM send failed: " + ec.message(), Channel::mm);
}

void Membership::connect() {
  link_ = Link::connecting;
  ++link_gen_;
  writing_ = false;
  sm_.async_connect(server_.sm, [self = shared_from_this(), gen = link_gen_](const std::error_code& ec) {
    if (self->closed_ || gen != self->link_gen_) return;
    if (ec) {
      self->link_ = Link::down;
      self->sm_out_.clear();
      self->shell_event(EventKind::error, "cannot connect to the server: " + ec.message());
      self->core_->handle_sm_closed(now());
      return self->pump();
    }
    std::error_code ignored;
    self->sm_.set_option(asio::ip::tcp::no_delay(true), ignored);
    self->link_ = Link::up;
    self->framer_ = SmFramer(default_max_sm_size);
    self->start_sm_read();
    self->start_sm_write();
  });
}

// The message being written leaves the queue and lives in the handler: sm_failed() may clear
// the queue (the read side saw the connection fail) while this write's completion is already
// queued, and that completion must then neither free nor pop anything. A completion of an
// earlier connection (link_gen_ moved on) is ignored altogether.
void Membership::start_sm_write() {
  if (writing_ || sm_out_.empty() || link_ != Link::up) return;
  writing_ = true;
  auto msg = std::make_shared<std::vector<std::uint8_t>>(std::move(sm_out_.front()));
  sm_out_.pop_front();
  asio::async_write(sm_, asio::buffer(*msg),
                    [self = shared_from_this(), msg, gen = link_gen_](const std::error_code& ec, std::size_t) {
                      if (self->closed_ || gen != self->link_gen_) return;
                      self->writing_ = false;
                      if (ec) return self->sm_failed("SM write failed: " + ec.message());
                      self->start_sm_write();
                    });
}

void Membership::start_sm_read() {
  sm_.async_read_some(asio::buffer(sm_buf_), [self = shared_from_this(), gen = link_gen_](
                                                 const std::error_code& ec, std::size_t n) {
    if (self->closed_ || gen != self->link_gen_) return;  // a read of an earlier connection
    if (ec) return self->sm_failed(ec == asio::error::eof ? "the server closed the SM connection"
                                                          : "SM read failed: " + ec.message());
    if (!self->framer_.feed(std::span<const std::uint8_t>(self->sm_buf_.data(), n)))
      return self->sm_failed("SM framing: too much buffered");
    std::span<const std::uint8_t> frame;
    for (;;) {
      const auto st = self->framer_.next(frame);
      if (st == SmFramer::Status::need_more) break;
      if (st == SmFramer::Status::error) {
        // Profile 1: a framing error closes the connection.
        self->shell_event(EventKind::invalid,
                          "SM framing error: " + std::string(error_name(static_cast<DecodeError>(
                                                     self->framer_.error().value()))));
        return self->sm_failed("closed after a framing error");
      }
      self->core_->handle_sm_bytes(frame, now());
      self->pump();
      if (self->closed_ || self->link_ != Link::up) return;
    }
    self->start_sm_read();
  });
}

void Membership::sm_failed(const std::string& why) {
  if (link_ == Link::down) return;  // reported once (the read and the write may both fail)
  std::error_code ignored;
  sm_.close(ignored);
  link_ = Link::down;
  ++link_gen_;  // the completions still pending for this connection are now stale
  writing_ = false;
  sm_out_.clear();
  shell_event(EventKind::error, why);
  core_->handle_sm_closed(now());
  pump();
}

void Membership::start_mm_read() {
  mm_.async_receive_from(
      asio::buffer(mm_buf_), mm_from_, [self = shared_from_this()](const std::error_code& ec, std::size_t n) {
        if (self->closed_ || ec == asio::error::operation_aborted) return;
        if (!ec) {
          std::span<const std::uint8_t> dgram(self->mm_buf_.data(), n);
          if (self->mm_from_ != self->server_.mm) {
            // Only the server's MM address speaks to us (profile 1, anti-spoofing).
            self->shell_event(EventKind::unexpected,
                              "MM datagram from " + self->mm_from_.address().to_string() + ":" +
                                  std::to_string(self->mm_from_.port()) + ", not the server",
                              Channel::mm,
                              std::vector<std::uint8_t>(
                                  dgram.begin(), dgram.begin() + std::min(dgram.size(), stranger_prefix)));
          } else {
            self->core_->handle_mm_bytes(dgram, now());
            self->pump();
          }
        }
        if (!self->closed_ && self->mm_.is_open()) self->start_mm_read();
      });
}

void Membership::arm_timer() {
  const auto deadline = core_->next_deadline();
  if (deadline == armed_) return;
  armed_ = deadline;
  timer_.cancel();
  if (!deadline) return;
  timer_.expires_at(*deadline);
  timer_.async_wait([self = shared_from_this(), deadline](const std::error_code& ec) {
    if (ec || self->closed_ || self->armed_ != deadline) return;
    self->armed_.reset();
    self->core_->handle_timeout(now());
    self->pump();
  });
}

}  // namespace gmp::client
