"""Registration: protocol, field names, ports, Decode As, heuristics (issue: "Decoding")."""


def test_plugin_listed_with_version(ts):
    lines = [l.split("\t") for l in ts.plugins().splitlines()]
    row = [[c.strip() for c in l] for l in lines if l[0].strip() == "gmp.so"]
    assert row and row[0][1] == "0.1.0" and row[0][2] == "dissector"


def test_protocol_registered_once(ts):
    rows = [l.split("\t") for l in ts.run(["-G", "protocols"]).stdout.decode().splitlines()]
    gmp = [r for r in rows if r[2] == "gmp"]
    assert gmp == [["Group Management Protocol (X.602)", "GMP", "gmp"]]
    # nothing else uses the short name or a "gmp" filter prefix
    assert [r for r in rows if r[1] == "GMP" or r[2].startswith("gmp")] == gmp


def test_field_names_belong_to_gmp(ts):
    rows = [l.split("\t") for l in ts.run(["-G", "fields"]).stdout.decode().splitlines()]
    fields = [r for r in rows if r[0] == "F" and r[2].startswith("gmp")]
    assert all(r[4] == "gmp" for r in fields), [r for r in fields if r[4] != "gmp"]
    names = {r[2] for r in fields}
    for f in ("gmp.sm.version", "gmp.sm.flags.s", "gmp.sm.checksum.status", "gmp.mm.mode",
              "gmp.mm.member_type", "gmp.mm.flags.ss", "gmp.opt.type", "gmp.opt.reason",
              "gmp.opt.member.user_id", "gmp.response_in", "gmp.response_to",
              "gmp.response_time", "gmp.session_name", "gmp.error"):
        assert f in names
    assert len(names) == len(fields), "duplicate field abbreviations"


def test_expert_infos_one_per_error_name(ts):
    from tshark_gmp import ERROR_NAMES
    # Wireshark 4.0 lists expert infos among the fields (FT_NONE, protocol gmp).
    rows = [l.split("\t") for l in ts.run(["-G", "fields"]).stdout.decode().splitlines()]
    names = {r[2] for r in rows if len(r) > 2 and r[2].startswith("gmp.expert.")}
    for e in ERROR_NAMES:
        assert "gmp.expert." + e in names


def test_ports_and_decode_as(ts):
    out = ts.run(["-G", "decodes"]).stdout.decode()
    assert "tcp.port\t16513\tgmp" in out
    assert "udp.port\t16513\tgmp" in out
    # the port preferences exist (an unknown preference or a bad value fails)
    ok = ts.run(["-o", "gmp.tcp.port:16513", "-o", "gmp.udp.port:16513", "-D"], check=False)
    assert b"Invalid -o flag" not in ok.stderr
    bad = ts.run(["-o", "gmp.tcp.port:bogus", "-D"], check=False)
    assert b"Invalid -o flag" in bad.stderr


def test_heuristics_registered_disabled(ts):
    rows = [l.split("\t") for l in ts.run(["-G", "heuristic-decodes"]).stdout.decode().splitlines()]
    mine = {(r[0], r[1], r[2]) for r in rows if r[1] == "gmp"}
    assert mine == {("tcp", "gmp", "F"), ("udp", "gmp", "F")}, rows[:5]
