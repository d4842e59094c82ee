"""Test vectors of the dissector's own, in the tests/vectors/vectors.json format
(name, protocol, hex, note, expect, error). They cover every message type, every option
type and every error name of docs/json-format.md; `shared_vectors()` adds the project's
shared file when it exists."""
import json
import os

from gmpwire import (APPENDIX_KAREQ_HEX, APPENDIX_SCREQ_HEX, OPT_NAMES, member_list, mm, opt,
                     opt_str, opt_u, sm)

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
SHARED_VECTORS = os.path.join(REPO, "tests", "vectors", "vectors.json")


def _v(name, protocol, msg, expect=None, error=None, note=""):
    return {"name": name, "protocol": protocol, "hex": msg.hex(), "note": note,
            "expect": expect or {}, "error": error}


T0 = (1700000000).to_bytes(8, "big")
T1 = (1700003600).to_bytes(8, "big")
KEY = bytes(range(16))


def own_vectors():
    v = []
    # --- profile appendix ---
    v.append({"name": "sm-screq-secure-alice", "protocol": "sm", "hex": APPENDIX_SCREQ_HEX,
              "note": "profile appendix", "error": None,
              "expect": {"protocol": "sm", "version": 1, "type": "SCREQ", "type_code": 1,
                         "flags": {"q": False, "s": True, "m": False, "i": False},
                         "checksum": 47913, "checksum_status": "good", "session_id": 0,
                         "user_id": 0, "key_length": 0, "reserved": 0, "group_port": 0,
                         "group_address": "0.0.0.0",
                         "options": [{"type": "CLIENT-NAME", "code": 1, "length": 5,
                                      "value": "alice"}]}})
    v.append({"name": "mm-karex-appendix", "protocol": "mm", "hex": APPENDIX_KAREQ_HEX,
              "note": "profile appendix", "error": None,
              "expect": {"protocol": "mm", "version": 1, "type": "KAREQ", "type_code": 1,
                         "mode": "closed", "mode_code": 2, "member_type": "participant",
                         "member_type_code": 1, "flags": {"r": False, "ss": False, "ui": False},
                         "group_port": 5004, "session_id": 14940, "user_id": 49374,
                         "group_address": "239.255.10.20", "ka_period": 10, "ka_timeout": 5,
                         "key_length": 0, "reserved": 0,
                         "options": [{"type": "KA-SEQ", "code": 19, "length": 4, "value": 7}]}})
    # --- every SM type, valid ---
    S, U = 0x3a5c, 0x1111
    v.append(_v("sm-scacc", "sm", sm("SCACC", s=True, session=S, user=U),
                {"type": "SCACC", "session_id": S, "user_id": U, "options": []}))
    v.append(_v("sm-screj-reason", "sm", sm("SCREJ", s=True, options=opt_u("REASON", 3, 1)),
                {"type": "SCREJ", "flags": {"q": False, "s": True, "m": False, "i": False},
                 "options": [{"type": "REASON", "code": 18, "length": 1, "value": 3,
                              "text": "secure mode not supported"}]}))
    v.append(_v("sm-sdreq", "sm", sm("SDREQ", session=S, user=U), {"type": "SDREQ"}))
    v.append(_v("sm-sdres", "sm", sm("SDRES", m=True, session=S, user=U,
                                     options=opt_u("REASON", 0, 1)),
                {"type": "SDRES", "options": [{"type": "REASON", "code": 18, "length": 1,
                                               "value": 0, "text": "success"}]}))
    scinf_opts = (opt_str("SESSION-NAME", "Weekly sync") + opt_str("SESSION-INFO", "subject")
                  + opt_str("OWNER-INFO", "alice@example") + opt("START-TIME", T0)
                  + opt("END-TIME", T1) + opt_str("MEDIA-INFO", "audio/opus")
                  + opt_str("APP-INFO", "conf") + opt("KEEPALIVE", bytes([10, 5, 2]))
                  + opt_str("BASE-MEMBER", "bob") + opt_str("BASE-MEMBER", "carol")
                  + opt_str("ALLOW", "dave") + opt("ACCESS-KEY", b"\xde\xad\xbe\xef")
                  + b"\x00\x00\x00\x00")
    v.append(_v("sm-scinf-all-options", "sm",
                sm("SCINF", s=True, m=True, session=S, user=U, port=5004,
                   addr="239.255.1.2", options=scinf_opts),
                {"type": "SCINF", "flags": {"q": False, "s": True, "m": True, "i": True},
                 "group_port": 5004, "group_address": "239.255.1.2",
                 "options": [
                     {"type": "SESSION-NAME", "code": 2, "length": 11, "value": "Weekly sync"},
                     {"type": "SESSION-INFO", "code": 3, "length": 7, "value": "subject"},
                     {"type": "OWNER-INFO", "code": 4, "length": 13, "value": "alice@example"},
                     {"type": "START-TIME", "code": 5, "length": 8, "value": 1700000000},
                     {"type": "END-TIME", "code": 6, "length": 8, "value": 1700003600},
                     {"type": "MEDIA-INFO", "code": 7, "length": 10, "value": "audio/opus"},
                     {"type": "APP-INFO", "code": 8, "length": 4, "value": "conf"},
                     {"type": "KEEPALIVE", "code": 9, "length": 3, "period": 10, "timeout": 5,
                      "miss_limit": 2},
                     {"type": "BASE-MEMBER", "code": 10, "length": 3, "value": "bob"},
                     {"type": "BASE-MEMBER", "code": 10, "length": 5, "value": "carol"},
                     {"type": "ALLOW", "code": 11, "length": 4, "value": "dave"},
                     {"type": "ACCESS-KEY", "code": 12, "length": 4, "hex": "deadbeef"}]}))
    v.append(_v("sm-sccon", "sm", sm("SCCON", m=True, session=S, user=U, port=5004,
                                     addr="239.255.1.2"),
                {"type": "SCCON", "group_address": "239.255.1.2", "group_port": 5004}))
    v.append(_v("sm-srreq-utf8", "sm", sm("SRREQ", session=S, options=opt_str("CLIENT-NAME", "zoë")
                                          + opt("ACCESS-KEY", b"\x01")),
                {"type": "SRREQ", "options": [
                    {"type": "CLIENT-NAME", "code": 1, "length": 4, "value": "zoë"},
                    {"type": "ACCESS-KEY", "code": 12, "length": 1, "hex": "01"}]}))
    v.append(_v("sm-srres", "sm", sm("SRRES", m=True, session=S), {"type": "SRRES"}))
    v.append(_v("sm-sracc", "sm", sm("SRACC", m=True, session=S, user=0x2222, port=5004,
                                     addr="239.255.1.2"), {"type": "SRACC", "user_id": 0x2222}))
    v.append(_v("sm-srrej", "sm", sm("SRREJ", m=True, session=S, options=opt_u("REASON", 2, 1)),
                {"type": "SRREJ", "options": [{"type": "REASON", "code": 18, "length": 1,
                                               "value": 2, "text": "not authorised"}]}))
    v.append(_v("sm-sjreq", "sm", sm("SJREQ", session=S, user=U), {"type": "SJREQ"}))
    v.append(_v("sm-sjres-secure", "sm",
                sm("SJRES", s=True, m=True, session=S, user=U, key_length=16, port=5004,
                   addr="239.255.1.2", options=opt("GROUP-KEY", b"\x00\x01" + KEY)),
                {"type": "SJRES", "key_length": 16, "options": [
                    {"type": "GROUP-KEY", "code": 14, "length": 18, "epoch": 1,
                     "key": KEY.hex()}]}))
    v.append(_v("sm-sareq", "sm", sm("SAREQ", session=S, user=U, options=opt_u("MM-PORT", 40002, 2)),
                {"type": "SAREQ", "options": [{"type": "MM-PORT", "code": 13, "length": 2,
                                               "value": 40002}]}))
    v.append(_v("sm-unknown-option-skipped", "sm",
                sm("SCREQ", options=opt(200, b"\x01\x02\x03") + opt_str("CLIENT-NAME", "x")),
                {"options": [{"type": "UNKNOWN", "code": 200, "length": 3, "hex": "010203"},
                             {"type": "CLIENT-NAME", "code": 1, "length": 1, "value": "x"}]}))
    v.append(_v("sm-reason-unknown-code", "sm", sm("SRREJ", session=S, options=opt_u("REASON", 9, 1)),
                {"options": [{"type": "REASON", "code": 18, "length": 1, "value": 9,
                              "text": "unknown"}]}))
    v.append(_v("sm-checksum-ffff", "sm", _with_checksum_ffff(), {"checksum_status": "good"},
                note="a message whose checksum field is 0xffff verifies"))
    # --- every MM type, valid ---
    M = dict(session=S, user=0xc0de)
    srv = dict(M, port=5004, addr="239.255.1.2", ka_period=10, ka_timeout=5)
    v.append(_v("mm-kares-no-seq", "mm", mm("KARES", **M), {"type": "KARES", "options": []}))
    v.append(_v("mm-uireq", "mm", mm("UIREQ", mode=1, **M), {"type": "UIREQ", "mode": "open"}))
    v.append(_v("mm-uires-open", "mm",
                mm("UIRES", mode=1, **srv, options=opt("LIST-PART", bytes([1, 2]))
                   + opt_u("MEMBER-COUNT", 42, 4) + member_list([(U, 4), (0x2222, 2)])),
                {"type": "UIRES", "flags": {"r": False, "ss": False, "ui": True}, "options": [
                    {"type": "LIST-PART", "code": 17, "length": 2, "index": 1, "count": 2},
                    {"type": "MEMBER-COUNT", "code": 16, "length": 4, "value": 42},
                    {"type": "MEMBER-LIST", "code": 15, "length": 8, "entries": [
                        {"user_id": U, "member_type": "creator", "member_type_code": 4},
                        {"user_id": 0x2222, "member_type": "base", "member_type_code": 2}]}]}))
    v.append(_v("mm-lvreq", "mm", mm("LVREQ", member_type=2, **M),
                {"type": "LVREQ", "member_type": "base", "member_type_code": 2}))
    v.append(_v("mm-trreq", "mm", mm("TRREQ", member_type=4, **M),
                {"type": "TRREQ", "member_type": "creator"}))
    v.append(_v("mm-trind", "mm", mm("TRIND", **srv), {"type": "TRIND",
                "flags": {"r": False, "ss": True, "ui": False}}))
    v.append(_v("mm-kdupt", "mm", mm("KDUPT", **srv, key_length=16,
                                     options=opt("GROUP-KEY", b"\x00\x02" + KEY)),
                {"type": "KDUPT", "key_length": 16, "options": [
                    {"type": "GROUP-KEY", "code": 14, "length": 18, "epoch": 2, "key": KEY.hex()}]}))
    # --- every error name ---
    good = sm("SCREQ", options=opt_str("CLIENT-NAME", "alice"))
    v.append(_v("err-sm-too-short", "sm", good[:12], {}, "too_short"))
    v.append(_v("err-mm-too-short", "mm", mm("KARES", **M)[:12], {}, "too_short"))
    v.append(_v("err-sm-not-aligned", "sm", sm("SCREQ", options=opt_str("CLIENT-NAME", "abc")[:5]),
                {}, "not_aligned"))
    v.append(_v("err-mm-not-aligned", "mm", mm("KARES", **M) + b"\x00\x00", {}, "not_aligned"))
    v.append(_v("err-sm-bad-version", "sm", sm("SCREQ", version=2, options=opt_str("CLIENT-NAME", "a")),
                {"version": 2}, "bad_version"))
    v.append(_v("err-mm-bad-version", "mm", mm("KARES", version=0, **M), {"version": 0}, "bad_version"))
    v.append(_v("err-sm-bad-checksum", "sm", sm("SCREQ", options=opt_str("CLIENT-NAME", "a"),
                                                checksum=0x1234),
                {"checksum": 0x1234, "checksum_status": "bad"}, "bad_checksum"))
    v.append(_v("err-sm-type-0", "sm", sm(0), {"type": "UNKNOWN", "type_code": 0}, "unknown_type"))
    v.append(_v("err-sm-type-15", "sm", sm(15), {"type": "UNKNOWN", "type_code": 15}, "unknown_type"))
    v.append(_v("err-mm-type-9", "mm", mm(9, **M), {"type": "UNKNOWN", "type_code": 9}, "unknown_type"))
    v.append(_v("err-mm-type-0", "mm", mm(0, **M), {"type": "UNKNOWN", "type_code": 0}, "unknown_type"))
    v.append(_v("err-sm-truncated-value", "sm",
                sm("SCREQ", options=opt_str("CLIENT-NAME", "al") + opt(2, b"xy", length=9)),
                {}, "truncated_option"))
    v.append(_v("err-mm-truncated-value", "mm",
                mm("KAREQ", **srv, options=b"\x13\x08\x00\x00\x00\x00\x00\x07"),
                {}, "truncated_option"))
    v.append(_v("err-sm-duplicate", "sm", sm("SCREQ", options=opt_str("CLIENT-NAME", "a")
                                             + opt_str("CLIENT-NAME", "b")), {}, "duplicate_option"))
    v.append(_v("err-mm-duplicate-list-part", "mm",
                mm("UIRES", **srv, options=opt("LIST-PART", b"\x01\x01") + opt("LIST-PART", b"\x01\x01")),
                {}, "duplicate_option"))
    v.append(_v("err-sm-empty-client-name", "sm", sm("SCREQ", options=opt("CLIENT-NAME", b"")),
                {}, "bad_option_size"))
    v.append(_v("err-sm-empty-allow", "sm", sm("SCINF", m=True, session=S, user=U,
                options=opt_str("SESSION-NAME", "n") + opt("ALLOW", b"")), {}, "bad_option_size"))
    v.append(_v("err-mm-group-key-no-key", "mm", mm("KDUPT", **srv, options=opt("GROUP-KEY", b"\0\1")),
                {}, "bad_option_size"))
    v.append(_v("err-mm-ka-seq-size", "mm", mm("KAREQ", **srv, options=opt("KA-SEQ", b"\0\0\7")),
                {}, "bad_option_size"))
    v.append(_v("err-sm-member-list-size", "sm", sm("SAREQ", session=S, user=U,
                options=opt_u("MM-PORT", 1, 2) + opt("MEMBER-LIST", b"\0\1\1")), {}, "bad_option_size"))
    v.append(_v("err-sm-group-key-size", "sm", sm("SJRES", s=True, m=True, session=S, user=U,
                key_length=16, options=opt("GROUP-KEY", b"\x00\x01" + KEY[:8])), {}, "bad_option_size"))
    v.append(_v("err-sm-access-key-65", "sm", sm("SRREQ", session=S, options=opt_str("CLIENT-NAME", "a")
                + opt("ACCESS-KEY", b"k" * 65)), {}, "bad_option_size"))
    v.append(_v("err-sm-mm-port-0", "sm", sm("SAREQ", session=S, user=U, options=opt_u("MM-PORT", 0, 2)),
                {}, "bad_option_value"))
    v.append(_v("err-mm-list-part-index-0", "mm", mm("UIRES", **srv, options=opt("LIST-PART", b"\x00\x01")),
                {}, "bad_option_value"))
    v.append(_v("err-mm-list-part-above-count", "mm",
                mm("UIRES", **srv, options=opt("LIST-PART", b"\x03\x02")), {}, "bad_option_value"))
    for name, msg in [("screq", sm("SCREQ")), ("srreq", sm("SRREQ", session=S)),
                      ("sareq", sm("SAREQ", session=S, user=U)),
                      ("sjres-secure", sm("SJRES", s=True, session=S, user=U)),
                      ("screj", sm("SCREJ")), ("srrej", sm("SRREJ", session=S)),
                      ("sdres", sm("SDRES", session=S, user=U))]:
        v.append(_v("err-sm-missing-" + name, "sm", msg, {}, "missing_required_option"))
    for name, msg in [("karex", mm("KAREQ", **srv)), ("uires", mm("UIRES", **srv)),
                      ("kdupt", mm("KDUPT", **srv))]:
        v.append(_v("err-mm-missing-" + name, "mm", msg, {}, "missing_required_option"))
    v.append(_v("ok-sm-scinf-without-session-name", "sm",
                sm("SCINF", session=S, user=U, options=opt("KEEPALIVE", b"\x0a\x05\x01")),
                {"type": "SCINF"}, note="unacceptable (SCREJ 5, profile 5.1), not malformed"))
    v.append(_v("ok-sm-sjres-open-no-key", "sm", sm("SJRES", session=S, user=U), {"type": "SJRES"}))
    v.append(_v("err-sm-i-outside-scinf", "sm", sm("SCREQ", i=True, options=opt_str("CLIENT-NAME", "a")),
                {"flags": {"q": False, "s": False, "m": False, "i": True}}, "flag_contradicts_type"))
    v.append(_v("err-sm-scinf-without-i", "sm", sm("SCINF", i=False, session=S, user=U,
                options=opt_str("SESSION-NAME", "n")), {}, "flag_contradicts_type"))
    v.append(_v("err-mm-ui-outside-uires", "mm", mm("KARES", ui=True, **M), {}, "flag_contradicts_type"))
    v.append(_v("err-mm-uires-without-ui", "mm", mm("UIRES", ui=False, **srv,
                options=opt("LIST-PART", b"\x01\x01")), {}, "flag_contradicts_type"))
    v.append(_v("err-mm-ss-outside-trind", "mm", mm("KARES", ss=True, **M), {}, "flag_contradicts_type"))
    v.append(_v("err-mm-trind-without-ss", "mm", mm("TRIND", ss=False, **srv), {}, "flag_contradicts_type"))
    v.append(_v("err-mm-mode-00", "mm", mm("KARES", mode=0, **M), {"mode": "invalid", "mode_code": 0},
                "bad_mode"))
    v.append(_v("err-mm-mode-11", "mm", mm("KARES", mode=3, **M), {"mode": "invalid", "mode_code": 3},
                "bad_mode"))
    # Profile 3 (1.3): any member type code in a member's message is accepted: a non-standard
    # one is shown ("invalid" with its code), not flagged.
    for mt in (0, 3, 5, 6, 7):
        v.append(_v("mm-member-type-%d" % mt, "mm", mm("KARES", member_type=mt, **M),
                    {"member_type": "invalid", "member_type_code": mt, "error": None}))
    # --- text options that are not UTF-8 (profile 4: malformed), shown raw ---
    for code in (1, 2, 3, 4, 7, 8, 10, 11):
        name = OPT_NAMES[code]
        v.append(_v("err-sm-invalid-utf8-" + name.lower(), "sm",
                    sm("SCINF", session=S, user=U, options=opt(code, b"a\xc3")),
                    {"options": [{"type": name, "code": code, "length": 2, "hex": "61c3"}]},
                    "invalid_utf8"))
    # --- reserved bits: shown, not errors (profile 2, 3: ignored on receipt) ---
    v.append(_v("ok-sm-q-and-reserved", "sm", sm("SCREQ", q=True, reserved=7,
                options=opt_str("CLIENT-NAME", "a")),
                {"flags": {"q": True, "s": False, "m": False, "i": False}, "reserved": 7}))
    v.append(_v("ok-mm-r-and-reserved", "mm", mm("KARES", r=True, reserved=1, **M),
                {"flags": {"r": True, "ss": False, "ui": False}, "reserved": 1}))
    v.append(_v("ok-sm-bytes-after-end", "sm", sm("SCREQ", options=opt_str("CLIENT-NAME", "a")
                + b"\x00\x05\x01\x02"), {"options": [{"type": "CLIENT-NAME", "code": 1,
                                                       "length": 1, "value": "a"}]}))
    return v


def _with_checksum_ffff():
    """An SCREQ whose checksum field is 0xffff: choose a 4-character ASCII client name (text
    options are UTF-8, profile 4) whose computed checksum is 0x0000, then send it as 0xffff
    (the other one's complement zero)."""
    from gmpwire import inet_checksum, ones_sum
    for a in range(0x21, 0x7f):
        for b in range(0x21, 0x7f):
            msg = sm("SCREQ", options=opt("CLIENT-NAME", bytes([a, b, 0, 0])), checksum=0)
            w2 = 0xFFFF - ones_sum(msg)  # the last word that makes the sum 0xffff
            name = bytes([a, b, w2 >> 8, w2 & 0xFF])
            if all(0x21 <= c < 0x7f for c in name[2:]):
                msg = sm("SCREQ", options=opt("CLIENT-NAME", name), checksum=0)
                assert inet_checksum(msg) == 0
                return msg[:2] + b"\xff\xff" + msg[4:]
    raise AssertionError("no such message")


def shared_vectors():
    """The project's shared vectors (tests/vectors/vectors.json), or [] while absent."""
    if not os.path.exists(SHARED_VECTORS):
        return []
    with open(SHARED_VECTORS, encoding="utf-8") as f:
        data = json.load(f)
    if isinstance(data, dict):
        data = data.get("vectors", [])
    return data
