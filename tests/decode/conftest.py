import os
import pathlib

import pytest


@pytest.fixture(scope="session")
def build_dir() -> pathlib.Path:
    d = os.environ.get("GMP_BUILD_DIR")
    if not d:
        pytest.fail("GMP_BUILD_DIR is not set: point it at the CMake build directory "
                    "(the one holding bin/gmp-decode)")
    return pathlib.Path(d)


def _tool(build_dir: pathlib.Path, name: str) -> pathlib.Path:
    exe = build_dir / "bin" / name
    if not exe.is_file():
        pytest.fail(f"{exe} is missing: build it (cmake --build {build_dir} --target {name})")
    return exe


@pytest.fixture(scope="session")
def gmp_decode(build_dir) -> pathlib.Path:
    return _tool(build_dir, "gmp-decode")


@pytest.fixture(scope="session")
def gmp_pcapgen(build_dir) -> pathlib.Path:
    return _tool(build_dir, "gmp-pcapgen")
