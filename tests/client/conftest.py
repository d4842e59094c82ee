"""End-to-end fixtures for gmp-client against the real gmp-server (docs/client.md).

Binaries: $GMP_BUILD_DIR/bin/gmp-client and $GMP_BUILD_DIR/bin/gmp-server (GMP_CLIENT and
GMP_SERVER override each). A missing gmp-client fails the tests; a missing gmp-server skips
them with the reason shown (the server is another program of the project). Servers listen
on 127.0.0.1 port 0; every process is bounded in time and stopped.
"""
import json
import os
import pathlib
import select
import subprocess
import time

import pytest

STARTUP_TIMEOUT_S = 10
RUN_TIMEOUT_S = 60


def _exe(env_name: str, name: str) -> pathlib.Path | None:
    if os.environ.get(env_name):
        return pathlib.Path(os.environ[env_name])
    d = os.environ.get("GMP_BUILD_DIR")
    return pathlib.Path(d) / "bin" / name if d else None


@pytest.fixture(scope="session")
def client_exe() -> pathlib.Path:
    exe = _exe("GMP_CLIENT", "gmp-client")
    if exe is None:
        pytest.fail("GMP_BUILD_DIR is not set: point it at the CMake build directory")
    if not exe.is_file():
        pytest.fail(f"{exe} is missing: build it (cmake --build $GMP_BUILD_DIR --target gmp-client)")
    return exe


@pytest.fixture(scope="session")
def server_exe() -> pathlib.Path:
    exe = _exe("GMP_SERVER", "gmp-server")
    if exe is None:
        pytest.fail("GMP_BUILD_DIR is not set: point it at the CMake build directory")
    if not exe.is_file():
        pytest.skip(f"gmp-server is not built ({exe} missing): the end-to-end client tests need "
                    "the reference server (cmake --build $GMP_BUILD_DIR --target gmp-server)")
    return exe


class Server:
    """A running gmp-server on 127.0.0.1 with the ports it printed."""

    def __init__(self, exe: pathlib.Path, *extra: str):
        self.proc = subprocess.Popen(
            [str(exe), "--listen", "127.0.0.1:0", *extra],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + STARTUP_TIMEOUT_S
        line = ""
        while time.monotonic() < deadline:
            ready, _, _ = select.select([self.proc.stdout], [], [], 0.2)
            if ready:
                line = self.proc.stdout.readline()
                if line.startswith("listening"):
                    break
            if self.proc.poll() is not None:
                break
        if not line.startswith("listening"):
            self.stop()
            raise RuntimeError(f"gmp-server did not start: {line!r} {self.proc.stderr.read()[-2000:]}")
        fields = dict(part.split("=", 1) for part in line.split()[1:])
        self.sm_port = int(fields["sm"].rsplit(":", 1)[1])
        self.mm_port = int(fields["mm"].rsplit(":", 1)[1])
        self.http_url = fields.get("http", "off")  # with --http: the announcement's base URL

    def client_args(self) -> list[str]:
        return ["--server", f"127.0.0.1:{self.sm_port}", "--mm-port", str(self.mm_port)]

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=5)


@pytest.fixture
def server(server_exe):
    s = Server(server_exe)
    yield s
    s.stop()


class Run:
    """The outcome of one gmp-client --script run: its JSON events, in order."""

    def __init__(self, proc: subprocess.CompletedProcess):
        self.returncode = proc.returncode
        self.stderr = proc.stderr
        self.events = [json.loads(line) for line in proc.stdout.splitlines() if line.strip()]

    def of(self, membership: str, event: str | None = None, **fields):
        out = []
        for e in self.events:
            if e.get("membership") != membership or (event and e.get("event") != event):
                continue
            if all(e.get(k) == v for k, v in fields.items()):
                out.append(e)
        return out

    def received(self, membership: str, mtype: str):
        return self.of(membership, "received", type=mtype)

    def failed_waits(self):
        return [e for e in self.events if e.get("event") == "wait" and not e["ok"]]

    def errors(self):
        return [e for e in self.events if e.get("event") == "error"]

    def explain(self) -> str:
        lines = [json.dumps({k: v for k, v in e.items() if k != "message"}) for e in self.events]
        return "\n".join(lines[-80:]) + "\nstderr: " + self.stderr[-2000:]


@pytest.fixture
def run_script(client_exe, server):
    """run_script(text) -> Run: one gmp-client --script - process against `server`."""

    def run(text: str, *extra: str, timeout: float = RUN_TIMEOUT_S) -> Run:
        proc = subprocess.run(
            [str(client_exe), *server.client_args(), "--script", "-", "--wait-timeout-ms", "5000",
             "--sm-timeout-ms", "3000", "--trreq-timeout-ms", "300", "--uireq-timeout-ms", "300", *extra],
            input=text, capture_output=True, text=True, timeout=timeout)
        return Run(proc)

    return run


@pytest.fixture
def run_cli(client_exe, server):
    """run_cli(*args) -> CompletedProcess: a one-shot gmp-client command against `server`."""

    def run(*args: str, timeout: float = RUN_TIMEOUT_S) -> subprocess.CompletedProcess:
        return subprocess.run([str(client_exe), *server.client_args(), "--sm-timeout-ms", "3000", *args],
                              capture_output=True, text=True, timeout=timeout)

    return run
