"""gmp-decode end to end: captures written here (decode_minipcap, not the C++ writer), the
profile appendix examples checked field by field, the test vectors, --hex and exit codes."""
import json
import pathlib
import subprocess
import sys

import pytest

sys.path.insert(0, str(pathlib.Path(__file__).parent))
import decode_minipcap as mp  # noqa: E402
from gmpwire import mm, opt, opt_str, sm  # noqa: E402  (tests/, put on the path by decode_minipcap)

ROOT = pathlib.Path(__file__).resolve().parents[2]
VECTORS = ROOT / "tests" / "vectors" / "vectors.json"
SERVER = ("127.0.0.1", 16513)
CLIENT = ("127.0.0.2", 40001)
MEMBER = ("127.0.0.2", 40000)
T0 = 1_767_225_600_000_000  # 2026-01-01T00:00:00Z in microseconds

# Profile appendix: SCREQ secure, CLIENT-NAME "alice"; KAREQ closed session 0x3a5c.
SCREQ = bytes.fromhex("1401bb29 00000000 00000000 00000000 0105616c 69636500")
KAREQ = bytes.fromhex("1188138c 3a5cc0de efff0a14 0a050000 13040000 00070000")
SCREQ_FIELDS = {
    "protocol": "sm", "version": 1, "type": "SCREQ", "type_code": 1,
    "flags": {"q": False, "s": True, "m": False, "i": False},
    "checksum": 0xBB29, "checksum_status": "good",
    "session_id": 0, "user_id": 0, "key_length": 0, "reserved": 0,
    "group_port": 0, "group_address": "0.0.0.0",
    "options": [{"type": "CLIENT-NAME", "code": 1, "length": 5, "value": "alice"}],
    "error": None}
KAREQ_FIELDS = {
    "protocol": "mm", "version": 1, "type": "KAREQ", "type_code": 1,
    "mode": "closed", "mode_code": 2, "member_type": "participant", "member_type_code": 1,
    "flags": {"r": False, "ss": False, "ui": False},
    "group_port": 5004, "session_id": 0x3A5C, "user_id": 0xC0DE,
    "group_address": "239.255.10.20", "ka_period": 10, "ka_timeout": 5,
    "key_length": 0, "reserved": 0,
    "options": [{"type": "KA-SEQ", "code": 19, "length": 4, "value": 7}],
    "error": None}


def run(exe, *args, stdin=None):
    return subprocess.run([str(exe), *map(str, args)], input=stdin, capture_output=True,
                          timeout=60, check=False)


def decode_lines(exe, path, *args):
    r = run(exe, *args, path)
    assert r.returncode == 0, r.stderr.decode()
    return [json.loads(line) for line in r.stdout.decode().splitlines()]


def where(obj):
    """The capture fields, with time as whole microseconds."""
    return (obj["frame"], round(obj["time"] * 1e6), obj["src"], obj["dst"], obj["transport"])


def message_fields(obj):
    return {k: v for k, v in obj.items() if k not in ("frame", "time", "src", "dst", "transport")}


def ep(e):
    return f"{e[0]}:{e[1]}"


@pytest.fixture
def capture_file(tmp_path):
    def save(cap, ng=False):
        p = tmp_path / ("c.pcapng" if ng else "c.pcap")
        p.write_bytes(cap.pcapng() if ng else cap.pcap())
        return p
    return save


def appendix_capture():
    """SCREQ split over two TCP segments, then the KAREQ over UDP."""
    cap = mp.Capture()
    cap.tcp_open(T0, CLIENT, SERVER)                            # frames 1-3
    data = mp.framed(SCREQ)
    cap.tcp_data(T0 + 10, CLIENT, SERVER, data[:7])              # 4
    cap.tcp_data(T0 + 250_000, CLIENT, SERVER, data[7:])         # 5 completes the SCREQ
    cap.udp(T0 + 1_500_123, SERVER, MEMBER, KAREQ)               # 6
    return cap


@pytest.mark.parametrize("ng", [False, True], ids=["pcap", "pcapng"])
def test_appendix_examples_every_field(gmp_decode, capture_file, ng):
    out = decode_lines(gmp_decode, capture_file(appendix_capture(), ng))
    assert len(out) == 2
    assert list(out[0])[:5] == ["frame", "time", "src", "dst", "transport"]
    assert where(out[0]) == (5, T0 + 250_000, ep(CLIENT), ep(SERVER), "tcp")
    assert message_fields(out[0]) == SCREQ_FIELDS
    # Keys in docs/json-format.md order (SCREQ_FIELDS / KAREQ_FIELDS are written in it).
    assert list(message_fields(out[0])) == list(SCREQ_FIELDS)
    assert list(out[0]["flags"]) == ["q", "s", "m", "i"]
    assert list(message_fields(out[1])) == list(KAREQ_FIELDS)
    assert list(out[1]["flags"]) == ["r", "ss", "ui"]
    assert where(out[1]) == (6, T0 + 1_500_123, ep(SERVER), ep(MEMBER), "udp")
    assert message_fields(out[1]) == KAREQ_FIELDS


def test_several_messages_in_one_segment_and_out_of_order(gmp_decode, capture_file):
    cap = mp.Capture()
    cap.tcp_open(T0, CLIENT, SERVER)                              # 1-3, client data from 1001
    two = mp.framed(SCREQ) + mp.framed(SCREQ)                     # 52 bytes
    cap.tcp_data(T0 + 1, CLIENT, SERVER, two[30:], seq=1001 + 30)  # 4: arrives first
    cap.tcp_data(T0 + 2, CLIENT, SERVER, two[:30], seq=1001)       # 5: fills the gap
    cap.tcp_data(T0 + 3, CLIENT, SERVER, two[:30], seq=1001)       # 6: retransmission
    out = decode_lines(gmp_decode, capture_file(cap))
    assert [where(o)[0] for o in out] == [5, 5]
    assert all(message_fields(o) == SCREQ_FIELDS for o in out)


def test_bad_checksum_is_reported_not_fatal(gmp_decode, capture_file):
    bad = bytearray(SCREQ)
    bad[20] ^= 0x20  # "alice" -> "alIce": the checksum no longer verifies
    cap = mp.Capture()
    cap.tcp_open(T0, CLIENT, SERVER)
    cap.tcp_data(T0 + 1, CLIENT, SERVER, mp.framed(bytes(bad)))
    path = capture_file(cap)
    (o,) = decode_lines(gmp_decode, path)
    assert o["type"] == "SCREQ"
    assert o["checksum"] == 0xBB29
    assert o["checksum_status"] == "bad"
    assert o["error"] == "bad_checksum"
    assert o["error_offset"] == 2
    assert o["options"] == [{"type": "CLIENT-NAME", "code": 1, "length": 5, "value": "alIce"}]
    strict = run(gmp_decode, "--strict", path)
    assert strict.returncode == 1
    assert json.loads(strict.stdout)["error"] == "bad_checksum"


def test_framing_error_stops_the_direction(gmp_decode, capture_file):
    cap = mp.Capture()
    cap.tcp_open(T0, CLIENT, SERVER)
    cap.tcp_data(T0 + 1, CLIENT, SERVER, b"\x00\x0c" + bytes(12) + mp.framed(SCREQ))  # 4
    cap.tcp_data(T0 + 2, SERVER, CLIENT, mp.framed(SCREQ))  # 5: the other direction is fine
    out = decode_lines(gmp_decode, capture_file(cap))
    assert out[0] == {"frame": 4, "time": out[0]["time"], "src": ep(CLIENT), "dst": ep(SERVER),
                      "transport": "tcp", "protocol": "sm", "error": "frame_too_short"}
    assert len(out) == 2 and where(out[1])[0] == 5 and out[1]["src"] == ep(SERVER)


def test_max_message_option(gmp_decode, capture_file):
    cap = mp.Capture()
    cap.tcp_open(T0, CLIENT, SERVER)
    cap.tcp_data(T0 + 1, CLIENT, SERVER, mp.framed(SCREQ))
    path = capture_file(cap)
    (o,) = decode_lines(gmp_decode, path, "--max-message", "20")
    assert o["error"] == "frame_too_large"
    (o,) = decode_lines(gmp_decode, path, "--max-message", "24")
    assert o["error"] is None


def test_port_option(gmp_decode, capture_file):
    cap = mp.Capture()
    cap.udp(T0, ("127.0.0.1", 7000), MEMBER, KAREQ)
    cap.udp(T0 + 1, SERVER, MEMBER, KAREQ)
    path = capture_file(cap)
    assert [o["frame"] for o in decode_lines(gmp_decode, path)] == [2]
    assert [o["frame"] for o in decode_lines(gmp_decode, path, "--port", "7000")] == [1]


def test_summary_on_stderr(gmp_decode, capture_file):
    r = run(gmp_decode, "--summary", capture_file(appendix_capture()))
    assert r.returncode == 0
    assert len(r.stdout.decode().splitlines()) == 2
    s = json.loads(r.stderr)["summary"]
    assert s["messages"] == 2 and s["with_error"] == 0 and s["frames"] == 6
    assert s["sm"] == {"SCREQ": 1} and s["mm"] == {"KAREQ": 1} and s["errors"] == {}


def test_pretty_output_is_the_same_object(gmp_decode, capture_file):
    path = capture_file(appendix_capture())
    r = run(gmp_decode, "--pretty", path)
    assert r.returncode == 0
    objs, dec, text = [], json.JSONDecoder(), r.stdout.decode().strip()
    while text:
        o, end = dec.raw_decode(text)
        objs.append(o)
        text = text[end:].strip()
    assert objs == decode_lines(gmp_decode, path)


def test_hex_mode(gmp_decode):
    r = run(gmp_decode, "--hex", "--sm", stdin=b"14 01 bb 29 00000000\n00000000 00000000 "
                                                b"0105616C 69636500\n")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout) == SCREQ_FIELDS
    r = run(gmp_decode, "--hex", "--mm", stdin=KAREQ.hex().encode())
    assert r.returncode == 0
    assert json.loads(r.stdout) == KAREQ_FIELDS
    r = run(gmp_decode, "--hex", "--mm", stdin=b"1188")
    assert r.returncode == 0 and json.loads(r.stdout)["error"] == "too_short"
    r = run(gmp_decode, "--hex", "--mm", "--strict", stdin=b"1188")
    assert r.returncode == 1


@pytest.mark.parametrize("args,stdin", [
    ([], None),                                   # neither a file nor --hex
    (["--hex"], b"00"),                           # --hex without --sm/--mm
    (["--hex", "--sm", "--mm"], b"00"),           # both
    (["--sm", "x.pcap"], None),                   # --sm without --hex
    (["--hex", "--sm"], b"14 01 zz"),             # not hex
    (["--hex", "--sm"], b"140"),                  # odd digit count
    (["/nonexistent/capture.pcap"], None),        # unreadable file
    (["--port", "0", "x.pcap"], None),            # port out of range
    (["--bogus"], None),
], ids=["no-args", "hex-no-kind", "sm-and-mm", "sm-no-hex", "bad-hex", "odd-hex", "no-file",
        "port-0", "unknown-option"])
def test_usage_errors_exit_2(gmp_decode, args, stdin):
    r = run(gmp_decode, *args, stdin=stdin)
    assert r.returncode == 2, (r.stdout, r.stderr)
    assert r.stdout == b""
    assert r.stderr


def test_not_a_capture_exits_2(gmp_decode, tmp_path):
    p = tmp_path / "junk.pcap"
    p.write_bytes(b"definitely not a capture file")
    r = run(gmp_decode, p)
    assert r.returncode == 2 and b"gmp-decode:" in r.stderr


def test_truncated_capture_prints_what_it_read_then_exits_2(gmp_decode, tmp_path):
    data = appendix_capture().pcap()
    p = tmp_path / "cut.pcap"
    p.write_bytes(data[:-10])  # the last record (the KAREQ datagram) is cut short
    r = run(gmp_decode, p)
    assert r.returncode == 2
    (o,) = [json.loads(line) for line in r.stdout.decode().splitlines()]
    assert o["type"] == "SCREQ"
    assert b"after frame 5" in r.stderr


def test_help_documents_every_option(gmp_decode):
    r = run(gmp_decode, "--help")
    assert r.returncode == 0
    for word in ("--port", "--hex", "--sm", "--mm", "--pretty", "--summary", "--strict",
                 "--max-message", "Exit status"):
        assert word.encode() in r.stdout, word


# ---- tests/vectors/vectors.json -------------------------------------------------------

def load_vectors():
    if not VECTORS.is_file():
        return []
    return json.loads(VECTORS.read_text())


def subset_matches(got, vector):
    for k, v in vector.get("expect", {}).items():
        assert got.get(k) == v, f"{vector['name']}: {k}: {got.get(k)!r} != {v!r}"
    assert got.get("error") == vector.get("error"), vector["name"]


def framable(b):
    return len(b) >= 16 and len(b) % 4 == 0


def test_vectors_exist():
    assert load_vectors(), f"{VECTORS} is missing or empty"


@pytest.mark.parametrize("vector", load_vectors(), ids=lambda v: v["name"])
def test_vector_hex(gmp_decode, vector):
    r = run(gmp_decode, "--hex", "--" + vector["protocol"], stdin=vector["hex"].encode())
    assert r.returncode == 0, r.stderr
    subset_matches(json.loads(r.stdout), vector)


def test_vectors_in_one_capture(gmp_decode, capture_file):
    """Every framable SM vector on one connection (in both directions), MM as datagrams."""
    vectors = [v for v in load_vectors()
               if v["protocol"] == "mm" or framable(bytes.fromhex(v["hex"]))]
    cap = mp.Capture()
    cap.tcp_open(T0, CLIENT, SERVER)
    expected = []
    for i, v in enumerate(vectors):
        b = bytes.fromhex(v["hex"])
        t = T0 + 1000 * (i + 1)
        if v["protocol"] == "sm":
            src, dst = (CLIENT, SERVER) if i % 2 else (SERVER, CLIENT)
            n = cap.tcp_data(t, src, dst, mp.framed(b))
            expected.append((v, (n, t, ep(src), ep(dst), "tcp")))
        else:
            n = cap.udp(t, MEMBER, SERVER, b)
            expected.append((v, (n, t, ep(MEMBER), ep(SERVER), "udp")))
    out = decode_lines(gmp_decode, capture_file(cap))
    assert len(out) == len(expected)
    for got, (v, loc) in zip(out, expected):
        assert where(got) == loc, v["name"]
        subset_matches(got, v)


def test_pcapgen_round_trip(gmp_decode, gmp_pcapgen, tmp_path):
    """gmp-pcapgen's capture decodes to the vectors, in the documented order."""
    vectors = load_vectors()
    out_pcap = tmp_path / "v.pcap"
    r = run(gmp_pcapgen, VECTORS, out_pcap)
    assert r.returncode == 0, r.stderr
    out = decode_lines(gmp_decode, out_pcap)
    inline = [v for v in vectors if v["protocol"] == "mm" or framable(bytes.fromhex(v["hex"]))]
    alone = [v for v in vectors if v not in inline]
    assert len(out) == len(vectors)
    for got, v in zip(out, inline):
        assert got["transport"] == ("tcp" if v["protocol"] == "sm" else "udp")
        subset_matches(got, v)
    for got, v in zip(out[len(inline):], alone):
        n = len(bytes.fromhex(v["hex"]))
        assert got["error"] == ("frame_too_short" if n < 16 else "frame_not_aligned"), v["name"]


def test_sample_capture_is_current(gmp_pcapgen, tmp_path):
    sample = ROOT / "captures" / "sample-vectors.pcap"
    assert sample.is_file(), "captures/sample-vectors.pcap missing: run scripts/make-sample-capture"
    fresh = tmp_path / "fresh.pcap"
    assert run(gmp_pcapgen, VECTORS, fresh).returncode == 0
    assert fresh.read_bytes() == sample.read_bytes(), \
        "captures/sample-vectors.pcap is stale: run scripts/make-sample-capture"


def test_sample_capture_is_clean_for_wireshark():
    """The C++ writer's TCP is consistent: no analysis warning, every checksum good."""
    import shutil
    tshark = shutil.which("tshark")
    if tshark is None:
        pytest.skip("tshark not installed")
    sample = ROOT / "captures" / "sample-vectors.pcap"
    r = subprocess.run(
        [tshark, "-n", "-r", str(sample), "-o", "ip.check_checksum:TRUE",
         "-o", "tcp.check_checksum:TRUE", "-o", "udp.check_checksum:TRUE",
         "-T", "fields", "-e", "frame.number", "-e", "tcp.analysis.flags",
         "-e", "ip.checksum.status", "-e", "tcp.checksum.status", "-e", "udp.checksum.status"],
        capture_output=True, timeout=120, check=False)
    assert r.returncode == 0, r.stderr
    rows = [line.split("\t") for line in r.stdout.decode().splitlines()]
    assert len(rows) > 100
    for frame, analysis, ip_ok, tcp_ok, udp_ok in rows:
        assert analysis == "", f"frame {frame}: TCP analysis flags set"
        assert ip_ok == "1", f"frame {frame}: IPv4 checksum status {ip_ok}"
        assert (tcp_ok or udp_ok) == "1", f"frame {frame}: transport checksum"


# ---- invalid messages are shown as far as they can be read (as the dissector shows them) ----

def hex_decode(exe, protocol, message: bytes):
    r = run(exe, "--hex", "--" + protocol, stdin=message.hex().encode())
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)


KA_SEQ_7 = {"type": "KA-SEQ", "code": 19, "length": 4, "value": 7}


def test_kares_with_mode_00_shows_its_ka_seq(gmp_decode):
    o = hex_decode(gmp_decode, "mm", mm("KARES", mode=0, session=0x3A5C, user=0xC0DE,
                                         options=opt("KA-SEQ", (7).to_bytes(4, "big"))))
    assert (o["error"], o["error_offset"]) == ("bad_mode", 1)
    assert (o["type"], o["mode"], o["mode_code"], o["session_id"]) == ("KARES", "invalid", 0,
                                                                       0x3A5C)
    assert o["options"] == [KA_SEQ_7]
    assert list(o)[-2:] == ["error", "error_offset"]


def test_unknown_option_and_a_bad_one_are_shown_and_the_walk_goes_on(gmp_decode):
    """Member type 000 (no error, profile 3); an unknown option; a KA-SEQ of 2 bytes (raw, the
    first error, at its offset 20); a MEMBER-COUNT."""
    o = hex_decode(gmp_decode, "mm", mm("KAREQ", member_type=0, options=(
        opt(200, b"\1\2") + opt("KA-SEQ", b"\3\4") + opt("MEMBER-COUNT", (9).to_bytes(4, "big")))))
    assert (o["error"], o["error_offset"], o["member_type"], o["member_type_code"]) == (
        "bad_option_size", 20, "invalid", 0)
    assert o["options"] == [{"type": "UNKNOWN", "code": 200, "length": 2, "hex": "0102"},
                            {"type": "KA-SEQ", "code": 19, "length": 2, "hex": "0304"},
                            {"type": "MEMBER-COUNT", "code": 16, "length": 4, "value": 9}]


def test_truncated_option_ends_the_list(gmp_decode):
    o = hex_decode(gmp_decode, "sm", sm("SCINF", session=0x3A5C, user=0x1F2E, options=(
        opt_str("SESSION-NAME", "chat") + bytes([3, 255]) + b"ab")))
    assert (o["error"], o["error_offset"]) == ("truncated_option", 24)
    assert o["checksum_status"] == "good"
    assert o["options"] == [{"type": "SESSION-NAME", "code": 2, "length": 4, "value": "chat"}]


def test_invalid_utf8_is_shown_raw_and_the_next_option_typed(gmp_decode):
    o = hex_decode(gmp_decode, "sm", sm("SCREQ", options=(
        opt("CLIENT-NAME", b"\xc3\x28") + opt_str("APP-INFO", "x"))))
    assert (o["error"], o["error_offset"]) == ("invalid_utf8", 16)
    assert o["options"] == [{"type": "CLIENT-NAME", "code": 1, "length": 2, "hex": "c328"},
                            {"type": "APP-INFO", "code": 8, "length": 1, "value": "x"}]


def test_valid_message_has_no_error_offset(gmp_decode):
    o = hex_decode(gmp_decode, "mm", KAREQ)
    assert o == KAREQ_FIELDS
