"""Request/response links (tshark -2), response times, session names, the Info column and
the stats_tree (issue: "Conversation tracking", "Statistics", "Info column")."""
import re

import pytest

from scenario import LIFE_LINKS, life_pcap


@pytest.fixture(scope="module")
def life(ts, tmp_path_factory):
    path = str(tmp_path_factory.mktemp("life") / "life.pcap")
    frames = life_pcap(path)
    pdus = ts.decode_pdus(path)
    by_frame = {}
    for p in pdus:
        by_frame.setdefault(p["_frame"], []).append(p)
    assert all(len(v) == 1 for v in by_frame.values())
    return path, frames, {f: v[0] for f, v in by_frame.items()}


def test_every_message_decodes_cleanly(life):
    _, frames, pdus = life
    assert set(frames.values()) <= set(pdus)
    for label, f in frames.items():
        assert pdus[f]["error"] is None, (label, pdus[f]["_errors"])


@pytest.mark.parametrize("req,rsp", LIFE_LINKS)
def test_links(life, req, rsp):
    _, frames, pdus = life
    assert pdus[frames[rsp]].get("_response_to") == frames[req], (req, rsp)
    t = float(pdus[frames[rsp]]["_fields"]["gmp.response_time"][0])
    assert t > 0


def test_request_points_to_first_response(life):
    _, frames, pdus = life
    firsts = {}
    for req, rsp in LIFE_LINKS:
        firsts.setdefault(req, frames[rsp])
    for req, f in firsts.items():
        assert pdus[frames[req]].get("_response_in") == f, req


def test_unanswered_and_unrelated_messages_have_no_links(life):
    _, frames, pdus = life
    linked = {frames[x] for pair in LIFE_LINKS for x in pair}
    for label in ("kdupt",):
        p = pdus[frames[label]]
        assert "_response_in" not in p and "_response_to" not in p
        assert frames[label] not in linked


def test_one_pass_has_no_forward_links(ts, life):
    path, frames, _ = life
    pdus = ts.decode_pdus(path, two_pass=False)
    assert not any("_response_in" in p for p in pdus)
    assert any("_response_to" in p for p in pdus)


def test_session_name_on_later_packets_sm_and_mm(life):
    _, frames, pdus = life
    for label in ("sccon", "sracc_bob", "karex1_b", "uires2", "trind_b", "sdres"):
        assert pdus[frames[label]].get("_session_name") == "Weekly sync", label
    for label in ("screq", "scacc"):
        assert "_session_name" not in pdus[frames[label]], label


def test_info_column(ts, life):
    path, frames, _ = life
    out = ts.run(["-r", ts.stage(path), "-T", "fields", "-e", "frame.number", "-e", "_ws.col.Info",
                  "-Y", "gmp"]).stdout.decode()
    info = dict(line.split("\t", 1) for line in out.splitlines())
    assert info[str(frames["srrej_eve"])] == "SRREJ session=0x3a5c user=0x0000 reason: not authorised"
    assert info[str(frames["screq"])] == 'SCREQ session=0x0000 user=0x0000 name="alice"'
    assert info[str(frames["scinf"])].startswith(
        'SCINF session=0x3a5c user=0x1111 closed secure session-name="Weekly sync"')
    assert info[str(frames["karex1_b"])] == "KAREQ session=0x3a5c user=0x2222 seq=1"
    assert info[str(frames["uires2"])] == "UIRES session=0x3a5c user=0x2222 part 2/2"


def test_stats_tree(ts, life):
    path, frames, _ = life
    out = ts.run(["-r", ts.stage(path), "-q", "-z", "gmp,tree"]).stdout.decode()
    def count(label):
        m = re.search(r"^\s*%s\s+(\d+)" % re.escape(label), out, re.M)
        assert m, (label, out)
        return int(m.group(1))
    assert count("GMP messages") == len(frames)
    assert count("SM SCREQ") == 2
    assert count("MM KAREQ") == 6
    assert count("Session 0x3a5c") == len(frames) - 3   # the two SCREQs and the SCREJ: session 0
    assert count("Session 0x0000") == 3
    assert count("Malformed messages (by error)") == 0


def test_stats_tree_counts_errors(ts, tmp_path):
    from gmpvectors import own_vectors
    from scenario import vectors_pcap
    vectors = own_vectors()
    path = str(tmp_path / "v.pcap")
    vectors_pcap(vectors, path)
    out = ts.run(["-r", ts.stage(path), "-q", "-z", "gmp,tree"]).stdout.decode()
    m = re.search(r"^\s*Malformed messages \(by error\)\s+(\d+)", out, re.M)
    assert int(m.group(1)) == sum(1 for v in vectors if v["error"])
    m = re.search(r"^\s*bad_mode\s+(\d+)", out, re.M)
    assert int(m.group(1)) == sum(1 for v in vectors if v["error"] == "bad_mode")
