// The SM binding over TCP (profile section 1): a 2-byte length, then the SM message.
#include "gmp/framer.hpp"

namespace gmp {

SmFramer::SmFramer(std::size_t max_message) : max_(max_message) {}

bool SmFramer::feed(std::span<const std::uint8_t> bytes) {
  if (pos_ == buf_.size()) {
    buf_.clear();
    pos_ = 0;
  } else if (pos_ > 0 && pos_ >= buf_.size() / 2) {
    buf_.erase(buf_.begin(), buf_.begin() + static_cast<std::ptrdiff_t>(pos_));
    pos_ = 0;
  }
  if (buffered() + bytes.size() > buffered_limit()) return false;
  buf_.insert(buf_.end(), bytes.begin(), bytes.end());
  return true;
}

SmFramer::Status SmFramer::next(std::span<const std::uint8_t>& frame) {
  if (error_) return Status::error;
  if (buffered() < 2) return Status::need_more;
  const std::size_t len = (std::size_t{buf_[pos_]} << 8) | buf_[pos_ + 1];
  DecodeError e = DecodeError::ok;
  if (len < header_size) e = DecodeError::frame_too_short;
  else if (len % 4) e = DecodeError::frame_not_aligned;
  else if (len > max_) e = DecodeError::frame_too_large;
  if (e != DecodeError::ok) {
    error_ = make_error_code(e);
    return Status::error;
  }
  if (buffered() < 2 + len) return Status::need_more;
  frame = std::span<const std::uint8_t>(buf_).subspan(pos_ + 2, len);
  pos_ += 2 + len;
  return Status::frame;
}

}  // namespace gmp
