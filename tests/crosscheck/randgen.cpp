// gmp-randgen COUNT SEED OUT.pcap: writes COUNT random, valid GMP messages (seeded) to a pcap,
// SM over TCP and MM over UDP on port 16513, for the codec-vs-dissector cross-check. Every
// message is checked with gmp::validate before it is written.
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>

#include "gmp/message.hpp"
#include "gmp/pcap.hpp"

namespace {

class Gen {
 public:
  explicit Gen(std::uint32_t seed) : rng_(seed) {}

  std::uint32_t num(std::uint32_t lo, std::uint32_t hi) {
    return std::uniform_int_distribution<std::uint32_t>(lo, hi)(rng_);
  }
  bool coin() { return num(0, 1) == 1; }
  std::string text(std::size_t lo, std::size_t hi) {
    static const std::string chars = "abcdefghijklmnopqrstuvwxyz0123456789-_ .";
    std::string s(num(static_cast<std::uint32_t>(lo), static_cast<std::uint32_t>(hi)), 'x');
    for (auto& c : s) c = chars[num(0, static_cast<std::uint32_t>(chars.size() - 1))];
    return s;
  }
  std::vector<std::uint8_t> bytes(std::size_t n) {
    std::vector<std::uint8_t> v(n);
    for (auto& b : v) b = static_cast<std::uint8_t>(num(0, 255));
    return v;
  }
  gmp::MemberType member_type() {
    static const gmp::MemberType t[] = {gmp::MemberType::creator, gmp::MemberType::base,
                                        gmp::MemberType::participant};
    return t[num(0, 2)];
  }

  // Options valid in any message: a random subset, each non-repeatable type at most once.
  void add_options(gmp::Options& o, std::uint8_t key_length, std::size_t budget) {
    const auto n = num(0, 4);
    std::uint32_t used = 0;
    for (std::uint32_t i = 0; i < n; ++i) {
      const auto code = num(1, 20);  // 20: an unknown type
      if (used & (1u << code) && code != 10 && code != 11 && code != 15 && code != 20) continue;
      used |= 1u << code;
      switch (code) {
        case 1: o.emplace_back(gmp::opt::ClientName{text(1, 40)}); break;
        case 2: o.emplace_back(gmp::opt::SessionName{text(1, 60)}); break;
        case 3: o.emplace_back(gmp::opt::SessionInfo{text(0, 80)}); break;
        case 4: o.emplace_back(gmp::opt::OwnerInfo{text(0, 30)}); break;
        case 5: o.emplace_back(gmp::opt::StartTime{num(0, 0xFFFFFFFF)}); break;
        case 6: o.emplace_back(gmp::opt::EndTime{num(0, 0xFFFFFFFF)}); break;
        case 7: o.emplace_back(gmp::opt::MediaInfo{text(0, 30)}); break;
        case 8: o.emplace_back(gmp::opt::AppInfo{text(0, 30)}); break;
        case 9:
          o.emplace_back(gmp::opt::Keepalive{gmp::KaUnits{static_cast<std::uint8_t>(num(1, 255))},
                                             gmp::KaUnits{static_cast<std::uint8_t>(num(1, 255))},
                                             static_cast<std::uint8_t>(num(1, 10))});
          break;
        case 10: o.emplace_back(gmp::opt::BaseMember{text(1, 20)}); break;
        case 11: o.emplace_back(gmp::opt::Allow{text(1, 20)}); break;
        case 12: o.emplace_back(gmp::opt::AccessKey{bytes(num(1, 64))}); break;
        case 13: o.emplace_back(gmp::opt::MmPort{static_cast<std::uint16_t>(num(1, 65535))}); break;
        case 14:
          if (key_length) o.emplace_back(gmp::opt::GroupKey{static_cast<std::uint16_t>(num(1, 65535)), bytes(key_length)});
          break;
        case 15: {
          gmp::opt::MemberList l;
          for (auto k = num(1, 20); k > 0; --k)
            l.entries.push_back({gmp::UserId{static_cast<std::uint16_t>(num(1, 65535))},
                                 static_cast<std::uint8_t>(member_type())});
          o.emplace_back(std::move(l));
          break;
        }
        case 16: o.emplace_back(gmp::opt::MemberCount{num(0, 0xFFFFFFFF)}); break;
        case 17: {
          const auto count = static_cast<std::uint8_t>(num(1, 255));
          o.emplace_back(gmp::opt::ListPart{static_cast<std::uint8_t>(num(1, count)), count});
          break;
        }
        case 18: o.emplace_back(gmp::opt::ReasonCode{static_cast<gmp::Reason>(num(0, 5))}); break;
        case 19: o.emplace_back(gmp::opt::KaSeq{num(0, 0xFFFFFFFF)}); break;
        default: o.emplace_back(gmp::opt::Unknown{static_cast<std::uint8_t>(num(20, 255)), bytes(num(0, 12))});
      }
      if (o.size() > budget) break;
    }
  }

  gmp::SmMessage sm() {
    gmp::SmMessage m;
    m.type = static_cast<gmp::SmType>(num(1, 14));
    m.secure = coin();
    m.closed = coin();
    m.info = m.type == gmp::SmType::SCINF;
    m.session = gmp::SessionId{static_cast<std::uint16_t>(num(0, 65535))};
    m.user = gmp::UserId{static_cast<std::uint16_t>(num(0, 65535))};
    m.group_port = static_cast<std::uint16_t>(num(0, 65535));
    m.group_address = gmp::Ipv4{num(0, 0xFFFFFFFF)};
    const bool keyed = (m.type == gmp::SmType::SJRES && m.secure);
    if (keyed) m.key_length = static_cast<std::uint8_t>(num(1, 32));
    using T = gmp::SmType;
    switch (m.type) {
      case T::SCREQ: case T::SRREQ: m.options.emplace_back(gmp::opt::ClientName{text(1, 30)}); break;
      case T::SCREJ: case T::SRREJ: case T::SDRES:
        m.options.emplace_back(gmp::opt::ReasonCode{static_cast<gmp::Reason>(num(0, 5))}); break;
      case T::SAREQ: m.options.emplace_back(gmp::opt::MmPort{static_cast<std::uint16_t>(num(1, 65535))}); break;
      case T::SJRES:
        if (keyed) m.options.emplace_back(gmp::opt::GroupKey{static_cast<std::uint16_t>(num(1, 9)), bytes(m.key_length)});
        break;
      case T::SCINF: m.options.emplace_back(gmp::opt::SessionName{text(1, 40)}); break;
      default: break;
    }
    add_options(m.options, m.key_length, 8);
    return m;
  }

  gmp::MmMessage mm() {
    gmp::MmMessage m;
    m.type = static_cast<gmp::MmType>(num(1, 8));
    m.mode = static_cast<std::uint8_t>(num(1, 2));
    m.member_type = static_cast<std::uint8_t>(member_type());
    m.ui = m.type == gmp::MmType::UIRES;
    m.ss = m.type == gmp::MmType::TRIND;
    m.group_port = static_cast<std::uint16_t>(num(0, 65535));
    m.session = gmp::SessionId{static_cast<std::uint16_t>(num(1, 65535))};
    m.user = gmp::UserId{static_cast<std::uint16_t>(num(1, 65535))};
    m.group_address = gmp::Ipv4{num(0, 0xFFFFFFFF)};
    m.ka_period = gmp::KaUnits{static_cast<std::uint8_t>(num(0, 255))};
    m.ka_timeout = gmp::KaUnits{static_cast<std::uint8_t>(num(0, 255))};
    using T = gmp::MmType;
    switch (m.type) {
      case T::KAREQ: m.options.emplace_back(gmp::opt::KaSeq{num(0, 0xFFFFFFFF)}); break;
      case T::KARES: if (coin()) m.options.emplace_back(gmp::opt::KaSeq{num(0, 100)}); break;
      case T::UIRES: {
        const auto count = static_cast<std::uint8_t>(num(1, 4));
        m.options.emplace_back(gmp::opt::ListPart{static_cast<std::uint8_t>(num(1, count)), count});
        break;
      }
      case T::KDUPT:
        m.key_length = 16;
        m.options.emplace_back(gmp::opt::GroupKey{static_cast<std::uint16_t>(num(1, 99)), bytes(16)});
        break;
      default: break;
    }
    add_options(m.options, m.key_length, 6);
    return m;
  }

 private:
  std::mt19937 rng_;
};

}  // namespace

int main(int argc, char** argv) {
  if (argc != 4) {
    std::fprintf(stderr, "usage: gmp-randgen COUNT SEED OUT.pcap\n");
    return 2;
  }
  const long count = std::strtol(argv[1], nullptr, 10);
  Gen gen(static_cast<std::uint32_t>(std::strtoul(argv[2], nullptr, 10)));
  gmp::pcap::Writer out(argv[3]);
  const gmp::pcap::Endpoint server{gmp::Ipv4{0x7F000001}, gmp::default_port};
  const gmp::pcap::Endpoint client{gmp::Ipv4{0x7F000002}, 40000};
  const gmp::pcap::Endpoint member{gmp::Ipv4{0x7F000002}, 40001};
  gmp::pcap::Timestamp t{1'700'000'000'000'000};
  out.tcp_open(client, server, t);
  long written = 0;
  for (long i = 0; written < count && i < count * 20; ++i) {
    t += std::chrono::microseconds(1000);
    if (gen.coin()) {
      auto m = gen.sm();
      if (!gmp::validate(m)) continue;
      const auto bytes = gmp::encode_framed(m);
      gen.coin() ? out.tcp_data(client, server, bytes, t) : out.tcp_data(server, client, bytes, t);
    } else {
      auto m = gen.mm();
      if (!gmp::validate(m)) continue;
      const auto bytes = gmp::encode(m);
      gen.coin() ? out.udp(member, server, bytes, t) : out.udp(server, member, bytes, t);
    }
    ++written;
  }
  out.tcp_close(client, server, t + std::chrono::microseconds(1000));
  std::printf("%ld messages\n", written);
  return written == count ? 0 : 1;
}
