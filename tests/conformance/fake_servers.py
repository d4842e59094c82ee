"""Tiny scripted fake GMP servers for behaviours the fault switches cannot express.

Each binds 127.0.0.1 port 0 (TCP for SM and UDP for MM on the same number), prints the
reference server's listening line, and serves until killed. Bounded: at most MAX_CONNS
connections and MAX_BYTES per connection.

  python3 fake_servers.py silent       accepts everything, never answers
  python3 fake_servers.py garbage      answers every SM request with an SCACC whose checksum
                                       is wrong (a server that emits invalid messages)
  python3 fake_servers.py slowpoke     answers SCREQ with a correct SCACC after 1.5 s
"""
import socket
import struct
import sys
import threading
import time
import pathlib

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))  # tests/: gmpwire
from gmpwire import inet_checksum as checksum  # noqa: E402

MAX_CONNS = 256
MAX_BYTES = 1 << 20


def scacc(session, user, good=True):
    msg = bytearray(struct.pack("!BBHHHBBHI", 0x10, 2, 0, session, user, 0, 0, 0, 0))
    c = checksum(bytes(msg))
    struct.pack_into("!H", msg, 2, c if good else c ^ 0x5A5A)
    return struct.pack("!H", len(msg)) + bytes(msg)


def serve_conn(conn, mode):
    got = 0
    buf = b""
    with conn:
        while got < MAX_BYTES:
            try:
                data = conn.recv(4096)
            except OSError:
                return
            if not data:
                return
            got += len(data)
            buf += data
            while len(buf) >= 2:
                n = struct.unpack("!H", buf[:2])[0]
                if n < 16 or len(buf) < 2 + n:
                    break
                msg, buf = buf[2:2 + n], buf[2 + n:]
                if mode == "garbage":
                    conn.sendall(scacc(0x1234, 0x4321, good=False))
                elif mode == "slowpoke" and msg[1] == 1:
                    time.sleep(1.5)
                    conn.sendall(scacc(0x1234, 0x4321))


def main():
    mode = sys.argv[1] if len(sys.argv) > 1 else "silent"
    tcp = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    tcp.bind(("127.0.0.1", 0))
    tcp.listen(64)
    port = tcp.getsockname()[1]
    udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    udp.bind(("127.0.0.1", port))
    print(f"listening sm=tcp://127.0.0.1:{port} mm=udp://127.0.0.1:{port} http=none", flush=True)
    for _ in range(MAX_CONNS):
        conn, _ = tcp.accept()
        threading.Thread(target=serve_conn, args=(conn, mode), daemon=True).start()


if __name__ == "__main__":
    main()
