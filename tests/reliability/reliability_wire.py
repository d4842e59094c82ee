"""Blocking SM/MM helpers for the reliability tests, on the independent test encoder
(tests/gmpwire.py): enough of the profile to create sessions and register, join and
activate thousands of members quickly (pipelined SM, one MM socket shared by many members:
profile 1 binds a member to (IP, MM-PORT), several members may share one)."""
import json
import pathlib
import socket
import struct
import sys
import time
import urllib.request

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent))
import gmpwire as enc  # noqa: E402

OPEN, CLOSED = 1, 2  # MM mode field (profile 3)


def sm_header(msg: bytes):
    """(type, session, user) of an SM message."""
    return msg[1], struct.unpack("!H", msg[4:6])[0], struct.unpack("!H", msg[6:8])[0]


def options(body: bytes, start: int = 16):
    """{option type: value} of a message (the last one of a repeated type)."""
    out, i = {}, start
    while i + 1 < len(body):
        t = body[i]
        if t == 0:
            break
        n = body[i + 1]
        out[t] = body[i + 2:i + 2 + n]
        i += (2 + n + 3) & ~3
    return out


class SmConn:
    """One TCP connection with the profile's 2-byte length framing."""

    def __init__(self, port: int, timeout: float = 10.0):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.buf = b""

    def send(self, *msgs: bytes):
        self.sock.sendall(b"".join(enc.frame(m) for m in msgs))

    def recv(self) -> bytes:
        while True:
            if len(self.buf) >= 2:
                n = struct.unpack("!H", self.buf[:2])[0]
                if len(self.buf) >= 2 + n:
                    msg, self.buf = self.buf[2:2 + n], self.buf[2 + n:]
                    return msg
            chunk = self.sock.recv(65536)
            if not chunk:
                raise ConnectionError("the server closed the SM connection")
            self.buf += chunk

    def close(self):
        self.sock.close()


def create(conn: SmConn, name: str, *, closed=False, ka=(10, 5, 1), key=b"k") -> tuple[int, int]:
    """SCREQ -> SCACC -> SCINF -> SCCON (profile 5.1). Returns (session, creator user)."""
    conn.send(enc.sm("SCREQ", options=enc.opt_str("CLIENT-NAME", name)))
    t, s, u = sm_header(conn.recv())
    assert t == enc.SM_TYPES["SCACC"], f"SCREQ answered {enc.SM_NAMES.get(t, t)}"
    opts = enc.opt_str("SESSION-NAME", name + "-session") + enc.opt("KEEPALIVE", bytes(ka))
    if closed:
        opts += enc.opt("ACCESS-KEY", key)
    conn.send(enc.sm("SCINF", m=closed, session=s, user=u, options=opts))
    t, _, _ = sm_header(conn.recv())
    assert t == enc.SM_TYPES["SCCON"], f"SCINF answered {enc.SM_NAMES.get(t, t)}"
    return s, u


def join(conn: SmConn, session: int, user: int):
    """SJREQ -> SJRES (profile 5.4): the creator joins too before it activates."""
    conn.send(enc.sm("SJREQ", session=session, user=user))
    assert sm_header(conn.recv())[0] == enc.SM_TYPES["SJRES"]


def register_many(conn: SmConn, session: int, names, *, closed=False, key=b"k", chunk=500):
    """SRREQ then SJREQ for every name, pipelined. Returns their user IDs."""
    users = []
    names = list(names)
    for i in range(0, len(names), chunk):
        part = names[i:i + chunk]
        opts = (lambda n: enc.opt_str("CLIENT-NAME", n) + (enc.opt("ACCESS-KEY", key) if closed else b""))
        conn.send(*[enc.sm("SRREQ", session=session, options=opts(n)) for n in part])
        got = []
        while len(got) < len(part):
            t, _, u = sm_header(conn.recv())
            if t == enc.SM_TYPES["SRRES"]:
                continue
            assert t == enc.SM_TYPES["SRACC"], f"SRREQ answered {enc.SM_NAMES.get(t, t)}"
            got.append(u)
        conn.send(*[enc.sm("SJREQ", session=session, user=u) for u in got])
        for _ in got:
            assert sm_header(conn.recv())[0] == enc.SM_TYPES["SJRES"]
        users += got
    return users


def mm_socket() -> socket.socket:
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    for opt in (33, socket.SO_RCVBUF):  # SO_RCVBUFFORCE when allowed
        try:
            s.setsockopt(socket.SOL_SOCKET, opt, 32 * 1024 * 1024)
            break
        except OSError:
            continue
    s.bind(("127.0.0.1", 0))
    return s


def kares_for(kareq: bytes, mode: int) -> bytes | None:
    """The KARES answering a KAREQ (profile 6.1), echoing its KA-SEQ."""
    if len(kareq) < 16 or kareq[0] & 0x0F != enc.MM_TYPES["KAREQ"]:
        return None
    session, user = struct.unpack("!HH", kareq[4:8])
    seq = options(kareq).get(enc.OPT_TYPES["KA-SEQ"], b"\0\0\0\0")
    return enc.mm("KARES", mode=mode, session=session, user=user, options=enc.opt("KA-SEQ", seq))


def activate_many(conn: SmConn, mm: socket.socket, server_mm: int, session: int, users, mode,
                  chunk=250, deadline_s=60.0):
    """SAREQ with MM-PORT for every user, then KARES to each KAREQ: every user becomes active
    (profile 5.5). SAREQ is sent again to the users whose KAREQ was lost."""
    port = mm.getsockname()[1]
    left = list(users)
    end = time.monotonic() + deadline_s
    mm.settimeout(0.5)
    while left and time.monotonic() < end:
        part, left = left[:chunk], left[chunk:]
        conn.send(*[enc.sm("SAREQ", session=session, user=u, options=enc.opt_u("MM-PORT", port, 2))
                    for u in part])
        waiting = set(part)
        try:
            while waiting:
                data, _ = mm.recvfrom(2048)
                answer = kares_for(data, mode)
                if answer is None:
                    continue
                mm.sendto(answer, ("127.0.0.1", server_mm))
                waiting.discard(struct.unpack("!H", data[6:8])[0])
        except socket.timeout:
            left += list(waiting)
    assert not left, f"{len(left)} members never got their KAREQ"


def http_json(url: str, timeout: float = 5.0):
    with urllib.request.urlopen(url, timeout=timeout) as r:
        return json.loads(r.read())
