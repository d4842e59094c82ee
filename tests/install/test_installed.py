"""The toolkit as a user gets it: scripts/package builds the .deb, `dpkg -x` unpacks it into a
temporary root (nothing is installed on this machine), and the unpacked programs run with
cwd=/tmp and a PATH holding only the unpacked bin/, so they cannot reach the source tree.

The CI recipe of docs/ci.md is tested here too: the run steps of docs/ci/gmp-conformance.yml
are executed as they are written (shard by shard, then the JUnit merge), with the install step
replaced by the `dpkg -x` above and /usr paths pointed into the temporary root."""
import os
import pathlib
import re
import shutil
import stat
import subprocess
import xml.etree.ElementTree as ET

import pytest
import yaml

ROOT = pathlib.Path(__file__).resolve().parents[2]
JOB_FILE = ROOT / "docs" / "ci" / "gmp-conformance.yml"
PROGRAMS = ["gmp-server", "gmp-client", "gmp-conform", "gmp-decode", "gmp-load", "gmp-pcapgen"]
PLUGIN_DIR = "usr/lib/x86_64-linux-gnu/wireshark/plugins"

pytestmark = pytest.mark.skipif(
    not (shutil.which("dpkg-deb") and shutil.which("cpack")), reason="needs dpkg-deb and cpack")


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """(deb path, unpacked root). The root is world-readable: tshark runs as `nobody` as root."""
    out = tmp_path_factory.mktemp("deb")
    p = subprocess.run([str(ROOT / "scripts" / "package"), str(out)], capture_output=True,
                       text=True, timeout=1200)
    assert p.returncode == 0, p.stdout[-3000:] + p.stderr[-3000:]
    deb = pathlib.Path(p.stdout.strip().splitlines()[-1])
    assert deb.name.startswith("gmp-toolkit_") and deb.name.endswith("_amd64.deb"), deb
    root = pathlib.Path(str(tmp_path_factory.mktemp("root")))
    subprocess.run(["dpkg-deb", "-x", str(deb), str(root)], check=True)
    for d in [root, *root.parents]:
        if str(d).startswith("/tmp/") or d == pathlib.Path("/tmp"):
            d.chmod(d.stat().st_mode | stat.S_IRWXU | stat.S_IRGRP | stat.S_IXGRP | stat.S_IROTH | stat.S_IXOTH)
    return deb, root


def env_for(root, **extra):
    e = {"PATH": str(root / "usr" / "bin"), "HOME": "/tmp", "LANG": "C.UTF-8"}
    e.update(extra)
    return e


def run_installed(root, args, timeout=60, **kw):
    return subprocess.run(args, capture_output=True, text=True, timeout=timeout, cwd="/tmp",
                          env=env_for(root), **kw)


def test_package_metadata(installed):
    deb, _ = installed
    info = subprocess.run(["dpkg-deb", "-f", str(deb)], capture_output=True, text=True, check=True).stdout
    assert "Package: gmp-toolkit" in info
    version = re.search(r"project\(gmp-toolkit VERSION ([0-9.]+)",
                        (ROOT / "CMakeLists.txt").read_text()).group(1)
    assert f"Version: {version}" in info and deb.name == f"gmp-toolkit_{version}_amd64.deb"
    depends = next(l for l in info.splitlines() if l.startswith("Depends:"))
    assert "libwireshark16" in depends and "libc6" in depends, depends
    assert "Suggests: tshark" in info


def test_layout(installed):
    _, root = installed
    usr = root / "usr"
    for p in PROGRAMS:
        assert (usr / "bin" / p).is_file(), p
        assert (usr / "share" / "man" / "man1" / f"{p}.1.gz").is_file(), p
    assert not (usr / "bin" / "gmp-server-faulty").exists()
    assert not list((usr / "bin").glob("*test*"))
    conf = usr / "share" / "gmp" / "conformance"
    for f in ["scenarios/lib", "scenarios/robustness", "clauses.yaml", "deviations.example.yaml",
              "pixit/sample.yaml", "pixit/reference.yaml"]:
        assert (conf / f).exists(), f
    assert (usr / "share" / "doc" / "gmp" / "README.md").is_file()
    assert (usr / "share" / "doc" / "gmp-toolkit" / "copyright").is_file()
    assert (root / PLUGIN_DIR / "4.0" / "epan" / "gmp.so").is_file()


def test_binaries_do_not_point_into_the_source_tree(installed):
    _, root = installed
    for p in PROGRAMS:
        data = (root / "usr" / "bin" / p).read_bytes()
        for src in {str(ROOT), "/work/"}:
            assert src.encode() not in data, f"{p} embeds {src}"


@pytest.mark.parametrize("prog", PROGRAMS)
def test_version_from_the_installed_tree(installed, prog):
    _, root = installed
    p = run_installed(root, [prog, "--version"])
    assert p.returncode == 0 and p.stdout.startswith(prog + " "), p.stdout + p.stderr


def test_conform_lists_the_installed_scenarios(installed):
    _, root = installed
    p = run_installed(root, ["gmp-conform", "--list"])
    assert p.returncode == 0, p.stderr
    assert "GMP/SM/CRE/01" in p.stdout


def test_decode_a_capture(installed):
    _, root = installed
    p = run_installed(root, ["gmp-decode", str(ROOT / "captures" / "fig04-creation.pcap")])
    assert p.returncode == 0, p.stderr
    assert '"SCREQ"' in p.stdout


def test_tshark_loads_the_installed_plugin(installed):
    _, root = installed
    if not shutil.which("tshark"):
        pytest.skip("tshark missing")
    prefix = []
    if os.geteuid() == 0:  # Wireshark ignores WIRESHARK_PLUGIN_DIR for root: run as nobody
        prefix = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--"]
    env = {"PATH": "/usr/bin:/bin", "HOME": "/tmp", "LANG": "C.UTF-8",
           "WIRESHARK_PLUGIN_DIR": str(root / PLUGIN_DIR)}
    p = subprocess.run(prefix + ["tshark", "-G", "protocols"], capture_output=True, text=True,
                       env=env, timeout=120, cwd="/tmp")
    names = {l.split("\t")[2].strip() for l in p.stdout.splitlines() if l.count("\t") >= 2}
    assert "gmp" in names, "tshark did not load %s:\n%s" % (root / PLUGIN_DIR, p.stderr[-2000:])


def job_steps():
    """(env, [run command per step]) of the conformance job of docs/ci/gmp-conformance.yml."""
    doc = yaml.safe_load(JOB_FILE.read_text())
    jobs = doc["jobs"]
    conf, merge = jobs["conformance"], jobs["merge"]
    return (conf, [s["run"] for s in conf["steps"] if "run" in s],
            [s["run"] for s in merge["steps"] if "run" in s])


def test_ci_recipe_runs_the_whole_suite_against_the_installed_server(installed, tmp_path):
    """The job file's steps, as written: the matrix shards run the whole suite; merged, the
    JUnit file holds every purpose of --list, with no failure."""
    deb, root = installed
    conf, runs, merge_runs = job_steps()
    assert runs[0] == 'apt-get update && apt-get install -y "./$GMP_DEB"'
    assert conf["env"]["GMP_DEB"] == deb.name, "docs/ci/gmp-conformance.yml names another version"
    shards = conf["strategy"]["matrix"]["shard"]
    listed = run_installed(root, ["gmp-conform", "--list"]).stdout
    ids = {l.split()[0] for l in listed.splitlines() if l.startswith("GMP/")}
    work = tmp_path / "ci"
    for i, shard in enumerate(shards):
        shard_dir = work / "shards" / f"gmp-conformance-{i}"
        shard_dir.parent.mkdir(parents=True, exist_ok=True)
        env = env_for(root)
        for k, v in conf["env"].items():
            v = str(v).replace("${{ matrix.shard }}", shard)
            env[k] = v.replace("/usr/", str(root / "usr") + "/")
        env["GMP_REPORTS"] = str(shard_dir)
        for cmd in runs[1:]:  # after the install step
            p = subprocess.run(["/bin/bash", "-e", "-c", cmd], capture_output=True, text=True,
                               env=env, cwd="/tmp", timeout=120)
            assert p.returncode == 0, f"shard {shard}: exit {p.returncode}\n{p.stdout[-3000:]}{p.stderr[-2000:]}"
        assert (shard_dir / "junit.xml").is_file() and (shard_dir / "report.html").is_file()
    for cmd in merge_runs:
        subprocess.run(["/bin/bash", "-e", "-c", cmd], check=True, cwd=work, timeout=60,
                       env={"PATH": "/usr/bin:/bin"})
    merged = ET.parse(work / "junit.xml").getroot()
    cases = [c.get("name").split()[0] for c in merged.iter("testcase")]  # "ID title"
    assert sorted(cases) == sorted(ids), sorted(ids.symmetric_difference(cases))[:10]
    assert not list(merged.iter("failure"))


def test_ci_doc_shows_the_tested_job_file():
    doc = (ROOT / "docs" / "ci.md").read_text()
    block = doc.split("```yaml\n", 1)[1].split("```", 1)[0]
    assert block == JOB_FILE.read_text()
