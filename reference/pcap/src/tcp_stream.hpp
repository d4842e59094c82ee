// Internal: one direction of a TCP connection on the SM port, reassembled and de-framed
// (profile 1: 2-byte length prefix, then the SM message). Memory is bounded: the SM framer
// holds at most one partial message, and out-of-order segments are held up to
// ReadOptions::max_pending_bytes / max_pending_segments, beyond which the direction is
// abandoned with framing_error "capture_gap".
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "gmp/framer.hpp"
#include "gmp/pcap.hpp"

namespace gmp::pcap::detail {

using Sink = std::function<void(const Record&)>;

/// Where a segment came from, copied into the records it completes.
struct SegmentInfo {
  std::uint64_t frame = 0;
  Timestamp time{0};
  Endpoint src, dst;
};

/// The Record of a message that packet `info` carried (or completed): frame, time, endpoints,
/// transport, and the message bytes.
Record record_of(const SegmentInfo& info, bool tcp, std::span<const std::uint8_t> bytes);

class TcpStream {
 public:
  explicit TcpStream(const ReadOptions& options);

  /// One TCP segment of this direction (sequence number, flags, payload).
  void segment(std::uint32_t seq, std::uint8_t flags, std::span<const std::uint8_t> payload,
               const SegmentInfo& info, ReadStats& stats, const Sink& sink);
  /// End of the capture: counts a direction left inside a message.
  void finish(ReadStats& stats);
  /// Closed by FIN or RST, or abandoned: holds no buffer, ignores everything but a new SYN.
  [[nodiscard]] bool dead() const { return state_ == State::dead; }

 private:
  enum class State { fresh, open, dead };
  void start(std::uint32_t first_seq);
  void accept(std::int64_t rel, std::span<const std::uint8_t> payload, const SegmentInfo& info,
              ReadStats& stats, const Sink& sink);
  void deliver(std::span<const std::uint8_t> bytes, const SegmentInfo& info, const Sink& sink);
  void abandon(const std::string& why, const SegmentInfo& info, const Sink& sink);
  void shut(ReadStats& stats);

  const ReadOptions* options_;
  State state_ = State::fresh;
  SmFramer framer_;
  std::uint32_t base_ = 0;                                     // sequence number of stream byte 0
  std::int64_t next_ = 0;                                      // next stream offset expected
  std::optional<std::int64_t> fin_;                            // stream offset of the FIN
  std::map<std::int64_t, std::vector<std::uint8_t>> pending_;  // out of order, by offset
  std::size_t pending_bytes_ = 0;
};

}  // namespace gmp::pcap::detail
