"""The project's captures (captures/, written by the reference implementations) decode
without a dissector bug, each with GMP in it. (The field-by-field comparison with
gmp-decode is the lead's codec cross-check, built on tshark_gmp.Tshark.decode_pdus.)"""
import glob
import os

import pytest

from tshark_gmp import REPO

CAPTURES = sorted(glob.glob(os.path.join(REPO, "captures", "*.pcap")) +
                  glob.glob(os.path.join(REPO, "captures", "*.pcapng")))


@pytest.mark.skipif(not CAPTURES, reason="captures/ is empty")
@pytest.mark.parametrize("path", CAPTURES, ids=[os.path.basename(p) for p in CAPTURES])
def test_capture_decodes(ts, path):
    p = ts.run(["-r", ts.stage(path), "-2", "-V"], env={"WIRESHARK_ABORT_ON_DISSECTOR_BUG": "1"},
               check=False, timeout=300)
    text = (p.stdout + p.stderr).decode(errors="replace")
    assert p.returncode == 0, text[-2000:]
    assert "Dissector bug" not in text
    assert ts.decode_pdus(path), "no GMP message in %s" % path


# One address per role (scripts/regen-captures, gmp-pcapgen --lifelines): the server
# 192.0.2.1, the creator 192.0.2.10, every other member 192.0.2.11 on.
SERVER, CREATOR = "192.0.2.1", "192.0.2.10"
FIGURES = [p for p in CAPTURES if os.path.basename(p).startswith(("fig", "sdreq"))]


def _fields(ts, path):
    out = ts.run(["-r", ts.stage(path), "-Y", "gmp", "-T", "fields", "-E", "occurrence=f",
                  "-e", "ip.src", "-e", "ip.dst", "-e", "udp.srcport", "-e", "gmp.sm.type",
                  "-e", "gmp.mm.type", "-e", "gmp.sm.session_id", "-e", "gmp.sm.user_id",
                  "-e", "gmp.mm.session_id", "-e", "gmp.mm.user_id"]).stdout.decode()
    return [line.split("\t") for line in out.splitlines()]


@pytest.mark.parametrize("path", FIGURES, ids=[os.path.basename(p) for p in FIGURES])
def test_one_address_per_role(ts, path):
    rows = _fields(ts, path)
    assert rows
    clients = set()
    sm_ip = {}   # (session, user) -> client IP of its SM messages
    for src, dst, _, smt, _, sms, smu, _, _ in rows:
        assert SERVER in (src, dst), (src, dst)
        client = dst if src == SERVER else src
        assert client.startswith("192.0.2.") and client != SERVER
        clients.add(client)
        if smt == "1" and src != SERVER:
            assert client == CREATOR, "SCREQ from %s" % client
        if smt and sms not in ("", "0x0000") and smu not in ("", "0x0000"):
            sm_ip.setdefault((sms, smu), client)
    # a member's MM datagrams come from the address of its SM connection (profile 5.5)
    for src, dst, _, _, mmt, _, _, mms, mmu in rows:
        if mmt and src != SERVER and (mms, mmu) in sm_ip:
            assert src == sm_ip[(mms, mmu)], (mms, mmu, src)
    if any(r[3] == "1" for r in rows):
        assert CREATOR in clients
