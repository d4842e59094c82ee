/* gmp-mm.c -- GMP membership management (MM) message: the 16-byte header of profile 3
 * (clause 8.4, Figure 26), then the option area (gmp-opt.c). No checksum: UDP carries one.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <epan/packet.h>
#include <epan/expert.h>

#include "gmp-util.h"

/* Header fields (registered in gmp_register_mm). */
static int hf_mm_version = -1, hf_mm_type = -1, hf_mm_control = -1, hf_mm_mode = -1,
    hf_mm_member_type = -1, hf_mm_flags = -1, hf_mm_flag_r = -1, hf_mm_flag_ss = -1,
    hf_mm_flag_ui = -1, hf_mm_group_port = -1, hf_mm_session_id = -1, hf_mm_user_id = -1,
    hf_mm_group_address = -1, hf_mm_ka_period = -1, hf_mm_ka_timeout = -1,
    hf_mm_key_length = -1, hf_mm_reserved = -1, hf_mm_bytes = -1;
static gint ett_mm_control = -1;

/* Profile 3: mode 01 open, 10 closed; 00 and 11 are invalid. */
static const value_string mm_mode_vals[] = {
    { 0, "invalid" }, { 1, "open" }, { 2, "closed" }, { 3, "invalid" },
    { 0, NULL }
};

/* Profile 3: byte 1 = mode << 6 | member type << 3 | R << 2 | SS << 1 | UI */
static int *const mm_control_fields[] = {
    &hf_mm_mode, &hf_mm_member_type, &hf_mm_flags, &hf_mm_flag_r, &hf_mm_flag_ss,
    &hf_mm_flag_ui, NULL
};

int
gmp_dissect_mm_msg(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, gmp_pdu_info_t *info)
{
    proto_item *msg_item = proto_tree_get_parent(tree);
    proto_item *pi, *ctl_item;
    guint len = tvb_reported_length(tvb);
    guint32 type, val, key_length, reserved;
    guint8 b1, mode, flags;

    info->is_mm = TRUE;
    if (!gmp_dissect_length_and_version(tvb, pinfo, tree, info, hf_mm_bytes, hf_mm_version))
        return (int)len;
    pi = proto_tree_add_item_ret_uint(tree, hf_mm_type, tvb, 0, 1, ENC_BIG_ENDIAN, &type);
    info->type = (guint8)type;
    if (type < GMP_MM_KAREQ || type > GMP_MM_MAX)
        gmp_add_error(pi, pinfo, info, GMP_ERR_UNKNOWN_TYPE, "Unknown MM message type %u", type);
    else
        proto_item_append_text(pi, " (%s)", gmp_type_description(TRUE, (guint8)type));

    ctl_item = proto_tree_add_bitmask(tree, tvb, 1, hf_mm_control, ett_mm_control,
                                      mm_control_fields, ENC_BIG_ENDIAN);
    b1 = tvb_get_guint8(tvb, 1);
    mode = b1 >> 6;
    flags = b1 & 0x7;
    info->flags = flags;

    proto_tree_add_item(tree, hf_mm_group_port, tvb, 2, 2, ENC_BIG_ENDIAN);
    proto_tree_add_item_ret_uint(tree, hf_mm_session_id, tvb, 4, 2, ENC_BIG_ENDIAN, &val);
    info->session_id = (guint16)val;
    proto_tree_add_item_ret_uint(tree, hf_mm_user_id, tvb, 6, 2, ENC_BIG_ENDIAN, &val);
    info->user_id = (guint16)val;
    proto_tree_add_item(tree, hf_mm_group_address, tvb, 8, 4, ENC_BIG_ENDIAN);
    proto_tree_add_item(tree, hf_mm_ka_period, tvb, 12, 1, ENC_BIG_ENDIAN);
    proto_tree_add_item(tree, hf_mm_ka_timeout, tvb, 13, 1, ENC_BIG_ENDIAN);
    proto_tree_add_item_ret_uint(tree, hf_mm_key_length, tvb, 14, 1, ENC_BIG_ENDIAN, &key_length);
    pi = proto_tree_add_item_ret_uint(tree, hf_mm_reserved, tvb, 15, 1, ENC_BIG_ENDIAN, &reserved);
    if (reserved != 0)
        expert_add_info(pinfo, pi, &ei_gmp_reserved_set);

    proto_item_append_text(msg_item, " %s, Session 0x%04x, User 0x%04x",
                           gmp_type_name(TRUE, info->type), info->session_id, info->user_id);

    /* Order: mode, then flags (as tests/vectors/check_vectors.py). */
    /* Profile 3: mode 00 and 11 make the message malformed. Any member type code is accepted
     * (profile 1.3): a code other than 100, 010, 001 is shown with its value, not flagged. */
    if (mode == 0 || mode == 3)
        gmp_add_error(ctl_item, pinfo, info, GMP_ERR_BAD_MODE, "Invalid MM mode %u%u",
                      (mode >> 1) & 1, mode & 1);
    /* Profile 7: flags that contradict the type: UI iff UIRES, SS iff TRIND. */
    if (type >= GMP_MM_KAREQ && type <= GMP_MM_MAX) {
        if (((flags & 0x1) != 0) != (type == GMP_MM_UIRES))
            gmp_add_error(ctl_item, pinfo, info, GMP_ERR_FLAG_CONTRADICTS_TYPE,
                          (flags & 0x1) ? "UI flag set outside UIRES" : "UI flag clear in UIRES");
        if (((flags & 0x2) != 0) != (type == GMP_MM_TRIND))
            gmp_add_error(ctl_item, pinfo, info, GMP_ERR_FLAG_CONTRADICTS_TYPE,
                          (flags & 0x2) ? "SS flag set outside TRIND" : "SS flag clear in TRIND");
    }
    if (flags & 0x4)   /* R: reserved, sent 0, ignored */
        expert_add_info_format(pinfo, ctl_item, &ei_gmp_reserved_set, "R flag set (reserved)");

    gmp_dissect_options(tvb, GMP_HDR_LEN, pinfo, tree, msg_item, info, (guint8)key_length, FALSE);
    return (int)len;
}

void
gmp_register_mm(int proto)
{
    static hf_register_info hf[] = {
        { &hf_mm_version, { "Version", "gmp.mm.version", FT_UINT8, BASE_DEC, NULL, 0xf0,
            "Protocol version (profile 3: 1)", HFILL } },
        { &hf_mm_type, { "Message type", "gmp.mm.type", FT_UINT8, BASE_DEC,
            VALS(gmp_mm_type_vals), 0x0f, "MM message type (profile 3, Table 4)", HFILL } },
        { &hf_mm_control, { "Mode, member type and flags", "gmp.mm.control", FT_UINT8,
            BASE_HEX, NULL, 0x0, NULL, HFILL } },
        { &hf_mm_mode, { "Mode", "gmp.mm.mode", FT_UINT8, BASE_DEC, VALS(mm_mode_vals), 0xc0,
            NULL, HFILL } },
        { &hf_mm_member_type, { "Member type", "gmp.mm.member_type", FT_UINT8, BASE_DEC,
            VALS(gmp_member_type_vals), 0x38, NULL, HFILL } },
        { &hf_mm_flags, { "Flags", "gmp.mm.flags", FT_UINT8, BASE_HEX, NULL, 0x07,
            "R SS UI flags (profile 3)", HFILL } },
        { &hf_mm_flag_r, { "R (reserved)", "gmp.mm.flags.r", FT_BOOLEAN, 8, NULL, 0x04,
            NULL, HFILL } },
        { &hf_mm_flag_ss, { "SS (session ending)", "gmp.mm.flags.ss", FT_BOOLEAN, 8, NULL,
            0x02, NULL, HFILL } },
        { &hf_mm_flag_ui, { "UI (user information)", "gmp.mm.flags.ui", FT_BOOLEAN, 8, NULL,
            0x01, NULL, HFILL } },
        { &hf_mm_group_port, { "Multicast group port", "gmp.mm.group_port", FT_UINT16,
            BASE_DEC, NULL, 0x0, NULL, HFILL } },
        { &hf_mm_session_id, { "Session ID", "gmp.mm.session_id", FT_UINT16, BASE_HEX, NULL,
            0x0, NULL, HFILL } },
        { &hf_mm_user_id, { "User ID", "gmp.mm.user_id", FT_UINT16, BASE_HEX, NULL, 0x0,
            NULL, HFILL } },
        { &hf_mm_group_address, { "Multicast group address", "gmp.mm.group_address", FT_IPv4,
            BASE_NONE, NULL, 0x0, NULL, HFILL } },
        { &hf_mm_ka_period, { "KA period", "gmp.mm.ka_period", FT_UINT8, BASE_CUSTOM,
            CF_FUNC(gmp_fmt_100ms), 0x0, "Keepalive period in 100 ms units", HFILL } },
        { &hf_mm_ka_timeout, { "KA timeout", "gmp.mm.ka_timeout", FT_UINT8, BASE_CUSTOM,
            CF_FUNC(gmp_fmt_100ms), 0x0, "Keepalive timeout in 100 ms units", HFILL } },
        { &hf_mm_key_length, { "Key length", "gmp.mm.key_length", FT_UINT8, BASE_DEC, NULL,
            0x0, "Group key length in bytes (KDUPT)", HFILL } },
        { &hf_mm_reserved, { "Reserved", "gmp.mm.reserved", FT_UINT8, BASE_HEX, NULL, 0x0,
            NULL, HFILL } },
        { &hf_mm_bytes, { "Message bytes", "gmp.mm.bytes", FT_BYTES, BASE_NONE, NULL, 0x0,
            "Bytes of an MM message too short to decode", HFILL } },
    };
    static gint *ett[] = { &ett_mm_control };

    proto_register_field_array(proto, hf, array_length(hf));
    proto_register_subtree_array(ett, array_length(ett));
}
