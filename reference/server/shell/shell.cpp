#include "shell.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>

#include <algorithm>
#include <array>
#include <deque>
#include <spdlog/spdlog.h>

#include "gmp/framer.hpp"

namespace gmp::server {

namespace {
constexpr std::size_t rx_batch = 64;   // messages per recvmmsg (each a datagram or a GRO train)
constexpr std::size_t rx_size = 2048;  // MM datagrams from members are small; UIRES <= 1200
constexpr std::size_t tx_queue = 4096;  // datagrams queued before a flush

Time now() { return Clock::now(); }

void set_buffer(int fd, int force_opt, int opt, int bytes) {
  if (::setsockopt(fd, SOL_SOCKET, force_opt, &bytes, sizeof bytes) != 0)
    ::setsockopt(fd, SOL_SOCKET, opt, &bytes, sizeof bytes);
}
}  // namespace

struct Shell::Conn {
  Conn(asio::ip::tcp::socket s, ConnId i, Ipv4 p, std::size_t max)
      : sock(std::move(s)), framer(max), id(i), peer(p) {}
  asio::ip::tcp::socket sock;
  SmFramer framer;
  ConnId id;
  Ipv4 peer;
  std::array<std::uint8_t, 8192> rbuf{};
  std::deque<std::vector<std::uint8_t>> wq;
  std::size_t wbytes = 0;
  bool writing = false;
  bool open = true;
};

Shell::Shell(asio::io_context& io, ShellOptions options, std::unique_ptr<Random> random)
    : Shell(io, options, std::make_unique<Server>(options.core, std::move(random))) {}

Shell::Shell(asio::io_context& io, ShellOptions options, std::unique_ptr<Server> core)
    : io_(io),
      opts_(std::move(options)),
      owned_core_(std::move(core)),
      core_(*owned_core_),
      acceptor_(io),
      udp_(io),
      timer_(io),
      publish_timer_(io),
      accept_timer_(io),
      guard_(opts_.timeouts),
      guard_timer_(io) {}

Shell::~Shell() = default;

std::uint16_t Shell::sm_port() const { return acceptor_.local_endpoint().port(); }
std::uint16_t Shell::mm_port() const { return udp_.local_endpoint().port(); }

// "127.0.0.1:16513": a network error names the address it was about.
static std::string endpoint_text(const std::string& host, std::uint16_t port) {
  return host + ":" + std::to_string(port);
}

// Profile 1 [P]: SM on TCP and MM on UDP, same port. With port 0, a free TCP port is taken
// and UDP bound on the same number; if that one is busy, another pair is tried (20 times,
// then UDP takes any free port: the "listening" line shows both).
void Shell::bind() {
  const auto addr = asio::ip::make_address_v4(opts_.host);
  for (int attempt = 0;; ++attempt) {
    acceptor_ = asio::ip::tcp::acceptor(io_);
    acceptor_.open(asio::ip::tcp::v4());
    acceptor_.set_option(asio::socket_base::reuse_address(true));
    asio::error_code tcp_ec;
    acceptor_.bind({addr, opts_.port}, tcp_ec);
    if (!tcp_ec) acceptor_.listen(asio::socket_base::max_listen_connections, tcp_ec);
    if (tcp_ec) throw std::system_error(tcp_ec, "bind tcp " + endpoint_text(opts_.host, opts_.port));
    udp_ = asio::ip::udp::socket(io_);
    udp_.open(asio::ip::udp::v4());
    asio::error_code ec;
    udp_.bind({addr, acceptor_.local_endpoint().port()}, ec);
    if (!ec) break;
    if (opts_.port != 0) throw std::system_error(ec, "bind udp " + endpoint_text(opts_.host, opts_.port));
    if (attempt >= 20) {  // no free pair found: UDP on its own free port (printed separately)
      udp_.bind({addr, 0});
      break;
    }
    acceptor_.close();
    udp_.close();
  }
  udp_.non_blocking(true);
  set_buffer(udp_.native_handle(), SO_RCVBUFFORCE, SO_RCVBUF, opts_.socket_buffer);
  set_buffer(udp_.native_handle(), SO_SNDBUFFORCE, SO_SNDBUF, opts_.socket_buffer);
  // Offload: a member's datagrams are still read and answered one by one; only the number
  // of system calls and of trips through the kernel's UDP path falls.
  sender_.emplace(udp_.native_handle(), opts_.udp_offload);
  receiver_.emplace(udp_.native_handle(), rx_batch, rx_size, opts_.udp_offload);
  spdlog::debug("mm socket: GSO {}, GRO {}", sender_->gso(), receiver_->gro());
}

void Shell::start() {
  bind();
  do_accept();
  wait_udp();
  tick_publish();
  sweep_connections();
  after_batch();
}

void Shell::stop() {
  if (stopped_) return;
  core_.shutdown(now());
  drain();  // the TRINDs leave now, synchronously
  stopped_ = true;
  asio::error_code ec;
  acceptor_.close(ec);
  udp_.close(ec);
  timer_.cancel();
  publish_timer_.cancel();
  accept_timer_.cancel();
  guard_timer_.cancel();
  std::vector<ConnPtr> all;
  for (auto& [id, c] : conns_) all.push_back(c);
  for (auto& c : all) {
    c->open = false;
    c->sock.close(ec);
  }
  conns_.clear();
}

void Shell::do_accept() {
  acceptor_.async_accept([this](asio::error_code ec, asio::ip::tcp::socket s) {
    if (stopped_ || ec == asio::error::operation_aborted) return;
    if (!ec) {
      asio::error_code e2;
      const auto ep = s.remote_endpoint(e2);
      if (!e2 && ep.address().is_v4()) {
        s.set_option(asio::ip::tcp::no_delay(true), e2);
        auto c = std::make_shared<Conn>(std::move(s), ConnId{++next_conn_},
                                        Ipv4{ep.address().to_v4().to_uint()},
                                        opts_.core.max_sm_size);
        conns_.emplace(c->id.value, c);
        guard_.opened(c->id, now());
        core_.handle_sm_opened(c->id, c->peer, now());
        drain();
        if (c->open) do_read(c);
        after_batch();
      }
      accept_backoff_ = std::chrono::milliseconds(0);
      do_accept();
      return;
    }
    ++accept_failures_;
    accept_backoff_ = std::clamp(accept_backoff_ * 2, std::chrono::milliseconds(50),
                                 std::chrono::milliseconds(1000));
    if (now() >= accept_log_at_) {
      spdlog::warn("accept: {} ({} failures so far); retrying in {} ms", ec.message(),
                   accept_failures_, accept_backoff_.count());
      accept_log_at_ = now() + std::chrono::seconds(10);
    }
    accept_timer_.expires_after(accept_backoff_);
    accept_timer_.async_wait([this](asio::error_code e) {
      if (e || stopped_) return;
      do_accept();
    });
  });
}

// Reads at most what the framer has room for: whole frames are taken out after each read, so
// a peer pipelining many requests is served at its pace instead of overflowing the framer
// (which with a small --max-message holds less than one socket read).
void Shell::do_read(const ConnPtr& c) {
  const std::size_t want = std::min(c->rbuf.size(), c->framer.room());
  c->sock.async_read_some(asio::buffer(c->rbuf.data(), want), [this, c](asio::error_code ec, std::size_t n) {
    if (!c->open || stopped_) return;
    if (ec) {
      close_conn(*c);
      drain();
      after_batch();
      return;
    }
    const Time t = now();
    guard_.activity(c->id, t);
    bool took_frame = false;
    if (!c->framer.feed(std::span<const std::uint8_t>(c->rbuf.data(), n))) {
      core_.handle_framing_error(c->id, DecodeError::frame_too_large, t);  // buffered too much
      drain();
      c->framer = SmFramer(opts_.core.max_sm_size);
    } else {
      std::span<const std::uint8_t> frame;
      for (;;) {
        const auto st = c->framer.next(frame);
        if (st == SmFramer::Status::need_more) break;
        if (st == SmFramer::Status::error) {
          core_.handle_framing_error(c->id, static_cast<DecodeError>(c->framer.error().value()), t);
          drain();
          c->framer = SmFramer(opts_.core.max_sm_size);  // only matters if not closed (fault)
          break;
        }
        core_.handle_sm_bytes(c->id, c->peer, frame, t);
        took_frame = true;
        drain();
        if (!c->open) break;
      }
    }
    if (c->open) guard_.framed(c->id, c->framer.buffered(), took_frame, t);
    after_batch();
    if (c->open) do_read(c);
  });
}

void Shell::do_write(const ConnPtr& c) {
  c->writing = true;
  asio::async_write(c->sock, asio::buffer(c->wq.front()), [this, c](asio::error_code ec, std::size_t) {
    c->writing = false;
    if (!c->open) return;
    if (ec) {
      close_conn(*c);
      drain();
      after_batch();
      return;
    }
    guard_.activity(c->id, now());
    c->wbytes -= c->wq.front().size();
    c->wq.pop_front();
    if (!c->wq.empty()) do_write(c);
  });
}

void Shell::close_conn(Conn& c) {
  if (!c.open) return;
  c.open = false;
  asio::error_code ec;
  c.sock.shutdown(asio::ip::tcp::socket::shutdown_both, ec);
  c.sock.close(ec);
  const ConnId id = c.id;
  guard_.closed(id);
  conns_.erase(id.value);  // `c` stays alive through the handlers' shared_ptr
  core_.handle_sm_closed(id, now());
}

void Shell::wait_udp() {
  udp_.async_wait(asio::ip::udp::socket::wait_read, [this](asio::error_code ec) {
    if (ec || stopped_) return;
    read_udp(std::nullopt, 2048);  // bounded: timers and TCP get their turn
    after_batch();
    wait_udp();
  });
}

void Shell::read_udp(std::optional<Time> stamp, std::size_t max_datagrams) {
  std::size_t taken = 0;
  while (taken < max_datagrams) {
    std::optional<Time> t;  // when the call returned: the arrival bound of its datagrams
    const int n = receiver_->receive([&](const sockaddr_in& a, std::span<const std::uint8_t> d, bool truncated) {
      if (!t) t = stamp ? std::min(*stamp, now()) : now();
      ++stats_.mm_datagrams_in;
      ++taken;
      if (truncated) {
        core_.handle_mm_oversize(*t);
        return;
      }
      core_.handle_mm_bytes(Endpoint{Ipv4{ntohl(a.sin_addr.s_addr)}, ntohs(a.sin_port)}, d, *t);
      if (taken % rx_batch == 0) drain();  // a GRO call may bring 64 x 64: answers leave as before
    });
    if (n <= 0) break;
    drain();
    if (static_cast<std::size_t>(n) < receiver_->slots()) break;
  }
}

// Carries out the core's transmits: SM answers to write queues, MM datagrams to the send
// batch, closes; sends the batch; then logs the core's events (gmp/sansio.hpp polling order).
void Shell::drain() {
  while (auto a = core_.poll_transmit()) {
    if (auto* s = std::get_if<SendSm>(&*a)) {
      auto it = conns_.find(s->conn.value);
      if (it == conns_.end() || !it->second->open) continue;
      ConnPtr c = it->second;
      guard_.answered(c->id, s->msg, now());
      auto bytes = encode_framed(s->msg);
      if (c->wbytes + bytes.size() > opts_.max_write_bytes) {
        core_.handle_write_overflow(c->id, now());  // queues a close
        continue;
      }
      c->wbytes += bytes.size();
      c->wq.push_back(std::move(bytes));
      if (!c->writing) do_write(c);
    } else if (auto* m = std::get_if<SendMm>(&*a)) {
      const std::size_t off = tx_bytes_.size();
      const std::size_t len = encode_mm(m->msg, tx_bytes_);
      tx_.push_back(TxItem{m->to, off, len});
      if (tx_.size() >= tx_queue) flush_mm();
    } else if (auto* cl = std::get_if<CloseConn>(&*a)) {
      auto it = conns_.find(cl->conn.value);
      if (it != conns_.end()) close_conn(*it->second);
    }
  }
  flush_mm();
  while (auto e = core_.poll_event()) log_event(*e);
}

void Shell::flush_mm() {
  if (tx_.empty() || stopped_) {
    tx_.clear();
    tx_bytes_.clear();
    return;
  }
  tx_batch_.clear();
  for (const TxItem& t : tx_) {
    sockaddr_in to{};
    to.sin_family = AF_INET;
    to.sin_addr.s_addr = htonl(t.to.ip.value);
    to.sin_port = htons(t.to.port);
    tx_batch_.push_back(udp::Sender::Datagram{to, tx_bytes_.data() + t.offset, t.length});
  }
  // A full send buffer: wait for room, up to 5 x 10 ms per flush; then UDP may lose the
  // rest (counted), as it may anywhere on the way.
  int stalls = 0;
  const int fd = udp_.native_handle();
  const auto out = sender_->send(tx_batch_, [&] {
    if (stalls++ >= 5) return false;
    pollfd p{fd, POLLOUT, 0};
    ::poll(&p, 1, 10);
    return true;
  });
  stats_.mm_datagrams_out += out.sent;
  stats_.mm_send_dropped += out.dropped;  // also an unreachable peer (ICMP)
  tx_.clear();
  tx_bytes_.clear();
}

void Shell::after_batch() {
  if (stopped_) return;
  arm_timer();
  if (core_.state_version() != published_version_) publish(false);
}

void Shell::arm_timer() {
  const auto dl = core_.next_deadline();
  if (!dl) return;
  if (armed_ && *dl == armed_at_) return;
  armed_ = true;
  armed_at_ = *dl;
  timer_.expires_at(*dl);
  timer_.async_wait([this](asio::error_code ec) {
    if (ec == asio::error::operation_aborted || stopped_) return;
    armed_ = false;
    // KARES already queued in the socket arrived before this deadline: they are read first,
    // stamped with it, so a busy loop does not turn timely answers into misses (profile 6.1).
    read_udp(armed_at_, std::size_t{1} << 20);
    core_.handle_timeout(now());
    drain();
    after_batch();
  });
}

// A state change publishes at once when the last rebuild is older than the cache's interval
// (so a quiet server's page is current), otherwise the 250 ms tick publishes it: a burst of
// registrations costs one rebuild per interval, not one per message.
void Shell::publish(bool force) {
  if (!on_publish) return;
  const bool rebuilt = snapshot_.refresh(core_, std::chrono::steady_clock::now());
  if (!rebuilt && !force) return;
  published_version_ = core_.state_version();
  on_publish(snapshot_.sessions(), counters_json(core_, stats_).dump());
}

// Creation, termination and deletion are what an operator wants in the log (7.1.1, 7.2.4,
// Table 1 SDREQ/SDRES): the core reports them as events.
void Shell::log_event(const Event& e) {
  if (const auto* c = std::get_if<SessionCreated>(&e)) {
    spdlog::info("session {:#06x} created (creator user {:#06x})", c->session.value, c->creator.value);
  } else if (const auto* t = std::get_if<SessionTerminated>(&e)) {
    spdlog::info("session {:#06x} terminated", t->session.value);
  } else if (const auto* d = std::get_if<SessionDeleted>(&e)) {
    spdlog::info("session {:#06x} deleted by its creator", d->session.value);
  }
}

// Counters change with every message: they are republished four times a second.
void Shell::tick_publish() {
  publish_timer_.expires_after(std::chrono::milliseconds(250));
  publish_timer_.async_wait([this](asio::error_code ec) {
    if (ec || stopped_) return;
    tick_publish();  // re-armed first: a publish that throws does not end the ticks
    publish(true);
  });
}

}  // namespace gmp::server

namespace gmp::server {

// Slowloris: connections that hold half a frame, or nothing at all, past their timeout are
// closed (conn_guard.hpp says which are exempt and why). One log line per 10 s at most: a
// flood of such connections must not flood the log too.
void Shell::sweep_connections() {
  if (!guard_.enabled() || stopped_) return;
  guard_timer_.expires_after(guard_.period());
  guard_timer_.async_wait([this](asio::error_code ec) {
    if (ec || stopped_) return;
    const Time t = now();
    const Millis pending_limit = opts_.core.pending_timeout;
    const auto gone = guard_.expired(t, [&](SessionId s, UserId u, bool pending, Time since) {
      if (core_.member(s, u)) return true;
      return pending && t - since < pending_limit;  // 5.1 step 3: SCINF still awaited
    });
    for (const auto& e : gone) {
      auto it = conns_.find(e.conn.value);
      if (it == conns_.end()) continue;
      const bool partial = e.why == ConnGuard::Expiry::partial_frame;
      ++(partial ? stats_.frame_timeouts : stats_.idle_timeouts);
      close_conn(*it->second);
    }
    if (!gone.empty()) {
      if (t >= timeout_log_at_) {
        spdlog::info("closed {} connection(s) past their timeout ({} partial frame, {} idle so far)",
                     gone.size(), stats_.frame_timeouts, stats_.idle_timeouts);
        timeout_log_at_ = t + std::chrono::seconds(10);
      }
      drain();
      after_batch();
    }
    sweep_connections();
  });
}

}  // namespace gmp::server
