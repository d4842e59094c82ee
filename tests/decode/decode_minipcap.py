"""A tiny pcap/pcapng writer (standard library only) for the gmp-decode tests.

Independent of the project's C++ writer on purpose: Ethernet II, IPv4 (header checksum),
TCP and UDP (checksums with the pseudo-header), classic pcap or pcapng output.
"""
import struct

ETH_IPV4 = 0x0800
TCP_FIN, TCP_SYN, TCP_RST, TCP_PSH, TCP_ACK = 0x01, 0x02, 0x04, 0x08, 0x10


def inet_checksum(data: bytes) -> int:
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def ip_bytes(dotted: str) -> bytes:
    return bytes(int(x) for x in dotted.split("."))


def _ipv4(src: str, dst: str, proto: int, payload: bytes, ident: int) -> bytes:
    hdr = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(payload), ident, 0x4000, 64, proto, 0,
                      ip_bytes(src), ip_bytes(dst))
    hdr = hdr[:10] + struct.pack("!H", inet_checksum(hdr)) + hdr[12:]
    return hdr + payload


def _pseudo(src: str, dst: str, proto: int, length: int) -> bytes:
    return ip_bytes(src) + ip_bytes(dst) + struct.pack("!BBH", 0, proto, length)


def _ethernet(src: str, dst: str, packet: bytes) -> bytes:
    return b"\x02\x00" + ip_bytes(dst) + b"\x02\x00" + ip_bytes(src) + struct.pack(
        "!H", ETH_IPV4) + packet


def udp_frame(src, sport, dst, dport, payload: bytes, ident=1) -> bytes:
    seg = struct.pack("!HHHH", sport, dport, 8 + len(payload), 0) + payload
    csum = inet_checksum(_pseudo(src, dst, 17, len(seg)) + seg) or 0xFFFF
    seg = seg[:6] + struct.pack("!H", csum) + seg[8:]
    return _ethernet(src, dst, _ipv4(src, dst, 17, seg, ident))


def tcp_frame(src, sport, dst, dport, seq, ack, flags, payload=b"", ident=1) -> bytes:
    seg = struct.pack("!HHIIBBHHH", sport, dport, seq & 0xFFFFFFFF, ack & 0xFFFFFFFF, 5 << 4,
                      flags, 65535, 0, 0) + payload
    csum = inet_checksum(_pseudo(src, dst, 6, len(seg)) + seg)
    seg = seg[:16] + struct.pack("!H", csum) + seg[18:]
    return _ethernet(src, dst, _ipv4(src, dst, 6, seg, ident))


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
        out = [struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1)]
        for t, f in self.frames:
            out.append(struct.pack("<IIII", t // 1000000, t % 1000000, len(f), len(f)) + f)
        return b"".join(out)

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


def framed(message: bytes) -> bytes:
    """The SM TCP binding: a 2-byte length, then the message (profile section 1)."""
    return struct.pack("!H", len(message)) + message
