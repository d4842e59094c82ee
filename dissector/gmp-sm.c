/* gmp-sm.c -- GMP session management (SM) message: the 16-byte header of profile 2
 * (clause 8.2, Figure 25), then the option area (gmp-opt.c).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <epan/packet.h>
#include <epan/expert.h>
#include <epan/in_cksum.h>

#include "gmp-util.h"

/* Header fields (registered in gmp_register_sm). */
static int hf_sm_version = -1, hf_sm_flags = -1, hf_sm_flag_q = -1, hf_sm_flag_s = -1,
    hf_sm_flag_m = -1, hf_sm_flag_i = -1, hf_sm_type = -1, hf_sm_checksum = -1,
    hf_sm_checksum_status = -1, hf_sm_session_id = -1, hf_sm_user_id = -1,
    hf_sm_key_length = -1, hf_sm_reserved = -1, hf_sm_group_port = -1,
    hf_sm_group_address = -1, hf_sm_bytes = -1;
static gint ett_sm_flags = -1;

static const true_false_string tfs_closed_open = { "Closed mode", "Open mode" };

/* Profile 2: byte 0 = version << 4 | Q << 3 | S << 2 | M << 1 | I */
static int *const sm_flag_fields[] = {
    &hf_sm_flag_q, &hf_sm_flag_s, &hf_sm_flag_m, &hf_sm_flag_i, NULL
};

int
gmp_dissect_sm_msg(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, gmp_pdu_info_t *info)
{
    proto_item *msg_item = proto_tree_get_parent(tree);
    proto_item *pi;
    guint len = tvb_reported_length(tvb);
    guint32 type, key_length, reserved, id;
    guint8 flags;

    info->is_mm = FALSE;
    if (!gmp_dissect_length_and_version(tvb, pinfo, tree, info, hf_sm_bytes, hf_sm_version))
        return (int)len;
    pi = proto_tree_add_bitmask(tree, tvb, 0, hf_sm_flags, ett_sm_flags, sm_flag_fields,
                                ENC_BIG_ENDIAN);
    flags = tvb_get_guint8(tvb, 0) & 0x0f;
    info->flags = flags;
    if (flags & 0x8)   /* Q: reserved for QoS, sent as 0 (profile 2) */
        expert_add_info_format(pinfo, pi, &ei_gmp_reserved_set, "Q flag set (reserved for QoS)");

    pi = proto_tree_add_item_ret_uint(tree, hf_sm_type, tvb, 1, 1, ENC_BIG_ENDIAN, &type);
    info->type = (guint8)type;

    /* Profile 2: Internet checksum over the whole message; summing it with the checksum
     * in place must give 0xFFFF, i.e. ip_checksum_tvb() returns 0. */
    if (gmp_pref_check_checksum && tvb_bytes_exist(tvb, 0, len)) {
        guint16 computed = ip_checksum_tvb(tvb, 0, len);
        proto_tree_add_checksum(tree, tvb, 2, hf_sm_checksum, hf_sm_checksum_status,
                                gmp_expert_for(GMP_ERR_BAD_CHECKSUM), pinfo, computed,
                                ENC_BIG_ENDIAN, PROTO_CHECKSUM_VERIFY | PROTO_CHECKSUM_IN_CKSUM);
        if (computed != 0)
            gmp_note_error(info, GMP_ERR_BAD_CHECKSUM);
    } else {
        proto_tree_add_checksum(tree, tvb, 2, hf_sm_checksum, hf_sm_checksum_status, NULL,
                                pinfo, 0, ENC_BIG_ENDIAN, PROTO_CHECKSUM_NO_FLAGS);
    }

    if (type < GMP_SM_SCREQ || type > GMP_SM_MAX)
        gmp_add_error(pi, pinfo, info, GMP_ERR_UNKNOWN_TYPE, "Unknown SM message type %u", type);
    else
        proto_item_append_text(pi, " (%s)", gmp_type_description(FALSE, (guint8)type));

    proto_tree_add_item_ret_uint(tree, hf_sm_session_id, tvb, 4, 2, ENC_BIG_ENDIAN, &id);
    info->session_id = (guint16)id;
    proto_tree_add_item_ret_uint(tree, hf_sm_user_id, tvb, 6, 2, ENC_BIG_ENDIAN, &id);
    info->user_id = (guint16)id;
    proto_tree_add_item_ret_uint(tree, hf_sm_key_length, tvb, 8, 1, ENC_BIG_ENDIAN, &key_length);
    pi = proto_tree_add_item_ret_uint(tree, hf_sm_reserved, tvb, 9, 1, ENC_BIG_ENDIAN, &reserved);
    if (reserved != 0)
        expert_add_info(pinfo, pi, &ei_gmp_reserved_set);
    proto_tree_add_item(tree, hf_sm_group_port, tvb, 10, 2, ENC_BIG_ENDIAN);
    proto_tree_add_item(tree, hf_sm_group_address, tvb, 12, 4, ENC_BIG_ENDIAN);

    proto_item_append_text(msg_item, " %s, Session 0x%04x, User 0x%04x",
                           gmp_type_name(FALSE, info->type), info->session_id, info->user_id);

    /* Profile 2 / 7: I = 1 exactly in SCINF. */
    if (type >= GMP_SM_SCREQ && type <= GMP_SM_MAX &&
        ((flags & 0x1) != 0) != (type == GMP_SM_SCINF)) {
        gmp_add_error(msg_item, pinfo, info, GMP_ERR_FLAG_CONTRADICTS_TYPE,
                      (flags & 0x1) ? "I flag set outside SCINF" : "I flag clear in SCINF");
    }

    gmp_dissect_options(tvb, GMP_HDR_LEN, pinfo, tree, msg_item, info, (guint8)key_length,
                        (flags & 0x4) != 0);
    return (int)len;
}

void
gmp_register_sm(int proto)
{
    static hf_register_info hf[] = {
        { &hf_sm_version, { "Version", "gmp.sm.version", FT_UINT8, BASE_DEC, NULL, 0xf0,
            "Protocol version (profile 2: 1)", HFILL } },
        { &hf_sm_flags, { "Flags", "gmp.sm.flags", FT_UINT8, BASE_HEX, NULL, 0x0f,
            "Q S M I flags (profile 2)", HFILL } },
        { &hf_sm_flag_q, { "Q (QoS, reserved)", "gmp.sm.flags.q", FT_BOOLEAN, 8, NULL, 0x08,
            NULL, HFILL } },
        { &hf_sm_flag_s, { "S (secure mode)", "gmp.sm.flags.s", FT_BOOLEAN, 8, NULL, 0x04,
            NULL, HFILL } },
        { &hf_sm_flag_m, { "M (closed mode)", "gmp.sm.flags.m", FT_BOOLEAN, 8,
            TFS(&tfs_closed_open), 0x02, NULL, HFILL } },
        { &hf_sm_flag_i, { "I (session information)", "gmp.sm.flags.i", FT_BOOLEAN, 8, NULL,
            0x01, NULL, HFILL } },
        { &hf_sm_type, { "Message type", "gmp.sm.type", FT_UINT8, BASE_DEC,
            VALS(gmp_sm_type_vals), 0x0, "SM message type (profile 2, Table 2)", HFILL } },
        { &hf_sm_checksum, { "Checksum", "gmp.sm.checksum", FT_UINT16, BASE_HEX, NULL, 0x0,
            "Internet checksum of the SM message (profile 2)", HFILL } },
        { &hf_sm_checksum_status, { "Checksum Status", "gmp.sm.checksum.status", FT_UINT8,
            BASE_NONE, VALS(proto_checksum_vals), 0x0, NULL, HFILL } },
        { &hf_sm_session_id, { "Session ID", "gmp.sm.session_id", FT_UINT16, BASE_HEX, NULL,
            0x0, NULL, HFILL } },
        { &hf_sm_user_id, { "User ID", "gmp.sm.user_id", FT_UINT16, BASE_HEX, NULL, 0x0,
            NULL, HFILL } },
        { &hf_sm_key_length, { "Key length", "gmp.sm.key_length", FT_UINT8, BASE_DEC, NULL,
            0x0, "Group key length in bytes (SJRES with S = 1)", HFILL } },
        { &hf_sm_reserved, { "Reserved", "gmp.sm.reserved", FT_UINT8, BASE_HEX, NULL, 0x0,
            NULL, HFILL } },
        { &hf_sm_group_port, { "Multicast group port", "gmp.sm.group_port", FT_UINT16,
            BASE_DEC, NULL, 0x0, NULL, HFILL } },
        { &hf_sm_group_address, { "Multicast group address", "gmp.sm.group_address", FT_IPv4,
            BASE_NONE, NULL, 0x0, NULL, HFILL } },
        { &hf_sm_bytes, { "Message bytes", "gmp.sm.bytes", FT_BYTES, BASE_NONE, NULL, 0x0,
            "Bytes of an SM message too short to decode", HFILL } },
    };
    static gint *ett[] = { &ett_sm_flags };

    proto_register_field_array(proto, hf, array_length(hf));
    proto_register_subtree_array(ett, array_length(ett));
}
