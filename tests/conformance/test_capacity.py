"""gmp-conform --capacity: a figure for the reference server and a much lower one for a server
that needs 2 ms per MM datagram (gmp-server-faulty --fault slow_mm), judged from the wire."""
import json
import pathlib
import subprocess
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from conform_helpers import binary, need  # noqa: E402

SETTINGS = "capacity:\n  start: 100\n  target: 4000\n  seconds_per_step: 3\n"


def capacity(server_cmd, tmp_path):
    pixit = tmp_path / "capacity.yaml"
    pixit.write_text(SETTINGS)
    p = subprocess.run([str(binary("gmp-conform")), "--capacity", "--pixit", str(pixit), "--server-cmd", server_cmd,
                        "--report-dir", str(tmp_path / "r")], capture_output=True, text=True, timeout=180)
    report = json.loads((tmp_path / "r" / "capacity.json").read_text())
    return p.returncode, report, p.stdout + p.stderr


def test_reference_server_holds_the_target(tmp_path):
    need("gmp-conform", "gmp-server")
    rc, report, out = capacity(f"{binary('gmp-server')} --listen 127.0.0.1:0 --log-level off", tmp_path)
    assert rc == 0, out
    assert report["largest_members_held"] == 4000, out
    assert [s["members"] for s in report["steps"]] == [100, 200, 500, 1000, 2000, 4000]
    assert all(s["held"] for s in report["steps"])
    assert report["loopback_datagrams_per_s"] > 0 and report["kares_per_s"] > 0
    assert "largest N held: 4000 members" in out


def test_slow_server_gets_a_much_lower_figure(tmp_path):
    need("gmp-conform", "gmp-server-faulty")
    cmd = f"{binary('gmp-server-faulty')} --fault slow_mm --listen 127.0.0.1:0 --log-level off"
    rc, report, out = capacity(cmd, tmp_path)
    assert rc == 1, out
    assert report["largest_members_held"] <= 500, out
    failed = report["steps"][-1]
    assert not failed["held"] and failed["error"], out


def test_bad_capacity_settings_are_a_usage_error(tmp_path):
    need("gmp-conform")
    pixit = tmp_path / "bad.yaml"
    pixit.write_text("capacity:\n  target: 0\n")
    p = subprocess.run([str(binary("gmp-conform")), "--capacity", "--pixit", str(pixit), "--target", "127.0.0.1:9"],
                       capture_output=True, text=True, timeout=30)
    assert p.returncode == 2
    assert "capacity.target" in p.stderr
