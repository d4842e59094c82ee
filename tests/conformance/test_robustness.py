"""gmp-conform --robustness: the generated purposes GMP/ROB/GEN/<family>.

1. Against the reference gmp-server the campaign sends at least 5,000 anomalies derived from
   the suite's messages with no failure (the wall time is printed, not asserted: the speed
   figure lives in docs/conformance.md and scripts/bench-conform).
2. Each fault of the faulty server that only a rare malformation triggers makes the campaign
   fail and name the anomaly; the printed replay command reproduces the failure alone.
3. The same seed gives the same anomaly list.
4. Those faults are rare: the normal suite does not see them.
"""
import json
import pathlib
import subprocess
import sys
import time

import pytest

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from conform_helpers import assert_replays_alone, PIXIT, SERVER_ARGS, binary, need, run_conform, unexpected  # noqa: E402

# fault -> (the purposes the campaign plays, the families whose anomaly triggers it)
FAULTS = {
    "hang_on_zero_length_option": ("GMP/SM/REG/01", {"option.size"}),
    "corrupt_on_duplicate_keepalive": ("GMP/SM/ACT/01", {"option.duplicated"}),
    "answer_truncated_scinf": ("GMP/SM/CRE/01", {"option.truncated", "cut"}),
    "forget_member_on_mm_3_bytes_over": ("GMP/MM/UI/01", {"length"}),
}


def robustness(args, report_dir, timeout=150):
    """Runs gmp-conform --robustness; returns (exit code, robustness.json or None, output)."""
    cmd = [str(binary("gmp-conform")), "--report-dir", str(report_dir), "--pixit", str(PIXIT), "--robustness", *args]
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    rep = pathlib.Path(report_dir) / "robustness.json"
    return p.returncode, json.loads(rep.read_text()) if rep.exists() else None, p.stdout + p.stderr


def faulty(fault):
    return f"{binary('gmp-server-faulty')} {SERVER_ARGS} --fault {fault}"


def test_reference_server_survives_thousands_of_anomalies(tmp_path):
    need("gmp-conform", "gmp-server")
    start = time.monotonic()
    # Every purpose, GMP/MM/UI/08 (290 members, ~950 discard anomalies) included: its anomalies
    # are split into runs of at most 200, so that the tester keeps the purpose's own windows.
    rc, rep, out = robustness(["--server-cmd", f"{binary('gmp-server')} {SERVER_ARGS}", "--seed", "7"], tmp_path)
    print(f"robustness campaign against gmp-server: {time.monotonic() - start:.1f} s wall\n{out}")
    assert rep is not None, out
    assert rep["seed"] == 7 and "seed 7" in out
    assert rep["findings"] == [], out
    assert rc == 0, out
    assert rep["sent"] >= 5000, out
    families = {f.removeprefix("GMP/ROB/GEN/") for f in rep["families"]}
    for f in ("version", "type", "checksum", "flag", "reserved", "id", "length", "option.truncated", "option.size",
              "option.duplicated", "option.padding", "option.unknown", "cut", "appended", "framing", "member-type"):
        assert f in families, f"family {f} never sent\n{out}"
    assert all(v["failures"] == 0 and v["sent"] > 0 for v in rep["families"].values())
    assert any(a.startswith("GMP/MM/UI/08#") for a in rep["anomalies"]), out
    assert 0 < rep["largest_run"] <= 200, out  # max_anomalies_per_run
    junit = (tmp_path / "robustness-junit.xml").read_text()
    assert "<failure" not in junit and "GMP/ROB/GEN/framing" in junit
    # The HTML report opens on its verdict.
    html = (tmp_path / "robustness.html").read_text()
    banner = html.index('id="verdict"')
    assert banner < html.index("<table") and "<b>PASS</b>" in html[banner:banner + 400], html[:2000]


@pytest.mark.parametrize("fault", sorted(FAULTS))
def test_fault_is_caught_named_and_replayable(fault, tmp_path):
    need("gmp-conform", "gmp-server-faulty")
    select, families = FAULTS[fault]
    rc, rep, out = robustness(["--server-cmd", faulty(fault), "--select", select, "--seed", "3"], tmp_path / "run")
    assert rep is not None, out
    assert rc == 1, out
    first = rep["findings"][0]
    assert first["alone"], out
    assert first["family"] in families, out
    assert first["anomaly"].startswith(select + "#"), out
    assert rep["families"]["GMP/ROB/GEN/" + first["family"]]["failures"] >= 1
    assert first["replay"] in out
    # The printed command line replays that anomaly alone, and it fails again.
    assert_replays_alone(first, tmp_path / "replay")


def test_a_passing_anomaly_replays_alone_and_passes(tmp_path):
    need("gmp-conform", "gmp-server")
    rc, rep, out = robustness(["--server-cmd", f"{binary('gmp-server')} {SERVER_ARGS}",
                               "--anomaly", "GMP/SM/CRE/01#1:option.duplicated/9#2"], tmp_path)
    assert rc == 0, out
    assert rep["sent"] == 1 and rep["anomalies"] == ["GMP/SM/CRE/01#1:option.duplicated/9#2"], out


def test_runs_are_split_by_size(tmp_path):
    """--max-per-run bounds the anomalies that ride along in one case run: more, smaller runs,
    the same anomalies."""
    need("gmp-conform", "gmp-server")
    server = ["--server-cmd", f"{binary('gmp-server')} {SERVER_ARGS}", "--select", "GMP/SM/REG/01", "--seed", "11"]
    rc, default, out = robustness(server, tmp_path / "default")
    assert rc == 0 and default["largest_run"] > 6, out
    rc, small, out = robustness([*server, "--max-per-run", "6"], tmp_path / "small")
    assert rc == 0, out
    assert small["largest_run"] <= 6 and small["runs"] > default["runs"], out
    assert sorted(small["anomalies"]) == sorted(default["anomalies"]) and small["sent"] == default["sent"], out


def test_same_seed_same_anomalies(tmp_path):
    need("gmp-conform", "gmp-server")
    server = ["--server-cmd", f"{binary('gmp-server')} {SERVER_ARGS}", "--select", "GMP/SM/REG/*"]
    lists = []
    for run in ("a", "b"):
        rc, rep, out = robustness([*server, "--seed", "11"], tmp_path / run)
        assert rc == 0, out
        lists.append(rep["anomalies"])
    assert lists[0] == lists[1] and len(lists[0]) > 100


def test_the_normal_suite_does_not_see_these_faults(tmp_path):
    """The faults are rare: only the campaign's malformations trigger them."""
    need("gmp-conform", "gmp-server-faulty")
    server = f"{binary('gmp-server-faulty')} {SERVER_ARGS} " + " ".join(f"--fault {f}" for f in FAULTS)
    rc, report, out = run_conform(["--server-cmd", server, "--pixit", str(PIXIT)], tmp_path)
    assert report is not None, out
    bad = unexpected(report)
    assert not bad, f"{bad}\n\n{out}"
    assert rc == 0, out
