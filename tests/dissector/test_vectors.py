"""Every test vector decodes to its expected fields (docs/json-format.md), and every invalid
one raises the expert info of its error name. The vectors: the dissector's own
(gmpvectors.py) and, when present, tests/vectors/vectors.json."""
import os

import pytest

from gmpvectors import SHARED_VECTORS, own_vectors, shared_vectors
from scenario import vectors_pcap

FRAMING = {"frame_too_short", "frame_not_aligned", "frame_too_large"}


def _check(vec, pdu):
    if pdu is None:
        return
    exp_err = vec.get("error")
    if exp_err is None:
        assert pdu["error"] is None, (vec["name"], pdu["_errors"])
        assert pdu["_experts"] == [] or all(
            e in ("reserved_set", "unexpected_option", "member_entry_type", "scinf_unacceptable") for e in pdu["_experts"]), \
            (vec["name"], pdu["_experts"])
    else:
        # An SM message too short / unaligned for its own decoding is, over TCP, a framing
        # error first (profile 1), then the message error.
        if pdu["error"] in FRAMING:
            assert exp_err in pdu["_errors"], (vec["name"], pdu["_errors"])
        else:
            assert pdu["error"] == exp_err, (vec["name"], pdu["_errors"])
        assert exp_err in pdu["_experts"], (vec["name"], pdu["_experts"])
    for key, want in (vec.get("expect") or {}).items():
        assert key in pdu, (vec["name"], key)
        assert pdu[key] == want, (vec["name"], key, pdu[key], want)
    if vec.get("protocol"):
        assert pdu["protocol"] == vec["protocol"]


def _decode_all(ts, vectors, tmp_path):
    """The PDU decoded from each vector's frame. An empty MM vector gives None: UDP hands
    no empty payload to a subdissector, so there is nothing to decode (the vector's error,
    too_short, cannot show)."""
    path = str(tmp_path / "vectors.pcap")
    frames = vectors_pcap(vectors, path)
    by_frame = {}
    for p in ts.decode_pdus(path):
        by_frame.setdefault(p["_frame"], []).append(p)
    pdus = []
    for vec, f in zip(vectors, frames):
        got = by_frame.get(f, [])
        if vec["protocol"] == "mm" and vec["hex"] == "":
            assert got == [], vec["name"]
            pdus.append(None)
            continue
        assert len(got) == 1, (vec["name"], got)
        pdus.append(got[0])
    return pdus


OWN = own_vectors()


def test_own_vectors_cover_every_error_name():
    from tshark_gmp import ERROR_NAMES
    errors = {v["error"] for v in OWN}
    assert set(ERROR_NAMES) - FRAMING <= errors


def test_own_vectors(ts, tmp_path):
    pdus = _decode_all(ts, OWN, tmp_path)
    for vec, pdu in zip(OWN, pdus):
        _check(vec, pdu)


@pytest.mark.skipif(not os.path.exists(SHARED_VECTORS), reason="tests/vectors/vectors.json "
                    "not written yet (another engineer's task)")
def test_shared_vectors(ts, tmp_path):
    vectors = shared_vectors()
    assert vectors, "vectors.json holds no vectors"
    pdus = _decode_all(ts, vectors, tmp_path)
    failures = []
    for vec, pdu in zip(vectors, pdus):
        try:
            _check(vec, pdu)
        except AssertionError as e:
            failures.append("%s: %s" % (vec.get("name"), e))
    assert not failures, "\n".join(failures)


def test_error_filter_and_checksum_status(ts, tmp_path):
    """Errors are filterable: gmp.error, the expert names and the checksum status."""
    path = str(tmp_path / "vectors.pcap")
    vectors_pcap(OWN, path)
    st = ts.stage(path)
    def count(flt):
        out = ts.run(["-r", st, "-Y", flt, "-T", "fields", "-e", "frame.number"]).stdout.decode()
        return len(out.split())
    n_bad_ck = sum(1 for v in OWN if v["error"] == "bad_checksum")
    assert count("gmp.sm.checksum.status == 0") == n_bad_ck
    assert count('gmp.error == "bad_checksum"') == n_bad_ck
    assert count("gmp.expert.bad_checksum") == n_bad_ck
    assert count("gmp.expert.bad_mode") == sum(1 for v in OWN if v["error"] == "bad_mode")
    assert count("_ws.expert.severity == error && gmp") >= sum(1 for v in OWN if v["error"])
