// One pcap per case through gmp_pcap's writer: what crossed the wire, with synthesized
// Ethernet/IPv4/TCP/UDP headers (the writer keeps TCP sequence numbers consistent).
#include <gmp/pcap.hpp>

#include "report/report.hpp"

namespace conform {

std::string pcap_name(const std::string& id) {
  std::string n = id;
  for (auto& c : n)
    if (c == '/') c = '_';
  return n + ".pcap";
}

void write_pcap(const std::string& path, const CaseResult& r) {
  gmp::pcap::Writer w(path);
  auto ep = [](const Ep& e) { return gmp::pcap::Endpoint{gmp::Ipv4{e.ip}, e.port}; };
  for (const auto& e : r.log) {
    gmp::pcap::Timestamp ts{e.wall_us};
    switch (e.kind) {
      case WireKind::tcp_open: w.tcp_open(ep(e.local), ep(e.server), ts); break;
      case WireKind::tcp_close_by_tester: w.tcp_close(ep(e.local), ep(e.server), ts); break;
      case WireKind::tcp_close_by_server: w.tcp_close(ep(e.server), ep(e.local), ts); break;
      case WireKind::data:
        if (e.wire.empty() || e.local.port == 0) break;
        if (e.tcp) {
          if (e.to_server) w.tcp_data(ep(e.local), ep(e.server), e.wire, ts);
          else w.tcp_data(ep(e.server), ep(e.local), e.wire, ts);
        } else {
          if (e.to_server) w.udp(ep(e.local), ep(e.server), e.wire, ts);
          else w.udp(ep(e.server), ep(e.local), e.wire, ts);
        }
        break;
    }
  }
  w.close();
}

}  // namespace conform
