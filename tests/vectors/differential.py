#!/usr/bin/python3
"""Differential test: the C++ codec (through gmp_json) against check_vectors.py's independent
reading of the profile, on seeded mutations of every vector (bit flips, byte changes, option
lengths, truncation, extra bytes; SM checksums repaired most of the time so that the option
rules are reached). Every field and the error name must agree. Exits 1 on a disagreement.

    /usr/bin/python3 tests/vectors/differential.py BUILD/bin/gmp_codec_describe_lines [N]
"""
import json
import pathlib
import random
import subprocess
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, str(pathlib.Path(__file__).parent))
import check_vectors as cv  # noqa: E402


def mutate(rng, b, proto):
    b = bytearray(b)
    op = rng.randrange(7)
    if op == 0 and b:
        i = rng.randrange(len(b))
        b[i] ^= 1 << rng.randrange(8)
    elif op == 1 and b:
        b[rng.randrange(len(b))] = rng.randrange(256)
    elif op == 2 and len(b) >= 20:  # an option's type or length byte
        i = 16 + 4 * rng.randrange((len(b) - 16) // 4) + rng.randrange(2)
        b[i] = rng.choice([0, 1, 2, 3, 4, 5, 8, 9, 63, 64, 65, 252, 253, 255, rng.randrange(256)])
    elif op == 3 and b:
        del b[rng.randrange(len(b)):]
    elif op == 4:
        b += bytes(rng.randrange(256) for _ in range(rng.choice([1, 2, 3, 4, 8])))
    elif op == 5 and len(b) >= 20:  # repeat a row of the option area
        i = 16 + 4 * rng.randrange((len(b) - 16) // 4)
        b[i:i] = b[i:i + 4]
    elif op == 6 and len(b) >= 2:  # header bytes 0-1: version, type, flags, mode
        b[rng.randrange(2)] = rng.randrange(256)
    if proto == "sm" and len(b) >= 4 and rng.random() < 0.7:
        return cv.with_checksum(bytes(b))
    return bytes(b)


def reference(proto, b):
    got = {"protocol": proto}
    try:
        (cv.decode_sm if proto == "sm" else cv.decode_mm)(b, got, set())
        got["error"] = None
    except cv.Bad as e:
        got["error"] = str(e)
    return got


def main():
    tool = sys.argv[1]
    per_vector = int(sys.argv[2]) if len(sys.argv) > 2 else 60
    vectors = json.loads((pathlib.Path(__file__).parent / "vectors.json").read_text())
    rng = random.Random(16513)
    cases = []
    for v in vectors:
        b = bytes.fromhex(v["hex"])
        for _ in range(per_vector):
            b2 = mutate(rng, b, v["protocol"])
            if rng.random() < 0.3:
                b2 = mutate(rng, b2, v["protocol"])
            cases.append((v["name"], v["protocol"], b2))
    stdin = "".join(f"{p} {b.hex()}\n" for _, p, b in cases)
    out = subprocess.run([tool], input=stdin, capture_output=True, text=True, check=True)
    lines = out.stdout.splitlines()
    assert len(lines) == len(cases), "one output line per input"
    problems = 0
    for (name, proto, b), line in zip(cases, lines):
        got, want = json.loads(line), reference(proto, b)
        keys = ["error"] if len(b) < 16 else list(want)
        if want["error"] is not None:
            keys = [k for k in keys if k != "options"]  # options before the fault: not compared
        diff = {k: (got.get(k), want[k]) for k in keys if got.get(k) != want[k]}
        if diff:
            problems += 1
            if problems <= 10:
                print(f"FAIL mutant of {name}: {b.hex()}\n  C++ vs Python: {diff}")
    print(f"{len(cases)} mutants of {len(vectors)} vectors, {problems} disagreements")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
