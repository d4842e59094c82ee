"""gmp-client --script - as a client adapter (docs/client-adapter.md, contract version 1),
driven line by line as gmp-conform drives it: each command is written only after the events
of the one before were read, so an event held in a stdout buffer or a command not acted on at
once makes the test time out instead of passing."""
import json
import os
import select
import subprocess
import time

import pytest

EVENT_TIMEOUT_S = 8.0
SUPPORTS = ["create", "register", "join", "activate", "members", "leave", "terminate", "delete",
            "mute", "unmute"]


class Adapter:
    """One adapter process: send(command), expect(event, **fields) -> the event."""

    def __init__(self, client_exe, server):
        self.proc = subprocess.Popen(
            [str(client_exe), "--server", f"127.0.0.1:{server.sm_port}", "--mm-port",
             str(server.mm_port), "--script", "-"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
            bufsize=1)
        self.seen = []
        self._pending = b""  # bytes read past the last complete line

    def send(self, line: str):
        self.proc.stdin.write(line + "\n")
        self.proc.stdin.flush()

    def expect(self, event: str, timeout: float = EVENT_TIMEOUT_S, **fields) -> dict:
        deadline = time.monotonic() + timeout
        fd = self.proc.stdout.fileno()
        while time.monotonic() < deadline:
            while b"\n" in self._pending:
                line, self._pending = self._pending.split(b"\n", 1)
                e = json.loads(line)  # every line is one JSON object (the self-check's first rule)
                assert isinstance(e, dict) and "event" in e, line
                self.seen.append(e)
                if e["event"] == event and all(e.get(k) == v for k, v in fields.items()):
                    return e
            # Raw reads: what select() reports is exactly what the adapter has flushed.
            ready, _, _ = select.select([fd], [], [], 0.1)
            if ready:
                chunk = os.read(fd, 65536)
                if not chunk:
                    break
                self._pending += chunk
        pytest.fail(f"no {event} {fields} within {timeout} s; seen: "
                    + "\n".join(json.dumps({k: v for k, v in e.items() if k != "message"})
                                for e in self.seen[-30:]))

    def stop(self):
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait(timeout=5)


@pytest.fixture
def adapter(client_exe, server):
    a = Adapter(client_exe, server)
    yield a
    a.stop()


def test_handshake_and_a_whole_session(adapter, server):
    adapter.send("hello 1")
    h = adapter.expect("hello", timeout=5)
    assert h["adapter_version"] == 1
    assert h["implementation"].startswith("gmp-client ") and len(h["implementation"]) > 11
    assert h["supports"] == SUPPORTS

    # The contract's argument syntax: quoted value with an escaped quote, keepalive, allow, key.
    adapter.send('create c1 as alice closed secure session-name="weekly \\"call\\"" '
                 'keepalive=2,2,3 allow=bob key=text:sesame')
    c1 = adapter.expect("state", membership="c1", to="registered")
    sid = c1["session_id"]
    assert sid > 0 and c1["user_id"] > 0
    adapter.send(f"register p1 session={sid} as bob key=text:sesame")
    p1 = adapter.expect("state", membership="p1", to="registered")
    assert p1["session_id"] == sid and p1["user_id"] not in (0, c1["user_id"])

    for m in ("c1", "p1"):
        adapter.send(f"join {m}")
        k = adapter.expect("key", membership=m, epoch=1)  # from SJRES, reported before the state
        assert len(k["key"]) == 32 and int(k["key"], 16) >= 0
        adapter.expect("state", membership=m, to="joined")
        adapter.send(f"activate {m}")
        adapter.expect("state", membership=m, to="active")

    adapter.send("members p1")
    mem = adapter.expect("members", membership="p1")
    assert sorted((x["user_id"], x["member_type"]) for x in mem["members"]) == sorted(
        [(c1["user_id"], "creator"), (p1["user_id"], "participant")])
    assert mem["member_count"] is None  # closed mode

    # A command it cannot do, and one it does but refuses now.
    adapter.send("teleport p1")
    assert adapter.expect("unsupported")["command"] == "teleport"
    adapter.send("join nobody")
    assert "nobody" in adapter.expect("error", membership="nobody")["why"]

    adapter.send("terminate c1")
    adapter.expect("ended", membership="p1", cause="TRIND")
    adapter.expect("state", membership="p1", to="ended")

    adapter.send("quit")
    assert adapter.proc.wait(timeout=2) is not None  # ends within the tester's 2 s


def test_refusal_is_reported_as_rejected(adapter, server):
    adapter.send("hello 1")
    adapter.expect("hello", timeout=5)
    adapter.send("create c1 as alice closed allow=bob keepalive=2,2,3")
    sid = adapter.expect("state", membership="c1", to="registered")["session_id"]
    adapter.send(f"register x session={sid} as mallory")
    r = adapter.expect("rejected", membership="x")
    assert r["message"] == "SRREJ" and r["reason"] == 2
    adapter.expect("state", membership="x", to="failed")
    adapter.send("delete c1")
    adapter.expect("ended", membership="c1", cause="SDRES")
    adapter.send("quit")
    adapter.proc.wait(timeout=2)
