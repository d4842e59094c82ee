"""The project's captures (captures/, written by the reference implementations) decode
without a dissector bug, each with GMP in it. (The field-by-field comparison with
gmp-decode is the lead's codec cross-check, built on tshark_gmp.Tshark.decode_pdus.)"""
import glob
import os

import pytest

from tshark_gmp import REPO

CAPTURES = sorted(glob.glob(os.path.join(REPO, "captures", "*.pcap")) +
                  glob.glob(os.path.join(REPO, "captures", "*.pcapng")))


@pytest.mark.skipif(not CAPTURES, reason="captures/ is empty")
@pytest.mark.parametrize("path", CAPTURES, ids=[os.path.basename(p) for p in CAPTURES])
def test_capture_decodes(ts, path):
    p = ts.run(["-r", ts.stage(path), "-2", "-V"], env={"WIRESHARK_ABORT_ON_DISSECTOR_BUG": "1"},
               check=False, timeout=300)
    text = (p.stdout + p.stderr).decode(errors="replace")
    assert p.returncode == 0, text[-2000:]
    assert "Dissector bug" not in text
    assert ts.decode_pdus(path), "no GMP message in %s" % path
