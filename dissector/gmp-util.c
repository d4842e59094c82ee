/* gmp-util.c -- helpers and tables shared by every part of the GMP plugin (gmp-util.h): the
 * error names of docs/json-format.md and their expert infos (profile 7), error recording,
 * the names of the profile's codes, the UTF-8 check of the text options and the 100 ms unit
 * of the keepalive fields. The other files depend on this one (and gmp.h) only, never on
 * each other's internals.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdarg.h>
#include <epan/packet.h>
#include <epan/expert.h>

#include "gmp-util.h"

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
    "missing_required_option", "flag_contradicts_type", "bad_mode", "invalid_utf8",
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

gboolean
gmp_dissect_length_and_version(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree,
                               gmp_pdu_info_t *info, int hf_bytes, int hf_version)
{
    proto_item *msg_item = proto_tree_get_parent(tree), *pi;
    const char *proto = info->is_mm ? "MM" : "SM";
    guint len = tvb_reported_length(tvb);
    guint32 version;

    info->msg_len = len;
    if (len < GMP_HDR_LEN) {
        gmp_add_error(msg_item, pinfo, info, GMP_ERR_TOO_SHORT,
                      "%s message of %u bytes is shorter than 16", proto, len);
        if (len > 0)
            proto_tree_add_item(tree, hf_bytes, tvb, 0, -1, ENC_NA);
        return FALSE;
    }
    if (len % 4 != 0)
        gmp_add_error(msg_item, pinfo, info, GMP_ERR_NOT_ALIGNED,
                      "%s message length %u is not a multiple of 4", proto, len);
    pi = proto_tree_add_item_ret_uint(tree, hf_version, tvb, 0, 1, ENC_BIG_ENDIAN, &version);
    if (version != 1)
        gmp_add_error(pi, pinfo, info, GMP_ERR_BAD_VERSION, "%s version %u, expected 1", proto,
                      version);
    return TRUE;
}

const char *
gmp_error_name(gmp_error_t err)
{
    return (err < GMP_ERR_COUNT) ? gmp_error_names[err] : "unknown";
}

/* Profile 2, Table 2 (code 0 reserved). */
const value_string gmp_sm_type_vals[] = {
    { GMP_SM_SCREQ, "SCREQ" }, { GMP_SM_SCACC, "SCACC" }, { GMP_SM_SCREJ, "SCREJ" },
    { GMP_SM_SDREQ, "SDREQ" }, { GMP_SM_SDRES, "SDRES" }, { GMP_SM_SCINF, "SCINF" },
    { GMP_SM_SCCON, "SCCON" }, { GMP_SM_SRREQ, "SRREQ" }, { GMP_SM_SRRES, "SRRES" },
    { GMP_SM_SRACC, "SRACC" }, { GMP_SM_SRREJ, "SRREJ" }, { GMP_SM_SJREQ, "SJREQ" },
    { GMP_SM_SJRES, "SJRES" }, { GMP_SM_SAREQ, "SAREQ" },
    { 0, NULL }
};

/* Profile 3, Table 4, with KDUPT = 8 [P]. */
const value_string gmp_mm_type_vals[] = {
    { GMP_MM_KAREQ, "KAREQ" }, { GMP_MM_KARES, "KARES" }, { GMP_MM_UIREQ, "UIREQ" },
    { GMP_MM_UIRES, "UIRES" }, { GMP_MM_LVREQ, "LVREQ" }, { GMP_MM_TRREQ, "TRREQ" },
    { GMP_MM_TRIND, "TRIND" }, { GMP_MM_KDUPT, "KDUPT" },
    { 0, NULL }
};

/* Profile 3: member type 100 creator, 010 base member, 001 participant. */
const value_string gmp_member_type_vals[] = {
    { 4, "creator" }, { 2, "base member" }, { 1, "participant" },
    { 0, NULL }
};

/* Profile 5.7 REASON codes, with the texts of docs/json-format.md. */
const value_string gmp_reason_vals[] = {
    { 0, "success" }, { 1, "resources exhausted" }, { 2, "not authorised" },
    { 3, "secure mode not supported" }, { 4, "unknown session" }, { 5, "invalid request" },
    { 0, NULL }
};

/* What each message type does, indexed by its code (profile 2 Table 2, profile 3 Table 4). */
static const char *const sm_descriptions[GMP_SM_MAX + 1] = {
    "", "session creation request", "creation accepted", "creation rejected",
    "session deletion request", "session deletion response", "session description",
    "creation confirmed", "registration request", "registration in progress",
    "registration accepted", "registration rejected", "join request", "join response",
    "activation request"
};
static const char *const mm_descriptions[GMP_MM_MAX + 1] = {
    "", "keepalive request", "keepalive response", "active-member list request",
    "active-member list", "leave request", "termination request", "termination indication",
    "group key update"
};

const char *
gmp_type_name(gboolean is_mm, guint8 type)
{
    return val_to_str_const(type, is_mm ? gmp_mm_type_vals : gmp_sm_type_vals, "UNKNOWN");
}

const char *
gmp_type_description(gboolean is_mm, guint8 type)
{
    if (is_mm)
        return type <= GMP_MM_MAX ? mm_descriptions[type] : "";
    return type <= GMP_SM_MAX ? sm_descriptions[type] : "";
}

gboolean
gmp_utf8_valid(const guint8 *p, guint len)
{
    guint i = 0;

    while (i < len) {
        guint8 b = p[i], lo = 0x80, hi = 0xBF;   /* the range of the second byte */
        guint n, k;

        if (b < 0x80) {
            i++;
            continue;
        }
        if (b >= 0xC2 && b <= 0xDF) {
            n = 1;
        } else if (b == 0xE0) {
            n = 2; lo = 0xA0;                        /* no overlong 3-byte form */
        } else if (b == 0xED) {
            n = 2; hi = 0x9F;                        /* no surrogate */
        } else if (b >= 0xE1 && b <= 0xEF) {
            n = 2;
        } else if (b == 0xF0) {
            n = 3; lo = 0x90;                        /* no overlong 4-byte form */
        } else if (b == 0xF4) {
            n = 3; hi = 0x8F;                        /* nothing above U+10FFFF */
        } else if (b >= 0xF1 && b <= 0xF3) {
            n = 3;
        } else {
            return FALSE;                            /* 80..C1, F5..FF never start one */
        }
        if (i + n >= len)
            return FALSE;                            /* cut short */
        if (p[i + 1] < lo || p[i + 1] > hi)
            return FALSE;
        for (k = 2; k <= n; k++)
            if ((p[i + k] & 0xC0) != 0x80)
                return FALSE;
        i += n + 1;
    }
    return TRUE;
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
        GMP_EI(GMP_ERR_INVALID_UTF8, "invalid_utf8", PI_MALFORMED, PI_ERROR, "Text option is not valid UTF-8"),
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
