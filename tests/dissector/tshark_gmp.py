"""Run tshark with the GMP plugin and turn its output into the JSON form of
docs/json-format.md, one dict per GMP PDU. Reusable outside pytest (the codec cross-check):

    from tshark_gmp import Tshark
    ts = Tshark()                        # plugin from $GMP_DISSECTOR_SO or the default build
    assert ts.plugin_loaded()
    for pdu in ts.decode_pdus("capture.pcap"):
        print(pdu)                       # {"protocol": "sm", "type": "SCREQ", ...}
    strip_private(pdu)                   # drops the "_frame", "_errors", ... extras

Loading the plugin: Wireshark 4.0 ignores WIRESHARK_PLUGIN_DIR and the personal plugin folder
when run as root (started_with_special_privs(): real uid 0). So when the tests run as root,
tshark runs as the user `nobody` (setpriv), with WIRESHARK_PLUGIN_DIR pointing at a
world-readable temp dir laid out as <dir>/4.0/epan/gmp.so; capture files are staged there too.
As a normal user tshark runs directly with the same variable.
"""
import json
import os
import pwd
import shutil
import subprocess
import tempfile

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
DEFAULT_SO = "/tmp/build-dissector/plugins/4.0/epan/gmp.so"
WS_API = "4.0"

SM_NAMES = {1: "SCREQ", 2: "SCACC", 3: "SCREJ", 4: "SDREQ", 5: "SDRES", 6: "SCINF",
            7: "SCCON", 8: "SRREQ", 9: "SRRES", 10: "SRACC", 11: "SRREJ", 12: "SJREQ",
            13: "SJRES", 14: "SAREQ"}
MM_NAMES = {1: "KAREQ", 2: "KARES", 3: "UIREQ", 4: "UIRES", 5: "LVREQ", 6: "TRREQ",
            7: "TRIND", 8: "KDUPT"}
OPT_NAMES = {1: "CLIENT-NAME", 2: "SESSION-NAME", 3: "SESSION-INFO", 4: "OWNER-INFO",
             5: "START-TIME", 6: "END-TIME", 7: "MEDIA-INFO", 8: "APP-INFO", 9: "KEEPALIVE",
             10: "BASE-MEMBER", 11: "ALLOW", 12: "ACCESS-KEY", 13: "MM-PORT", 14: "GROUP-KEY",
             15: "MEMBER-LIST", 16: "MEMBER-COUNT", 17: "LIST-PART", 18: "REASON", 19: "KA-SEQ"}
MODE_NAMES = {1: "open", 2: "closed"}
MEMBER_TYPE_NAMES = {4: "creator", 2: "base", 1: "participant"}
REASON_TEXT = {0: "success", 1: "resources exhausted", 2: "not authorised",
               3: "secure mode not supported", 4: "unknown session", 5: "invalid request"}
STRING_OPTS = {1: "client_name", 2: "session_name", 3: "session_info", 4: "owner_info",
               7: "media_info", 8: "app_info", 10: "base_member", 11: "allow"}
ERROR_NAMES = ["too_short", "not_aligned", "bad_version", "bad_checksum", "unknown_type",
               "truncated_option", "duplicate_option", "bad_option_size", "bad_option_value",
               "missing_required_option", "flag_contradicts_type", "bad_mode", "invalid_utf8",
               "frame_too_short", "frame_not_aligned", "frame_too_large"]


def plugin_path():
    """The built plugin: $GMP_DISSECTOR_SO, else the project build ($GMP_BUILD_DIR), else the
    standalone build path."""
    if os.environ.get("GMP_DISSECTOR_SO"):
        return os.environ["GMP_DISSECTOR_SO"]
    if os.environ.get("GMP_BUILD_DIR"):
        return os.path.join(os.environ["GMP_BUILD_DIR"], "dissector", "plugins", "4.0", "epan",
                            "gmp.so")
    return DEFAULT_SO


class Tshark:
    def __init__(self, so_path=None, workdir=None):
        self.so = os.path.abspath(so_path or plugin_path())
        if not os.path.isfile(self.so):
            raise FileNotFoundError(
                "GMP plugin not found at %s: build it (cmake -S dissector -B "
                "/tmp/build-dissector && cmake --build /tmp/build-dissector) or set "
                "GMP_DISSECTOR_SO" % self.so)
        self.dir = workdir or tempfile.mkdtemp(prefix="gmp-tshark-")
        os.chmod(self.dir, 0o755)
        epan = os.path.join(self.dir, "plugins", WS_API, "epan")
        os.makedirs(epan, exist_ok=True)
        for d in (os.path.join(self.dir, "plugins"), os.path.join(self.dir, "plugins", WS_API), epan):
            os.chmod(d, 0o755)
        shutil.copy(self.so, os.path.join(epan, "gmp.so"))
        os.chmod(os.path.join(epan, "gmp.so"), 0o755)
        self.home = os.path.join(self.dir, "home")
        os.makedirs(self.home, exist_ok=True)
        os.chmod(self.home, 0o1777)
        self.files = os.path.join(self.dir, "files")
        os.makedirs(self.files, exist_ok=True)
        os.chmod(self.files, 0o1777)
        self.as_root = os.geteuid() == 0
        self.env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": self.home,
            "XDG_CONFIG_HOME": os.path.join(self.home, ".config"),
            "LANG": "C.UTF-8",
            "WIRESHARK_PLUGIN_DIR": os.path.join(self.dir, "plugins"),
        }

    def prefix(self):
        if not self.as_root:
            return []
        nobody = pwd.getpwnam("nobody")
        return ["setpriv", "--reuid=%d" % nobody.pw_uid, "--regid=%d" % nobody.pw_gid,
                "--clear-groups", "--"]

    def stage(self, path):
        """A copy of a capture that the tshark user can read."""
        if not self.as_root:
            return path
        dst = os.path.join(self.files, "%d-%s" % (len(os.listdir(self.files)), os.path.basename(path)))
        shutil.copy(path, dst)
        os.chmod(dst, 0o644)
        return dst

    def run(self, args, env=None, check=True, timeout=600, program="tshark"):
        e = dict(self.env)
        e.update(env or {})
        cmd = self.prefix() + [program] + list(args)
        p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=e,
                           timeout=timeout)
        if check and p.returncode != 0:
            raise RuntimeError("tshark failed (%d): %s\n%s" % (p.returncode, " ".join(args),
                                                             p.stderr.decode(errors="replace")))
        return p

    def plugins(self):
        return self.run(["-G", "plugins"]).stdout.decode()

    def plugin_loaded(self):
        return any(line.split("\t")[0].strip() == "gmp.so" for line in self.plugins().splitlines())

    def tshark_json(self, pcap, two_pass=True, extra=()):
        args = ["-r", self.stage(pcap), "-T", "json", "-J", "frame gmp"]
        if two_pass:
            args.append("-2")
        p = self.run(args + list(extra))
        return json.loads(p.stdout.decode(errors="replace") or "[]", object_pairs_hook=list)

    def decode_pdus(self, pcap, two_pass=True, extra=()):
        """Per GMP PDU in the capture, a dict in the docs/json-format.md schema, plus the
        private keys _frame (frame number), _errors (every error, in the order found),
        _experts (gmp.expert.* names raised) and _fields (the flattened gmp.* fields)."""
        out = []
        for pkt in self.tshark_json(pcap, two_pass, extra):
            layers = _get(_get(pkt, "_source"), "layers") or []
            frame_no = None
            for k, v in layers:
                if k == "frame" and isinstance(v, list):
                    frame_no = _int(_get(v, "frame.number"))
            for k, v in layers:
                if k == "gmp":
                    d = pdu_from_layer(v)
                    d["_frame"] = frame_no
                    out.append(d)
        return out


def strip_private(d):
    return {k: v for k, v in d.items() if not k.startswith("_")}


def _get(pairs, key):
    if not isinstance(pairs, list):
        return None
    for k, v in pairs:
        if k == key:
            return v
    return None


def _int(s):
    if s is None:
        return None
    return int(str(s).split()[0], 0)


def _hex(s):
    return (s or "").replace(":", "").lower()


def _walk(pairs, fields, opts, experts):
    for k, v in pairs:
        if k == "gmp.opt" and isinstance(v, list):
            opts.append(v)
            _walk_experts(v, experts)
        elif k == "_ws.expert" and isinstance(v, list):
            experts.extend(kk for kk, _ in v if kk.startswith("gmp.expert."))
        elif isinstance(v, list):
            _walk(v, fields, opts, experts)
        else:
            fields.setdefault(k, []).append(v)


def _walk_experts(pairs, experts):
    for k, v in pairs:
        if k == "_ws.expert" and isinstance(v, list):
            experts.extend(kk for kk, _ in v if kk.startswith("gmp.expert."))
        elif isinstance(v, list):
            _walk_experts(v, experts)


def _flat(pairs):
    fields = {}
    def rec(p):
        for k, v in p:
            if isinstance(v, list):
                if k == "gmp.opt.member":
                    fields.setdefault(k, []).append(v)
                else:
                    rec(v)
            else:
                fields.setdefault(k, []).append(v)
    rec(pairs)
    return fields


def option_from_tree(pairs):
    """One gmp.opt subtree -> an option object of docs/json-format.md (None if truncated)."""
    f = _flat(pairs)
    one = lambda k: f.get(k, [None])[0]
    code = _int(one("gmp.opt.type"))
    length = _int(one("gmp.opt.length"))
    experts = _expert_names(pairs)
    if code is None or length is None or any("truncated_option" in e for e in experts):
        return None
    o = {"type": OPT_NAMES.get(code, "UNKNOWN"), "code": code, "length": length}
    raw = one("gmp.opt.value")
    if code not in OPT_NAMES or raw is not None or any("bad_option_size" in e for e in experts):
        # unknown option, a known one whose size is wrong (even 0), text that is not UTF-8:
        # the raw value
        o["hex"] = _hex(raw)
        return o
    if code in STRING_OPTS:
        o["value"] = one("gmp.opt." + STRING_OPTS[code]) or ""
    elif code in (5, 6):
        o["value"] = _int(one("gmp.opt.%s.seconds" % ("start_time" if code == 5 else "end_time")))
    elif code == 9:
        o.update(period=_int(one("gmp.opt.ka_period")), timeout=_int(one("gmp.opt.ka_timeout")),
                 miss_limit=_int(one("gmp.opt.miss_limit")))
    elif code == 12:
        o["hex"] = _hex(one("gmp.opt.access_key"))
    elif code == 13:
        o["value"] = _int(one("gmp.opt.mm_port"))
    elif code == 16:
        o["value"] = _int(one("gmp.opt.member_count"))
    elif code == 19:
        o["value"] = _int(one("gmp.opt.ka_seq"))
    elif code == 14:
        o.update(epoch=_int(one("gmp.opt.key_epoch")), key=_hex(one("gmp.opt.key")))
    elif code == 15:
        entries = []
        for m in f.get("gmp.opt.member", []):
            mt = _int(_get(m, "gmp.opt.member.type"))
            entries.append({"user_id": _int(_get(m, "gmp.opt.member.user_id")),
                            "member_type": MEMBER_TYPE_NAMES.get(mt, "invalid"),
                            "member_type_code": mt})
        o["entries"] = entries
    elif code == 17:
        o.update(index=_int(one("gmp.opt.part_index")), count=_int(one("gmp.opt.part_count")))
    elif code == 18:
        v = _int(one("gmp.opt.reason"))
        o.update(value=v, text=REASON_TEXT.get(v, "unknown"))
    return o


def _expert_names(pairs):
    ex = []
    _walk_experts(pairs, ex)
    return ex


def _bool(s):
    return str(s) not in ("0", "False", "false", "None")


def pdu_from_layer(pairs):
    """One "gmp" layer of tshark -T json (parsed with object_pairs_hook=list) -> dict."""
    fields, opts, experts = {}, [], []
    _walk(pairs, fields, opts, experts)
    one = lambda k: fields.get(k, [None])[0]
    errors = fields.get("gmp.error", [])
    is_mm = any(k.startswith("gmp.mm.") for k in fields)
    d = {"protocol": "mm" if is_mm else "sm"}
    p = "gmp.mm." if is_mm else "gmp.sm."
    if one(p + "version") is not None:
        d["version"] = _int(one(p + "version"))
        code = _int(one(p + "type"))
        d["type"] = (MM_NAMES if is_mm else SM_NAMES).get(code, "UNKNOWN")
        d["type_code"] = code
        if is_mm:
            mode = _int(one("gmp.mm.mode"))
            mt = _int(one("gmp.mm.member_type"))
            d.update(mode=MODE_NAMES.get(mode, "invalid"), mode_code=mode,
                     member_type=MEMBER_TYPE_NAMES.get(mt, "invalid"), member_type_code=mt,
                     flags={"r": _bool(one("gmp.mm.flags.r")), "ss": _bool(one("gmp.mm.flags.ss")),
                            "ui": _bool(one("gmp.mm.flags.ui"))},
                     group_port=_int(one("gmp.mm.group_port")),
                     session_id=_int(one("gmp.mm.session_id")),
                     user_id=_int(one("gmp.mm.user_id")),
                     group_address=one("gmp.mm.group_address"),
                     ka_period=_int(one("gmp.mm.ka_period")),
                     ka_timeout=_int(one("gmp.mm.ka_timeout")),
                     key_length=_int(one("gmp.mm.key_length")),
                     reserved=_int(one("gmp.mm.reserved")))
        else:
            st = _int(one("gmp.sm.checksum.status"))
            d.update(flags={k: _bool(one("gmp.sm.flags." + k)) for k in "qsmi"},
                     checksum=_int(one("gmp.sm.checksum")),
                     checksum_status={0: "bad", 1: "good"}.get(st, "unverified"),
                     session_id=_int(one("gmp.sm.session_id")),
                     user_id=_int(one("gmp.sm.user_id")),
                     key_length=_int(one("gmp.sm.key_length")),
                     reserved=_int(one("gmp.sm.reserved")),
                     group_port=_int(one("gmp.sm.group_port")),
                     group_address=one("gmp.sm.group_address"))
        d["options"] = [o for o in (option_from_tree(t) for t in opts) if o is not None]
    d["error"] = errors[0] if errors else None
    d["_errors"] = list(errors)
    d["_experts"] = [e[len("gmp.expert."):] for e in experts]
    d["_fields"] = fields
    if one("gmp.sm.frame_length") is not None:
        d["_frame_length"] = _int(one("gmp.sm.frame_length"))
    for k in ("gmp.response_in", "gmp.response_to", "gmp.session_name"):
        if one(k) is not None:
            d["_" + k[4:]] = one(k) if k == "gmp.session_name" else _int(one(k))
    return d


if __name__ == "__main__":
    import sys
    ts = Tshark()
    if not ts.plugin_loaded():
        sys.exit("GMP plugin not loaded by tshark")
    for path in sys.argv[1:]:
        for pdu in ts.decode_pdus(path):
            print(json.dumps(strip_private(pdu)))
