"""Fixtures of the reliability tests (docs/reliability.md): a gmp-server on 127.0.0.1 with the
flags a test gives, always stopped. $GMP_BUILD_DIR/bin/gmp-server (GMP_SERVER overrides)."""
import os
import pathlib
import select
import subprocess
import sys
import time

import pytest

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))  # reliability_wire (importlib mode)


def server_exe() -> pathlib.Path:
    if os.environ.get("GMP_SERVER"):
        return pathlib.Path(os.environ["GMP_SERVER"])
    d = os.environ.get("GMP_BUILD_DIR")
    if not d:
        pytest.fail("GMP_BUILD_DIR is not set: point it at the CMake build directory")
    exe = pathlib.Path(d) / "bin" / "gmp-server"
    if not exe.is_file():
        pytest.fail(f"{exe} is missing: build it first")
    return exe


class Server:
    """A running gmp-server: its ports, its pid, its stderr (a file, so it never blocks)."""

    def __init__(self, tmp: pathlib.Path, *args: str, preexec=None):
        self.err_path = tmp / "server.err"
        self.err = open(self.err_path, "wb")
        self.proc = subprocess.Popen([str(server_exe()), "--listen", "127.0.0.1:0", *args],
                                     stdout=subprocess.PIPE, stderr=self.err, text=True,
                                     preexec_fn=preexec)
        line = ""
        end = time.monotonic() + 10
        while time.monotonic() < end and not line.startswith("listening"):
            if select.select([self.proc.stdout], [], [], 0.2)[0]:
                line = self.proc.stdout.readline()
            if self.proc.poll() is not None:
                break
        if not line.startswith("listening"):
            self.stop()
            raise RuntimeError(f"gmp-server did not start: {line!r} {self.err_path.read_text()[-2000:]}")
        fields = dict(part.split("=", 1) for part in line.split()[1:])
        self.sm = int(fields["sm"].rsplit(":", 1)[1])
        self.mm = int(fields["mm"].rsplit(":", 1)[1])
        self.http = fields.get("http", "off")

    @property
    def pid(self) -> int:
        return self.proc.pid

    def cpu_seconds(self) -> float:
        """utime + stime from /proc/PID/stat (fields 14 and 15)."""
        stat = pathlib.Path(f"/proc/{self.pid}/stat").read_text()
        fields = stat[stat.rindex(")") + 2:].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def stop(self, timeout: float = 5.0):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.err.close()


@pytest.fixture
def start_server(tmp_path):
    started = []

    def start(*args, preexec=None):
        d = tmp_path / f"srv{len(started)}"
        d.mkdir()
        s = Server(d, *args, preexec=preexec)
        started.append(s)
        return s

    yield start
    for s in started:
        s.stop()
