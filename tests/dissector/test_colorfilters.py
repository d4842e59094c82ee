"""The coloring rules shipped beside the plugin (dissector/gmp.colorfilters): each rule is a
valid display filter, the malformed rule marks exactly the malformed messages, and no rule
marks a clean session. (tshark 4.0's --color printed no colour escapes here even for the
default rules, so the colouring itself is checked on the GUI screenshots only.)"""
import os
import re

import pytest

from gmpvectors import own_vectors
from scenario import life_pcap, vectors_pcap

HERE = os.path.dirname(os.path.abspath(__file__))
RULES = os.path.join(HERE, "..", "..", "dissector", "gmp.colorfilters")


def rules():
    out = []
    for line in open(RULES, encoding="utf-8"):
        if line.startswith("@"):
            m = re.match(r"^@([^@]+)@([^@]+)@\[(\d+),(\d+),(\d+)\]\[(\d+),(\d+),(\d+)\]$", line.strip())
            assert m, line
            out.append((m.group(1), m.group(2), tuple(int(x) for x in m.group(3, 4, 5))))
    return out


def test_rules_parse():
    names = [r[0] for r in rules()]
    assert names == ["GMP malformed", "GMP warning"]


@pytest.fixture(scope="module")
def vec(ts, tmp_path_factory):
    vectors = own_vectors()
    path = str(tmp_path_factory.mktemp("cf") / "v.pcap")
    frames = vectors_pcap(vectors, path)
    return path, vectors, frames


def test_malformed_rule_marks_every_error(ts, vec):
    path, vectors, frames = vec
    flt = dict((r[0], r[1]) for r in rules())["GMP malformed"]
    out = ts.run(["-r", ts.stage(path), "-Y", flt, "-T", "fields", "-e", "frame.number"]).stdout.decode()
    marked = {int(x) for x in out.split()}
    bad = {f for v, f in zip(vectors, frames) if v["error"]}
    # an empty MM vector is no GMP PDU over UDP (see docs/dissector.md, Tests)
    assert bad - marked <= {f for v, f in zip(vectors, frames) if not v["hex"]}
    assert marked <= bad


def test_no_rule_marks_a_clean_session(ts, tmp_path):
    path = str(tmp_path / "life.pcap")
    life_pcap(path)
    for name, flt, _ in rules():
        out = ts.run(["-r", ts.stage(path), "-Y", flt]).stdout.decode()
        assert out.strip() == "", name
