// The post-encode seam (post_encode.hpp): the wrappers the linker puts in place of the codec's
// encoders for every caller outside the codec, and the two faults they apply.
#include "post_encode.hpp"

#include <type_traits>

namespace gmp::server {

namespace {

const FaultSet* active = nullptr;  // the faults of the newest live PostEncodeFaults

// bad_checksum_out: every SM message carries a wrong checksum (profile 2).
// option_padding_nonzero: every SM or MM message's options carry a non-zero padding byte
// (profile 4), the checksum right. Applied to one encoded message (SM without its prefix).
void apply(std::span<std::uint8_t> message, bool sm) {
  if (!active) return;
  if (active->has(Fault::option_padding_nonzero)) app::spoil_padding(message, sm);
  if (sm && active->has(Fault::bad_checksum_out)) app::spoil_checksum(message);
}

}  // namespace

PostEncodeFaults::PostEncodeFaults(const FaultSet& faults) : faults_(faults), previous_(active) {
  active = &faults_;
}

PostEncodeFaults::~PostEncodeFaults() {
  if (active == &faults_) active = previous_;
}

}  // namespace gmp::server

// The linker's names for the two codec functions (Itanium mangling of the declarations in
// gmp/message.hpp): __real_X is the codec's own X, __wrap_X what every other caller of X gets.
// The static_asserts stop the build if a signature changes under these names.
static_assert(std::is_same_v<decltype(&gmp::encode_framed), std::vector<std::uint8_t> (*)(const gmp::SmMessage&)>);
static_assert(std::is_same_v<decltype(&gmp::encode_mm),
                             std::size_t (*)(const gmp::MmMessage&, std::vector<std::uint8_t>&)>);

std::vector<std::uint8_t> real_encode_framed(const gmp::SmMessage& m) asm(
    "__real__ZN3gmp13encode_framedERKNS_9SmMessageE");
std::size_t real_encode_mm(const gmp::MmMessage& m, std::vector<std::uint8_t>& out) asm(
    "__real__ZN3gmp9encode_mmERKNS_9MmMessageERSt6vectorIhSaIhEE");
std::vector<std::uint8_t> wrapped_encode_framed(const gmp::SmMessage& m) asm(
    "__wrap__ZN3gmp13encode_framedERKNS_9SmMessageE");
std::size_t wrapped_encode_mm(const gmp::MmMessage& m, std::vector<std::uint8_t>& out) asm(
    "__wrap__ZN3gmp9encode_mmERKNS_9MmMessageERSt6vectorIhSaIhEE");

std::vector<std::uint8_t> wrapped_encode_framed(const gmp::SmMessage& m) {
  std::vector<std::uint8_t> bytes = real_encode_framed(m);
  gmp::server::apply(std::span(bytes).subspan(2), true);  // after the 2-byte length (profile 1)
  return bytes;
}

std::size_t wrapped_encode_mm(const gmp::MmMessage& m, std::vector<std::uint8_t>& out) {
  const std::size_t start = out.size();  // encode_mm appends
  const std::size_t n = real_encode_mm(m, out);
  gmp::server::apply(std::span(out).subspan(start, n), false);
  return n;
}
