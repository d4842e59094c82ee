#include "tcp_stream.hpp"

#include <algorithm>

#include "gmp/error.hpp"
#include "inet.hpp"

namespace gmp::pcap::detail {

TcpStream::TcpStream(const ReadOptions& options)
    : options_(&options), framer_(options.max_message) {}

void TcpStream::start(std::uint32_t first_seq) {
  state_ = State::open;
  framer_ = SmFramer(options_->max_message);
  base_ = first_seq;
  next_ = 0;
  fin_.reset();
  pending_.clear();
  pending_bytes_ = 0;
}

void TcpStream::segment(std::uint32_t seq, std::uint8_t flags,
                        std::span<const std::uint8_t> payload, const SegmentInfo& info,
                        ReadStats& stats, const Sink& sink) {
  if (flags & tcp_syn) {
    start(seq + 1);  // a new connection (or a reused 4-tuple): the SYN takes one number
    seq += 1;
  } else if (state_ == State::fresh) {
    // The capture began after the handshake: assume the first data starts a message.
    if (payload.empty()) return;
    start(seq);
  }
  if (state_ == State::dead) return;
  if (flags & tcp_rst) {
    shut(stats);
    return;
  }
  // Unwrap the 32-bit sequence number around the offset we expect next.
  const auto expected = static_cast<std::uint32_t>(base_ + static_cast<std::uint32_t>(next_));
  const std::int64_t rel = next_ + static_cast<std::int32_t>(seq - expected);
  if (flags & tcp_fin) fin_ = rel + static_cast<std::int64_t>(payload.size());
  if (!payload.empty()) accept(rel, payload, info, stats, sink);
  if (state_ == State::open && fin_ && next_ >= *fin_) shut(stats);
}

void TcpStream::accept(std::int64_t rel, std::span<const std::uint8_t> payload,
                       const SegmentInfo& info, ReadStats& stats, const Sink& sink) {
  const auto len = static_cast<std::int64_t>(payload.size());
  if (rel + len <= next_) {
    ++stats.retransmitted;
    return;
  }
  if (rel > next_) {
    if (pending_bytes_ + payload.size() > options_->max_pending_bytes ||
        pending_.size() >= options_->max_pending_segments) {
      abandon("capture_gap", info, sink);
      return;
    }
    ++stats.out_of_order;
    auto& slot = pending_[rel];
    if (slot.size() < payload.size()) {
      pending_bytes_ += payload.size() - slot.size();
      slot.assign(payload.begin(), payload.end());
    }
    return;
  }
  deliver(payload.subspan(static_cast<std::size_t>(next_ - rel)), info, sink);
  next_ = rel + len;
  // Drain the held segments the new data reached.
  while (state_ == State::open && !pending_.empty() && pending_.begin()->first <= next_) {
    auto node = pending_.extract(pending_.begin());
    pending_bytes_ -= node.mapped().size();
    const std::int64_t end = node.key() + static_cast<std::int64_t>(node.mapped().size());
    if (end > next_) {
      deliver(std::span(node.mapped()).subspan(static_cast<std::size_t>(next_ - node.key())), info,
              sink);
      next_ = end;
    }
  }
}

void TcpStream::deliver(std::span<const std::uint8_t> bytes, const SegmentInfo& info,
                        const Sink& sink) {
  // Feed at most one largest frame at a time and drain: the framer then never holds more
  // than one partial message plus one chunk, well below its buffered_limit().
  const std::size_t chunk = options_->max_message + 2;
  while (state_ == State::open && !bytes.empty()) {
    const auto part = bytes.first(std::min(bytes.size(), chunk));
    bytes = bytes.subspan(part.size());
    if (!framer_.feed(part)) {
      abandon("frame_too_large", info, sink);
      return;
    }
    for (;;) {
      std::span<const std::uint8_t> frame;
      const auto status = framer_.next(frame);
      if (status == SmFramer::Status::need_more) break;
      if (status == SmFramer::Status::error) {
        const auto ec = framer_.error();
        abandon(ec.category() == decode_category()
                    ? std::string(error_name(static_cast<DecodeError>(ec.value())))
                    : ec.message(),
                info, sink);
        return;
      }
      sink(record_of(info, true, frame));
    }
  }
}

Record record_of(const SegmentInfo& info, bool tcp, std::span<const std::uint8_t> bytes) {
  Record r;
  r.frame = info.frame;
  r.time = info.time;
  r.src = info.src;
  r.dst = info.dst;
  r.tcp = tcp;
  r.bytes.assign(bytes.begin(), bytes.end());
  return r;
}

void TcpStream::abandon(const std::string& why, const SegmentInfo& info, const Sink& sink) {
  Record r = record_of(info, true, {});
  r.framing_error = why;
  state_ = State::dead;
  framer_ = SmFramer(options_->max_message);
  pending_.clear();
  pending_bytes_ = 0;
  sink(r);
}

void TcpStream::shut(ReadStats& stats) {
  if (framer_.buffered() > 0 || !pending_.empty()) ++stats.incomplete_at_end;
  state_ = State::dead;
  framer_ = SmFramer(options_->max_message);
  pending_.clear();
  pending_bytes_ = 0;
}

void TcpStream::finish(ReadStats& stats) {
  if (state_ == State::open) shut(stats);
}

}  // namespace gmp::pcap::detail
