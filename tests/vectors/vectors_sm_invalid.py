"""Hand-written invalid SM vectors: one per reason of profile section 7 (names of
docs/json-format.md). Each holds exactly one fault; its checksum verifies unless the checksum
is the fault. Conventions as in vectors_sm.py.
"""
from expect_helpers import BOB, SCREQ_HEAD

S, CR, P = 0x3a5c, 0x1f2e, 0xc0de


def bad(name, rows, error, note, **fields):
    return {"name": name, "protocol": "sm", "rows": rows,
            "expect": dict({"protocol": "sm"}, **fields), "error": error, "note": note,
            "canonical": True}


SJREQ = """
10 0c CC CC
3a 5c c0 de
00 00 00 00
00 00 00 00
"""

INVALID = [
    bad("sm-too-short-empty", "", "too_short", "no bytes at all"),
    bad("sm-too-short-12", """
10 0c CC CC   an SJREQ cut after 12 bytes (checksum over those 12 verifies)
3a 5c c0 de
00 00 00 00
""", "too_short", "fewer than 16 bytes"),
    bad("sm-not-aligned-17", SJREQ + "00", "not_aligned", "SJREQ plus one zero byte",
        version=1, type="SJREQ", type_code=12, session_id=S, user_id=P),
    bad("sm-not-aligned-18", SJREQ + "00 00", "not_aligned", "SJREQ plus two zero bytes",
        version=1, type="SJREQ", type_code=12, session_id=S, user_id=P),
    bad("sm-bad-version-0", """
00 0c CC CC   version 0
3a 5c c0 de
00 00 00 00
00 00 00 00
""", "bad_version", "version 0", version=0, session_id=S, user_id=P),
    bad("sm-bad-version-2", """
20 0c CC CC   version 2
3a 5c c0 de
00 00 00 00
00 00 00 00
""", "bad_version", "version 2", version=2, session_id=S, user_id=P),
    bad("sm-bad-version-15", """
f0 0c CC CC   version 15
3a 5c c0 de
00 00 00 00
00 00 00 00
""", "bad_version", "version 15", version=15),
    bad("sm-bad-checksum-field", """
14 01 bb 28   the appendix SCREQ, checksum off by one
00 00 00 00
00 00 00 00
00 00 00 00
01 05 61 6c
69 63 65 00
""", "bad_checksum", "checksum field altered", version=1, type="SCREQ", type_code=1,
        checksum=0xbb28, checksum_status="bad"),
    bad("sm-bad-checksum-payload", """
14 01 bb 29   the appendix SCREQ with "alicf" for "alice"
00 00 00 00
00 00 00 00
00 00 00 00
01 05 61 6c
69 63 66 00
""", "bad_checksum", "one payload bit flipped", checksum=0xbb29, checksum_status="bad"),
    bad("sm-unknown-type-0", """
10 00 CC CC   type 0 (reserved)
3a 5c c0 de
00 00 00 00
00 00 00 00
""", "unknown_type", "code 0 is reserved", type="UNKNOWN", type_code=0),
    bad("sm-unknown-type-15", """
10 0f CC CC   type 15: not in Table 2
3a 5c c0 de
00 00 00 00
00 00 00 00
""", "unknown_type", "first code past Table 2", type="UNKNOWN", type_code=15),
    bad("sm-unknown-type-255", """
10 ff CC CC   type 255
3a 5c c0 de
00 00 00 00
00 00 00 00
""", "unknown_type", "code 255", type="UNKNOWN", type_code=255),
    bad("sm-truncated-option-value", SCREQ_HEAD + """
01 09 61 6c   CLIENT-NAME, length 9, but only 6 bytes follow
69 63 65 00
""", "truncated_option", "value runs past the end", type="SCREQ"),
    bad("sm-truncated-second-option", """
11 06 CC CC   SCINF
3a 5c 1f 2e
00 00 00 00
00 00 00 00
02 04 63 68   SESSION-NAME "chat"
61 74 00 00
03 ff 61 62   SESSION-INFO, length 255, 2 bytes follow
""", "truncated_option", "the second option runs past the end", type="SCINF"),
    bad("sm-duplicate-client-name", SCREQ_HEAD + BOB + """
01 03 62 6f   CLIENT-NAME "bob" again
62 00 00 00
""", "duplicate_option", "CLIENT-NAME twice"),
    bad("sm-duplicate-keepalive", """
11 06 CC CC   SCINF
3a 5c 1f 2e
00 00 00 00
00 00 00 00
02 04 63 68   SESSION-NAME "chat"
61 74 00 00
09 03 0a 05   KEEPALIVE
01 00 00 00
09 03 14 0a   KEEPALIVE again
02 00 00 00
""", "duplicate_option", "KEEPALIVE twice"),
    bad("sm-duplicate-session-name", """
11 06 CC CC   SCINF
3a 5c 1f 2e
00 00 00 00
00 00 00 00
02 04 63 68   SESSION-NAME "chat"
61 74 00 00
02 04 63 68   SESSION-NAME "chat"
61 74 00 00
""", "duplicate_option", "SESSION-NAME twice"),
    bad("sm-duplicate-reason", """
10 03 CC CC   SCREJ
00 00 00 00
00 00 00 00
00 00 00 00
12 01 01 00   REASON 1
12 01 02 00   REASON 2
""", "duplicate_option", "REASON twice"),
    bad("sm-duplicate-foreign-option", """
10 0c CC CC   SJREQ with KA-SEQ twice: repetition rules apply to foreign options too
3a 5c c0 de
00 00 00 00
00 00 00 00
13 04 00 00
00 01 00 00
13 04 00 00
00 02 00 00
""", "duplicate_option", "profile 4: a known option not listed still obeys its rules"),
    bad("sm-bad-size-client-name-0", SCREQ_HEAD + """
01 00 00 00   CLIENT-NAME, length 0 (must be 1..255)
""", "bad_option_size", "CLIENT-NAME of length 0"),
    bad("sm-bad-size-session-name-0", """
11 06 CC CC   SCINF
3a 5c 1f 2e
00 00 00 00
00 00 00 00
02 00 00 00   SESSION-NAME, length 0 (must be 1..255)
""", "bad_option_size", "SESSION-NAME of length 0"),
    bad("sm-bad-size-base-member-0", """
11 06 CC CC   SCINF
3a 5c 1f 2e
00 00 00 00
00 00 00 00
02 04 63 68   SESSION-NAME "chat"
61 74 00 00
0a 00 00 00   BASE-MEMBER, length 0 (a client name: 1..255)
""", "bad_option_size", "BASE-MEMBER of length 0"),
    bad("sm-bad-size-allow-0", """
13 06 CC CC   SCINF, closed
3a 5c 1f 2e
00 00 00 00
00 00 00 00
02 04 63 68   SESSION-NAME "chat"
61 74 00 00
0b 03 62 6f   ALLOW "bob"
62 00 00 00
0b 00 00 00   ALLOW, length 0 (a client name: 1..255)
""", "bad_option_size", "ALLOW of length 0"),
    bad("sm-bad-size-start-time-4", """
11 06 CC CC   SCINF
3a 5c 1f 2e
00 00 00 00
00 00 00 00
02 04 63 68   SESSION-NAME "chat"
61 74 00 00
05 04 69 55   START-TIME, length 4 (must be 8)
b9 00 00 00
""", "bad_option_size", "START-TIME of 4 bytes"),
    bad("sm-bad-size-end-time-9", """
11 06 CC CC   SCINF
3a 5c 1f 2e
00 00 00 00
00 00 00 00
02 04 63 68   SESSION-NAME "chat"
61 74 00 00
06 09 00 00   END-TIME, length 9 (must be 8)
00 00 69 55
c7 10 00 00
""", "bad_option_size", "END-TIME of 9 bytes"),
    bad("sm-bad-size-keepalive-2", """
11 06 CC CC   SCINF
3a 5c 1f 2e
00 00 00 00
00 00 00 00
09 02 0a 05   KEEPALIVE, length 2 (must be 3)
""", "bad_option_size", "KEEPALIVE of 2 bytes"),
    bad("sm-bad-size-keepalive-4", """
11 06 CC CC   SCINF
3a 5c 1f 2e
00 00 00 00
00 00 00 00
09 04 0a 05   KEEPALIVE, length 4 (must be 3)
01 00 00 00
""", "bad_option_size", "KEEPALIVE of 4 bytes"),
    bad("sm-bad-size-access-key-0", """
10 08 CC CC   SRREQ
3a 5c 00 00
00 00 00 00
00 00 00 00
01 03 62 6f   CLIENT-NAME "bob"
62 00 00 00
0c 00 00 00   ACCESS-KEY, length 0 (must be 1..64)
""", "bad_option_size", "ACCESS-KEY of 0 bytes"),
    bad("sm-bad-size-access-key-65", """
10 08 CC CC   SRREQ
3a 5c 00 00
00 00 00 00
00 00 00 00
01 03 62 6f   CLIENT-NAME "bob"
62 00 00 00
0c 41 5a 5a   ACCESS-KEY, length 65 (must be 1..64)
5a 5a 5a 5a
5a 5a 5a 5a
5a 5a 5a 5a
5a 5a 5a 5a
5a 5a 5a 5a
5a 5a 5a 5a
5a 5a 5a 5a
5a 5a 5a 5a
5a 5a 5a 5a
5a 5a 5a 5a
5a 5a 5a 5a
5a 5a 5a 5a
5a 5a 5a 5a
5a 5a 5a 5a
5a 5a 5a 5a
5a 5a 5a 00   bytes 63..65, padding 1
""", "bad_option_size", "ACCESS-KEY of 65 bytes"),
    bad("sm-bad-size-mm-port-1", """
10 0e CC CC   SAREQ
3a 5c c0 de
00 00 00 00
00 00 00 00
0d 01 9c 00   MM-PORT, length 1 (must be 2)
""", "bad_option_size", "MM-PORT of 1 byte"),
    bad("sm-bad-size-mm-port-4", """
10 0e CC CC   SAREQ
3a 5c c0 de
00 00 00 00
00 00 00 00
0d 04 00 00   MM-PORT, length 4 (must be 2)
9c 40 00 00
""", "bad_option_size", "MM-PORT of 4 bytes"),
    bad("sm-bad-size-reason-0", """
10 03 CC CC   SCREJ
00 00 00 00
00 00 00 00
00 00 00 00
12 00 00 00   REASON, length 0 (must be 1)
""", "bad_option_size", "REASON of 0 bytes"),
    bad("sm-bad-size-reason-2", """
10 03 CC CC   SCREJ
00 00 00 00
00 00 00 00
00 00 00 00
12 02 00 01   REASON, length 2 (must be 1)
""", "bad_option_size", "REASON of 2 bytes"),
    bad("sm-bad-size-group-key-1", """
16 0d CC CC   SJRES, S = 1, M = 1
3a 5c c0 de
10 00 13 8c   key length 16
ef ff 0a 14
0e 01 00 00   GROUP-KEY, length 1 (not even the 2-byte epoch)
""", "bad_option_size", "GROUP-KEY shorter than its epoch"),
    bad("sm-bad-size-group-key-mismatch", """
16 0d CC CC   SJRES, S = 1, M = 1
3a 5c c0 de
10 00 13 8c   key length 16
ef ff 0a 14
0e 0a 00 01   GROUP-KEY, length 10: epoch and 8 key bytes, but the header says 16
00 11 22 33
44 55 66 77
""", "bad_option_size", "GROUP-KEY length must be 2 + the header's key length"),
    bad("sm-bad-size-group-key-empty", """
16 0d CC CC   SJRES, S = 1, M = 1
3a 5c c0 de
00 00 13 8c   key length 0
ef ff 0a 14
0e 02 00 01   GROUP-KEY, length 2: an epoch and no key (a key has at least 1 byte)
""", "bad_option_size", "GROUP-KEY without key bytes"),
    bad("sm-bad-value-mm-port-0", """
10 0e CC CC   SAREQ
3a 5c c0 de
00 00 00 00
00 00 00 00
0d 02 00 00   MM-PORT 0 (must not be 0)
""", "bad_option_value", "MM-PORT 0"),
    bad("sm-invalid-utf8-client-name", SCREQ_HEAD + """
01 03 62 ff   CLIENT-NAME, length 3: "b", 0xff (never in UTF-8), "b"
62 00 00 00
""", "invalid_utf8", "profile 4: text options are UTF-8", type="SCREQ"),
    bad("sm-invalid-utf8-session-info-surrogate", """
11 06 CC CC   SCINF
3a 5c 1f 2e
00 00 00 00
00 00 00 00
02 04 63 68   SESSION-NAME "chat"
61 74 00 00
03 03 ed a0   SESSION-INFO, length 3: ed a0 80 encodes the surrogate U+D800
80 00 00 00
""", "invalid_utf8", "a surrogate is not UTF-8 (RFC 3629)", type="SCINF"),
    bad("sm-invalid-utf8-owner-info-overlong", """
11 06 CC CC   SCINF
3a 5c 1f 2e
00 00 00 00
00 00 00 00
02 04 63 68   SESSION-NAME "chat"
61 74 00 00
04 02 c0 af   OWNER-INFO, length 2: c0 af is "/" in an overlong form
""", "invalid_utf8", "an overlong form is not UTF-8 (RFC 3629)", type="SCINF"),
    bad("sm-missing-client-name-screq", """
14 01 CC CC   SCREQ, S = 1, no option
00 00 00 00
00 00 00 00
00 00 00 00
""", "missing_required_option", "SCREQ without CLIENT-NAME"),
    bad("sm-missing-client-name-srreq", """
10 08 CC CC   SRREQ with ACCESS-KEY but no CLIENT-NAME
3a 5c 00 00
00 00 00 00
00 00 00 00
0c 04 de ad
be ef 00 00
""", "missing_required_option", "SRREQ without CLIENT-NAME"),
    bad("sm-missing-mm-port-sareq", SJREQ.replace("10 0c", "10 0e"), "missing_required_option",
        "SAREQ without MM-PORT", type="SAREQ", type_code=14),
    bad("sm-missing-reason-screj", """
10 03 CC CC   SCREJ without REASON
00 00 00 00
00 00 00 00
00 00 00 00
""", "missing_required_option", "SCREJ without REASON"),
    bad("sm-missing-reason-srrej", """
12 0b CC CC   SRREJ without REASON
3a 5c 00 00
00 00 00 00
00 00 00 00
""", "missing_required_option", "SRREJ without REASON"),
    bad("sm-missing-reason-sdres", """
16 05 CC CC   SDRES without REASON
3a 5c 1f 2e
00 00 00 00
00 00 00 00
""", "missing_required_option", "SDRES without REASON"),
    bad("sm-missing-group-key-sjres-secure", """
16 0d CC CC   SJRES, S = 1, key length 16, but no GROUP-KEY
3a 5c c0 de
10 00 13 8c
ef ff 0a 14
""", "missing_required_option", "SJRES with S = 1 must carry GROUP-KEY"),
    bad("sm-flag-scinf-without-i", """
16 06 CC CC   SCINF with I = 0
3a 5c 1f 2e
00 00 00 00
00 00 00 00
02 04 63 68   SESSION-NAME "chat"
61 74 00 00
""", "flag_contradicts_type", "I must be set in SCINF",
        flags={"q": False, "s": True, "m": True, "i": False}),
    bad("sm-flag-i-in-screq", """
11 01 CC CC   SCREQ with I = 1
00 00 00 00
00 00 00 00
00 00 00 00
01 03 62 6f   CLIENT-NAME "bob"
62 00 00 00
""", "flag_contradicts_type", "I set outside SCINF",
        flags={"q": False, "s": False, "m": False, "i": True}),
    bad("sm-flag-i-in-sccon", """
17 07 CC CC   SCCON with I = 1
3a 5c 1f 2e
00 00 13 8c
ef ff 0a 14
""", "flag_contradicts_type", "I set outside SCINF (server message)"),
]

