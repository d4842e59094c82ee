// gmp-pcapgen: turns tests/vectors/vectors.json into a capture (docs/gmp-decode.md):
// SM vectors as TCP segments on the GMP port, MM vectors as UDP datagrams, timestamps 1 ms
// apart from 2026-01-01T00:00:00Z so the output is byte-for-byte reproducible. Addresses are
// from the documentation range 192.0.2.0/24 (RFC 5737), one per role: server 192.0.2.1,
// client 192.0.2.10 (its MM datagrams from the same address, profile 5.5), the clients of
// the unframable vectors 192.0.2.11 on.
// With --lifelines it instead copies a capture giving each role its own address the same way
// (gmp::pcap::relabel_lifelines; scripts/regen-captures uses it).
#include <CLI/CLI.hpp>

#include "gmp/app.hpp"
#include <algorithm>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "gmp/json.hpp"
#include "gmp/pcap.hpp"
#include "gmp/types.hpp"

namespace {

using gmp::pcap::Endpoint;
using gmp::pcap::Timestamp;
using Bytes = std::vector<std::uint8_t>;

constexpr std::int64_t start_us = 1'767'225'600'000'000;  // 2026-01-01T00:00:00Z
constexpr std::int64_t step_us = 1000;
constexpr std::uint16_t member_mm_port = 40000;
constexpr std::uint16_t first_client_port = 40001;

constexpr std::uint8_t server_host = 1;
constexpr std::uint8_t first_client_host = 10;

Endpoint host(std::uint8_t last, std::uint16_t port) {
  return Endpoint{gmp::Ipv4{0xC0000200u | last}, port};  // 192.0.2.<last>
}

struct Vector {
  std::string name;
  bool sm = false;
  Bytes bytes;
};

std::vector<Vector> load(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot open " + path);
  const auto doc = nlohmann::json::parse(in);
  if (!doc.is_array()) throw std::runtime_error(path + ": expected a JSON list of vectors");
  std::vector<Vector> out;
  for (const auto& v : doc) {
    Vector x;
    x.name = v.value("name", "?");
    const std::string proto = v.at("protocol").get<std::string>();
    if (proto != "sm" && proto != "mm")
      throw std::runtime_error(x.name + ": protocol must be sm or mm");
    x.sm = proto == "sm";
    if (!gmp::json::from_hex(v.at("hex").get<std::string>(), x.bytes))
      throw std::runtime_error(x.name + ": bad hex");
    out.push_back(std::move(x));
  }
  return out;
}

// Whether an SM message of this size can travel in a valid TCP frame (profile 1).
bool framable(const Bytes& m) {
  return m.size() >= gmp::header_size && m.size() % 4 == 0 && m.size() <= 0xFFFF;
}
Bytes framed(const Bytes& m) {
  Bytes out(m.size() + 2);  // (not insert() after a 2-byte init: GCC 12 -Warray-bounds)
  out[0] = static_cast<std::uint8_t>(m.size() >> 8);
  out[1] = static_cast<std::uint8_t>(m.size());
  std::copy(m.begin(), m.end(), out.begin() + 2);
  return out;
}
bool from_server_sm(const Bytes& m) {
  if (m.size() < 2) return false;
  const auto t = static_cast<gmp::SmType>(m[1]);
  return gmp::is_known(t) && gmp::sent_by_server(t);
}
bool from_server_mm(const Bytes& m) {
  if (m.empty()) return false;
  const auto t = static_cast<gmp::MmType>(m[0] & 0x0F);
  return gmp::is_known(t) && gmp::sent_by_server(t);
}

}  // namespace

int main(int argc, char** argv) {
  std::string vectors_path, out_path;
  std::uint16_t port = gmp::default_port;
  bool lifelines = false;
  CLI::App app{
      "Write the GMP test vectors (tests/vectors/vectors.json) as a capture: SM vectors as\n"
      "length-prefixed TCP segments on one connection (192.0.2.10 -> 192.0.2.1:PORT, server\n"
      "messages the other way), SM vectors that cannot be framed (under 16 bytes or not a\n"
      "multiple of 4) each on a connection of their own (192.0.2.11...), MM vectors as UDP\n"
      "datagrams (192.0.2.10:40000 <-> 192.0.2.1:PORT). Reproducible byte for byte.\n"
      "With --lifelines: copy the capture VECTORS (a pcap) to OUT with one address per role:\n"
      "server 192.0.2.1, creator 192.0.2.10, the other members 192.0.2.11...",
      "gmp-pcapgen"};
  app.add_option("VECTORS", vectors_path, "vectors.json (with --lifelines: the capture to copy)")
      ->required()
      ->check(CLI::ExistingFile);
  app.add_option("OUT", out_path, "pcap file to write")->required();
  app.add_option("-p,--port", port, "GMP server port")
      ->default_val(gmp::default_port)
      ->check(CLI::Range(1, 65535));
  app.add_flag("--lifelines", lifelines,
               "copy the capture VECTORS with one address per role (server, creator, members)");
  gmp::app::add_version(app, "gmp-pcapgen");
  if (const auto rc = gmp::app::parse(app, argc, argv)) return *rc;
  if (lifelines) {
    try {
      gmp::pcap::RelabelOptions o;
      o.port = port;
      const auto st = gmp::pcap::relabel_lifelines(vectors_path, out_path, o);
      std::cerr << "gmp-pcapgen: " << out_path << ": " << st.frames << " frames, "
                << st.lifelines << " client addresses\n";
    } catch (const std::exception& e) {
      std::cerr << "gmp-pcapgen: " << e.what() << '\n';
      return 1;
    }
    return 0;
  }
  try {
    const auto vectors = load(vectors_path);
    gmp::pcap::Writer w(out_path);
    const Endpoint server = host(server_host, port);
    const Endpoint client = host(first_client_host, first_client_port);
    const Endpoint member = host(first_client_host, member_mm_port);
    std::int64_t t = start_us;
    auto tick = [&t] { return Timestamp(t += step_us); };
    w.tcp_open(client, server, tick());
    std::vector<const Vector*> unframable;
    std::size_t sm = 0, mm = 0;
    for (const auto& v : vectors) {
      if (v.sm && !framable(v.bytes)) {
        unframable.push_back(&v);
      } else if (v.sm) {
        const bool back = from_server_sm(v.bytes);
        w.tcp_data(back ? server : client, back ? client : server, framed(v.bytes), tick());
        ++sm;
      } else {
        const bool back = from_server_mm(v.bytes);
        w.udp(back ? server : member, back ? member : server, v.bytes, tick());
        ++mm;
      }
    }
    w.tcp_close(client, server, tick());
    // A framing error ends the connection (profile 1): one connection each, closed by the server.
    std::uint8_t last = first_client_host + 1;
    for (const Vector* v : unframable) {
      const Endpoint c = host(last, first_client_port);
      last = static_cast<std::uint8_t>(last == 254 ? first_client_host + 1 : last + 1);
      w.tcp_open(c, server, tick());
      w.tcp_data(c, server, framed(v->bytes), tick());
      w.tcp_close(server, c, tick());
      ++sm;
    }
    w.close();
    std::cerr << "gmp-pcapgen: " << out_path << ": " << w.frames() << " frames, " << sm
              << " SM and " << mm << " MM vectors (" << unframable.size()
              << " SM on connections of their own)\n";
  } catch (const std::exception& e) {
    std::cerr << "gmp-pcapgen: " << e.what() << '\n';
    return 1;
  }
  return 0;
}
