// Fault switches (test only): each breaks exactly one behaviour the profile requires, so that
// the conformance tester can show it tells right from wrong. They live outside the core: only
// gmp-server-faulty and the faults tests link this layer, which switches them on with
// `--fault NAME`. docs/server.md "Fault switches" lists them; docs/architecture.md says where
// each kind is applied (input filter, output filter, decision hooks).
#pragma once

#include <bitset>
#include <cstdint>
#include <optional>
#include <string_view>

namespace gmp::server {

// One name per switch: the enum and the `--fault` spelling come from this list.
#define GMP_SERVER_FAULTS(X)                                                                    \
  X(scacc_sets_mode) X(screj_wrong_order) X(no_screj_on_bad_scinf) X(sequential_ids)            \
  X(no_srres) X(srres_after_check) X(srrej_no_reason) X(registration_not_idempotent)           \
  X(accept_wrong_access_key) X(ignore_allow_list) X(sjres_no_key) X(sjres_wrong_group)         \
  X(no_kareq_on_sareq) X(ka_seq_not_incremented) X(no_promotion_registered) X(no_demotion)     \
  X(demote_too_early) X(accept_future_kares) X(kareq_after_leave) X(uires_unsorted)            \
  X(uires_no_member_count) X(uires_open_lists_all) X(uires_no_split) X(no_trind_to_causer)     \
  X(trind_no_ss) X(no_terminate_on_base_lvreq) X(no_terminate_on_creator_timeout)              \
  X(sdreq_from_member_accepted) X(no_rekey_on_leave) X(kdupt_to_leaver) X(no_catchup_kdupt)    \
  X(secure_accepted_when_unsupported) X(accept_bad_checksum) X(accept_bad_version)             \
  X(answer_unknown_type) X(accept_wrong_direction) X(ignore_truncated_option)                  \
  X(accept_duplicate_option) X(accept_contradicting_flags) X(accept_bad_mode)                  \
  X(accept_unknown_user) X(accept_wrong_state) X(accept_spoofed_mm) X(accept_sm_from_other_ip) \
  X(no_close_on_framing_error) X(keep_pending_after_close) X(no_pending_timeout)               \
  X(kareq_wrong_ka_values) X(no_kareq_rounds) X(sdres_no_trind) X(short_group_key)           \
  X(srres_before_unknown_session) X(late_kares_resets_misses) X(accept_kares_after_leave)  \
  X(slow_mm)                                                                                    \
  /* robustness campaign: rare malformations only (gmp-conform --robustness) */                \
  X(hang_on_zero_length_option) X(corrupt_on_duplicate_keepalive) X(answer_truncated_scinf)    \
  X(forget_member_on_mm_3_bytes_over)

#define GMP_FAULT_ENUMERATOR(n) n,
enum class Fault : std::uint8_t { GMP_SERVER_FAULTS(GMP_FAULT_ENUMERATOR) count_ };
#undef GMP_FAULT_ENUMERATOR
inline constexpr std::size_t fault_count = static_cast<std::size_t>(Fault::count_);

std::string_view fault_name(Fault f);
std::optional<Fault> parse_fault(std::string_view name);

class FaultSet {
 public:
  void set(Fault f) { bits_.set(static_cast<std::size_t>(f)); }
  [[nodiscard]] bool has(Fault f) const { return bits_.test(static_cast<std::size_t>(f)); }
  [[nodiscard]] bool any() const { return bits_.any(); }

 private:
  std::bitset<fault_count> bits_;
};

}  // namespace gmp::server
