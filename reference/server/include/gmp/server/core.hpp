// The GMP server core: every SM and MM procedure of the profile, without I/O, clock or
// threads. It speaks the one sans-I/O contract of gmp/sansio.hpp (shared with the client core):
//
//   Inputs, each with `now` (the caller's clock reading; the core never reads a clock):
//     handle_sm_opened / handle_sm_closed        a TCP connection began / ended (profile 1)
//     handle_sm_bytes  / handle_sm               one framed SM message, raw or decoded
//     handle_framing_error                       the caller's SmFramer failed on a connection
//     handle_write_overflow                      a peer does not read its answers
//     handle_mm_bytes  / handle_mm               one UDP datagram with its source, raw or decoded
//     handle_mm_oversize                         a datagram the caller could not read whole
//     handle_timeout                             called at or after next_deadline()
//     shutdown                                   SIGINT/SIGTERM: every session ends (TRIND)
//   Outputs, drained after EVERY input in this order:
//     1. poll_transmit() until empty: SendSm / SendMm / CloseConn, in the order to perform them
//     2. poll_event()    until empty: session created / terminated / deleted (for the log)
//     3. next_deadline():             when to call handle_timeout() next (nullopt: no timer)
//
// The core implements the profile and nothing else: test builds that break a behaviour on
// purpose wrap these inputs and outputs from outside (docs/architecture.md). Shaped like
// quinn-proto.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <variant>
#include <vector>

#include "gmp/message.hpp"
#include "gmp/server/counters.hpp"
#include "gmp/sansio.hpp"
#include "gmp/server/random.hpp"

namespace gmp::server {

using sansio::Clock;
using sansio::Millis;
using sansio::Time;

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
/// What to put on the wire (or close), in order: output 1 of the contract.
using Transmit = std::variant<SendSm, SendMm, CloseConn>;

/// Profile 5.1 step 4 (clause 7.1.1): SCCON sent, the session is on the list.
struct SessionCreated { SessionId session; UserId creator; };
/// Profile 6.3 (Figures 16, 20, 21, 22) or shutdown: the session left the list. `cause` is the
/// member whose message or silence ended it (0: deletion by SDREQ).
struct SessionTerminated { SessionId session; UserId cause; };
/// Profile 5.6 (Table 1 SDREQ/SDRES): the creator deleted its session (SDRES REASON 0).
struct SessionDeleted { SessionId session; UserId creator; };
/// What happened, for logs and user interfaces: output 2 of the contract.
using Event = std::variant<SessionCreated, SessionTerminated, SessionDeleted>;

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
  std::uint16_t group_port_when_unset = 5004;  // when SCINF proposes port 0
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

struct DecisionHooks;

// The inputs and outputs are virtual only so that a test build can wrap them
// (docs/architecture.md); the shipped server uses this class as it is.
class Server {
 public:
  Server(Config config, std::unique_ptr<Random> random);
  virtual ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Connections (profile 1: SM over TCP). Above the connection limit, opened() closes it.
  virtual void handle_sm_opened(ConnId c, Ipv4 peer, Time now);
  virtual void handle_sm_closed(ConnId c, Time now);
  /// The shell's framer failed (frame_* errors) or buffered too much: counted, then closed.
  virtual void handle_framing_error(ConnId c, DecodeError e, Time now);
  /// The peer does not read its answers: counted, then closed.
  virtual void handle_write_overflow(ConnId c, Time now);

  // SM: one framed message (without its length prefix), or an already decoded message.
  virtual void handle_sm_bytes(ConnId c, Ipv4 peer, std::span<const std::uint8_t> bytes, Time now);
  virtual void handle_sm(ConnId c, Ipv4 peer, const SmMessage& m, Time now);
  // MM: one UDP payload, or a decoded message, with its source address.
  virtual void handle_mm_bytes(Endpoint from, std::span<const std::uint8_t> bytes, Time now);
  virtual void handle_mm(Endpoint from, const MmMessage& m, Time now);
  /// Counts an MM datagram the shell could not read whole (profile 3).
  virtual void handle_mm_oversize(Time now);

  /// Runs every timer due at `now`: keepalive rounds and their timeouts, pending creations.
  virtual void handle_timeout(Time now);
  [[nodiscard]] std::optional<Time> next_deadline() const;
  /// Server shutdown (SIGINT/SIGTERM): TRIND to every member of every session, then empty.
  virtual void shutdown(Time now);

  /// Output 1: the next transmit, nullopt when none is left (round KAREQs are made lazily).
  virtual std::optional<Transmit> poll_transmit();
  /// Output 2: the next event, after the transmits.
  virtual std::optional<Event> poll_event();
  /// Every transmit at once (tests and simulation).
  std::vector<Transmit> take_transmits();

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

 protected:
  /// Replaces the profile's decisions (core/hooks.hpp); only a test build calls it.
  void set_decision_hooks(const DecisionHooks& hooks);

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace gmp::server
