/* gmp-opt.c -- GMP option area (profile 4 [P]): TLVs of type (8), value length (8), value,
 * each padded with zeros to the next 32-bit boundary; END (a single 0 byte) stops the reader.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <epan/packet.h>
#include <epan/expert.h>

#include "gmp-util.h"

/* Option fields (registered in gmp_register_opt). */
static int hf_opt = -1, hf_opt_type = -1, hf_opt_length = -1, hf_opt_padding = -1,
    hf_opt_end = -1, hf_opt_after_end = -1, hf_opt_value = -1, hf_opt_client_name = -1,
    hf_opt_session_name = -1, hf_opt_session_info = -1, hf_opt_owner_info = -1,
    hf_opt_start_time = -1, hf_opt_start_time_secs = -1, hf_opt_end_time = -1,
    hf_opt_end_time_secs = -1, hf_opt_media_info = -1, hf_opt_app_info = -1,
    hf_opt_ka_period = -1, hf_opt_ka_timeout = -1, hf_opt_miss_limit = -1,
    hf_opt_base_member = -1, hf_opt_allow = -1, hf_opt_access_key = -1, hf_opt_mm_port = -1,
    hf_opt_key_epoch = -1, hf_opt_key = -1, hf_opt_member = -1, hf_opt_member_user_id = -1,
    hf_opt_member_type = -1, hf_opt_member_reserved = -1, hf_opt_member_count = -1,
    hf_opt_part_index = -1, hf_opt_part_count = -1, hf_opt_reason = -1, hf_opt_ka_seq = -1;
static gint ett_opt = -1;
static gint ett_opt_member = -1;

/* Profile 4 option table. */
static const value_string opt_type_vals[] = {
    { GMP_OPT_END, "END" }, { GMP_OPT_CLIENT_NAME, "CLIENT-NAME" },
    { GMP_OPT_SESSION_NAME, "SESSION-NAME" }, { GMP_OPT_SESSION_INFO, "SESSION-INFO" },
    { GMP_OPT_OWNER_INFO, "OWNER-INFO" }, { GMP_OPT_START_TIME, "START-TIME" },
    { GMP_OPT_END_TIME, "END-TIME" }, { GMP_OPT_MEDIA_INFO, "MEDIA-INFO" },
    { GMP_OPT_APP_INFO, "APP-INFO" }, { GMP_OPT_KEEPALIVE, "KEEPALIVE" },
    { GMP_OPT_BASE_MEMBER, "BASE-MEMBER" }, { GMP_OPT_ALLOW, "ALLOW" },
    { GMP_OPT_ACCESS_KEY, "ACCESS-KEY" }, { GMP_OPT_MM_PORT, "MM-PORT" },
    { GMP_OPT_GROUP_KEY, "GROUP-KEY" }, { GMP_OPT_MEMBER_LIST, "MEMBER-LIST" },
    { GMP_OPT_MEMBER_COUNT, "MEMBER-COUNT" }, { GMP_OPT_LIST_PART, "LIST-PART" },
    { GMP_OPT_REASON, "REASON" }, { GMP_OPT_KA_SEQ, "KA-SEQ" },
    { 0, NULL }
};

#define OPT_BIT(t) (1U << (t))
/* Repeatable options (profile 4): BASE-MEMBER, ALLOW, MEMBER-LIST. */
#define OPT_REPEATABLE (OPT_BIT(GMP_OPT_BASE_MEMBER) | OPT_BIT(GMP_OPT_ALLOW) | \
                        OPT_BIT(GMP_OPT_MEMBER_LIST))

/* Options profile 4 lists for a message; others are shown with a note. */
static guint32
opt_allowed(const gmp_pdu_info_t *info)
{
    if (info->is_mm) {
        switch (info->type) {
        case GMP_MM_KAREQ: case GMP_MM_KARES: return OPT_BIT(GMP_OPT_KA_SEQ);
        case GMP_MM_UIRES: return OPT_BIT(GMP_OPT_MEMBER_LIST) | OPT_BIT(GMP_OPT_MEMBER_COUNT) |
                                  OPT_BIT(GMP_OPT_LIST_PART);
        case GMP_MM_KDUPT: return OPT_BIT(GMP_OPT_GROUP_KEY);
        default: return 0;
        }
    }
    switch (info->type) {
    case GMP_SM_SCREQ: return OPT_BIT(GMP_OPT_CLIENT_NAME);
    case GMP_SM_SRREQ: return OPT_BIT(GMP_OPT_CLIENT_NAME) | OPT_BIT(GMP_OPT_ACCESS_KEY);
    case GMP_SM_SCINF: return 0x1ffcU;   /* SESSION-NAME (2) .. ACCESS-KEY (12) */
    case GMP_SM_SAREQ: return OPT_BIT(GMP_OPT_MM_PORT);
    case GMP_SM_SJRES: return OPT_BIT(GMP_OPT_GROUP_KEY);
    case GMP_SM_SCREJ: case GMP_SM_SRREJ: case GMP_SM_SDRES: return OPT_BIT(GMP_OPT_REASON);
    default: return 0;
    }
}

/* Required options (profile 4 "required" column). */
static guint32
opt_required(const gmp_pdu_info_t *info, gboolean s_flag)
{
    if (info->is_mm) {
        switch (info->type) {
        case GMP_MM_KAREQ: return OPT_BIT(GMP_OPT_KA_SEQ);
        case GMP_MM_UIRES: return OPT_BIT(GMP_OPT_LIST_PART);
        case GMP_MM_KDUPT: return OPT_BIT(GMP_OPT_GROUP_KEY);
        default: return 0;
        }
    }
    switch (info->type) {
    case GMP_SM_SCREQ: case GMP_SM_SRREQ: return OPT_BIT(GMP_OPT_CLIENT_NAME);
    /* SCINF without SESSION-NAME is not malformed: it is unacceptable and gets SCREJ 5
     * (profile 5.1, 7); see opt_scinf_check(). */
    case GMP_SM_SAREQ: return OPT_BIT(GMP_OPT_MM_PORT);
    case GMP_SM_SJRES: return s_flag ? OPT_BIT(GMP_OPT_GROUP_KEY) : 0;
    case GMP_SM_SCREJ: case GMP_SM_SRREJ: case GMP_SM_SDRES: return OPT_BIT(GMP_OPT_REASON);
    default: return 0;
    }
}

/* Profile 4 value sizes: is vlen valid for this option type? */
static gboolean
opt_size_ok(guint type, guint vlen, guint8 hdr_key_length)
{
    switch (type) {
    case GMP_OPT_CLIENT_NAME: case GMP_OPT_SESSION_NAME:
    case GMP_OPT_BASE_MEMBER: case GMP_OPT_ALLOW:
        return vlen >= 1;                        /* names: 1..255 bytes (profile 4 table) */
    case GMP_OPT_START_TIME: case GMP_OPT_END_TIME: return vlen == 8;
    case GMP_OPT_KEEPALIVE: return vlen == 3;
    case GMP_OPT_ACCESS_KEY: return vlen >= 1 && vlen <= 64;
    case GMP_OPT_MM_PORT: case GMP_OPT_LIST_PART: return vlen == 2;
    case GMP_OPT_GROUP_KEY:                      /* epoch, then a key of >= 1 byte */
        return vlen == 2u + hdr_key_length && vlen >= 3;
    case GMP_OPT_MEMBER_LIST: return vlen >= 4 && vlen <= 252 && vlen % 4 == 0;
    case GMP_OPT_MEMBER_COUNT: case GMP_OPT_KA_SEQ: return vlen == 4;
    case GMP_OPT_REASON: return vlen == 1;
    default: return TRUE;                        /* UTF-8 texts and unknown types */
    }
}

static int
opt_string_hf(guint type)
{
    switch (type) {
    case GMP_OPT_CLIENT_NAME: return hf_opt_client_name;
    case GMP_OPT_SESSION_NAME: return hf_opt_session_name;
    case GMP_OPT_SESSION_INFO: return hf_opt_session_info;
    case GMP_OPT_OWNER_INFO: return hf_opt_owner_info;
    case GMP_OPT_MEDIA_INFO: return hf_opt_media_info;
    case GMP_OPT_APP_INFO: return hf_opt_app_info;
    case GMP_OPT_BASE_MEMBER: return hf_opt_base_member;
    case GMP_OPT_ALLOW: return hf_opt_allow;
    default: return -1;
    }
}

/* An unsigned big-endian value of `len` bytes, shown in the option's line too ("KA-SEQ: 7").
 * Returns the value; its item goes to *item when asked. */
static guint32
opt_uint(proto_tree *otree, proto_item *oitem, int hf, tvbuff_t *tvb, int off, int len,
         proto_item **item)
{
    guint32 v;
    proto_item *ti = proto_tree_add_item_ret_uint(otree, hf, tvb, off, len, ENC_BIG_ENDIAN, &v);

    proto_item_append_text(oitem, ": %u", v);
    if (item != NULL)
        *item = ti;
    return v;
}

/* Decodes a value whose size has been checked (profile 4 table). */
static void
dissect_opt_value(tvbuff_t *tvb, int off, guint type, guint vlen, packet_info *pinfo,
                  proto_tree *otree, proto_item *oitem, gmp_pdu_info_t *info)
{
    guint32 v, v2;
    const guint8 *str;
    int hf = opt_string_hf(type);

    if (hf != -1) {
        /* Profile 4: text is UTF-8; anything else makes the message malformed. The value is
         * shown raw, as the codec's gmp-decode shows it (a string field would show
         * replacement characters instead of what was sent). */
        if (!gmp_utf8_valid(tvb_get_ptr(tvb, off, vlen), vlen)) {
            if (vlen > 0)
                proto_tree_add_item(otree, hf_opt_value, tvb, off, vlen, ENC_NA);
            gmp_add_error(oitem, pinfo, info, GMP_ERR_INVALID_UTF8,
                          "Option %s is not valid UTF-8",
                          val_to_str_const(type, opt_type_vals, "?"));
            return;
        }
        proto_tree_add_item_ret_string(otree, hf, tvb, off, vlen, ENC_UTF_8, pinfo->pool, &str);
        proto_item_append_text(oitem, ": \"%s\"", str);
        if (type == GMP_OPT_CLIENT_NAME)
            info->client_name = (const char *)str;
        else if (type == GMP_OPT_SESSION_NAME)
            info->session_name = (const char *)str;
        return;
    }
    switch (type) {
    case GMP_OPT_START_TIME:
    case GMP_OPT_END_TIME: {
        gboolean start = type == GMP_OPT_START_TIME;
        proto_item *ti = proto_tree_add_item(otree, start ? hf_opt_start_time : hf_opt_end_time,
                                             tvb, off, 8, ENC_TIME_SECS | ENC_BIG_ENDIAN);
        proto_tree_add_item(otree, start ? hf_opt_start_time_secs : hf_opt_end_time_secs,
                            tvb, off, 8, ENC_BIG_ENDIAN);
        proto_item_append_text(oitem, ": %s", proto_item_get_display_repr(pinfo->pool, ti));
        break;
    }
    case GMP_OPT_KEEPALIVE:
        proto_tree_add_item_ret_uint(otree, hf_opt_ka_period, tvb, off, 1, ENC_BIG_ENDIAN, &v);
        proto_tree_add_item_ret_uint(otree, hf_opt_ka_timeout, tvb, off + 1, 1, ENC_BIG_ENDIAN, &v2);
        proto_item_append_text(oitem, ": period %u.%u s, timeout %u.%u s", v / 10, v % 10,
                               v2 / 10, v2 % 10);
        info->has_keepalive = TRUE;
        info->ka_period = (guint8)v;
        info->ka_timeout = (guint8)v2;
        proto_tree_add_item_ret_uint(otree, hf_opt_miss_limit, tvb, off + 2, 1, ENC_BIG_ENDIAN, &v);
        proto_item_append_text(oitem, ", miss limit %u", v);
        info->ka_miss_limit = (guint8)v;
        break;
    case GMP_OPT_ACCESS_KEY:
        proto_tree_add_item(otree, hf_opt_access_key, tvb, off, vlen, ENC_NA);
        break;
    case GMP_OPT_MM_PORT: {
        proto_item *ti;
        v = opt_uint(otree, oitem, hf_opt_mm_port, tvb, off, 2, &ti);
        info->has_mm_port = TRUE;
        info->mm_port = (guint16)v;
        if (v == 0)
            gmp_add_error(ti, pinfo, info, GMP_ERR_BAD_OPTION_VALUE, "MM-PORT 0");
        break;
    }
    case GMP_OPT_GROUP_KEY:
        proto_tree_add_item_ret_uint(otree, hf_opt_key_epoch, tvb, off, 2, ENC_BIG_ENDIAN, &v);
        proto_item_append_text(oitem, ": epoch %u", v);
        info->has_key_epoch = TRUE;
        info->key_epoch = (guint16)v;
        if (vlen > 2)
            proto_tree_add_item(otree, hf_opt_key, tvb, off + 2, vlen - 2, ENC_NA);
        break;
    case GMP_OPT_MEMBER_LIST: {
        guint i, n = vlen / 4;   /* at most 63: vlen <= 252 checked */
        for (i = 0; i < n; i++) {
            int eoff = off + (int)(4 * i);
            guint8 mt = tvb_get_guint8(tvb, eoff + 2);
            proto_item *ei_item = proto_tree_add_none_format(otree, hf_opt_member, tvb, eoff, 4,
                "Member: user 0x%04x, %s", tvb_get_ntohs(tvb, eoff),
                val_to_str_const(mt & 0x7, gmp_member_type_vals, "invalid member type"));
            proto_tree *etree = proto_item_add_subtree(ei_item, ett_opt_member);
            proto_tree_add_item(etree, hf_opt_member_user_id, tvb, eoff, 2, ENC_BIG_ENDIAN);
            proto_tree_add_item(etree, hf_opt_member_type, tvb, eoff + 2, 1, ENC_BIG_ENDIAN);
            proto_tree_add_item(etree, hf_opt_member_reserved, tvb, eoff + 3, 1, ENC_BIG_ENDIAN);
            mt &= 0x7;
            if (mt != 4 && mt != 2 && mt != 1)
                expert_add_info(pinfo, ei_item, &ei_gmp_member_entry_type);
        }
        proto_item_append_text(oitem, ": %u entr%s", n, n == 1 ? "y" : "ies");
        break;
    }
    case GMP_OPT_MEMBER_COUNT:
        info->member_count = opt_uint(otree, oitem, hf_opt_member_count, tvb, off, 4, NULL);
        info->has_member_count = TRUE;
        break;
    case GMP_OPT_LIST_PART: {
        proto_item *ti;
        proto_tree_add_item_ret_uint(otree, hf_opt_part_index, tvb, off, 1, ENC_BIG_ENDIAN, &v);
        ti = proto_tree_add_item_ret_uint(otree, hf_opt_part_count, tvb, off + 1, 1,
                                          ENC_BIG_ENDIAN, &v2);
        proto_item_append_text(oitem, ": part %u of %u", v, v2);
        info->has_list_part = TRUE;
        info->part_index = (guint8)v;
        info->part_count = (guint8)v2;
        if (v == 0 || v > v2)
            gmp_add_error(ti, pinfo, info, GMP_ERR_BAD_OPTION_VALUE,
                          "LIST-PART index %u with count %u", v, v2);
        break;
    }
    case GMP_OPT_REASON:
        proto_tree_add_item_ret_uint(otree, hf_opt_reason, tvb, off, 1, ENC_BIG_ENDIAN, &v);
        proto_item_append_text(oitem, ": %s (%u)", val_to_str_const(v, gmp_reason_vals, "unknown"), v);
        info->has_reason = TRUE;
        info->reason = (guint8)v;
        break;
    case GMP_OPT_KA_SEQ:
        info->ka_seq = opt_uint(otree, oitem, hf_opt_ka_seq, tvb, off, 4, NULL);
        info->has_ka_seq = TRUE;
        break;
    default:
        if (vlen > 0)
            proto_tree_add_item(otree, hf_opt_value, tvb, off, vlen, ENC_NA);
        break;
    }
}

void
gmp_dissect_options(tvbuff_t *tvb, int offset, packet_info *pinfo, proto_tree *tree,
                    proto_item *msg_item, gmp_pdu_info_t *info, guint8 hdr_key_length,
                    gboolean hdr_s_flag)
{
    const int end = (int)tvb_reported_length(tvb);
    const gboolean known_type = info->type >= 1 &&
        info->type <= (info->is_mm ? GMP_MM_MAX : GMP_SM_MAX);
    const guint32 allowed = opt_allowed(info);
    guint32 seen = 0, required, missing;
    gboolean truncated = FALSE;

    /* Each pass consumes at least one byte: the loop is bounded by the message length. */
    while (offset < end) {
        guint type = tvb_get_guint8(tvb, offset), vlen, pad, i;
        proto_item *oitem, *ti;
        proto_tree *otree;

        if (type == GMP_OPT_END) {
            /* Profile 4: END is one zero byte; the reader stops and ignores the rest. */
            proto_tree_add_item(tree, hf_opt_end, tvb, offset, 1, ENC_NA);
            if (offset + 1 < end)
                proto_tree_add_item(tree, hf_opt_after_end, tvb, offset + 1, end - offset - 1, ENC_NA);
            break;
        }
        if (offset + 2 > end) {
            ti = proto_tree_add_item(tree, hf_opt_type, tvb, offset, 1, ENC_BIG_ENDIAN);
            gmp_add_error(ti, pinfo, info, GMP_ERR_TRUNCATED_OPTION,
                          "Option header runs past the end of the message");
            truncated = TRUE;
            break;
        }
        vlen = tvb_get_guint8(tvb, offset + 1);
        if (offset + 2 + (int)vlen > end) {
            oitem = proto_tree_add_none_format(tree, hf_opt, tvb, offset, end - offset,
                "Option: %s (truncated)", val_to_str_const(type, opt_type_vals, "UNKNOWN"));
            otree = proto_item_add_subtree(oitem, ett_opt);
            proto_tree_add_item(otree, hf_opt_type, tvb, offset, 1, ENC_BIG_ENDIAN);
            proto_tree_add_item(otree, hf_opt_length, tvb, offset + 1, 1, ENC_BIG_ENDIAN);
            if (end - offset - 2 > 0)
                proto_tree_add_item(otree, hf_opt_value, tvb, offset + 2, end - offset - 2, ENC_NA);
            gmp_add_error(oitem, pinfo, info, GMP_ERR_TRUNCATED_OPTION,
                          "Option value of %u bytes runs past the end of the message", vlen);
            truncated = TRUE;
            break;
        }
        pad = (4 - ((2 + vlen) % 4)) % 4;
        if (offset + 2 + (int)vlen + (int)pad > end)
            pad = (guint)(end - offset - 2 - (int)vlen);

        oitem = proto_tree_add_none_format(tree, hf_opt, tvb, offset, 2 + vlen + pad,
            "Option: %s", val_to_str_const(type, opt_type_vals, "UNKNOWN"));
        otree = proto_item_add_subtree(oitem, ett_opt);
        proto_tree_add_item(otree, hf_opt_type, tvb, offset, 1, ENC_BIG_ENDIAN);
        proto_tree_add_item(otree, hf_opt_length, tvb, offset + 1, 1, ENC_BIG_ENDIAN);

        if (type > GMP_OPT_MAX) {
            /* Unknown option: skipped by receivers, shown raw (profile 4). */
            if (vlen > 0)
                proto_tree_add_item(otree, hf_opt_value, tvb, offset + 2, vlen, ENC_NA);
            expert_add_info_format(pinfo, oitem, &ei_gmp_unexpected_option,
                                   "Unknown option type %u (skipped)", type);
        } else {
            /* Size first, then repetition (the order of the project's reference reading,
             * tests/vectors/check_vectors.py). */
            gboolean size_ok = opt_size_ok(type, vlen, hdr_key_length);
            if (!size_ok)
                gmp_add_error(oitem, pinfo, info, GMP_ERR_BAD_OPTION_SIZE,
                              "Option %s with a value of %u bytes",
                              val_to_str_const(type, opt_type_vals, "?"), vlen);
            if ((seen & OPT_BIT(type)) && !(OPT_REPEATABLE & OPT_BIT(type)))
                gmp_add_error(oitem, pinfo, info, GMP_ERR_DUPLICATE_OPTION,
                              "Option %s appears twice", val_to_str_const(type, opt_type_vals, "?"));
            seen |= OPT_BIT(type);
            if (!size_ok) {
                if (vlen > 0)
                    proto_tree_add_item(otree, hf_opt_value, tvb, offset + 2, vlen, ENC_NA);
            } else {
                dissect_opt_value(tvb, offset + 2, type, vlen, pinfo, otree, oitem, info);
            }
            if (known_type && !(allowed & OPT_BIT(type)))
                expert_add_info_format(pinfo, oitem, &ei_gmp_unexpected_option,
                                       "Option %s is not listed for %s (ignored)",
                                       val_to_str_const(type, opt_type_vals, "?"),
                                       gmp_type_name(info->is_mm, info->type));
        }
        if (pad > 0) {
            ti = proto_tree_add_item(otree, hf_opt_padding, tvb, offset + 2 + vlen, pad, ENC_NA);
            for (i = 0; i < pad; i++) {
                if (tvb_get_guint8(tvb, offset + 2 + vlen + i) != 0) {
                    /* Profile 4: receivers ignore the padding's value. */
                    expert_add_info_format(pinfo, ti, &ei_gmp_reserved_set, "Non-zero option padding");
                    break;
                }
            }
        }
        offset += (int)(2 + vlen + pad);
    }

    /* Profile 4 / 7: a required option is absent. */
    if (!known_type || truncated)
        return;
    if (!info->is_mm && info->type == GMP_SM_SCINF && !(seen & OPT_BIT(GMP_OPT_SESSION_NAME)))
        expert_add_info(pinfo, msg_item, &ei_gmp_scinf_unacceptable);
    required = opt_required(info, hdr_s_flag);
    missing = required & ~seen;
    if (missing != 0) {
        guint t;
        for (t = 1; t <= GMP_OPT_MAX; t++) {
            if (missing & OPT_BIT(t))
                gmp_add_error(msg_item, pinfo, info, GMP_ERR_MISSING_REQUIRED_OPTION,
                              "%s without the required option %s",
                              gmp_type_name(info->is_mm, info->type),
                              val_to_str_const(t, opt_type_vals, "?"));
        }
    }
}

#define HF_STR(hfp, name, abbr) { &hfp, { name, "gmp.opt." abbr, FT_STRING, BASE_NONE, NULL, 0x0, NULL, HFILL } }
#define HF_UINT(hfp, name, abbr, ft, base) { &hfp, { name, "gmp.opt." abbr, ft, base, NULL, 0x0, NULL, HFILL } }

void
gmp_register_opt(int proto)
{
    static hf_register_info hf[] = {
        { &hf_opt, { "Option", "gmp.opt", FT_NONE, BASE_NONE, NULL, 0x0, NULL, HFILL } },
        { &hf_opt_type, { "Option type", "gmp.opt.type", FT_UINT8, BASE_DEC,
            VALS(opt_type_vals), 0x0, "Option type (profile 4)", HFILL } },
        HF_UINT(hf_opt_length, "Value length", "length", FT_UINT8, BASE_DEC),
        { &hf_opt_padding, { "Padding", "gmp.opt.padding", FT_BYTES, BASE_NONE, NULL, 0x0, NULL, HFILL } },
        { &hf_opt_end, { "END", "gmp.opt.end", FT_NONE, BASE_NONE, NULL, 0x0,
            "End of the option area (profile 4)", HFILL } },
        { &hf_opt_after_end, { "Bytes after END", "gmp.opt.after_end", FT_BYTES, BASE_NONE,
            NULL, 0x0, "Ignored by receivers (profile 4)", HFILL } },
        { &hf_opt_value, { "Value", "gmp.opt.value", FT_BYTES, BASE_NONE, NULL, 0x0,
            "Raw value (unknown option, known option of the wrong size, text that is not UTF-8)", HFILL } },
        HF_STR(hf_opt_client_name, "Client name", "client_name"),
        HF_STR(hf_opt_session_name, "Session name", "session_name"),
        HF_STR(hf_opt_session_info, "Session information", "session_info"),
        HF_STR(hf_opt_owner_info, "Owner information", "owner_info"),
        { &hf_opt_start_time, { "Start time", "gmp.opt.start_time", FT_ABSOLUTE_TIME,
            ABSOLUTE_TIME_UTC, NULL, 0x0, NULL, HFILL } },
        HF_UINT(hf_opt_start_time_secs, "Start time (seconds since 1970)", "start_time.seconds", FT_UINT64, BASE_DEC),
        { &hf_opt_end_time, { "End time", "gmp.opt.end_time", FT_ABSOLUTE_TIME,
            ABSOLUTE_TIME_UTC, NULL, 0x0, NULL, HFILL } },
        HF_UINT(hf_opt_end_time_secs, "End time (seconds since 1970)", "end_time.seconds", FT_UINT64, BASE_DEC),
        HF_STR(hf_opt_media_info, "Media information", "media_info"),
        HF_STR(hf_opt_app_info, "Application information", "app_info"),
        { &hf_opt_ka_period, { "KA period", "gmp.opt.ka_period", FT_UINT8, BASE_CUSTOM,
            CF_FUNC(gmp_fmt_100ms), 0x0, "Keepalive period in 100 ms units", HFILL } },
        { &hf_opt_ka_timeout, { "KA timeout", "gmp.opt.ka_timeout", FT_UINT8, BASE_CUSTOM,
            CF_FUNC(gmp_fmt_100ms), 0x0, "Keepalive timeout in 100 ms units", HFILL } },
        HF_UINT(hf_opt_miss_limit, "Miss limit", "miss_limit", FT_UINT8, BASE_DEC),
        HF_STR(hf_opt_base_member, "Base member", "base_member"),
        HF_STR(hf_opt_allow, "Allowed client", "allow"),
        { &hf_opt_access_key, { "Access key", "gmp.opt.access_key", FT_BYTES, BASE_NONE, NULL,
            0x0, NULL, HFILL } },
        HF_UINT(hf_opt_mm_port, "MM port", "mm_port", FT_UINT16, BASE_DEC),
        HF_UINT(hf_opt_key_epoch, "Key epoch", "key_epoch", FT_UINT16, BASE_DEC),
        { &hf_opt_key, { "Group key", "gmp.opt.key", FT_BYTES, BASE_NONE, NULL, 0x0, NULL, HFILL } },
        { &hf_opt_member, { "Member", "gmp.opt.member", FT_NONE, BASE_NONE, NULL, 0x0, NULL, HFILL } },
        HF_UINT(hf_opt_member_user_id, "User ID", "member.user_id", FT_UINT16, BASE_HEX),
        { &hf_opt_member_type, { "Member type", "gmp.opt.member.type", FT_UINT8, BASE_DEC,
            VALS(gmp_member_type_vals), 0x07, NULL, HFILL } },
        HF_UINT(hf_opt_member_reserved, "Reserved", "member.reserved", FT_UINT8, BASE_HEX),
        HF_UINT(hf_opt_member_count, "Member count", "member_count", FT_UINT32, BASE_DEC),
        HF_UINT(hf_opt_part_index, "Part index", "part_index", FT_UINT8, BASE_DEC),
        HF_UINT(hf_opt_part_count, "Part count", "part_count", FT_UINT8, BASE_DEC),
        { &hf_opt_reason, { "Reason", "gmp.opt.reason", FT_UINT8, BASE_DEC,
            VALS(gmp_reason_vals), 0x0, "REASON code (profile 5.7)", HFILL } },
        HF_UINT(hf_opt_ka_seq, "KA sequence (round)", "ka_seq", FT_UINT32, BASE_DEC),
    };
    static gint *ett[] = { &ett_opt, &ett_opt_member };

    proto_register_field_array(proto, hf, array_length(hf));
    proto_register_subtree_array(ett, array_length(ett));
}
