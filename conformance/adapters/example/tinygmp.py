"""tinygmp: a deliberately small GMP client (profile 1.3), written for the adapter example.

It is not the reference client: it is what a vendor's client looks like from the adapter's
side, an API with blocking SM requests and a thread that answers keepalives. Only the standard
library is used, so the example can be copied anywhere.
"""
import socket
import struct
import threading

SM = {"SCREQ": 1, "SCACC": 2, "SCREJ": 3, "SDREQ": 4, "SDRES": 5, "SCINF": 6, "SCCON": 7,
      "SRREQ": 8, "SRRES": 9, "SRACC": 10, "SRREJ": 11, "SJREQ": 12, "SJRES": 13, "SAREQ": 14}
SM_NAME = {v: k for k, v in SM.items()}
MM = {"KAREQ": 1, "KARES": 2, "UIREQ": 3, "UIRES": 4, "LVREQ": 5, "TRREQ": 6, "TRIND": 7, "KDUPT": 8}
OPT = {"CLIENT-NAME": 1, "SESSION-NAME": 2, "KEEPALIVE": 9, "BASE-MEMBER": 10, "ALLOW": 11,
       "ACCESS-KEY": 12, "MM-PORT": 13, "GROUP-KEY": 14, "MEMBER-LIST": 15, "MEMBER-COUNT": 16,
       "LIST-PART": 17, "REASON": 18, "KA-SEQ": 19}
TYPE_NAME = {4: "creator", 2: "base", 1: "participant"}


def checksum(data):
    """RFC 1071 Internet checksum (profile 2)."""
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack(">%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def options(opts):
    """Options as TLVs, each padded to 32 bits (profile 4)."""
    out = b""
    for code, value in opts:
        tlv = bytes([code, len(value)]) + value
        out += tlv + b"\0" * (-len(tlv) % 4)
    return out


def parse_options(body):
    out, i = [], 0
    while i + 2 <= len(body) and body[i] != 0:
        code, n = body[i], body[i + 1]
        out.append((code, body[i + 2:i + 2 + n]))
        i += (2 + n + 3) // 4 * 4
    return out


def sm_bytes(mtype, session=0, user=0, s=False, m=False, i=False, opts=(), group=(0, "0.0.0.0")):
    head = struct.pack(">BBHHHBBH4s", 0x10 | (s << 2) | (m << 1) | i, SM[mtype], 0, session, user, 0, 0,
                       group[0], socket.inet_aton(group[1]))
    msg = bytearray(head + options(opts))
    struct.pack_into(">H", msg, 2, checksum(bytes(msg)))
    return bytes(msg)


def mm_bytes(mtype, session, user, member_type, mode, opts=()):
    head = struct.pack(">BBHHH4sBBBB", 0x10 | MM[mtype], (mode << 6) | (member_type << 3), 0, session, user,
                       b"\0\0\0\0", 0, 0, 0, 0)
    return head + options(opts)


class Refused(Exception):
    def __init__(self, message, reason):
        super().__init__(f"{message} REASON {reason}")
        self.message, self.reason = message, reason


class Membership:
    """One client in one session. Callbacks: on_state(to), on_key(epoch, key_hex),
    on_members(list, count), on_ended(cause)."""

    def __init__(self, host, sm_port, mm_port, events):
        self.host, self.sm_port, self.mm_port, self.events = host, sm_port, mm_port, events
        self.session = self.user = 0
        self.mode = 1
        self.member_type = 1
        self.secure = False
        self.epoch = 0
        self.muted = False
        self.polled = False  # SAREQ sent and no LVREQ since: KAREQs are answered (profile 6.1)
        self.ended = False
        self.sock = socket.create_connection((host, sm_port), timeout=5)
        self.mm = None
        self.parts = {}
        self.lock = threading.Lock()

    # --- SM (blocking request -> answer) ---------------------------------------------------
    def _send(self, data):
        self.sock.sendall(struct.pack(">H", len(data)) + data)

    def _read(self):
        def exactly(n):
            buf = b""
            while len(buf) < n:
                chunk = self.sock.recv(n - len(buf))
                if not chunk:
                    raise ConnectionError("the server closed the connection")
                buf += chunk
            return buf
        n = struct.unpack(">H", exactly(2))[0]
        data = exactly(n)
        flags, mtype, _, session, user = data[0] & 15, data[1], data[2:4], *struct.unpack(">HH", data[4:8])
        return SM_NAME.get(mtype, "?"), session, user, flags, dict(parse_options(data[16:])), data

    def _answer(self, *wanted):
        while True:
            name, session, user, flags, opts, raw = self._read()
            if name in ("SCREJ", "SRREJ") or (name == "SDRES" and opts.get(18, b"\0")[0] != 0):
                raise Refused(name, opts.get(18, b"\0")[0])
            if name in wanted:
                return name, session, user, flags, opts, raw

    def create(self, client, closed=False, secure=False, session_name="session", keepalive=None,
               base=(), allow=(), key=None):
        self._send(sm_bytes("SCREQ", s=secure, opts=[(1, client.encode())]))
        _, self.session, self.user, _, _, _ = self._answer("SCACC")
        opts = [(2, session_name.encode())]
        if keepalive:
            opts.append((9, bytes(keepalive)))
        opts += [(10, b.encode()) for b in base] + [(11, a.encode()) for a in allow]
        if key:
            opts.append((12, key))
        self._send(sm_bytes("SCINF", self.session, self.user, s=secure, m=closed, i=True, opts=opts))
        self._answer("SCCON")
        self.mode, self.member_type, self.secure = (2 if closed else 1), 4, secure
        self.events.on_state("registered")

    def register(self, session, client, key=None):
        opts = [(1, client.encode())] + ([(12, key)] if key else [])
        self._send(sm_bytes("SRREQ", session, opts=opts))
        name, _, user, flags, _, _ = self._answer("SRRES", "SRACC")
        if name == "SRRES":
            name, _, user, flags, _, _ = self._answer("SRACC")
        self.session, self.user = session, user
        self.mode, self.secure = (2 if flags & 2 else 1), bool(flags & 4)
        self.events.on_state("registered")

    def join(self):
        self._send(sm_bytes("SJREQ", self.session, self.user))
        _, _, _, flags, opts, raw = self._answer("SJRES")
        if 14 in opts:
            self._install(opts[14])
        self.events.on_state("joined")

    def delete(self):
        self._send(sm_bytes("SDREQ", self.session, self.user))
        self._answer("SDRES")
        self._end("SDRES")

    # --- MM ----------------------------------------------------------------------------------
    def activate(self, port=0):
        if self.mm is None:
            self.mm = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            self.mm.bind((self.sock.getsockname()[0], port))
            threading.Thread(target=self._mm_loop, daemon=True).start()
        self.polled = True
        self._send(sm_bytes("SAREQ", self.session, self.user, opts=[(13, struct.pack(">H", self.mm.getsockname()[1]))]))
        self.events.on_state("activating")

    def _mm_send(self, mtype, opts=()):
        self.mm.sendto(mm_bytes(mtype, self.session, self.user, self.member_type, self.mode, opts),
                       (self.host, self.mm_port))

    def members(self):
        self.parts = {}
        self._mm_send("UIREQ")

    def leave(self):
        self.polled = False
        self._mm_send("LVREQ")
        self.events.on_state("joined")

    def terminate(self):
        self._mm_send("TRREQ")

    def _install(self, value):
        epoch = struct.unpack(">H", value[:2])[0]
        d = (epoch - self.epoch) % 65536
        if self.epoch == 0 or 0 < d < 32768:  # newer, as a serial number (profile 6.6)
            self.epoch = epoch
            self.events.on_key(epoch, value[2:].hex())

    def _end(self, cause):
        if not self.ended:
            self.ended = True
            self.events.on_state("ended")
            self.events.on_ended(cause)

    def _mm_loop(self):
        active = False
        while not self.ended:
            try:
                data, src = self.mm.recvfrom(2048)
            except OSError:
                return
            if src != (self.host, self.mm_port) or len(data) < 16 or len(data) % 4 or len(data) > 1200:
                continue
            mtype, b1 = data[0] & 15, data[1]
            session, user = struct.unpack(">HH", data[4:8])
            if data[0] >> 4 != 1 or session != self.session or user != self.user:
                continue
            opts = parse_options(data[16:])
            if mtype == 1 and self.polled and not self.muted:  # KAREQ -> KARES echoing KA-SEQ (Figure 14)
                self.member_type = (b1 >> 3) & 7
                self._mm_send("KARES", [(19, v) for c, v in opts if c == 19][:1])
                if not active:
                    active = True
                    self.events.on_state("active")
            elif mtype == 1:
                active = False
            elif mtype == 7 and b1 & 2:  # TRIND with SS = 1
                self._end("TRIND")
            elif mtype == 8 and self.secure:  # KDUPT
                for c, v in opts:
                    if c == 14:
                        self._install(v)
            elif mtype == 4 and b1 & 1:  # UIRES parts, any order
                part = dict((c, v) for c, v in opts if c in (16, 17))
                if 17 not in part:
                    continue
                index, count = part[17][0], part[17][1]
                entries = [v[i:i + 4] for c, v in opts if c == 15 for i in range(0, len(v), 4)]
                self.parts[index] = (entries, part.get(16) if index == 1 else None)
                if len(self.parts) == count:
                    listed = [{"user_id": struct.unpack(">H", e[:2])[0], "member_type": TYPE_NAME.get(e[2] & 7, "?")}
                              for i in sorted(self.parts) for e in self.parts[i][0]]
                    raw = self.parts.get(1, ([], None))[1]
                    self.events.on_members(listed, struct.unpack(">I", raw)[0] if raw else None)
                    self.parts = {}

    def close(self):
        for s in (self.sock, self.mm):
            if s is not None:
                s.close()
