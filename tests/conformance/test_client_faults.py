"""Proof that the client suite tells right from wrong: for every fault switch of
gmp-client-faulty (each breaks exactly one behaviour the profile requires of a client), the
client purposes that check that behaviour FAIL, and the same purposes pass against gmp-client
(test_client_suite.py runs the whole suite against it)."""
import pathlib
import re
import sys

import pytest

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from conform_helpers import ROOT, binary, need, run_conform, verdicts  # noqa: E402

PIXIT = ROOT / "conformance" / "pixit" / "reference-client.yaml"

# fault -> client purposes that must fail when that behaviour is broken
FAULTS = {
    "kares_no_echo": ["GMP/CLI/KA/01", "GMP/CLI/KA/03", "GMP/CLI/KA/04", "GMP/CLI/KA/05"],
    "kares_late": ["GMP/CLI/KA/01", "GMP/CLI/KA/03"],
    "kares_other_session": ["GMP/CLI/KA/06", "GMP/CLI/KA/07"],
    "kares_wrong_member_type": ["GMP/CLI/KA/01", "GMP/CLI/KA/02"],
    "kares_nonzero_fields": ["GMP/CLI/KA/01"],
    "kares_after_leave": ["GMP/CLI/KA/12"],
    "kares_from_other_port": ["GMP/CLI/ACT/02"],
    "installs_older_epoch": ["GMP/CLI/SEC/02", "GMP/CLI/SEC/03"],
    "keeps_nonsecure_kdupt_key": ["GMP/CLI/SEC/05"],
    "ignore_trind": ["GMP/CLI/TER/01", "GMP/CLI/TER/05", "GMP/CLI/TER/06"],
    "accepts_trind_ss0": ["GMP/CLI/TER/07"],
    "scinf_wrong_s": ["GMP/CLI/CRE/03", "GMP/CLI/CRE/07"],
    "accept_sracc_without_srres": ["GMP/CLI/REG/05"],
    "no_uireq_retransmission": ["GMP/CLI/UI/08"],
    "endless_uireq_retransmission": ["GMP/CLI/UI/08"],
    "no_trreq_retransmission": ["GMP/CLI/TER/02", "GMP/CLI/TER/03"],
    "no_coming_back": ["GMP/CLI/KA/13"],
    "member_count_any_part": ["GMP/CLI/UI/07"],
    "uireq_when_not_active": ["GMP/CLI/UI/09"],
    "screq_nonzero_ids": ["GMP/CLI/CRE/01"],
    "scinf_no_i_flag": ["GMP/CLI/CRE/03"],
    "sjres_s1_without_key_accepted": ["GMP/CLI/JOI/03"],
    "bad_checksum_out": ["GMP/CLI/CRE/01", "GMP/CLI/CRE/03", "GMP/CLI/REG/01", "GMP/CLI/JOI/01", "GMP/CLI/DEL/01"],
    # standing checks: purposes whose steps do not look at the field, so that only the client
    # standing checks can catch it
    "sm_reserved_bit_set": ["GMP/CLI/CRE/09", "GMP/CLI/REG/03", "GMP/CLI/JOI/01"],
    "sm_reserved_byte_set": ["GMP/CLI/CRE/09", "GMP/CLI/REG/03", "GMP/CLI/JOI/01"],
    "mm_reserved_flag_set": ["GMP/CLI/KA/04", "GMP/CLI/SEC/01", "GMP/CLI/UI/03"],
    "mm_reserved_byte_set": ["GMP/CLI/KA/04", "GMP/CLI/SEC/01", "GMP/CLI/UI/03"],
    "option_padding_nonzero": ["GMP/CLI/CRE/02", "GMP/CLI/CRE/09", "GMP/CLI/JOI/02"],
    "wrong_user_id_later": ["GMP/CLI/JOI/02", "GMP/CLI/SEC/01", "GMP/CLI/KA/04"],
    # nothing unexplained: a message no step consumed
    "sjreq_twice": ["GMP/CLI/JOI/01", "GMP/CLI/JOI/02", "GMP/CLI/JOI/03"],
}

# faults whose failing purposes must each rest on one client standing check: (field, profile
# section) as the report's details name them
STANDING_VERDICT = {
    "bad_checksum_out": ("checksum", "2"),
    "sm_reserved_bit_set": ("Q", "2"),
    "sm_reserved_byte_set": ("reserved", "2"),
    "mm_reserved_flag_set": ("R", "3"),
    "mm_reserved_byte_set": ("reserved", "3"),
    "option_padding_nonzero": ("options", "4"),
    "wrong_user_id_later": ("user_id", "2"),
}

# faults whose failing purposes must each fail on nothing unexplained: the type left over
UNEXPLAINED = {"sjreq_twice": "SJREQ"}


def client_cmd(name, fault=None):
    f = f"--fault {fault} " if fault else ""
    return (f"{binary(name)} {f}--server {{sm}} --mm-port {{mm_port}} --uireq-timeout-ms 300 "
            f"--trreq-timeout-ms 300 --script -")


def test_every_fault_switch_is_mapped():
    need("gmp-client-faulty")
    src = (ROOT / "reference" / "client" / "faulty" / "faults.hpp").read_text()
    # The robustness campaign's faults (their own block, last) only show under anomalies:
    # test_client_robustness.py proves them.
    src = src.split("robustness campaign")[0]
    declared = set(re.findall(r"\bX\(([a-z0-9_]+)\)", src))
    assert declared == set(FAULTS), (sorted(declared - set(FAULTS)), sorted(set(FAULTS) - declared))


@pytest.mark.parametrize("fault", sorted(FAULTS))
def test_fault_is_caught(tmp_path, fault):
    need("gmp-conform", "gmp-client-faulty")
    ids = FAULTS[fault]
    args = ["--client-cmd", client_cmd("gmp-client-faulty", fault), "--pixit", str(PIXIT), "--no-pcap"]
    for i in ids:
        args += ["--select", i]
    rc, report, out = run_conform(args, tmp_path)
    assert report is not None, out
    v = verdicts(report)
    assert {i: v.get(i) for i in ids} == {i: "fail" for i in ids}, out
    assert rc == 1, out
    if fault in STANDING_VERDICT:
        field, section = STANDING_VERDICT[fault]
        for case in report["cases"]:
            if case["id"] in ids:
                details = case.get("details", [])
                assert f"field: {field}" in details, (case["id"], case["reason"], details)
                assert f"standing check, profile section {section}" in details, (case["id"], case["reason"], details)
    if fault in UNEXPLAINED:
        for case in report["cases"]:
            if case["id"] in ids:
                assert case["reason"].startswith(f"unexpected {UNEXPLAINED[fault]} from "), (case["id"], case["reason"])
