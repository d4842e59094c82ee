/* gmp-util.c -- helpers shared by every part of the GMP plugin: the error names of
 * docs/json-format.md and their expert infos (profile 7), error recording, message type
 * names and the 100 ms unit of the keepalive fields. The other files depend on this one
 * (and gmp.h) only, never on each other's internals.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdarg.h>
#include <epan/packet.h>
#include <epan/expert.h>

#include "gmp.h"

gboolean gmp_pref_check_checksum = TRUE;

/* One expert info per error name of docs/json-format.md (profile 7), same order as
 * gmp_error_t. */
static expert_field ei_gmp_err[GMP_ERR_COUNT];
expert_field ei_gmp_reserved_set = EI_INIT;
expert_field ei_gmp_member_entry_type = EI_INIT;
expert_field ei_gmp_unexpected_option = EI_INIT;
expert_field ei_gmp_scinf_unacceptable = EI_INIT;

/* The JSON error names (docs/json-format.md), indexed by gmp_error_t. */
static const char *const gmp_error_names[GMP_ERR_COUNT] = {
    "none", "too_short", "not_aligned", "bad_version", "bad_checksum", "unknown_type",
    "truncated_option", "duplicate_option", "bad_option_size", "bad_option_value",
    "missing_required_option", "flag_contradicts_type", "bad_mode", "bad_member_type",
    "frame_too_short", "frame_not_aligned", "frame_too_large"
};

expert_field *
gmp_expert_for(gmp_error_t err)
{
    return &ei_gmp_err[(err > GMP_ERR_NONE && err < GMP_ERR_COUNT) ? err : GMP_ERR_TOO_SHORT];
}

/* Records an error whose expert info was added by the caller (e.g. by
 * proto_tree_add_checksum). */
void
gmp_note_error(gmp_pdu_info_t *info, gmp_error_t err)
{
    if (err <= GMP_ERR_NONE || err >= GMP_ERR_COUNT)
        return;
    if (info->first_error == GMP_ERR_NONE)
        info->first_error = err;
    if (!(info->error_mask & (1U << err)) && info->n_distinct < GMP_ERR_COUNT)
        info->errors[info->n_distinct++] = (guint8)err;
    info->error_mask |= 1U << err;
    info->n_errors++;
}

void
gmp_add_error(proto_item *pi, packet_info *pinfo, gmp_pdu_info_t *info, gmp_error_t err,
              const char *fmt, ...)
{
    va_list ap;
    char *msg;

    if (err <= GMP_ERR_NONE || err >= GMP_ERR_COUNT)
        return;
    va_start(ap, fmt);
    msg = wmem_strdup_vprintf(pinfo->pool, fmt, ap);
    va_end(ap);
    expert_add_info_format(pinfo, pi, &ei_gmp_err[err], "%s [%s]", msg, gmp_error_names[err]);
    gmp_note_error(info, err);
}

const char *
gmp_error_name(gmp_error_t err)
{
    return (err < GMP_ERR_COUNT) ? gmp_error_names[err] : "unknown";
}

const char *
gmp_type_name(gboolean is_mm, guint8 type)
{
    return val_to_str_const(type, is_mm ? gmp_mm_type_vals : gmp_sm_type_vals, "UNKNOWN");
}

/* KA period / timeout: units of 100 ms (profile 3, clause 9.2), shown in seconds too. */
void
gmp_fmt_100ms(gchar *buf, guint32 v)
{
    snprintf(buf, ITEM_LABEL_LENGTH, "%u (%u.%u s)", v, v / 10, v % 10);
}

void
gmp_register_expert(int proto)
{
#define GMP_EI(idx, abbr, group, sev, text) \
    { &ei_gmp_err[idx], { "gmp.expert." abbr, group, sev, text, EXPFILL } }
    static ei_register_info ei[] = {
        GMP_EI(GMP_ERR_TOO_SHORT, "too_short", PI_MALFORMED, PI_ERROR, "Message shorter than 16 bytes"),
        GMP_EI(GMP_ERR_NOT_ALIGNED, "not_aligned", PI_MALFORMED, PI_ERROR, "Message length not a multiple of 4"),
        GMP_EI(GMP_ERR_BAD_VERSION, "bad_version", PI_MALFORMED, PI_ERROR, "Version other than 1"),
        GMP_EI(GMP_ERR_BAD_CHECKSUM, "bad_checksum", PI_CHECKSUM, PI_ERROR, "SM checksum does not verify"),
        GMP_EI(GMP_ERR_UNKNOWN_TYPE, "unknown_type", PI_MALFORMED, PI_ERROR, "Unknown or reserved message type"),
        GMP_EI(GMP_ERR_TRUNCATED_OPTION, "truncated_option", PI_MALFORMED, PI_ERROR, "Option runs past the end of the message"),
        GMP_EI(GMP_ERR_DUPLICATE_OPTION, "duplicate_option", PI_MALFORMED, PI_ERROR, "Non-repeatable option appears twice"),
        GMP_EI(GMP_ERR_BAD_OPTION_SIZE, "bad_option_size", PI_MALFORMED, PI_ERROR, "Option value has the wrong size"),
        GMP_EI(GMP_ERR_BAD_OPTION_VALUE, "bad_option_value", PI_MALFORMED, PI_ERROR, "Option value out of range"),
        GMP_EI(GMP_ERR_MISSING_REQUIRED_OPTION, "missing_required_option", PI_MALFORMED, PI_ERROR, "Required option absent"),
        GMP_EI(GMP_ERR_FLAG_CONTRADICTS_TYPE, "flag_contradicts_type", PI_MALFORMED, PI_ERROR, "Flag contradicts the message type"),
        GMP_EI(GMP_ERR_BAD_MODE, "bad_mode", PI_MALFORMED, PI_ERROR, "Invalid MM mode (00 or 11)"),
        GMP_EI(GMP_ERR_BAD_MEMBER_TYPE, "bad_member_type", PI_MALFORMED, PI_ERROR, "Invalid MM member type"),
        GMP_EI(GMP_ERR_FRAME_TOO_SHORT, "frame_too_short", PI_MALFORMED, PI_ERROR, "SM frame length below 16"),
        GMP_EI(GMP_ERR_FRAME_NOT_ALIGNED, "frame_not_aligned", PI_MALFORMED, PI_ERROR, "SM frame length not a multiple of 4"),
        GMP_EI(GMP_ERR_FRAME_TOO_LARGE, "frame_too_large", PI_MALFORMED, PI_ERROR, "SM frame length above the maximum"),
        { &ei_gmp_reserved_set, { "gmp.expert.reserved_set", PI_PROTOCOL, PI_NOTE,
            "Reserved bits set (sent as 0, ignored on receipt)", EXPFILL } },
        { &ei_gmp_member_entry_type, { "gmp.expert.member_entry_type", PI_PROTOCOL, PI_WARN,
            "MEMBER-LIST entry with a member type other than 100, 010, 001", EXPFILL } },
        { &ei_gmp_unexpected_option, { "gmp.expert.unexpected_option", PI_PROTOCOL, PI_NOTE,
            "Option not listed for this message type (ignored by receivers) or unknown", EXPFILL } },
        { &ei_gmp_scinf_unacceptable, { "gmp.expert.scinf_unacceptable", PI_PROTOCOL, PI_WARN,
            "SCINF without SESSION-NAME: the server answers SCREJ REASON 5 (profile 5.1)", EXPFILL } },
    };
#undef GMP_EI
    expert_module_t *expert_gmp = expert_register_protocol(proto);

    expert_register_field_array(expert_gmp, ei, array_length(ei));
}
