#include "gmp/udp_batch.hpp"

#include <netinet/udp.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <numeric>

namespace gmp::udp {

namespace {

// A segment must fit one frame of the path's device, or the kernel refuses the whole train
// (EINVAL): 1472 is an Ethernet MTU less the IPv4 and UDP headers. Every MM message fits
// (profile 3: at most 1200 bytes); a longer datagram simply goes alone.
constexpr std::size_t max_segment = 1500 - 20 - 8;

constexpr std::size_t send_control = CMSG_SPACE(sizeof(std::uint16_t));
constexpr std::size_t recv_control = CMSG_SPACE(sizeof(int));
constexpr std::size_t messages_per_call = 256;

bool offload_refused(int e) { return e == EINVAL || e == EIO || e == ENOPROTOOPT || e == EOPNOTSUPP; }

}  // namespace

void plan(std::span<const Item> items, Plan& out, std::size_t segments, std::size_t bytes) {
  const std::size_t n = items.size();
  out.order.resize(n);
  std::iota(out.order.begin(), out.order.end(), std::size_t{0});
  out.groups.clear();
  if (segments > 1)
    std::stable_sort(out.order.begin(), out.order.end(),
                     [&](std::size_t a, std::size_t b) { return items[a].dest < items[b].dest; });
  for (std::size_t k = 0; k < n;) {
    const Item& head = items[out.order[k]];
    Group g{k, 1, head.length};
    std::size_t total = head.length;
    const bool trains = segments > 1 && head.length > 0 && head.length <= max_segment;
    while (trains && g.count < segments && k + g.count < n) {
      const Item& next = items[out.order[k + g.count]];
      if (next.dest != head.dest || next.length == 0 || next.length > g.segment || total + next.length > bytes) break;
      total += next.length;
      ++g.count;
      if (next.length < g.segment) break;  // a shorter segment can only end a train
    }
    out.groups.push_back(g);
    k += g.count;
  }
}

void split(std::size_t length, std::size_t segment, const std::function<void(std::size_t, std::size_t)>& each) {
  if (segment == 0 || segment >= length) {
    each(0, length);
    return;
  }
  for (std::size_t off = 0; off < length; off += segment) each(off, std::min(segment, length - off));
}

Sender::Sender(int fd, bool gso) : fd_(fd), gso_(false) {
  if (!gso) return;
  int zero = 0;  // accepted by every kernel with UDP GSO; sets no default segment size
  gso_ = ::setsockopt(fd, IPPROTO_UDP, UDP_SEGMENT, &zero, sizeof zero) == 0;
}

Sender::Outcome Sender::send(std::span<const Datagram> batch, const std::function<bool()>& blocked) {
  items_.resize(batch.size());
  for (std::size_t i = 0; i < batch.size(); ++i) items_[i] = Item{key(batch[i].to), batch[i].length};
  plan(items_, plan_, gso_ ? max_segments : 1);
  return send_planned(batch, blocked);
}

Sender::Outcome Sender::send_planned(std::span<const Datagram> batch, const std::function<bool()>& blocked) {
  Outcome out;
  const auto& groups = plan_.groups;
  const std::size_t segments = groups.empty() ? 0 : std::max_element(groups.begin(), groups.end(), [](const Group& a, const Group& b) {
                                 return a.count < b.count;
                               })->count;
  hdr_.resize(messages_per_call);
  to_.resize(messages_per_call);
  iov_.resize(messages_per_call * std::max<std::size_t>(segments, 1));
  control_.assign(messages_per_call * send_control, 0);
  for (std::size_t g0 = 0; g0 < groups.size();) {
    const std::size_t m = std::min(messages_per_call, groups.size() - g0);
    for (std::size_t j = 0; j < m; ++j) {
      const Group& g = groups[g0 + j];
      iovec* iov = &iov_[j * segments];
      for (std::size_t s = 0; s < g.count; ++s) {
        const Datagram& d = batch[plan_.order[g.first + s]];
        iov[s] = iovec{const_cast<std::uint8_t*>(d.data), d.length};
      }
      to_[j] = batch[plan_.order[g.first]].to;
      msghdr& h = hdr_[j].msg_hdr;
      h = msghdr{};
      h.msg_name = &to_[j];
      h.msg_namelen = sizeof(sockaddr_in);
      h.msg_iov = iov;
      h.msg_iovlen = g.count;
      if (g.count > 1) {
        h.msg_control = &control_[j * send_control];
        h.msg_controllen = send_control;
        cmsghdr* c = CMSG_FIRSTHDR(&h);
        c->cmsg_level = IPPROTO_UDP;
        c->cmsg_type = UDP_SEGMENT;
        c->cmsg_len = CMSG_LEN(sizeof(std::uint16_t));
        const auto seg = static_cast<std::uint16_t>(g.segment);
        std::memcpy(CMSG_DATA(c), &seg, sizeof seg);
      }
    }
    std::size_t k = 0;
    while (k < m) {
      ++calls_;
      const int r = ::sendmmsg(fd_, hdr_.data() + k, static_cast<unsigned>(m - k), MSG_DONTWAIT);
      if (r > 0) {
        for (std::size_t j = k; j < k + static_cast<std::size_t>(r); ++j) out.sent += groups[g0 + j].count;
        k += static_cast<std::size_t>(r);
        continue;
      }
      const int e = errno;
      const Group& g = groups[g0 + k];
      if (e == EAGAIN || e == EWOULDBLOCK) {
        if (blocked()) continue;
        out.dropped += g.count;
      } else if (g.count > 1) {
        // The train was refused: its datagrams go one by one, as without the offload.
        if (offload_refused(e)) gso_ = false;
        for (std::size_t s = 0; s < g.count; ++s) {
          msghdr one{};
          iovec v = hdr_[k].msg_hdr.msg_iov[s];
          one.msg_name = &to_[k];
          one.msg_namelen = sizeof(sockaddr_in);
          one.msg_iov = &v;
          one.msg_iovlen = 1;
          ++calls_;
          ssize_t sent = ::sendmsg(fd_, &one, MSG_DONTWAIT);
          while (sent < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) && blocked()) sent = ::sendmsg(fd_, &one, MSG_DONTWAIT);
          ++(sent >= 0 ? out.sent : out.dropped);
        }
      } else {
        ++out.dropped;  // an unreachable peer (ICMP): UDP may lose it
      }
      ++k;
    }
    g0 += m;
  }
  return out;
}

Receiver::Receiver(int fd, std::size_t slots, std::size_t limit, bool gro)
    : fd_(fd), slots_(slots), limit_(limit), size_(limit), gro_(false) {
  if (gro) {
    int one = 1;
    gro_ = ::setsockopt(fd, IPPROTO_UDP, UDP_GRO, &one, sizeof one) == 0;
  }
  if (gro_) size_ = gro_buffer;
  buf_.resize(slots_ * size_);
  hdr_.resize(slots_);
  iov_.resize(slots_);
  from_.resize(slots_);
  control_.resize(slots_ * recv_control);
}

int Receiver::receive(const std::function<void(const sockaddr_in&, std::span<const std::uint8_t>, bool)>& each) {
  for (std::size_t i = 0; i < slots_; ++i) {
    iov_[i] = iovec{buf_.data() + i * size_, size_};
    msghdr& h = hdr_[i].msg_hdr;
    h = msghdr{};
    h.msg_iov = &iov_[i];
    h.msg_iovlen = 1;
    h.msg_name = &from_[i];
    h.msg_namelen = sizeof(sockaddr_in);
    if (gro_) {
      h.msg_control = &control_[i * recv_control];
      h.msg_controllen = recv_control;
    }
  }
  const int n = ::recvmmsg(fd_, hdr_.data(), static_cast<unsigned>(slots_), MSG_DONTWAIT, nullptr);
  for (int i = 0; i < n; ++i) {
    const std::size_t k = static_cast<std::size_t>(i);
    const msghdr& h = hdr_[k].msg_hdr;
    const std::uint8_t* base = buf_.data() + k * size_;
    const std::size_t len = std::min<std::size_t>(hdr_[k].msg_len, size_);
    if (h.msg_flags & MSG_TRUNC) {
      each(from_[k], std::span<const std::uint8_t>(base, len), true);
      continue;
    }
    std::size_t segment = 0;
    for (const cmsghdr* c = gro_ ? CMSG_FIRSTHDR(&h) : nullptr; c != nullptr; c = CMSG_NXTHDR(const_cast<msghdr*>(&h), const_cast<cmsghdr*>(c))) {
      if (c->cmsg_level == IPPROTO_UDP && c->cmsg_type == UDP_GRO) {
        int v = 0;
        std::memcpy(&v, CMSG_DATA(c), sizeof v);
        segment = v > 0 ? static_cast<std::size_t>(v) : 0;
      }
    }
    split(len, segment, [&](std::size_t off, std::size_t l) {
      each(from_[k], std::span<const std::uint8_t>(base + off, std::min(l, limit_)), l > limit_);
    });
  }
  return n < 0 ? (errno == EAGAIN || errno == EWOULDBLOCK ? 0 : -1) : n;
}

}  // namespace gmp::udp
