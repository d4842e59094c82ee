"""A scenario mistake is a load error naming file:line, and gmp-conform exits with the
scenario-error exit code (2, conformance/src/exit_code.hpp) before it runs anything
(docs/conformance.md, "The scenario language")."""
import pathlib
import subprocess
import sys

import pytest

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from conform_helpers import binary, need  # noqa: E402

HEAD = ('purposes:\n  - id: GMP/SM/CRE/01\n    clauses: ["7.1.1"]\n    requirement: r\n'
        "    lifelines: [creator, A]\n")  # the next line is line 6
LIB = ("macros:\n  reg:\n    params: [who]\n    steps:\n"
       '      - send: {from: "{{who}}", type: SRREQ}\n')

# (purpose text after HEAD, library, where the error is, what it says)
MISTAKES = [
    ("    steps:\n      - sned: {from: A}\n", LIB, "f.yaml:7:", "unknown step key 'sned'"),
    ("    steps:\n      - send: {from: B, type: SRREQ}\n", LIB, "f.yaml:7:", "lifeline 'B' is not declared"),
    ("    steps:\n      - call: regg\n        with: {who: A}\n", LIB, "f.yaml:7:", "undefined macro 'regg'"),
    ("    steps:\n      - call: reg\n        with: {whom: A}\n", LIB, "f.yaml:8:", "has no parameter 'whom'"),
    ("    setup:\n      - reg: A\n    steps:\n      - wait: 1\n",
     LIB.replace('"{{who}}"', '"{{who}}", user_id: "{{uid}}"'), "lib/m.yaml:5:", "'{{uid}}' is not one of its parameters"),
    ("    steps:\n      - send: {from: A, type: SRREQ, m: 1}\n", LIB, "f.yaml:7:", "written 'flags.m'"),
    ("    steps:\n      - send: {from: A, type: SRREQ, options: [{CLIENT-NAM: x}]}\n", LIB, "f.yaml:7:",
     "unknown option name 'CLIENT-NAM'"),
    ("    steps:\n      - expect: {at: A, type: SRACC, match: {flags.x: true}}\n", LIB, "f.yaml:7:", "unknown flag 'flags.x'"),
    ("    steps:\n      - expect: {at: A, type: SRACC, within: \"2 * $ka_ms +\"}\n", LIB, "f.yaml:7:", "'within'"),
    ("    steps:\n      - expect: {at: A, type: SRACK}\n", LIB, "f.yaml:7:", "unknown message type \"SRACK\""),
]


def write(tmp_path, text, lib):
    d = tmp_path / "scenarios"
    (d / "lib").mkdir(parents=True)
    (d / "f.yaml").write_text(HEAD + text)
    (d / "lib" / "m.yaml").write_text(lib)
    return d


@pytest.mark.parametrize("text,lib,where,says", MISTAKES, ids=[m[3] for m in MISTAKES])
def test_scenario_mistake_is_a_load_error_with_file_and_line(tmp_path, text, lib, where, says):
    need("gmp-conform")
    d = write(tmp_path, text, lib)
    p = subprocess.run([str(binary("gmp-conform")), "--scenarios", str(d), "--validate"], capture_output=True,
                       text=True, timeout=30)
    assert p.returncode == 2, p.stdout + p.stderr
    line = next((l for l in p.stderr.splitlines() if where in l), None)
    assert line is not None and says in line, p.stderr


def test_a_run_stops_at_the_load_error_before_any_case(tmp_path):
    need("gmp-conform")
    d = write(tmp_path, MISTAKES[0][0], LIB)
    # Nothing listens on port 9: a run that got past loading would report the target instead.
    p = subprocess.run([str(binary("gmp-conform")), "--scenarios", str(d), "--target", "127.0.0.1:9",
                        "--report-dir", str(tmp_path / "r")], capture_output=True, text=True, timeout=30)
    assert p.returncode == 2, p.stdout + p.stderr
    assert "f.yaml:7:" in p.stderr and "sned" in p.stderr
