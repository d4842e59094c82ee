"""gmp-conform certifies clients (docs/conformance.md "Client suite"): the tester plays the
server and drives the client under test through its adapter (docs/client-adapter.md).

1. The reference client (gmp-client --script -) passes every client purpose.
2. The worked example adapter passes the smoke purposes (creation, registration, join,
   activation, keepalive answers).
3. A broken adapter (garbage, exit at once, no hello, wrong version) stops the campaign with
   exit code 5 and a message saying what it did wrong, within 10 s.
4. An adapter answering `unsupported` makes the purposes needing that command n/a, never pass.
"""
import pathlib
import shlex
import sys
import time

import pytest

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from conform_helpers import ROOT, binary, need, run_conform, unexpected, verdicts  # noqa: E402

EXAMPLE = ROOT / "conformance" / "adapters" / "example" / "adapter.py"
CLIENT_PIXIT = ROOT / "conformance" / "pixit" / "reference-client.yaml"
SMOKE = ["GMP/CLI/CRE/01", "GMP/CLI/CRE/03", "GMP/CLI/CRE/09", "GMP/CLI/REG/01", "GMP/CLI/REG/02",
         "GMP/CLI/JOI/01", "GMP/CLI/ACT/01", "GMP/CLI/ACT/02", "GMP/CLI/KA/01", "GMP/CLI/KA/03"]


def reference_client():
    return (f"{binary('gmp-client')} --server {{sm}} --mm-port {{mm_port}} --uireq-timeout-ms 300 "
            f"--trreq-timeout-ms 300 --script -")


def fake_adapter(tmp_path, body):
    """A Python adapter whose main loop is `body` (stdin lines in `line`)."""
    p = tmp_path / "adapter.py"
    p.write_text("import json, sys\n" + body)
    return f"{sys.executable} {p}"


HELLO = 'print(json.dumps({"event": "hello", "adapter_version": 1, "implementation": "fake", "supports": %s}), flush=True)\n'


def test_reference_client_passes_every_client_purpose(tmp_path):
    need("gmp-conform", "gmp-client")
    rc, report, out = run_conform(["--client-cmd", reference_client(), "--pixit", str(CLIENT_PIXIT)], tmp_path)
    assert report is not None, out
    v = verdicts(report)
    assert len(v) >= 40 and all(i.startswith("GMP/CLI/") for i in v), v
    bad = unexpected(report, ok=("pass",))
    assert not bad, f"{bad}\n\n{out}"
    assert rc == 0, out


def documented_smoke_selection():
    """The --select arguments of the smoke command in docs/client-adapter.md."""
    doc = (ROOT / "docs" / "client-adapter.md").read_text()
    block = doc.split("adapter.py {host} {sm_port} {mm_port}\"", 1)[1].split("```", 1)[0]
    words = shlex.split(block.replace("\\\n", " "))
    return [w for prev, w in zip(words, words[1:]) if prev == "--select"]


def test_example_adapter_passes_the_smoke_purposes(tmp_path):
    """Run with the selection the vendor's walkthrough gives, which must be the smoke set."""
    need("gmp-conform")
    cmd = f"{sys.executable} {EXAMPLE} {{host}} {{sm_port}} {{mm_port}}"
    selection = documented_smoke_selection()
    assert len(selection) == 5, selection
    rc, report, out = run_conform(["--client-cmd", cmd, *sum((["--select", s] for s in selection), [])], tmp_path)
    assert report is not None, out
    assert verdicts(report) == {s: "pass" for s in SMOKE}, out
    assert rc == 0, out


@pytest.mark.parametrize("body, message", [
    ('print("hello there", flush=True)\nsys.stdin.read()\n', "not a JSON object: 'hello there'"),
    ('print(json.dumps({"hello": 1}), flush=True)\nsys.stdin.read()\n', 'without "event"'),
    ("sys.exit(3)\n", "exited with status 3"),
    ("sys.stdin.read()\n", "did not answer 'hello 1'"),
    ('sys.stdin.readline()\nprint(json.dumps({"event": "hello", "adapter_version": 2, "supports": ["create"]}), flush=True)\nsys.stdin.read()\n',
     "adapter_version 2"),
    ('sys.stdin.readline()\nprint(json.dumps({"event": "hello", "adapter_version": 1}), flush=True)\nsys.stdin.read()\n',
     "no 'supports'"),
    ('sys.stdin.readline()\n' + HELLO % '["create"]' + 'sys.stdin.read()\n', "no SCREQ"),
    ('sys.stdin.readline()\n' + HELLO % '["members"]' + 'sys.stdin.read()\n', "neither 'create' nor 'register'"),
])
def test_a_broken_adapter_stops_the_campaign_with_exit_5(tmp_path, body, message):
    need("gmp-conform")
    t0 = time.monotonic()
    rc, report, out = run_conform(["--client-cmd", fake_adapter(tmp_path, body)], tmp_path, timeout=30)
    assert time.monotonic() - t0 < 10, out
    assert rc == 5, out
    assert "self-check failed" in out and message in out, out
    assert report is None


def test_a_client_that_never_registers_fails_the_self_check(tmp_path):
    """It sends SCREQ and SCINF but its adapter never reports `registered`."""
    need("gmp-conform")
    body = ('import socket, struct\n'
            'sys.stdin.readline()\n' + HELLO % '["create"]' +
            'host, port = sys.argv[1], int(sys.argv[2])\n'
            'line = sys.stdin.readline()\n'
            's = socket.create_connection((host, port))\n'
            'sys.path.insert(0, %r)\n'
            'import tinygmp\n'
            'm = tinygmp.sm_bytes("SCREQ", opts=[(1, b"x")])\n'
            's.sendall(struct.pack(">H", len(m)) + m)\n'
            'sys.stdin.read()\n') % str(EXAMPLE.parent)
    cmd = fake_adapter(tmp_path, body) + " {host} {sm_port}"
    rc, _, out = run_conform(["--client-cmd", cmd], tmp_path, timeout=30)
    assert rc == 5, out
    assert "no SCINF" in out, out


def test_unsupported_commands_make_purposes_na_never_pass(tmp_path):
    """The example adapter with `terminate` and `members` removed from what it claims, and an
    adapter that claims `delete` but answers unsupported: n/a for those purposes."""
    need("gmp-conform")
    wrapper = tmp_path / "limited.py"
    wrapper.write_text(
        "import runpy, sys\n"
        f"sys.path.insert(0, {str(EXAMPLE.parent)!r})\n"
        "import adapter\n"
        "adapter.SUPPORTS = [c for c in adapter.SUPPORTS if c not in ('terminate', 'members', 'delete')]\n"
        "adapter.SUPPORTS_CLAIMED = adapter.SUPPORTS + ['delete']\n"
        "emit = adapter.emit\n"
        "def claim(**e):\n"
        "    if e.get('event') == 'hello':\n"
        "        e['supports'] = adapter.SUPPORTS_CLAIMED\n"
        "    emit(**e)\n"
        "adapter.emit = claim\n"
        "adapter.main()\n")
    cmd = f"{sys.executable} {wrapper} {{host}} {{sm_port}} {{mm_port}}"
    rc, report, out = run_conform(["--client-cmd", cmd, "--select", "GMP/CLI/TER/*", "--select", "GMP/CLI/UI/0[23]",
                                   "--select", "GMP/CLI/DEL/01"], tmp_path)
    assert report is not None, out
    v = verdicts(report)
    needing = [f"GMP/CLI/TER/0{n}" for n in range(1, 6)] + ["GMP/CLI/UI/02", "GMP/CLI/UI/03", "GMP/CLI/DEL/01"]
    assert {i: v[i] for i in needing} == {i: "n/a" for i in needing}, v
    reasons = {c["id"]: c.get("reason", "") for c in report["cases"]}
    assert "unsupported" in reasons["GMP/CLI/DEL/01"], reasons
    assert "does not support 'terminate'" in reasons["GMP/CLI/TER/01"], reasons


def test_client_purposes_stay_out_of_the_server_campaign(tmp_path):
    need("gmp-conform")
    p = __import__("subprocess").run([str(binary("gmp-conform")), "--list"], capture_output=True, text=True)
    assert "GMP/CLI/" not in p.stdout
    p = __import__("subprocess").run([str(binary("gmp-conform")), "--list", "--client-cmd", "x"],
                                     capture_output=True, text=True)
    ids = [line.split()[0] for line in p.stdout.splitlines() if line.startswith("GMP/")]
    assert len(ids) >= 40 and all(i.startswith("GMP/CLI/") for i in ids), p.stdout


def test_pixit_client_section_limits_commands_and_is_validated(tmp_path):
    need("gmp-conform", "gmp-client")
    pixit = tmp_path / "p.yaml"
    pixit.write_text("client:\n  uireq_retry_ms: 300\n  trreq_retry_ms: 300\n"
                     "  commands: [create, register, join, activate, leave]\n")
    rc, report, out = run_conform(["--client-cmd", reference_client(), "--pixit", str(pixit),
                                   "--select", "GMP/CLI/TER/01", "--select", "GMP/CLI/KA/12"], tmp_path / "r")
    assert verdicts(report) == {"GMP/CLI/TER/01": "n/a", "GMP/CLI/KA/12": "pass"}, out
    assert rc == 0, out
    pixit.write_text("client:\n  uireq_retry: 300\n")
    rc, _, out = run_conform(["--client-cmd", reference_client(), "--pixit", str(pixit)], tmp_path / "s")
    assert rc == 2 and "unknown client item 'uireq_retry'" in out, out
