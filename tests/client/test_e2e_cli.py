"""gmp-client's one-shot subcommands against gmp-server: the report and the documented exit
codes (docs/client.md, "Exit codes"), with a clear message for every refusal."""
import re

import pytest


def created_session(out: str) -> int:
    m = re.search(r"created session (\d+)", out)
    assert m, out
    return int(m.group(1))


def test_create_register_members_delete(run_cli):
    c = run_cli("create", "--as", "alice", "--session-name", "cli", "--keepalive", "1,1,3")
    assert c.returncode == 0, c.stderr
    assert "creator user ID" in c.stdout
    sid = created_session(c.stdout)

    r = run_cli("register", "--session", str(sid), "--as", "bob")
    assert r.returncode == 0, r.stderr
    assert f"registered to session {sid} as user ID" in r.stdout
    # Registration is idempotent (profile 5.3): the same user ID again.
    r2 = run_cli("register", "--session", str(sid), "--as", "bob")
    uid = re.search(r"user ID (\d+)", r.stdout).group(1)
    assert re.search(r"user ID (\d+)", r2.stdout).group(1) == uid

    m = run_cli("members", "--session", str(sid), "--as", "bob")
    assert m.returncode == 0, m.stderr
    assert f"session {sid}:" in m.stdout

    # Only the creator may delete (SDRES REASON 2 -> exit 12), then the creator does.
    d = run_cli("delete", "--session", str(sid), "--as", "bob")
    assert d.returncode == 12, (d.stdout, d.stderr)
    assert "only the session's creator may delete it" in d.stderr
    d = run_cli("delete", "--session", str(sid), "--as", "alice")
    assert d.returncode == 0, d.stderr
    assert f"session {sid} deleted" in d.stdout
    assert d.stderr == "", d.stderr  # a successful delete is not reported as an error
    # Gone: unknown session -> exit 14.
    g = run_cli("register", "--session", str(sid), "--as", "bob")
    assert g.returncode == 14, (g.stdout, g.stderr)
    assert "no session with this ID" in g.stderr


def test_refusals_have_messages_and_exit_codes(run_cli):
    # SCINF refused (KA period 0): SCREJ REASON 5 -> 15.
    bad = run_cli("create", "--as", "alice", "--keepalive", "0,0,1")
    assert bad.returncode == 15, (bad.stdout, bad.stderr)
    assert "SCREJ REASON 5" in bad.stderr and "session description" in bad.stderr
    # Closed mode: a name not allowed -> SRREJ REASON 2 -> 12.
    c = run_cli("create", "--as", "alice", "--closed", "--allow", "bob", "--keepalive", "1,1,3")
    assert c.returncode == 0, c.stderr
    sid = created_session(c.stdout)
    no = run_cli("register", "--session", str(sid), "--as", "mallory")
    assert no.returncode == 12, (no.stdout, no.stderr)
    assert "not authorised" in no.stderr
    ok = run_cli("register", "--session", str(sid), "--as", "bob")
    assert ok.returncode == 0, ok.stderr
    assert "mode closed" in ok.stdout


def test_terminate_as_creator(run_cli):
    c = run_cli("create", "--as", "alice", "--keepalive", "1,1,3")
    sid = created_session(c.stdout)
    t = run_cli("terminate", "--session", str(sid), "--as", "alice")
    assert t.returncode == 0, (t.stdout, t.stderr)
    assert "terminated" in t.stdout
    g = run_cli("register", "--session", str(sid), "--as", "bob")
    assert g.returncode == 14


def test_no_server_is_exit_1(client_exe):
    import subprocess
    import socket
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()  # nothing listens there now
    p = subprocess.run([str(client_exe), "--server", f"127.0.0.1:{port}", "register", "--session", "1",
                        "--as", "bob"], capture_output=True, text=True, timeout=30)
    assert p.returncode == 1, (p.stdout, p.stderr)
    assert "cannot connect" in p.stderr


def test_usage_error_is_exit_2(client_exe):
    import subprocess
    p = subprocess.run([str(client_exe), "register", "--as", "bob"], capture_output=True, text=True,
                       timeout=30)
    assert p.returncode == 2


@pytest.mark.parametrize("args,option", [
    (["register", "--session", "1", "--as", "bob", "--key", "zz"], "--key"),
    (["members", "--session", "1", "--as", "bob", "--key", "hex:" + "00" * 65], "--key"),
    (["register", "--session", "70000", "--as", "bob"], "--session"),
    (["register", "--session", "@m", "--as", "bob"], "--session"),
    (["create", "--as", "alice", "--key", "hex:"], "--key"),
    (["register", "--session", "1", "--as", "bob", "--key", "text:"], "--key"),  # 0 bytes
    (["members", "--session", "1", "--as", "bob", "--key", ""], "--key"),
    (["create", "--as", "alice", "--keepalive", "1"], "--keepalive"),
    (["create", "--as", "alice", "--group", "239.1.1.1"], "--group"),
    (["create", "--as", "alice", "--start-time", "soon"], "--start-time"),
])
def test_bad_one_shot_value_is_usage_exit_2(client_exe, args, option):
    # README, exit codes: a bad value is a usage error (2), named, found before any traffic
    # (nothing listens on the server port given). Exit 3 is for script commands only.
    import subprocess
    import socket
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    p = subprocess.run([str(client_exe), "--server", f"127.0.0.1:{port}", *args],
                       capture_output=True, text=True, timeout=30)
    assert p.returncode == 2, (p.stdout, p.stderr)
    assert option in p.stderr, p.stderr
    assert "cannot connect" not in p.stderr
