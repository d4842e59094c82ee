"""gmp-conform's command line, exit codes and report formats (docs/conformance.md), against
the reference server and against tiny scripted fakes (fake_servers.py)."""
import pathlib
import struct
import subprocess
import sys
import xml.etree.ElementTree as ET

import pytest

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from conform_helpers import PIXIT, ROOT, SERVER_ARGS, binary, need, run_conform, verdicts  # noqa: E402

FAKE = pathlib.Path(__file__).resolve().parent / "fake_servers.py"


def fake_cmd(mode):
    return f"/usr/bin/python3 {FAKE} {mode}"


def test_validate_and_list():
    need("gmp-conform")
    p = subprocess.run([str(binary("gmp-conform")), "--validate"], capture_output=True, text=True, timeout=30)
    assert p.returncode == 0 and "valid" in p.stdout
    p = subprocess.run([str(binary("gmp-conform")), "--list", "--select", "GMP/ROB/*"], capture_output=True,
                       text=True, timeout=30)
    assert p.returncode == 0
    assert "GMP/ROB/CKS/01" in p.stdout and "GMP/SM/CRE/01" not in p.stdout


def test_invalid_scenario_is_reported_with_file_and_line(tmp_path):
    need("gmp-conform")
    d = tmp_path / "scenarios"
    d.mkdir()
    (d / "broken.yaml").write_text("purposes:\n  - id: GMP/SM/CRE/01\n    clauses: x\n    requirement: r\n"
                                   "    lifelines: [creator]\n    steps:\n      - sned: {}\n")
    p = subprocess.run([str(binary("gmp-conform")), "--scenarios", str(d), "--validate"], capture_output=True,
                       text=True, timeout=30)
    assert p.returncode == 2
    assert "broken.yaml:7:" in p.stderr and "sned" in p.stderr


def test_bad_pixit_is_a_usage_error(tmp_path):
    need("gmp-conform")
    bad = tmp_path / "p.yaml"
    bad.write_text("pics:\n  telepathy: true\n")
    p = subprocess.run([str(binary("gmp-conform")), "--pixit", str(bad), "--target", "127.0.0.1:9"],
                       capture_output=True, text=True, timeout=30)
    assert p.returncode == 2 and "p.yaml:2:" in p.stderr


def test_zero_executed_cases_is_an_error_not_a_pass(tmp_path):
    need("gmp-conform", "gmp-server")
    # secure mode is supported, so the only selected purpose is n/a: nothing is executed
    rc, report, out = run_conform(["--server-cmd", f"{binary('gmp-server')} {SERVER_ARGS}", "--pixit", str(PIXIT),
                                   "--select", "GMP/SEC/SCR/01"], tmp_path)
    assert rc == 3, out
    assert verdicts(report) == {"GMP/SEC/SCR/01": "n/a"}
    rc, _, out = run_conform(["--target", "127.0.0.1:9", "--select", "NO/SUCH/*"], tmp_path / "b")
    assert rc == 3, out


def test_unreachable_target(tmp_path):
    need("gmp-conform")
    rc, _, out = run_conform(["--target", "127.0.0.1:1"], tmp_path)
    assert rc == 5, out


def test_silent_fake_server_fails_with_expected_and_observed(tmp_path):
    need("gmp-conform")
    rc, report, out = run_conform(["--server-cmd", fake_cmd("silent"), "--select", "GMP/SM/CRE/0[1-3]"], tmp_path)
    assert rc == 1, out
    v = verdicts(report)
    assert v["GMP/SM/CRE/01"] == "fail" and v["GMP/SM/CRE/02"] == "fail"
    case = next(c for c in report["cases"] if c["id"] == "GMP/SM/CRE/01")
    assert "no SCACC" in case["reason"]
    assert any(d.startswith("expected: SCACC") for d in case["details"])
    assert any("observed: nothing" in d for d in case["details"])


def test_server_emitting_invalid_messages_fails(tmp_path):
    need("gmp-conform")
    rc, report, out = run_conform(["--server-cmd", fake_cmd("garbage"), "--select", "GMP/SM/CRE/01"], tmp_path)
    assert rc == 1, out
    case = report["cases"][0]
    assert case["verdict"] == "fail"
    assert any("bad_checksum" in d for d in case["details"]), case


def test_time_scale_stretches_every_window(tmp_path):
    """SCACC comes 1.5 s late: a fail at scale 1; at scale 3 the SCACC step passes (the fake
    never sends SCCON, so the case then fails there)."""
    need("gmp-conform")
    rc, report, out = run_conform(["--server-cmd", fake_cmd("slowpoke"), "--select", "GMP/SM/CRE/01"], tmp_path)
    assert rc == 1 and "no SCACC" in report["cases"][0]["reason"], out
    rc, report, out = run_conform(["--server-cmd", fake_cmd("slowpoke"), "--select", "GMP/SM/CRE/01",
                                   "--time-scale", "3"], tmp_path / "scaled")
    assert "no SCCON" in report["cases"][0]["reason"], out


def test_timing_failure_while_the_tester_was_late_is_inconc(tmp_path):
    """PIXIT timing.late_ms below zero counts any wake-up delay as tester lateness, which is
    how a loaded host looks: the timing failure becomes inconc (exit 4, JUnit <error>)."""
    need("gmp-conform")
    pixit = tmp_path / "late.yaml"
    pixit.write_text("timing:\n  late_ms: -1\n")
    rc, report, out = run_conform(["--server-cmd", fake_cmd("silent"), "--select", "GMP/SM/CRE/01",
                                   "--pixit", str(pixit)], tmp_path / "r")
    assert rc == 4, out
    case = report["cases"][0]
    assert case["verdict"] == "inconc" and "tester was late" in case["reason"]
    # Played again twice, alone, before it is left inconc; each earlier play is told.
    assert case["attempts"] == 3, case
    assert [d.split(":")[0] for d in case["details"] if "set aside" in d] == ["play 1 set aside", "play 2 set aside"]
    junit = ET.parse(tmp_path / "r" / "junit.xml").getroot()
    err = next(junit.iter("testcase")).find("error")
    assert err is not None and err.get("type") == "inconc"
    rc, report, out = run_conform(["--server-cmd", fake_cmd("silent"), "--select", "GMP/SM/CRE/01",
                                   "--pixit", str(pixit), "--late-replays", "0"], tmp_path / "once")
    assert rc == 4 and report["cases"][0]["attempts"] == 1, out


def test_deviation_keeps_the_fail_visible_but_exit_zero(tmp_path):
    need("gmp-conform", "gmp-server-faulty")
    dev = tmp_path / "dev.yaml"
    dev.write_text('"GMP/SM/REG/05": "IDs are sequential in this build (ticket 1)"\n')
    rc, report, out = run_conform(["--server-cmd", f"{binary('gmp-server-faulty')} {SERVER_ARGS} --fault sequential_ids",
                                   "--pixit", str(PIXIT), "--select", "GMP/SM/REG/0[45]", "--deviations", str(dev)],
                                  tmp_path / "r")
    assert rc == 0, out
    case = next(c for c in report["cases"] if c["id"] == "GMP/SM/REG/05")
    assert case["verdict"] == "fail" and "ticket 1" in case["deviation"]
    junit = ET.parse(tmp_path / "r" / "junit.xml").getroot()
    failures = [tc for tc in junit.iter("testcase") if tc.find("failure") is not None]
    assert len(failures) == 1 and "deviation" in failures[0].find("failure").get("message")


def test_reports_junit_html_pcap_coverage(tmp_path):
    need("gmp-conform", "gmp-server")
    rc, report, out = run_conform(["--server-cmd", f"{binary('gmp-server')} {SERVER_ARGS}", "--pixit", str(PIXIT),
                                   "--select", "GMP/SM/CRE/0[1-3]", "--select", "GMP/SEC/SCR/01"], tmp_path)
    assert rc == 0, out
    junit = ET.parse(tmp_path / "junit.xml").getroot()
    cases = {tc.get("name").split()[0]: tc for tc in junit.iter("testcase")}
    assert cases["GMP/SEC/SCR/01"].find("skipped").get("message").startswith("n/a")  # not a pass
    assert cases["GMP/SM/CRE/01"].find("skipped") is None and cases["GMP/SM/CRE/01"].find("failure") is None
    html = (tmp_path / "report.html").read_text()
    assert "<svg" in html and "SCACC" in html and "Coverage matrix" in html
    assert "the session is now on the session list" in html  # requirement text
    pcap = (tmp_path / "pcaps" / "GMP_SM_CRE_01.pcap").read_bytes()
    assert struct.unpack("<I", pcap[:4])[0] == 0xA1B2C3D4 and len(pcap) > 24 + 5 * 16
    assert not (tmp_path / "pcaps" / "GMP_SEC_SCR_01.pcap").exists()
    cov = report["coverage"]
    assert cov["uncovered"] == [], cov["uncovered"]
    row = next(r for r in cov["clauses"] if r["clause"] == "7.1.1")
    assert "GMP/SM/CRE/01" in row["test_purposes"]


@pytest.mark.parametrize("script", ["regen-captures", "bench-conform"])
def test_scripts_are_executable(script):
    assert (ROOT / "scripts" / script).stat().st_mode & 0o111


def test_authority_keeps_x602_and_profile_fails_apart(tmp_path):
    """Profile 8: a purpose resting on the recommendation alone fails X.602; one resting on a
    profile decision fails that decision only. Two purposes, both failed by the silent fake
    (no SCACC), one citing 7.1.1 only, one citing P5.1 too."""
    need("gmp-conform")
    d = tmp_path / "scenarios"
    d.mkdir()
    body = ("    requirement: r\n    lifelines: [creator]\n    steps:\n"
            "      - send: {from: creator, type: SCREQ}\n      - expect: {at: creator, type: SCACC, within: 200}\n")
    (d / "fig04.yaml").write_text("figure: 4\npurposes:\n"
                                  '  - id: GMP/SM/CRE/01\n    clauses: ["7.1.1"]\n' + body +
                                  '  - id: GMP/SM/CRE/02\n    clauses: ["7.1.1", "P5.1"]\n' + body)
    rc, report, out = run_conform(["--server-cmd", fake_cmd("silent"), "--scenarios", str(d)], tmp_path / "r")
    assert rc == 1, out
    cases = {c["id"]: c for c in report["cases"]}
    assert cases["GMP/SM/CRE/01"]["authority"]["fails"] == "fails X.602"
    assert cases["GMP/SM/CRE/02"]["authority"]["fails"] == "fails profile decision P5.1 only"
    assert cases["GMP/SM/CRE/02"]["authority"]["name"] == "profile P5.1"
    fails = report["summary"]["fails_by_authority"]
    assert fails == {"x602": 1, "profile_only": 1, "profile_sections": {"P5.1": 1}}
    assert "fails profile decision P5.1 only" in out and "fails X.602" in out
    assert "fails X.602: 1; fails profile decisions only: 1 (P5.1 1)" in out
    junit = ET.parse(tmp_path / "r" / "junit.xml").getroot()
    msgs = {tc.get("name").split()[0]: tc.find("failure").get("message") for tc in junit.iter("testcase")}
    assert msgs["GMP/SM/CRE/01"].startswith("fails X.602: ")
    assert msgs["GMP/SM/CRE/02"].startswith("fails profile decision P5.1 only: ")
    html = (tmp_path / "r" / "report.html").read_text()
    assert '<span class="auth profile">fails profile decision P5.1 only</span>' in html


def test_inconsistent_authority_is_a_load_error(tmp_path):
    need("gmp-conform")
    d = tmp_path / "scenarios"
    d.mkdir()
    (d / "f.yaml").write_text('purposes:\n  - id: GMP/SM/CRE/01\n    clauses: ["7.1.1"]\n    authority: [P6.3]\n'
                              "    requirement: r\n    lifelines: [creator]\n    steps:\n      - wait: 1\n")
    p = subprocess.run([str(binary("gmp-conform")), "--scenarios", str(d), "--validate"], capture_output=True,
                       text=True, timeout=30)
    assert p.returncode == 2
    assert "f.yaml:4:" in p.stderr and "authority P6.3 is not among the purpose's clauses" in p.stderr
