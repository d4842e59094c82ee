/* gmp-util.h -- what every part of the GMP plugin shares: the error names of
 * docs/json-format.md and their expert infos (profile 7), the name tables of the profile's
 * codes, the strict UTF-8 check of the text options (profile 4) and small formatters.
 * Defined in gmp-util.c, which depends on nothing else of the plugin: the parts (gmp-main.c,
 * gmp-sm.c, gmp-mm.c, gmp-opt.c, gmp-track.c, gmp-stats.c) depend on it and on gmp.h only.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef GMP_UTIL_H
#define GMP_UTIL_H

#include "gmp.h"

/* Errors (profile 7): one expert info each, recorded in the PDU's info. */
void gmp_register_expert(int proto);
void gmp_add_error(proto_item *pi, packet_info *pinfo, gmp_pdu_info_t *info, gmp_error_t err,
                   const char *fmt, ...) G_GNUC_PRINTF(5, 6);
void gmp_note_error(gmp_pdu_info_t *info, gmp_error_t err);
expert_field *gmp_expert_for(gmp_error_t err);
const char *gmp_error_name(gmp_error_t err);
extern expert_field ei_gmp_reserved_set;
extern expert_field ei_gmp_member_entry_type;
extern expert_field ei_gmp_unexpected_option;
extern expert_field ei_gmp_scinf_unacceptable;

/* The checks both protocols start with (profile 7), in this order: at least 16 bytes (else
 * too_short, the bytes shown with hf_bytes, and FALSE: there is no header to read), a length
 * that is a multiple of 4, version 1 (the field hf_version at byte 0). Sets info->msg_len;
 * info->is_mm must be set. */
gboolean gmp_dissect_length_and_version(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree,
                                        gmp_pdu_info_t *info, int hf_bytes, int hf_version);

/* Names of the profile's codes. */
extern const value_string gmp_sm_type_vals[];      /* profile 2, Table 2 */
extern const value_string gmp_mm_type_vals[];      /* profile 3, Table 4 (+ KDUPT) */
extern const value_string gmp_member_type_vals[];  /* profile 3: 100, 010, 001 */
extern const value_string gmp_reason_vals[];       /* profile 5.7 REASON */
const char *gmp_type_name(gboolean is_mm, guint8 type);         /* "SCREQ", "UNKNOWN" */
const char *gmp_type_description(gboolean is_mm, guint8 type);  /* "join request", "" */

/* Profile 4: the text options are UTF-8; invalid UTF-8 makes the message malformed
 * (invalid_utf8). Strict RFC 3629, the codec's rule: no overlong form, no surrogate,
 * nothing above U+10FFFF; a zero byte is a character like any other. */
gboolean gmp_utf8_valid(const guint8 *p, guint len);

/* Preferences read by several parts. */
extern gboolean gmp_pref_check_checksum;

/* BASE_CUSTOM for KA period / timeout fields: "10 (1.0 s)". */
void gmp_fmt_100ms(gchar *buf, guint32 v);

#endif /* GMP_UTIL_H */
