// Fault switches (test only): each breaks exactly one behaviour the profile requires, so that
// the conformance tester can show it tells right from wrong. They live outside the core: only
// gmp-server-faulty and the faults tests link this layer, which switches them on with
// `--fault NAME`. docs/server.md "Fault switches" lists them; docs/architecture.md says where
// each kind is applied (input filter, output filter, decision hooks).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

#include <gmp/fault_switches.hpp>

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
  X(slow_mm)                                                                                   \
  /* missing branches */                                                                       \
  X(sequential_ids_stride2) X(descending_ids) X(member_count_every_part)                       \
  X(uires_option_order_swapped) X(uires_pack_62) X(wrong_ka_seq_after_sareq)                   \
  X(sareq_new_port_ignored) X(spoofed_kares_counts) X(late_kares_no_promotion)                 \
  X(sjreq_from_joined_refused) X(sjreq_after_demotion_refused) X(kdupt_wrong_key_length)       \
  X(one_leaver_per_round) X(registration_other_ip_accepted_closed)                             \
  /* standing checks */                                                                        \
  X(extra_srres_after_sracc) X(duplicate_sjres) X(extra_uires_part) X(sm_reserved_bit_set)     \
  X(sm_reserved_byte_set) X(mm_reserved_flag_set) X(mm_reserved_byte_set)                      \
  X(member_list_reserved_nonzero) X(ka_period_off_by_one) X(ka_timeout_off_by_one)             \
  X(ka_seq_skips_round) X(kareq_rounds_early) X(sracc_no_m) X(sracc_no_s) X(srres_no_m)        \
  X(wrong_group_in_kareq) X(wrong_user_in_kareq) X(wrong_member_type_in_kareq)                 \
  X(key_length_outside_kdupt) X(refusal_wrong_ids) X(extra_trind)                              \
  /* standing checks, on the encoded bytes (post_encode.hpp) */                                \
  X(bad_checksum_out) X(option_padding_nonzero)                                                \
  /* robustness campaign: rare malformations only (gmp-conform --robustness) */                \
  X(hang_on_zero_length_option) X(corrupt_on_duplicate_keepalive) X(answer_truncated_scinf)    \
  X(forget_member_on_mm_3_bytes_over)

#define GMP_FAULT_ENUMERATOR(n) n,
enum class Fault : std::uint8_t { GMP_SERVER_FAULTS(GMP_FAULT_ENUMERATOR) count_ };
#undef GMP_FAULT_ENUMERATOR
inline constexpr std::size_t fault_count = static_cast<std::size_t>(Fault::count_);

#define GMP_FAULT_TEXT(n) #n,
inline constexpr std::array<std::string_view, fault_count> fault_names{GMP_SERVER_FAULTS(GMP_FAULT_TEXT)};
#undef GMP_FAULT_TEXT

using FaultSet = app::FaultSwitches<Fault, fault_count>;
inline std::string_view fault_name(Fault f) { return app::switch_name(fault_names, f); }
inline std::optional<Fault> parse_fault(std::string_view name) { return app::parse_switch<Fault>(fault_names, name); }

}  // namespace gmp::server
