"""The HTML report shows the failure first (docs/conformance.md, "Reading the HTML report").

A failing run (gmp-server-faulty --fault uires_unsorted: UIRES member lists out of order) and
a passing one are rendered in headless Chromium; the assertions are on the DOM it built: the
verdict banner, the "what failed" list, and the first failing case's field difference,
visible without opening anything.
"""
import pathlib
import sys

import pytest

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "conformance"))
from conform_helpers import PIXIT, SERVER_ARGS, binary, need, run_conform  # noqa: E402
import headless  # noqa: E402

FAILING = ["GMP/MM/UI/02", "GMP/MM/UI/03"]
PASSING = ["GMP/SM/CRE/01"]


def conform(tmp_path, server, fault, ids):
    args = f"{binary(server)} {SERVER_ARGS}" + (f" --fault {fault}" if fault else "")
    cmd = ["--server-cmd", args, "--pixit", str(PIXIT)]
    for i in ids:
        cmd += ["--select", i]
    rc, report, out = run_conform(cmd, tmp_path)
    assert report is not None, out
    page = tmp_path / "report.html"
    assert page.exists(), out
    return rc, report, page


def test_failing_report_shows_the_failure_first(tmp_path):
    need("gmp-conform", "gmp-server-faulty")
    rc, report, page = conform(tmp_path, "gmp-server-faulty", "uires_unsorted", FAILING + PASSING)
    assert rc == 1
    failed = [c["id"] for c in report["cases"] if c["verdict"] == "fail"]
    assert failed, report["summary"]
    doc = headless.parse(headless.dump_dom(page.as_uri()))

    banner = doc.find(id="verdict")
    assert banner is not None
    text = " ".join(banner.text().split())
    assert "FAIL" in text
    assert f"{len(failed)} fail" in text and "1 pass" in text
    zero = [s.text() for s in banner.find_all("span", class_="zero")]
    assert any(t.startswith("0 ") for t in zero), "a zero count must be grey"

    failures = doc.find(id="failures")
    assert failures is not None
    links = [a.attrs.get("href") for a in failures.find_all("a")]
    assert f"#{failed[0]}" in links
    assert "GMP/SM/CRE/01" not in failures.text()

    # Profile 8: each failure says on the first screen (the banner and the list above every
    # table) what it fails: X.602 itself, or profile decisions only.
    by_id = {c["id"]: c for c in report["cases"]}
    for item in failures.find_all("li"):
        tp = item.find("a").attrs["href"][1:]
        badge = item.find("span", class_="auth")
        assert badge is not None, item.text()
        assert " ".join(badge.text().split()) == by_id[tp]["authority"]["fails"]
    assert by_id["GMP/MM/UI/03"]["authority"]["fails"] == "fails profile decision P6.4 only"
    profile_only = report["summary"]["fails_by_authority"]["profile_only"]
    assert f"{profile_only} fail profile decisions only" in " ".join(doc.find(id="fails-profile").text().split())
    first_table = doc.find("table")
    order = [e for e in doc.iter() if e is failures or e is first_table]
    assert order[0] is failures, "the failures come before any table"

    case = doc.find("details", id=failed[0])
    assert case is not None and "open" in case.attrs
    diff = case.find("ul", class_="diff")
    assert diff is not None, "no field difference in the failing case"
    assert "expected" in diff.text() and "observed" in diff.text()
    assert not diff.hidden_by_closed_details()
    # The difference comes before any quoted message, whose full JSON stays folded.
    order = [e for e in case.iter() if e is diff or (e.tag == "p" and "msg" in e.attrs.get("class", ""))]
    assert order and order[0] is diff
    for pre in case.find_all("pre"):
        if pre.text().lstrip().startswith("{"):
            assert pre.hidden_by_closed_details()

    # The sanitized anchor exists too, and the failed row of the table is highlighted.
    assert doc.find("a", id=failed[0].replace("/", "_")) is not None
    row = [tr for tr in doc.find_all("tr", class_="hl") if tr.find("a", href=f"#{failed[0]}")]
    assert row

    shot = headless.screenshot(page.as_uri(), tmp_path / "report-fail.png")
    assert shot.exists() and shot.stat().st_size > 10_000


def test_passing_report_banner_says_pass(tmp_path):
    need("gmp-conform", "gmp-server")
    rc, report, page = conform(tmp_path, "gmp-server", None, PASSING)
    assert rc == 0
    doc = headless.parse(headless.dump_dom(page.as_uri()))
    text = " ".join(doc.find(id="verdict").text().split())
    assert text.startswith("PASS") and "1 pass" in text and "0 fail" in text
    assert doc.find(id="failures") is None
