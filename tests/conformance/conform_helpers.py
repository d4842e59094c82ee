"""Shared helpers of the gmp-conform tests: where the binaries are, how to run the tester."""
import json
import os
import pathlib
import subprocess

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
PIXIT = ROOT / "conformance" / "pixit" / "reference.yaml"
SERVER_ARGS = "--listen 127.0.0.1:0 --allow-creator creator --max-sessions 64 --pending-timeout-ms 300 --log-level off"


def build_dir():
    d = os.environ.get("GMP_BUILD_DIR")
    return pathlib.Path(d) if d else ROOT / "build"


def binary(name):
    return build_dir() / "bin" / name


def need(*names):
    for n in names:
        if not binary(n).exists():
            pytest.skip(f"{binary(n)} not built")


def run_conform(args, report_dir, timeout=120):
    """Runs gmp-conform; returns (exit code, parsed report.json or None, stdout)."""
    cmd = [str(binary("gmp-conform")), "--report-dir", str(report_dir), *args]
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    rep = pathlib.Path(report_dir) / "report.json"
    report = json.loads(rep.read_text()) if rep.exists() else None
    return p.returncode, report, p.stdout + p.stderr


def verdicts(report):
    return {c["id"]: c["verdict"] for c in report["cases"]}


def unexpected(report, ok=("pass", "n/a")):
    """The cases whose verdict is not in `ok`, each told in a few lines (verdict, reason,
    where, deviation, details) so that a failing test shows why before any long output."""
    lines = []
    for c in report["cases"]:
        if c["verdict"] in ok:
            continue
        lines.append(f"{c['id']}: {c['verdict']} after {c.get('duration_ms', 0):.0f} ms"
                     f" (tester late by {c.get('tester_lateness_ms', 0):.1f} ms): {c.get('reason', '')}")
        for k in ("where", "deviation"):
            if c.get(k):
                lines.append(f"    {k}: {c[k]}")
        for d in c.get("details", [])[:12]:
            lines.append(f"    {d}")
    return "\n".join(lines)


def assert_replays_alone(finding, report_dir):
    """The robustness finding's printed command line replays its anomaly alone, and it fails
    again with the same anomaly."""
    import shlex
    replay = shlex.split(finding["replay"])
    assert replay[0] == "gmp-conform" and "--anomaly" in replay, replay
    p = subprocess.run([str(binary("gmp-conform")), "--report-dir", str(report_dir), *replay[1:]],
                       capture_output=True, text=True, timeout=60)
    again = json.loads((pathlib.Path(report_dir) / "robustness.json").read_text())
    assert p.returncode == 1, p.stdout + p.stderr
    assert again["sent"] == 1 and again["findings"][0]["anomaly"] == finding["anomaly"], p.stdout
    return replay
