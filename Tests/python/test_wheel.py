"""The wheel, as a user installs it: built by the in-tree backend, tagged with the glibc the
bundled library really needs, complete (package, library, py.typed, metadata naming numpy),
and working in a fresh virtual environment with no Swift on PATH and no source tree in sight."""
import base64
import hashlib
import os
import subprocess
import sys
import venv
import zipfile

import losses
import pytest

from elf_versions import glibc_floor
import liblosses_backend


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    folder = tmp_path_factory.mktemp("wheel")
    os.environ["LOSSES_WHEEL_LIBRARY"] = losses.library_path
    try:
        name = liblosses_backend.build_wheel(str(folder))
    finally:
        del os.environ["LOSSES_WHEEL_LIBRARY"]
    return folder / name


def test_the_tag_states_the_glibc_the_bundled_library_needs(wheel):
    with zipfile.ZipFile(wheel) as archive:
        bundled = wheel.parent / "bundled.so"
        bundled.write_bytes(archive.read("losses/liblosses.so"))
        tag = archive.read(next(n for n in archive.namelist() if n.endswith(".dist-info/WHEEL"))).decode()
    major, minor = glibc_floor(str(bundled))
    assert (major, minor) == glibc_floor(losses.library_path)
    assert f"Tag: py3-none-manylinux_{major}_{minor}_x86_64" in tag
    assert wheel.name.endswith(f"-py3-none-manylinux_{major}_{minor}_x86_64.whl")


def test_the_wheel_holds_the_package_the_library_and_honest_metadata(wheel):
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        python_files = {f"losses/{n}" for n in os.listdir(os.path.dirname(losses.__file__)) if n.endswith(".py")}
        assert python_files <= names
        assert {"losses/liblosses.so", "losses/py.typed"} <= names
        metadata = archive.read(next(n for n in names if n.endswith("/METADATA"))).decode()
        requires = [line for line in metadata.splitlines() if line.startswith("Requires-Dist:")]
        assert [r for r in requires if "extra ==" not in r] == ["Requires-Dist: numpy>=1.21"]
        assert f"Version: {losses.__version__}" in metadata
        # RECORD: every file with its sha256 and size, as installers check.
        record = archive.read(next(n for n in names if n.endswith("/RECORD"))).decode().splitlines()
        for line in record:
            path, digest, size = line.rsplit(",", 2)
            if not digest:
                continue
            data = archive.read(path)
            assert digest == "sha256=" + base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
            assert int(size) == len(data)
        assert len(record) == len(names)


def test_a_fresh_venv_installs_the_wheel_and_computes_a_loss_without_swift(wheel, tmp_path):
    """pip fetches numpy (the one dependency) from its cache or PyPI."""
    environment = tmp_path / "venv"
    venv.create(environment, with_pip=True)
    python = str(environment / "bin" / "python")
    path = os.pathsep.join(p for p in os.environ["PATH"].split(os.pathsep)
                           if not os.path.exists(os.path.join(p, "swift")))
    env = {"PATH": path, "HOME": os.environ.get("HOME", str(tmp_path))}
    install = subprocess.run([python, "-m", "pip", "install", "-q", "--disable-pip-version-check", str(wheel)],
                             env=env, capture_output=True, text=True, cwd=tmp_path)
    assert install.returncode == 0, install.stderr
    code = ("import shutil, numpy as np, losses\n"
            "assert shutil.which('swift') is None\n"
            "x = np.array([0.5, 2.0, -3.0], np.float32)\n"
            "value, grad = losses.huber_loss(x, np.zeros(3, np.float32), return_grad=True)\n"
            "print(losses.library_path); print(value); print(*grad)")
    run = subprocess.run([python, "-c", code], env=env, capture_output=True, text=True, cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    library, value, grad = run.stdout.splitlines()
    assert library.startswith(str(environment)) and library.endswith("site-packages/losses/liblosses.so")
    # Huber with delta 1 of (0.5, 2, -3): (0.125 + 1.5 + 2.5) / 3; gradient clamp(d, -1, 1) / 3.
    assert float(value) == pytest.approx(4.125 / 3, rel=1e-7)
    assert [float(g) for g in grad.split()] == pytest.approx([0.5 / 3, 1 / 3, -1 / 3], rel=1e-7)
