// gmp::pcap::read / read_each: pcap or pcapng through libpcap (pcap_open_offline), IPv4 only,
// SM over TCP reassembled per direction and de-framed, MM over UDP one message per datagram.
#include <pcap/pcap.h>

#include <map>
#include <memory>
#include <stdexcept>
#include <utility>

#include "decap.hpp"
#include "gmp/pcap.hpp"
#include "tcp_stream.hpp"

namespace gmp::pcap {
namespace {

struct PcapCloser {
  void operator()(pcap_t* p) const { pcap_close(p); }
};
using PcapHandle = std::unique_ptr<pcap_t, PcapCloser>;

std::string link_name(int dlt) {
  const char* n = pcap_datalink_val_to_name(dlt);
  return n != nullptr ? std::string(n) : "DLT " + std::to_string(dlt);
}

class StreamTable {
 public:
  explicit StreamTable(const ReadOptions& o) : options_(o) {}

  /// The stream of src -> dst, or nullptr when max_streams directions are live already.
  detail::TcpStream* get(Endpoint src, Endpoint dst) {
    const auto key = std::make_pair(src, dst);
    if (auto it = streams_.find(key); it != streams_.end()) return &it->second;
    if (streams_.size() >= options_.max_streams && !evict_one_dead()) return nullptr;
    return &streams_.emplace(key, detail::TcpStream(options_)).first->second;
  }
  void finish(ReadStats& stats) {
    for (auto& [key, s] : streams_) s.finish(stats);
  }

 private:
  bool evict_one_dead() {
    for (auto it = streams_.begin(); it != streams_.end(); ++it) {
      if (it->second.dead()) {
        streams_.erase(it);
        return true;
      }
    }
    return false;
  }
  const ReadOptions& options_;
  std::map<std::pair<Endpoint, Endpoint>, detail::TcpStream> streams_;
};

}  // namespace

void read_each(const std::string& path, const ReadOptions& options,
               const std::function<void(const Record&)>& sink, ReadStats* stats_out) {
  char err[PCAP_ERRBUF_SIZE] = {};
  PcapHandle p(
      pcap_open_offline_with_tstamp_precision(path.c_str(), PCAP_TSTAMP_PRECISION_MICRO, err));
  if (!p) {
    // libpcap names the file in some messages ("x: No such file...") but not in others.
    const std::string why = err;
    throw std::runtime_error(why.starts_with(path) ? why : path + ": " + why);
  }
  const int dlt = pcap_datalink(p.get());
  if (!detail::link_type_supported(dlt))
    throw std::runtime_error(path + ": unsupported link type " + link_name(dlt));

  ReadStats stats;
  StreamTable streams(options);
  pcap_pkthdr* h = nullptr;
  const u_char* data = nullptr;
  int rc = 0;
  while ((rc = pcap_next_ex(p.get(), &h, &data)) == 1) {
    ++stats.frames;
    detail::SegmentInfo info;
    info.frame = stats.frames;
    info.time = Timestamp(std::int64_t{h->ts.tv_sec} * 1000000 + h->ts.tv_usec);
    detail::Packet pkt;
    switch (detail::decapsulate(dlt, std::span(data, h->caplen), pkt)) {
      case detail::Decap::ok:
        break;
      case detail::Decap::not_ipv4:
        ++stats.not_ipv4;
        continue;
      case detail::Decap::fragment:
        ++stats.ip_fragments;
        continue;
      case detail::Decap::malformed:
        ++stats.malformed;
        continue;
      case detail::Decap::other_protocol:
        continue;
    }
    if (pkt.src.port != options.port && pkt.dst.port != options.port) continue;
    info.src = pkt.src;
    info.dst = pkt.dst;
    if (pkt.tcp) {
      detail::TcpStream* s = streams.get(pkt.src, pkt.dst);
      if (s == nullptr) {
        ++stats.streams_ignored;
        continue;
      }
      s->segment(pkt.seq, pkt.flags, pkt.payload, info, stats, sink);
    } else {
      sink(detail::record_of(info, false, pkt.payload));
    }
  }
  streams.finish(stats);
  if (stats_out != nullptr) *stats_out = stats;
  if (rc == PCAP_ERROR)
    throw std::runtime_error(path + ": after frame " + std::to_string(stats.frames) + ": " +
                             pcap_geterr(p.get()));
}

std::vector<Record> read(const std::string& path, const ReadOptions& options) {
  std::vector<Record> out;
  read_each(path, options, [&out](const Record& r) { out.push_back(r); });
  return out;
}

}  // namespace gmp::pcap
