// The sans-I/O GMP client core: one membership (creator or participant) of one session.
// Profile sections 5 and 6 from the client side; Figure 14 (the client MM algorithm) is
// ClientCore::on_mm_message in core_mm.cpp; the states and what moves between them are the
// one table in transitions.cpp.
//
// The contract is gmp/sansio.hpp, the same as the server core's. No sockets, no clock, no
// threads: every input carries `now`, the caller's clock reading.
//   Inputs   handle_sm_bytes(msg, now)    one SM message, without the TCP length prefix
//            handle_sm_closed(now)        the TCP connection ended (or failed)
//            handle_mm_bytes(dgram, now)  one UDP datagram from the server's MM address
//            handle_timeout(now)          at or after next_deadline()
//            the commands below (create, register_to, join, activate, ...)
//   Outputs  after every input the caller drains, in this order:
//            1. poll_transmit() until empty  what to put on the wire (SM: add the prefix)
//            2. poll_event() until empty     what happened (a handler may issue the next
//                                            command, which is a new input)
//            3. next_deadline()              when to call handle_timeout() next
#pragma once

#include <cstdint>
#include <deque>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "gmp/client/event.hpp"
#include "gmp/client/transitions.hpp"
#include "gmp/message.hpp"

namespace gmp::client {

/// Retransmission and answer timeouts (all bounded).
struct Timing {
  Duration sm_answer{5000};    // SM request without answer -> timeout event (TCP: no resend)
  Duration uireq_retry{1000};  // UIREQ resent after this without a complete UIRES
  int uireq_tries = 3;         // UIREQ sends in all before a timeout event
  Duration trreq_retry{1000};  // TRREQ resent after this without TRIND (clause 7.2.4)
  int trreq_tries = 5;         // TRREQ sends in all before a timeout event
};

/// What the creator puts in SCREQ and SCINF (profile 5.1, section 4).
struct CreateParams {
  std::string client_name;  // CLIENT-NAME (SCREQ)
  bool secure = false;      // S in SCREQ and SCINF
  bool closed = false;      // M in SCINF
  std::string session_name = "session";  // SESSION-NAME (required)
  /// The other SCINF options (SESSION-INFO, OWNER-INFO, START-TIME, END-TIME, MEDIA-INFO,
  /// APP-INFO, KEEPALIVE, BASE-MEMBER, ALLOW, ACCESS-KEY, unknown ones), sent in this order.
  Options extra;
  std::uint16_t group_port = 0;
  Ipv4 group_address;  // 0.0.0.0: the server allocates (profile 2)
};

/// What a participant puts in SRREQ (profile 5.3).
struct RegisterParams {
  SessionId session;
  std::string client_name;
  std::vector<std::uint8_t> access_key;  // empty: no ACCESS-KEY option
};

/// Bounds on what a (misbehaving) server can make the core hold.
inline constexpr std::size_t max_queued_events = 4096;
inline constexpr std::size_t max_listed_members = 255 * opt::max_member_entries;
/// The unit of KA period and KA timeout (clause 9.2).
inline constexpr Duration ka_unit{100};

/// The protocol decisions the core takes inside a procedure, in one place. Each starts as the
/// profile requires and the shipped client never changes them; only a test build wrapping the
/// core (reference/client/faulty/) sets another value, to show a tester tells the difference.
struct DecisionHooks {
  // Profile 6.6 [P]: a key replaces the one held only when its epoch is newer.
  bool newer_epochs_only = true;
  // Figure 24: KDUPT belongs to secure sessions; in another one it is discarded.
  bool kdupt_needs_secure = true;
};

/// The inputs, commands and outputs are virtual so that a test build can wrap them (filter
/// what comes in and what goes out); the shipped client uses this class as it is.
class ClientCore {
 public:
  explicit ClientCore(Role role, Timing timing = {});
  virtual ~ClientCore() = default;
  ClientCore(const ClientCore&) = delete;
  ClientCore& operator=(const ClientCore&) = delete;
  void set_decision_hooks(const DecisionHooks& h) { hooks_ = h; }

  // ---- Commands. Each is refused with an `error` event when the state does not allow it
  // (the transition table, transitions.hpp) and the refusal is counted in not_allowed().
  virtual void create(const CreateParams& p, Time now);  // SCREQ (Figure 4)
  /// SRREQ (Figures 6-8). As a creator: re-attach to our own session by our name.
  virtual void register_to(const RegisterParams& p, Time now);
  virtual void join(Time now);                           // SJREQ (Figure 9)
  /// SAREQ with MM-PORT (Figures 10, 11): the caller has bound its MM socket to `mm_port`.
  virtual void activate(std::uint16_t mm_port, Time now);
  virtual void request_members(Time now);  // UIREQ (Figure 18), resent until complete
  virtual void leave(Time now);            // LVREQ (Figures 19, 20)
  virtual void terminate(Time now);        // TRREQ (Figure 21), resent until TRIND
  virtual void remove(Time now);           // SDREQ (Table 1)
  /// While muted the core does not answer KAREQ (a silent member, for tests; Figure 12).
  void set_muted(bool muted) { muted_ = muted; }

  // ---- Input from the network and the timer (gmp/sansio.hpp).
  virtual void handle_sm_bytes(std::span<const std::uint8_t> message, Time now);  // one SM message, no prefix
  virtual void handle_sm_closed(Time now);  // the server closed the TCP connection (or it failed)
  virtual void handle_mm_bytes(std::span<const std::uint8_t> datagram, Time now);
  virtual void handle_timeout(Time now);  // call at or after next_deadline()

  // ---- Output.
  [[nodiscard]] virtual std::optional<Time> next_deadline() const;
  virtual std::optional<Transmit> poll_transmit();
  virtual std::optional<Event> poll_event();

  // ---- Inspection.
  [[nodiscard]] Role role() const { return role_; }
  [[nodiscard]] State state() const { return state_; }
  [[nodiscard]] SessionId session() const { return session_; }
  [[nodiscard]] UserId user() const { return user_; }
  [[nodiscard]] bool secure() const { return secure_; }
  [[nodiscard]] Mode mode() const { return mode_; }
  [[nodiscard]] std::uint16_t group_port() const { return group_port_; }
  [[nodiscard]] Ipv4 group_address() const { return group_address_; }
  [[nodiscard]] std::uint16_t key_epoch() const { return key_epoch_; }
  [[nodiscard]] const std::vector<std::uint8_t>& key() const { return key_; }
  [[nodiscard]] KaUnits ka_period() const { return ka_period_; }
  [[nodiscard]] KaUnits ka_timeout() const { return ka_timeout_; }
  [[nodiscard]] std::uint32_t last_round() const { return highest_round_; }
  [[nodiscard]] bool muted() const { return muted_; }
  /// Our member type: as the server's last KAREQ said, else from our role.
  [[nodiscard]] MemberType member_type() const { return my_type(); }
  [[nodiscard]] bool polled() const { return polled_; }
  [[nodiscard]] bool awaiting_members() const { return uireq_sent_ > 0; }
  [[nodiscard]] bool terminating() const { return trreq_sent_ > 0; }
  [[nodiscard]] std::uint16_t mm_port() const { return mm_port_; }
  /// Events dropped because the caller did not drain them (bounded queue).
  [[nodiscard]] std::uint64_t dropped_events() const { return dropped_events_; }
  /// MM datagrams above max_mm_size, discarded as malformed (profile 3).
  [[nodiscard]] std::uint64_t oversize_discards() const { return oversize_discards_; }
  /// Inputs refused because the current state does not allow them (transitions.hpp): commands
  /// (each with an `error` event) and messages (each with an `unexpected` event).
  [[nodiscard]] std::uint64_t not_allowed() const { return not_allowed_; }

 private:
  // SM answers (core_sm.cpp), one per awaited answer.
  void on_sm_message(const SmMessage& m, std::span<const std::uint8_t> raw, Time now);
  void on_screq_answer(const SmMessage& m, std::span<const std::uint8_t> raw, Time now);
  void on_scinf_answer(const SmMessage& m, std::span<const std::uint8_t> raw);
  void on_srreq_answer(const SmMessage& m, std::span<const std::uint8_t> raw, Time now);
  void on_sjreq_answer(const SmMessage& m, std::span<const std::uint8_t> raw);
  void on_sdreq_answer(const SmMessage& m, std::span<const std::uint8_t> raw);
  void rejected(const SmMessage& m);
  // Figure 14 (core_mm.cpp).
  void on_mm_message(const MmMessage& m, std::span<const std::uint8_t> raw, Time now);
  void on_kareq(const MmMessage& m, std::span<const std::uint8_t> raw, Time now);
  void come_back(Time now);  // profile 6.1 [P], on the silence deadline
  [[nodiscard]] Duration silence_limit() const;
  [[nodiscard]] Duration ka_period_ms() const;
  void on_uires(const MmMessage& m, std::span<const std::uint8_t> raw);
  void on_kdupt(const MmMessage& m, std::span<const std::uint8_t> raw);
  void on_trind(const MmMessage& m, std::span<const std::uint8_t> raw);

  void install_key(const opt::GroupKey& k, const char* source);
  void send_uireq(Time now);
  void send_trreq(Time now);
  void abandon_sm_request();
  void send_sm(const SmMessage& m, std::optional<SmType> awaited, Time now);
  void send_mm(const MmMessage& m);
  // The state machine (transitions.cpp): every state change is apply(input).
  [[nodiscard]] bool allowed(Input in) const;
  bool apply(Input in);
  void refuse_command(std::string detail);  // counted, `error` event
  void refuse_message(Channel c, std::span<const std::uint8_t> raw, std::string why);  // counted
  void invariant(bool holds, const char* what) const;  // aborts in checked builds
  void check_invariants();
  void emit(Event e);
  /// Queues bytes for the shell and reports them as sent.
  void transmit(Channel c, std::vector<std::uint8_t> bytes);
  /// Reports a message as received, or as invalid with its decode error (profile 7: an invalid
  /// message is discarded); true when it decoded and is to be handled.
  bool report(Channel c, std::span<const std::uint8_t> raw, const DecodeResult& r);
  void error(std::string detail);
  void unexpected(Channel c, std::span<const std::uint8_t> raw, std::string why);
  /// TRIND or SDRES 0 (`in`): the session is over for us.
  void end_session(Input in, const char* cause);
  [[nodiscard]] MemberType my_type() const;
  [[nodiscard]] bool has_ids() const { return session_.value != 0 && user_.value != 0; }

  Role role_;
  Timing timing_;
  DecisionHooks hooks_;
  State state_ = State::idle;
  CreateParams create_;  // kept until SCACC to build SCINF

  SessionId session_;
  UserId user_;
  bool secure_ = false;
  Mode mode_ = Mode::open;
  std::uint16_t group_port_ = 0;
  Ipv4 group_address_;
  std::optional<MemberType> server_type_;  // our member type as the server's KAREQ says

  // The one outstanding SM request (TCP carries one exchange at a time for us).
  std::optional<SmType> awaited_;  // the request whose answer we wait for
  Time sm_deadline_{};
  State before_join_ = State::registered;  // restored when SJREQ gets no answer

  // MM side.
  std::uint16_t mm_port_ = 0;
  bool muted_ = false;
  bool polled_ = false;  // SAREQ sent and no LVREQ since (profile 6.1)
  KaUnits ka_period_, ka_timeout_;
  std::uint32_t highest_round_ = 0;
  bool seen_kareq_ = false;
  std::optional<Time> comeback_at_;  // when silence makes us send an unsolicited KARES

  // UIREQ retransmission and LIST-PART reassembly (profile 6.4).
  int uireq_sent_ = 0;
  Time uireq_deadline_{};
  std::uint8_t parts_count_ = 0;
  std::vector<bool> parts_seen_;
  std::vector<opt::MemberEntry> parts_members_;
  std::optional<std::uint32_t> parts_member_count_;

  // TRREQ retransmission (clause 7.2.4: until TRIND).
  int trreq_sent_ = 0;
  Time trreq_deadline_{};

  // Group key by epoch (profile 6.6).
  std::uint16_t key_epoch_ = 0;
  std::vector<std::uint8_t> key_;

  std::deque<Transmit> transmits_;
  std::deque<Event> events_;
  std::uint64_t dropped_events_ = 0;
  std::uint64_t oversize_discards_ = 0;
  std::uint64_t not_allowed_ = 0;
  std::uint16_t highest_epoch_ = 0;  // for the invariant: key epochs only grow
};

}  // namespace gmp::client
