// Incremental TCP framer for SM (profile 1): 2-byte length prefix, then the SM message.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <system_error>
#include <vector>

#include "gmp/error.hpp"
#include "gmp/types.hpp"

namespace gmp {

class SmFramer {
 public:
  enum class Status { frame, need_more, error };

  /// `max_message` bounds one SM message (prefix excluded) and so the bytes buffered.
  explicit SmFramer(std::size_t max_message = default_max_sm_size);

  /// Appends received bytes. Bytes beyond one pending message are kept, up to
  /// buffered_limit(); feeding more than room() returns false and keeps nothing (the caller
  /// closes: the peer outran the bound).
  bool feed(std::span<const std::uint8_t> bytes);

  /// Takes the next whole message out. On Status::frame, `frame` views the SM message (without
  /// prefix) and stays valid until the next call to feed() or next(). On Status::error the
  /// framer stays in error (error() says why); the connection must be closed.
  Status next(std::span<const std::uint8_t>& frame);

  [[nodiscard]] std::error_code error() const { return error_; }
  [[nodiscard]] std::size_t buffered() const { return buf_.size() - pos_; }
  [[nodiscard]] std::size_t buffered_limit() const { return 4 * (max_ + 2); }
  /// How many bytes feed() accepts now: read at most this much from the socket at a time,
  /// taking whole frames out with next() in between, so that a pipelining peer is never refused.
  [[nodiscard]] std::size_t room() const { return buffered_limit() - buffered(); }

 private:
  std::size_t max_;
  std::vector<std::uint8_t> buf_;
  std::size_t pos_ = 0;
  std::error_code error_;
};

}  // namespace gmp
