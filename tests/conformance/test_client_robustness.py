"""gmp-conform --robustness --client-cmd: the robustness campaign against a CLIENT.

The tester plays the server; every typed send of the client purposes (SM and MM, the server's
messages) gives its anomalies, sent to the client before or in place of the valid message.

1. Against the reference gmp-client the campaign sends at least 5,000 anomalies with no
   finding, the purposes the adapter cannot play are left out with their reason, and the HTML
   report opens on its verdict.
2. Each robustness fault of gmp-client-faulty (each triggered only by a rare malformation of a
   server message) makes the campaign fail and name the anomaly; the printed replay command
   reproduces the failure alone.
3. Those faults are rare: the normal client suite does not see them.
"""
import json
import pathlib
import subprocess
import sys
import time

import pytest

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from conform_helpers import assert_replays_alone, ROOT, binary, need, run_conform, unexpected  # noqa: E402

PIXIT = ROOT / "conformance" / "pixit" / "reference-client.yaml"

# fault -> (the purpose the campaign plays, the families whose anomaly triggers it)
FAULTS = {
    "abort_on_empty_mm_option": ("GMP/CLI/KA/01", {"option.size"}),
    "kares_stop_after_bad_checksum": ("GMP/CLI/KA/01", {"checksum", "cut"}),
    "kaseq_high_bit_lost_with_unknown": ("GMP/CLI/KA/05", {"option.unknown"}),
}


def client_cmd(name, *faults):
    f = "".join(f"--fault {x} " for x in faults)
    return (f"{binary(name)} {f}--server {{sm}} --mm-port {{mm_port}} --uireq-timeout-ms 300 "
            f"--trreq-timeout-ms 300 --script -")


def robustness(args, report_dir, timeout=150):
    """Runs gmp-conform --robustness; returns (exit code, robustness.json or None, output)."""
    cmd = [str(binary("gmp-conform")), "--report-dir", str(report_dir), "--pixit", str(PIXIT), "--robustness", *args]
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    rep = pathlib.Path(report_dir) / "robustness.json"
    return p.returncode, json.loads(rep.read_text()) if rep.exists() else None, p.stdout + p.stderr


def test_reference_client_survives_thousands_of_anomalies(tmp_path):
    need("gmp-conform", "gmp-client")
    start = time.monotonic()
    rc, rep, out = robustness(["--client-cmd", client_cmd("gmp-client"), "--seed", "5"], tmp_path)
    print(f"robustness campaign against gmp-client: {time.monotonic() - start:.1f} s wall\n{out}")
    assert rep is not None, out
    assert rep["seed"] == 5 and rep["against"].startswith("client gmp-client"), out
    assert rep["findings"] == [], out
    assert rc == 0, out
    assert rep["sent"] >= 5000, out
    assert 0 < rep["largest_run"] <= 200, out  # max_anomalies_per_run
    families = {f.removeprefix("GMP/ROB/GEN/") for f in rep["families"]}
    for f in ("version", "type", "checksum", "flag", "reserved", "id", "mode", "length", "option.truncated",
              "option.size", "option.duplicated", "option.padding", "option.unknown", "option.end", "cut",
              "appended", "framing"):
        assert f in families, f"family {f} never sent\n{out}"
    # Only the server's messages get anomalies: the families of a member's message never come.
    assert "member-type" not in families and "mm-fields" not in families, out
    assert all(v["failures"] == 0 and v["sent"] > 0 for v in rep["families"].values())
    assert all(a.startswith("GMP/CLI/") for a in rep["anomalies"])
    # Purposes the adapter cannot play are left out, each with its reason.
    assert all(": " in s for s in rep["skipped"]), rep["skipped"]
    html = (tmp_path / "robustness.html").read_text()
    banner = html.index('id="verdict"')
    assert banner < html.index("<table") and "<b>PASS</b>" in html[banner:banner + 400], html[:2000]
    assert f"{rep['sent']} anomalies sent" in html and "seed 5" in html


@pytest.mark.parametrize("fault", sorted(FAULTS))
def test_fault_is_caught_named_and_replayable(fault, tmp_path):
    need("gmp-conform", "gmp-client-faulty")
    select, families = FAULTS[fault]
    rc, rep, out = robustness(["--client-cmd", client_cmd("gmp-client-faulty", fault), "--select", select,
                               "--seed", "3"], tmp_path / "run")
    assert rep is not None, out
    assert rc == 1, out
    first = rep["findings"][0]
    assert first["alone"], out
    assert first["family"] in families, out
    assert first["anomaly"].startswith(select + "#"), out
    assert rep["families"]["GMP/ROB/GEN/" + first["family"]]["failures"] >= 1
    assert first["replay"] in out
    if fault.startswith("abort_"):  # a crash leads the reason, not the message missing after it
        assert first["verdict"] == "fail", first
        assert first["reason"].startswith("the client crashed: the client's adapter killed by signal 6 (SIGABRT)"), first
    html = (tmp_path / "run" / "robustness.html").read_text()
    assert "<b>FAIL: " in html and first["anomaly"] in html
    # The printed command line replays that anomaly alone, and it fails again.
    replay = assert_replays_alone(first, tmp_path / "replay")
    assert "--client-cmd" in replay


def test_a_framing_error_ends_the_purpose_when_the_client_closes(tmp_path):
    """Profile 1: the client closes its SM connection on a framing error; replayed alone it passes."""
    need("gmp-conform", "gmp-client")
    anomaly = "GMP/CLI/CRE/03#0:framing/prefix=65535"
    rc, rep, out = robustness(["--client-cmd", client_cmd("gmp-client"), "--anomaly", anomaly], tmp_path)
    assert rc == 0, out
    assert rep["sent"] == 1 and rep["anomalies"] == [anomaly], out


def test_the_normal_suite_does_not_see_these_faults(tmp_path):
    """The faults are rare: only the campaign's malformations trigger them."""
    need("gmp-conform", "gmp-client-faulty")
    rc, report, out = run_conform(["--client-cmd", client_cmd("gmp-client-faulty", *FAULTS), "--pixit", str(PIXIT),
                                   "--no-pcap"], tmp_path, timeout=300)
    assert report is not None, out
    bad = unexpected(report)
    assert not bad, f"{bad}\n\n{out}"
    assert rc == 0, out


def test_purposes_the_adapter_cannot_play_are_left_out_with_the_reason(tmp_path):
    """A command the PIXIT leaves out makes its purposes n/a: no anomalies, a reason each."""
    need("gmp-conform", "gmp-client")
    pixit = tmp_path / "pixit.yaml"
    pixit.write_text(PIXIT.read_text() + "  commands: [create, register, join, activate]\n")
    cmd = [str(binary("gmp-conform")), "--report-dir", str(tmp_path / "run"), "--pixit", str(pixit), "--robustness",
           "--client-cmd", client_cmd("gmp-client"), "--select", "GMP/CLI/UI/0[12]", "--select", "GMP/CLI/KA/01"]
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    rep = json.loads((tmp_path / "run" / "robustness.json").read_text())
    out = p.stdout + p.stderr
    assert p.returncode == 0, out
    skipped = {s.split(": ")[0]: s for s in rep["skipped"]}
    assert set(skipped) == {"GMP/CLI/UI/01", "GMP/CLI/UI/02"}, out
    assert all("does not support 'members'" in s for s in skipped.values()), out
    assert rep["purposes"] == 1 and all(a.startswith("GMP/CLI/KA/01#") for a in rep["anomalies"]), out
