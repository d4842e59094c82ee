#!/usr/bin/python3
"""Writes vectors.json from the hand-written vectors below (stdlib only).

Every vector's bytes are written here by hand, four bytes a row as in the profile's appendix,
and every expected field is written by hand too. The only thing computed is the SM checksum
(bytes 2-3, written `CC CC`), which check_vectors.py recomputes independently. Nothing here
comes from the project's C++ codec: these vectors are what test it.

    /usr/bin/python3 tests/vectors/author_vectors.py      # rewrites vectors.json
    /usr/bin/python3 tests/vectors/author_vectors.py --check   # exit 1 if it is stale
    /usr/bin/python3 tests/vectors/check_vectors.py       # re-derives every field
"""
import json
import pathlib
import sys

sys.dont_write_bytecode = True  # keep the source tree clean when run by ctest
sys.path.insert(0, str(pathlib.Path(__file__).parent))
sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))  # tests/: gmpwire
from gmpwire import with_checksum  # noqa: E402
from vectors_sm import SM_VECTORS  # noqa: E402
from vectors_mm import MM_VECTORS  # noqa: E402


def rows_to_bytes(rows):
    """'14 01 CC CC   comment' lines -> bytes (CC marks the checksum to compute)."""
    out = []
    for line in rows.strip().splitlines():
        line = line.split("#")[0]
        words = line.split("  ")[0].split()
        for w in words:
            out.append(None if w == "CC" else int(w, 16))
    return out


def fill_checksum(raw):
    if None not in raw:
        return bytes(raw)
    assert raw[2] is None and raw[3] is None and raw.count(None) == 2, "CC only at bytes 2-3"
    return with_checksum(bytes(0 if b is None else b for b in raw))

def main():
    vectors = []
    names = set()
    for v in SM_VECTORS + MM_VECTORS:
        b = fill_checksum(rows_to_bytes(v["rows"]))
        assert v["name"] not in names, v["name"]
        names.add(v["name"])
        expect = dict(v["expect"])
        # The checksum value is the one computed above (check_vectors.py verifies it).
        if v["protocol"] == "sm" and expect.get("checksum", None) == "computed":
            expect["checksum"] = (b[2] << 8) | b[3]
        out = {"name": v["name"], "protocol": v["protocol"], "hex": b.hex(),
               "note": v.get("note", ""), "expect": expect, "error": v.get("error")}
        if not v.get("canonical", True):
            out["canonical"] = False
        vectors.append(out)
    path = pathlib.Path(__file__).parent / "vectors.json"
    text = json.dumps(vectors, indent=1, ensure_ascii=False) + "\n"
    if "--check" in sys.argv:
        if path.read_text() != text:
            print(f"{path} is not what the vector sources give: run {__file__}")
            return 1
        print(f"{path}: {len(vectors)} vectors, up to date")
        return 0
    path.write_text(text)
    print(f"wrote {len(vectors)} vectors to {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
