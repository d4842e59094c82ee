"""Profile 6.4 (Figure 18) as an amplifier: an active member of a closed session of 5,000
members floods UIREQ, each asking for a list of about 20 KB. With the UIRES byte budget
(--uires-rate) the server keeps serving: a new creation is answered within 3 s during the
flood, and the members of another session, answering their KAREQs, all stay active."""
import multiprocessing
import os
import random
import socket
import struct
import time

import reliability_wire as w

BIG = 5000
OTHER = 20
FLOOD_S = 2.0


def _flood(sock: socket.socket, server_mm: int, session: int, users, seconds: float):
    """UIREQ from the big session's members, as fast as one process sends them."""
    msgs = [w.enc.mm("UIREQ", mode=w.CLOSED, session=session, user=u) for u in users[:500]]
    end = time.monotonic() + seconds
    sock.setblocking(False)
    i = 0
    while time.monotonic() < end:
        for _ in range(256):
            try:
                sock.sendto(msgs[i % len(msgs)], ("127.0.0.1", server_mm))
            except BlockingIOError:
                pass
            i += 1
        try:  # drop what comes back, so this socket never stalls
            while True:
                sock.recv(2048)
        except (BlockingIOError, OSError):
            pass
    os._exit(0)


def _answer_kareqs(sock: socket.socket, server_mm: int, seconds: float):
    """Every KAREQ answered with its KARES (profile 6.1), for `seconds`."""
    sock.settimeout(0.2)
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        try:
            data = sock.recv(2048)
        except socket.timeout:
            continue
        answer = w.kares_for(data, w.OPEN)
        if answer:
            sock.sendto(answer, ("127.0.0.1", server_mm))
    os._exit(0)


def _active(srv, session: int) -> int:
    """Active members of `session` on the announcement (rebuilt at most every 250 ms)."""
    time.sleep(0.6)
    return w.http_json(f"{srv.http}/sessions/{session}", timeout=3.0)["active"]


def test_uireq_flood_from_a_large_closed_session_does_not_stall_the_server(start_server):
    srv = start_server("--http", "127.0.0.1:0", "--log-level", "warn")
    ctx = multiprocessing.get_context("fork")

    # The large closed session: rounds a minute apart, so its members stay active untended.
    big_sm = w.SmConn(srv.sm)
    big, big_creator = w.create(big_sm, "owner", closed=True, ka=(250, 100, 1))
    w.join(big_sm, big, big_creator)
    users = w.register_many(big_sm, big, (f"m{i}" for i in range(BIG)), closed=True)
    big_mm = w.mm_socket()
    w.activate_many(big_sm, big_mm, srv.mm, big, [big_creator] + users, w.CLOSED)
    assert _active(srv, big) == BIG + 1

    # Another session, rounds every 500 ms, its members answered by their own process.
    other_sm = w.SmConn(srv.sm)
    other, other_creator = w.create(other_sm, "second", ka=(5, 4, 2))
    w.join(other_sm, other, other_creator)
    others = w.register_many(other_sm, other, (f"o{i}" for i in range(OTHER)))
    other_mm = w.mm_socket()
    w.activate_many(other_sm, other_mm, srv.mm, other, [other_creator] + others, w.OPEN)
    answerer = ctx.Process(target=_answer_kareqs, args=(other_mm, srv.mm, FLOOD_S + 6))
    answerer.start()
    assert _active(srv, other) == OTHER + 1

    random.shuffle(users)
    flooder = ctx.Process(target=_flood, args=(big_mm, srv.mm, big, users, FLOOD_S))
    flooder.start()
    flood_start = time.monotonic()
    try:
        time.sleep(0.5)
        # A new creation, during the flood.
        t0 = time.monotonic()
        late = w.SmConn(srv.sm, timeout=3.0)
        late.send(w.enc.sm("SCREQ", options=w.enc.opt_str("CLIENT-NAME", "late")))
        t, _, _ = w.sm_header(late.recv())
        assert t == w.enc.SM_TYPES["SCACC"]
        created_in = time.monotonic() - t0
        print(f"creation answered in {created_in * 1000:.0f} ms during the flood")
        assert created_in < 3.0
        late.close()
        flooder.join(FLOOD_S + 5)
        # Two rounds of the other session after the flood: every member still active.
        time.sleep(1.0)
        assert _active(srv, other) == OTHER + 1
        counters = w.http_json(f"{srv.http}/counters", timeout=3.0)
        elapsed = time.monotonic() - flood_start
        assert counters["discards"]["uires_budget"] > 0
        # What went out stayed within the budget (1 MiB/s by default) and its one-second burst:
        # each list of 5,001 members is 18 parts, about 20 KB.
        lists = counters["mm_out"]["UIRES"] / 18
        print(f"UIREQ received {counters['mm_in']['UIREQ']}, discarded by the budget "
              f"{counters['discards']['uires_budget']}, lists sent {lists:.0f} in {elapsed:.1f} s")
        assert lists <= (elapsed + 1) * 1048576 / 20000, counters["mm_out"]
    finally:
        for p in (flooder, answerer):
            if p.is_alive():
                p.kill()
            p.join(5)
        big_sm.close()
        other_sm.close()
