"""Connections held without being used (docs/reliability.md): a partial frame past
--frame-timeout and an idle connection past --idle-timeout are closed, so slowloris
connections filling --max-connections do not lock real clients out; a connection that carries
a member is not cut for being idle (profile 1, 5.1: see conn_guard.hpp)."""
import socket
import struct
import time

import reliability_wire as w


def _closed_within(sock: socket.socket, seconds: float) -> bool:
    """True when the server closes `sock` (EOF or reset) within `seconds`."""
    sock.settimeout(seconds)
    try:
        return sock.recv(1) == b""
    except socket.timeout:
        return False
    except ConnectionResetError:
        return True


def _screq_answered(port: int, timeout: float) -> bool:
    try:
        c = w.SmConn(port, timeout=timeout)
        c.send(w.enc.sm("SCREQ", options=w.enc.opt_str("CLIENT-NAME", "real")))
        ok = w.sm_header(c.recv())[0] == w.enc.SM_TYPES["SCACC"]
        c.close()
        return ok
    except (OSError, ConnectionError):
        return False


def test_slowloris_connections_are_closed_and_a_new_client_is_served(start_server):
    srv = start_server("--max-connections", "16", "--frame-timeout", "1", "--idle-timeout", "2",
                       "--log-level", "warn")
    half = w.enc.frame(w.enc.sm("SCREQ", options=w.enc.opt_str("CLIENT-NAME", "slow")))[:7]
    lorises = []
    for i in range(16):
        s = socket.create_connection(("127.0.0.1", srv.sm), timeout=5)
        if i % 2:
            s.sendall(half)  # half a frame, never finished
        lorises.append(s)
    time.sleep(0.3)
    # Every slot is taken: the server closes a 17th connection at once (the limit).
    assert not _screq_answered(srv.sm, 1.0)
    t0 = time.monotonic()
    for i, s in enumerate(lorises):
        assert _closed_within(s, 4.0), f"connection {i} still open"
    elapsed = time.monotonic() - t0
    print(f"16 slowloris connections closed {elapsed:.2f} s after the check began")
    assert elapsed < 3.5
    assert _screq_answered(srv.sm, 3.0)
    stderr = srv.err_path.read_bytes()
    for s in lorises:
        s.close()
    srv.stop()
    assert len(srv.err_path.read_bytes()) < 4096, stderr[-500:]


def test_partial_frame_timeout_is_per_frame_not_per_connection(start_server):
    srv = start_server("--frame-timeout", "1", "--idle-timeout", "0", "--log-level", "warn")
    c = w.SmConn(srv.sm)
    # A frame dribbled over 0.8 s, then a whole one, then another dribbled: all served.
    msg = w.enc.frame(w.enc.sm("SDREQ", session=1, user=1))  # unknown session: no answer
    for _ in range(2):
        for b in msg:
            c.sock.sendall(bytes([b]))
            time.sleep(0.8 / len(msg))
    c.send(w.enc.sm("SCREQ", options=w.enc.opt_str("CLIENT-NAME", "dribbler")))
    assert w.sm_header(c.recv())[0] == w.enc.SM_TYPES["SCACC"]
    # Half a frame left for 1.5 s: closed.
    c.sock.sendall(msg[:5])
    assert _closed_within(c.sock, 3.0)


def test_an_idle_connection_of_a_member_or_pending_creation_is_kept(start_server):
    srv = start_server("--idle-timeout", "1", "--frame-timeout", "1", "--log-level", "warn")
    creator = w.SmConn(srv.sm)
    session, creator_user = w.create(creator, "keeper")
    member = w.SmConn(srv.sm)
    (user,) = w.register_many(member, session, ["bob"])
    pending = w.SmConn(srv.sm)  # SCACC sent, SCINF awaited (profile 5.1 step 3)
    pending.send(w.enc.sm("SCREQ", options=w.enc.opt_str("CLIENT-NAME", "thinking")))
    t, psession, puser = w.sm_header(pending.recv())
    assert t == w.enc.SM_TYPES["SCACC"]
    stranger = socket.create_connection(("127.0.0.1", srv.sm), timeout=5)
    assert _closed_within(stranger, 3.0)  # nothing on it: closed after 1 s
    time.sleep(1.0)
    # Still open, and still used: SCINF completes the creation after 3 s of silence; bob joins.
    pending.send(w.enc.sm("SCINF", session=psession, user=puser,
                          options=w.enc.opt_str("SESSION-NAME", "late thought")))
    assert w.sm_header(pending.recv())[0] == w.enc.SM_TYPES["SCCON"]
    member.send(w.enc.sm("SJREQ", session=session, user=user))
    assert w.sm_header(member.recv())[0] == w.enc.SM_TYPES["SJRES"]
    creator.send(w.enc.sm("SDREQ", session=session, user=creator_user))
    assert w.sm_header(creator.recv())[0] == w.enc.SM_TYPES["SDRES"]
    # The session is gone: its members' connections are ordinary idle ones again.
    assert _closed_within(member.sock, 3.0)
    assert _closed_within(creator.sock, 3.0)
