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


INFO = {
    "screq": 'SCREQ session=0x0000 user=0x0000 name="alice"',
    "scinf": 'SCINF session=0x3a5c user=0x1111 closed secure session-name="Weekly sync" '
             'ka-period=1.0s ka-timeout=0.5s miss-limit=1',
    "screj": 'SCREJ session=0x0000 user=0x0000 reason="not authorised"',
    "srrej_eve": 'SRREJ session=0x3a5c user=0x0000 reason="not authorised"',
    "sdres": 'SDRES session=0x3a5c user=0x2222 reason="not authorised"',
    "sjres_c": "SJRES session=0x3a5c user=0x1111 epoch=1",
    "sareq_b": "SAREQ session=0x3a5c user=0x2222 mm-port=42001",
    "karex1_b": "KAREQ session=0x3a5c user=0x2222 seq=1",
    "uires1": "UIRES session=0x3a5c user=0x2222 part=1/2",
    "uires2": "UIRES session=0x3a5c user=0x2222 part=2/2",
    "kdupt": "KDUPT session=0x3a5c user=0x1111 epoch=2",
    "trind_b": "TRIND session=0x3a5c user=0x2222 ss=1",
}


@pytest.fixture(scope="module")
def info_col(ts, life):
    path, frames, _ = life
    out = ts.run(["-r", ts.stage(path), "-T", "fields", "-e", "frame.number", "-e", "_ws.col.Info",
                  "-Y", "gmp"]).stdout.decode()
    return dict(line.split("\t", 1) for line in out.splitlines())


@pytest.mark.parametrize("label", sorted(INFO))
def test_info_column(life, info_col, label):
    _, frames, _ = life
    assert info_col[str(frames[label])] == INFO[label]


def test_keepalive_option_in_seconds(ts, life):
    path, frames, pdus = life
    out = ts.run(["-r", ts.stage(path), "-V", "-Y", "frame.number == %d" % frames["scinf"]]).stdout.decode()
    assert "KA period: 10 (1.0 s)" in out and "KA timeout: 5 (0.5 s)" in out, out


# Table 2 then Table 4 (profile 2, 3): the order of "By type", whatever the counts.
TYPE_ORDER = ["SM " + t for t in ("SCREQ SCACC SCREJ SDREQ SDRES SCINF SCCON SRREQ SRRES SRACC "
                                  "SRREJ SJREQ SJRES SAREQ").split()] + \
             ["MM " + t for t in "KAREQ KARES UIREQ UIRES LVREQ TRREQ TRIND KDUPT".split()]
RSP_ROWS = ["SCREQ -> SCACC/SCREJ", "SDREQ -> SDRES", "SCINF -> SCCON/SCREJ",
            "SRREQ -> SRRES/SRACC/SRREJ", "SJREQ -> SJRES", "SAREQ -> first KAREQ",
            "KAREQ -> KARES", "UIREQ -> UIRES", "TRREQ -> TRIND"]


@pytest.fixture(scope="module")
def stats_out(ts, life):
    path, _, _ = life
    return ts.run(["-r", ts.stage(path), "-q", "-z", "gmp,tree"]).stdout.decode()


def stats_row(out, label, columns=1):
    """The first `columns` numbers of a stats tree row (count, average, min, max...)."""
    m = re.search(r"^\s*%s%s" % (re.escape(label), r"\s+([\d.]+)" * columns), out, re.M)
    assert m, (label, out)
    return tuple(float(x) for x in m.groups())


def test_stats_tree(life, stats_out):
    _, frames, _ = life
    out = stats_out
    def count(label):
        return int(stats_row(out, label)[0])
    assert count("GMP messages") == len(frames)
    assert count("SM SCREQ") == 2
    assert count("MM KAREQ") == 6
    assert count("MM LVREQ") == 0
    assert count("Session 0x3a5c") == len(frames) - 3   # the two SCREQs and the SCREJ: session 0
    assert count("Session 0x0000") == 3
    assert count("Malformed messages (by error)") == 0
    # protocol order, not by count nor alphabetical
    rows = [l.strip().split("  ")[0] for l in out.splitlines()]
    assert [r for r in rows if r in TYPE_ORDER] == TYPE_ORDER
    assert [r for r in rows if r in RSP_ROWS] == RSP_ROWS


def test_stats_tree_response_times(stats_out):
    def row(label):
        return stats_row(stats_out, label, 4)
    # life_pcap() puts 1 ms between frames: the first answer of each request
    assert row("SCREQ -> SCACC/SCREJ") == (2, 1.0, 1.0, 1.0)
    assert row("SRREQ -> SRRES/SRACC/SRREJ")[0] == 2        # SRRES, not also SRACC
    assert row("SAREQ -> first KAREQ") == (2, 1.0, 1.0, 1.0)
    assert row("UIREQ -> UIRES")[0] == 1                    # the first of two parts
    assert row("KAREQ -> KARES")[0] == 6
    n, avg, lo, hi = row("Response time (ms, to the first answer)")
    assert n == 18 and lo == 1.0 and hi == 3.0


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
