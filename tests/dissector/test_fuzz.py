"""Bounded fuzzing: `editcap -E 0.02` corrupted copies of GMP captures, decoded with
WIRESHARK_ABORT_ON_DISSECTOR_BUG=1: no crash, no dissector bug. 30 seeded iterations."""
import os
import subprocess

import pytest

from gmpvectors import own_vectors
from scenario import life_pcap, vectors_pcap

ITERATIONS = 30


@pytest.fixture(scope="module")
def bases(tmp_path_factory):
    d = tmp_path_factory.mktemp("fuzz")
    life = str(d / "life.pcap")
    life_pcap(life)
    vec = str(d / "vectors.pcap")
    vectors_pcap(own_vectors(), vec)
    return d, [life, vec]


@pytest.mark.parametrize("seed", range(1, ITERATIONS + 1))
def test_fuzz(ts, bases, seed):
    d, inputs = bases
    src = inputs[seed % len(inputs)]
    out = str(d / ("fuzz-%d.pcap" % seed))
    subprocess.run(["editcap", "-E", "0.02", "--seed", str(seed), src, out], check=True,
                   stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert os.path.getsize(out) > 0
    p = ts.run(["-r", ts.stage(out), "-2", "-V", "-z", "gmp,tree",
                "--enable-heuristic", "gmp_sm_tcp", "--enable-heuristic", "gmp_mm_udp"],
               env={"WIRESHARK_ABORT_ON_DISSECTOR_BUG": "1"}, check=False, timeout=120)
    text = (p.stdout + p.stderr).decode(errors="replace")
    assert p.returncode == 0, "seed %d: tshark exited %d\n%s" % (seed, p.returncode, text[-2000:])
    assert "Dissector bug" not in text and "dissector bug" not in text, "seed %d" % seed
    assert "Group Management Protocol" in text   # GMP was actually exercised
