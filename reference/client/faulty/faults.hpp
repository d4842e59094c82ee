// Fault switches of the reference client (test only): each breaks exactly one behaviour the
// profile asks of a client, so that gmp-conform's client suite can show it tells right from
// wrong. They live outside the core and the shell: only gmp-client-faulty and its tests link
// this layer, which switches them on with `--fault NAME`. docs/client.md "The faulty build"
// lists them with what each breaks.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

#include <gmp/fault_switches.hpp>

namespace gmp::client {

// One name per switch: the enum and the `--fault` spelling come from this list.
#define GMP_CLIENT_FAULTS(X)                                                                   \
  X(kares_no_echo) X(kares_late) X(kares_other_session) X(kares_wrong_member_type)             \
  X(kares_nonzero_fields) X(kares_after_leave) X(kares_from_other_port) X(installs_older_epoch) \
  X(keeps_nonsecure_kdupt_key) X(ignore_trind) X(accepts_trind_ss0) X(scinf_wrong_s)            \
  X(accept_sracc_without_srres) X(no_uireq_retransmission) X(endless_uireq_retransmission)      \
  X(no_trreq_retransmission) X(no_coming_back) X(member_count_any_part)                         \
  X(uireq_when_not_active) X(screq_nonzero_ids) X(scinf_no_i_flag)                              \
  X(sjres_s1_without_key_accepted) X(bad_checksum_out)                                          \
  /* standing checks */                                                                          \
  X(sm_reserved_bit_set) X(sm_reserved_byte_set) X(mm_reserved_flag_set) X(mm_reserved_byte_set) \
  X(option_padding_nonzero) X(wrong_user_id_later) X(sjreq_twice)                               \
  /* robustness campaign: each only on a rare malformation of a server message */              \
  X(abort_on_empty_mm_option) X(kares_stop_after_bad_checksum) X(kaseq_high_bit_lost_with_unknown)

#define GMP_CLIENT_FAULT_ENUMERATOR(n) n,
enum class Fault : std::uint8_t { GMP_CLIENT_FAULTS(GMP_CLIENT_FAULT_ENUMERATOR) count_ };
#undef GMP_CLIENT_FAULT_ENUMERATOR
inline constexpr std::size_t fault_count = static_cast<std::size_t>(Fault::count_);

#define GMP_CLIENT_FAULT_TEXT(n) #n,
inline constexpr std::array<std::string_view, fault_count> fault_names{GMP_CLIENT_FAULTS(GMP_CLIENT_FAULT_TEXT)};
#undef GMP_CLIENT_FAULT_TEXT

using FaultSet = app::FaultSwitches<Fault, fault_count>;
inline std::string_view fault_name(Fault f) { return app::switch_name(fault_names, f); }
inline std::optional<Fault> parse_fault(std::string_view name) { return app::parse_switch<Fault>(fault_names, name); }

}  // namespace gmp::client
