#include "random_message.hpp"

#include <algorithm>

namespace gmp::test {
namespace {

unsigned pick(Rng& rng, unsigned lo, unsigned hi) {
  return std::uniform_int_distribution<unsigned>(lo, hi)(rng);
}
bool coin(Rng& rng, unsigned in = 2) { return pick(rng, 1, in) == 1; }
std::uint8_t byte(Rng& rng) { return static_cast<std::uint8_t>(pick(rng, 0, 255)); }

std::vector<std::uint8_t> raw(Rng& rng, unsigned lo, unsigned hi) {
  std::vector<std::uint8_t> v(pick(rng, lo, hi));
  for (auto& b : v) b = byte(rng);
  return v;
}
// Valid UTF-8 of any code points (profile 4: text options are UTF-8; the codec checks it).
// Exactly `n` bytes, n drawn from lo..hi, mixing 1- to 4-byte sequences (never a surrogate).
std::string text(Rng& rng, unsigned lo, unsigned hi) {
  const unsigned n = pick(rng, lo, hi);
  std::string s;
  while (s.size() < n) {
    const unsigned room = n - static_cast<unsigned>(s.size());
    const unsigned len = pick(rng, 1, std::min(room, 4u));
    auto cont = [&] { return static_cast<char>(0x80 | pick(rng, 0, 0x3F)); };
    if (len == 1) {
      s += static_cast<char>(pick(rng, 0, 0x7F));
    } else if (len == 2) {
      s += static_cast<char>(pick(rng, 0xC2, 0xDF));
      s += cont();
    } else if (len == 3) {
      s += static_cast<char>(0xE1 + pick(rng, 0, 11));  // E1..EC: no overlong, no surrogate
      s += cont();
      s += cont();
    } else {
      s += static_cast<char>(pick(rng, 0xF1, 0xF3));
      s += cont();
      s += cont();
      s += cont();
    }
  }
  return s;
}

void unknowns(Rng& rng, Options& o) {
  while (coin(rng, 4))
    o.emplace_back(opt::Unknown{static_cast<std::uint8_t>(pick(rng, 20, 255)), raw(rng, 0, 40)});
}

opt::GroupKey key(Rng& rng) {
  return {static_cast<std::uint16_t>(pick(rng, 0, 0xffff)), raw(rng, 1, 64)};
}

void shuffle(Rng& rng, Options& o) { std::shuffle(o.begin(), o.end(), rng); }

void scinf_options(Rng& rng, Options& o) {
  if (!coin(rng, 8)) o.emplace_back(opt::SessionName{text(rng, 1, 255)});
  if (coin(rng)) o.emplace_back(opt::SessionInfo{text(rng, 0, 255)});
  if (coin(rng)) o.emplace_back(opt::OwnerInfo{text(rng, 0, 100)});
  if (coin(rng)) o.emplace_back(opt::StartTime{rng()});
  if (coin(rng)) o.emplace_back(opt::EndTime{rng()});
  if (coin(rng)) o.emplace_back(opt::MediaInfo{text(rng, 0, 60)});
  if (coin(rng)) o.emplace_back(opt::AppInfo{text(rng, 0, 60)});
  if (coin(rng))
    o.emplace_back(opt::Keepalive{KaUnits{byte(rng)}, KaUnits{byte(rng)}, byte(rng)});
  for (unsigned n = pick(rng, 0, 4); n; --n) o.emplace_back(opt::BaseMember{text(rng, 1, 40)});
  for (unsigned n = pick(rng, 0, 4); n; --n) o.emplace_back(opt::Allow{text(rng, 1, 40)});
  if (coin(rng)) o.emplace_back(opt::AccessKey{raw(rng, 1, 64)});
}

opt::MemberList member_list(Rng& rng) {
  opt::MemberList l;
  for (unsigned n = pick(rng, 1, 63); n; --n)
    l.entries.push_back({UserId{static_cast<std::uint16_t>(pick(rng, 0, 0xffff))},
                         static_cast<std::uint8_t>(pick(rng, 0, 7))});
  return l;
}

}  // namespace

SmMessage random_sm(Rng& rng, SmType type) {
  SmMessage m;
  m.type = type;
  m.q = coin(rng, 8);
  m.secure = coin(rng);
  m.closed = coin(rng);
  m.info = type == SmType::SCINF;
  m.session = SessionId{static_cast<std::uint16_t>(pick(rng, 0, 0xffff))};
  m.user = UserId{static_cast<std::uint16_t>(pick(rng, 0, 0xffff))};
  m.key_length = byte(rng);  // no GROUP-KEY below unless set to match
  m.reserved = coin(rng, 8) ? byte(rng) : 0;
  m.group_port = static_cast<std::uint16_t>(pick(rng, 0, 0xffff));
  m.group_address = Ipv4{static_cast<std::uint32_t>(rng())};
  auto& o = m.options;
  const auto reason = [&] { return opt::ReasonCode{static_cast<Reason>(pick(rng, 0, 7))}; };
  switch (type) {
    case SmType::SCREQ: o.emplace_back(opt::ClientName{text(rng, 1, 255)}); break;
    case SmType::SRREQ:
      o.emplace_back(opt::ClientName{text(rng, 1, 255)});
      if (coin(rng)) o.emplace_back(opt::AccessKey{raw(rng, 1, 64)});
      break;
    case SmType::SCREJ: case SmType::SRREJ: case SmType::SDRES: o.emplace_back(reason()); break;
    case SmType::SCINF: scinf_options(rng, o); break;
    case SmType::SAREQ:
      o.emplace_back(opt::MmPort{static_cast<std::uint16_t>(pick(rng, 1, 0xffff))});
      break;
    case SmType::SJRES:
      if (m.secure) {
        o.emplace_back(key(rng));
        m.key_length = static_cast<std::uint8_t>(std::get<opt::GroupKey>(o.back()).key.size());
      }
      break;
    default: break;
  }
  unknowns(rng, o);
  shuffle(rng, o);
  return m;
}

MmMessage random_mm(Rng& rng, MmType type) {
  MmMessage m;
  m.type = type;
  m.mode = static_cast<std::uint8_t>(coin(rng) ? Mode::open : Mode::closed);
  static constexpr MemberType types[] = {MemberType::creator, MemberType::base,
                                         MemberType::participant};
  m.member_type = static_cast<std::uint8_t>(types[pick(rng, 0, 2)]);
  m.r = coin(rng, 8);
  m.ss = type == MmType::TRIND;
  m.ui = type == MmType::UIRES;
  m.group_port = static_cast<std::uint16_t>(pick(rng, 0, 0xffff));
  m.session = SessionId{static_cast<std::uint16_t>(pick(rng, 0, 0xffff))};
  m.user = UserId{static_cast<std::uint16_t>(pick(rng, 0, 0xffff))};
  m.group_address = Ipv4{static_cast<std::uint32_t>(rng())};
  m.ka_period = KaUnits{byte(rng)};
  m.ka_timeout = KaUnits{byte(rng)};
  m.key_length = byte(rng);
  m.reserved = coin(rng, 8) ? byte(rng) : 0;
  auto& o = m.options;
  switch (type) {
    case MmType::KAREQ: o.emplace_back(opt::KaSeq{static_cast<std::uint32_t>(rng())}); break;
    case MmType::KARES:
      if (coin(rng)) o.emplace_back(opt::KaSeq{static_cast<std::uint32_t>(rng())});
      break;
    case MmType::UIRES: {
      const auto count = static_cast<std::uint8_t>(pick(rng, 1, 255));
      o.emplace_back(opt::ListPart{static_cast<std::uint8_t>(pick(rng, 1, count)), count});
      if (coin(rng)) o.emplace_back(opt::MemberCount{static_cast<std::uint32_t>(rng())});
      for (unsigned n = pick(rng, 0, 4); n; --n) o.emplace_back(member_list(rng));
      break;
    }
    case MmType::KDUPT:
      o.emplace_back(key(rng));
      m.key_length = static_cast<std::uint8_t>(std::get<opt::GroupKey>(o.back()).key.size());
      break;
    default: break;
  }
  unknowns(rng, o);
  shuffle(rng, o);
  return m;
}

}  // namespace gmp::test
