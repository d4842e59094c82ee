"""Captures for the tests and the benchmark, written with pcapgen + gmpwire (tests/).

vectors_pcap(): one PDU per test vector (SM on its own TCP connection, MM as a UDP datagram).
life_pcap(): a whole session life (figure 3 of X.602): creation, closed-mode registration,
secure join, activation, keepalive rounds, UIREQ/UIRES, leave, rekey, termination, deletion;
returns the frame number of every message by label, for the request/response tests.
"""
from gmpwire import frame, member_list, mm, opt, opt_str, opt_u, sm
from pcapgen import PcapWriter, TcpStream

SERVER = "10.0.0.2"
PORT = 16513


def vectors_pcap(vectors, path):
    """Returns the frame number that carries each vector."""
    w = PcapWriter()
    frames = []
    for n, v in enumerate(vectors):
        msg = bytes.fromhex(v["hex"])
        cport = 20000 + n
        if v["protocol"] == "sm":
            s = TcpStream(w, ("10.1.0.1", cport), (SERVER, PORT))
            s.handshake()
            frames.append(s.send(True, frame(msg))[-1])
        else:
            frames.append(w.udp(("10.1.0.1", cport), (SERVER, PORT), msg))
    w.write(path)
    return frames


S, CREATOR, BOB, CAROL = 0x3a5c, 0x1111, 0x2222, 0x3333
GROUP = dict(port=5004, addr="239.255.10.20")
KEY1, KEY2 = bytes(range(16)), bytes(range(16, 32))


def life_pcap(path, writer=None):
    """Returns {label: frame number}."""
    w = writer or PcapWriter()
    f = {}
    creator = TcpStream(w, ("10.0.0.10", 41000), (SERVER, PORT))
    bob = TcpStream(w, ("10.0.0.11", 41001), (SERVER, PORT))
    carol = TcpStream(w, ("10.0.0.12", 41002), (SERVER, PORT))
    eve = TcpStream(w, ("10.0.0.13", 41003), (SERVER, PORT))
    mm_srv = (SERVER, PORT)
    mm_c, mm_b = ("10.0.0.10", 42000), ("10.0.0.11", 42001)
    srv_mm = dict(session=S, mode=2, ka_period=10, ka_timeout=5, **GROUP)

    for s in (creator, bob, carol, eve):
        s.handshake()
    # creation (5.1): SCREQ -> SCACC, SCINF -> SCCON
    f["screq"] = creator.send(True, frame(sm("SCREQ", s=True, options=opt_str("CLIENT-NAME", "alice"))))[0]
    f["scacc"] = creator.send(False, frame(sm("SCACC", s=True, session=S, user=CREATOR)))[0]
    f["scinf"] = creator.send(True, frame(sm(
        "SCINF", s=True, m=True, session=S, user=CREATOR,
        options=opt_str("SESSION-NAME", "Weekly sync") + opt("KEEPALIVE", b"\x0a\x05\x01")
        + opt_str("BASE-MEMBER", "bob") + opt_str("ALLOW", "carol"))))[0]
    f["sccon"] = creator.send(False, frame(sm("SCCON", s=True, m=True, session=S, user=CREATOR, **GROUP)))[0]
    # a refused creation on another connection (REASON 2)
    f["screq2"] = eve.send(True, frame(sm("SCREQ", options=opt_str("CLIENT-NAME", "eve"))))[0]
    f["screj"] = eve.send(False, frame(sm("SCREJ", options=opt_u("REASON", 2, 1))))[0]
    # registration, closed mode (5.3): SRREQ -> SRRES -> SRACC; SRREQ -> SRRES -> SRREJ
    f["srreq_bob"] = bob.send(True, frame(sm("SRREQ", session=S, options=opt_str("CLIENT-NAME", "bob"))))[0]
    f["srres_bob"] = bob.send(False, frame(sm("SRRES", s=True, m=True, session=S)))[0]
    f["sracc_bob"] = bob.send(False, frame(sm("SRACC", s=True, m=True, session=S, user=BOB, **GROUP)))[0]
    f["srreq_eve"] = eve.send(True, frame(sm("SRREQ", session=S, options=opt_str("CLIENT-NAME", "eve"))))[0]
    f["srres_eve"] = eve.send(False, frame(sm("SRRES", s=True, m=True, session=S)))[0]
    f["srrej_eve"] = eve.send(False, frame(sm("SRREJ", s=True, m=True, session=S,
                                              options=opt_u("REASON", 2, 1))))[0]
    # join (5.4), secure: SJRES with the key
    f["sjreq_c"] = creator.send(True, frame(sm("SJREQ", session=S, user=CREATOR)))[0]
    f["sjres_c"] = creator.send(False, frame(sm("SJRES", s=True, m=True, session=S, user=CREATOR,
                                                key_length=16, options=opt("GROUP-KEY", b"\0\1" + KEY1),
                                                **GROUP)))[0]
    f["sjreq_b"] = bob.send(True, frame(sm("SJREQ", session=S, user=BOB)))[0]
    f["sjres_b"] = bob.send(False, frame(sm("SJRES", s=True, m=True, session=S, user=BOB,
                                            key_length=16, options=opt("GROUP-KEY", b"\0\1" + KEY1),
                                            **GROUP)))[0]
    # activation (5.5): SAREQ -> KAREQ (round 0) -> KARES
    f["sareq_c"] = creator.send(True, frame(sm("SAREQ", session=S, user=CREATOR,
                                               options=opt_u("MM-PORT", mm_c[1], 2))))[0]
    f["karex0_c"] = w.udp(mm_srv, mm_c, mm("KAREQ", member_type=4, user=CREATOR, **srv_mm,
                                            options=opt_u("KA-SEQ", 0, 4)))
    f["kares0_c"] = w.udp(mm_c, mm_srv, mm("KARES", member_type=4, session=S, user=CREATOR,
                                           options=opt_u("KA-SEQ", 0, 4)))
    f["sareq_b"] = bob.send(True, frame(sm("SAREQ", session=S, user=BOB,
                                           options=opt_u("MM-PORT", mm_b[1], 2))))[0]
    f["karex0_b"] = w.udp(mm_srv, mm_b, mm("KAREQ", member_type=2, user=BOB, **srv_mm,
                                            options=opt_u("KA-SEQ", 0, 4)))
    f["kares0_b"] = w.udp(mm_b, mm_srv, mm("KARES", member_type=2, session=S, user=BOB))  # no KA-SEQ
    # rounds 1 and 2 (6.1)
    for r in (1, 2):
        f["karex%d_c" % r] = w.udp(mm_srv, mm_c, mm("KAREQ", member_type=4, user=CREATOR, **srv_mm,
                                                     options=opt_u("KA-SEQ", r, 4)))
        f["karex%d_b" % r] = w.udp(mm_srv, mm_b, mm("KAREQ", member_type=2, user=BOB, **srv_mm,
                                                     options=opt_u("KA-SEQ", r, 4)))
        f["kares%d_b" % r] = w.udp(mm_b, mm_srv, mm("KARES", member_type=2, session=S, user=BOB,
                                                    options=opt_u("KA-SEQ", r, 4)))
        f["kares%d_c" % r] = w.udp(mm_c, mm_srv, mm("KARES", member_type=4, session=S, user=CREATOR,
                                                    options=opt_u("KA-SEQ", r, 4)))
    # user information (6.4): UIREQ -> UIRES in two parts
    f["uireq"] = w.udp(mm_b, mm_srv, mm("UIREQ", member_type=2, session=S, user=BOB))
    f["uires1"] = w.udp(mm_srv, mm_b, mm("UIRES", member_type=2, user=BOB, **srv_mm,
                                         options=opt("LIST-PART", b"\1\2") + member_list([(CREATOR, 4)])))
    f["uires2"] = w.udp(mm_srv, mm_b, mm("UIRES", member_type=2, user=BOB, **srv_mm,
                                         options=opt("LIST-PART", b"\2\2") + member_list([(BOB, 2)])))
    # a participant registers in open fashion and the group is rekeyed (6.6)
    f["kdupt"] = w.udp(mm_srv, mm_c, mm("KDUPT", member_type=4, user=CREATOR, key_length=16, **srv_mm,
                                        options=opt("GROUP-KEY", b"\0\2" + KEY2)))
    # termination (6.3): TRREQ -> TRIND to every member
    f["trreq"] = w.udp(mm_c, mm_srv, mm("TRREQ", member_type=4, session=S, user=CREATOR))
    f["trind_c"] = w.udp(mm_srv, mm_c, mm("TRIND", member_type=4, user=CREATOR, **srv_mm))
    f["trind_b"] = w.udp(mm_srv, mm_b, mm("TRIND", member_type=2, user=BOB, **srv_mm))
    # deletion (5.6) of an unknown session: SDREQ -> SDRES 4 ... and a member refused
    f["sdreq"] = bob.send(True, frame(sm("SDREQ", session=S, user=BOB)))[0]
    f["sdres"] = bob.send(False, frame(sm("SDRES", s=True, m=True, session=S, user=BOB,
                                          options=opt_u("REASON", 2, 1))))[0]
    for s in (creator, bob, carol, eve):
        s.close()
    if path:
        w.write(path)
    return f


# The request -> response pairs life_pcap() must show (profile 5, 6).
LIFE_LINKS = [
    ("screq", "scacc"), ("scinf", "sccon"), ("screq2", "screj"),
    ("srreq_bob", "srres_bob"), ("srreq_bob", "sracc_bob"),
    ("srreq_eve", "srres_eve"), ("srreq_eve", "srrej_eve"),
    ("sjreq_c", "sjres_c"), ("sjreq_b", "sjres_b"), ("sdreq", "sdres"),
    ("sareq_c", "karex0_c"), ("sareq_b", "karex0_b"),
    ("karex0_c", "kares0_c"), ("karex0_b", "kares0_b"),
    ("karex1_c", "kares1_c"), ("karex1_b", "kares1_b"),
    ("karex2_c", "kares2_c"), ("karex2_b", "kares2_b"),
    ("uireq", "uires1"), ("uireq", "uires2"),
    ("trreq", "trind_c"), ("trreq", "trind_b"),
]
