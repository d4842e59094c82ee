// The GMP server core: every SM and MM procedure of the profile, without I/O, clock
// or threads. The caller feeds it connection events, messages (decoded, or raw bytes to count
// decode errors) and `now`; it queues actions (send SM on a connection, send MM to an
// address, close a connection) drained with poll_action()/take_actions(), and tells the next
// deadline at which handle_timeout() must be called. Shaped like quinn-proto.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <variant>
#include <vector>

#include "gmp/message.hpp"
#include "gmp/server/counters.hpp"
#include "gmp/server/faults.hpp"
#include "gmp/server/random.hpp"

namespace gmp::server {

using Clock = std::chrono::steady_clock;
using Time = Clock::time_point;  // passed in by the caller; the core never reads a clock
using Millis = std::chrono::milliseconds;

struct ConnId {
  std::uint64_t value = 0;
  friend constexpr auto operator<=>(ConnId, ConnId) = default;
};

struct Endpoint {
  Ipv4 ip;
  std::uint16_t port = 0;
  friend constexpr auto operator<=>(Endpoint, Endpoint) = default;
};

struct SendSm { ConnId conn; SmMessage msg; };
struct SendMm { Endpoint to; MmMessage msg; };
struct CloseConn { ConnId conn; };
using Action = std::variant<SendSm, SendMm, CloseConn>;

struct Config {
  bool secure_supported = true;             // --no-secure clears it (profile 6.6)
  std::vector<std::string> allow_creators;  // empty: anyone may create (SCREJ 2 otherwise)
  Millis pending_timeout{30000};            // profile 5.1 step 3
  std::size_t max_sessions = 1024;          // sessions + pending creations
  // Pending creations (SCACC sent, SCINF awaited) one connection may hold: without it one
  // peer sending SCREQs takes every session slot for the pending timeout (profile 7). 64 is
  // above what a real creator needs and what the conformance tester fills from one connection.
  std::size_t max_pending_per_connection = 64;
  std::size_t max_members = 65535;          // per session (user IDs are 16 bits)
  std::size_t max_members_total = 1000000;  // over every session together (~94 bytes each)
  // UIRES bytes per second over every session (profile 6.4: a UIREQ asks for up to 255 parts
  // of 1,200 bytes); a UIREQ whose answer does not fit is discarded (uires_budget.hpp). 0: off.
  std::size_t uires_rate = 1 << 20;
  std::size_t max_connections = 1024;
  std::size_t max_sm_size = default_max_sm_size;  // SmFramer bound, bytes buffered per conn
  std::uint16_t default_group_port = 5004;  // when SCINF proposes port 0
  FaultSet faults;                          // test only, see faults.hpp
};

enum class MemberState : std::uint8_t { registered = 1, joined = 2, active = 3 };

/// Read-only views for tests, the announcement and the counters.
struct MemberView {
  UserId user;
  std::string name;
  MemberType type = MemberType::participant;
  MemberState state = MemberState::registered;
  bool polled = false;
  std::optional<Endpoint> mm;  // bound MM address
  std::uint16_t key_epoch = 0;
  std::uint8_t misses = 0;
};

struct SessionView {
  SessionId id;
  std::string name;
  std::string info;
  std::string media;
  std::string app;
  std::string owner;  // OWNER-INFO of SCINF
  Mode mode = Mode::open;
  bool secure = false;
  Ipv4 group;
  std::uint16_t group_port = 0;
  KaUnits ka_period;
  KaUnits ka_timeout;
  std::uint8_t miss_limit = 1;
  std::optional<std::uint64_t> start_time;  // START-TIME / END-TIME of SCINF
  std::optional<std::uint64_t> end_time;
  std::uint32_t round = 0;
  std::uint16_t key_epoch = 0;  // 0: not secure
  std::size_t registered = 0;   // members by state
  std::size_t joined = 0;
  std::size_t active = 0;
};

class Server {
 public:
  Server(Config config, std::unique_ptr<Random> random);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Connections (profile 1: SM over TCP). Above the connection limit, opened() closes it.
  void connection_opened(ConnId c, Ipv4 peer, Time now);
  void connection_closed(ConnId c, Time now);
  /// The shell's framer failed (frame_* errors) or buffered too much: counted, then closed.
  void framing_error(ConnId c, DecodeError e, Time now);
  /// The peer does not read its answers: counted, then closed.
  void write_overflow(ConnId c, Time now);

  // SM: one framed message (without its length prefix), or an already decoded message.
  void handle_sm_bytes(ConnId c, Ipv4 peer, std::span<const std::uint8_t> bytes, Time now);
  void handle_sm(ConnId c, Ipv4 peer, const SmMessage& m, Time now);
  // MM: one UDP payload, or a decoded message, with its source address.
  void handle_mm_bytes(Endpoint from, std::span<const std::uint8_t> bytes, Time now);
  void handle_mm(Endpoint from, const MmMessage& m, Time now);
  /// Counts an MM datagram the shell could not read whole.
  void note_oversize_mm();

  /// Runs every timer due at `now`: keepalive rounds and their timeouts, pending creations.
  void handle_timeout(Time now);
  [[nodiscard]] std::optional<Time> next_deadline() const;
  /// Server shutdown (SIGINT/SIGTERM): TRIND to every member of every session, then empty.
  void shutdown(Time now);

  std::optional<Action> poll_action();
  std::vector<Action> take_actions();

  [[nodiscard]] const Counters& counters() const;
  [[nodiscard]] const Config& config() const;
  /// Grows on every change the announcement shows (sessions, member states).
  [[nodiscard]] std::uint64_t state_version() const;
  [[nodiscard]] std::vector<SessionView> sessions() const;
  [[nodiscard]] std::optional<SessionView> session(SessionId s) const;
  [[nodiscard]] std::optional<MemberView> member(SessionId s, UserId u) const;
  /// Every member of a session in registration order (tests, simulation).
  [[nodiscard]] std::vector<MemberView> members(SessionId s) const;
  [[nodiscard]] std::size_t pending_count() const;
  /// Heap bytes held by the member tables (benchmark: bytes per member).
  [[nodiscard]] std::size_t member_memory_bytes() const;

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace gmp::server
