"""pytest fixtures of the GMP dissector tests.

The plugin comes from $GMP_DISSECTOR_SO (set by CTest / CI) or the standalone build
(/tmp/build-dissector/plugins/4.0/epan/gmp.so). The session fails loudly when tshark does
not list the plugin (see tshark_gmp.py for how it is loaded, also as root)."""
import os
import shutil
import sys

import pytest

sys.path.insert(0, os.path.dirname(__file__))
sys.path.insert(0, os.path.dirname(os.path.dirname(__file__)))  # tests/: gmpwire, pcapgen

from tshark_gmp import Tshark, plugin_path  # noqa: E402


@pytest.fixture(scope="session")
def ts():
    so = plugin_path()
    assert os.path.isfile(so), (
        "GMP plugin %s is missing: build it (cmake -S dissector -B /tmp/build-dissector && "
        "cmake --build /tmp/build-dissector) or set GMP_DISSECTOR_SO" % so)
    # Its own world-readable temp dir (pytest's tmp dirs are 0700: `nobody` could not
    # read the plugin there when the tests run as root).
    t = Tshark(so)
    plugins = t.plugins()
    assert any(l.split("\t")[0].strip() == "gmp.so" for l in plugins.splitlines()), (
        "tshark -G plugins does not list gmp.so (plugin %s, as_root=%s):\n%s"
        % (so, t.as_root, plugins))
    yield t
    shutil.rmtree(t.dir, ignore_errors=True)
