"""Secure sessions end to end (Figures 23, 24): the key in SJRES, the same key for a late
joiner, and a rekey (KDUPT) after a member falls silent and is demoted to registered, seen by
the remaining members and not by the silent one."""

KA = "keepalive=1,1,2"


def test_rekey_after_a_silent_member_is_demoted(run_script):
    r = run_script(f"""
create c1 as alice closed secure allow=bob,carol,dave {KA} session-name=secure
wait-for c1 state=registered
register p1 session=@c1 as bob
register p2 session=@c1 as carol
register p3 session=@c1 as dave
wait-for p1 state=registered
wait-for p2 state=registered
wait-for p3 state=registered
join c1
wait-for c1 key=1
activate c1
wait-for c1 state=active
join p1
wait-for p1 key=1
activate p1
wait-for p1 state=active
join p2
wait-for p2 key=1
activate p2
wait-for p2 state=active
join p3
wait-for p3 key=1
activate p3
wait-for p3 state=active
# p3 falls silent: active -> joined -> registered (Figure 12), then a new key (clause 7.3)
mute p3
wait-for p1 key=2 timeout=8000
wait-for p2 key=2 timeout=8000
wait-for c1 key=2 timeout=8000
sleep 500
terminate c1
wait-for p1 ended=TRIND
quit
""")
    assert r.returncode == 0, r.explain()
    assert not r.failed_waits(), r.explain()
    # SJRES with S = 1 carries the same epoch-1 key to everyone (Figure 23).
    k1 = {r.of(m, "key", epoch=1)[0]["key"] for m in ("c1", "p1", "p2", "p3")}
    assert len(k1) == 1 and len(next(iter(k1))) == 32  # 16 bytes
    for m in ("c1", "p1", "p2", "p3"):
        assert r.of(m, "key", epoch=1)[0]["source"] == "SJRES"
    # KDUPT epoch 2 (Figure 24) to the remaining members, a new key.
    k2 = {r.of(m, "key", epoch=2)[0]["key"] for m in ("c1", "p1", "p2")}
    assert len(k2) == 1 and k2 != k1
    for m in ("c1", "p1", "p2"):
        assert r.of(m, "key", epoch=2)[0]["source"] == "KDUPT"
        kd = r.received(m, "KDUPT")[0]["message"]
        assert kd["key_length"] == 16
    # The silent member never receives it.
    assert not r.received("p3", "KDUPT")
    assert not r.of("p3", "key", epoch=2)
    # p3 sent no KARES after it was muted.
    muted_at = r.of("p3", "muted")[0]["t_ms"]
    assert not [e for e in r.of("p3", "sent", type="KARES") if e["t_ms"] > muted_at]


def test_late_joiner_gets_the_current_key(run_script):
    r = run_script(f"""
create c1 as alice secure {KA} session-name=late
wait-for c1 state=registered
join c1
wait-for c1 key
activate c1
wait-for c1 state=active
sleep 400
register p1 session=@c1 as bob
wait-for p1 state=registered
join p1
wait-for p1 key
activate p1
wait-for p1 state=active
terminate c1
wait-for p1 ended=TRIND
quit
""")
    assert r.returncode == 0, r.explain()
    assert r.of("p1", "key")[0]["key"] == r.of("c1", "key")[0]["key"]
    assert r.of("p1", "key")[0]["epoch"] == r.of("c1", "key")[0]["epoch"]
    sjres = r.received("p1", "SJRES")[0]["message"]
    assert sjres["flags"]["s"] is True and sjres["key_length"] == 16
