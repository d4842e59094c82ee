#include "anomalies.hpp"

#include <algorithm>
#include <map>
#include <random>

#include <fmt/format.h>

#include "gmp/message.hpp"

namespace conform::robustness {

const char* name(Expect e) {
  switch (e) {
    case Expect::discard: return "discard";
    case Expect::close: return "close";
    case Expect::equivalent: return "equivalent";
  }
  return "?";
}

namespace {

using Bytes = std::vector<std::uint8_t>;

// Option rules of profile section 4 that decide what is malformed.
constexpr int fixed_size(int code) {
  switch (code) {
    case 5: case 6: return 8;   // START-TIME, END-TIME
    case 9: return 3;           // KEEPALIVE
    case 13: return 2;          // MM-PORT
    case 16: return 4;          // MEMBER-COUNT
    case 17: return 2;          // LIST-PART
    case 18: return 1;          // REASON
    case 19: return 4;          // KA-SEQ
    default: return -1;
  }
}
constexpr bool repeatable(int code) { return code == 10 || code == 11 || code == 15; }
constexpr bool utf8_text(int code) { return code == 1 || code == 2 || code == 3 || code == 4 || code == 7 || code == 8; }
constexpr bool nonempty(int code) { return code == 1 || code == 2 || code == 12 || code == 14 || code == 15; }

// A receiver reads every occurrence of an option code the same way: the anomalies of one
// option (its size, padding, UTF-8, a cut inside it...) are derived for the first two of each
// code only. An SCINF naming 290 base members would otherwise give ~1,200 anomalies and ~290
// case runs (one per padding variant) that test nothing the first two do not.
constexpr int max_same_code = 2;

struct Opt {
  std::size_t at = 0;  // offset of the type byte
  int code = 0;
  std::size_t len = 0;
  bool sampled = true;  // among the first max_same_code of its code
  [[nodiscard]] std::size_t padded_end() const { return at + 2 + ((len + 2 + 3) / 4 * 4) - 2; }
};

std::vector<Opt> walk(const Bytes& b) {
  std::vector<Opt> out;
  std::map<int, int> seen;
  std::size_t i = 16;
  while (i + 2 <= b.size() && b[i] != 0) {
    Opt o{i, b[i], b[i + 1], ++seen[b[i]] <= max_same_code};
    if (i + 2 + o.len > b.size()) break;
    out.push_back(o);
    i = o.padded_end();
  }
  return out;
}

/// The message's options rebuilt with `o` replaced by a TLV of `code` with `value`.
Bytes with_option(const Bytes& b, const Opt& o, int code, const Bytes& value) {
  Bytes out(b.begin(), b.begin() + static_cast<std::ptrdiff_t>(o.at));
  out.push_back(static_cast<std::uint8_t>(code));
  out.push_back(static_cast<std::uint8_t>(value.size()));
  out.insert(out.end(), value.begin(), value.end());
  while (out.size() % 4 != 0) out.push_back(0);
  out.insert(out.end(), b.begin() + static_cast<std::ptrdiff_t>(std::min(o.padded_end(), b.size())), b.end());
  return out;
}

struct Deriver {
  Bytes valid;
  Channel ch;
  int type = 0;
  bool to_server = true;  // the receiver is the server
  std::mt19937_64 rng;
  std::vector<Anomaly> out;
  std::vector<Opt> opts;

  void fix(Bytes& b) const {  // SM: checksum over the message as it now is
    if (ch != Channel::sm || b.size() < 4) return;
    b[2] = b[3] = 0;
    const std::uint16_t c = gmp::internet_checksum(b);
    b[2] = static_cast<std::uint8_t>(c >> 8);
    b[3] = static_cast<std::uint8_t>(c);
  }
  void add(std::string family, std::string detail, Expect e, Bytes b, bool fix_checksum = true) {
    if (fix_checksum) fix(b);
    out.push_back(Anomaly{family, family + "/" + detail, e, std::move(b), -1});
  }
  Bytes edit(std::size_t at, std::uint8_t value) const {
    Bytes b = valid;
    b[at] = value;
    return b;
  }
  std::uint8_t random_byte(std::uint8_t not_this) {
    std::uint8_t v;
    do v = static_cast<std::uint8_t>(rng()); while (v == not_this);
    return v;
  }

  bool has(int code) const {
    return std::any_of(opts.begin(), opts.end(), [&](const Opt& o) { return o.code == code; });
  }
  bool required_present() const {
    const int sm_required[] = {0, 1, 0, 18, 0, 18, 2, 0, 1, 0, 0, 18, 0, 0, 13};
    if (ch == Channel::sm) return type < 15 && sm_required[type] != 0 && has(sm_required[type]);
    return (type == 1 && has(19)) || (type == 4 && has(17)) || (type == 8 && has(14));
  }

  /// Session 0 and user 0 name nobody (profile 2: never given out): discarded (profile 7).
  void zero_ids() {
    Bytes s = valid;
    s[4] = s[5] = 0;
    add("id", "session=0", Expect::discard, s);
    Bytes u = valid;
    u[6] = u[7] = 0;
    add("id", "user=0", Expect::discard, u);
  }

  void version_and_type() {
    const std::uint8_t b0 = valid[0];
    for (int v : {0, 2, 15})
      add("version", std::to_string(v), Expect::discard, edit(0, static_cast<std::uint8_t>((v << 4) | (b0 & 0x0F))));
    std::vector<int> types;
    if (ch == Channel::sm) {
      types = {0, 15, 255};
      for (int t : to_server ? std::vector<int>{2, 3, 5, 7, 9, 10, 11, 13} : std::vector<int>{1, 4, 6, 8, 12, 14})
        types.push_back(t);
      for (int t : types) add("type", std::to_string(t), Expect::discard, edit(1, static_cast<std::uint8_t>(t)));
    } else {
      types = {0, 9, 15};
      for (int t : to_server ? std::vector<int>{1, 4, 7, 8} : std::vector<int>{2, 3, 5, 6}) types.push_back(t);
      for (int t : types)
        add("type", std::to_string(t), Expect::discard, edit(0, static_cast<std::uint8_t>((b0 & 0xF0) | t)));
    }
  }

  void sm_header() {
    const std::uint16_t c = static_cast<std::uint16_t>((valid[2] << 8) | valid[3]);
    // Named by the bits flipped, not the value: the ID must not depend on the session's IDs.
    for (std::uint16_t x : {std::uint16_t{0x0101}, std::uint16_t{0x8000}}) {
      const auto v = static_cast<std::uint16_t>(c ^ x);
      Bytes b = edit(2, static_cast<std::uint8_t>(v >> 8));
      b[3] = static_cast<std::uint8_t>(v);
      add("checksum", fmt::format("xor{:04x}", x), Expect::discard, b, false);
    }
    // I = 1 exactly in SCINF (profile 2).
    add("flag", type == 6 ? "I=0" : "I=1", Expect::discard, edit(0, static_cast<std::uint8_t>(valid[0] ^ 0x01)));
    add("flag", "Q=1", Expect::equivalent, edit(0, static_cast<std::uint8_t>(valid[0] | 0x08)));
    if (to_server && (type == 4 || type == 8 || type == 12 || type == 14)) {  // M, S ignored
      add("flag", "M", Expect::equivalent, edit(0, static_cast<std::uint8_t>(valid[0] ^ 0x02)));
      add("flag", "S", Expect::equivalent, edit(0, static_cast<std::uint8_t>(valid[0] ^ 0x04)));
    }
    add("reserved", "ff", Expect::equivalent, edit(9, 0xFF));
    add("reserved", "random", Expect::equivalent, edit(9, random_byte(0)));
    if (to_server && (type == 1 || type == 8)) {  // user ID ignored in SCREQ and SRREQ
      Bytes b = edit(6, random_byte(valid[6]));
      b[7] = static_cast<std::uint8_t>(rng());
      add("id", "user-ignored", Expect::equivalent, b);
    }
    if (to_server && (type == 4 || type == 6 || type == 12 || type == 14)) zero_ids();
  }

  void mm_header() {
    const std::uint8_t b1 = valid[1];
    for (int mode : {0, 3})
      add("mode", std::to_string(mode), Expect::discard, edit(1, static_cast<std::uint8_t>((b1 & 0x3F) | (mode << 6))));
    add("flag", "R=1", Expect::equivalent, edit(1, static_cast<std::uint8_t>(b1 | 0x04)));
    if (type != 7) add("flag", "SS=1", Expect::discard, edit(1, static_cast<std::uint8_t>(b1 | 0x02)));
    else add("flag", "SS=0", Expect::discard, edit(1, static_cast<std::uint8_t>(b1 & ~0x02)));
    if (type != 4) add("flag", "UI=1", Expect::discard, edit(1, static_cast<std::uint8_t>(b1 | 0x01)));
    else add("flag", "UI=0", Expect::discard, edit(1, static_cast<std::uint8_t>(b1 & ~0x01)));
    add("reserved", "ff", Expect::equivalent, edit(15, 0xFF));
    add("reserved", "random", Expect::equivalent, edit(15, random_byte(0)));
    zero_ids();
    if (to_server) {
      // Profile 3: any member type code in a member's message; group and KA fields ignored.
      for (int t = 0; t < 8; ++t)
        if (t != ((b1 >> 3) & 7))
          add("member-type", std::to_string(t), Expect::equivalent, edit(1, static_cast<std::uint8_t>((b1 & ~0x38) | (t << 3))));
      const std::pair<std::size_t, const char*> fields[] = {{2, "group-port"}, {8, "group-address"}, {12, "ka-period"}, {13, "ka-timeout"}};
      for (const auto& [at, what] : fields) add("mm-fields", what, Expect::equivalent, edit(at, random_byte(valid[at])));
    }
    for (std::size_t extra : {1, 2, 3}) {
      Bytes b = valid;
      b.resize(b.size() + extra, 0);
      add("length", fmt::format("+{}", extra), Expect::discard, b);
    }
    Bytes big = valid;
    big.resize(1204, 0);  // above the 1,200-byte bound of profile 3
    add("length", "1204", Expect::discard, big);
    for (std::size_t len : {0, 4, 8, 12})
      add("length", std::to_string(len), Expect::discard, Bytes(valid.begin(), valid.begin() + static_cast<std::ptrdiff_t>(len)));
  }

  void options() {
    for (std::size_t i = 0; i < opts.size(); ++i) {
      const Opt& o = opts[i];
      if (!o.sampled) continue;
      const std::string tag = fmt::format("{}#{}", o.code, i + 1);
      const Bytes value(valid.begin() + static_cast<std::ptrdiff_t>(o.at + 2),
                        valid.begin() + static_cast<std::ptrdiff_t>(o.at + 2 + o.len));
      // Its length runs past the end of the message (profile 4).
      Bytes t = valid;
      t[o.at + 1] = static_cast<std::uint8_t>(std::min<std::size_t>(255, valid.size() - o.at - 2 + 1 + (rng() % 8)));
      if (o.at + 2 + t[o.at + 1] > valid.size()) add("option.truncated", tag, Expect::discard, t);
      const int size = fixed_size(o.code);
      if (size > 0) {
        Bytes shorter(value.begin(), value.end() - 1), longer = value;
        longer.push_back(static_cast<std::uint8_t>(rng()));
        add("option.size", tag + "-1", Expect::discard, with_option(valid, o, o.code, shorter));
        add("option.size", tag + "+1", Expect::discard, with_option(valid, o, o.code, longer));
      }
      if (size > 0 || nonempty(o.code)) add("option.size", tag + "=0", Expect::discard, with_option(valid, o, o.code, {}));
      if (o.code == 12) add("option.size", tag + "=65", Expect::discard, with_option(valid, o, o.code, Bytes(65, 0x5A)));
      if (!repeatable(o.code) && o.code <= 19) {  // an unknown option twice is skipped twice
        Bytes d = valid;
        d.insert(d.begin() + static_cast<std::ptrdiff_t>(o.padded_end()), valid.begin() + static_cast<std::ptrdiff_t>(o.at),
                 valid.begin() + static_cast<std::ptrdiff_t>(o.padded_end()));
        add("option.duplicated", tag, Expect::discard, d);
      }
      if ((o.len + 2) % 4 != 0) {  // non-zero padding: receivers ignore its value
        Bytes p = valid;
        for (std::size_t k = o.at + 2 + o.len; k < o.padded_end(); ++k) p[k] = 0xA5;
        add("option.padding", tag, Expect::equivalent, p);
      }
      if (utf8_text(o.code) && o.len > 0) {
        Bytes bad = value;
        bad[0] = 0xC3;  // a lead byte without its continuation (or an overlong form)
        if (bad.size() == 1) bad.push_back(0x28);
        else bad[1] = 0x28;
        add("option.utf8", tag, Expect::discard, with_option(valid, o, o.code, bad));
      }
    }
    // Unknown types are skipped (profile 4); one whose length runs past the end is malformed.
    // Growing an MM message beyond 1,200 bytes (profile 3) would make it invalid: not then.
    const bool room = ch == Channel::sm || valid.size() + 8 <= 1200;
    Bytes u = valid;
    for (std::uint8_t x : {200, 3, 1, 2, 3, 0, 0, 0}) u.push_back(x);
    if (room) add("option.unknown", "200", Expect::equivalent, u);
    Bytes ut = valid;
    for (std::uint8_t x : {201, 40, 1, 2}) ut.push_back(x);
    add("option.unknown", "201-past-end", Expect::discard, ut);
    // END first hides every option: a message that needs one is then incomplete. Not SCINF:
    // one without SESSION-NAME is answered SCREJ 5 (profile 5.1), not discarded.
    if (required_present() && !(ch == Channel::sm && type == 6)) {
      Bytes e = valid;
      e.insert(e.begin() + 16, {0, 0, 0, 0});
      add("option.end", "first", Expect::discard, e);
    }
    Bytes z = valid;
    z.insert(z.end(), {0, 0, 0, 0});
    if (room) add("appended", "zeros", Expect::equivalent, z);
  }

  void cuts() {
    // At every 4-byte boundary inside the options: an option cut short is malformed. SM cuts
    // keep the old checksum too (then they fail it whatever they cut).
    for (std::size_t len = 16; len < valid.size(); len += 4) {
      const bool inside = std::any_of(opts.begin(), opts.end(), [&](const Opt& o) { return o.at < len && len < o.at + 2 + o.len; });
      // Within the span of an option not sampled (its type byte to its padding's end): skipped.
      if (std::any_of(opts.begin(), opts.end(), [&](const Opt& o) { return !o.sampled && o.at <= len && len < o.padded_end(); }))
        continue;
      Bytes b(valid.begin(), valid.begin() + static_cast<std::ptrdiff_t>(len));
      if (ch == Channel::sm) add("cut", fmt::format("{}-old-checksum", len), Expect::discard, b, false);
      if (inside) add("cut", std::to_string(len), Expect::discard, b);
    }
  }

  void framing() {
    // Profile 1: a length prefix below 16, not a multiple of 4 or above the maximum.
    for (int prefix : {0, 4, 15, static_cast<int>(valid.size()) + 2, 65535}) {
      const bool size_based = prefix == static_cast<int>(valid.size()) + 2;
      Anomaly a{"framing", size_based ? "framing/prefix=size+2" : fmt::format("framing/prefix={}", prefix),
                Expect::close, valid, prefix};
      out.push_back(std::move(a));
    }
  }
};

}  // namespace

bool to_server(std::span<const std::uint8_t> message, Channel channel) {
  if (message.size() < 2) return false;
  if (channel == Channel::sm) {
    const int t = message[1];
    return t == 1 || t == 4 || t == 6 || t == 8 || t == 12 || t == 14;
  }
  const int t = message[0] & 0x0F;
  return t == 2 || t == 3 || t == 5 || t == 6;
}

std::vector<Anomaly> derive(std::span<const std::uint8_t> valid, Channel channel, std::uint64_t seed) {
  Deriver d{Bytes(valid.begin(), valid.end()), channel, 0, to_server(valid, channel), std::mt19937_64(seed), {}, {}};
  if (channel == Channel::sm) {
    gmp::SmMessage m;
    if (!gmp::decode_sm(valid, m)) return {};
    d.type = static_cast<int>(m.type);
  } else {
    gmp::MmMessage m;
    if (!gmp::decode_mm(valid, m)) return {};
    d.type = static_cast<int>(m.type);
  }
  d.opts = walk(d.valid);
  d.version_and_type();
  if (channel == Channel::sm) d.sm_header();
  else d.mm_header();
  d.options();
  d.cuts();
  if (channel == Channel::sm) d.framing();
  return std::move(d.out);
}

}  // namespace conform::robustness
