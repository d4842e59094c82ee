#!/usr/bin/python3
"""Checks vectors.json against an independent reading of the profile (stdlib only).

For every vector: decodes the hex with the small decoder below (profile sections 2-4 and 7),
recomputes the SM checksum, compares every key of `expect` and the error name, and re-encodes
valid vectors marked canonical to check they come out byte for byte. Then checks coverage:
every SM and MM type, every option type (0..19 and an unknown one), every message error name.
Exits 1 on any inconsistency.

    /usr/bin/python3 tests/vectors/check_vectors.py [vectors.json]
"""
import json
import pathlib
import sys

sys.dont_write_bytecode = True  # keep the source tree clean when run by ctest
sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))  # tests/: gmpwire
from gmpwire import ones_sum, with_checksum  # noqa: E402  (the RFC 1071 sum, profile 2)

SM_TYPES = ["SCREQ", "SCACC", "SCREJ", "SDREQ", "SDRES", "SCINF", "SCCON", "SRREQ", "SRRES",
            "SRACC", "SRREJ", "SJREQ", "SJRES", "SAREQ"]  # codes 1..14
MM_TYPES = ["KAREQ", "KARES", "UIREQ", "UIRES", "LVREQ", "TRREQ", "TRIND", "KDUPT"]  # 1..8
OPTS = ["END", "CLIENT-NAME", "SESSION-NAME", "SESSION-INFO", "OWNER-INFO", "START-TIME",
        "END-TIME", "MEDIA-INFO", "APP-INFO", "KEEPALIVE", "BASE-MEMBER", "ALLOW",
        "ACCESS-KEY", "MM-PORT", "GROUP-KEY", "MEMBER-LIST", "MEMBER-COUNT", "LIST-PART",
        "REASON", "KA-SEQ"]
TEXT_OPTS = {1, 2, 3, 4, 7, 8, 10, 11}
REPEATABLE = {10, 11, 15}
FIXED = {5: 8, 6: 8, 9: 3, 13: 2, 16: 4, 17: 2, 18: 1, 19: 4}
REASONS = ["success", "resources exhausted", "not authorised", "secure mode not supported",
           "unknown session", "invalid request"]
MEMBERS = {4: "creator", 2: "base", 1: "participant"}
MESSAGE_ERRORS = ["too_short", "not_aligned", "bad_version", "bad_checksum", "unknown_type",
                  "truncated_option", "duplicate_option", "bad_option_size", "bad_option_value",
                  "missing_required_option", "flag_contradicts_type", "bad_mode",
                  "invalid_utf8"]
SM_REQUIRED = {1: 1, 8: 1, 14: 13, 3: 18, 11: 18, 5: 18}  # type -> option code
MM_REQUIRED = {1: 19, 4: 17, 8: 14}


class Bad(Exception):
    pass


def be(b):
    return int.from_bytes(b, "big")


def ip(b):
    return ".".join(str(x) for x in b)


def read_options(b, key_length, seen_codes):
    opts, seen, pos = [], set(), 16
    while pos < len(b):
        t = b[pos]
        if t == 0:
            seen_codes.add(0)
            break
        if pos + 2 > len(b):
            raise Bad("truncated_option")
        n = b[pos + 1]
        if pos + 2 + n > len(b):
            raise Bad("truncated_option")
        v = b[pos + 2:pos + 2 + n]
        o = {"type": OPTS[t] if t < len(OPTS) else "UNKNOWN", "code": t, "length": n}
        if t < len(OPTS):
            if t in FIXED and n != FIXED[t]:
                raise Bad("bad_option_size")
            if t in (1, 2, 10, 11) and n == 0:  # names: 1..255
                raise Bad("bad_option_size")
            if t == 12 and not 1 <= n <= 64:
                raise Bad("bad_option_size")
            if t == 14 and (n != 2 + key_length or n < 3):  # epoch + a key of >= 1 byte
                raise Bad("bad_option_size")
            if t == 15 and (n == 0 or n % 4 or n > 252):
                raise Bad("bad_option_size")
            if t not in REPEATABLE and t in seen:
                raise Bad("duplicate_option")
            seen.add(t)
        if t in TEXT_OPTS:
            try:  # profile 4: text options are UTF-8 (strict: no overlong, no surrogate)
                o["value"] = v.decode("utf-8")
            except UnicodeDecodeError:
                raise Bad("invalid_utf8")
        elif t in (5, 6, 13, 16, 19):
            o["value"] = be(v)
            if t == 13 and o["value"] == 0:
                raise Bad("bad_option_value")
        elif t == 9:
            o.update(period=v[0], timeout=v[1], miss_limit=v[2])
        elif t == 12 or t >= len(OPTS):
            o["hex"] = v.hex()
        elif t == 14:
            o.update(epoch=be(v[:2]), key=v[2:].hex())
        elif t == 15:
            o["entries"] = [{"user_id": be(v[i:i + 2]),
                             "member_type": MEMBERS.get(v[i + 2] & 7, "invalid"),
                             "member_type_code": v[i + 2] & 7} for i in range(0, n, 4)]
        elif t == 17:
            o.update(index=v[0], count=v[1])
            if v[0] == 0 or v[0] > v[1]:
                raise Bad("bad_option_value")
        elif t == 18:
            o.update(value=v[0], text=REASONS[v[0]] if v[0] < len(REASONS) else "unknown")
        opts.append(o)
        seen_codes.add(t if t < len(OPTS) else "unknown")
        pos += 2 + n
        pos += (-pos) % 4
    return opts


def walk_structure(b):
    """The TLV walk alone (no semantic rule): every option fits, every padding byte is zero."""
    pos = 16
    while pos < len(b) and b[pos] != 0:
        end = pos + 2 + b[pos + 1]
        if end > len(b):
            return f"option at {pos} runs past the end"
        pad_end = end + (-end) % 4
        if any(b[end:pad_end]):
            return f"padding after the option at {pos} is not zero"
        pos = pad_end
    if pos < len(b) and any(b[pos:]):
        return f"bytes after END at {pos}"
    return None


def check_frame(b):
    """The checks both protocols make first, in this order (profile 2 and 3): length, 32-bit
    alignment, version."""
    if len(b) < 16:
        raise Bad("too_short")
    if len(b) % 4:
        raise Bad("not_aligned")
    if b[0] >> 4 != 1:
        raise Bad("bad_version")


def decode_sm(b, out, seen_codes):
    if len(b) >= 4:
        out.update(version=b[0] >> 4, type_code=b[1], checksum=be(b[2:4]),
                   type=SM_TYPES[b[1] - 1] if 1 <= b[1] <= 14 else "UNKNOWN",
                   flags={"q": bool(b[0] & 8), "s": bool(b[0] & 4), "m": bool(b[0] & 2),
                          "i": bool(b[0] & 1)})
    if len(b) >= 16:
        out.update(session_id=be(b[4:6]), user_id=be(b[6:8]), key_length=b[8],
                   reserved=b[9], group_port=be(b[10:12]), group_address=ip(b[12:16]))
    check_frame(b)
    out["checksum_status"] = "good" if ones_sum(b) == 0xFFFF else "bad"
    if out["checksum_status"] == "bad":
        raise Bad("bad_checksum")
    t = b[1]
    if not 1 <= t <= 14:
        raise Bad("unknown_type")
    if out["flags"]["i"] != (t == 6):
        raise Bad("flag_contradicts_type")
    out["options"] = read_options(b, b[8], seen_codes)
    codes = {o["code"] for o in out["options"]}
    if t in SM_REQUIRED and SM_REQUIRED[t] not in codes:
        raise Bad("missing_required_option")
    if t == 13 and out["flags"]["s"] and 14 not in codes:
        raise Bad("missing_required_option")


def decode_mm(b, out, seen_codes):
    if len(b) >= 2:
        mode, mt = b[1] >> 6, (b[1] >> 3) & 7
        out.update(version=b[0] >> 4, type_code=b[0] & 15,
                   type=MM_TYPES[(b[0] & 15) - 1] if 1 <= b[0] & 15 <= 8 else "UNKNOWN",
                   mode={1: "open", 2: "closed"}.get(mode, "invalid"), mode_code=mode,
                   member_type=MEMBERS.get(mt, "invalid"), member_type_code=mt,
                   flags={"r": bool(b[1] & 4), "ss": bool(b[1] & 2), "ui": bool(b[1] & 1)})
    if len(b) >= 16:
        out.update(group_port=be(b[2:4]), session_id=be(b[4:6]), user_id=be(b[6:8]),
                   group_address=ip(b[8:12]), ka_period=b[12], ka_timeout=b[13],
                   key_length=b[14], reserved=b[15])
    check_frame(b)
    t = b[0] & 15
    if not 1 <= t <= 8:
        raise Bad("unknown_type")
    if out["mode_code"] not in (1, 2):
        raise Bad("bad_mode")
    # Profile 3 (1.3): the member type code is never checked (a non-standard one shows "invalid").
    if out["flags"]["ui"] != (t == 4) or out["flags"]["ss"] != (t == 7):
        raise Bad("flag_contradicts_type")
    out["options"] = read_options(b, b[14], seen_codes)
    if t in MM_REQUIRED and MM_REQUIRED[t] not in {o["code"] for o in out["options"]}:
        raise Bad("missing_required_option")


def encode_options(opts):
    out = bytearray()
    for o in opts:
        t = o["code"]
        if "entries" in o:
            v = b"".join(e["user_id"].to_bytes(2, "big") + bytes([e["member_type_code"], 0])
                         for e in o["entries"])
        elif "hex" in o:
            v = bytes.fromhex(o["hex"])
        elif "epoch" in o:
            v = o["epoch"].to_bytes(2, "big") + bytes.fromhex(o["key"])
        elif "period" in o:
            v = bytes([o["period"], o["timeout"], o["miss_limit"]])
        elif "index" in o:
            v = bytes([o["index"], o["count"]])
        elif isinstance(o["value"], str):
            v = o["value"].encode()
        else:
            v = o["value"].to_bytes(FIXED[t], "big")
        out += bytes([t, len(v)]) + v
        out += bytes((-len(out)) % 4)
    return bytes(out)


def encode(m):
    opts = encode_options(m["options"])
    if m["protocol"] == "sm":
        f = m["flags"]
        h = bytes([m["version"] << 4 | f["q"] << 3 | f["s"] << 2 | f["m"] << 1 | f["i"],
                   m["type_code"], 0, 0])
        h += m["session_id"].to_bytes(2, "big") + m["user_id"].to_bytes(2, "big")
        h += bytes([m["key_length"], m["reserved"]]) + m["group_port"].to_bytes(2, "big")
        h += bytes(int(x) for x in m["group_address"].split("."))
        return with_checksum(h + opts)
    f = m["flags"]
    h = bytes([m["version"] << 4 | m["type_code"],
               m["mode_code"] << 6 | m["member_type_code"] << 3 | f["r"] << 2 | f["ss"] << 1
               | f["ui"]])
    h += m["group_port"].to_bytes(2, "big") + m["session_id"].to_bytes(2, "big")
    h += m["user_id"].to_bytes(2, "big") + bytes(int(x) for x in m["group_address"].split("."))
    h += bytes([m["ka_period"], m["ka_timeout"], m["key_length"], m["reserved"]])
    return h + opts


def main():
    path = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else
                        pathlib.Path(__file__).parent / "vectors.json")
    vectors = json.loads(path.read_text())
    problems, names = [], set()
    cover = {"sm": set(), "mm": set(), "opt": set(), "err": set()}
    for v in vectors:
        name = v["name"]
        if name in names:
            problems.append(f"{name}: duplicate name")
        names.add(name)
        b = bytes.fromhex(v["hex"])
        got = {"protocol": v["protocol"]}
        seen_codes = set()
        try:
            (decode_sm if v["protocol"] == "sm" else decode_mm)(b, got, seen_codes)
            got["error"] = None
        except Bad as e:
            got["error"] = str(e)
        if got["error"] != v["error"]:
            problems.append(f"{name}: error {got['error']} != {v['error']}")
            continue
        for k, want in v["expect"].items():
            if k not in got:
                problems.append(f"{name}: no field {k} in the decoding")
            elif got[k] != want:
                problems.append(f"{name}: {k} = {got[k]!r}, expected {want!r}")
        if len(b) >= 16 and len(b) % 4 == 0 and v["error"] != "truncated_option":
            why = walk_structure(b)
            if why and v.get("canonical", True):
                problems.append(f"{name}: {why}")
        if v["error"] is None:
            for k in ("type", "options", "flags", "session_id", "error"):
                if k not in v["expect"]:
                    problems.append(f"{name}: valid vector without expected {k}")
            cover[v["protocol"]].add(got["type"])
            cover["opt"] |= seen_codes
            if v["protocol"] == "sm" and got.get("checksum_status") != "good":
                problems.append(f"{name}: checksum does not verify")
            again = encode(got)
            if v.get("canonical", True) and again != b:
                problems.append(f"{name}: canonical vector re-encodes as {again.hex()}")
            if not v.get("canonical", True) and again == b:
                problems.append(f"{name}: marked non-canonical but re-encodes identically")
        else:
            cover["err"].add(v["error"])
            if v["protocol"] == "sm" and v["error"] != "bad_checksum" and len(b) >= 4:
                if ones_sum(b) != 0xFFFF:
                    problems.append(f"{name}: checksum wrong besides the fault under test")
    for key, want in (("sm", SM_TYPES), ("mm", MM_TYPES), ("err", MESSAGE_ERRORS),
                      ("opt", list(range(20)) + ["unknown"])):
        missing = [w for w in want if w not in cover[key]]
        if missing:
            problems.append(f"coverage: no vector for {key} {missing}")
    for p in problems:
        print("FAIL", p)
    print(f"{len(vectors)} vectors, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
