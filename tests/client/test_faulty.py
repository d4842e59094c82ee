"""gmp-client-faulty against gmp-server: the fault that only sockets show (kares_from_other_port),
the adapter handshake naming the faulty build, and a bad --fault being a usage error.
Each fault's behaviour is tested against a fake server in reference/client/tests/faulty_test.cpp."""
import pathlib
import subprocess
import sys

import pytest

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from conftest import Run, _exe  # noqa: E402

# KA period 100 ms, timeout 100 ms, miss limit 1: a creator whose KARES do not count is
# demoted, and the session ends (profile 6.3), within a few hundred ms.
SCRIPT = """
create c1 as alice keepalive=1,1,1
wait-for c1 state=registered
join c1
wait-for c1 state=joined
activate c1
wait-for c1 received=KAREQ
sleep 1500
quit
"""


@pytest.fixture(scope="session")
def faulty_exe():
    exe = _exe("GMP_CLIENT_FAULTY", "gmp-client-faulty")
    if exe is None or not exe.is_file():
        pytest.fail(f"gmp-client-faulty is missing ({exe}): build it (--target gmp-client-faulty)")
    return exe


def run(exe, server, script, *extra):
    return Run(subprocess.run([str(exe), *server.client_args(), "--script", "-", *extra], input=script,
                              capture_output=True, text=True, timeout=60))


def test_kares_from_other_port_is_not_heard_by_the_server(client_exe, faulty_exe, server):
    # The shipped client's KARES come from the SAREQ's MM-PORT: the session lives on.
    good = run(client_exe, server, SCRIPT)
    assert good.returncode == 0, good.explain()
    assert not good.of("c1", "ended"), good.explain()
    # From another port the server discards them (profile 1): the creator falls silent in its
    # view and the session ends with TRIND.
    bad = run(faulty_exe, server, SCRIPT, "--fault", "kares_from_other_port")
    assert bad.of("c1", "sent", type="KARES"), bad.explain()
    assert bad.of("c1", "ended", cause="TRIND"), bad.explain()


def test_faulty_build_names_itself_in_the_handshake(faulty_exe, server):
    r = run(faulty_exe, server, "hello 1\nquit\n", "--fault", "ignore_trind")
    hello = [e for e in r.events if e["event"] == "hello"]
    assert hello and hello[0]["implementation"].startswith("gmp-client-faulty "), r.explain()
    assert hello[0]["adapter_version"] == 1


def test_unknown_fault_is_a_usage_error(faulty_exe, server):
    p = subprocess.run([str(faulty_exe), *server.client_args(), "--fault", "no_such_fault", "--script", "-"],
                       input="quit\n", capture_output=True, text=True, timeout=30)
    assert p.returncode == 2, (p.stdout, p.stderr)
    assert "no_such_fault" in p.stderr
