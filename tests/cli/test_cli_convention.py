"""One command-line convention for every gmp-* program (README.md, "Exit codes"):
--version prints "<program> <project version>", --help exits 0, and a usage error (unknown
option, out-of-range or unknown value) exits 2 with a message naming the option."""
import os
import pathlib
import re
import subprocess

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
BIN = pathlib.Path(os.environ.get("GMP_BUILD_DIR", ROOT / "build")) / "bin"
VERSION = re.search(r"project\(gmp-toolkit VERSION ([0-9.]+)",
                    (ROOT / "CMakeLists.txt").read_text()).group(1)

# program -> (arguments with an out-of-range or unknown value, the option the message must name)
BAD_VALUE = {
    "gmp-server": (["--max-message", "8"], "--max-message"),
    "gmp-server-faulty": (["--fault", "no_such_fault"], "--fault"),
    "gmp-client": (["--uireq-tries", "0"], "--uireq-tries"),
    "gmp-conform": (["--jobs", "0"], "--jobs"),
    "gmp-decode": (["--port", "70000", "x.pcap"], "--port"),
    "gmp-load": (["run", "--port", "1", "--threads", "999"], "--threads"),
    "gmp-pcapgen": (["--port", "0", str(ROOT / "tests/vectors/vectors.json"), "o.pcap"], "--port"),
}
# Arguments that are valid on their own, so that the unknown option is the only error.
VALID = {"gmp-load": ["run", "--port", "1"],
         "gmp-pcapgen": [str(ROOT / "tests/vectors/vectors.json"), "/tmp/unused.pcap"]}
# Values from a fixed set: the log level of the server.
BAD_CHOICE = {"gmp-server": (["--log-level", "loud"], "--log-level")}


def run(prog, *args):
    exe = BIN / prog
    if not exe.exists():
        pytest.skip(f"{exe} not built")
    return subprocess.run([str(exe), *args], capture_output=True, text=True, timeout=30,
                          cwd="/tmp")


@pytest.mark.parametrize("prog", sorted(BAD_VALUE))
def test_version(prog):
    p = run(prog, "--version")
    assert p.returncode == 0, p.stderr
    assert p.stdout.strip() == f"{prog} {VERSION}"


@pytest.mark.parametrize("prog", sorted(BAD_VALUE))
def test_help(prog):
    p = run(prog, "--help")
    assert p.returncode == 0, p.stderr
    assert "--version" in p.stdout and "--help" in p.stdout


@pytest.mark.parametrize("prog", sorted(BAD_VALUE))
def test_unknown_option_exits_2(prog):
    p = run(prog, *VALID.get(prog, []), "--no-such-option")
    assert p.returncode == 2, (p.stdout, p.stderr)
    assert "--no-such-option" in p.stderr


@pytest.mark.parametrize("prog,case", sorted({**BAD_VALUE}.items()) + sorted(BAD_CHOICE.items()))
def test_bad_value_exits_2_naming_the_option(prog, case):
    args, option = case
    p = run(prog, *args)
    assert p.returncode == 2, (p.stdout, p.stderr)
    assert option in p.stderr, p.stderr


def test_faulty_server_help_lists_the_faults():
    p = run("gmp-server-faulty", "--help")
    assert "no_srres" in p.stdout and "accept_bad_checksum" in p.stdout


def test_network_error_names_transport_and_address():
    """A port already taken: the error says which transport and address (not a bare errno)."""
    import socket
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen(1)
        port = busy.getsockname()[1]
        p = run("gmp-server", "--listen", f"127.0.0.1:{port}")
    assert p.returncode == 1, p.stderr
    assert f"bind tcp 127.0.0.1:{port}" in p.stderr, p.stderr


def test_conform_reports_how_the_server_died():
    """--server-cmd that exits before its listening line: its exit status is named at once."""
    p = run("gmp-conform", "--server-cmd", "sh -c 'exit 7'")
    assert p.returncode != 0
    assert "exited with status 7" in p.stderr, p.stderr
