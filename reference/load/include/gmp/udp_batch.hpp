// Batched UDP with generic segmentation offload, shared by the server shell and the load
// engine. Linux lets one system call carry many datagrams (sendmmsg/recvmmsg); with UDP GSO a
// sender hands the kernel one "super-packet" of equal-size datagrams for one destination
// (cmsg UDP_SEGMENT = the segment size), and with UDP GRO a receiver takes such a train back
// in one buffer (cmsg UDP_GRO = the segment size). The kernel still treats every segment as
// its own UDP datagram: on the wire, in a capture and for a peer nothing changes; only the
// number of trips through the kernel's UDP path does (the limit of the KA-round rate,
// docs/performance.md).
//
// The planning and splitting are pure functions (tested without sockets); the two classes
// below wrap the system calls and fall back to one datagram per message when the kernel
// refuses the offload (before 4.18 for GSO, 5.0 for GRO; or a device without it).
#pragma once

#include <netinet/in.h>
#include <sys/socket.h>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>
#include <vector>

namespace gmp::udp {

/// Segments per GSO message: UDP_MAX_SEGMENTS of every kernel with GSO (later ones take 128).
inline constexpr std::size_t max_segments = 64;
/// Payload bytes per GSO message: one IPv4 datagram (65,535) less the IP and UDP headers.
inline constexpr std::size_t max_super_bytes = 65535 - 20 - 8;
/// A receive buffer that holds any datagram or any GRO train.
inline constexpr std::size_t gro_buffer = 65536;

/// One outgoing datagram as far as planning cares: where it goes and how long it is.
struct Item {
  std::uint64_t dest = 0;  // any key equal for equal destinations (address and port)
  std::size_t length = 0;
};

/// `count` datagrams sent as one message: order[first .. first + count), each `segment` bytes
/// except the last, which may be shorter (a GSO train may end with a short segment).
struct Group {
  std::size_t first = 0;
  std::size_t count = 0;
  std::size_t segment = 0;
};

struct Plan {
  std::vector<std::size_t> order;  // indices into the items, in sending order
  std::vector<Group> groups;
};

/// Groups a batch for GSO: the datagrams of each destination are gathered (a stable order:
/// each destination still receives its datagrams in the order they were queued; the order
/// between different destinations carries no meaning for UDP), then cut into trains of equal
/// length, at most `segments` datagrams and `bytes` payload bytes each. `segments` 1 gives
/// one datagram per group in the original order (no GSO).
void plan(std::span<const Item> items, Plan& out, std::size_t segments = max_segments,
          std::size_t bytes = max_super_bytes);

/// The datagrams of a received buffer of `length` bytes: `segment` is the UDP_GRO cmsg value
/// (0 when there was none: one datagram). Calls `each(offset, length)` for each, in order.
void split(std::size_t length, std::size_t segment, const std::function<void(std::size_t, std::size_t)>& each);

/// Sends batches of datagrams with sendmmsg, each group of a plan as one GSO message.
class Sender {
 public:
  struct Datagram {
    sockaddr_in to;
    const std::uint8_t* data;
    std::size_t length;
  };
  struct Outcome {
    std::size_t sent = 0;     // datagrams the kernel took
    std::size_t dropped = 0;  // datagrams given up (an error, or the socket stayed full)
  };
  /// `gso` false: never try the offload. Otherwise the socket is probed (setsockopt
  /// UDP_SEGMENT 0) and the offload used while the kernel accepts it.
  Sender(int fd, bool gso);
  [[nodiscard]] bool gso() const { return gso_; }
  /// Sends every datagram. On EAGAIN, `blocked()` is asked whether to try again (it may wait
  /// for room); when it says no, the rest of that message is dropped. A GSO message the
  /// kernel refuses is sent again one datagram at a time (and EINVAL/EIO/ENOPROTOOPT turn the
  /// offload off for good), so a refusal never loses more than plain sends would.
  Outcome send(std::span<const Datagram> batch, const std::function<bool()>& blocked);
  /// System calls made so far (sendmmsg), for measurement.
  [[nodiscard]] std::uint64_t calls() const { return calls_; }

 private:
  Outcome send_planned(std::span<const Datagram> batch, const std::function<bool()>& blocked);
  int fd_;
  bool gso_;
  std::uint64_t calls_ = 0;
  std::vector<Item> items_;
  Plan plan_;
  std::vector<mmsghdr> hdr_;
  std::vector<iovec> iov_;
  std::vector<sockaddr_in> to_;
  std::vector<std::uint8_t> control_;
};

/// Receives with recvmmsg into `slots` buffers; with GRO (when the kernel accepts UDP_GRO)
/// each buffer may hold a train of datagrams from one source, split again by split().
class Receiver {
 public:
  /// `limit`: the largest datagram the caller takes; a longer one is reported truncated.
  /// Without GRO a buffer is `limit` bytes (the kernel truncates longer datagrams); with it a
  /// buffer is gro_buffer bytes.
  Receiver(int fd, std::size_t slots, std::size_t limit, bool gro);
  [[nodiscard]] bool gro() const { return gro_; }
  /// One recvmmsg (non-blocking). Calls `each(source, datagram, truncated)` for every
  /// datagram received, in arrival order; returns how many messages the call returned
  /// (0 when none was queued, -1 on an error), so `== slots()` means "more may be waiting".
  int receive(const std::function<void(const sockaddr_in&, std::span<const std::uint8_t>, bool)>& each);
  [[nodiscard]] std::size_t slots() const { return slots_; }

 private:
  int fd_;
  std::size_t slots_, limit_, size_;
  bool gro_;
  std::vector<std::uint8_t> buf_;
  std::vector<mmsghdr> hdr_;
  std::vector<iovec> iov_;
  std::vector<sockaddr_in> from_;
  std::vector<std::uint8_t> control_;
};

/// A key for Item::dest from an IPv4 socket address.
inline std::uint64_t key(const sockaddr_in& a) {
  return (std::uint64_t{a.sin_addr.s_addr} << 16) | a.sin_port;
}

}  // namespace gmp::udp
