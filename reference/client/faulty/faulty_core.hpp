// The faulty build's client core (gmp-client-faulty, the faults tests): the shipped ClientCore,
// wrapped. Faults that change what comes in are applied by the input filter before the core
// sees the bytes; faults that change what goes out by the output filter on what the core
// queued (its `sent` events follow, so they show what really went out); the two that change a
// decision inside a procedure set the core's DecisionHooks; the retransmission faults change
// its Timing. The core itself has no notion of a fault.
#pragma once

#include <deque>
#include <optional>
#include <vector>

#include "faults.hpp"
#include "gmp/client/core.hpp"

namespace gmp::client {

class FaultyCore : public ClientCore {
 public:
  FaultyCore(Role role, Timing timing, FaultSet faults);

  void request_members(Time now) override;
  void handle_sm_bytes(std::span<const std::uint8_t> message, Time now) override;
  void handle_mm_bytes(std::span<const std::uint8_t> datagram, Time now) override;
  void handle_timeout(Time now) override;
  [[nodiscard]] std::optional<Time> next_deadline() const override;
  std::optional<Transmit> poll_transmit() override;
  std::optional<Event> poll_event() override;

  [[nodiscard]] const FaultSet& faults() const { return faults_; }

 private:
  struct Held {  // kares_late: a KARES kept back past the KA timeout
    Time at;
    Transmit transmit;
    Event sent;
  };
  enum class Verdict : std::uint8_t { keep, drop, hold, twice };

  [[nodiscard]] bool has(Fault f) const { return faults_.has(f); }
  /// Moves what the core queued through the output filter into this layer's queues.
  void collect();
  Verdict filter(Transmit& t);
  void spoil_standing(SmMessage& m, Transmit& t) const;
  void spoil_standing(MmMessage& m, Transmit& t) const;
  void filter_event(Event& e);
  /// A message this layer sends on its own (with its `sent` event).
  void inject(Channel c, std::vector<std::uint8_t> bytes);
  void answer_kareq(const MmMessage& kareq);
  /// The robustness campaign's faults on an MM datagram; false when it must go no further.
  bool robustness_faults(std::span<const std::uint8_t> datagram, const MmMessage& m, bool ok);

  FaultSet faults_;
  Time now_{};  // of the last input: when a held KARES is due
  std::deque<Transmit> transmits_out_;
  std::deque<Event> events_out_;
  std::deque<Held> held_;
  std::optional<std::uint32_t> stray_count_;  // member_count_any_part
  bool ka_broken_ = false;                    // kares_stop_after_bad_checksum: tripped
};

}  // namespace gmp::client
