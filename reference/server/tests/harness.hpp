// Test harness for the server core: a fake clock, clients with their own IP, connection and MM
// port, and helpers that walk a session through the profile's procedures while checking every
// message the core sends is valid on the wire.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

#include "gmp/message.hpp"
#include "gmp/server/core.hpp"

namespace gmp::server::test {

using namespace std::chrono_literals;

struct Client {
  std::string name;
  Ipv4 ip;
  ConnId conn;
  std::uint16_t mm_port = 0;
  UserId user;
  MemberType type = MemberType::participant;
  [[nodiscard]] Endpoint mm() const { return Endpoint{ip, mm_port}; }
};

struct SessionParams {
  bool closed = false;
  bool secure = false;
  opt::Keepalive ka{KaUnits{10}, KaUnits{5}, 1};
  std::vector<std::string> base;
  std::vector<std::string> allow;
  std::vector<std::uint8_t> access_key;
  Ipv4 group{0xEFFF0A14};  // 239.255.10.20
  std::uint16_t group_port = 5004;
};

Ipv4 ip(const char* dotted);
SmMessage scinf_for(SessionId s, UserId creator, const SessionParams& p);

class Harness {
 public:
  explicit Harness(Config cfg = {}, std::uint64_t seed = 1);
  /// A harness around a server built elsewhere (the fault layer's, in the faults tests).
  explicit Harness(std::unique_ptr<Server> server);

 private:
  std::unique_ptr<Server> owned_;

 public:
  Server& srv;
  Time now = Time{} + std::chrono::hours(1);
  bool validate_out = true;  // every message sent must pass gmp::validate

  Client client(const std::string& name, int host, MemberType type = MemberType::participant);

  // Inputs, through the wire bytes (encode, then the core's decoder).
  void sm(const Client& c, const SmMessage& m);
  void mm(const Client& c, const MmMessage& m);
  void mm_from(Endpoint from, const MmMessage& m);

  std::vector<Transmit> take();
  /// Exactly one action, an SM message on `c`'s connection.
  SmMessage one_sm(const Client& c);
  /// Exactly one action, an MM message to `c`'s MM address.
  MmMessage one_mm(const Client& c);
  void expect_nothing();

  /// Fires every deadline up to now + d, in order; returns every action produced.
  std::vector<Transmit> advance(Millis d);
  /// Advances to the next deadline only.
  std::vector<Transmit> step();

  // Procedures, with their exact answers checked.
  SessionId create(Client& creator, const SessionParams& p = {});
  void register_to(SessionId s, Client& c, bool closed = false);
  void join(SessionId s, Client& c);
  /// SAREQ -> KAREQ (round `round`) -> KARES -> active. Returns actions after the KARES.
  std::vector<Transmit> activate(SessionId s, Client& c, Mode mode = Mode::open);
  MmMessage kares(SessionId s, const Client& c, std::optional<std::uint32_t> round,
                  Mode mode = Mode::open) const;

  /// A text fingerprint of the whole observable state (sessions, members, deadlines, pending).
  std::string fingerprint() const;
  MemberState state(SessionId s, const Client& c) const;
  bool polled(SessionId s, const Client& c) const;
};

// Null-safe option readers: a missing option fails the test instead of crashing it.
Reason reason_in(const SmMessage& m);
std::uint32_t ka_seq(const MmMessage& m);
std::uint16_t key_epoch_in(const MmMessage& m);
std::uint32_t member_count_in(const MmMessage& m);
std::uint32_t member_count_at1(const MmMessage& m);

/// MM messages among `actions`, by recipient.
std::vector<const SendMm*> mm_to(const std::vector<Transmit>& actions, Endpoint to);
std::vector<const SendMm*> all_mm(const std::vector<Transmit>& actions, MmType type);

}  // namespace gmp::server::test
