#!/usr/bin/python3
"""The worked example of docs/client-adapter.md: an adapter (contract version 1) around
tinygmp, a small client written for the example. A vendor replaces tinygmp's calls with their
own client's; the rest (reading commands, printing events) stays as it is.

  gmp-conform --client-cmd "python3 conformance/adapters/example/adapter.py {host} {sm_port} {mm_port}"
"""
import json
import shlex
import sys
import threading

import tinygmp

SUPPORTS = ["create", "register", "join", "activate", "members", "leave", "terminate", "delete", "mute", "unmute"]
out_lock = threading.Lock()


def emit(**event):
    with out_lock:
        print(json.dumps(event), flush=True)  # one line per event, flushed at once


class Events:
    """What tinygmp reports, as the contract's events of one membership."""

    def __init__(self, name):
        self.name, self.m = name, None

    def on_state(self, to):
        emit(event="state", membership=self.name, to=to, session_id=self.m.session, user_id=self.m.user)

    def on_key(self, epoch, key):
        emit(event="key", membership=self.name, epoch=epoch, key=key)

    def on_members(self, members, count):
        emit(event="members", membership=self.name, members=members, member_count=count)

    def on_ended(self, cause):
        emit(event="ended", membership=self.name, cause=cause)


def key_arg(text):
    if text.startswith("text:"):
        return text[5:].encode()
    return bytes.fromhex(text[4:] if text.startswith("hex:") else text)


def main():
    host, sm_port, mm_port = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    memberships = {}
    for line in sys.stdin:
        words = shlex.split(line, comments=True)
        if not words:
            continue
        cmd, args = words[0], words[1:]
        if cmd == "hello":
            emit(event="hello", adapter_version=1, implementation="tinygmp 1.0", supports=SUPPORTS)
            continue
        if cmd == "quit":
            break
        if cmd not in SUPPORTS:
            emit(event="unsupported", command=cmd)
            continue
        name = args[0] if args else ""
        kv = dict(a.split("=", 1) for a in args[1:] if "=" in a)
        flags = {a for a in args[1:] if "=" not in a}
        try:
            if cmd in ("create", "register"):
                events = Events(name)
                m = tinygmp.Membership(host, sm_port, mm_port, events)
                events.m = memberships[name] = m
                client = args[args.index("as") + 1]
                key = key_arg(kv["key"]) if "key" in kv else None
                if cmd == "create":
                    ka = [int(x) for x in kv["keepalive"].split(",")] if "keepalive" in kv else None
                    if ka and len(ka) == 2:
                        ka.append(1)
                    m.create(client, closed="closed" in flags, secure="secure" in flags,
                             session_name=kv.get("session-name", "session"), keepalive=ka,
                             base=[x for x in kv.get("base", "").split(",") if x],
                             allow=[x for x in kv.get("allow", "").split(",") if x], key=key)
                else:
                    m.register(int(kv["session"]), client, key)
                continue
            m = memberships[name]
            if cmd == "activate":
                m.activate(int(kv.get("port", 0)))
            elif cmd in ("mute", "unmute"):
                m.muted = cmd == "mute"
            else:
                getattr(m, cmd)()
        except tinygmp.Refused as r:
            emit(event="rejected", membership=name, message=r.message, reason=r.reason)
            emit(event="state", membership=name, to="failed", session_id=0, user_id=0)
        except (KeyError, ValueError, OSError, ConnectionError) as e:
            emit(event="error", membership=name, why=f"{cmd}: {e}")
    for m in memberships.values():
        m.close()


if __name__ == "__main__":
    main()
