#include "capacity.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cmath>
#include <fmt/format.h>

namespace conform::capacity {

namespace {

template <class T>
bool read_int(const YAML::Node& n, const char* key, T& out, long lo, long hi, const std::string& path,
              std::vector<std::string>& errors) {
  const YAML::Node v = n[key];
  if (!v) return true;
  long x = 0;
  try {
    x = v.as<long>();
  } catch (const YAML::Exception&) {
    errors.push_back(fmt::format("{}:{}: capacity.{}: not an integer", path, v.Mark().line + 1, key));
    return false;
  }
  if (x < lo || x > hi) {
    errors.push_back(fmt::format("{}:{}: capacity.{}: {} is outside {}..{}", path, v.Mark().line + 1, key, x, lo, hi));
    return false;
  }
  out = static_cast<T>(x);
  return true;
}

}  // namespace

bool load_settings(const std::string& path, Settings& out, std::vector<std::string>& errors) {
  YAML::Node root;
  try {
    root = YAML::LoadFile(path);
  } catch (const YAML::Exception& e) {
    errors.push_back(fmt::format("{}:{}: {}", path, e.mark.line + 1, e.msg));
    return false;
  }
  const YAML::Node c = root["capacity"];
  if (!c) return true;
  if (!c.IsMap()) {
    errors.push_back(fmt::format("{}:{}: capacity: a mapping is expected", path, c.Mark().line + 1));
    return false;
  }
  static const char* known[] = {"ka_period", "ka_timeout", "miss_limit", "target", "start", "seconds_per_step",
                                "members_per_session", "sockets", "threads", "connections", "udp_offload"};
  for (const auto& kv : c) {
    const auto key = kv.first.as<std::string>();
    if (std::find(std::begin(known), std::end(known), key) == std::end(known))
      errors.push_back(fmt::format("{}:{}: capacity.{}: unknown item", path, kv.first.Mark().line + 1, key));
  }
  bool ok = errors.empty();
  ok &= read_int(c, "ka_period", out.ka_period, 1, 255, path, errors);
  ok &= read_int(c, "ka_timeout", out.ka_timeout, 1, 255, path, errors);
  ok &= read_int(c, "miss_limit", out.miss_limit, 1, 255, path, errors);
  ok &= read_int(c, "target", out.target, 1, 10'000'000, path, errors);
  ok &= read_int(c, "start", out.start, 1, 10'000'000, path, errors);
  ok &= read_int(c, "members_per_session", out.members_per_session, 1, 65000, path, errors);
  ok &= read_int(c, "sockets", out.sockets, 1, 1024, path, errors);
  ok &= read_int(c, "threads", out.threads, 1, 64, path, errors);
  ok &= read_int(c, "connections", out.connections, 1, 1024, path, errors);
  if (const YAML::Node v = c["udp_offload"]) {
    try {
      out.udp_offload = v.as<bool>();
    } catch (const YAML::Exception&) {
      errors.push_back(fmt::format("{}:{}: capacity.udp_offload: true or false", path, v.Mark().line + 1));
      ok = false;
    }
  }
  if (const YAML::Node v = c["seconds_per_step"]) {
    try {
      out.seconds_per_step = v.as<double>();
      if (out.seconds_per_step < 1 || out.seconds_per_step > 3600) throw YAML::Exception(v.Mark(), "");
    } catch (const YAML::Exception&) {
      errors.push_back(fmt::format("{}:{}: capacity.seconds_per_step: 1..3600 seconds", path, v.Mark().line + 1));
      ok = false;
    }
  }
  if (ok && out.start > out.target) {
    errors.push_back(fmt::format("{}: capacity.start is above capacity.target", path));
    ok = false;
  }
  if (ok && out.ka_timeout > out.ka_period) {
    errors.push_back(fmt::format("{}: capacity.ka_timeout is above capacity.ka_period", path));
    ok = false;
  }
  return ok;
}

std::vector<int> ladder(int start, int target) {
  std::vector<int> out;
  static const int mantissa[] = {1, 2, 5};
  for (long decade = 1; decade <= 10'000'000; decade *= 10)
    for (int m : mantissa) {
      const long n = m * decade;
      if (n >= start && n < target) out.push_back(static_cast<int>(n));
    }
  out.push_back(target);
  return out;
}

Report run(const Settings& s, const std::function<std::optional<gmp::load::Target>()>& fresh,
           const std::function<void()>& done_with_step) {
  Report r;
  r.settings = s;
  r.loopback = gmp::load::raw(1.0);
  r.loopback_trains = gmp::load::raw(1.0, true);
  for (int n : ladder(s.start, s.target)) {
    Step step;
    step.members = n;
    const auto target = fresh();
    if (!target) {
      step.error = "the implementation could not be started";
      r.steps.push_back(step);
      break;
    }
    gmp::load::Params p;
    p.members = n;
    p.sessions = std::max(1, static_cast<int>(std::ceil(static_cast<double>(n) / s.members_per_session)));
    p.seconds = s.seconds_per_step;
    p.sockets = s.sockets;
    p.threads = s.threads;
    p.connections = s.connections;
    p.ka_period = s.ka_period;
    p.ka_timeout = s.ka_timeout;
    p.miss_limit = s.miss_limit;
    p.udp_offload = s.udp_offload;
    try {
      step.result = gmp::load::run(*target, p);
      if (!step.result->held()) {
        const auto& m = *step.result;
        if (m.members_missing_rounds > 0)
          step.error = fmt::format("{} members missed a keepalive round (demoted)", m.members_missing_rounds);
        else if (m.rounds + 1 < m.expected_rounds)
          step.error = fmt::format("{} keepalive rounds in {:.1f} s where the KA period asks for {} (the server fell behind)",
                                   m.rounds, m.ka_seconds, m.expected_rounds);
        else if (m.active_at_end)
          step.error = fmt::format("{} of {} members active at the end", *m.active_at_end, n + p.sessions);
        else
          step.error = "no UIRES to count the active members";
      }
    } catch (const std::exception& e) {
      step.error = e.what();
    }
    done_with_step();
    r.steps.push_back(step);
    if (!r.steps.back().held()) break;
    r.largest_held = n;
  }
  return r;
}

nlohmann::json Report::to_json() const {
  nlohmann::json steps_json = nlohmann::json::array();
  for (const auto& st : steps) {
    nlohmann::json j = {{"members", st.members}, {"held", st.held()}};
    if (st.result) j["measured"] = nlohmann::json::parse(st.result->to_json());
    if (!st.error.empty()) j["error"] = st.error;
    steps_json.push_back(j);
  }
  const Step* best = nullptr;
  for (const auto& st : steps)
    if (st.held()) best = &st;
  return {
      {"largest_members_held", largest_held},
      {"registrations_per_s", best ? best->result->registrations_per_s : 0.0},
      {"kares_per_s", best ? best->result->kares_per_s : 0.0},
      {"loopback_datagrams_per_s", loopback.received_per_s},
      {"loopback_trains_datagrams_per_s", loopback_trains.received_per_s},
      {"settings",
       {{"ka_period", settings.ka_period}, {"ka_timeout", settings.ka_timeout}, {"miss_limit", settings.miss_limit},
        {"target", settings.target}, {"start", settings.start}, {"seconds_per_step", settings.seconds_per_step},
        {"udp_offload", settings.udp_offload}}},
      {"steps", steps_json},
  };
}

std::string Report::to_text() const {
  std::string out = fmt::format("capacity: KA period {} ms, timeout {} ms, miss limit {}, {} s per step\n",
                                settings.ka_period * 100, settings.ka_timeout * 100, settings.miss_limit,
                                settings.seconds_per_step);
  for (const auto& st : steps) {
    if (st.result)
      out += fmt::format("  {:>9} members  {}  registrations {:.0f}/s  KARES {:.0f}/s{}\n", st.members,
                         st.held() ? "held  " : "FAILED", st.result->registrations_per_s, st.result->kares_per_s,
                         st.error.empty() ? "" : "  (" + st.error + ")");
    else
      out += fmt::format("  {:>9} members  FAILED  ({})\n", st.members, st.error);
  }
  out += fmt::format(
      "largest N held: {} members (loopback ceiling on this machine: {:.0f} datagrams/s one per message, "
      "{:.0f}/s as GSO/GRO trains; the tester {})\n",
      largest_held, loopback.received_per_s, loopback_trains.received_per_s,
      settings.udp_offload ? "sends and reads trains" : "sends and reads one datagram per message");
  return out;
}

}  // namespace conform::capacity
