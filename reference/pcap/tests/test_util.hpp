// Helpers for the gmp_pcap tests: temporary files, raw frames through libpcap, and the two
// worked examples of the profile appendix.
#pragma once

#include <gtest/gtest.h>
#include <pcap/pcap.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <cstdio>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include "gmp/pcap.hpp"

namespace gmp::pcap::test {

using Bytes = std::vector<std::uint8_t>;

inline std::string temp_path(const std::string& stem) {
  static std::atomic<int> n{0};
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  std::string name = info->name();
  for (char& ch : name)
    if (ch == '/') ch = '_';
  return ::testing::TempDir() + "gmp_pcap_" + name + "_" + stem + "_" + std::to_string(::getpid()) +
         "_" + std::to_string(n++);
}

/// A file removed at the end of the test.
struct TempFile {
  explicit TempFile(const std::string& stem) : path(temp_path(stem)) {}
  ~TempFile() { std::remove(path.c_str()); }
  std::string path;
};

inline Endpoint ep(std::uint8_t last, std::uint16_t port) {
  return Endpoint{Ipv4{0x7F000000u | last}, port};
}

/// Appendix: SCREQ, secure, CLIENT-NAME "alice" (24 bytes).
inline Bytes screq_alice() {
  return {0x14, 0x01, 0xbb, 0x29, 0,    0,    0,    0,    0,    0,    0,    0,
          0,    0,    0,    0,    0x01, 0x05, 0x61, 0x6c, 0x69, 0x63, 0x65, 0x00};
}
/// Appendix: KAREQ, closed session 0x3a5c, user 0xc0de, round 7 (24 bytes).
inline Bytes kareq_example() {
  return {0x11, 0x88, 0x13, 0x8c, 0x3a, 0x5c, 0xc0, 0xde, 0xef, 0xff, 0x0a, 0x14,
          0x0a, 0x05, 0x00, 0x00, 0x13, 0x04, 0x00, 0x00, 0x00, 0x07, 0x00, 0x00};
}
/// A message-shaped blob of `size` bytes (a multiple of 4, >= 16) tagged with `tag`.
inline Bytes blob(std::size_t size, std::uint8_t tag) {
  Bytes b(size, tag);
  b[0] = 0x10;
  b[1] = tag;
  return b;
}
/// The TCP binding's framing: 2-byte length, then the message (profile 1).
inline Bytes framed(const Bytes& m) {
  Bytes out(m.size() + 2);  // (not insert() after a 2-byte init: GCC 12 -Warray-bounds)
  out[0] = static_cast<std::uint8_t>(m.size() >> 8);
  out[1] = static_cast<std::uint8_t>(m.size());
  std::copy(m.begin(), m.end(), out.begin() + 2);
  return out;
}
inline Bytes cat(std::initializer_list<Bytes> parts) {
  Bytes out;
  for (const auto& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

/// Writes arbitrary frames with a chosen link type (for what Writer never produces).
class RawWriter {
 public:
  RawWriter(const std::string& path, int dlt) {
    dead_ = pcap_open_dead(dlt, 65535);
    dumper_ = pcap_dump_open(dead_, path.c_str());
    if (dumper_ == nullptr) throw std::runtime_error(pcap_geterr(dead_));
  }
  ~RawWriter() { close(); }
  void add(std::span<const std::uint8_t> frame, std::int64_t us = 0) {
    pcap_pkthdr h{};
    h.ts.tv_sec = us / 1000000;
    h.ts.tv_usec = us % 1000000;
    h.caplen = h.len = static_cast<bpf_u_int32>(frame.size());
    pcap_dump(reinterpret_cast<u_char*>(dumper_), &h, frame.data());
  }
  void close() {
    if (dumper_ != nullptr) pcap_dump_close(dumper_);
    if (dead_ != nullptr) pcap_close(dead_);
    dumper_ = nullptr;
    dead_ = nullptr;
  }

 private:
  pcap_t* dead_ = nullptr;
  pcap_dumper_t* dumper_ = nullptr;
};

/// Every raw frame of a capture (data, in order).
inline std::vector<Bytes> raw_frames(const std::string& path) {
  char err[PCAP_ERRBUF_SIZE];
  pcap_t* p = pcap_open_offline(path.c_str(), err);
  if (p == nullptr) throw std::runtime_error(err);
  std::vector<Bytes> out;
  pcap_pkthdr* h;
  const u_char* d;
  while (pcap_next_ex(p, &h, &d) == 1) out.emplace_back(d, d + h->caplen);
  pcap_close(p);
  return out;
}

}  // namespace gmp::pcap::test
