"""Hand-written valid SM vectors (profile section 2, options section 4); the invalid ones
(section 7) are data, in vectors_sm_invalid.txt.

Rows are four bytes as in the profile's appendix; `CC CC` is the checksum to compute.
Session 0x3a5c (14940); creator alice 0x1f2e (7982); participant bob 0xc0de (49374);
base member carol 0x2468 (9320); group 239.255.10.20 (ef ff 0a 14) port 5004 (0x138c).
"""
import vector_text
from expect_helpers import (sm, client_name, session_name, session_info, owner_info,
                            start_time, end_time, media_info, app_info, keepalive, base_member,
                            allow, access_key, mm_port, group_key, reason, ka_seq, unknown,
                            SCREQ_HEAD, BOB)

S, CR, P = 0x3a5c, 0x1f2e, 0xc0de
G, GP = "239.255.10.20", 5004
KEY = "00112233445566778899aabbccddeeff"


def V(name, rows, expect, error=None, note="", canonical=True):
    return {"name": name, "protocol": "sm", "rows": rows, "expect": expect, "error": error,
            "note": note, "canonical": canonical}


VALID = [
    V("sm-screq-secure-alice", """
14 01 bb 29   version 1, S = 1, type 1 (SCREQ), checksum 0xbb29
00 00 00 00   session 0, user 0
00 00 00 00   key length 0, reserved 0, group port 0
00 00 00 00   group address 0.0.0.0
01 05 61 6c   option CLIENT-NAME, length 5, "al"
69 63 65 00   "ice", one zero byte of padding
""", sm("SCREQ", 1, s=True, checksum=0xbb29, options=[client_name("alice")]),
      note="profile appendix, byte for byte"),
    V("sm-screq-open-bob", """
10 01 CC CC   SCREQ, no flags
00 00 00 00
00 00 00 00
00 00 00 00
01 03 62 6f   CLIENT-NAME, length 3, "bo"
62 00 00 00   "b", three bytes of padding
""", sm("SCREQ", 1, options=[client_name("bob")]), note="CLIENT-NAME padded by 3"),
    V("sm-screq-q-flag-reserved", """
18 01 CC CC   Q = 1 (reserved for QoS: ignored, kept)
00 00 00 00
00 5a 00 00   key length 0, reserved 0x5a (ignored, kept), port 0
00 00 00 00
01 03 62 6f   CLIENT-NAME "bob"
62 00 00 00
""", sm("SCREQ", 1, q=True, reserved=0x5a, options=[client_name("bob")]),
      note="Q and the reserved byte are read and kept as they are"),
    V("sm-scacc-secure", """
14 02 CC CC   SCACC, S = 1, M = 0 (mode unknown before SCINF)
3a 5c 1f 2e   session 0x3a5c, creator 0x1f2e
00 00 00 00
00 00 00 00
""", sm("SCACC", 2, s=True, session=S, user=CR)),
    V("sm-scacc-checksum-zero", """
14 02 CC CC   SCACC, S = 1: words sum to 0xffff, so the checksum is 0x0000
ab cd 40 30   0x1402 + 0xabcd + 0x4030 = 0xffff
00 00 00 00
00 00 00 00
""", sm("SCACC", 2, s=True, session=0xabcd, user=0x4030, checksum=0),
      note="checksum computes to 0x0000"),
    V("sm-scacc-checksum-ffff", """
14 02 ff ff   the same message with 0xffff in the field: sum 0xffff + 0xffff folds to 0xffff
ab cd 40 30
00 00 00 00
00 00 00 00
""", sm("SCACC", 2, s=True, session=0xabcd, user=0x4030, checksum=0xffff),
      note="0xffff is the other zero of one's complement: accepted; re-encodes as 0x0000",
      canonical=False),
    V("sm-screj-secure-unsupported", """
14 03 CC CC   SCREJ, S = 1 (refuses secure mode, clause 7.3)
00 00 00 00
00 00 00 00
00 00 00 00
12 01 03 00   REASON, length 1, 3 (secure mode not supported), one byte of padding
""", sm("SCREJ", 3, s=True, options=[reason(3)])),
    V("sm-screj-resources", """
10 03 CC CC   SCREJ
00 00 00 00
00 00 00 00
00 00 00 00
12 01 01 00   REASON 1
""", sm("SCREJ", 3, options=[reason(1)])),
    V("sm-sdreq", """
10 04 CC CC   SDREQ
3a 5c 1f 2e   session, creator
00 00 00 00
00 00 00 00
""", sm("SDREQ", 4, session=S, user=CR)),
    V("sm-sdres-success", """
16 05 CC CC   SDRES, S = 1, M = 1
3a 5c 1f 2e
00 00 00 00
00 00 00 00
12 01 00 00   REASON 0 (success)
""", sm("SDRES", 5, s=True, m=True, session=S, user=CR, options=[reason(0)])),
    V("sm-sdres-not-authorised", """
16 05 CC CC   SDRES, S = 1, M = 1, to bob
3a 5c c0 de
00 00 00 00
00 00 00 00
12 01 02 00   REASON 2
""", sm("SDRES", 5, s=True, m=True, session=S, user=P, options=[reason(2)])),
    V("sm-scinf-all-options", """
17 06 CC CC   SCINF, S = 1, M = 1, I = 1
3a 5c 1f 2e
00 00 13 8c   key length 0, reserved 0, port 5004
ef ff 0a 14   239.255.10.20
02 07 73 74   SESSION-NAME, 7, "st"
61 6e 64 75   "andu"
70 00 00 00   "p", padding 3
03 05 64 61   SESSION-INFO, 5, "da"
69 6c 79 00   "ily", padding 1
04 05 61 6c   OWNER-INFO, 5, "al"
69 63 65 00   "ice"
05 08 00 00   START-TIME, 8: 0x000000006955b900 = 1767225600 (2026-01-01T00:00:00Z)
00 00 69 55
b9 00 00 00   padding 2
06 08 00 00   END-TIME, 8: 0x000000006955c710 = 1767229200
00 00 69 55
c7 10 00 00
07 05 61 75   MEDIA-INFO, 5, "au"
64 69 6f 00   "dio"
08 03 76 61   APP-INFO, 3, "va"
74 00 00 00   "t"
09 03 14 08   KEEPALIVE, 3: period 20 (2 s), timeout 8 (800 ms)
03 00 00 00   miss limit 3
0a 05 63 61   BASE-MEMBER, 5, "ca"
72 6f 6c 00   "rol"
0a 04 64 61   BASE-MEMBER, 4, "da"
76 65 00 00   "ve", padding 2
0b 03 62 6f   ALLOW, 3, "bo"
62 00 00 00   "b"
0b 04 65 72   ALLOW, 4, "er"
69 6e 00 00   "in"
0c 04 de ad   ACCESS-KEY, 4
be ef 00 00
""", sm("SCINF", 6, s=True, m=True, i=True, session=S, user=CR, port=GP, addr=G, options=[
        session_name("standup"), session_info("daily"), owner_info("alice"),
        start_time(1767225600), end_time(1767229200), media_info("audio"), app_info("vat"),
        keepalive(20, 8, 3), base_member("carol"), base_member("dave"), allow("bob"),
        allow("erin"), access_key("deadbeef")]),
      note="every SCINF option, BASE-MEMBER and ALLOW repeated"),
    V("sm-scinf-open-minimal", """
11 06 CC CC   SCINF, open, I = 1
3a 5c 1f 2e
00 00 00 00   group 0.0.0.0:0 asks the server to allocate one
00 00 00 00
02 04 63 68   SESSION-NAME, 4, "ch"
61 74 00 00   "at"
""", sm("SCINF", 6, i=True, session=S, user=CR, options=[session_name("chat")])),
    V("sm-scinf-empty-descriptions", """
11 06 CC CC   SCINF, open
3a 5c 1f 2e
00 00 00 00
00 00 00 00
02 01 78 00   SESSION-NAME, 1, "x" (the shortest name)
03 00 00 00   SESSION-INFO, length 0 (descriptions may be empty), padding 2
04 00 00 00   OWNER-INFO, length 0
07 00 00 00   MEDIA-INFO, length 0
08 00 00 00   APP-INFO, length 0
""", sm("SCINF", 6, i=True, session=S, user=CR, options=[
        session_name("x"), session_info(""), owner_info(""), media_info(""), app_info("")]),
      note="SESSION-INFO, OWNER-INFO, MEDIA-INFO and APP-INFO may be empty"),
    V("sm-scinf-no-session-name", """
11 06 CC CC   SCINF without SESSION-NAME: decodes; the server answers SCREJ 5 (profile 5.1)
3a 5c 1f 2e
00 00 00 00
00 00 00 00
09 03 0a 05   KEEPALIVE period 10, timeout 5, miss limit 1
01 00 00 00
""", sm("SCINF", 6, i=True, session=S, user=CR, options=[keepalive(10, 5, 1)]),
      note="content the server refuses (profile 5.1), not a malformed message"),
    V("sm-sccon", """
16 07 CC CC   SCCON, S = 1, M = 1
3a 5c 1f 2e
00 00 13 8c
ef ff 0a 14
""", sm("SCCON", 7, s=True, m=True, session=S, user=CR, port=GP, addr=G)),
    V("sm-srreq-open-bob", """
10 08 CC CC   SRREQ
3a 5c 00 00   session, user 0
00 00 00 00
00 00 00 00
01 03 62 6f   CLIENT-NAME "bob"
62 00 00 00
""", sm("SRREQ", 8, session=S, options=[client_name("bob")])),
    V("sm-srreq-access-key-ms-set", """
16 08 CC CC   SRREQ with M and S set (receivers ignore them there; kept)
3a 5c 00 00
00 00 00 00
00 00 00 00
01 03 62 6f   CLIENT-NAME "bob"
62 00 00 00
0c 04 de ad   ACCESS-KEY deadbeef
be ef 00 00
""", sm("SRREQ", 8, s=True, m=True, session=S,
        options=[client_name("bob"), access_key("deadbeef")])),
    V("sm-srres", """
16 09 CC CC   SRRES, S = 1, M = 1, user 0
3a 5c 00 00
00 00 00 00
00 00 00 00
""", sm("SRRES", 9, s=True, m=True, session=S)),
    V("sm-sracc", """
16 0a CC CC   SRACC
3a 5c c0 de   bob's new user ID
00 00 13 8c
ef ff 0a 14
""", sm("SRACC", 10, s=True, m=True, session=S, user=P, port=GP, addr=G)),
    V("sm-srrej-unknown-session", """
10 0b CC CC   SRREJ
77 77 00 00   session 0x7777 (unknown), user 0
00 00 00 00
00 00 00 00
12 01 04 00   REASON 4
""", sm("SRREJ", 11, session=0x7777, options=[reason(4)])),
    V("sm-srrej-reason-unknown-code", """
12 0b CC CC   SRREJ, M = 1
3a 5c 00 00
00 00 00 00
00 00 00 00
12 01 09 00   REASON 9: no such code, text "unknown" (not a decode error)
""", sm("SRREJ", 11, m=True, session=S, options=[reason(9)])),
    V("sm-sjreq", """
10 0c CC CC   SJREQ
3a 5c c0 de
00 00 00 00
00 00 00 00
""", sm("SJREQ", 12, session=S, user=P)),
    V("sm-sjreq-foreign-option", """
10 0c CC CC   SJREQ carrying KA-SEQ, an option the table does not list for it: kept, ignored
3a 5c c0 de
00 00 00 00
00 00 00 00
13 04 00 00   KA-SEQ, 4, 0x0000002a
00 2a 00 00   padding 2
""", sm("SJREQ", 12, session=S, user=P, options=[ka_seq(42)])),
    V("sm-sjres-open", """
10 0d CC CC   SJRES, open, not secure
3a 5c c0 de
00 00 13 8c
ef ff 0a 14
""", sm("SJRES", 13, session=S, user=P, port=GP, addr=G)),
    V("sm-sjres-secure", """
16 0d CC CC   SJRES, S = 1, M = 1
3a 5c c0 de
10 00 13 8c   key length 16
ef ff 0a 14
0e 12 00 01   GROUP-KEY, 18: epoch 1
00 11 22 33   key (16 bytes), no padding
44 55 66 77
88 99 aa bb
cc dd ee ff
""", sm("SJRES", 13, s=True, m=True, session=S, user=P, key_length=16, port=GP, addr=G,
        options=[group_key(1, KEY)])),
    V("sm-sareq", """
10 0e CC CC   SAREQ
3a 5c c0 de
00 00 00 00
00 00 00 00
0d 02 9c 40   MM-PORT, 2, 40000: no padding
""", sm("SAREQ", 14, session=S, user=P, options=[mm_port(40000)])),
    V("sm-screq-unknown-options", SCREQ_HEAD + """
14 06 01 02   unknown type 20, length 6
03 04 05 06   no padding
01 03 62 6f   CLIENT-NAME "bob"
62 00 00 00
ff 01 aa 00   unknown type 255, length 1, padding 1
63 00 00 00   unknown type 99, length 0, padding 2
""", sm("SCREQ", 1, options=[unknown(20, "010203040506"), client_name("bob"),
                             unknown(255, "aa"), unknown(99, "")]),
      note="unknown types are kept raw and skipped"),
    V("sm-screq-explicit-end", SCREQ_HEAD + BOB + """
00 00 00 00   END (one zero byte) and zero bytes
""", sm("SCREQ", 1, options=[client_name("bob")]),
      note="END explicit; encoders leave it out (the message end ends the area)",
      canonical=False),
    V("sm-screq-end-then-garbage", SCREQ_HEAD + BOB + """
00 ff ff ff   END: the reader stops here and ignores the rest
01 00 ee ee   (would be a CLIENT-NAME of length 0: ignored after END)
""", sm("SCREQ", 1, options=[client_name("bob")]), canonical=False),
    V("sm-screq-nonzero-padding", SCREQ_HEAD + """
01 03 62 6f   CLIENT-NAME "bob"
62 ee ee ee   padding that is not zero: receivers ignore its value
""", sm("SCREQ", 1, options=[client_name("bob")]), canonical=False),
]

INVALID = vector_text.load("vectors_sm_invalid.txt", "sm")  # the invalid ones are data

SM_VECTORS = VALID + INVALID
