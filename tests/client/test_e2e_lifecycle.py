"""gmp-client --script against gmp-server over loopback: Figure 3 (the whole life of a closed
session), termination by TRREQ (Figure 21) and the session gone afterwards.

KA period 1 (100 ms), timeout 1, miss limit 3: fast, and tolerant of a loaded machine.
Every wait-for in the scripts is bounded; a failed one fails the test with the event log.
"""

KA = "keepalive=1,1,3"


def kaseq(event):
    return next(o["value"] for o in event["message"]["options"] if o["type"] == "KA-SEQ")


def test_figure3_closed_session_life_cycle(run_script):
    r = run_script(f"""
# creation (Figure 4), closed mode: bob and dave allowed, carol not
create c1 as alice closed allow=bob,dave {KA} session-name="figure 3"
wait-for c1 state=registered
# registration A and B accepted (Figure 7), C rejected (Figure 8)
register a session=@c1 as bob
wait-for a state=registered
register b session=@c1 as dave
wait-for b state=registered
register x session=@c1 as carol
wait-for x rejected=SRREJ
# join (Figure 9), activation (Figure 10)
join c1
wait-for c1 state=joined
join a
wait-for a state=joined
join b
wait-for b state=joined
activate c1
wait-for c1 state=active
activate a
wait-for a state=active
activate b
wait-for b state=active
# periodic rounds
wait-for a received=KAREQ
wait-for a received=KAREQ
wait-for a received=KAREQ
members c1
wait-for c1 members
# A leaves (Figure 19) and is polled no more
leave a
sleep 500
# the creator ends the session (Figure 21): TRIND to everyone with an MM address
terminate c1
wait-for c1 ended=TRIND
wait-for a ended=TRIND
wait-for b ended=TRIND
quit
""")
    assert r.returncode == 0, r.explain()
    assert not r.failed_waits() and not r.errors(), r.explain()

    # Figure 7 / 8: SRRES first in closed mode, then SRACC or SRREJ (REASON 2).
    assert [e["type"] for e in r.of("a", "received")][:2] == ["SRRES", "SRACC"]
    assert [e["type"] for e in r.of("x", "received")] == ["SRRES", "SRREJ"]
    rej = r.of("x", "rejected")[0]
    assert rej["reason"] == 2 and rej["reason_text"] == "not authorised"
    assert r.of("x", "state", to="failed")

    # IDs: one session, three distinct non-zero users.
    sessions = {r.of(m, "state", to="registered")[0]["session_id"] for m in ("c1", "a", "b")}
    users = {r.of(m, "state", to="registered")[0]["user_id"] for m in ("c1", "a", "b")}
    assert len(sessions) == 1 and 0 not in sessions
    assert len(users) == 3 and 0 not in users

    # Keepalive rounds: every KAREQ answered with a KARES echoing its KA-SEQ, rounds increase.
    kareqs = r.received("a", "KAREQ")
    karess = r.of("a", "sent", type="KARES")
    assert len(kareqs) >= 3
    seqs = [kaseq(e) for e in kareqs]
    assert seqs[1:] == sorted(seqs[1:]) and seqs[-1] > seqs[1]
    assert [kaseq(e) for e in karess[:len(kareqs)]] == seqs[:len(karess)]
    assert kareqs[0]["message"]["ka_period"] == 1

    # Closed mode UIRES lists every active member (Figure 17, 18).
    listed = {m["user_id"] for m in r.of("c1", "members")[0]["members"]}
    assert listed == users

    # After LVREQ: A is joined and gets no KAREQ (one may already be in flight).
    left_at = r.of("a", "sent", type="LVREQ")[0]["t_ms"]
    late = [e for e in kareqs if e["t_ms"] > left_at + 250]
    assert not late, f"KAREQ after LVREQ: {late}"
    assert r.of("a", "state", to="joined")

    # TRREQ from the creator, TRIND (SS = 1) to all three, A included (its address is bound).
    assert r.of("c1", "sent", type="TRREQ")
    for m in ("c1", "a", "b"):
        trind = r.received(m, "TRIND")
        assert len(trind) >= 1, m
        assert trind[0]["message"]["flags"]["ss"] is True
        assert r.of(m, "state", to="ended")
    # The rejected participant never had an MM address: no TRIND for it.
    assert not r.received("x", "TRIND")


def test_termination_by_trreq_removes_the_session(run_script):
    r = run_script(f"""
create c1 as alice {KA} session-name=short
wait-for c1 state=registered
register p1 session=@c1 as bob
wait-for p1 state=registered
join c1
wait-for c1 state=joined
activate c1
wait-for c1 state=active
join p1
wait-for p1 state=joined
activate p1
wait-for p1 state=active
terminate c1
wait-for c1 ended=TRIND
wait-for p1 ended=TRIND
# the session is gone: registering again is refused with REASON 4 (unknown session)
register z session=@c1 as zed
wait-for z rejected=SRREJ
quit
""")
    assert r.returncode == 0, r.explain()
    assert r.of("z", "rejected")[0]["reason"] == 4
    assert [e["type"] for e in r.of("z", "received")] == ["SRREJ"]  # no SRRES (profile 5.3)
    # TRREQ sent until TRIND: the last TRREQ precedes the creator's TRIND.
    trreqs = r.of("c1", "sent", type="TRREQ")
    assert trreqs and trreqs[-1]["t_ms"] <= r.received("c1", "TRIND")[0]["t_ms"]
    # Ended: no KARES after TRIND.
    end = r.received("p1", "TRIND")[0]["t_ms"]
    assert not [e for e in r.of("p1", "sent", type="KARES") if e["t_ms"] > end]


def test_open_mode_members_and_late_join(run_script):
    r = run_script(f"""
create c1 as alice {KA} base=bob session-name=open
wait-for c1 state=registered
register b session=@c1 as bob
register p1 session=@c1 as carol
wait-for b state=registered
wait-for p1 state=registered
join c1
wait-for c1 state=joined
activate c1
wait-for c1 state=active
join b
wait-for b state=joined
activate b
wait-for b state=active
join p1
wait-for p1 state=joined
activate p1
wait-for p1 state=active
# rounds go by before the late joiner comes (Figure 11)
sleep 600
register late session=@c1 as dave
wait-for late state=registered
join late
wait-for late state=joined
activate late
wait-for late state=active
members p1
wait-for p1 members
terminate c1
wait-for late ended=TRIND
quit
""")
    assert r.returncode == 0, r.explain()
    # Open mode: SRACC at once (Figure 6), no SRRES.
    assert [e["type"] for e in r.of("p1", "received")][0] == "SRACC"
    # Late join: the first KAREQ carries the session's current round, well past 0.
    first = r.received("late", "KAREQ")[0]
    assert kaseq(first) >= 3
    assert r.of("late", "sent", type="KARES")[0]["message"]["options"][0]["value"] == kaseq(first)
    # Open mode UIRES (Figure 15): the creator and the base member listed, the others counted.
    ev = r.of("p1", "members")[0]
    creator = r.of("c1", "state", to="registered")[0]["user_id"]
    base = r.of("b", "state", to="registered")[0]["user_id"]
    assert {m["user_id"] for m in ev["members"]} == {creator, base}
    assert ev["member_count"] == 2  # p1 (the requester) and the late joiner
