"""The hand-written invalid SM vectors (profile section 7), kept as data in
vectors_sm_invalid.txt (format described at its top): one fault each; the checksum verifies
unless the checksum is the fault. Conventions as in vectors_sm.py."""
import json
import pathlib

SOURCE = pathlib.Path(__file__).with_name("vectors_sm_invalid.txt")
FIELDS = ("error", "note", "expect")


def load(text):
    """The vectors of the text: dicts like vectors_sm.py's, "rows" being the message rows."""
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
        v = {"name": lines[0].strip(), "protocol": "sm", "rows": "\n".join(rows),
             "expect": dict({"protocol": "sm"}, **json.loads(fields.pop("expect", "{}"))),
             "canonical": True, **fields}
        missing = [k for k in ("error", "note") if k not in v]
        assert not missing, f"{v['name']}: no {missing} line"
        vectors.append(v)
    return vectors


INVALID = load(SOURCE.read_text(encoding="utf-8"))
