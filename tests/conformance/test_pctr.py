"""The PCTR (--pctr, --verify-pctr; docs/conformance.md "Reports"): written from a real campaign,
it names the implementation (PIXIT `implementation:`), the tester's version and commit, the
SHA-256 of every scenario file and of the PIXIT, every verdict with its authority; a fresh
report verifies, any one-byte edit does not."""
import hashlib
import json
import pathlib
import subprocess
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from conform_helpers import PIXIT, ROOT, SERVER_ARGS, binary, need, run_conform  # noqa: E402


def verify(path):
    return subprocess.run([str(binary("gmp-conform")), "--verify-pctr", str(path)], capture_output=True,
                          text=True, timeout=30)


def test_pctr_is_written_complete_and_verifies(tmp_path):
    need("gmp-conform", "gmp-server")
    rc, report, out = run_conform(["--server-cmd", f"{binary('gmp-server')} {SERVER_ARGS}", "--pixit", str(PIXIT),
                                   "--select", "GMP/SM/CRE/0[12]", "--select", "GMP/SEC/SCR/01", "--pctr"],
                                  tmp_path)
    assert rc == 0, out
    j = json.loads((tmp_path / "pctr.json").read_text())
    assert j["implementation"]["name"].startswith("gmp-server")
    assert j["tester"]["commit"] and j["tester"]["version"]
    assert "--pctr" in j["command_line"]
    files = {f["path"]: f for f in j["files"]}
    scen = ROOT / "conformance" / "scenarios" / "fig04-creation.yaml"
    assert files["scenarios/fig04-creation.yaml"]["sha256"] == hashlib.sha256(scen.read_bytes()).hexdigest()
    assert files["scenarios/lib/macros.yaml"]["role"] == "scenario"
    assert files[str(PIXIT)]["sha256"] == hashlib.sha256(PIXIT.read_bytes()).hexdigest()
    cases = {c["id"]: c for c in j["cases"]}
    assert cases["GMP/SM/CRE/01"]["verdict"] == "pass"
    assert cases["GMP/SEC/SCR/01"]["verdict"] == "n/a"
    assert {c["authority"] for c in j["cases"]} <= {a["authority"]["name"] for a in report["cases"]}
    for name in ("pctr.json", "pctr.html"):
        p = verify(tmp_path / name)
        assert p.returncode == 0 and "intact" in p.stdout, p.stdout + p.stderr


def test_one_byte_edit_fails_verification(tmp_path):
    need("gmp-conform", "gmp-server")
    rc, _, out = run_conform(["--server-cmd", f"{binary('gmp-server')} {SERVER_ARGS}", "--pixit", str(PIXIT),
                              "--select", "GMP/SM/CRE/01", "--pctr", str(tmp_path / "cert")], tmp_path / "r")
    assert rc == 0, out
    for name in ("pctr.json", "pctr.html"):
        data = bytearray((tmp_path / "cert" / name).read_bytes())
        at = data.index(b"pass")  # the verdict: one byte of it, "pass" -> "Pass"
        data[at] = ord("P")
        edited = tmp_path / f"edited-{name}"
        edited.write_bytes(bytes(data))
        p = verify(edited)
        assert p.returncode == 1, p.stdout + p.stderr
        assert "NOT intact" in p.stderr
    p = verify(tmp_path / "r" / "report.json")  # not a PCTR at all
    assert p.returncode != 0
