"""Builders for the hand-written `expect` objects of the vectors (docs/json-format.md), and
the rows several vectors share."""

# An SCREQ header with no flag, session, user or group (profile 2), and the option
# CLIENT-NAME "bob" padded by 3 (profile 4): written once, used by many SM vectors.
SCREQ_HEAD = """
10 01 CC CC   SCREQ
00 00 00 00
00 00 00 00
00 00 00 00
"""
BOB = """01 03 62 6f   CLIENT-NAME "bob"
62 00 00 00
"""

REASON_TEXT = {0: "success", 1: "resources exhausted", 2: "not authorised",
               3: "secure mode not supported", 4: "unknown session", 5: "invalid request"}
MEMBER = {4: "creator", 2: "base", 1: "participant"}


def sm(typ, code, *, q=False, s=False, m=False, i=False, session=0, user=0, key_length=0,
       reserved=0, port=0, addr="0.0.0.0", options=(), checksum="computed", status="good"):
    """A valid SM message's full JSON form."""
    return {"protocol": "sm", "version": 1, "type": typ, "type_code": code,
            "flags": {"q": q, "s": s, "m": m, "i": i},
            "checksum": checksum, "checksum_status": status,
            "session_id": session, "user_id": user, "key_length": key_length,
            "reserved": reserved, "group_port": port, "group_address": addr,
            "options": list(options), "error": None}


def mm(typ, code, *, mode=2, member=1, r=False, ss=False, ui=False, port=0, session=0, user=0,
       addr="0.0.0.0", period=0, timeout=0, key_length=0, reserved=0, options=()):
    """A valid MM message's full JSON form."""
    return {"protocol": "mm", "version": 1, "type": typ, "type_code": code,
            "mode": {1: "open", 2: "closed"}.get(mode, "invalid"), "mode_code": mode,
            "member_type": MEMBER.get(member, "invalid"), "member_type_code": member,
            "flags": {"r": r, "ss": ss, "ui": ui},
            "group_port": port, "session_id": session, "user_id": user,
            "group_address": addr, "ka_period": period, "ka_timeout": timeout,
            "key_length": key_length, "reserved": reserved,
            "options": list(options), "error": None}


def text(name, code, value):
    return {"type": name, "code": code, "length": len(value.encode()), "value": value}


def client_name(v): return text("CLIENT-NAME", 1, v)
def session_name(v): return text("SESSION-NAME", 2, v)
def session_info(v): return text("SESSION-INFO", 3, v)
def owner_info(v): return text("OWNER-INFO", 4, v)
def media_info(v): return text("MEDIA-INFO", 7, v)
def app_info(v): return text("APP-INFO", 8, v)
def base_member(v): return text("BASE-MEMBER", 10, v)
def allow(v): return text("ALLOW", 11, v)


def start_time(s): return {"type": "START-TIME", "code": 5, "length": 8, "value": s}
def end_time(s): return {"type": "END-TIME", "code": 6, "length": 8, "value": s}


def keepalive(p, t, miss):
    return {"type": "KEEPALIVE", "code": 9, "length": 3, "period": p, "timeout": t,
            "miss_limit": miss}


def access_key(hexstr):
    return {"type": "ACCESS-KEY", "code": 12, "length": len(hexstr) // 2, "hex": hexstr}


def mm_port(p): return {"type": "MM-PORT", "code": 13, "length": 2, "value": p}


def group_key(epoch, keyhex):
    return {"type": "GROUP-KEY", "code": 14, "length": 2 + len(keyhex) // 2, "epoch": epoch,
            "key": keyhex}


def member_list(*entries):
    """entries: (user_id, member_type_code) pairs."""
    return {"type": "MEMBER-LIST", "code": 15, "length": 4 * len(entries),
            "entries": [{"user_id": u, "member_type": MEMBER.get(t, "invalid"),
                         "member_type_code": t} for u, t in entries]}


def member_count(n): return {"type": "MEMBER-COUNT", "code": 16, "length": 4, "value": n}


def list_part(i, n):
    return {"type": "LIST-PART", "code": 17, "length": 2, "index": i, "count": n}


def reason(v):
    return {"type": "REASON", "code": 18, "length": 1, "value": v,
            "text": REASON_TEXT.get(v, "unknown")}


def ka_seq(n): return {"type": "KA-SEQ", "code": 19, "length": 4, "value": n}


def unknown(code, hexstr):
    return {"type": "UNKNOWN", "code": code, "length": len(hexstr) // 2, "hex": hexstr}
