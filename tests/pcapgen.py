"""A tiny pure-Python pcap writer: Ethernet / IPv4 / TCP or UDP, correct lengths and
checksums, and TCP streams with consistent sequence and acknowledgement numbers.

    w = PcapWriter()
    s = TcpStream(w, ("10.0.0.1", 40001), ("10.0.0.2", 16513))
    s.handshake()
    s.send(True, b"...")            # client -> server, one segment
    s.send(False, b"...", [3, 10])  # server -> client, split into segments of 3, 10, rest
    w.udp(("10.0.0.2", 16513), ("10.0.0.1", 40002), b"...")
    w.write("x.pcap")

Independent of the project's C++ pcap writer on purpose. The frame builders (ipv4, udp_frame,
tcp_frame, ...) serve the dissector tests and tests/decode/decode_minipcap.py alike.
"""
import socket
import struct

from gmpwire import inet_checksum as _csum

LINKTYPE_ETHERNET = 1


def _mac(ip: str) -> bytes:
    return b"\x02\x00" + socket.inet_aton(ip)


def ipv4(src: str, dst: str, proto: int, payload: bytes, ident: int = 0) -> bytes:
    total = 20 + len(payload)
    hdr = struct.pack("!BBHHHBBH4s4s", 0x45, 0, total, ident & 0xFFFF, 0x4000, 64, proto, 0,
                      socket.inet_aton(src), socket.inet_aton(dst))
    hdr = hdr[:10] + struct.pack("!H", _csum(hdr)) + hdr[12:]
    return hdr + payload


def ethernet(src_ip: str, dst_ip: str, payload: bytes) -> bytes:
    return _mac(dst_ip) + _mac(src_ip) + b"\x08\x00" + payload


def udp_segment(src: str, dst: str, sport: int, dport: int, payload: bytes) -> bytes:
    length = 8 + len(payload)
    hdr = struct.pack("!HHHH", sport, dport, length, 0)
    pseudo = socket.inet_aton(src) + socket.inet_aton(dst) + struct.pack("!BBH", 0, 17, length)
    c = _csum(pseudo + hdr + payload) or 0xFFFF
    return hdr[:6] + struct.pack("!H", c) + payload


def udp_frame(src: str, sport: int, dst: str, dport: int, payload: bytes, ident: int = 1) -> bytes:
    """One Ethernet / IPv4 / UDP frame."""
    return ethernet(src, dst, ipv4(src, dst, 17, udp_segment(src, dst, sport, dport, payload),
                                   ident))


TCP_FIN, TCP_SYN, TCP_RST, TCP_PSH, TCP_ACK = 0x01, 0x02, 0x04, 0x08, 0x10


def tcp_segment(src: str, dst: str, sport: int, dport: int, seq: int, ack: int, flags: int,
                payload: bytes, window: int = 65535) -> bytes:
    hdr = struct.pack("!HHIIBBHHH", sport, dport, seq & 0xFFFFFFFF, ack & 0xFFFFFFFF,
                      5 << 4, flags, window, 0, 0)
    pseudo = socket.inet_aton(src) + socket.inet_aton(dst) + struct.pack(
        "!BBH", 0, 6, len(hdr) + len(payload))
    c = _csum(pseudo + hdr + payload)
    return hdr[:16] + struct.pack("!H", c) + hdr[18:] + payload


def tcp_frame(src: str, sport: int, dst: str, dport: int, seq: int, ack: int, flags: int,
              payload: bytes = b"", ident: int = 1) -> bytes:
    """One Ethernet / IPv4 / TCP frame."""
    return ethernet(src, dst, ipv4(src, dst, 6, tcp_segment(src, dst, sport, dport, seq, ack,
                                                            flags, payload), ident))


def pcap_file(frames, snaplen: int = 262144) -> bytes:
    """A classic pcap file (microseconds, Ethernet) of (timestamp in microseconds, frame)."""
    out = [struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, snaplen, LINKTYPE_ETHERNET)]
    for ts, frame in frames:
        sec, usec = divmod(ts, 1_000_000)
        out.append(struct.pack("<IIII", sec, usec, len(frame), len(frame)) + frame)
    return b"".join(out)


class PcapWriter:
    """Collects Ethernet frames with timestamps and writes a classic pcap file."""

    def __init__(self, start: float = 1_700_000_000.0, step: float = 0.001):
        self.frames = []          # list of (timestamp in microseconds, bytes)
        self.t = int(round(start * 1_000_000))
        self.step = int(round(step * 1_000_000))
        self.ident = 1

    def add(self, frame: bytes, ts: float = None):
        if ts is None:
            ts = self.t
            self.t += self.step
        else:
            ts = int(round(ts * 1_000_000))
        self.frames.append((ts, frame))
        return len(self.frames)   # frame number (1-based), as Wireshark counts

    def ip_frame(self, src: str, dst: str, proto: int, l4: bytes, ts: float = None) -> int:
        self.ident += 1
        return self.add(ethernet(src, dst, ipv4(src, dst, proto, l4, self.ident)), ts)

    def udp(self, src, dst, payload: bytes, ts: float = None) -> int:
        """src, dst: (ip, port)."""
        return self.ip_frame(src[0], dst[0], 17,
                             udp_segment(src[0], dst[0], src[1], dst[1], payload), ts)

    def write(self, path):
        with open(path, "wb") as f:
            f.write(self.to_bytes())

    def to_bytes(self) -> bytes:
        return pcap_file(self.frames)


class TcpStream:
    """One TCP connection between client and server, with consistent seq/ack numbers."""

    def __init__(self, writer: PcapWriter, client, server, client_isn=1000, server_isn=5000):
        self.w = writer
        self.client, self.server = client, server
        self.seq = {True: client_isn, False: server_isn}   # next seq, keyed by from_client

    def _seg(self, from_client: bool, flags: int, payload: bytes = b"", ts=None) -> int:
        src, dst = (self.client, self.server) if from_client else (self.server, self.client)
        ack = self.seq[not from_client] if flags & TCP_ACK else 0
        n = self.w.ip_frame(src[0], dst[0], 6,
                            tcp_segment(src[0], dst[0], src[1], dst[1], self.seq[from_client],
                                        ack, flags, payload), ts)
        self.seq[from_client] += len(payload) + (1 if flags & (TCP_SYN | TCP_FIN) else 0)
        return n

    def handshake(self):
        self._seg(True, TCP_SYN)
        self._seg(False, TCP_SYN | TCP_ACK)
        self._seg(True, TCP_ACK)

    def send(self, from_client: bool, data: bytes, split=None, ts=None):
        """Sends data as one segment, or split into segments of the given sizes (the rest
        in a last segment). Returns the frame numbers."""
        frames = []
        pos = 0
        for size in (split or []):
            if pos >= len(data):
                break
            frames.append(self._seg(from_client, TCP_ACK | TCP_PSH, data[pos:pos + size], ts))
            pos += size
        if pos < len(data) or not frames:
            frames.append(self._seg(from_client, TCP_ACK | TCP_PSH, data[pos:], ts))
        return frames

    def ack(self, from_client: bool, ts=None) -> int:
        """A pure ACK (no data) of everything the other side sent."""
        return self._seg(from_client, TCP_ACK, b"", ts)

    def close(self):
        self._seg(True, TCP_FIN | TCP_ACK)
        self._seg(False, TCP_FIN | TCP_ACK)
        self._seg(True, TCP_ACK)
