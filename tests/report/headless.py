"""Headless Chromium for the page tests: the DOM after scripts ran, a screenshot, and a small
element tree of that DOM to assert on (tag, attributes, text, ancestors)."""
import html.parser
import shutil
import subprocess
import tempfile

import pytest

CHROMIUM_TIMEOUT_S = 60
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


def chromium():
    exe = shutil.which("chromium") or shutil.which("chromium-browser")
    if not exe:
        pytest.skip("chromium is not installed (scripts/setup installs it)")
    return exe


def _run(*args):
    with tempfile.TemporaryDirectory() as profile:
        cmd = [chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
               "--disable-background-networking", "--disable-component-update", "--disable-sync",
               f"--user-data-dir={profile}", *args]
        return subprocess.run(cmd, capture_output=True, text=True, timeout=CHROMIUM_TIMEOUT_S)


def dump_dom(url):
    p = _run("--dump-dom", url)
    assert p.returncode == 0 and "<html" in p.stdout, p.stderr[-2000:]
    return p.stdout


def screenshot(url, path, size="1400,900"):
    _run(f"--screenshot={path}", f"--window-size={size}", url)
    return path


class Element:
    def __init__(self, tag, attrs, parent):
        self.tag, self.attrs, self.parent, self.children, self.parts = tag, dict(attrs), parent, [], []

    def text(self):
        return "".join(p if isinstance(p, str) else p.text() for p in self.parts)

    def ancestors(self):
        e = self.parent
        while e is not None:
            yield e
            e = e.parent

    def hidden_by_closed_details(self):
        """True when a closed <details> hides it (its <summary> stays visible)."""
        child = self
        for a in self.ancestors():
            if a.tag == "details" and "open" not in a.attrs and child.tag != "summary":
                return True
            child = a
        return False

    def iter(self):
        yield self
        for c in self.children:
            yield from c.iter()

    def find_all(self, tag=None, **attrs):
        for e in self.iter():
            if (tag is None or e.tag == tag) and all(
                    (v in e.attrs.get(k.rstrip("_"), "").split() if k.endswith("_") else e.attrs.get(k) == v)
                    for k, v in attrs.items()):
                yield e

    def find(self, tag=None, **attrs):
        return next(self.find_all(tag, **attrs), None)


class _Builder(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Element("#document", {}, None)
        self.cur = self.root

    def handle_starttag(self, tag, attrs):
        e = Element(tag, attrs, self.cur)
        self.cur.children.append(e)
        self.cur.parts.append(e)
        if tag not in VOID:
            self.cur = e

    def handle_endtag(self, tag):
        e = self.cur
        while e is not None and e.tag != tag:
            e = e.parent
        if e is not None and e.parent is not None:
            self.cur = e.parent

    def handle_data(self, data):
        self.cur.parts.append(data)


def parse(dom):
    b = _Builder()
    b.feed(dom)
    return b.root
