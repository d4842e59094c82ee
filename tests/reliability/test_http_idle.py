"""The announcement's HTTP server (cpp-httplib, a pool of threads, one per open connection):
idle connections must not keep /counters from being answered."""
import socket
import time

import reliability_wire as w


def test_counters_answered_with_many_idle_http_connections(start_server):
    srv = start_server("--http", "127.0.0.1:0", "--log-level", "warn")
    host, port = srv.http.rsplit("/", 1)[-1].split(":")
    idle = [socket.create_connection((host, int(port)), timeout=5) for _ in range(24)]
    try:
        time.sleep(0.2)
        t0 = time.monotonic()
        counters = w.http_json(f"{srv.http}/counters", timeout=5.0)
        took = time.monotonic() - t0
        print(f"/counters answered in {took * 1000:.0f} ms beside 24 idle HTTP connections")
        assert took < 2.0
        assert "connections" in counters
    finally:
        for s in idle:
            s.close()


def test_idle_http_connections_are_dropped_after_a_second(start_server):
    srv = start_server("--http", "127.0.0.1:0", "--log-level", "warn")
    host, port = srv.http.rsplit("/", 1)[-1].split(":")
    s = socket.create_connection((host, int(port)), timeout=5)
    s.settimeout(4.0)
    t0 = time.monotonic()
    assert s.recv(1) == b""
    assert time.monotonic() - t0 < 3.0
    s.close()
