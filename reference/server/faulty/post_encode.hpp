// The faulty build's post-encode seam: the faults that only exist on the wire. The codec's
// encoder always writes a right SM checksum (profile 2) and zero option padding (profile 4), so
// no typed message the output filter hands on can carry those faults; they must be applied to
// the bytes, after encoding. The shell encodes what the core polls (`encode_framed` for SM,
// `encode_mm` for MM); gmp_server_faulty asks the linker to route the calls other objects make
// to those two codec functions through this layer's wrappers (`--wrap`, see
// reference/server/CMakeLists.txt). The shipped shell and codec are unchanged; gmp-server,
// which does not link the fault layer, encodes exactly as before.
#pragma once

#include "faults.hpp"

namespace gmp::server {

/// While an instance lives, the wrapped encoders apply the post-encode faults of `faults`
/// (bad_checksum_out, option_padding_nonzero). Process-wide: the faulty server is the only
/// encoder user of gmp-server-faulty; with several alive, the newest one's set applies.
class PostEncodeFaults {
 public:
  explicit PostEncodeFaults(const FaultSet& faults);
  ~PostEncodeFaults();
  PostEncodeFaults(const PostEncodeFaults&) = delete;
  PostEncodeFaults& operator=(const PostEncodeFaults&) = delete;

 private:
  const FaultSet& faults_;
  const FaultSet* previous_;
};

}  // namespace gmp::server
