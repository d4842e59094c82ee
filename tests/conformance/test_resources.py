"""Resources are PIXIT, never a false fail (docs/conformance.md, "Resources are PIXIT").

The reference server with a member limit of 256 (gmp-server --max-members 256):
- declared in the PIXIT (max_members: 256): GMP/MM/UI/03, which needs 302 members in one
  session, is n/a with that reason, and GMP/SM/REG/16 (the member limit -> SRREJ 1) passes;
- not declared: GMP/MM/UI/03 meets SRREJ 1 while it brings its members in (its set-up) and is
  inconc with that reason, not fail; GMP/SM/REG/16 is n/a (nothing to check it against).
"""
import pathlib
import shutil
import sys
import xml.etree.ElementTree as ET

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from conform_helpers import PIXIT, ROOT, SERVER_ARGS, binary, need, run_conform, verdicts  # noqa: E402

LIMIT = 256
SELECT = ["GMP/MM/UI/03", "GMP/SM/REG/16", "GMP/SM/REG/01"]


def conform(tmp_path, pixit):
    cmd = ["--server-cmd", f"{binary('gmp-server')} {SERVER_ARGS} --max-members {LIMIT}", "--pixit", str(pixit)]
    for s in SELECT:
        cmd += ["--select", s]
    return run_conform(cmd, tmp_path, timeout=180)


def pixit_with_limit(tmp_path):
    text = PIXIT.read_text().replace("pixit:\n", f"pixit:\n  max_members: {LIMIT}\n", 1)
    assert f"max_members: {LIMIT}" in text
    p = tmp_path / "limit.yaml"
    p.write_text(text)
    return p


def case(report, tp):
    return next(c for c in report["cases"] if c["id"] == tp)


def test_declared_member_limit_makes_bigger_purposes_na_and_the_limit_purpose_passes(tmp_path):
    need("gmp-conform", "gmp-server")
    rc, report, out = conform(tmp_path / "r", pixit_with_limit(tmp_path))
    assert report is not None, out
    v = verdicts(report)
    assert v == {"GMP/MM/UI/03": "n/a", "GMP/SM/REG/16": "pass", "GMP/SM/REG/01": "pass"}, out
    assert rc == 0, out
    ui = case(report, "GMP/MM/UI/03")
    assert ui["reason"] == f"needs 302 members in one session; the PIXIT max_members gives {LIMIT}"
    assert ui["needs"]["members"] == 302
    junit = ET.parse(tmp_path / "r" / "junit.xml").getroot()
    skipped = [tc.find("skipped") for tc in junit.iter("testcase") if tc.get("name").startswith("GMP/MM/UI/03")]
    assert skipped and "max_members" in skipped[0].get("message")


def test_undeclared_member_limit_is_inconc_during_set_up_not_fail(tmp_path):
    need("gmp-conform", "gmp-server")
    rc, report, out = conform(tmp_path / "r", PIXIT)
    assert report is not None, out
    v = verdicts(report)
    assert v == {"GMP/MM/UI/03": "inconc", "GMP/SM/REG/16": "n/a", "GMP/SM/REG/01": "pass"}, out
    assert rc == 4, out  # inconc only
    ui = case(report, "GMP/MM/UI/03")
    assert ui["reason"].startswith("resources: SRREJ REASON 1 to crowd during set-up"), ui["reason"]
    assert any(d.startswith("fail before this:") for d in ui["details"]), ui["details"]
    assert case(report, "GMP/SM/REG/16")["reason"] == "the PIXIT does not declare max_members"


def test_member_limit_purpose_fails_a_server_without_the_limit_it_declares(tmp_path):
    """The check is real: a PIXIT declaring a limit the server does not enforce (256 declared,
    the server's limit is 300) fails GMP/SM/REG/16 at its SRREJ step."""
    need("gmp-conform", "gmp-server")
    cmd = ["--server-cmd", f"{binary('gmp-server')} {SERVER_ARGS} --max-members 300", "--pixit",
           str(pixit_with_limit(tmp_path)), "--select", "GMP/SM/REG/16"]
    rc, report, out = run_conform(cmd, tmp_path / "r", timeout=180)
    assert rc == 1, out
    c = case(report, "GMP/SM/REG/16")
    assert c["verdict"] == "fail" and "SRREJ" in c["reason"], c["reason"]


def test_reason_1_after_set_up_stays_a_fail(tmp_path):
    """The set-up is the purpose's `setup:`: the same refusal (SRREJ 1, member limit 2: the
    creator and A) is inconc while B registers in the set-up, and fail when B registers in
    the purpose's own steps."""
    need("gmp-conform", "gmp-server")
    d = tmp_path / "scenarios"
    shutil.copytree(ROOT / "conformance" / "scenarios" / "lib", d / "lib")
    head = '    clauses: ["7.1.3"]\n    requirement: r\n    lifelines: [creator, A, B]\n'
    setup = "    setup:\n      - create: {mode: open, secure: false}\n"
    (d / "f.yaml").write_text(
        "purposes:\n"
        "  - id: GMP/SM/REG/01\n" + head + setup + "      - register_open: A\n      - register_open: B\n"
        "    steps:\n      - nothing: {at: creator, during: 10}\n"
        "  - id: GMP/SM/REG/02\n" + head + setup +
        "    steps:\n      - nothing: {at: creator, during: 10}\n"
        "      - call: register_open\n        with: {who: A}\n"
        "      - call: register_open\n        with: {who: B}\n")
    rc, report, out = run_conform(["--server-cmd", f"{binary('gmp-server')} {SERVER_ARGS} --max-members 2",
                                   "--scenarios", str(d)], tmp_path / "r")
    assert report is not None, out
    v = verdicts(report)
    assert v == {"GMP/SM/REG/01": "inconc", "GMP/SM/REG/02": "fail"}, out
    assert case(report, "GMP/SM/REG/01")["reason"].startswith("resources: SRREJ REASON 1 to B during set-up")
    assert rc == 1
