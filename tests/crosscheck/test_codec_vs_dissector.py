"""Our two decoders must agree: the C++ codec, through
gmp-decode, and the Wireshark plugin, through tshark, read the same captures field by field.

- Random valid messages, encoded by the codec (gmp-randgen, seeded), written to a pcap.
- Every capture in captures/ (the canonical figure captures and the test-vector sample, which
  holds every invalid-input reason).
"""
import glob
import json
import os
import subprocess
import sys

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "tests", "dissector"))

from tshark_gmp import Tshark, plugin_path, strip_private  # noqa: E402

# Fields gmp-decode adds about the packet rather than the message, and the byte offset of
# its error (the dissector marks the item at fault instead).
PACKET_KEYS = ("frame", "time", "src", "dst", "transport", "error_offset")


def binary(name):
    build = os.environ.get("GMP_BUILD_DIR")
    assert build, "GMP_BUILD_DIR is not set (scripts/test sets it)"
    path = os.path.join(build, "bin", name)
    assert os.access(path, os.X_OK), "%s is not built" % path
    return path


@pytest.fixture(scope="module")
def ts():
    t = Tshark(plugin_path())
    assert t.plugin_loaded(), "tshark -G plugins does not list gmp.so"
    return t


def codec_view(pcap):
    out = subprocess.run([binary("gmp-decode"), pcap], check=True, capture_output=True,
                         text=True, timeout=300).stdout
    return [json.loads(line) for line in out.splitlines() if line.strip()]


def dissector_view(ts, pcap):
    return ts.decode_pdus(pcap)


def by_frame(records, key):
    frames = {}
    for r in records:
        frames.setdefault(r[key], []).append(r)
    return frames


def compare(codec, dissector, label):
    """Messages are matched by frame number and order within the frame, every field and option
    compared, invalid messages included (both show what they could read past the first error).
    Two differences are allowed, both of the transport rather than of GMP: an empty UDP payload
    is never handed to a dissector by Wireshark; and for a TCP framing error only the error is
    compared (the codec's reader abandons that stream; the dissector shows what follows the bad
    length)."""
    c_frames, d_frames = by_frame(codec, "frame"), by_frame(dissector, "_frame")
    mismatches = []
    for frame in sorted(set(c_frames) | set(d_frames)):
        cs, ds = c_frames.get(frame, []), d_frames.get(frame, [])
        if (not ds and len(cs) == 1 and cs[0]["transport"] == "udp"
                and set(cs[0]) <= set(PACKET_KEYS) | {"protocol", "error"}):
            continue  # empty UDP payload: header-less too_short, nothing for tshark to call
        if len(cs) != len(ds):
            mismatches.append("%s frame %d: gmp-decode %d messages, tshark %d" % (
                label, frame, len(cs), len(ds)))
            continue
        for c, d in zip(cs, ds):
            if (c.get("error") or "").startswith("frame_"):
                if c["error"] != d.get("error"):
                    mismatches.append("%s frame %d: framing error %r vs %r" % (
                        label, frame, c["error"], d.get("error")))
                continue
            c = {k: v for k, v in c.items() if k not in PACKET_KEYS}
            d = strip_private(d)
            for key in sorted(set(c) | set(d)):
                if c.get(key) != d.get(key):
                    mismatches.append("%s frame %d (%s) %s: codec %r, dissector %r" % (
                        label, frame, c.get("type"), key, c.get(key), d.get(key)))
    assert not mismatches, "\n".join(mismatches[:20]) + "\n(%d mismatches)" % len(mismatches)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_messages_agree(ts, tmp_path, seed):
    pcap = str(tmp_path / ("random-%d.pcap" % seed))
    subprocess.run([binary("gmp-randgen"), "400", str(seed), pcap], check=True,
                   capture_output=True, timeout=60)
    codec = codec_view(pcap)
    assert len(codec) == 400
    assert all(m["error"] is None for m in codec), "gmp-randgen wrote an invalid message"
    assert {m["protocol"] for m in codec} == {"sm", "mm"}
    compare(codec, dissector_view(ts, pcap), "seed %d" % seed)


CAPTURES = sorted(glob.glob(os.path.join(ROOT, "captures", "*.pcap")))


def test_there_are_captures():
    assert len(CAPTURES) >= 20, CAPTURES


@pytest.mark.parametrize("pcap", CAPTURES, ids=os.path.basename)
def test_captures_agree(ts, pcap):
    codec = codec_view(pcap)
    assert codec, "no GMP message in %s" % pcap
    compare(codec, dissector_view(ts, pcap), os.path.basename(pcap))
