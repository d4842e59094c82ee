"""The announcement page of gmp-server --http (clause 7.1.2, profile 5.2), read in headless
Chromium: how to join (SM address and port), the session ID in hex and decimal, the session's
strings from the wire (escaped), and the member ladder counted correctly."""
import json
import os
import pathlib
import subprocess
import sys
import time
import urllib.request

import pytest

TESTS = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(TESTS / "report"))
sys.path.insert(0, str(TESTS / "client"))
import headless  # noqa: E402
from conftest import Server  # noqa: E402  (starts gmp-server, reads its ports, stops it)

ROOT = pathlib.Path(__file__).resolve().parents[2]


def exe(name):
    d = os.environ.get("GMP_BUILD_DIR")
    p = (pathlib.Path(d) if d else ROOT / "build") / "bin" / name
    if not p.exists():
        pytest.skip(f"{p} not built")
    return p


SCRIPT = """
create c1 as alice session-name="weekly <call>" owner-info="Alice & Co" media-info=audio/opus app-info=confer start-time=1767225600 keepalive=2,2,3
wait-for c1 state=registered
join c1
wait-for c1 state=joined
activate c1
register p1 session=@c1 as bob
wait-for p1 state=registered
join p1
wait-for p1 state=joined
activate p1
wait-for c1 state=active
wait-for p1 state=active
register p2 session=@c1 as carol
sleep 20000
"""


@pytest.fixture
def live_session():
    server = Server(exe("gmp-server"), "--http", "127.0.0.1:0")
    ports = {"sm": server.sm_port, "mm": server.mm_port}
    client = subprocess.Popen([str(exe("gmp-client")), *server.client_args(), "--script", "-"],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        client.stdin.write(SCRIPT)
        client.stdin.close()
        url = server.http_url
        deadline, sessions = time.monotonic() + 15, []
        while time.monotonic() < deadline:
            with urllib.request.urlopen(url + "/sessions", timeout=5) as r:
                sessions = json.load(r)["sessions"]
            if sessions and sessions[0]["active"] == 2 and sessions[0]["registered"] == 3:
                break
            time.sleep(0.2)
        assert sessions and sessions[0]["active"] == 2, sessions
        yield url, ports, sessions[0]
    finally:
        if client.poll() is None:
            client.terminate()
            try:
                client.wait(timeout=5)
            except subprocess.TimeoutExpired:
                client.kill()
                client.wait(timeout=5)
        server.stop()


def test_announcement_page_tells_how_to_join(live_session):
    url, ports, session = live_session
    doc = headless.parse(headless.dump_dom(url + "/"))
    join = " ".join(doc.find(id="join").text().split())
    assert f"127.0.0.1:{ports['sm']}" in join
    assert f"127.0.0.1:{ports['mm']}" in join

    sid = session["session_id"]
    row = doc.find("tr", id=f"session-{sid}")
    assert row is not None
    text = " ".join(row.text().split())
    assert f"0x{sid:04x} ({sid})" in text
    assert "weekly <call>" in text            # escaped on the wire, shown as typed
    assert doc.find("call") is None           # ... and never markup
    assert "Alice & Co" in text and "audio/opus" in text and "confer" in text
    assert "2026-01-01 00:00:00 UTC" in text
    assert "3 registered (of which 2 joined, 2 active)" in text
    link = row.find("a", href=f"/sessions/{sid}")
    assert link is not None
    with urllib.request.urlopen(url + f"/sessions/{sid}", timeout=5) as r:
        assert json.load(r)["owner"] == "Alice & Co"
