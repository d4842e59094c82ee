// The faulty build's server (gmp-server-faulty, the faults tests): the shipped core, wrapped.
// Faults that change what comes in are applied by the input filter (input_filter.cpp) before
// the core sees the bytes; faults that change what goes out by the output filter
// (output_filter.cpp) on what the core polls; the few that change a decision inside a
// procedure set the core's decision hooks (core/hooks.hpp, see faulty_server.cpp); the two
// that exist only on the wire are applied to the encoded bytes (post_encode.hpp). The core
// itself has no notion of a fault.
#pragma once

#include <deque>
#include <map>
#include <memory>
#include <set>
#include <vector>

#include "faults.hpp"
#include "post_encode.hpp"
#include "gmp/server/core.hpp"

namespace gmp::server {

class FaultyServer : public Server {
 public:
  FaultyServer(Config config, std::unique_ptr<Random> random, FaultSet faults);

  // Input filter (input_filter.cpp).
  void handle_sm_bytes(ConnId c, Ipv4 peer, std::span<const std::uint8_t> bytes, Time now) override;
  void handle_mm_bytes(Endpoint from, std::span<const std::uint8_t> bytes, Time now) override;
  void handle_sm(ConnId c, Ipv4 peer, const SmMessage& m, Time now) override;
  void handle_mm(Endpoint from, const MmMessage& m, Time now) override;
  void handle_framing_error(ConnId c, DecodeError e, Time now) override;
  void handle_timeout(Time now) override;

  // Output filter (output_filter.cpp).
  std::optional<Transmit> poll_transmit() override;
  std::optional<Event> poll_event() override;

  [[nodiscard]] const FaultSet& faults() const { return faults_; }

 private:
  /// The input whose outputs are being filtered: some faults drop what one input produces.
  struct Input {
    enum Kind : std::uint8_t { other, sm_message, mm_message, timeout, framing } kind = other;
    SmType sm = SmType::SCREQ;
    MmType mm = MmType::KAREQ;
    Ipv4 peer{};  // an SM request's source address
  };
  [[nodiscard]] bool has(Fault f) const { return faults_.has(f); }
  /// Takes every event and transmit the core has queued, filters them, queues them here.
  void collect(Input in);
  /// The output filter proper, on one input's transmits.
  void filter(std::vector<Transmit>& batch, Input in);
  void filter_uires(std::vector<Transmit>& batch);
  /// sjres_no_key: a member given no key in SJRES gets it by KDUPT once active (profile 6.6
  /// catch-up), as when the core itself never gave it.
  void catch_up_withheld_keys(std::vector<Transmit>& batch);
  /// Input faults of the missing branches: the request the core is given (nullopt: dropped),
  /// and for SM the source address it is given.
  std::optional<SmMessage> rewrite_sm(Ipv4& peer, const SmMessage& m);
  std::optional<Endpoint> rewrite_mm_source(Endpoint from, const MmMessage& m, Time now);
  /// Output faults of the missing branches on one message, and what they remember.
  void filter_missing_branches(Transmit& t, Input in);

  using Key = std::pair<std::uint16_t, std::uint16_t>;  // (session, user)
  /// The faults the standing checks catch (header fields, reserved bits, extra answers).
  void standing_faults(std::vector<Transmit>& batch, Input in);
  /// kareq_rounds_early: the session runs its rounds one period unit faster than its SCINF
  /// asked; the headers still show what it asked.
  SmMessage faster_rounds(const SmMessage& scinf);

  FaultSet faults_;
  std::deque<Transmit> out_;
  std::deque<Event> events_;
  std::map<std::uint16_t, UserId> causes_;  // session -> member that ended it (this input)
  std::map<std::pair<std::uint16_t, std::uint16_t>, opt::GroupKey> withheld_;  // (session, user)
  Time now_{};                                           // of the input being filtered
  std::map<Key, Ipv4> registered_from_;                  // the IP of each SRACC's SRREQ
  std::map<Key, std::pair<std::uint32_t, Time>> kareq_;  // last KAREQ: round, when sent
  std::map<std::uint16_t, std::uint32_t> leave_round_;   // session -> round of its last leaver
  std::map<std::uint16_t, std::pair<KaUnits, KaUnits>> asked_ka_;  // session -> SCINF's period, timeout
  std::set<ConnId> hung_;  // hang_on_zero_length_option: connections never answered again
  PostEncodeFaults post_encode_{faults_};  // bad_checksum_out, option_padding_nonzero
};

std::unique_ptr<FaultyServer> make_faulty_server(Config config, std::unique_ptr<Random> random,
                                                 FaultSet faults);

}  // namespace gmp::server
