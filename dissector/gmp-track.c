/* gmp-track.c -- request/response links and session names.
 *
 * SM runs over TCP and MM over UDP (profile 1): different conversations. So the pending
 * requests and the session names live in file-scoped wmem maps keyed by session ID (and,
 * for the SM exchanges answered on the connection of the request, by the TCP
 * conversation). Links are made on the first pass and stored per PDU (file-scoped proto
 * data keyed by the PDU's index in its frame), so later passes (tshark -2, the GUI) show
 * them on requests too.
 *
 * Pairs (profile 5, 6): SCREQ -> SCACC/SCREJ, SCINF -> SCCON/SCREJ, SRREQ -> SRRES ->
 * SRACC/SRREJ, SJREQ -> SJRES, SDREQ -> SDRES, SAREQ -> KAREQ, KAREQ -> KARES (by KA-SEQ,
 * or the latest round when KARES carries none, profile 6.1), UIREQ -> UIRES (every part,
 * 6.4), TRREQ -> TRIND (every member, 6.3).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <epan/packet.h>
#include <epan/conversation.h>
#include <epan/proto_data.h>

#include "gmp-util.h"

static int hf_response_in = -1;
static int hf_response_to = -1;
static int hf_response_time = -1;
static int hf_session_name = -1;

typedef enum {
    K_CREATE = 1, K_INFO, K_REGISTER, K_JOIN, K_DELETE, K_ACTIVATE, K_KA, K_KA_LAST,
    K_USERINFO, K_TERMINATE
} gmp_track_kind_t;

typedef struct {
    guint32  kind;
    guint32  conv;       /* TCP conversation index for SM exchanges, else 0 */
    guint32  session;
    guint32  user;
    guint32  seq;
} gmp_track_key_t;

typedef struct {
    guint32  req_frame;
    nstime_t req_time;
    gboolean req_is_mm;
    guint8   req_type;
    guint32  rsp_frame;  /* first response, 0 while none */
    guint    rsp_pdu;    /* its PDU index in that frame */
} gmp_trans_t;

typedef struct {
    gmp_trans_t *as_request;
    gmp_trans_t *as_response;
    guint        pdu_index;
} gmp_pdu_track_t;

typedef struct gmp_name_entry {
    guint32 frame;
    const char *name;
    struct gmp_name_entry *next;
} gmp_name_entry_t;

static wmem_map_t *gmp_pending;   /* gmp_track_key_t -> gmp_trans_t */
static wmem_map_t *gmp_names;     /* session ID -> gmp_name_entry_t list, ascending frames */

static guint
gmp_key_hash(gconstpointer k)
{
    const gmp_track_key_t *key = (const gmp_track_key_t *)k;
    guint h = key->kind;
    h = h * 31u + key->conv;
    h = h * 31u + key->session;
    h = h * 31u + key->user;
    h = h * 31u + key->seq;
    return h;
}

static gboolean
gmp_key_equal(gconstpointer a, gconstpointer b)
{
    return memcmp(a, b, sizeof(gmp_track_key_t)) == 0;
}

static gmp_track_key_t
make_key(gmp_track_kind_t kind, guint32 conv, guint32 session, guint32 user, guint32 seq)
{
    gmp_track_key_t k;
    memset(&k, 0, sizeof k);
    k.kind = kind;
    k.conv = conv;
    k.session = session;
    k.user = user;
    k.seq = seq;
    return k;
}

static void
add_request(packet_info *pinfo, gmp_pdu_track_t *t, gmp_track_key_t k)
{
    gmp_track_key_t *key = wmem_new(wmem_file_scope(), gmp_track_key_t);
    gmp_trans_t *tr = wmem_new0(wmem_file_scope(), gmp_trans_t);

    *key = k;
    tr->req_frame = pinfo->num;
    tr->req_time = pinfo->abs_ts;
    wmem_map_insert(gmp_pending, key, tr);   /* a newer request replaces an older one */
    t->as_request = tr;
}

/* Links this PDU as a response; 'final' removes the pending request. */
static gboolean
add_response(packet_info *pinfo, gmp_pdu_track_t *t, gmp_track_key_t k, gboolean final)
{
    gmp_trans_t *tr = (gmp_trans_t *)wmem_map_lookup(gmp_pending, &k);

    if (tr == NULL || tr->req_frame > pinfo->num)
        return FALSE;
    if (tr->rsp_frame == 0) {
        tr->rsp_frame = pinfo->num;
        tr->rsp_pdu = t->pdu_index;
    }
    t->as_response = tr;
    if (final)
        wmem_map_remove(gmp_pending, &k);
    return TRUE;
}

static void
track_first_pass(packet_info *pinfo, const gmp_pdu_info_t *info, gmp_pdu_track_t *t)
{
    guint32 conv = 0, s = info->session_id, u = info->user_id;

    if (!info->is_mm)
        conv = find_or_create_conversation(pinfo)->conv_index;

    if (!info->is_mm) {
        switch (info->type) {
        case GMP_SM_SCREQ: add_request(pinfo, t, make_key(K_CREATE, conv, 0, 0, 0)); break;
        case GMP_SM_SCACC: add_response(pinfo, t, make_key(K_CREATE, conv, 0, 0, 0), TRUE); break;
        case GMP_SM_SCREJ:
            /* Answers an SCINF of this session (REASON 5, profile 5.1) or an SCREQ. */
            if (s == 0 || !add_response(pinfo, t, make_key(K_INFO, conv, s, 0, 0), TRUE))
                add_response(pinfo, t, make_key(K_CREATE, conv, 0, 0, 0), TRUE);
            break;
        case GMP_SM_SCINF: add_request(pinfo, t, make_key(K_INFO, conv, s, 0, 0)); break;
        case GMP_SM_SCCON: add_response(pinfo, t, make_key(K_INFO, conv, s, 0, 0), TRUE); break;
        case GMP_SM_SRREQ: add_request(pinfo, t, make_key(K_REGISTER, conv, s, 0, 0)); break;
        case GMP_SM_SRRES: add_response(pinfo, t, make_key(K_REGISTER, conv, s, 0, 0), FALSE); break;
        case GMP_SM_SRACC:
        case GMP_SM_SRREJ: add_response(pinfo, t, make_key(K_REGISTER, conv, s, 0, 0), TRUE); break;
        case GMP_SM_SJREQ: add_request(pinfo, t, make_key(K_JOIN, conv, s, u, 0)); break;
        case GMP_SM_SJRES: add_response(pinfo, t, make_key(K_JOIN, conv, s, u, 0), TRUE); break;
        case GMP_SM_SDREQ: add_request(pinfo, t, make_key(K_DELETE, conv, s, 0, 0)); break;
        case GMP_SM_SDRES: add_response(pinfo, t, make_key(K_DELETE, conv, s, 0, 0), TRUE); break;
        case GMP_SM_SAREQ: add_request(pinfo, t, make_key(K_ACTIVATE, 0, s, u, 0)); break;
        default: break;
        }
        return;
    }
    switch (info->type) {
    case GMP_MM_KAREQ:
        /* SAREQ -> the KAREQ sent at once (profile 5.5); the KAREQ is itself a request. */
        add_response(pinfo, t, make_key(K_ACTIVATE, 0, s, u, 0), TRUE);
        if (info->has_ka_seq) {
            gmp_track_key_t *last = wmem_new(wmem_file_scope(), gmp_track_key_t);
            add_request(pinfo, t, make_key(K_KA, 0, s, u, info->ka_seq));
            /* A KARES without KA-SEQ answers the latest round (profile 6.1). */
            *last = make_key(K_KA_LAST, 0, s, u, 0);
            wmem_map_insert(gmp_pending, last, t->as_request);
        }
        break;
    case GMP_MM_KARES:
        if (info->has_ka_seq) {
            gmp_track_key_t last = make_key(K_KA_LAST, 0, s, u, 0);
            if (add_response(pinfo, t, make_key(K_KA, 0, s, u, info->ka_seq), TRUE) &&
                wmem_map_lookup(gmp_pending, &last) == (void *)t->as_response)
                wmem_map_remove(gmp_pending, &last);
        } else {
            add_response(pinfo, t, make_key(K_KA_LAST, 0, s, u, 0), TRUE);
        }
        break;
    case GMP_MM_UIREQ: add_request(pinfo, t, make_key(K_USERINFO, 0, s, u, 0)); break;
    case GMP_MM_UIRES:
        add_response(pinfo, t, make_key(K_USERINFO, 0, s, u, 0),
                     !info->has_list_part || info->part_index >= info->part_count);
        break;
    case GMP_MM_TRREQ: add_request(pinfo, t, make_key(K_TERMINATE, 0, s, 0, 0)); break;
    case GMP_MM_TRIND:
        /* Sent to every member with an MM address (profile 6.3): keep the request. */
        add_response(pinfo, t, make_key(K_TERMINATE, 0, s, 0, 0), FALSE);
        break;
    default: break;
    }
}

static const char *
session_name_at(guint32 session, guint32 frame)
{
    const gmp_name_entry_t *e = (const gmp_name_entry_t *)
        wmem_map_lookup(gmp_names, GUINT_TO_POINTER(session));
    const char *name = NULL;

    for (; e != NULL && e->frame <= frame; e = e->next)
        name = e->name;
    return name;
}

static void
remember_session_name(packet_info *pinfo, const gmp_pdu_info_t *info)
{
    gmp_name_entry_t *head, *e, *n;

    if (info->is_mm || info->type != GMP_SM_SCINF || info->session_name == NULL ||
        info->session_id == 0)
        return;
    n = wmem_new0(wmem_file_scope(), gmp_name_entry_t);
    n->frame = pinfo->num;
    n->name = wmem_strdup(wmem_file_scope(), info->session_name);
    head = (gmp_name_entry_t *)wmem_map_lookup(gmp_names, GUINT_TO_POINTER((guint)info->session_id));
    if (head == NULL) {
        wmem_map_insert(gmp_names, GUINT_TO_POINTER((guint)info->session_id), n);
        return;
    }
    for (e = head; e->next != NULL; e = e->next)
        ;
    e->next = n;   /* first pass goes in frame order: the list stays ascending */
}

void
gmp_track_pdu(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, gmp_pdu_info_t *info)
{
    gmp_pdu_track_t *t = (gmp_pdu_track_t *)
        p_get_proto_data(wmem_file_scope(), pinfo, proto_gmp, info->pdu_index);
    proto_item *pi;
    const char *name;

    /* A GMP message quoted inside an ICMP error is no request or answer of its own. */
    if (pinfo->flags.in_error_pkt)
        return;
    if (t == NULL && !PINFO_FD_VISITED(pinfo)) {
        t = wmem_new0(wmem_file_scope(), gmp_pdu_track_t);
        p_add_proto_data(wmem_file_scope(), pinfo, proto_gmp, info->pdu_index, t);
        t->pdu_index = info->pdu_index;
        if (info->type != 0)
            track_first_pass(pinfo, info, t);
        if (t->as_request != NULL) {
            t->as_request->req_is_mm = info->is_mm;
            t->as_request->req_type = info->type;
        }
        remember_session_name(pinfo, info);
    }

    if (info->session_id != 0 && (name = session_name_at(info->session_id, pinfo->num)) != NULL) {
        pi = proto_tree_add_string(tree, hf_session_name, tvb, 0, 0, name);
        proto_item_set_generated(pi);
    }
    if (t == NULL)
        return;
    if (t->as_request != NULL && t->as_request->rsp_frame != 0) {
        pi = proto_tree_add_uint(tree, hf_response_in, tvb, 0, 0, t->as_request->rsp_frame);
        proto_item_set_generated(pi);
    }
    if (t->as_response != NULL) {
        nstime_t delta;
        pi = proto_tree_add_uint(tree, hf_response_to, tvb, 0, 0, t->as_response->req_frame);
        proto_item_set_generated(pi);
        nstime_delta(&delta, &pinfo->abs_ts, &t->as_response->req_time);
        pi = proto_tree_add_time(tree, hf_response_time, tvb, 0, 0, &delta);
        proto_item_set_generated(pi);
        /* The tap counts the time to the first answer of each request. */
        if (t->as_response->rsp_frame == pinfo->num && t->as_response->rsp_pdu == t->pdu_index) {
            info->first_response = TRUE;
            info->req_is_mm = t->as_response->req_is_mm;
            info->req_type = t->as_response->req_type;
            info->response_time = delta;
        }
    }
}

void
gmp_register_track(int proto)
{
    static hf_register_info hf[] = {
        { &hf_response_in, { "Response in", "gmp.response_in", FT_FRAMENUM, BASE_NONE,
            FRAMENUM_TYPE(FT_FRAMENUM_RESPONSE), 0x0, "The (first) answer is in this frame", HFILL } },
        { &hf_response_to, { "Request in", "gmp.response_to", FT_FRAMENUM, BASE_NONE,
            FRAMENUM_TYPE(FT_FRAMENUM_REQUEST), 0x0, "This answers the request in this frame", HFILL } },
        { &hf_response_time, { "Response time", "gmp.response_time", FT_RELATIVE_TIME, BASE_NONE,
            NULL, 0x0, "Time between the request and this answer", HFILL } },
        { &hf_session_name, { "Session name", "gmp.session_name", FT_STRING, BASE_NONE, NULL, 0x0,
            "SESSION-NAME of the session's SCINF", HFILL } },
    };

    proto_register_field_array(proto, hf, array_length(hf));
    gmp_pending = wmem_map_new_autoreset(wmem_epan_scope(), wmem_file_scope(),
                                         gmp_key_hash, gmp_key_equal);
    gmp_names = wmem_map_new_autoreset(wmem_epan_scope(), wmem_file_scope(),
                                       g_direct_hash, g_direct_equal);
}
