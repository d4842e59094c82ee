"""A verdict's authority (profile 8) is what the failure rests on.

A purpose's own authority comes from its clauses (GMP/SM/EXA/01 rests on X.602 alone,
GMP/SM/REG/06 on profile 5.3). When a standing check fails the case, the failure rests on the
profile section of that check, not on what the purpose tests: an SRACC without M in a closed
session breaks profile 2 in both purposes, and every report says "fails profile decision P2
only", with the summary counting it there.
"""
import pathlib
import sys
import xml.etree.ElementTree as ET

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from conform_helpers import PIXIT, SERVER_ARGS, binary, need, run_conform, verdicts  # noqa: E402

SELECT = ["GMP/SM/EXA/01", "GMP/SM/REG/06"]


def conform(tmp_path, server):
    cmd = ["--server-cmd", f"{server} {SERVER_ARGS}", "--pixit", str(PIXIT)]
    for s in SELECT:
        cmd += ["--select", s]
    return run_conform(cmd, tmp_path)


def test_a_standing_check_failure_rests_on_its_profile_section(tmp_path):
    need("gmp-conform", "gmp-server-faulty")
    rc, report, out = conform(tmp_path, f"{binary('gmp-server-faulty')} --fault sracc_no_m")
    assert report is not None, out
    assert verdicts(report) == {tp: "fail" for tp in SELECT}, out
    for c in report["cases"]:
        assert c["authority"]["name"] == "profile P2", c
        assert c["authority"]["standing_check"] is True, c
        assert c["authority"]["fails"] == "fails profile decision P2 only", c
    assert report["summary"]["fails_by_authority"]["x602"] == 0, report["summary"]
    assert "fails X.602: 0; fails profile decisions only: 2 (P2 2)" in out, out
    junit = ET.parse(tmp_path / "junit.xml").getroot()
    messages = [f.get("message") for f in junit.iter("failure")]
    assert len(messages) == 2 and all(m.startswith("fails profile decision P2 only") for m in messages), messages


def test_a_purpose_failure_keeps_the_purpose_authority(tmp_path):
    need("gmp-conform", "gmp-server-faulty")
    rc, report, out = conform(tmp_path, f"{binary('gmp-server-faulty')} --fault no_srres")
    assert report is not None, out
    cases = {c["id"]: c for c in report["cases"]}
    assert cases["GMP/SM/EXA/01"]["verdict"] == "fail", out
    assert cases["GMP/SM/EXA/01"]["authority"]["name"] == "X.602"
    assert cases["GMP/SM/EXA/01"]["authority"]["standing_check"] is False
    assert cases["GMP/SM/REG/06"]["authority"]["name"].startswith("profile P5.3")
