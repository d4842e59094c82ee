"""The robustness campaign's HTML report opens on its verdict, seen as a person sees it: rendered
in headless Chromium, the banner says FAIL with the number of findings, and the first finding
(its anomaly and the command line that replays it) comes before any table, so it is on the
first screen. A passing campaign's banner says PASS.

The failing campaign is the client one against gmp-client-faulty --fault abort_on_empty_mm_option
(it aborts on an MM option of length 0), restricted to one purpose to stay short.
"""
import json
import pathlib
import subprocess
import sys

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "conformance"))
from conform_helpers import ROOT, binary, need  # noqa: E402
import headless  # noqa: E402

PIXIT = ROOT / "conformance" / "pixit" / "reference-client.yaml"


def campaign(tmp_path, client, *faults):
    f = "".join(f"--fault {x} " for x in faults)
    cmd = (f"{binary(client)} {f}--server {{sm}} --mm-port {{mm_port}} --uireq-timeout-ms 300 "
           f"--trreq-timeout-ms 300 --script -")
    p = subprocess.run([str(binary("gmp-conform")), "--robustness", "--client-cmd", cmd, "--pixit", str(PIXIT),
                        "--select", "GMP/CLI/KA/01", "--seed", "3", "--report-dir", str(tmp_path)],
                       capture_output=True, text=True, timeout=120)
    return p.returncode, json.loads((tmp_path / "robustness.json").read_text()), p.stdout + p.stderr


def rendered(tmp_path):
    page = tmp_path / "robustness.html"
    root = headless.parse(headless.dump_dom(page.as_uri()))
    headless.screenshot(page.as_uri(), tmp_path / "robustness.png", "1280,800")
    return root


def test_failing_campaign_shows_the_finding_on_the_first_screen(tmp_path):
    need("gmp-conform", "gmp-client-faulty")
    rc, rep, out = campaign(tmp_path, "gmp-client-faulty", "abort_on_empty_mm_option")
    assert rc == 1 and rep["findings"], out
    root = rendered(tmp_path)
    banner = root.find(id="verdict")
    assert banner is not None and "v-fail" in banner.attrs.get("class", ""), banner and banner.attrs
    assert banner.text().startswith(f"FAIL: {len(rep['findings'])} finding"), banner.text()
    assert f"{rep['sent']} anomalies sent" in banner.text()
    order = [e for e in root.iter() if e.tag in ("table", "ol") or e.attrs.get("id") == "verdict"]
    findings = root.find("ol", id="findings")
    assert findings is not None and order.index(findings) < order.index(root.find("table")), "findings after a table"
    first = findings.find("li").text()
    assert rep["findings"][0]["anomaly"] in first and "replay: gmp-conform" in first, first


def test_passing_campaign_banner_says_pass(tmp_path):
    need("gmp-conform", "gmp-client")
    rc, rep, out = campaign(tmp_path, "gmp-client")
    assert rc == 0 and rep["findings"] == [] and rep["sent"] > 0, out
    banner = rendered(tmp_path).find(id="verdict")
    assert banner is not None and "v-pass" in banner.attrs.get("class", "")
    assert banner.text().startswith("PASS"), banner.text()
