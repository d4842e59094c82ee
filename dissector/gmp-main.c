/* gmp-main.c -- GMP plugin: registration, transport binding (TCP framing, UDP), heuristics,
 * expert infos and the Info column.
 *
 * Profile (shared/spec/gmp-profile.md) section 1: SM over TCP, each message preceded by a
 * 2-byte length (header included, prefix excluded); MM over UDP, one message per datagram;
 * default port 16513 for both.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <epan/packet.h>
#include <epan/prefs.h>
#include <epan/expert.h>
#include <epan/proto_data.h>
#include <epan/in_cksum.h>
#include <epan/strutil.h>
#include <epan/conversation.h>
#include <epan/dissectors/packet-tcp.h>
#include <ws_version.h>

#include "gmp-util.h"

int proto_gmp = -1;

static int hf_gmp_sm_frame_length = -1;
static int hf_gmp_error = -1;
static gint ett_gmp = -1;

static dissector_handle_t gmp_sm_tcp_handle;
static dissector_handle_t gmp_mm_udp_handle;

/* Preferences */
static gboolean gmp_desegment = TRUE;
static guint    gmp_sm_max_len = GMP_SM_MAX_LEN;

/* Key of the per-frame PDU counter (packet-scoped proto data). */
#define GMP_PDATA_PDU_COUNT 0xffffffffU

/* Info column: message name, IDs and the key facts of one PDU; PDUs of one frame are
 * separated by ", ". */
static void
gmp_set_info(packet_info *pinfo, const gmp_pdu_info_t *info, guint pdu_index)
{
    wmem_strbuf_t *sb;

    if (pinfo->cinfo == NULL)   /* no columns wanted (e.g. tshark -q): skip the text work */
        return;
    sb = wmem_strbuf_new(pinfo->pool, "");
    if (info->error_mask & (1U << GMP_ERR_TOO_SHORT)) {   /* no header to show */
        wmem_strbuf_append(sb, info->is_mm ? "MM" : "SM");
    } else {
        wmem_strbuf_append(sb, gmp_type_name(info->is_mm, info->type));
        wmem_strbuf_append_printf(sb, " session=0x%04x user=0x%04x", info->session_id,
                                  info->user_id);
    }
    if (!info->is_mm && info->type == GMP_SM_SCINF)
        wmem_strbuf_append_printf(sb, " %s%s", (info->flags & 0x2) ? "closed" : "open",
                                  (info->flags & 0x4) ? " secure" : "");
    /* Profile 3: SS = 1 in TRIND says the session is ending. */
    if (info->is_mm && info->type == GMP_MM_TRIND)
        wmem_strbuf_append_printf(sb, " ss=%u", (info->flags & 0x2) ? 1 : 0);
    /* Names come from the wire: escape control characters (format_text). */
    if (info->client_name)
        wmem_strbuf_append_printf(sb, " name=\"%s\"", format_text(pinfo->pool,
                                  (const guchar *)info->client_name, strlen(info->client_name)));
    if (info->session_name)
        wmem_strbuf_append_printf(sb, " session-name=\"%s\"", format_text(pinfo->pool,
                                  (const guchar *)info->session_name, strlen(info->session_name)));
    /* KEEPALIVE values are in 100 ms units, shown in seconds like the MM header fields. */
    if (info->has_keepalive)
        wmem_strbuf_append_printf(sb, " ka-period=%u.%us ka-timeout=%u.%us miss-limit=%u",
                                  info->ka_period / 10, info->ka_period % 10,
                                  info->ka_timeout / 10, info->ka_timeout % 10,
                                  info->ka_miss_limit);
    if (info->has_mm_port)
        wmem_strbuf_append_printf(sb, " mm-port=%u", info->mm_port);
    if (info->has_key_epoch)
        wmem_strbuf_append_printf(sb, " epoch=%u", info->key_epoch);
    if (info->has_reason)
        wmem_strbuf_append_printf(sb, " reason=\"%s\"",
                                  val_to_str_const(info->reason, gmp_reason_vals, "unknown"));
    if (info->has_ka_seq)
        wmem_strbuf_append_printf(sb, " seq=%u", info->ka_seq);
    if (info->has_list_part)
        wmem_strbuf_append_printf(sb, " part=%u/%u", info->part_index, info->part_count);
    if (info->has_member_count)
        wmem_strbuf_append_printf(sb, " members=%u", info->member_count);
    if (info->first_error != GMP_ERR_NONE)
        wmem_strbuf_append_printf(sb, " [%s]", gmp_error_name(info->first_error));

    if (pdu_index == 0) {
        col_clear(pinfo->cinfo, COL_INFO);
        col_add_str(pinfo->cinfo, COL_INFO, wmem_strbuf_get_str(sb));
    } else {
        col_append_sep_str(pinfo->cinfo, COL_INFO, ", ", wmem_strbuf_get_str(sb));
    }
}

/* Returns the index of this PDU within its frame (0, 1, ...): deterministic on every pass,
 * so it keys the per-PDU tracking data. */
static guint
gmp_next_pdu_index(packet_info *pinfo)
{
    guint n = GPOINTER_TO_UINT(p_get_proto_data(pinfo->pool, pinfo, proto_gmp, GMP_PDATA_PDU_COUNT));
    p_add_proto_data(pinfo->pool, pinfo, proto_gmp, GMP_PDATA_PDU_COUNT, GUINT_TO_POINTER(n + 1));
    return n;
}

static void
gmp_finish_pdu(tvbuff_t *tvb, packet_info *pinfo, proto_tree *gmp_tree, gmp_pdu_info_t *info,
               guint pdu_index)
{
    guint i;

    /* One generated item per distinct error, in the order found: the first is the
     * message's "error" of docs/json-format.md. */
    for (i = 0; i < info->n_distinct; i++) {
        proto_item *pi = proto_tree_add_string(gmp_tree, hf_gmp_error, tvb, 0, 0,
                                               gmp_error_name((gmp_error_t)info->errors[i]));
        proto_item_set_generated(pi);
    }
    gmp_set_info(pinfo, info, pdu_index);
    gmp_track_pdu(tvb, pinfo, gmp_tree, info);
    gmp_stats_queue(pinfo, info);
}

/* ---- SM over TCP (profile 1, SM framing) ---- */

static guint
get_gmp_sm_pdu_len(packet_info *pinfo _U_, tvbuff_t *tvb, int offset, void *data _U_)
{
    /* Always at least the 2-byte prefix, so a bad length never loops. */
    return (guint)tvb_get_ntohs(tvb, offset) + 2;
}

/* Common start of an SM or MM PDU: fresh per-PDU info, protocol column, the GMP subtree. */
static guint
gmp_begin_pdu(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, gmp_pdu_info_t *info,
              gboolean is_mm, proto_tree **gmp_tree)
{
    proto_item *ti;

    memset(info, 0, sizeof *info);
    info->is_mm = is_mm;
    info->pdu_index = gmp_next_pdu_index(pinfo);
    col_set_str(pinfo->cinfo, COL_PROTOCOL, "GMP");
    ti = proto_tree_add_item(tree, proto_gmp, tvb, 0, -1, ENC_NA);
    proto_item_append_text(ti, is_mm ? ", MM" : ", SM");
    *gmp_tree = proto_item_add_subtree(ti, ett_gmp);
    return info->pdu_index;
}

static int
dissect_gmp_sm_pdu(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, void *data _U_)
{
    gmp_pdu_info_t info;
    proto_item *len_item;
    proto_tree *gmp_tree;
    guint32 frame_len;
    guint pdu_index = gmp_begin_pdu(tvb, pinfo, tree, &info, FALSE, &gmp_tree);
    tvbuff_t *msg_tvb;

    len_item = proto_tree_add_item_ret_uint(gmp_tree, hf_gmp_sm_frame_length, tvb, 0, 2,
                                            ENC_BIG_ENDIAN, &frame_len);
    /* Profile 1: below 16, not a multiple of 4 or above the maximum: framing error. */
    if (frame_len < GMP_HDR_LEN)
        gmp_add_error(len_item, pinfo, &info, GMP_ERR_FRAME_TOO_SHORT,
                      "SM frame length %u is below 16", frame_len);
    else if (frame_len % 4 != 0)
        gmp_add_error(len_item, pinfo, &info, GMP_ERR_FRAME_NOT_ALIGNED,
                      "SM frame length %u is not a multiple of 4", frame_len);
    if (frame_len > gmp_sm_max_len)
        gmp_add_error(len_item, pinfo, &info, GMP_ERR_FRAME_TOO_LARGE,
                      "SM frame length %u is above the maximum %u", frame_len, gmp_sm_max_len);

    msg_tvb = tvb_new_subset_remaining(tvb, 2);
    gmp_dissect_sm_msg(msg_tvb, pinfo, gmp_tree, &info);
    gmp_finish_pdu(tvb, pinfo, gmp_tree, &info, pdu_index);
    return tvb_captured_length(tvb);
}

static int
dissect_gmp_sm_tcp(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, void *data)
{
    tcp_dissect_pdus(tvb, pinfo, tree, gmp_desegment, 2, get_gmp_sm_pdu_len,
                     dissect_gmp_sm_pdu, data);
    return tvb_captured_length(tvb);
}

/* ---- MM over UDP (profile 1, 3) ---- */

static int
dissect_gmp_mm_udp(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, void *data _U_)
{
    gmp_pdu_info_t info;
    proto_tree *gmp_tree;
    guint pdu_index = gmp_begin_pdu(tvb, pinfo, tree, &info, TRUE, &gmp_tree);

    gmp_dissect_mm_msg(tvb, pinfo, gmp_tree, &info);
    gmp_finish_pdu(tvb, pinfo, gmp_tree, &info, pdu_index);
    return tvb_captured_length(tvb);
}

/* ---- Heuristics (disabled by default) ---- */

static gboolean
dissect_gmp_sm_heur(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, void *data)
{
    guint len, type, flags;

    if (tvb_captured_length(tvb) < 2 + GMP_HDR_LEN)
        return FALSE;
    len = tvb_get_ntohs(tvb, 0);
    if (len < GMP_HDR_LEN || len % 4 != 0 || len > gmp_sm_max_len)
        return FALSE;
    if ((tvb_get_guint8(tvb, 2) >> 4) != 1)
        return FALSE;
    flags = tvb_get_guint8(tvb, 2) & 0x0f;
    type = tvb_get_guint8(tvb, 3);
    if (type < 1 || type > GMP_SM_MAX)
        return FALSE;
    if (((flags & 0x1) != 0) != (type == GMP_SM_SCINF))
        return FALSE;
    /* A checksum that verifies (profile 2) makes a false positive very unlikely. */
    if (tvb_captured_length(tvb) >= len + 2 && ip_checksum_tvb(tvb, 2, len) != 0)
        return FALSE;
    conversation_set_dissector(find_or_create_conversation(pinfo), gmp_sm_tcp_handle);
    dissect_gmp_sm_tcp(tvb, pinfo, tree, data);
    return TRUE;
}

static gboolean
dissect_gmp_mm_heur(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, void *data)
{
    guint len = tvb_reported_length(tvb), type, b1;

    if (len < GMP_HDR_LEN || len % 4 != 0 || tvb_captured_length(tvb) < GMP_HDR_LEN)
        return FALSE;
    if ((tvb_get_guint8(tvb, 0) >> 4) != 1)
        return FALSE;
    type = tvb_get_guint8(tvb, 0) & 0x0f;
    if (type < 1 || type > GMP_MM_MAX)
        return FALSE;
    b1 = tvb_get_guint8(tvb, 1);
    if (((b1 >> 6) != 1 && (b1 >> 6) != 2))
        return FALSE;
    switch ((b1 >> 3) & 0x7) {
    case 4: case 2: case 1: break;
    default: return FALSE;
    }
    if (tvb_get_guint8(tvb, 15) != 0)   /* reserved byte, sent as 0 */
        return FALSE;
    conversation_set_dissector(find_or_create_conversation(pinfo), gmp_mm_udp_handle);
    dissect_gmp_mm_udp(tvb, pinfo, tree, data);
    return TRUE;
}

/* ---- Registration ---- */

static void
proto_register_gmp(void)
{
    static hf_register_info hf[] = {
        { &hf_gmp_sm_frame_length,
          { "SM frame length", "gmp.sm.frame_length", FT_UINT16, BASE_DEC, NULL, 0x0,
            "TCP framing: length of the SM message that follows (profile 1)", HFILL } },
        { &hf_gmp_error,
          { "Error", "gmp.error", FT_STRING, BASE_NONE, NULL, 0x0,
            "Error name of docs/json-format.md (generated, in the order found)", HFILL } },
    };
    static gint *ett[] = { &ett_gmp };
    module_t *gmp_module;

    proto_gmp = proto_register_protocol("Group Management Protocol (X.602)", "GMP", "gmp");
    proto_register_field_array(proto_gmp, hf, array_length(hf));
    proto_register_subtree_array(ett, array_length(ett));
    gmp_register_expert(proto_gmp);

    gmp_register_sm(proto_gmp);
    gmp_register_mm(proto_gmp);
    gmp_register_opt(proto_gmp);
    gmp_register_track(proto_gmp);
    gmp_register_stats();

    gmp_sm_tcp_handle = register_dissector("gmp.sm", dissect_gmp_sm_tcp, proto_gmp);
    gmp_mm_udp_handle = register_dissector("gmp.mm", dissect_gmp_mm_udp, proto_gmp);

    gmp_module = prefs_register_protocol(proto_gmp, NULL);
    prefs_register_bool_preference(gmp_module, "desegment",
        "Reassemble SM messages spanning multiple TCP segments",
        "Whether the GMP dissector should reassemble SM messages spanning multiple TCP "
        "segments (needs the TCP preference \"Allow subdissectors to reassemble TCP streams\")",
        &gmp_desegment);
    prefs_register_uint_preference(gmp_module, "sm_max_length", "Maximum SM message length",
        "SM frame lengths above this are flagged frame_too_large (profile 1; server default 4096)",
        10, &gmp_sm_max_len);
    prefs_register_bool_preference(gmp_module, "check_checksum", "Verify the SM checksum",
        "Verify the Internet checksum of SM messages (profile 2)", &gmp_pref_check_checksum);
}

static void
proto_reg_handoff_gmp(void)
{
    dissector_add_uint_with_preference("tcp.port", GMP_PORT, gmp_sm_tcp_handle);
    dissector_add_uint_with_preference("udp.port", GMP_PORT, gmp_mm_udp_handle);
    heur_dissector_add("tcp", dissect_gmp_sm_heur, "GMP SM over TCP", "gmp_sm_tcp",
                       proto_gmp, HEURISTIC_DISABLE);
    heur_dissector_add("udp", dissect_gmp_mm_heur, "GMP MM over UDP", "gmp_mm_udp",
                       proto_gmp, HEURISTIC_DISABLE);
    gmp_stats_register_tree();
}

/* ---- Plugin entry points (Wireshark 4.0 plugin ABI) ---- */

WS_DLL_PUBLIC_DEF const gchar plugin_version[] = GMP_PLUGIN_VERSION;
WS_DLL_PUBLIC_DEF const int plugin_want_major = WIRESHARK_VERSION_MAJOR;
WS_DLL_PUBLIC_DEF const int plugin_want_minor = WIRESHARK_VERSION_MINOR;

WS_DLL_PUBLIC void plugin_register(void);

void
plugin_register(void)
{
    static proto_plugin plug_gmp;

    plug_gmp.register_protoinfo = proto_register_gmp;
    plug_gmp.register_handoff = proto_reg_handoff_gmp;
    proto_register_plugin(&plug_gmp);
}
