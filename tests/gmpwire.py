"""The one GMP wire helper of the Python tests: the Internet checksum and a small GMP encoder
(shared/spec/gmp-profile.md sections 1-4), independent of the C++ codec. Produces exact bytes,
including deliberately malformed ones. Every Python test and test tool imports it from here
(tests/ on sys.path) instead of carrying its own copy."""
import socket
import struct

SM_TYPES = {"SCREQ": 1, "SCACC": 2, "SCREJ": 3, "SDREQ": 4, "SDRES": 5, "SCINF": 6,
            "SCCON": 7, "SRREQ": 8, "SRRES": 9, "SRACC": 10, "SRREJ": 11, "SJREQ": 12,
            "SJRES": 13, "SAREQ": 14}
MM_TYPES = {"KAREQ": 1, "KARES": 2, "UIREQ": 3, "UIRES": 4, "LVREQ": 5, "TRREQ": 6,
            "TRIND": 7, "KDUPT": 8}
OPT_TYPES = {"END": 0, "CLIENT-NAME": 1, "SESSION-NAME": 2, "SESSION-INFO": 3,
             "OWNER-INFO": 4, "START-TIME": 5, "END-TIME": 6, "MEDIA-INFO": 7, "APP-INFO": 8,
             "KEEPALIVE": 9, "BASE-MEMBER": 10, "ALLOW": 11, "ACCESS-KEY": 12, "MM-PORT": 13,
             "GROUP-KEY": 14, "MEMBER-LIST": 15, "MEMBER-COUNT": 16, "LIST-PART": 17,
             "REASON": 18, "KA-SEQ": 19}
SM_NAMES = {v: k for k, v in SM_TYPES.items()}
MM_NAMES = {v: k for k, v in MM_TYPES.items()}
OPT_NAMES = {v: k for k, v in OPT_TYPES.items()}


def ones_sum(data: bytes) -> int:
    """The folded 16-bit one's complement sum of RFC 1071 (an odd length is padded with a
    zero byte). A message whose checksum verifies sums to 0xffff (profile 2)."""
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return s


def inet_checksum(data: bytes) -> int:
    """RFC 1071 checksum (profile 2; also IPv4, TCP and UDP): the complement of ones_sum."""
    return ~ones_sum(data) & 0xFFFF


def with_checksum(msg: bytes, xor: int = 0) -> bytes:
    """msg with bytes 2-3 (the SM checksum field, profile 2) set to the checksum of msg with
    that field zero; `xor` spoils it on purpose (a bad checksum)."""
    c = inet_checksum(msg[:2] + b"\0\0" + msg[4:]) ^ xor
    return msg[:2] + struct.pack("!H", c) + msg[4:]


def opt(type_, value: bytes = b"", length: int = None, pad: bool = True) -> bytes:
    """One TLV option (profile 4), padded with zeros to 32 bits."""
    code = OPT_TYPES[type_] if isinstance(type_, str) else type_
    b = bytes([code, len(value) if length is None else length]) + value
    if pad:
        b += b"\0" * ((-len(b)) % 4)
    return b


def opt_str(type_, s: str) -> bytes:
    return opt(type_, s.encode("utf-8"))


def opt_u(type_, value: int, size: int) -> bytes:
    return opt(type_, value.to_bytes(size, "big"))


def member_list(entries) -> bytes:
    """entries: list of (user_id, member_type_code)."""
    return opt("MEMBER-LIST", b"".join(struct.pack("!HBB", u, t, 0) for u, t in entries))


def sm(type_, *, s=False, m=False, i=None, q=False, flags=None, version=1, session=0, user=0,
       key_length=0, reserved=0, port=0, addr="0.0.0.0", options=b"", checksum=None,
       checksum_xor=0, pad_to_4=False) -> bytes:
    """An SM message (profile 2). i defaults to (type == SCINF); `flags` (the Q S M I bits as
    one number) overrides q, s, m, i. checksum=None computes it (spoilt by checksum_xor)."""
    code = SM_TYPES[type_] if isinstance(type_, str) else type_
    if i is None:
        i = code == SM_TYPES["SCINF"]
    if flags is None:
        flags = (q << 3) | (s << 2) | (m << 1) | int(i)
    body = struct.pack("!BBHHHBBH4s", (version << 4) | flags, code, 0, session, user,
                       key_length, reserved, port, socket.inet_aton(addr)) + options
    if pad_to_4:
        body += b"\0" * ((-len(body)) % 4)
    if checksum is None:
        return with_checksum(body, checksum_xor)
    return body[:2] + struct.pack("!H", checksum) + body[4:]


def frame(msg: bytes, length: int = None) -> bytes:
    """The TCP framing of profile 1: 2-byte length, then the SM message."""
    return struct.pack("!H", len(msg) if length is None else length) + msg


def mm(type_, *, mode=2, member_type=1, r=False, ss=None, ui=None, flags=None, version=1,
       port=0, session=0, user=0, addr="0.0.0.0", ka_period=0, ka_timeout=0, key_length=0,
       reserved=0, options=b"") -> bytes:
    """An MM message (profile 3). ss / ui default to what the type requires; `flags` (the
    R SS UI bits as one number) overrides r, ss, ui."""
    code = MM_TYPES[type_] if isinstance(type_, str) else type_
    if ss is None:
        ss = code == MM_TYPES["TRIND"]
    if ui is None:
        ui = code == MM_TYPES["UIRES"]
    if flags is None:
        flags = (r << 2) | (int(ss) << 1) | int(ui)
    b0 = (version << 4) | (code & 0xF)
    b1 = (mode << 6) | (member_type << 3) | flags
    return struct.pack("!BBHHH4sBBBB", b0, b1, port, session, user, socket.inet_aton(addr),
                       ka_period, ka_timeout, key_length, reserved) + options


# The worked examples of the profile appendix.
APPENDIX_SCREQ_HEX = "1401bb29000000000000000000000000" "01056" "16c" "69636500"
APPENDIX_KAREQ_HEX = ("11 88 13 8c 3a 5c c0 de ef ff 0a 14 0a 05 00 00 13 04 00 00 00 07 00 00"
                      .replace(" ", ""))
