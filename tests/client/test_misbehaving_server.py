"""gmp-client --script against a misbehaving fake server written here (no gmp-server needed):
malformed, unexpected and out-of-order messages become `invalid` / `unexpected` events, the
client neither crashes nor changes state because of them, and the good messages that follow
still work (profile section 7 from the client's side)."""
import json
import socket
import struct
import subprocess
import threading
import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))  # tests/: gmpwire
from gmpwire import inet_checksum as checksum, opt as option  # noqa: E402

SESSION, USER = 0x3A5C, 0xC0DE
FLAG_S, FLAG_M = 4, 2


def sm(mtype, session=SESSION, user=USER, flags=0, options=b"", version=1, good_sum=True) -> bytes:
    m = struct.pack("!BBHHHBBHI", version << 4 | flags, mtype, 0, session, user, 0, 0, 5004,
                    0xEFFF0A14) + options
    c = checksum(m) ^ (0 if good_sum else 0x0101)
    m = m[:2] + struct.pack("!H", c) + m[4:]
    return struct.pack("!H", len(m)) + m


def mm(mtype, session=SESSION, user=USER, flags=0, options=b"", key_length=0) -> bytes:
    b1 = 1 << 6 | 1 << 3 | flags  # open mode, participant
    return struct.pack("!BBHHHIBBBB", 1 << 4 | mtype, b1, 5004, session, user, 0xEFFF0A14, 1, 1,
                       key_length, 0) + options


def kareq(round_, session=SESSION):
    return mm(1, session=session, options=option(19, struct.pack("!I", round_)))


def read_frame(conn) -> bytes:
    hdr = b""
    while len(hdr) < 2:
        chunk = conn.recv(2 - len(hdr))
        if not chunk:
            raise EOFError
        hdr += chunk
    n = struct.unpack("!H", hdr)[0]
    body = b""
    while len(body) < n:
        chunk = conn.recv(n - len(body))
        if not chunk:
            raise EOFError
        body += chunk
    return body


def mm_port_of(sareq: bytes) -> int:
    i = 16
    while i + 2 <= len(sareq) and sareq[i] != 0:
        code, length = sareq[i], sareq[i + 1]
        if code == 13:
            return struct.unpack("!H", sareq[i + 2:i + 4])[0]
        i += (2 + length + 3) // 4 * 4
    raise AssertionError("SAREQ without MM-PORT")


class FakeServer:
    def __init__(self):
        self.tcp = socket.socket()
        self.tcp.bind(("127.0.0.1", 0))
        self.tcp.listen(4)
        self.tcp.settimeout(15)
        self.udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.udp.bind(("127.0.0.1", 0))
        self.udp.settimeout(5)
        self.kares = []
        self.error = None
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.thread.start()

    def run(self):
        try:
            conn, _ = self.tcp.accept()
            conn.settimeout(10)
            with conn:
                while True:
                    msg = read_frame(conn)
                    mtype = msg[1]
                    if mtype == 8:  # SRREQ: garbage first, then the real SRACC
                        conn.sendall(sm(10, good_sum=False))       # bad checksum
                        conn.sendall(sm(10, version=2))            # bad version
                        conn.sendall(sm(2))                        # SCACC: answers nothing
                        conn.sendall(sm(8, options=option(1, b"eve")))  # SRREQ: wrong direction
                        conn.sendall(sm(10, session=7))            # SRACC for another session
                        conn.sendall(sm(10))                       # the real SRACC
                    elif mtype == 12:  # SJREQ
                        conn.sendall(sm(13, flags=FLAG_S))         # S = 1 without GROUP-KEY: malformed
                        conn.sendall(sm(13))
                    elif mtype == 14:  # SAREQ
                        self.mm_phase(("127.0.0.1", mm_port_of(msg)))
                        return
        except Exception as e:  # reported by the test
            self.error = repr(e)

    def mm_phase(self, client):
        send = lambda b: self.udp.sendto(b, client)
        send(b"\x11\x48\x00")                     # too short
        send(kareq(3, session=0x1111))            # another session: not answered
        send(mm(2, options=option(19, b"\0\0\0\1")))  # KARES: wrong direction
        send(kareq(5))                            # the real KAREQ
        data, _ = self.udp.recvfrom(2048)
        self.kares.append(data)
        send(kareq(4))                            # out of order: stale round, still answered
        data, _ = self.udp.recvfrom(2048)
        self.kares.append(data)
        key = option(14, b"\0\2" + bytes(range(16)))
        send(mm(8, options=key, key_length=16))   # KDUPT in a session that is not secure
        send(mm(4, flags=1, options=option(17, b"\1\1")))  # UIRES nobody asked for
        send(mm(7, flags=2))                      # TRIND: the end

    def close(self):
        self.tcp.close()
        self.udp.close()


def test_misbehaving_server_is_reported_not_obeyed(client_exe):
    srv = FakeServer()
    try:
        script = f"""
register p session={SESSION} as bob
wait-for p state=registered timeout=5000
join p
wait-for p state=joined timeout=5000
activate p
wait-for p state=active timeout=5000
wait-for p ended=TRIND timeout=5000
quit
"""
        proc = subprocess.run(
            [str(client_exe), "--server", f"127.0.0.1:{srv.tcp.getsockname()[1]}", "--mm-port",
             str(srv.udp.getsockname()[1]), "--script", "-"],
            input=script, capture_output=True, text=True, timeout=30)
        srv.thread.join(timeout=10)
    finally:
        srv.close()
    events = [json.loads(line) for line in proc.stdout.splitlines()]
    log = "\n".join(json.dumps({k: v for k, v in e.items() if k != "message"}) for e in events)
    assert srv.error is None, srv.error + "\n" + log
    assert proc.returncode == 0, log + proc.stderr

    invalid = [e["error"] for e in events if e["event"] == "invalid"]
    assert invalid == ["bad_checksum", "bad_version", "missing_required_option", "too_short"], log
    unexpected = [(e["channel"], e.get("type")) for e in events if e["event"] == "unexpected"]
    assert unexpected == [("sm", "SCACC"), ("sm", "SRREQ"), ("sm", "SRACC"), ("mm", "KAREQ"),
                          ("mm", "KARES"), ("mm", "KDUPT"), ("mm", "UIRES")], log
    # The state only followed the good messages.
    path = [e["to"] for e in events if e["event"] == "state"]
    assert path == ["registering", "registered", "joining", "joined", "activating", "active", "ended"], log
    registered = next(e for e in events if e["event"] == "state" and e["to"] == "registered")
    assert registered["session_id"] == SESSION and registered["user_id"] == USER
    # Exactly the two real KAREQs were answered, each echoing its KA-SEQ.
    assert [struct.unpack("!I", k[18:22])[0] for k in srv.kares] == [5, 4]
    assert [e for e in events if e["event"] == "stale_round"][0]["round"] == 4
    assert not [e for e in events if e["event"] == "key"]  # the KDUPT was not installed


def test_script_errors_and_failed_waits_set_the_exit_code(client_exe):
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()  # nothing listens there
    script = """
fly away
register p session=@nobody as bob
register p session=1 as bob
wait-for p state=registered timeout=3000
join q
quit
"""
    proc = subprocess.run([str(client_exe), "--server", f"127.0.0.1:{port}", "--script", "-"],
                          input=script, capture_output=True, text=True, timeout=30)
    events = [json.loads(line) for line in proc.stdout.splitlines()]
    errors = [e for e in events if e["event"] == "error"]
    # An unknown command word is `unsupported` (docs/client-adapter.md), still a script error.
    unsupported = [e for e in events if e["event"] == "unsupported"]
    assert unsupported[0]["line"] == 2 and unsupported[0]["command"] == "fly"
    assert "unknown command 'fly'" in unsupported[0]["why"]
    assert "unknown membership 'nobody'" in errors[0]["why"]
    assert any("cannot connect" in e["why"] for e in errors)
    assert "no membership named 'q'" in errors[-1]["why"]
    wait = [e for e in events if e["event"] == "wait"]
    assert wait == [dict(wait[0], ok=False)] and "failed" in wait[0]["why"]  # fails fast
    assert events[-1]["event"] == "done"
    assert proc.returncode == 3  # the first failure: a script error
