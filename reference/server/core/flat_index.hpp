// An open-addressing (linear probing) multimap from a 32-bit key to a 32-bit slot number: the
// member tables' indexes by user ID and by name hash. 8 bytes per entry, no node allocation,
// no erase (members stay until their session ends).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

namespace gmp::server::detail {

class FlatIndex {
 public:
  /// First value stored under `key` for which `pred(value)` holds.
  template <class Pred>
  [[nodiscard]] std::optional<std::uint32_t> find(std::uint32_t key, Pred pred) const {
    if (table_.empty()) return std::nullopt;
    const std::size_t mask = table_.size() - 1;
    for (std::size_t i = bucket(key);; i = (i + 1) & mask) {
      const Entry& e = table_[i];
      if (e.value == empty) return std::nullopt;
      if (e.key == key && pred(e.value)) return e.value;
    }
  }

  void insert(std::uint32_t key, std::uint32_t value) {
    if ((size_ + 1) * 10 > table_.size() * 7) grow();
    place(key, value);
    ++size_;
  }

  [[nodiscard]] std::size_t size() const { return size_; }
  [[nodiscard]] std::size_t bytes() const { return table_.capacity() * sizeof(Entry); }

 private:
  struct Entry {
    std::uint32_t key;
    std::uint32_t value;
  };
  static constexpr std::uint32_t empty = 0xFFFFFFFFu;

  [[nodiscard]] std::size_t bucket(std::uint32_t key) const {
    return static_cast<std::size_t>((key * 0x9E3779B1u) >> shift_) & (table_.size() - 1);
  }
  void place(std::uint32_t key, std::uint32_t value) {
    const std::size_t mask = table_.size() - 1;
    std::size_t i = bucket(key);
    while (table_[i].value != empty) i = (i + 1) & mask;
    table_[i] = Entry{key, value};
  }
  void grow() {
    std::vector<Entry> old;
    old.swap(table_);
    const std::size_t n = old.empty() ? 16 : old.size() * 2;
    table_.assign(n, Entry{0, empty});
    shift_ = 32;
    for (std::size_t s = n; s > 1; s >>= 1) --shift_;
    for (const Entry& e : old)
      if (e.value != empty) place(e.key, e.value);
  }

  std::vector<Entry> table_;
  std::size_t size_ = 0;
  unsigned shift_ = 32;
};

}  // namespace gmp::server::detail
