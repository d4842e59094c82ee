// The faulty build's server: the faults that change one decision inside a
// procedure, expressed as the core's decision hooks (core/hooks.hpp).
#include "faulty_server.hpp"

#include <algorithm>
#include <array>

#include "hooks.hpp"

namespace gmp::server {

namespace {

DecisionHooks hooks_for(const FaultSet& f) {
  DecisionHooks h;
  h.random_ids = !f.has(Fault::sequential_ids);
  if (f.has(Fault::screj_wrong_order))  // REASON 1 checked first
    std::rotate(h.screq_refusal_order.begin(), h.screq_refusal_order.begin() + 2,
                h.screq_refusal_order.end());
  h.refuse_bad_scinf = !f.has(Fault::no_screj_on_bad_scinf);
  h.pending_expires = !f.has(Fault::no_pending_timeout);
  h.pending_dropped_on_close = !f.has(Fault::keep_pending_after_close);
  h.registration_idempotent = !f.has(Fault::registration_not_idempotent);
  h.check_allow_list = !f.has(Fault::ignore_allow_list);
  h.check_access_key = !f.has(Fault::accept_wrong_access_key);
  h.bind_sm_address = !f.has(Fault::accept_sm_from_other_ip);
  h.bind_mm_address = !f.has(Fault::accept_spoofed_mm);
  h.refuse_unknown_user = !f.has(Fault::accept_unknown_user);
  h.check_member_state = !f.has(Fault::accept_wrong_state);
  h.kares_promotes_registered = !f.has(Fault::no_promotion_registered);
  h.timeout_demotes = !f.has(Fault::no_demotion);
  h.honour_miss_limit = !f.has(Fault::demote_too_early);
  h.refuse_future_rounds = !f.has(Fault::accept_future_kares);
  h.refuse_kares_after_leave = !f.has(Fault::accept_kares_after_leave);
  h.late_kares_is_a_miss = !f.has(Fault::late_kares_resets_misses);
  h.leave_stops_polling = !f.has(Fault::kareq_after_leave);
  h.open_uires_lists_participants = f.has(Fault::uires_open_lists_all);
  h.base_leave_terminates = !f.has(Fault::no_terminate_on_base_lvreq);
  h.base_timeout_terminates = !f.has(Fault::no_terminate_on_creator_timeout);
  h.only_creator_deletes = !f.has(Fault::sdreq_from_member_accepted);
  h.rekey_on_leave = !f.has(Fault::no_rekey_on_leave);
  h.new_key_to_leavers = f.has(Fault::kdupt_to_leaver);
  return h;
}

// sequential_ids_stride2, descending_ids (profile 2 "not sequentially"): IDs from a counter
// that steps by 2, or by -1 from 65535, instead of random draws. Keys still come from the
// real source.
class CounterRandom final : public Random {
 public:
  CounterRandom(std::unique_ptr<Random> keys, std::uint16_t start, std::uint16_t step)
      : keys_(std::move(keys)), next_(start), step_(step) {}
  std::uint64_t next_u64() override {
    const std::uint16_t v = next_;
    next_ = static_cast<std::uint16_t>(next_ + step_);
    return v;
  }
  void fill(std::span<std::uint8_t> out) override { keys_->fill(out); }

 private:
  std::unique_ptr<Random> keys_;
  std::uint16_t next_, step_;
};

std::unique_ptr<Random> id_source(std::unique_ptr<Random> random, const FaultSet& f) {
  if (f.has(Fault::sequential_ids_stride2)) return std::make_unique<CounterRandom>(std::move(random), 2, 2);
  if (f.has(Fault::descending_ids)) return std::make_unique<CounterRandom>(std::move(random), 0xFFFF, 0xFFFF);
  return random;
}

// secure_accepted_when_unsupported: the server answers as if it supported secure mode.
Config adjusted(Config c, const FaultSet& f) {
  if (f.has(Fault::secure_accepted_when_unsupported)) c.secure_supported = true;
  return c;
}

}  // namespace

FaultyServer::FaultyServer(Config config, std::unique_ptr<Random> random, FaultSet faults)
    : Server(adjusted(std::move(config), faults), id_source(std::move(random), faults)), faults_(faults) {
  set_decision_hooks(hooks_for(faults_));
}

std::unique_ptr<FaultyServer> make_faulty_server(Config config, std::unique_ptr<Random> random,
                                                 FaultSet faults) {
  return std::make_unique<FaultyServer>(std::move(config), std::move(random), faults);
}

}  // namespace gmp::server
