// pcap I/O for GMP captures (libpcap): a writer that synthesizes Ethernet/IPv4/TCP/UDP headers
// (consistent TCP sequence numbers, handshake and FIN, correct IP/UDP/TCP checksums) and a
// reader that turns a pcap or pcapng file into GMP messages (TCP streams reassembled and
// de-framed on the SM port, UDP datagrams on the MM port).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "gmp/types.hpp"

namespace gmp::pcap {

struct Endpoint {
  Ipv4 ip;
  std::uint16_t port = 0;
  friend auto operator<=>(const Endpoint&, const Endpoint&) = default;
  [[nodiscard]] std::string to_string() const;  // "127.0.0.1:16513"
};

using Timestamp = std::chrono::microseconds;  // since 1970-01-01 UTC

/// Writes a classic pcap file (LINKTYPE_ETHERNET). Throws std::runtime_error if the file
/// cannot be opened. Flushes and closes in the destructor (or close()).
class Writer {
 public:
  explicit Writer(const std::string& path);
  ~Writer();
  Writer(const Writer&) = delete;
  Writer& operator=(const Writer&) = delete;

  void udp(Endpoint src, Endpoint dst, std::span<const std::uint8_t> payload, Timestamp ts);
  /// Three-way handshake for a new connection (client -> server).
  void tcp_open(Endpoint client, Endpoint server, Timestamp ts);
  /// A data segment on an open connection (either direction), sequence numbers tracked. If the
  /// connection was never opened, tcp_open is done first implicitly. Payloads above 1460 bytes
  /// are cut into several segments.
  void tcp_data(Endpoint src, Endpoint dst, std::span<const std::uint8_t> payload, Timestamp ts);
  /// FIN/ACK exchange, `closer` first.
  void tcp_close(Endpoint closer, Endpoint peer, Timestamp ts);
  void close();
  [[nodiscard]] std::uint64_t frames() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// One GMP message found in a capture.
struct Record {
  std::uint64_t frame = 0;       // 1-based frame number of the packet that completed it
  Timestamp time{0};
  Endpoint src, dst;
  bool tcp = false;              // true: SM over TCP; false: MM over UDP
  std::vector<std::uint8_t> bytes;  // the GMP message (TCP length prefix removed)
  std::optional<std::string> framing_error;  // e.g. "frame_too_short": stream abandoned
};

struct ReadOptions {
  std::uint16_t port = default_port;  // SM on this TCP port, MM on this UDP port
  std::size_t max_message = 65535;
  // Added: memory bounds of the reader (docs/gmp-decode.md). A stream direction whose
  // out-of-order backlog would pass either limit is abandoned with framing_error "capture_gap".
  std::size_t max_pending_bytes = 256 * 1024;  // out-of-order bytes held per stream direction
  std::size_t max_pending_segments = 256;      // out-of-order segments held per direction
  std::size_t max_streams = 1024;  // TCP stream directions tracked at once; more are ignored
};

/// Added: what the reader skipped or repaired, for notes and --summary.
struct ReadStats {
  std::uint64_t frames = 0;            // packets read from the file
  std::uint64_t not_ipv4 = 0;          // packets that are not IPv4 (IPv6, ARP...): skipped
  std::uint64_t ip_fragments = 0;      // IPv4 fragments: skipped (no IP reassembly)
  std::uint64_t malformed = 0;         // truncated by the snap length or bad IP/TCP/UDP header
  std::uint64_t out_of_order = 0;      // TCP segments held until the gap before them was filled
  std::uint64_t retransmitted = 0;     // TCP segments (wholly) already received: dropped
  std::uint64_t streams_ignored = 0;   // segments of new streams beyond max_streams
  std::uint64_t incomplete_at_end = 0; // stream directions that ended inside a message
};

/// Reads every GMP message of a pcap/pcapng file, in capture order. Throws std::runtime_error
/// with libpcap's message if the file cannot be read.
std::vector<Record> read(const std::string& path, const ReadOptions& options = {});

/// Added: the same, one Record at a time in capture order (nothing is kept after the call
/// returns), with the reader's notes in `stats` when not null.
void read_each(const std::string& path, const ReadOptions& options,
               const std::function<void(const Record&)>& sink, ReadStats* stats = nullptr);

/// Added: one IPv4 address per role (docs/dissector.md, captures/). The server (the endpoint
/// on `port`) becomes `server`; every client, i.e. all the sockets of one member (grouped by
/// the session and user IDs its messages carry and by the MM-PORT of its SAREQ), gets its
/// own address from `first_peer` on, the creator (who sends SCREQ) first, the others in
/// order of appearance. Defaults: the documentation range 192.0.2.0/24 (RFC 5737).
struct RelabelOptions {
  std::uint16_t port = default_port;
  Ipv4 server{0xC0000201};      // 192.0.2.1
  Ipv4 first_peer{0xC000020A};  // 192.0.2.10
};
struct RelabelStats {
  std::uint64_t frames = 0;
  std::size_t lifelines = 0;
};
/// Copies an Ethernet/IPv4 capture (such as the Writer's) from `in` to `out` with those
/// addresses: IP and MAC addresses rewritten, IP/TCP/UDP checksums recomputed, everything
/// else (ports, timestamps, sequence numbers) kept. Throws std::runtime_error.
RelabelStats relabel_lifelines(const std::string& in, const std::string& out,
                               const RelabelOptions& options = {});

}  // namespace gmp::pcap
