#include "msgbuild.hpp"

#include <gmp/json.hpp>
#include <gmp/message.hpp>

#include "vars.hpp"

namespace conform {

namespace {

long long num(const Json& v, const char* what) {
  if (v.is_number_integer()) return v.get<long long>();
  if (v.is_boolean()) return v.get<bool>();
  if (v.is_number()) return static_cast<long long>(v.get<double>());
  throw ScenarioError(std::string(what) + ": integer expected, got " + v.dump());
}
std::string str(const Json& v, const char* what) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_number()) return v.dump();
  throw ScenarioError(std::string(what) + ": text expected, got " + v.dump());
}
bool flag(const Json& a, const char* key, bool dflt) {
  return a.contains(key) ? num(a[key], key) != 0 : dflt;
}

std::uint8_t member_code(const std::string& role) {
  if (role == "creator") return 4;
  if (role == "base") return 2;
  if (role == "participant") return 1;
  throw ScenarioError("member type '" + role + "' is not creator, base or participant");
}

void add_option(const std::string& name, const Json& v, gmp::Options& out) {
  using namespace gmp::opt;
  auto each = [&](auto make) {
    if (v.is_array())
      for (const auto& e : v) out.push_back(make(e));
    else
      out.push_back(make(v));
  };
  auto bytes_of = [](const Json& x) {
    if (x.is_object() && x.contains("hex")) return hex_bytes(str(x["hex"], "hex"));
    std::string s = str(x, "bytes");
    return std::vector<std::uint8_t>(s.begin(), s.end());
  };
  if (name == "CLIENT-NAME") out.push_back(ClientName{str(v, "CLIENT-NAME")});
  else if (name == "SESSION-NAME") out.push_back(SessionName{str(v, "SESSION-NAME")});
  else if (name == "SESSION-INFO") out.push_back(SessionInfo{str(v, "SESSION-INFO")});
  else if (name == "OWNER-INFO") out.push_back(OwnerInfo{str(v, "OWNER-INFO")});
  else if (name == "MEDIA-INFO") out.push_back(MediaInfo{str(v, "MEDIA-INFO")});
  else if (name == "APP-INFO") out.push_back(AppInfo{str(v, "APP-INFO")});
  else if (name == "START-TIME") out.push_back(StartTime{static_cast<std::uint64_t>(num(v, name.c_str()))});
  else if (name == "END-TIME") out.push_back(EndTime{static_cast<std::uint64_t>(num(v, name.c_str()))});
  else if (name == "KEEPALIVE") {
    Keepalive k;
    Json p = v.is_array() ? v : Json::array({v.value("period", 10), v.value("timeout", 5),
                                             v.value("miss_limit", 1)});
    if (p.size() != 3) throw ScenarioError("KEEPALIVE: [period, timeout, miss_limit] expected");
    k.period.value = static_cast<std::uint8_t>(num(p[0], "period"));
    k.timeout.value = static_cast<std::uint8_t>(num(p[1], "timeout"));
    k.miss_limit = static_cast<std::uint8_t>(num(p[2], "miss_limit"));
    out.push_back(k);
  } else if (name == "BASE-MEMBER") each([&](const Json& e) { return gmp::Option{BaseMember{str(e, "BASE-MEMBER")}}; });
  else if (name == "ALLOW") each([&](const Json& e) { return gmp::Option{Allow{str(e, "ALLOW")}}; });
  else if (name == "ACCESS-KEY") out.push_back(AccessKey{bytes_of(v)});
  else if (name == "MM-PORT") out.push_back(MmPort{static_cast<std::uint16_t>(num(v, "MM-PORT"))});
  else if (name == "GROUP-KEY")
    out.push_back(GroupKey{static_cast<std::uint16_t>(num(v.value("epoch", Json(1)), "epoch")),
                           hex_bytes(v.value("key", std::string()))});
  else if (name == "MEMBER-LIST") {
    MemberList l;
    for (const auto& e : v)
      l.entries.push_back({gmp::UserId{static_cast<std::uint16_t>(num(e.at(0), "user"))},
                           static_cast<std::uint8_t>(num(e.at(1), "type"))});
    out.push_back(l);
  } else if (name == "MEMBER-COUNT") out.push_back(MemberCount{static_cast<std::uint32_t>(num(v, "MEMBER-COUNT"))});
  else if (name == "LIST-PART")
    out.push_back(ListPart{static_cast<std::uint8_t>(num(v.at(0), "index")),
                           static_cast<std::uint8_t>(num(v.at(1), "count"))});
  else if (name == "REASON") out.push_back(ReasonCode{static_cast<gmp::Reason>(num(v, "REASON"))});
  else if (name == "KA-SEQ") out.push_back(KaSeq{static_cast<std::uint32_t>(num(v, "KA-SEQ"))});
  else if (name == "RAW")  // any code with any value: wrong sizes, unknown types
    out.push_back(Unknown{static_cast<std::uint8_t>(num(v.at("code"), "code")),
                          hex_bytes(v.value("hex", std::string()))});
  else
    throw ScenarioError("unknown option name '" + name + "'");
}

gmp::Options options_of(const Json& v) {
  gmp::Options out;
  if (v.is_object()) {
    for (const auto& [k, e] : v.items()) add_option(k, e, out);
  } else if (v.is_array()) {
    for (const auto& item : v) {
      if (!item.is_object() || item.size() != 1)
        throw ScenarioError("options: each list item is {NAME: value}");
      add_option(item.begin().key(), item.begin().value(), out);
    }
  } else if (!v.is_null()) {
    throw ScenarioError("options: a list or a mapping is expected");
  }
  return out;
}

void put16(std::vector<std::uint8_t>& b, std::size_t at, std::uint16_t v) {
  b[at] = static_cast<std::uint8_t>(v >> 8);
  b[at + 1] = static_cast<std::uint8_t>(v & 0xff);
}

std::vector<std::uint8_t> build_sm(const Json& a, gmp::SmType type, const SendDefaults& d) {
  using enum gmp::SmType;
  gmp::SmMessage m;
  m.type = type;
  m.info = flag(a, "flags.i", type == SCINF);
  m.closed = flag(a, "flags.m", type == SCINF && d.mode == "closed");
  m.secure = flag(a, "flags.s", (type == SCINF || type == SCREQ) && d.secure);
  m.q = flag(a, "flags.q", false);
  const bool fresh = type == SCREQ;
  m.session.value = static_cast<std::uint16_t>(
      num(a.value("session_id", fresh || d.session.is_null() ? Json(0) : d.session), "session_id"));
  const bool no_user = type == SCREQ || type == SRREQ;
  m.user.value = static_cast<std::uint16_t>(
      num(a.value("user_id", no_user || d.user.is_null() ? Json(0) : d.user), "user_id"));
  m.key_length = static_cast<std::uint8_t>(num(a.value("key_length", Json(0)), "key_length"));
  m.reserved = static_cast<std::uint8_t>(num(a.value("reserved", Json(0)), "reserved"));
  m.group_port = static_cast<std::uint16_t>(num(a.value("group_port", Json(0)), "group_port"));
  if (a.contains("group_address") && !gmp::Ipv4::parse(str(a["group_address"], "group_address"), m.group_address))
    throw ScenarioError("group_address: dotted quad expected");
  if (a.contains("options")) {
    m.options = options_of(a["options"]);
    for (auto& o : options_of(a.value("more_options", Json()))) m.options.push_back(std::move(o));
  } else if (type == SCREQ || type == SRREQ) {
    m.options.push_back(gmp::opt::ClientName{d.client_name});
  } else if (type == SAREQ) {
    m.options.push_back(gmp::opt::MmPort{d.mm_port});
  }
  bool force = flag(a, "force_checksum", false);
  if (force) m.options.push_back(gmp::opt::Unknown{0xF0, {0, 0}});
  std::vector<std::uint8_t> b = gmp::encode(m);
  if (a.contains("tail")) {
    auto t = hex_bytes(str(a["tail"], "tail"));
    b.insert(b.end(), t.begin(), t.end());
  }
  if (a.contains("type_code")) b[1] = static_cast<std::uint8_t>(num(a["type_code"], "type_code"));
  b[0] = static_cast<std::uint8_t>((num(a.value("version", Json(1)), "version") << 4) | (b[0] & 0x0f));
  put16(b, 2, 0);
  if (force) {
    // Make the true checksum 0x0000 with the free unknown option, then send it as 0xFFFF:
    // one's complement arithmetic has two zeros and a receiver must accept both (profile 2).
    std::size_t w = b.size() - 2;
    put16(b, w, gmp::internet_checksum(b));
    put16(b, 2, 0xFFFF);
  } else {
    put16(b, 2, gmp::internet_checksum(b));
  }
  if (a.contains("checksum")) put16(b, 2, static_cast<std::uint16_t>(num(a["checksum"], "checksum")));
  return b;
}

std::vector<std::uint8_t> build_mm(const Json& a, gmp::MmType type, const SendDefaults& d) {
  gmp::MmMessage m;
  m.type = type;
  std::string mode = a.contains("mode") ? str(a["mode"], "mode") : d.mode;
  m.mode = a.contains("mode_code") ? static_cast<std::uint8_t>(num(a["mode_code"], "mode_code"))
                                   : (mode == "closed" ? 2 : 1);
  m.member_type = a.contains("member_type_code")
                      ? static_cast<std::uint8_t>(num(a["member_type_code"], "member_type_code"))
                      : member_code(a.contains("member_type") ? str(a["member_type"], "member_type") : d.role);
  m.r = flag(a, "flags.r", false);
  m.ss = flag(a, "flags.ss", false);
  m.ui = flag(a, "flags.ui", false);
  m.session.value = static_cast<std::uint16_t>(num(a.value("session_id", d.session.is_null() ? Json(0) : d.session), "session_id"));
  m.user.value = static_cast<std::uint16_t>(num(a.value("user_id", d.user.is_null() ? Json(0) : d.user), "user_id"));
  m.group_port = static_cast<std::uint16_t>(num(a.value("group_port", Json(0)), "group_port"));
  if (a.contains("group_address") && !gmp::Ipv4::parse(str(a["group_address"], "group_address"), m.group_address))
    throw ScenarioError("group_address: dotted quad expected");
  m.ka_period.value = static_cast<std::uint8_t>(num(a.value("ka_period", Json(0)), "ka_period"));
  m.ka_timeout.value = static_cast<std::uint8_t>(num(a.value("ka_timeout", Json(0)), "ka_timeout"));
  m.key_length = static_cast<std::uint8_t>(num(a.value("key_length", Json(0)), "key_length"));
  m.reserved = static_cast<std::uint8_t>(num(a.value("reserved", Json(0)), "reserved"));
  if (a.contains("options")) m.options = options_of(a["options"]);
  std::vector<std::uint8_t> b = gmp::encode(m);
  if (a.contains("tail")) {
    auto t = hex_bytes(str(a["tail"], "tail"));
    b.insert(b.end(), t.begin(), t.end());
  }
  if (a.contains("type_code")) b[0] = static_cast<std::uint8_t>((b[0] & 0xf0) | (num(a["type_code"], "type_code") & 0x0f));
  b[0] = static_cast<std::uint8_t>((num(a.value("version", Json(1)), "version") << 4) | (b[0] & 0x0f));
  return b;
}

}  // namespace

std::vector<std::uint8_t> hex_bytes(const std::string& text) {
  std::vector<std::uint8_t> out;
  if (!gmp::json::from_hex(text, out)) throw ScenarioError("bad hex: '" + text + "'");
  return out;
}

Outgoing build_outgoing(const Json& a, const SendDefaults& d) {
  Outgoing o;
  if (a.contains("raw")) {
    o.bytes = hex_bytes(str(a["raw"], "raw"));
  } else if (a.contains("frame")) {
    o.prefixed = false;
    o.bytes = hex_bytes(str(a["frame"], "frame"));
  } else if (a.contains("datagram")) {
    o.tcp = false;
    o.bytes = hex_bytes(str(a["datagram"], "datagram"));
  } else {
    // The channel is the table the type belongs to: SM over TCP, MM over UDP.
    const std::string type = str(a.value("type", Json()), "type");
    if (auto sm = gmp::parse_sm_type(type)) {
      o.bytes = build_sm(a, *sm, d);
    } else if (auto mm = gmp::parse_mm_type(type)) {
      o.tcp = false;
      o.bytes = build_mm(a, *mm, d);
    } else {
      throw ScenarioError("unknown message type '" + type + "'");
    }
  }
  if (a.contains("truncate")) {
    auto n = static_cast<std::size_t>(num(a["truncate"], "truncate"));
    if (n < o.bytes.size()) o.bytes.resize(n);
  }
  if (a.contains("prefix") && o.tcp) {  // an explicit (possibly wrong) TCP length prefix
    auto n = static_cast<std::uint16_t>(num(a["prefix"], "prefix"));
    o.bytes.insert(o.bytes.begin(), {static_cast<std::uint8_t>(n >> 8), static_cast<std::uint8_t>(n & 0xff)});
    o.prefixed = false;
  }
  return o;
}

}  // namespace conform
