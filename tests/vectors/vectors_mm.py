"""Hand-written valid MM vectors (profile section 3, options section 4); the invalid ones
(section 7) are data, in vectors_mm_invalid.txt.

Byte 0 = version << 4 | type; byte 1 = mode << 6 | member type << 3 | flags (R 4, SS 2, UI 1).
  0x88 = closed (10), participant (001)     0x48 = open (01), participant
  0xa0 = closed, creator (100)              0x50 = open, base member (010)
Session 0x3a5c; alice 0x1f2e (creator), bob 0xc0de, carol 0x2468 (base), 0x3579 (base).
"""
import vector_text
from expect_helpers import (mm, member_list, member_count, list_part, ka_seq, group_key,
                            unknown)

S, CR, P, B1, B2 = 0x3a5c, 0x1f2e, 0xc0de, 0x2468, 0x3579
G, GP = "239.255.10.20", 5004
KEY = "0f1e2d3c4b5a69788796a5b4c3d2e1f0"
SRV = dict(port=GP, addr=G, period=10, timeout=5)  # a server message's session context


def V(name, rows, expect, error=None, note="", canonical=True):
    return {"name": name, "protocol": "mm", "rows": rows, "expect": expect, "error": error,
            "note": note, "canonical": canonical}


# A server message's header rows 2-4 to bob in session 0x3a5c: IDs, group 239.255.10.20:5004,
# KA period 1.0 s and timeout 0.5 s, key length 0 (profile 3).
TO_BOB = """3a 5c c0 de
ef ff 0a 14
0a 05 00 00
"""
ML63 = "".join(f"01 {i:02x} 01 00\n" for i in range(63))  # 63 entries, users 0x100..

VALID = [
    V("mm-kareq-appendix", """
11 88 13 8c   version 1, type 1 (KAREQ); mode 10, member type 001, flags 000; port 5004
3a 5c c0 de   session 0x3a5c, user 0xc0de
ef ff 0a 14   239.255.10.20
0a 05 00 00   KA period 10, KA timeout 5, key length 0, reserved 0
13 04 00 00   option KA-SEQ, length 4, value 0x00000007 ...
00 07 00 00   ... and two zero bytes of padding
""", mm("KAREQ", 1, session=S, user=P, options=[ka_seq(7)], **SRV),
      note="profile appendix, byte for byte"),
    V("mm-kareq-open-creator-round-0", """
11 60 13 8c   KAREQ; open (01), creator (100)
3a 5c 1f 2e
ef ff 0a 14
0a 05 00 00
13 04 00 00   KA-SEQ 0 (the first KAREQ after SAREQ, before any round)
00 00 00 00
""", mm("KAREQ", 1, mode=1, member=4, session=S, user=CR, options=[ka_seq(0)], **SRV)),
    V("mm-kareq-unknown-option", """
11 88 13 8c   KAREQ
""" + TO_BOB + """13 04 ff ff   KA-SEQ 0xffffffff
ff ff 00 00
c8 03 01 02   unknown type 200, length 3
03 00 00 00   value "010203", padding 3
""", mm("KAREQ", 1, session=S, user=P, options=[ka_seq(0xffffffff), unknown(200, "010203")],
        **SRV), note="an unknown option is kept raw"),
    V("mm-kares-round-7", """
12 88 00 00   KARES from participant, closed; port 0 (a member's message)
3a 5c c0 de
00 00 00 00
00 00 00 00   KA period 0, KA timeout 0 (a member's message)
13 04 00 00   KA-SEQ 7 echoed
00 07 00 00
""", mm("KARES", 2, session=S, user=P, options=[ka_seq(7)])),
    V("mm-kares-no-seq", """
12 88 00 00   KARES without KA-SEQ (allowed: it answers the latest round)
3a 5c c0 de
00 00 00 00
00 00 00 00
""", mm("KARES", 2, session=S, user=P)),
    V("mm-kares-r-flag", """
12 8c 00 00   KARES with R = 1 (reserved: ignored, kept)
3a 5c c0 de
00 00 00 00
00 00 00 5a   reserved byte 0x5a (ignored, kept)
""", mm("KARES", 2, session=S, user=P, r=True, reserved=0x5a)),
    # Profile 3 (1.3): any member type code in a member's message is accepted; a code other
    # than 100, 010, 001 is shown as "invalid" with its code, and is no error.
    V("mm-kares-member-type-000", """
12 80 00 00   KARES, closed, member type 000 (not a standard code: accepted)
3a 5c c0 de
00 00 00 00
00 00 00 00
""", mm("KARES", 2, member=0, session=S, user=P)),
    V("mm-kares-member-type-011", """
12 98 00 00   KARES, closed, member type 011 (accepted)
3a 5c c0 de
00 00 00 00
00 00 00 00
""", mm("KARES", 2, member=3, session=S, user=P)),
    V("mm-uireq-member-type-111", """
13 78 00 00   UIREQ, open, member type 111 (accepted)
3a 5c c0 de
00 00 00 00
00 00 00 00
""", mm("UIREQ", 3, mode=1, member=7, session=S, user=P)),
    V("mm-uireq", """
13 50 00 00   UIREQ from a base member, open
3a 5c 24 68
00 00 00 00
00 00 00 00
""", mm("UIREQ", 3, mode=1, member=2, session=S, user=B1)),
    V("mm-uires-open", """
14 49 13 8c   UIRES; open, participant, UI = 1
""" + TO_BOB + """11 02 01 01   LIST-PART 1 of 1, no padding
10 04 00 00   MEMBER-COUNT 12
00 0c 00 00
0f 0c 1f 2e   MEMBER-LIST, 12 (3 entries): alice creator
04 00 24 68   carol base
02 00 35 79   0x3579 base
02 00 00 00   padding 2
""", mm("UIRES", 4, mode=1, ui=True, session=S, user=P, options=[
        list_part(1, 1), member_count(12), member_list((CR, 4), (B1, 2), (B2, 2))], **SRV)),
    V("mm-uires-closed", """
14 89 13 8c   UIRES; closed, participant, UI = 1
""" + TO_BOB + """11 02 01 01   LIST-PART 1 of 1
0f 10 1f 2e   MEMBER-LIST, 16 (4 entries)
04 00 24 68
02 00 35 79
02 00 c0 de
01 00 00 00
""", mm("UIRES", 4, ui=True, session=S, user=P, options=[
        list_part(1, 1), member_list((CR, 4), (B1, 2), (B2, 2), (P, 1))], **SRV)),
    V("mm-uires-63-and-2", """
14 89 13 8c   UIRES; closed, participant, UI = 1
""" + TO_BOB + """11 02 02 03   LIST-PART 2 of 3
0f fc         MEMBER-LIST, 252 (63 entries, users 0x0100..0x013e, participants)
""" + ML63 + """
00 00         padding 2
0f 08 c0 de   MEMBER-LIST, 8 (2 entries)
01 00 c1 00
01 00 00 00   padding 2
""", mm("UIRES", 4, ui=True, session=S, user=P, options=[
        list_part(2, 3), member_list(*[(0x100 + i, 1) for i in range(63)]),
        member_list((P, 1), (0xc100, 1))], **SRV), note="a full MEMBER-LIST, then a short one"),
    V("mm-lvreq", """
15 48 00 00   LVREQ from a participant, open
3a 5c c0 de
00 00 00 00
00 00 00 00
""", mm("LVREQ", 5, mode=1, session=S, user=P)),
    V("mm-trreq", """
16 a0 00 00   TRREQ from the creator, closed
3a 5c 1f 2e
00 00 00 00
00 00 00 00
""", mm("TRREQ", 6, member=4, session=S, user=CR)),
    V("mm-trind", """
17 8a 13 8c   TRIND; closed, participant, SS = 1
""" + TO_BOB + """""", mm("TRIND", 7, ss=True, session=S, user=P, **SRV)),
    V("mm-kdupt", """
18 88 13 8c   KDUPT; closed, participant
3a 5c c0 de
ef ff 0a 14
0a 05 10 00   key length 16
0e 12 00 02   GROUP-KEY, 18: epoch 2
0f 1e 2d 3c
4b 5a 69 78
87 96 a5 b4
c3 d2 e1 f0
""", mm("KDUPT", 8, session=S, user=P, key_length=16, options=[group_key(2, KEY)], **SRV)),
]

# The invalid ones are data: vectors_mm_invalid.txt.
INVALID = vector_text.load("vectors_mm_invalid.txt", "mm")

MM_VECTORS = VALID + INVALID
