/* gmp.h -- shared declarations of the GMP (ITU-T X.602 | ISO/IEC 16513) Wireshark plugin:
 * the protocol's codes, what one dissected PDU tells the other parts, and each part's entry
 * points. The helpers and tables every part shares are in gmp-util.h; a part never uses
 * another part's internals.
 *
 * Wire format: shared/spec/gmp-profile.md (version 1.2). Section numbers in the comments
 * of this plugin ("profile 2", "profile 4"...) refer to that file.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef GMP_H
#define GMP_H

#include <epan/packet.h>
#include <epan/expert.h>

#define GMP_PORT        16513   /* profile 1: default for SM (TCP) and MM (UDP) */
#define GMP_HDR_LEN     16      /* profile 2, 3: fixed header length */
#define GMP_SM_MAX_LEN  4096    /* profile 1: server default maximum SM length */

/* SM message types, profile 2 Table 2 */
enum {
    GMP_SM_SCREQ = 1, GMP_SM_SCACC, GMP_SM_SCREJ, GMP_SM_SDREQ, GMP_SM_SDRES,
    GMP_SM_SCINF, GMP_SM_SCCON, GMP_SM_SRREQ, GMP_SM_SRRES, GMP_SM_SRACC,
    GMP_SM_SRREJ, GMP_SM_SJREQ, GMP_SM_SJRES, GMP_SM_SAREQ, GMP_SM_MAX = GMP_SM_SAREQ
};

/* MM message types, profile 3 Table 4 (+ KDUPT [P]) */
enum {
    GMP_MM_KAREQ = 1, GMP_MM_KARES, GMP_MM_UIREQ, GMP_MM_UIRES, GMP_MM_LVREQ,
    GMP_MM_TRREQ, GMP_MM_TRIND, GMP_MM_KDUPT, GMP_MM_MAX = GMP_MM_KDUPT
};

/* Option types, profile 4 */
enum {
    GMP_OPT_END = 0, GMP_OPT_CLIENT_NAME, GMP_OPT_SESSION_NAME, GMP_OPT_SESSION_INFO,
    GMP_OPT_OWNER_INFO, GMP_OPT_START_TIME, GMP_OPT_END_TIME, GMP_OPT_MEDIA_INFO,
    GMP_OPT_APP_INFO, GMP_OPT_KEEPALIVE, GMP_OPT_BASE_MEMBER, GMP_OPT_ALLOW,
    GMP_OPT_ACCESS_KEY, GMP_OPT_MM_PORT, GMP_OPT_GROUP_KEY, GMP_OPT_MEMBER_LIST,
    GMP_OPT_MEMBER_COUNT, GMP_OPT_LIST_PART, GMP_OPT_REASON, GMP_OPT_KA_SEQ,
    GMP_OPT_MAX = GMP_OPT_KA_SEQ
};

/* Error names of docs/json-format.md, one expert info each (profile 7). */
typedef enum {
    GMP_ERR_NONE = 0,
    GMP_ERR_TOO_SHORT, GMP_ERR_NOT_ALIGNED, GMP_ERR_BAD_VERSION, GMP_ERR_BAD_CHECKSUM,
    GMP_ERR_UNKNOWN_TYPE, GMP_ERR_TRUNCATED_OPTION, GMP_ERR_DUPLICATE_OPTION,
    GMP_ERR_BAD_OPTION_SIZE, GMP_ERR_BAD_OPTION_VALUE, GMP_ERR_MISSING_REQUIRED_OPTION,
    GMP_ERR_FLAG_CONTRADICTS_TYPE, GMP_ERR_BAD_MODE,
    GMP_ERR_INVALID_UTF8,
    GMP_ERR_FRAME_TOO_SHORT, GMP_ERR_FRAME_NOT_ALIGNED, GMP_ERR_FRAME_TOO_LARGE,
    GMP_ERR_COUNT
} gmp_error_t;

extern int proto_gmp;

/* What one dissected PDU tells the tracker, the tap and the Info column. */
typedef struct {
    gboolean     is_mm;          /* FALSE: SM (TCP), TRUE: MM (UDP) */
    guint        pdu_index;      /* index of this PDU in its frame (0, 1, ...) */
    guint8       type;           /* message type code */
    guint        msg_len;        /* message length (SM: without the TCP length prefix) */
    guint8       flags;          /* SM: Q S M I (low nibble); MM: R SS UI (low 3 bits) */
    guint16      session_id;
    guint16      user_id;
    gboolean     has_ka_seq;
    guint32      ka_seq;
    gboolean     has_reason;
    guint8       reason;
    gboolean     has_list_part;
    guint8       part_index, part_count;
    gboolean     has_member_count;
    guint32      member_count;
    gboolean     has_mm_port;
    guint16      mm_port;
    gboolean     has_key_epoch;
    guint16      key_epoch;
    gboolean     has_keepalive;
    guint8       ka_period, ka_timeout, ka_miss_limit;   /* KEEPALIVE option (100 ms units) */
    const char  *session_name;   /* SESSION-NAME of an SCINF (packet scope), or NULL */
    const char  *client_name;    /* CLIENT-NAME (packet scope), or NULL */
    gboolean     first_response; /* the first answer to a tracked request (set by gmp-track.c) */
    gboolean     req_is_mm;      /* ... to this request */
    guint8       req_type;
    nstime_t     response_time;
    gmp_error_t  first_error;    /* first error found, in dissection order */
    guint32      n_errors;
    guint32      error_mask;     /* bit (1 << gmp_error_t) for each error found */
    guint8       errors[GMP_ERR_COUNT];  /* distinct errors, in the order found */
    guint        n_distinct;
} gmp_pdu_info_t;

/* gmp-sm.c / gmp-mm.c: dissect one SM / MM message (tvb holds exactly the message) */
void gmp_register_sm(int proto);
void gmp_register_mm(int proto);
int  gmp_dissect_sm_msg(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, gmp_pdu_info_t *info);
int  gmp_dissect_mm_msg(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, gmp_pdu_info_t *info);

/* gmp-opt.c: the option area (profile 4), from offset to the end of tvb */
void gmp_register_opt(int proto);
void gmp_dissect_options(tvbuff_t *tvb, int offset, packet_info *pinfo, proto_tree *tree,
                         proto_item *msg_item, gmp_pdu_info_t *info, guint8 hdr_key_length,
                         gboolean hdr_s_flag);

/* gmp-track.c: request/response links and session names (conversation tracking) */
void gmp_register_track(int proto);
void gmp_track_pdu(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, gmp_pdu_info_t *info);

/* gmp-stats.c: tap and stats_tree */
void gmp_register_stats(void);
void gmp_stats_register_tree(void);
void gmp_stats_queue(packet_info *pinfo, const gmp_pdu_info_t *info);

#endif /* GMP_H */
