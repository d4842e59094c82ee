"""Proof that gmp-conform tells right from wrong.

1. The whole suite passes against the reference gmp-server (exit code 0, no fail/inconc/error).
2. For every fault switch of gmp-server-faulty (each breaks exactly one required behaviour),
   the test purposes that check that behaviour FAIL, with the right IDs. The selection run is
   the table's IDs (fast); set GMP_CONFORM_FULL_FAULTS=1 to run the whole suite per fault.
"""
import os
import pathlib
import re
import sys

import pytest

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from conform_helpers import PIXIT, ROOT, SERVER_ARGS, binary, need, run_conform, unexpected, verdicts  # noqa: E402

# Faults no test purpose is meant to catch: the capacity campaign shows them (test_capacity.py).
CAPACITY_ONLY = {"slow_mm"}
# Faults on rare malformations only: the robustness campaign shows them (test_robustness.py).
ROBUSTNESS_ONLY = {"hang_on_zero_length_option", "corrupt_on_duplicate_keepalive", "answer_truncated_scinf",
                   "forget_member_on_mm_3_bytes_over"}

# fault -> test purposes that must fail when that behaviour is broken
FAULTS = {
    "scacc_sets_mode": ["GMP/SM/CRE/01", "GMP/SM/CRE/02", "GMP/SEC/CRE/01"],
    "screj_wrong_order": ["GMP/SM/CRE/04"],
    "no_screj_on_bad_scinf": ["GMP/SM/CRE/05", "GMP/SM/CRE/06", "GMP/SM/CRE/07", "GMP/SM/CRE/08",
                              "GMP/SM/CRE/09", "GMP/SM/CRE/10"],
    "sequential_ids": ["GMP/SM/REG/05"],
    "no_srres": ["GMP/SM/REG/06", "GMP/SM/REG/07", "GMP/SM/REG/08", "GMP/SM/REG/09",
                 "GMP/SM/REG/10", "GMP/SM/REG/11"],
    "srres_after_check": ["GMP/SM/REG/06", "GMP/SM/REG/09"],
    "srrej_no_reason": ["GMP/SM/REG/03", "GMP/SM/REG/09", "GMP/SM/REG/10"],
    "registration_not_idempotent": ["GMP/SM/REG/02"],
    "accept_wrong_access_key": ["GMP/SM/REG/10", "GMP/SM/REG/11"],
    "ignore_allow_list": ["GMP/SM/REG/09"],
    "sjres_no_key": ["GMP/SEC/KEY/01"],
    "sjres_wrong_group": ["GMP/SM/JOI/01"],
    "no_kareq_on_sareq": ["GMP/SM/ACT/01", "GMP/SM/ACT/03"],
    "ka_seq_not_incremented": ["GMP/MM/KA/01"],
    "no_promotion_registered": ["GMP/MM/KA/04"],
    "no_demotion": ["GMP/MM/KA/02"],
    "demote_too_early": ["GMP/MM/KA/05"],
    "accept_future_kares": ["GMP/MM/KA/06"],
    "kareq_after_leave": ["GMP/MM/LV/01"],
    "uires_unsorted": ["GMP/MM/UI/02", "GMP/MM/UI/03"],
    "uires_no_member_count": ["GMP/MM/UI/01"],
    "uires_open_lists_all": ["GMP/MM/UI/01"],
    "uires_no_split": ["GMP/MM/UI/03"],
    "no_trind_to_causer": ["GMP/MM/END/01", "GMP/MM/END/03", "GMP/MM/END/05"],
    "trind_no_ss": ["GMP/MM/END/05"],
    "no_terminate_on_base_lvreq": ["GMP/MM/END/03"],
    "no_terminate_on_creator_timeout": ["GMP/MM/END/01", "GMP/MM/END/08"],
    "sdreq_from_member_accepted": ["GMP/SM/DEL/02"],
    "no_rekey_on_leave": ["GMP/SEC/KEY/03"],
    "kdupt_to_leaver": ["GMP/SEC/KEY/04"],
    "no_catchup_kdupt": ["GMP/SEC/KEY/05"],
    "secure_accepted_when_unsupported": ["GMP/SEC/SCR/01"],
    "accept_bad_checksum": ["GMP/ROB/CKS/01"],
    "accept_bad_version": ["GMP/ROB/VER/01", "GMP/ROB/VER/02"],
    "answer_unknown_type": ["GMP/ROB/TYP/01", "GMP/ROB/TYP/02"],
    "accept_wrong_direction": ["GMP/ROB/DIR/01", "GMP/ROB/DIR/02"],
    "ignore_truncated_option": ["GMP/ROB/OPT/01", "GMP/ROB/OPT/02"],
    "accept_duplicate_option": ["GMP/ROB/OPT/03"],
    "accept_contradicting_flags": ["GMP/ROB/FLG/01", "GMP/ROB/FLG/02"],
    "accept_bad_mode": ["GMP/ROB/MOD/01"],
    "accept_unknown_user": ["GMP/ROB/USR/01", "GMP/ROB/USR/02"],
    "accept_wrong_state": ["GMP/ROB/STA/01", "GMP/ROB/STA/02", "GMP/MM/RCV/02"],
    "accept_spoofed_mm": ["GMP/MM/ADR/01"],
    "accept_sm_from_other_ip": ["GMP/SM/ADR/01"],
    "no_close_on_framing_error": ["GMP/ROB/FRM/01", "GMP/ROB/FRM/02", "GMP/ROB/FRM/03"],
    "keep_pending_after_close": ["GMP/SM/CRE/04"],
    "no_pending_timeout": ["GMP/SM/CRE/12"],
    "kareq_wrong_ka_values": ["GMP/MM/KA/01", "GMP/SM/ACT/01"],
    "no_kareq_rounds": ["GMP/MM/KA/01"],
    "sdres_no_trind": ["GMP/SM/DEL/01"],
    "short_group_key": ["GMP/SEC/KEY/01"],
    "srres_before_unknown_session": ["GMP/SM/REG/04"],
    "late_kares_resets_misses": ["GMP/MM/KA/07"],
    "accept_kares_after_leave": ["GMP/MM/LV/02"],
    # missing branches
    "sequential_ids_stride2": ["GMP/SM/REG/15"],
    "descending_ids": ["GMP/SM/REG/15"],
    "member_count_every_part": ["GMP/MM/UI/08"],
    "uires_option_order_swapped": ["GMP/MM/UI/01", "GMP/MM/UI/02", "GMP/MM/UI/08", "GMP/MM/UI/09"],
    "uires_pack_62": ["GMP/MM/UI/09"],
    "wrong_ka_seq_after_sareq": ["GMP/SM/ACT/05", "GMP/SM/ACT/06", "GMP/SM/ACT/07"],
    "sareq_new_port_ignored": ["GMP/SM/ACT/07"],
    "spoofed_kares_counts": ["GMP/MM/ADR/04"],
    "late_kares_no_promotion": ["GMP/MM/KA/10"],
    "sjreq_from_joined_refused": ["GMP/SM/JOI/04", "GMP/SM/JOI/05"],
    "sjreq_after_demotion_refused": ["GMP/SM/JOI/05"],
    "kdupt_wrong_key_length": ["GMP/SEC/KEY/07"],
    "one_leaver_per_round": ["GMP/MM/LV/04"],
    "registration_other_ip_accepted_closed": ["GMP/SM/REG/14"],
    # standing checks
    "extra_srres_after_sracc": ["GMP/SM/REG/06", "GMP/SM/REG/07", "GMP/SM/REG/09"],
    "duplicate_sjres": ["GMP/SM/ADR/01", "GMP/SM/ACT/03", "GMP/MM/END/02"],
    "extra_uires_part": ["GMP/MM/ADR/01", "GMP/SM/ACT/02", "GMP/MM/KA/09"],
    "sm_reserved_bit_set": ["GMP/SM/ADR/01", "GMP/SM/CRE/08", "GMP/SM/REG/03"],
    "sm_reserved_byte_set": ["GMP/SM/ADR/01", "GMP/SM/CRE/08", "GMP/SM/REG/03"],
    "mm_reserved_flag_set": ["GMP/MM/ADR/01", "GMP/SM/ACT/01", "GMP/MM/KA/04"],
    "mm_reserved_byte_set": ["GMP/MM/ADR/01", "GMP/SM/ACT/01", "GMP/MM/KA/04"],
    "member_list_reserved_nonzero": ["GMP/MM/UI/01", "GMP/MM/UI/02", "GMP/MM/UI/07"],
    "ka_period_off_by_one": ["GMP/MM/ADR/01", "GMP/SM/ACT/01", "GMP/MM/UI/07"],
    "ka_timeout_off_by_one": ["GMP/MM/ADR/01", "GMP/SM/ACT/01", "GMP/MM/UI/07"],
    "ka_seq_skips_round": ["GMP/MM/KA/04", "GMP/MM/KA/05", "GMP/MM/KA/07"],
    "kareq_rounds_early": ["GMP/MM/KA/04", "GMP/MM/KA/07"],
    "sracc_no_m": ["GMP/SM/EXA/01", "GMP/SM/REG/14"],
    "sracc_no_s": ["GMP/SEC/REG/01", "GMP/SEC/KEY/01", "GMP/SEC/KEY/07"],
    "srres_no_m": ["GMP/SM/EXA/01", "GMP/SM/REG/10", "GMP/MM/END/07"],
    "wrong_group_in_kareq": ["GMP/MM/ADR/01", "GMP/SM/ACT/01", "GMP/MM/KA/04"],
    "wrong_user_in_kareq": ["GMP/MM/ADR/01", "GMP/SM/ACT/01", "GMP/MM/KA/04"],
    "wrong_member_type_in_kareq": ["GMP/MM/ADR/01", "GMP/SM/ACT/01", "GMP/MM/UI/07"],
    "key_length_outside_kdupt": ["GMP/MM/ADR/01", "GMP/SM/ACT/01", "GMP/MM/KA/04"],
    "refusal_wrong_ids": ["GMP/SM/CRE/04", "GMP/SM/REG/04", "GMP/SM/REG/11"],
    "extra_trind": ["GMP/MM/END/03", "GMP/MM/END/04", "GMP/SM/DEL/01"],
    # standing checks on the encoded bytes (post-encode seam)
    "bad_checksum_out": ["GMP/SM/ADR/01", "GMP/SM/CRE/08", "GMP/SM/REG/03"],
    "option_padding_nonzero": ["GMP/SM/ACT/01", "GMP/SM/CRE/04", "GMP/SM/REG/03", "GMP/MM/UI/01"],
}

# faults whose failing purposes must each rest on one standing check: (field, profile section)
# as the report's details name them
STANDING_VERDICT = {
    "bad_checksum_out": ("checksum", "2"),
    "option_padding_nonzero": ("options", "4"),
}

# faults that need another server configuration (and the PICS that goes with it)
NO_SECURE = {"secure_accepted_when_unsupported"}


def pixit_without_secure(tmp_path):
    p = tmp_path / "pixit-nosecure.yaml"
    p.write_text(PIXIT.read_text().replace("secure_mode: true ", "secure_mode: false"))
    return p


def test_table_covers_every_fault_of_the_faulty_server():
    """Every fault switch the server declares has a row, and every row names a real switch."""
    header = ROOT / "reference" / "server" / "faulty" / "faults.hpp"
    if not header.exists():
        pytest.skip("reference server faults.hpp not present")
    text = header.read_text()
    block = text[text.index("#define GMP_SERVER_FAULTS"):text.index("enum class Fault")]
    declared = set(re.findall(r"X\((\w+)\)", block))
    assert declared, "no fault found in faults.hpp"
    assert declared - set(FAULTS) - CAPACITY_ONLY - ROBUSTNESS_ONLY == set(), f"faults without a row: {sorted(declared - set(FAULTS))}"
    assert set(FAULTS) - declared == set(), f"rows naming no fault: {sorted(set(FAULTS) - declared)}"


def test_full_suite_passes_against_the_reference_server(tmp_path):
    need("gmp-conform", "gmp-server")
    rc, report, out = run_conform(["--server-cmd", f"{binary('gmp-server')} {SERVER_ARGS}",
                                   "--pixit", str(PIXIT)], tmp_path)
    assert report is not None, out
    bad = unexpected(report)
    assert not bad, f"{bad}\n\n{out}"
    assert rc == 0, out
    assert report["summary"]["executed"] >= 90


@pytest.mark.parametrize("fault", sorted(FAULTS))
def test_fault_is_detected_by_the_right_test_purposes(fault, tmp_path):
    need("gmp-conform", "gmp-server-faulty")
    args = SERVER_ARGS + f" --fault {fault}"
    pixit = PIXIT
    if fault in NO_SECURE:
        args += " --no-secure"
        pixit = pixit_without_secure(tmp_path)
    cmd = ["--server-cmd", f"{binary('gmp-server-faulty')} {args}", "--pixit", str(pixit)]
    if not os.environ.get("GMP_CONFORM_FULL_FAULTS"):
        for tp in FAULTS[fault]:
            cmd += ["--select", tp]
    rc, report, out = run_conform(cmd, tmp_path / "report")
    assert report is not None, out
    v = verdicts(report)
    not_failing = {tp: v.get(tp, "missing") for tp in FAULTS[fault] if v.get(tp) != "fail"}
    assert not not_failing, f"{fault}: these should fail: {not_failing}\n{out}"
    assert rc == 1, out
    if fault in STANDING_VERDICT:
        field, section = STANDING_VERDICT[fault]
        for case in report["cases"]:
            if case["id"] in FAULTS[fault]:
                details = case.get("details", [])
                assert f"field: {field}" in details, (case["id"], case["reason"], details)
                assert f"standing check, profile section {section}" in details, (case["id"], case["reason"], details)
