"""The worked example of docs/client-adapter.md (conformance/adapters/example) follows the
adapter contract, driven here against the reference server: handshake, states, members, keys,
refusals, unsupported commands and the end of a session."""
import json
import pathlib
import queue
import re
import subprocess
import sys
import threading
import time

import pytest

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from conform_helpers import ROOT, binary, need  # noqa: E402

ADAPTER = ROOT / "conformance" / "adapters" / "example" / "adapter.py"


class Server:
    def __init__(self):
        self.proc = subprocess.Popen([str(binary("gmp-server")), "--listen", "127.0.0.1:0", "--log-level", "off"],
                                     stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        line = self.proc.stdout.readline()
        self.port = int(re.search(r"tcp://127\.0\.0\.1:(\d+)", line).group(1))

    def stop(self):
        self.proc.terminate()
        self.proc.wait(timeout=10)


class Adapter:
    def __init__(self, port):
        self.proc = subprocess.Popen([sys.executable, str(ADAPTER), "127.0.0.1", str(port), str(port)],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, bufsize=1)
        self.events = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.proc.stdout:
            self.events.put(json.loads(line))  # every line must be one JSON object

    def send(self, line):
        self.proc.stdin.write(line + "\n")
        self.proc.stdin.flush()

    def wait(self, deadline_s=5.0, **fields):
        end = time.monotonic() + deadline_s
        seen = []
        while time.monotonic() < end:
            try:
                e = self.events.get(timeout=max(0.01, end - time.monotonic()))
            except queue.Empty:
                break
            seen.append(e)
            if all(e.get(k) == v for k, v in fields.items()):
                return e
        pytest.fail(f"no event {fields}; saw {seen}")

    def close(self):
        self.send("quit")
        assert self.proc.wait(timeout=5) == 0


def greeted(server):
    """An adapter that has answered the handshake (contract: `hello 1` first)."""
    a = Adapter(server.port)
    a.send("hello 1")
    return a, a.wait(event="hello")


@pytest.fixture
def server():
    need("gmp-server")
    s = Server()
    yield s
    s.stop()


def test_handshake_and_unsupported(server):
    a, h = greeted(server)
    assert h["adapter_version"] == 1 and "create" in h["supports"] and h["implementation"]
    a.send("dance c1")
    assert a.wait(event="unsupported")["command"] == "dance"
    a.close()


def test_lifecycle_members_and_termination(server):
    a, _ = greeted(server)
    a.send("create c1 as creator open keepalive=2,1")
    session = a.wait(event="state", to="registered")["session_id"]
    for cmd, state in (("join c1", "joined"), ("activate c1", "active")):
        a.send(cmd)
        a.wait(event="state", membership="c1", to=state)
    a.send(f"register p1 session={session} as bob")
    user = a.wait(event="state", membership="p1", to="registered")["user_id"]
    a.send("join p1")
    a.wait(event="state", membership="p1", to="joined")
    a.send("activate p1")
    a.wait(event="state", membership="p1", to="active")
    a.send("members c1")
    m = a.wait(event="members", membership="c1")
    assert m["member_count"] == 1 and m["members"][0]["member_type"] == "creator"
    a.send("terminate c1")
    assert a.wait(event="ended", membership="p1")["cause"] == "TRIND"
    a.close()
    assert user != 0


def test_secure_key_and_refusal(server):
    a, _ = greeted(server)
    a.send("create c1 as creator closed secure allow=bob keepalive=2,1")
    session = a.wait(event="state", to="registered")["session_id"]
    a.send("join c1")
    assert a.wait(event="key", membership="c1")["epoch"] == 1
    a.send(f"register x session={session} as mallory")
    r = a.wait(event="rejected", membership="x")
    assert r["message"] == "SRREJ" and r["reason"] == 2
    a.close()
