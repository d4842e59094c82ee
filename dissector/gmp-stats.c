/* gmp-stats.c -- the "gmp" tap and a stats_tree (Statistics > GMP; tshark -z gmp,tree):
 * messages by type, by session, and errors by name (docs/json-format.md, profile 7).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <epan/packet.h>
#include <epan/tap.h>
#include <epan/stats_tree.h>

#include "gmp.h"

typedef struct {
    gboolean    is_mm;
    guint8      type;
    guint16     session_id;
    gmp_error_t first_error;
    guint32     error_mask;
} gmp_tap_info_t;

static int gmp_tap = -1;

static const char st_str_messages[] = "GMP messages";
static const char st_str_by_type[] = "By type";
static const char st_str_by_session[] = "By session";
static const char st_str_errors[] = "Malformed messages (by error)";
static int st_node_messages = -1;
static int st_node_by_type = -1;
static int st_node_by_session = -1;
static int st_node_errors = -1;

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
    ti->session_id = info->session_id;
    ti->first_error = info->first_error;
    ti->error_mask = info->error_mask;
    tap_queue_packet(gmp_tap, pinfo, ti);
}

static void
gmp_stats_tree_init(stats_tree *st)
{
    st_node_messages = stats_tree_create_node(st, st_str_messages, 0, STAT_DT_INT, TRUE);
    st_node_by_type = stats_tree_create_pivot(st, st_str_by_type, st_node_messages);
    st_node_by_session = stats_tree_create_pivot(st, st_str_by_session, st_node_messages);
    st_node_errors = stats_tree_create_node(st, st_str_errors, st_node_messages, STAT_DT_INT, TRUE);
}

static tap_packet_status
gmp_stats_tree_packet(stats_tree *st, packet_info *pinfo _U_, epan_dissect_t *edt _U_,
                      const void *p, tap_flags_t flags _U_)
{
    const gmp_tap_info_t *ti = (const gmp_tap_info_t *)p;
    char name[32];
    int e;

    tick_stat_node(st, st_str_messages, 0, FALSE);
    snprintf(name, sizeof name, "%s %s", ti->is_mm ? "MM" : "SM",
             ti->type == 0 && ti->first_error != GMP_ERR_NONE ? "(undecodable)"
                                                              : gmp_type_name(ti->is_mm, ti->type));
    stats_tree_tick_pivot(st, st_node_by_type, name);
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
