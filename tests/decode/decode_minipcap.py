"""A tiny pcap/pcapng writer (standard library only) for the gmp-decode tests.

Independent of the project's C++ writer on purpose: the frames (Ethernet II, IPv4, TCP and UDP
with their checksums) come from tests/pcapgen.py; this adds explicit timestamps, TCP
connections keyed by address, and classic pcap or pcapng output.
"""
import pathlib
import struct
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))  # tests/: shared helpers
from gmpwire import frame as framed  # noqa: E402,F401  (the SM TCP binding, profile 1)
from pcapgen import TCP_ACK, TCP_PSH, TCP_SYN, pcap_file, tcp_frame, udp_frame  # noqa: E402


class Capture:
    """Frames with timestamps (microseconds); TCP connections with consistent numbers."""

    def __init__(self):
        self.frames = []  # (time_us, bytes)
        self.conns = {}   # (src, sport, dst, dport) -> next seq of that direction

    def add(self, t_us: int, frame: bytes) -> int:
        self.frames.append((t_us, frame))
        return len(self.frames)  # 1-based frame number

    def udp(self, t_us, src, dst, payload):
        return self.add(t_us, udp_frame(src[0], src[1], dst[0], dst[1], payload))

    def tcp_open(self, t_us, client, server, isn_c=1000, isn_s=5000):
        c, s = (client[0], client[1], server[0], server[1]), (server[0], server[1], client[0],
                                                              client[1])
        self.add(t_us, tcp_frame(*c, isn_c, 0, TCP_SYN))
        self.add(t_us, tcp_frame(*s, isn_s, isn_c + 1, TCP_SYN | TCP_ACK))
        self.conns[c], self.conns[s] = isn_c + 1, isn_s + 1
        return self.add(t_us, tcp_frame(*c, isn_c + 1, isn_s + 1, TCP_ACK))

    def tcp_data(self, t_us, src, dst, payload, seq=None):
        """One segment; `seq` overrides the tracked number (for out-of-order tests)."""
        k = (src[0], src[1], dst[0], dst[1])
        back = (dst[0], dst[1], src[0], src[1])
        at = self.conns[k] if seq is None else seq
        n = self.add(t_us, tcp_frame(*k, at, self.conns[back], TCP_PSH | TCP_ACK, payload))
        if seq is None:
            self.conns[k] += len(payload)
        return n

    def pcap(self) -> bytes:
        return pcap_file(self.frames, 65535)

    def pcapng(self) -> bytes:
        def block(btype, body):
            body += b"\0" * (-len(body) % 4)
            n = 12 + len(body)
            return struct.pack("<II", btype, n) + body + struct.pack("<I", n)

        out = [block(0x0A0D0D0A, struct.pack("<IHHq", 0x1A2B3C4D, 1, 0, -1)),
               block(1, struct.pack("<HHI", 1, 0, 65535))]  # Ethernet, microseconds
        for t, f in self.frames:
            out.append(block(6, struct.pack("<IIIII", 0, t >> 32, t & 0xFFFFFFFF, len(f), len(f))
                             + f))
        return b"".join(out)

