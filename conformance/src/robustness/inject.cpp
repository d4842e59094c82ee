#include "inject.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <stdexcept>

#include <fmt/format.h>

#include "lifeline.hpp"
#include "msgbuild.hpp"

namespace conform::robustness {

namespace {

std::uint64_t mix(std::uint64_t x) {  // splitmix64 finaliser
  x += 0x9E3779B97F4A7C15ull;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
  return x ^ (x >> 31);
}

/// A framing anomaly as it goes on the wire: its own length prefix, then the message.
std::vector<std::uint8_t> framed(const Anomaly& a) {
  std::vector<std::uint8_t> frame(a.bytes.size() + 2);
  frame[0] = static_cast<std::uint8_t>(a.prefix_override >> 8);
  frame[1] = static_cast<std::uint8_t>(a.prefix_override & 0xFF);
  std::copy(a.bytes.begin(), a.bytes.end(), frame.begin() + 2);
  return frame;
}

}  // namespace

std::string check_closes(const Target& t, const std::vector<const Anomaly*>& closes, double window_ms) {
  sockaddr_in sa{};
  sa.sin_family = AF_INET;
  sa.sin_port = htons(t.sm_port);
  if (inet_pton(AF_INET, t.sm_host.c_str(), &sa.sin_addr) != 1) return "robustness: bad SM address " + t.sm_host;
  std::vector<pollfd> fds;
  std::string why;
  for (const Anomaly* a : closes) {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0 || ::connect(fd, reinterpret_cast<const sockaddr*>(&sa), sizeof sa) != 0) {
      if (fd >= 0) ::close(fd);
      why = a->id + ": the server no longer accepts a new connection";
      break;
    }
    const std::vector<std::uint8_t> frame = framed(*a);
    (void)::send(fd, frame.data(), frame.size(), MSG_NOSIGNAL);
    fds.push_back({fd, POLLIN, 0});
  }
  const auto end = std::chrono::steady_clock::now() + std::chrono::microseconds(static_cast<long long>(window_ms * 1000));
  std::vector<bool> closed(fds.size(), false);
  for (std::size_t open = fds.size(); why.empty() && open > 0;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(end - std::chrono::steady_clock::now()).count();
    if (left <= 0 || ::poll(fds.data(), fds.size(), static_cast<int>(left)) == 0) {
      for (std::size_t i = 0; i < fds.size(); ++i)
        if (!closed[i]) {
          why = fmt::format("{}: the server did not close the connection within {:.0f} ms (profile 1: a framing "
                            "error closes it)", closes[i]->id, window_ms);
          break;
        }
      break;
    }
    for (std::size_t i = 0; i < fds.size(); ++i) {
      if (closed[i] || fds[i].revents == 0) continue;
      std::uint8_t buf[512];
      const ssize_t n = ::recv(fds[i].fd, buf, sizeof buf, 0);
      if (n > 0) {
        why = closes[i]->id + ": the server answered a framing error instead of closing the connection";
        break;
      }
      if (n == 0 || errno != EINTR) {
        closed[i] = true;
        fds[i].events = 0;
        fds[i].fd = -fds[i].fd - 1;  // poll skips negative descriptors
        --open;
      }
    }
  }
  for (auto& p : fds) ::close(p.fd < 0 ? -p.fd - 1 : p.fd);
  if (why.empty() && !closes.empty()) {  // and the server still takes a new connection
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0 || ::connect(fd, reinterpret_cast<const sockaddr*>(&sa), sizeof sa) != 0)
      why = closes.back()->id + ": the server no longer accepts a new connection after it";
    if (fd >= 0) ::close(fd);
  }
  return why;
}

std::uint64_t step_seed(std::uint64_t seed, const std::string& tp_id, std::size_t index) {
  std::uint64_t h = 1469598103934665603ull;  // FNV-1a of the purpose's ID
  for (unsigned char c : tp_id) h = (h ^ c) * 1099511628211ull;
  return mix(mix(seed) ^ h ^ mix(index));
}

std::vector<Anomaly> anomalies_of(const SendHook& h, std::uint64_t seed, const std::string& tp_id, Side side) {
  // Messages sent the wrong way (robustness purposes) are anomalies already: left alone.
  const Channel ch = h.out.tcp ? Channel::sm : Channel::mm;
  if (!h.out.prefixed || to_server(h.out.bytes, ch) != (side == Side::server)) return {};
  return derive(h.out.bytes, ch, step_seed(seed, tp_id, h.index));
}

std::function<std::string(SendHook&)> injector(Injection plan, std::uint64_t seed, std::string tp_id, Side side,
                                               Target target, double close_window_ms, std::shared_ptr<Sent> sent) {
  return [plan = std::move(plan), seed, tp_id = std::move(tp_id), side, target = std::move(target), close_window_ms,
          sent = std::move(sent)](SendHook& h) -> std::string {
    auto it = plan.find(h.index);
    if (it == plan.end()) return "";
    const std::vector<Anomaly> all = anomalies_of(h, seed, tp_id, side);
    std::vector<const Anomaly*> discards, closes;
    const Anomaly* instead = nullptr;
    for (const auto& id : it->second) {
      const Anomaly* a = nullptr;
      for (const auto& x : all)
        if (x.id == id) a = &x;
      if (!a)  // a tester error (verdict error), not a finding
        throw std::runtime_error(fmt::format("robustness: anomaly {} is not derived from typed send #{} in this "
                                             "run (a wrong ID, or the message changed shape)", id, h.index));
      if (a->expect == Expect::discard) discards.push_back(a);
      else if (a->expect == Expect::close) closes.push_back(a);
      else instead = a;
    }
    for (const Anomaly* a : discards) {
      h.send_before(a->bytes);
      sent->items.emplace_back(h.index, a->id);
    }
    for (const Anomaly* a : closes) sent->items.emplace_back(h.index, a->id);
    if (side == Side::client && !closes.empty()) {
      if (closes.size() > 1 || instead)  // a tester error: the plan gives a framing error a run of its own
        throw std::runtime_error("robustness: one framing error per client case run, and nothing in its place");
      h.out.bytes = framed(*closes[0]);
      h.out.prefixed = false;
      h.close_within_ms = close_window_ms;
      return "";
    }
    if (!closes.empty())
      if (std::string why = check_closes(target, closes, close_window_ms); !why.empty()) return why;
    if (instead) {
      h.out.bytes = instead->bytes;
      sent->items.emplace_back(h.index, instead->id);
    }
    return "";
  };
}

}  // namespace conform::robustness
