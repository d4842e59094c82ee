#include "os_random.hpp"

#include <sys/random.h>

#include <cerrno>
#include <stdexcept>

namespace gmp::server {

void OsRandom::fill(std::span<std::uint8_t> out) {
  std::size_t done = 0;
  while (done < out.size()) {
    const ssize_t n = ::getrandom(out.data() + done, out.size() - done, 0);
    if (n < 0) {
      if (errno == EINTR) continue;
      throw std::runtime_error("getrandom failed");
    }
    done += static_cast<std::size_t>(n);
  }
}

std::uint64_t OsRandom::next_u64() {
  std::uint64_t v = 0;
  fill(std::span<std::uint8_t>(reinterpret_cast<std::uint8_t*>(&v), sizeof v));
  return v;
}

}  // namespace gmp::server
