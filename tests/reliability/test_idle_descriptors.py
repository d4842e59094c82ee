"""Done-when measurement (docs/reliability.md): 1,100 idle TCP connections against a server
limited to 1,024 descriptors (RLIMIT_NOFILE, as `ulimit -n 1024`) cost it under 20 % of a core
over 5 s, and its log stays bounded; once the connections go, a new client is served."""
import resource
import socket
import time

import reliability_wire as w

CONNECTIONS = 1100


def _limit_descriptors():
    resource.setrlimit(resource.RLIMIT_NOFILE, (1024, 1024))


def test_1100_idle_connections_under_ulimit_1024_cost_little(start_server):
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < CONNECTIONS + 100:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, 4096), hard))
    srv = start_server("--log-level", "info", preexec=_limit_descriptors)
    idle = []
    try:
        for _ in range(CONNECTIONS):
            s = socket.socket()
            s.setblocking(False)
            try:
                s.connect(("127.0.0.1", srv.sm))
            except BlockingIOError:
                pass
            idle.append(s)
        time.sleep(0.5)  # the descriptors run out; the rest wait in the backlog
        cpu0 = srv.cpu_seconds()
        time.sleep(5.0)
        cpu = srv.cpu_seconds() - cpu0
        print(f"1,100 idle connections, RLIMIT_NOFILE 1024: {cpu:.3f} s CPU over 5 s, "
              f"{srv.err_path.stat().st_size} bytes of log")
        assert cpu < 1.0, f"{cpu:.2f} s of CPU over 5 s: more than 20 % of a core"
        assert srv.err_path.stat().st_size < 8192, srv.err_path.read_text()[-1000:]
    finally:
        for s in idle:
            s.close()
    time.sleep(0.2)
    c = w.SmConn(srv.sm, timeout=5.0)
    c.send(w.enc.sm("SCREQ", options=w.enc.opt_str("CLIENT-NAME", "after")))
    assert w.sm_header(c.recv())[0] == w.enc.SM_TYPES["SCACC"]
    c.close()
