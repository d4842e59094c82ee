"""TCP framing and reassembly (profile 1), UDP, Decode As, heuristics, framing errors."""
import pytest

from gmpwire import frame, mm, opt_str, opt_u, sm
from pcapgen import PcapWriter, TcpStream

C, SRV = ("10.0.0.1", 40001), ("10.0.0.2", 16513)


def _msgs(n):
    return [sm("SRREQ", session=0x100 + i, options=opt_str("CLIENT-NAME", "user%d" % i))
            for i in range(n)]


def _session_ids(pdus):
    return [p["session_id"] for p in pdus]


def test_pdu_split_over_segments_byte_by_byte(ts, tmp_path):
    """One SM message in segments of 1 byte (the length prefix itself split too)."""
    m = _msgs(1)[0]
    w = PcapWriter()
    s = TcpStream(w, C, SRV)
    s.handshake()
    frames = s.send(True, frame(m), [1] * (len(m) + 1))
    path = str(tmp_path / "split.pcap")
    w.write(path)
    pdus = ts.decode_pdus(path)
    assert len(pdus) == 1 and pdus[0]["error"] is None
    assert pdus[0]["_frame"] == frames[-1]
    assert pdus[0]["options"][0]["value"] == "user0"


def test_several_pdus_per_segment_and_across(ts, tmp_path):
    """Ten messages in one byte stream cut at odd places: segments hold several PDUs, and
    PDUs straddle segments."""
    msgs = _msgs(10)
    data = b"".join(frame(m) for m in msgs)
    w = PcapWriter()
    s = TcpStream(w, C, SRV)
    s.handshake()
    s.send(True, data, [7, 50, 3, 90, 1, 1, 100])
    path = str(tmp_path / "multi.pcap")
    w.write(path)
    pdus = ts.decode_pdus(path)
    assert _session_ids(pdus) == [0x100 + i for i in range(10)]
    assert all(p["error"] is None for p in pdus)
    assert max(p["_frame"] for p in pdus) == len(w.frames)
    # several PDUs in one frame
    per_frame = {}
    for p in pdus:
        per_frame[p["_frame"]] = per_frame.get(p["_frame"], 0) + 1
    assert max(per_frame.values()) >= 2
    # Info column of a frame with several PDUs lists each of them
    st = ts.stage(path)
    info = ts.run(["-r", st, "-T", "fields", "-e", "_ws.col.Info", "-Y", "gmp"]).stdout.decode()
    assert any(line.count("SRREQ") >= 2 for line in info.splitlines())


def test_without_desegmentation_nothing_is_lost_in_one_segment(ts, tmp_path):
    msgs = _msgs(3)
    w = PcapWriter()
    s = TcpStream(w, C, SRV)
    s.handshake()
    s.send(True, b"".join(frame(m) for m in msgs))
    path = str(tmp_path / "one.pcap")
    w.write(path)
    pdus = ts.decode_pdus(path, extra=["-o", "gmp.desegment:FALSE"])
    assert _session_ids(pdus) == [0x100, 0x101, 0x102]


@pytest.mark.parametrize("length,body,error", [
    (8, b"\x14\x01\x00\x00\x00\x00\x00\x00", "frame_too_short"),
    (0, b"", "frame_too_short"),
    (18, sm("SCREQ", options=b"\x00\x00"), "frame_not_aligned"),
    (4100, sm("SCREQ", options=opt_str("CLIENT-NAME", "a")) + b"\x00" * 4080, "frame_too_large"),
])
def test_framing_errors(ts, tmp_path, length, body, error):
    assert len(body) == length
    w = PcapWriter()
    s = TcpStream(w, C, SRV)
    s.handshake()
    s.send(True, frame(body, length) + frame(_msgs(1)[0]), [1400, 1400, 1400])
    path = str(tmp_path / "framing.pcap")
    w.write(path)
    pdus = ts.decode_pdus(path)
    assert pdus[0]["error"] == error and error in pdus[0]["_experts"]
    assert pdus[0]["_frame_length"] == length
    # the stream goes on: the next message is decoded
    assert pdus[1]["type"] == "SRREQ" and pdus[1]["error"] is None


def test_max_length_preference(ts, tmp_path):
    m = sm("SCREQ", options=opt_str("CLIENT-NAME", "x" * 100))
    w = PcapWriter()
    s = TcpStream(w, C, SRV)
    s.handshake()
    s.send(True, frame(m))
    path = str(tmp_path / "max.pcap")
    w.write(path)
    assert ts.decode_pdus(path)[0]["error"] is None
    assert ts.decode_pdus(path, extra=["-o", "gmp.sm_max_length:64"])[0]["error"] == "frame_too_large"


def _other_ports_pcap(path):
    w = PcapWriter()
    s = TcpStream(w, ("10.0.0.1", 40001), ("10.0.0.2", 20000))
    s.handshake()
    s.send(True, frame(sm("SCREQ", options=opt_str("CLIENT-NAME", "alice"))))
    w.udp(("10.0.0.2", 20001), ("10.0.0.1", 40002),
          mm("KAREQ", session=1, user=2, options=opt_u("KA-SEQ", 3, 4)))
    w.write(path)


def test_other_ports_not_decoded_by_default(ts, tmp_path):
    path = str(tmp_path / "ports.pcap")
    _other_ports_pcap(path)
    assert ts.decode_pdus(path) == []


def test_heuristics_when_enabled(ts, tmp_path):
    path = str(tmp_path / "ports.pcap")
    _other_ports_pcap(path)
    pdus = ts.decode_pdus(path, extra=["--enable-heuristic", "gmp_sm_tcp",
                                       "--enable-heuristic", "gmp_mm_udp"])
    assert [(p["protocol"], p["type"]) for p in pdus] == [("sm", "SCREQ"), ("mm", "KAREQ")]


def test_decode_as_and_port_preferences(ts, tmp_path):
    path = str(tmp_path / "ports.pcap")
    _other_ports_pcap(path)
    pdus = ts.decode_pdus(path, extra=["-d", "tcp.port==20000,gmp", "-d", "udp.port==20001,gmp"])
    assert [(p["protocol"], p["type"]) for p in pdus] == [("sm", "SCREQ"), ("mm", "KAREQ")]
    pdus = ts.decode_pdus(path, extra=["-o", "gmp.tcp.port:20000", "-o", "gmp.udp.port:20001"])
    assert [(p["protocol"], p["type"]) for p in pdus] == [("sm", "SCREQ"), ("mm", "KAREQ")]
