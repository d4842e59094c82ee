// gmp-load: load generator for gmp-server (docs/performance.md). `run` creates S open
// sessions, registers N members over a few pipelined TCP connections (timing registrations per
// second), joins and activates them all, then answers every KAREQ with a KARES through
// recvmmsg/sendmmsg for the given time. `raw` measures the machine's loopback UDP datagram rate
// with the same system calls. Prints one JSON object. Loopback only.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <CLI/CLI.hpp>

#include "gmp/app.hpp"
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <stdexcept>
#include <thread>
#include <vector>

#include "gmp/message.hpp"
#include "loopback.hpp"

namespace {

using gmp::server::loopback;
using Steady = std::chrono::steady_clock;
constexpr std::size_t batch = 256;

double seconds_since(Steady::time_point t) {
  return std::chrono::duration<double>(Steady::now() - t).count();
}

int udp_socket(std::uint16_t& port_out) {
  const int fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
  int size = 256 * 1024 * 1024;
  if (::setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof size) != 0)
    ::setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof size);
  if (::setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &size, sizeof size) != 0)
    ::setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &size, sizeof size);
  sockaddr_in a = loopback(0);
  ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
  socklen_t len = sizeof a;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  port_out = ntohs(a.sin_port);
  return fd;
}

// A blocking SM connection: pipelined requests, answers read in order.
class SmConn {
 public:
  explicit SmConn(std::uint16_t port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a = loopback(port);
    if (::connect(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) throw std::runtime_error("connect");
    int one = 1;
    ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  }
  ~SmConn() { ::close(fd_); }
  void queue(const gmp::SmMessage& m) {
    const auto b = gmp::encode_framed(m);
    out_.insert(out_.end(), b.begin(), b.end());
  }
  void flush() {
    std::size_t done = 0;
    while (done < out_.size()) {
      const ssize_t n = ::send(fd_, out_.data() + done, out_.size() - done, MSG_NOSIGNAL);
      if (n <= 0) throw std::runtime_error("send");
      done += static_cast<std::size_t>(n);
    }
    out_.clear();
  }
  gmp::SmMessage read() {
    for (;;) {
      if (in_.size() - pos_ >= 2) {
        const std::size_t len = (std::size_t{in_[pos_]} << 8) | in_[pos_ + 1];
        if (in_.size() - pos_ >= 2 + len) {
          gmp::SmMessage m;
          gmp::decode_sm(std::span<const std::uint8_t>(in_.data() + pos_ + 2, len), m);
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
      if (n <= 0) throw std::runtime_error("server closed the SM connection");
      in_.insert(in_.end(), buf, buf + n);
    }
  }

 private:
  int fd_;
  std::vector<std::uint8_t> out_, in_;
  std::size_t pos_ = 0;
};

struct Member {
  gmp::SessionId session;
  gmp::UserId user;
  std::string name;
  int sock = 0;
};

// Answers every KAREQ on `fds` with a KARES built from it (profile 6.1: echo KA-SEQ).
void responder(const std::vector<int>& fds, std::uint16_t server_port, const std::atomic<bool>& stop,
               std::atomic<std::uint64_t>& kareq, std::atomic<std::uint64_t>& other) {
  std::vector<std::uint8_t> rx(batch * 64);
  std::vector<std::uint8_t> tx(batch * 24);
  std::vector<mmsghdr> rh(batch), th(batch);
  std::vector<iovec> riov(batch), tiov(batch);
  sockaddr_in server = loopback(server_port);
  std::vector<pollfd> pfds;
  for (int fd : fds) pfds.push_back(pollfd{fd, POLLIN, 0});
  while (!stop.load(std::memory_order_relaxed)) {
    if (::poll(pfds.data(), pfds.size(), 50) <= 0) continue;
    for (auto& p : pfds) {
      if (!(p.revents & POLLIN)) continue;
      for (;;) {
        for (std::size_t i = 0; i < batch; ++i) {
          riov[i] = iovec{rx.data() + i * 64, 64};
          rh[i] = mmsghdr{};
          rh[i].msg_hdr.msg_iov = &riov[i];
          rh[i].msg_hdr.msg_iovlen = 1;
        }
        const int n = ::recvmmsg(p.fd, rh.data(), batch, MSG_DONTWAIT, nullptr);
        if (n <= 0) break;
        std::size_t out = 0;
        for (int i = 0; i < n; ++i) {
          const std::uint8_t* m = rx.data() + static_cast<std::size_t>(i) * 64;
          const unsigned len = rh[static_cast<std::size_t>(i)].msg_len;
          if (len < 24 || m[0] != 0x11 || m[16] != 19) {  // not a KAREQ with KA-SEQ first
            other.fetch_add(1, std::memory_order_relaxed);
            continue;
          }
          std::uint8_t* r = tx.data() + out * 24;
          std::memcpy(r, m, 24);
          r[0] = 0x12;                                // KARES
          r[1] = static_cast<std::uint8_t>(m[1] & 0xF8);  // same mode and member type, no flags
          std::memset(r + 2, 0, 2);                   // group port: 0 in a member's message
          std::memset(r + 8, 0, 8);                   // group, KA fields: 0
          tiov[out] = iovec{r, 24};
          th[out] = mmsghdr{};
          th[out].msg_hdr.msg_iov = &tiov[out];
          th[out].msg_hdr.msg_iovlen = 1;
          th[out].msg_hdr.msg_name = &server;
          th[out].msg_hdr.msg_namelen = sizeof server;
          ++out;
        }
        kareq.fetch_add(out, std::memory_order_relaxed);
        std::size_t sent = 0;
        while (sent < out) {
          const int s = ::sendmmsg(p.fd, th.data() + sent, static_cast<unsigned>(out - sent), 0);
          if (s <= 0) break;
          sent += static_cast<std::size_t>(s);
        }
        if (static_cast<std::size_t>(n) < batch) break;
      }
    }
  }
}

int run(std::uint16_t port, int members, int sessions, double seconds, int sockets, int conns,
        int threads, int period, int timeout, int miss) {
  // 1. Sessions (open mode), one creator each.
  std::vector<Member> all;
  std::vector<std::unique_ptr<SmConn>> creators;
  for (int s = 0; s < sessions; ++s) {
    auto c = std::make_unique<SmConn>(port);
    const std::string name = "creator-" + std::to_string(s);
    c->queue(gmp::build::screq(name, false));
    c->flush();
    const auto acc = c->read();
    if (acc.type != gmp::SmType::SCACC) throw std::runtime_error("creation refused");
    auto inf = gmp::build::scinf(acc.session, acc.user, false, false, "load " + std::to_string(s));
    inf.options.emplace_back(gmp::opt::Keepalive{gmp::KaUnits{static_cast<std::uint8_t>(period)},
                                                 gmp::KaUnits{static_cast<std::uint8_t>(timeout)},
                                                 static_cast<std::uint8_t>(miss)});
    c->queue(inf);
    c->flush();
    if (c->read().type != gmp::SmType::SCCON) throw std::runtime_error("SCINF refused");
    all.push_back(Member{acc.session, acc.user, name, 0});
    creators.push_back(std::move(c));
  }
  const std::size_t first_member = all.size();
  for (int i = 0; i < members; ++i)
    all.push_back(Member{all[static_cast<std::size_t>(i % sessions)].session, {}, "m" + std::to_string(i), 0});

  // 2. Registration, pipelined over `conns` connections in parallel threads.
  auto pipelined = [&](auto make_request, auto on_answer, bool answered) {
    std::vector<std::thread> threads;
    for (int t = 0; t < conns; ++t) {
      threads.emplace_back([&, t] {
        SmConn c(port);
        std::vector<std::size_t> mine;
        for (std::size_t i = first_member + static_cast<std::size_t>(t); i < all.size(); i += static_cast<std::size_t>(conns))
          mine.push_back(i);
        for (std::size_t k = 0; k < mine.size(); k += batch) {
          const std::size_t end = std::min(mine.size(), k + batch);
          for (std::size_t j = k; j < end; ++j) c.queue(make_request(all[mine[j]]));
          c.flush();
          if (answered)
            for (std::size_t j = k; j < end; ++j) on_answer(all[mine[j]], c.read());
        }
      });
    }
    for (auto& th : threads) th.join();
  };
  const auto t_reg = Steady::now();
  pipelined([](const Member& m) { return gmp::build::srreq(m.session, m.name); },
            [](Member& m, const gmp::SmMessage& a) { m.user = a.user; }, true);
  const double reg_s = seconds_since(t_reg);
  for (std::size_t i = first_member; i < all.size(); ++i)
    if (all[i].user.value == 0) throw std::runtime_error("a registration was refused");

  const auto t_join = Steady::now();
  for (std::size_t s = 0; s < creators.size(); ++s) {
    creators[s]->queue(gmp::build::sjreq(all[s].session, all[s].user));
    creators[s]->flush();
    creators[s]->read();
  }
  pipelined([](const Member& m) { return gmp::build::sjreq(m.session, m.user); },
            [](Member&, const gmp::SmMessage&) {}, true);
  const double join_s = seconds_since(t_join);

  // 3. Activation: UDP sockets first, then SAREQ (no SM answer) for everyone.
  std::vector<int> fds;
  std::vector<std::uint16_t> ports;
  for (int k = 0; k < sockets; ++k) {
    std::uint16_t p = 0;
    fds.push_back(udp_socket(p));
    ports.push_back(p);
  }
  std::atomic<bool> stop{false};
  std::atomic<std::uint64_t> kareq{0}, other{0};
  std::vector<std::thread> resp;  // responder threads, each with its share of the sockets
  for (int t = 0; t < threads; ++t) {
    std::vector<int> mine;
    for (std::size_t k = static_cast<std::size_t>(t); k < fds.size(); k += static_cast<std::size_t>(threads))
      mine.push_back(fds[k]);
    resp.emplace_back([&, mine] { responder(mine, port, stop, kareq, other); });
  }
  const auto t_act = Steady::now();
  for (std::size_t s = 0; s < creators.size(); ++s) {
    creators[s]->queue(gmp::build::sareq(all[s].session, all[s].user, ports[0]));
    creators[s]->flush();
  }
  pipelined([&](const Member& m) {
              const std::size_t k = std::hash<std::string>{}(m.name) % ports.size();
              return gmp::build::sareq(m.session, m.user, ports[k]);
            },
            [](Member&, const gmp::SmMessage&) {}, false);
  const double act_s = seconds_since(t_act);
  std::fprintf(stderr, "activated %zu members\n", all.size());
  std::fflush(stderr);

  // 4. Keepalive: answer for `seconds`.
  const auto t_ka = Steady::now();
  const std::uint64_t before = kareq.load();
  while (seconds_since(t_ka) < seconds) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  const std::uint64_t answered = kareq.load() - before;
  stop = true;
  for (auto& t : resp) t.join();
  for (int fd : fds) ::close(fd);
  std::printf(
      "{\"members\": %d, \"sessions\": %d, \"registrations_per_s\": %.0f, \"registration_s\": %.3f, "
      "\"joins_s\": %.3f, \"activation_s\": %.3f, \"ka_seconds\": %.1f, \"kares_sent\": %llu, "
      "\"kares_per_s\": %.0f, \"other_mm\": %llu}\n",
      members, sessions, members / reg_s, reg_s, join_s, act_s, seconds,
      static_cast<unsigned long long>(answered), answered / seconds,
      static_cast<unsigned long long>(other.load()));
  return 0;
}

// The machine's loopback datagram rate: one thread sends 24-byte datagrams with sendmmsg, the
// other receives with recvmmsg; the received count per second is the figure.
int raw(double seconds) {
  std::uint16_t rport = 0, sport = 0;
  const int rfd = udp_socket(rport);
  const int sfd = udp_socket(sport);
  std::atomic<bool> stop{false};
  std::atomic<std::uint64_t> received{0};
  std::thread rx([&] {
    std::vector<std::uint8_t> buf(batch * 64);
    std::vector<mmsghdr> h(batch);
    std::vector<iovec> iov(batch);
    pollfd p{rfd, POLLIN, 0};
    while (!stop) {
      if (::poll(&p, 1, 50) <= 0) continue;
      for (std::size_t i = 0; i < batch; ++i) {
        iov[i] = iovec{buf.data() + i * 64, 64};
        h[i] = mmsghdr{};
        h[i].msg_hdr.msg_iov = &iov[i];
        h[i].msg_hdr.msg_iovlen = 1;
      }
      const int n = ::recvmmsg(rfd, h.data(), batch, MSG_DONTWAIT, nullptr);
      if (n > 0) received += static_cast<std::uint64_t>(n);
    }
  });
  std::vector<std::uint8_t> payload(24, 0x11);
  sockaddr_in to = loopback(rport);
  std::vector<mmsghdr> h(batch);
  std::vector<iovec> iov(batch);
  for (std::size_t i = 0; i < batch; ++i) {
    iov[i] = iovec{payload.data(), payload.size()};
    h[i].msg_hdr.msg_iov = &iov[i];
    h[i].msg_hdr.msg_iovlen = 1;
    h[i].msg_hdr.msg_name = &to;
    h[i].msg_hdr.msg_namelen = sizeof to;
  }
  std::uint64_t sent = 0;
  const auto t0 = Steady::now();
  const std::uint64_t r0 = received.load();
  while (seconds_since(t0) < seconds) {
    const int s = ::sendmmsg(sfd, h.data(), batch, 0);
    if (s > 0) sent += static_cast<std::uint64_t>(s);
  }
  const double elapsed = seconds_since(t0);
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  stop = true;
  rx.join();
  const std::uint64_t got = received.load() - r0;
  std::printf("{\"raw_seconds\": %.2f, \"datagrams_sent\": %llu, \"datagrams_received\": %llu, "
              "\"received_per_s\": %.0f}\n",
              elapsed, static_cast<unsigned long long>(sent), static_cast<unsigned long long>(got),
              got / elapsed);
  ::close(rfd);
  ::close(sfd);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"gmp-load: load generator for gmp-server (loopback only)", "gmp-load"};
  gmp::app::add_version(app, "gmp-load");
  app.require_subcommand(1);
  auto* r = app.add_subcommand("run", "activate N members and answer their keepalives");
  int port = 16513, members = 1000, sessions = 1, sockets = 8, conns = 2, threads = 2;
  int period = 10, timeout = 5, miss = 1;
  double seconds = 10;
  r->add_option("--port", port, "the server's SM/MM port on 127.0.0.1 (1..65535)")->required()->check(CLI::Range(1, 65535));
  r->add_option("--members", members, "members besides the creators (1..10000000)")->capture_default_str()->check(CLI::Range(1, 10000000));
  r->add_option("--sessions", sessions, "open sessions (1..65535; at most 65535 members each)")->capture_default_str()->check(CLI::Range(1, 65535));
  r->add_option("--seconds", seconds, "how long to answer keepalives (0.1..86400 s)")->capture_default_str()->check(CLI::Range(0.1, 86400.0));
  r->add_option("--sockets", sockets, "UDP sockets shared by the members (1..1024)")->capture_default_str()->check(CLI::Range(1, 1024));
  r->add_option("--tcp-connections", conns, "parallel SM connections for registration (1..1024)")->capture_default_str()->check(CLI::Range(1, 1024));
  r->add_option("--threads", threads, "keepalive responder threads")->capture_default_str()->check(CLI::Range(1, 64));
  r->add_option("--ka-period", period, "KA period, 100 ms units (1..255)")->capture_default_str()->check(CLI::Range(1, 255));
  r->add_option("--ka-timeout", timeout, "KA timeout, 100 ms units (1..255)")->capture_default_str()->check(CLI::Range(1, 255));
  r->add_option("--miss-limit", miss, "miss limit (1..255)")->capture_default_str()->check(CLI::Range(1, 255));
  auto* w = app.add_subcommand("raw", "loopback UDP datagram rate of this machine");
  double raw_seconds = 2;
  w->add_option("--seconds", raw_seconds, "how long to measure (0.1..86400 s)")->capture_default_str()->check(CLI::Range(0.1, 86400.0));
  if (const auto rc = gmp::app::parse(app, argc, argv)) return *rc;
  try {
    if (*r) {
      if (members / sessions > 65000) {
        return gmp::app::usage_error("gmp-load", "--members: too many members per session (at most 65000 per --sessions)");
      }
      return run(static_cast<std::uint16_t>(port), members, sessions, seconds, sockets, conns,
                 threads, period, timeout, miss);
    }
    return raw(raw_seconds);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "gmp-load: %s\n", e.what());
    return 1;
  }
}
