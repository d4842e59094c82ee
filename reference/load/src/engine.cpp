#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <functional>
#include <limits>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>

#include "gmp/load.hpp"
#include "gmp/message.hpp"
#include "net.hpp"
#include "responder.hpp"

namespace gmp::load {

namespace {

struct Member {
  SessionId session;
  UserId user;
  std::string name;
};

struct Run {
  const Target& target;
  const Params& p;
  std::vector<Member> all;  // creators first, one per session
  std::vector<std::unique_ptr<SmConn>> creators;
  std::size_t first_member = 0;

  void create_sessions() {
    for (int s = 0; s < p.sessions; ++s) {
      auto c = std::make_unique<SmConn>(target.host, target.sm_port);
      const std::string name = "creator-" + std::to_string(s);
      c->queue(build::screq(name, false));
      c->flush();
      const auto acc = c->read();
      if (acc.type != SmType::SCACC) throw std::runtime_error("creation refused (" + std::string(name_of(acc)) + ")");
      auto inf = build::scinf(acc.session, acc.user, false, false, "load " + std::to_string(s));
      inf.options.emplace_back(opt::Keepalive{KaUnits{p.ka_period}, KaUnits{p.ka_timeout}, p.miss_limit});
      c->queue(inf);
      c->flush();
      const auto con = c->read();
      if (con.type != SmType::SCCON) throw std::runtime_error("SCINF refused (" + std::string(name_of(con)) + ")");
      all.push_back(Member{acc.session, acc.user, name});
      creators.push_back(std::move(c));
    }
    first_member = all.size();
    for (int i = 0; i < p.members; ++i)
      all.push_back(Member{all[static_cast<std::size_t>(i % p.sessions)].session, {}, "m" + std::to_string(i)});
  }

  static std::string_view name_of(const SmMessage& m) { return name(m.type); }

  /// Requests for every member over `connections` pipelined connections in parallel.
  void pipelined(const std::function<SmMessage(const Member&)>& request,
                 const std::function<void(Member&, const SmMessage&)>& on_answer, bool answered) {
    std::vector<std::thread> threads;
    std::vector<std::string> errors(static_cast<std::size_t>(p.connections));
    for (int t = 0; t < p.connections; ++t) {
      threads.emplace_back([&, t] {
        try {
          SmConn c(target.host, target.sm_port);
          std::vector<std::size_t> mine;
          for (std::size_t i = first_member + static_cast<std::size_t>(t); i < all.size();
               i += static_cast<std::size_t>(p.connections))
            mine.push_back(i);
          for (std::size_t k = 0; k < mine.size(); k += batch) {
            const std::size_t end = std::min(mine.size(), k + batch);
            for (std::size_t j = k; j < end; ++j) c.queue(request(all[mine[j]]));
            c.flush();
            if (answered)
              for (std::size_t j = k; j < end; ++j) on_answer(all[mine[j]], c.read());
          }
        } catch (const std::exception& e) {
          errors[static_cast<std::size_t>(t)] = e.what();
        }
      });
    }
    for (auto& th : threads) th.join();
    for (const auto& e : errors)
      if (!e.empty()) throw std::runtime_error(e);
  }
};

}  // namespace

bool Result::held() const {
  return members_missing_rounds == 0 && rounds + 1 >= expected_rounds && active_at_end &&
         *active_at_end == static_cast<std::uint64_t>(members + sessions);
}

std::string Result::to_json() const {
  char buf[768];
  std::snprintf(buf, sizeof buf,
                "{\"members\": %d, \"sessions\": %d, \"registrations_per_s\": %.0f, \"registration_s\": %.3f, "
                "\"joins_s\": %.3f, \"activation_s\": %.3f, \"ka_seconds\": %.1f, \"kares_sent\": %llu, "
                "\"kares_per_s\": %.0f, \"other_mm\": %llu, \"rounds\": %u, \"expected_rounds\": %u, \"members_missing_rounds\": %llu, "
                "\"active_at_end\": %s, \"held\": %s}",
                members, sessions, registrations_per_s, registration_s, join_s, activation_s, ka_seconds,
                static_cast<unsigned long long>(kares_sent), kares_per_s,
                static_cast<unsigned long long>(other_mm), rounds, expected_rounds,
                static_cast<unsigned long long>(members_missing_rounds),
                active_at_end ? std::to_string(*active_at_end).c_str() : "null", held() ? "true" : "false");
  return buf;
}

Result run(const Target& target, const Params& p) {
  if (p.sessions < 1 || p.members < 1 || p.members / p.sessions > 65000)
    throw std::runtime_error("at most 65,000 members per session");
  Run r{target, p, {}, {}, 0};
  Result out;
  out.members = p.members;
  out.sessions = p.sessions;
  r.create_sessions();

  // Registration, then join (profile 5.3, 5.4), pipelined.
  const auto t_reg = Steady::now();
  r.pipelined([](const Member& m) { return build::srreq(m.session, m.name); },
              [](Member& m, const SmMessage& a) {
                if (a.type == SmType::SRACC) m.user = a.user;
              },
              true);
  out.registration_s = seconds_since(t_reg);
  out.registrations_per_s = p.members / out.registration_s;
  const auto refused = std::count_if(r.all.begin(), r.all.end(), [](const Member& m) { return m.user.value == 0; });
  if (refused > 0) throw std::runtime_error(std::to_string(refused) + " registrations refused");

  const auto t_join = Steady::now();
  for (std::size_t s = 0; s < r.creators.size(); ++s) {
    r.creators[s]->queue(build::sjreq(r.all[s].session, r.all[s].user));
    r.creators[s]->flush();
    r.creators[s]->read();
  }
  r.pipelined([](const Member& m) { return build::sjreq(m.session, m.user); },
              [](Member&, const SmMessage&) {}, true);
  out.join_s = seconds_since(t_join);

  // Activation (profile 5.5): the UDP sockets and their responders first, then SAREQ.
  std::vector<int> fds;
  std::vector<std::uint16_t> ports;
  for (int k = 0; k < p.sockets; ++k) {
    std::uint16_t port = 0;
    fds.push_back(udp_socket(target.host, port));
    ports.push_back(port);
  }
  std::vector<SessionId> sessions;
  for (std::size_t s = 0; s < r.creators.size(); ++s) sessions.push_back(r.all[s].session);
  Rounds rounds(sessions);
  Counters counters;
  std::atomic<bool> stop{false};
  std::vector<std::thread> responders;
  for (int t = 0; t < p.threads; ++t) {
    std::vector<int> mine;
    for (std::size_t k = static_cast<std::size_t>(t); k < fds.size(); k += static_cast<std::size_t>(p.threads))
      mine.push_back(fds[k]);
    const bool big_first = !mine.empty() && mine.front() == fds.front();
    responders.emplace_back([&, mine, big_first] { respond(mine, big_first, p.udp_offload, target.host, target.mm_port, stop, counters, rounds); });
  }
  const auto t_act = Steady::now();
  for (std::size_t s = 0; s < r.creators.size(); ++s) {
    r.creators[s]->queue(build::sareq(r.all[s].session, r.all[s].user, ports[0]));
    r.creators[s]->flush();
  }
  r.pipelined([&](const Member& m) { return build::sareq(m.session, m.user, ports[std::hash<std::string>{}(m.name) % ports.size()]); },
              [](Member&, const SmMessage&) {}, false);
  // SAREQ has no SM answer (profile 5.5): the activation is done when every member got its
  // first KAREQ. The keepalive time starts then, so that a server still working through the
  // SAREQs does not eat into it; after 60 s it starts anyway (the members never polled then
  // count as missing their rounds).
  const auto activation_limit = t_act + std::chrono::seconds(60);
  while (rounds.polled.load() < r.all.size() && Steady::now() < activation_limit)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  out.activation_s = seconds_since(t_act);

  // Keepalive for `seconds`; in the last second each creator asks for the active count.
  const auto t_ka = Steady::now();
  const std::uint64_t before = counters.kares.load();
  const sockaddr_in mm = address(target.host, target.mm_port);
  bool asked = !p.count_active;
  int asks = 0;
  auto next_ask = t_ka + std::chrono::duration_cast<Steady::duration>(std::chrono::duration<double>(std::max(0.0, p.seconds - 1.0)));
  while (seconds_since(t_ka) < p.seconds || (!asked && asks < 3)) {
    if (!asked && Steady::now() >= next_ask) {
      for (std::size_t s = 0; s < sessions.size(); ++s) {
        if (rounds.member_count[s].load() != std::numeric_limits<std::uint64_t>::max()) continue;
        const auto q = encode(build::uireq(sessions[s], r.all[s].user, MemberType::creator, Mode::open));
        ::sendto(fds[0], q.data(), q.size(), 0, reinterpret_cast<const sockaddr*>(&mm), sizeof mm);
      }
      ++asks;
      next_ask = Steady::now() + std::chrono::milliseconds(500);
    }
    asked = p.count_active && std::all_of(rounds.member_count.begin(), rounds.member_count.end(), [](const auto& c) {
              return c.load() != std::numeric_limits<std::uint64_t>::max();
            });
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  out.ka_seconds = seconds_since(t_ka);
  out.kares_sent = counters.kares.load() - before;
  out.kares_per_s = static_cast<double>(out.kares_sent) / out.ka_seconds;
  stop = true;
  for (auto& t : responders) t.join();
  if (p.terminate_at_end) {  // TRREQ from each creator (Figure 21): the next step starts clean
    for (std::size_t s = 0; s < sessions.size(); ++s) {
      const auto q = encode(build::trreq(sessions[s], r.all[s].user, Mode::open));
      ::sendto(fds[0], q.data(), q.size(), 0, reinterpret_cast<const sockaddr*>(&mm), sizeof mm);
    }
  }
  for (int fd : fds) ::close(fd);
  out.other_mm = counters.other.load();

  // What the wire says about each member (creators included). The session's last round may
  // still have been on its way when the responders stopped: a member must have seen every
  // round from its first up to the session's highest but one.
  std::uint64_t active = 0;
  bool counted = p.count_active;
  std::vector<std::uint32_t> highest(sessions.size(), 0);
  out.rounds = std::numeric_limits<std::uint32_t>::max();
  for (std::size_t s = 0; s < sessions.size(); ++s) {
    const auto c = rounds.member_count[s].load();
    if (c == std::numeric_limits<std::uint64_t>::max()) counted = false;
    else active += c + rounds.listed[s].load();
    std::uint32_t first = std::numeric_limits<std::uint32_t>::max();
    for (const auto& seen : rounds.by_slot[s]) {
      highest[s] = std::max(highest[s], seen.last);
      if (seen.count > 0) first = std::min(first, seen.first);
    }
    const std::uint32_t ran = first == std::numeric_limits<std::uint32_t>::max() ? 0 : highest[s] - first;
    out.rounds = std::min(out.rounds, ran);
  }
  if (sessions.empty()) out.rounds = 0;
  // Rounds the KA period gives over the keepalive time (profile 6.1: one every KA period).
  out.expected_rounds = static_cast<std::uint32_t>(out.ka_seconds * 10.0 / p.ka_period);
  if (counted) out.active_at_end = active;
  for (const auto& m : r.all) {
    const auto s = static_cast<std::size_t>(rounds.slot_of_session[m.session.value]);
    const auto& seen = rounds.by_slot[s][m.user.value];
    const bool missing = seen.count == 0 || seen.count < seen.last - seen.first + 1 ||
                         seen.last + 1 < highest[s];
    if (missing) ++out.members_missing_rounds;
  }
  return out;
}

}  // namespace gmp::load
