/* gmp-stats.c -- the "gmp" tap and a stats_tree (Statistics > GMP; tshark -z gmp,tree):
 * messages by type in protocol order with their lengths (profile 2 Table 2, then profile 3 Table 4), response
 * times per request type, messages by session, and errors by name (docs/json-format.md,
 * profile 7).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <epan/packet.h>
#include <epan/tap.h>
#include <epan/stats_tree.h>
#include <epan/stats_tree_priv.h>

#include "gmp-util.h"

typedef struct {
    gboolean    is_mm;
    guint8      type;
    guint       msg_len;
    guint16     session_id;
    gmp_error_t first_error;
    guint32     error_mask;
    gboolean    first_response;
    gboolean    req_is_mm;
    guint8      req_type;
    double      response_ms;
} gmp_tap_info_t;

static int gmp_tap = -1;

static const char st_str_messages[] = "GMP messages";
static const char st_str_by_type[] = "By type";
static const char st_str_rsp[] = "Response time (ms, to the first answer)";
static const char st_str_by_session[] = "By session";
static const char st_str_errors[] = "Malformed messages (by error)";
static int st_node_messages = -1;
static int st_node_by_type = -1;
static int st_node_rsp = -1;
static int st_node_by_session = -1;
static int st_node_errors = -1;

/* The tracked requests (gmp-track.c) in protocol order, with their answers. */
typedef struct {
    gboolean    is_mm;
    guint8      type;
    const char *row;
} gmp_rsp_row_t;

static const gmp_rsp_row_t gmp_rsp_rows[] = {
    { FALSE, GMP_SM_SCREQ, "SCREQ -> SCACC/SCREJ" },
    { FALSE, GMP_SM_SDREQ, "SDREQ -> SDRES" },
    { FALSE, GMP_SM_SCINF, "SCINF -> SCCON/SCREJ" },
    { FALSE, GMP_SM_SRREQ, "SRREQ -> SRRES/SRACC/SRREJ" },
    { FALSE, GMP_SM_SJREQ, "SJREQ -> SJRES" },
    { FALSE, GMP_SM_SAREQ, "SAREQ -> first KAREQ" },
    { TRUE, GMP_MM_KAREQ, "KAREQ -> KARES" },
    { TRUE, GMP_MM_UIREQ, "UIREQ -> UIRES" },
    { TRUE, GMP_MM_TRREQ, "TRREQ -> TRIND" },
};

void
gmp_register_stats(void)
{
    gmp_tap = register_tap("gmp");
}

void
gmp_stats_queue(packet_info *pinfo, const gmp_pdu_info_t *info)
{
    gmp_tap_info_t *ti;

    if (!have_tap_listener(gmp_tap))
        return;
    ti = wmem_new0(pinfo->pool, gmp_tap_info_t);
    ti->is_mm = info->is_mm;
    ti->type = info->type;
    ti->msg_len = info->msg_len;
    ti->session_id = info->session_id;
    ti->first_error = info->first_error;
    ti->error_mask = info->error_mask;
    ti->first_response = info->first_response;
    ti->req_is_mm = info->req_is_mm;
    ti->req_type = info->req_type;
    ti->response_ms = nstime_to_msec(&info->response_time);
    tap_queue_packet(gmp_tap, pinfo, ti);
}

/* Row of a message in "By type": "SM SCREQ", "MM KDUPT", or the catch-all of its protocol. */
static void
gmp_type_row(char *buf, size_t size, gboolean is_mm, guint8 type, gboolean known)
{
    if (known)
        snprintf(buf, size, "%s %s", is_mm ? "MM" : "SM", gmp_type_name(is_mm, type));
    else
        snprintf(buf, size, "%s (unknown or undecodable)", is_mm ? "MM" : "SM");
}

/* Creates the children of 'parent' in this order and keeps them in it: a stats_tree sorts
 * the children of a node when it shows them (tshark: by count), except range nodes, which
 * always keep their range order (preference statistics.st_sort_rng_nameonly, on by
 * default). So every row gets a one-value range, its position. Range nodes are made by
 * stats_tree_create_range_node*() only with numeric names and cannot be ticked by name,
 * hence the range is set here on ordinary (named) nodes (stats_tree_priv.h, Wireshark 4.0). */
static void
gmp_create_ordered_rows(stats_tree *st, int parent, const char *const *names, guint n,
                        stat_node_datatype datatype)
{
    guint i;

    for (i = 0; i < n; i++) {
        int id = stats_tree_create_node(st, names[i], parent, datatype, FALSE);
        stat_node *node = (stat_node *)g_ptr_array_index(st->parents, id);
        node->rng = g_new(range_pair_t, 1);
        node->rng->floor = node->rng->ceil = (gint)i;
    }
}

/* "By type": Table 2 (SCREQ..SAREQ), then Table 4 (KAREQ..KDUPT), then the catch-alls. */
static void
gmp_create_type_rows(stats_tree *st, int parent)
{
    char name[64];
    const char *rows[GMP_SM_MAX + GMP_MM_MAX + 2];
    guint n = 0, t;

    for (t = GMP_SM_SCREQ; t <= GMP_SM_MAX; t++) {
        gmp_type_row(name, sizeof name, FALSE, (guint8)t, TRUE);
        rows[n++] = wmem_strdup(NULL, name);
    }
    for (t = GMP_MM_KAREQ; t <= GMP_MM_MAX; t++) {
        gmp_type_row(name, sizeof name, TRUE, (guint8)t, TRUE);
        rows[n++] = wmem_strdup(NULL, name);
    }
    gmp_type_row(name, sizeof name, FALSE, 0, FALSE);
    rows[n++] = wmem_strdup(NULL, name);
    gmp_type_row(name, sizeof name, TRUE, 0, FALSE);
    rows[n++] = wmem_strdup(NULL, name);
    gmp_create_ordered_rows(st, parent, rows, n, STAT_DT_INT);
    while (n > 0)
        wmem_free(NULL, (void *)rows[--n]);
}

static void
gmp_stats_tree_init(stats_tree *st)
{
    const char *rsp_names[G_N_ELEMENTS(gmp_rsp_rows)];
    guint i;

    st_node_messages = stats_tree_create_node(st, st_str_messages, 0, STAT_DT_INT, TRUE);
    st_node_by_type = stats_tree_create_node(st, st_str_by_type, st_node_messages, STAT_DT_INT, FALSE);
    gmp_create_type_rows(st, st_node_by_type);
    st_node_rsp = stats_tree_create_node(st, st_str_rsp, st_node_messages, STAT_DT_FLOAT, FALSE);
    for (i = 0; i < G_N_ELEMENTS(gmp_rsp_rows); i++)
        rsp_names[i] = gmp_rsp_rows[i].row;
    gmp_create_ordered_rows(st, st_node_rsp, rsp_names, G_N_ELEMENTS(gmp_rsp_rows), STAT_DT_FLOAT);
    st_node_by_session = stats_tree_create_pivot(st, st_str_by_session, st_node_messages);
    st_node_errors = stats_tree_create_node(st, st_str_errors, st_node_messages, STAT_DT_INT, TRUE);
}

static const char *
gmp_rsp_row(gboolean is_mm, guint8 type)
{
    guint i;

    for (i = 0; i < G_N_ELEMENTS(gmp_rsp_rows); i++) {
        if (gmp_rsp_rows[i].is_mm == is_mm && gmp_rsp_rows[i].type == type)
            return gmp_rsp_rows[i].row;
    }
    return NULL;
}

static tap_packet_status
gmp_stats_tree_packet(stats_tree *st, packet_info *pinfo _U_, epan_dissect_t *edt _U_,
                      const void *p, tap_flags_t flags _U_)
{
    const gmp_tap_info_t *ti = (const gmp_tap_info_t *)p;
    const char *row;
    char name[64];
    int e;

    tick_stat_node(st, st_str_messages, 0, FALSE);
    gmp_type_row(name, sizeof name, ti->is_mm, ti->type,
                 ti->type >= 1 && ti->type <= (ti->is_mm ? GMP_MM_MAX : GMP_SM_MAX));
    /* Count, and the message length (Average / Min Val / Max Val, bytes). */
    tick_stat_node(st, st_str_by_type, st_node_messages, TRUE);
    avg_stat_node_add_value_int(st, name, st_node_by_type, FALSE, (gint)ti->msg_len);
    if (ti->first_response && (row = gmp_rsp_row(ti->req_is_mm, ti->req_type)) != NULL) {
        avg_stat_node_add_value_float(st, st_str_rsp, st_node_messages, TRUE,
                                      (gfloat)ti->response_ms);
        avg_stat_node_add_value_float(st, row, st_node_rsp, FALSE, (gfloat)ti->response_ms);
    }
    snprintf(name, sizeof name, "Session 0x%04x", ti->session_id);
    stats_tree_tick_pivot(st, st_node_by_session, name);
    if (ti->first_error != GMP_ERR_NONE) {
        tick_stat_node(st, st_str_errors, st_node_messages, TRUE);
        for (e = GMP_ERR_NONE + 1; e < GMP_ERR_COUNT; e++) {
            if (ti->error_mask & (1U << e))
                tick_stat_node(st, gmp_error_name((gmp_error_t)e), st_node_errors, TRUE);
        }
    }
    return TAP_PACKET_REDRAW;
}

void
gmp_stats_register_tree(void)
{
    stats_tree_register_plugin("gmp", "gmp", "GMP (X.602)", 0, gmp_stats_tree_packet,
                               gmp_stats_tree_init, NULL);
}
