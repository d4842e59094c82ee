// The scripted mode's command parser (docs/client.md, "Script language").
#include "gmp/client/script.hpp"

#include <algorithm>
#include <array>
#include <charconv>

#include "gmp/json.hpp"

namespace gmp::client::script {

namespace {

struct VerbSpec {
  std::string_view verb;
  bool needs_target;
  std::array<std::string_view, 16> keys;   // allowed key=value arguments
  std::array<std::string_view, 4> words;   // allowed bare words ("*" : any one word)
};

// The grammar, one row per command.
constexpr std::array<VerbSpec, 14> verbs{{
    {"hello", false, {}, {"*"}},  // the adapter handshake (docs/client-adapter.md)
    {"create", true,
     {"session-name", "session-info", "owner-info", "start-time", "end-time", "media-info",
      "app-info", "keepalive", "base", "allow", "key", "group", "option"},
     {"open", "closed", "secure"}},
    {"register", true, {"session", "key"}, {"creator"}},
    {"join", true, {}, {}},
    {"activate", true, {"port"}, {}},
    {"members", true, {}, {}},
    {"leave", true, {}, {"if-participant"}},
    {"terminate", true, {}, {}},
    {"delete", true, {}, {}},
    {"mute", true, {}, {}},
    {"unmute", true, {}, {}},
    {"wait-for", true, {"timeout"}, {"*"}},
    {"sleep", false, {}, {"*"}},
    {"quit", false, {}, {}},
}};

const VerbSpec* find_verb(std::string_view v) {
  for (const auto& s : verbs)
    if (s.verb == v) return &s;
  return nullptr;
}

bool contains(const auto& arr, std::string_view x) {
  return std::find(arr.begin(), arr.end(), x) != arr.end();
}

}  // namespace

bool known_verb(std::string_view verb) { return find_verb(verb) != nullptr; }

const std::string* Command::get(std::string_view key) const {
  for (const auto& [k, v] : args)
    if (k == key) return &v;
  return nullptr;
}

std::vector<std::string> Command::get_all(std::string_view key) const {
  std::vector<std::string> out;
  for (const auto& [k, v] : args)
    if (k == key) out.push_back(v);
  return out;
}

bool Command::has_word(std::string_view w) const {
  return std::find(words.begin(), words.end(), w) != words.end();
}

bool tokenize(std::string_view line, std::vector<std::string>& out, std::string& error) {
  out.clear();
  std::size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t' || line[i] == '\r')) ++i;
    if (i >= line.size() || line[i] == '#') break;
    std::string tok;
    bool quoted = false;
    while (i < line.size()) {
      const char ch = line[i];
      if (!quoted && (ch == ' ' || ch == '\t' || ch == '\r')) break;
      if (ch == '"') {
        quoted = !quoted;
        ++i;
        continue;
      }
      if (quoted && ch == '\\' && i + 1 < line.size()) {
        tok.push_back(line[i + 1]);
        i += 2;
        continue;
      }
      tok.push_back(ch);
      ++i;
    }
    if (quoted) {
      error = "unterminated quote";
      return false;
    }
    out.push_back(std::move(tok));
  }
  return true;
}


namespace {
bool is_event_name(std::string_view word) {
  for (int k = 0; k <= static_cast<int>(EventKind::error); ++k)
    if (name(static_cast<EventKind>(k)) == word) return true;
  return false;
}
}  // namespace

std::optional<Command> parse_line(std::string_view line, std::size_t line_no, std::string& error) {
  error.clear();
  std::vector<std::string> toks;
  if (!tokenize(line, toks, error)) return std::nullopt;
  if (toks.empty()) return std::nullopt;
  Command c;
  c.line = line_no;
  c.text = std::string(line);
  c.verb = toks[0];
  const VerbSpec* spec = find_verb(c.verb);
  if (!spec) {
    error = "unknown command '" + c.verb + "'";
    return std::nullopt;
  }
  std::size_t i = 1;
  if (spec->needs_target) {
    if (i >= toks.size() || toks[i].find('=') != std::string::npos) {
      error = c.verb + ": missing the membership name";
      return std::nullopt;
    }
    c.target = toks[i++];
  }
  for (; i < toks.size(); ++i) {
    const std::string& t = toks[i];
    if (t == "as" && (c.verb == "create" || c.verb == "register")) {
      if (i + 1 >= toks.size()) {
        error = "as: missing the client name";
        return std::nullopt;
      }
      c.as = toks[++i];
      continue;
    }
    const auto eq = t.find('=');
    const bool any_word = contains(spec->words, "*");
    if (eq != std::string::npos && !(any_word && c.verb == "wait-for" && t.substr(0, eq) != "timeout")) {
      const std::string key = t.substr(0, eq);
      if (!contains(spec->keys, key)) {
        error = c.verb + ": unknown argument '" + key + "'";
        return std::nullopt;
      }
      c.args.emplace_back(key, t.substr(eq + 1));
      continue;
    }
    if (!any_word && !contains(spec->words, t)) {
      error = c.verb + ": unexpected word '" + t + "'";
      return std::nullopt;
    }
    c.words.push_back(t);
  }
  if ((c.verb == "create" || c.verb == "register") && c.as.empty()) {
    error = c.verb + ": missing 'as CLIENT-NAME'";
    return std::nullopt;
  }
  if (c.verb == "register" && !c.get("session")) {
    error = "register: missing session=ID";
    return std::nullopt;
  }
  if ((c.verb == "wait-for" || c.verb == "sleep" || c.verb == "hello") && c.words.size() != 1) {
    error = c.verb + (c.verb == "sleep"   ? ": expected one duration in ms"
                      : c.verb == "hello" ? ": expected the contract version (hello 1)"
                                          : ": expected one EVENT");
    return std::nullopt;
  }
  if (c.verb == "wait-for" && !is_event_name(c.words[0].substr(0, c.words[0].find('=')))) {
    // A misspelt event would otherwise wait out its whole timeout for nothing.
    error = "wait-for: no event named '" + c.words[0].substr(0, c.words[0].find('=')) +
            "' (docs/client.md, wait-for: state=..., received=..., key=..., ended, ...)";
    return std::nullopt;
  }
  return c;
}

std::vector<std::string> split_list(std::string_view s) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= s.size()) {
    const auto comma = s.find(',', start);
    const auto item = s.substr(start, comma == std::string_view::npos ? s.npos : comma - start);
    if (!item.empty()) out.emplace_back(item);
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return out;
}

bool parse_bytes(std::string_view spec, std::vector<std::uint8_t>& out) {
  out.clear();
  if (spec.starts_with("text:")) {
    spec.remove_prefix(5);
    out.assign(spec.begin(), spec.end());
    return true;
  }
  if (spec.starts_with("hex:")) spec.remove_prefix(4);
  return json::from_hex(spec, out);
}

bool parse_access_key(std::string_view spec, std::vector<std::uint8_t>& out) {
  return parse_bytes(spec, out) && !out.empty() && out.size() <= opt::max_access_key;
}

bool parse_number(std::string_view s, std::uint64_t max, std::uint64_t& out) {
  int base = 10;
  if (s.starts_with("0x") || s.starts_with("0X")) {
    s.remove_prefix(2);
    base = 16;
  }
  if (s.empty()) return false;
  const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out, base);
  return ec == std::errc{} && p == s.data() + s.size() && out <= max;
}

bool parse_keepalive(std::string_view s, opt::Keepalive& out) {
  const auto parts = split_list(s);
  if (parts.size() < 2 || parts.size() > 3) return false;
  std::uint64_t v[3] = {0, 0, 1};
  for (std::size_t i = 0; i < parts.size(); ++i)
    if (!parse_number(parts[i], 255, v[i])) return false;
  out.period = KaUnits{static_cast<std::uint8_t>(v[0])};
  out.timeout = KaUnits{static_cast<std::uint8_t>(v[1])};
  out.miss_limit = static_cast<std::uint8_t>(v[2]);
  return true;
}

bool parse_create(const Command& c, CreateParams& p, std::string& error) {
  p = CreateParams{};
  p.client_name = c.as;
  p.closed = c.has_word("closed");
  p.secure = c.has_word("secure");
  if (c.has_word("open") && p.closed) {
    error = "create: both open and closed";
    return false;
  }
  if (const auto* n = c.get("session-name")) p.session_name = *n;
  // SCINF options in the order of the profile's table (section 4).
  auto text = [&](const char* key, auto make) {
    if (const auto* v = c.get(key)) p.extra.push_back(make(*v));
  };
  text("session-info", [](const std::string& v) { return Option{opt::SessionInfo{v}}; });
  text("owner-info", [](const std::string& v) { return Option{opt::OwnerInfo{v}}; });
  for (const char* key : {"start-time", "end-time"}) {
    if (const auto* v = c.get(key)) {
      std::uint64_t secs = 0;
      if (!parse_number(*v, UINT64_MAX, secs)) {
        error = std::string("create: bad ") + key;
        return false;
      }
      if (std::string_view(key) == "start-time") p.extra.push_back(opt::StartTime{secs});
      else p.extra.push_back(opt::EndTime{secs});
    }
  }
  text("media-info", [](const std::string& v) { return Option{opt::MediaInfo{v}}; });
  text("app-info", [](const std::string& v) { return Option{opt::AppInfo{v}}; });
  if (const auto* v = c.get("keepalive")) {
    opt::Keepalive k;
    if (!parse_keepalive(*v, k)) {
      error = "create: keepalive=PERIOD,TIMEOUT[,MISS-LIMIT] expected";
      return false;
    }
    p.extra.push_back(k);
  }
  for (const auto& list : c.get_all("base"))
    for (const auto& n : split_list(list)) p.extra.push_back(opt::BaseMember{n});
  for (const auto& list : c.get_all("allow"))
    for (const auto& n : split_list(list)) p.extra.push_back(opt::Allow{n});
  if (const auto* v = c.get("key")) {
    opt::AccessKey k;
    if (!parse_access_key(*v, k.bytes)) {
      error = "create: key=hex:... or key=text:... of 1..64 bytes expected";
      return false;
    }
    p.extra.push_back(k);
  }
  if (const auto* v = c.get("group")) {
    const auto colon = v->rfind(':');
    std::uint64_t port = 0;
    if (colon == std::string::npos || !Ipv4::parse(v->substr(0, colon), p.group_address) ||
        !parse_number(v->substr(colon + 1), 65535, port)) {
      error = "create: group=A.B.C.D:PORT expected";
      return false;
    }
    p.group_port = static_cast<std::uint16_t>(port);
  }
  for (const auto& v : c.get_all("option")) {  // option=CODE:HEX, any option, for tests
    const auto colon = v.find(':');
    std::uint64_t code = 0;
    opt::Unknown u;
    if (colon == std::string::npos || !parse_number(v.substr(0, colon), 255, code) ||
        !parse_bytes(v.substr(colon + 1), u.value)) {
      error = "create: option=CODE:HEX expected";
      return false;
    }
    u.type = static_cast<std::uint8_t>(code);
    p.extra.push_back(u);
  }
  return true;
}

}  // namespace gmp::client::script
