#include "pixit.hpp"

#include <yaml-cpp/yaml.h>

#include <set>

namespace conform {

namespace {

// Every PIXIT value, with its default and kind ('i' integer, 's' text).
const std::map<std::string, std::pair<Json, char>> pixit_spec = {
    {"ka_period", {1, 'i'}},          // KEEPALIVE period the scenarios ask for (100 ms units)
    {"ka_timeout", {1, 'i'}},         // KEEPALIVE timeout (100 ms units), <= period
    {"miss_limit", {1, 'i'}},
    {"second_address", {"127.0.0.2", 's'}},  // another local source address (spoofing tests)
    {"forbidden_creator", {"mallory", 's'}}, // a name the server refuses as creator
    {"max_sessions", {0, 'i'}},       // the server's session limit (pics session_limit)
    {"pending_timeout_ms", {0, 'i'}}, // the server's SCINF timeout (pics pending_timeout)
    {"max_sm_size", {4096, 'i'}},     // the server's largest accepted SM message
    {"name_prefix", {"", 's'}},       // prepended to every CLIENT-NAME
    // Named slacks (ms) the scenarios add to protocol times, never literal "+ 80"s:
    {"timer_slack_ms", {80, 'i'}},     // after a server timer ran out (KA timeout, pending creation)
    {"reaction_slack_ms", {200, 'i'}}, // on a reaction due after keepalive rounds (TRIND, KDUPT)
    {"quiet_slack_ms", {50, 'i'}},     // on a "nothing during N rounds" and a next-round window
    {"max_members", {0, 'i'}},        // members per session the server accepts (0: not declared)
    {"parallel", {0, 'i'}},           // test purposes it can serve at once (0: no bound)
};
const std::set<std::string> pics_names = {"open_mode", "closed_mode", "secure_mode",
                                          "creator_restriction", "session_limit",
                                          "pending_timeout", "second_address"};

void derive(Pixit& p) {
  p.values["ka_ms"] = p.values["ka_period"].get<long long>() * 100;
  p.values["kt_ms"] = p.values["ka_timeout"].get<long long>() * 100;
  p.values["window_ms"] = p.window_ms;
}

}  // namespace

Pixit default_pixit() {
  Pixit p;
  for (const auto& [k, v] : pixit_spec) p.values[k] = v.first;
  p.pics = {{"open_mode", true},           {"closed_mode", true},
            {"secure_mode", true},         {"creator_restriction", false},
            {"session_limit", false},      {"pending_timeout", false},
            {"second_address", true}};
  derive(p);
  return p;
}

bool load_pixit(const std::string& path, Pixit& out, std::vector<std::string>& errors) {
  std::size_t before = errors.size();
  auto err = [&](const YAML::Node& n, const std::string& m) {
    errors.push_back(path + ":" + std::to_string(n.Mark().line + 1) + ": " + m);
  };
  try {
    YAML::Node root = YAML::LoadFile(path);
    for (const auto& kv : root) {
      const std::string sec = kv.first.Scalar();
      if (sec == "pics") {
        for (const auto& e : kv.second) {
          if (!pics_names.count(e.first.Scalar())) err(e.first, "unknown PICS item '" + e.first.Scalar() + "'");
          try {
            out.pics[e.first.Scalar()] = e.second.as<bool>();
          } catch (const YAML::Exception&) {
            err(e.second, "PICS '" + e.first.Scalar() + "' must be true or false");
          }
        }
      } else if (sec == "pixit") {
        for (const auto& e : kv.second) {
          auto it = pixit_spec.find(e.first.Scalar());
          if (it == pixit_spec.end()) {
            err(e.first, "unknown PIXIT item '" + e.first.Scalar() + "'");
            continue;
          }
          try {
            if (it->second.second == 'i') {
              long long v = e.second.as<long long>();
              if (v < 0 || v > 65535) err(e.second, it->first + ": 0..65535 expected");
              out.values[it->first] = v;
            } else {
              out.values[it->first] = e.second.as<std::string>();
            }
          } catch (const YAML::Exception&) {
            err(e.second, it->first + ": " + (it->second.second == 'i' ? "integer" : "text") + " expected");
          }
        }
      } else if (sec == "timing") {
        for (const auto& e : kv.second) {
          const std::string k = e.first.Scalar();
          double v = 0;
          try {
            v = e.second.as<double>();
          } catch (const YAML::Exception&) {
            err(e.second, k + ": number expected");
            continue;
          }
          if (k == "tolerance_ms") out.tolerance_ms = v;
          else if (k == "tolerance_pct") out.tolerance_pct = v;
          else if (k == "late_ms") out.late_ms = v;
          else if (k == "window_ms") out.window_ms = v;
          else err(e.first, "unknown timing item '" + k + "'");
        }
      } else if (sec == "implementation") {
        for (const auto& e : kv.second) {
          const std::string k = e.first.Scalar();
          if (k == "name") out.implementation_name = e.second.Scalar();
          else if (k == "version") out.implementation_version = e.second.Scalar();
          else err(e.first, "unknown implementation item '" + k + "' (name, version)");
        }
      } else if (sec != "client") {  // client: read by the client suite (client/client_pixit.cpp)
        err(kv.first, "unknown section '" + sec + "' (client, implementation, pics, pixit, timing)");
      }
    }
    long long kp = out.values["ka_period"].get<long long>(), kt = out.values["ka_timeout"].get<long long>();
    if (kp < 1 || kp > 255 || kt < 1 || kt > kp)
      errors.push_back(path + ": ka_period must be 1..255 and ka_timeout 1..ka_period");
  } catch (const YAML::Exception& e) {
    errors.push_back(path + ":" + std::to_string(e.mark.line + 1) + ": " + e.msg);
  }
  derive(out);
  return errors.size() == before;
}

std::string pics_unmet(const Pixit& p, const std::vector<std::string>& conditions) {
  for (const auto& c : conditions) {
    bool neg = !c.empty() && c[0] == '!';
    std::string name = neg ? c.substr(1) : c;
    auto it = p.pics.find(name);
    bool v = it != p.pics.end() && it->second;
    if (v == neg) return c;
  }
  return "";
}

bool load_deviations(const std::string& path, std::map<std::string, std::string>& out,
                     std::vector<std::string>& errors) {
  try {
    YAML::Node root = YAML::LoadFile(path);
    if (!root.IsMap()) {
      errors.push_back(path + ": a mapping 'ID: reason' is expected");
      return false;
    }
    for (const auto& kv : root) {
      if (!kv.second.IsScalar() || kv.second.Scalar().empty()) {
        errors.push_back(path + ":" + std::to_string(kv.first.Mark().line + 1) + ": " +
                         kv.first.Scalar() + ": a non-empty reason is required");
        continue;
      }
      out[kv.first.Scalar()] = kv.second.Scalar();
    }
  } catch (const YAML::Exception& e) {
    errors.push_back(path + ":" + std::to_string(e.mark.line + 1) + ": " + e.msg);
    return false;
  }
  return true;
}

namespace {
// One pattern element at p[pi] against c: '?', a class "[a-z0-9]" or a literal. Sets `len`.
bool element_match(const std::string& p, std::size_t pi, char c, std::size_t& len) {
  if (p[pi] == '?') return len = 1, true;
  if (p[pi] == '[') {
    std::size_t e = p.find(']', pi + 1);
    if (e != std::string::npos) {
      len = e - pi + 1;
      for (std::size_t k = pi + 1; k < e; ++k) {
        if (k + 2 < e && p[k + 1] == '-') {
          if (c >= p[k] && c <= p[k + 2]) return true;
          k += 2;
        } else if (p[k] == c) {
          return true;
        }
      }
      return false;
    }
  }
  len = 1;
  return p[pi] == c;
}
}  // namespace

bool glob_match(const std::string& p, const std::string& t) {
  std::size_t pi = 0, ti = 0, star = std::string::npos, mark = 0, len = 1;
  while (ti < t.size()) {
    if (pi < p.size() && p[pi] != '*' && element_match(p, pi, t[ti], len)) {
      pi += len;
      ++ti;
    } else if (pi < p.size() && p[pi] == '*') {
      star = pi++;
      mark = ti;
    } else if (star != std::string::npos) {
      pi = star + 1;
      ti = ++mark;
    } else {
      return false;
    }
  }
  while (pi < p.size() && p[pi] == '*') ++pi;
  return pi == p.size();
}

std::string deviation_for(const std::map<std::string, std::string>& d, const std::string& id) {
  for (const auto& [pat, reason] : d)
    if (glob_match(pat, id)) return reason;
  return "";
}

}  // namespace conform
