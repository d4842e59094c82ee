"""The announcement page of gmp-server --http (clause 7.1.2, profile 5.2), read in headless
Chromium: how to join (SM address and port), the session ID in hex and decimal, the session's
strings from the wire (escaped), and the member ladder counted correctly."""
import json
import os
import pathlib
import select
import subprocess
import sys
import time
import urllib.request

import pytest

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "report"))
import headless  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parents[2]
STARTUP_TIMEOUT_S = 10


def exe(name):
    d = os.environ.get("GMP_BUILD_DIR")
    p = (pathlib.Path(d) if d else ROOT / "build") / "bin" / name
    if not p.exists():
        pytest.skip(f"{p} not built")
    return p


def start_server():
    proc = subprocess.Popen([str(exe("gmp-server")), "--listen", "127.0.0.1:0", "--http", "127.0.0.1:0"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline, line = time.monotonic() + STARTUP_TIMEOUT_S, ""
    while time.monotonic() < deadline and proc.poll() is None:
        if select.select([proc.stdout], [], [], 0.2)[0]:
            line = proc.stdout.readline()
            if line.startswith("listening"):
                break
    if not line.startswith("listening"):
        stop(proc)
        raise RuntimeError(f"gmp-server did not start: {line!r}")
    fields = dict(part.split("=", 1) for part in line.split()[1:])
    return proc, {k: v.rsplit(":", 1)[1] for k, v in fields.items()}


def stop(proc):
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=5)


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
    server, ports = start_server()
    client = subprocess.Popen([str(exe("gmp-client")), "--server", f"127.0.0.1:{ports['sm']}", "--mm-port",
                               ports["mm"], "--script", "-"],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        client.stdin.write(SCRIPT)
        client.stdin.close()
        url = f"http://127.0.0.1:{ports['http']}"
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
        stop(client)
        stop(server)


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
