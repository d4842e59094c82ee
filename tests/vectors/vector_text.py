"""Reads the invalid vectors kept as data (vectors_sm_invalid.txt, vectors_mm_invalid.txt).

A file starts with free text; then each vector is a line "== name", then "error: <name>",
"note: <text>", optionally "expect: <JSON object>" (the fields a decoder must still read;
"protocol" is implied), then the message rows, four bytes a row as in the profile's appendix.
"CC CC" at bytes 2-3 of an SM message is the checksum to compute; after the bytes of a row,
text is a comment.
"""
import json
import pathlib

FIELDS = ("error", "note", "expect")


def load(name, protocol):
    """The vectors of tests/vectors/<name>, as dicts like those of vectors_sm.py."""
    text = (pathlib.Path(__file__).parent / name).read_text(encoding="utf-8")
    vectors = []
    for block in text.split("\n== ")[1:]:
        lines = block.split("\n")
        fields, rows = {}, []
        for line in lines[1:]:
            key, _, value = line.partition(": ")
            if key in FIELDS and not rows:
                fields[key] = value
            else:
                rows.append(line)
        v = {"name": lines[0].strip(), "protocol": protocol, "rows": "\n".join(rows),
             "expect": dict({"protocol": protocol}, **json.loads(fields.pop("expect", "{}"))),
             "canonical": True, **fields}
        missing = [k for k in ("error", "note") if k not in v]
        assert not missing, f"{name}: {v['name']}: no {missing} line"
        vectors.append(v)
    return vectors
