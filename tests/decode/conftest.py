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


@pytest.fixture(scope="session")
def gmp_decode(build_dir) -> pathlib.Path:
    exe = build_dir / "bin" / "gmp-decode"
    if not exe.is_file():
        pytest.fail(f"{exe} is missing: build it (cmake --build {build_dir} --target gmp-decode)")
    return exe


@pytest.fixture(scope="session")
def gmp_pcapgen(build_dir) -> pathlib.Path:
    exe = build_dir / "bin" / "gmp-pcapgen"
    if not exe.is_file():
        pytest.fail(f"{exe} is missing: build it (cmake --build {build_dir} --target gmp-pcapgen)")
    return exe
