"""The PEP 517 build backend of the `liblosses` Python distribution (pyproject.toml names it).

No third-party build tool: a wheel is a zip of the `losses` package, the self-contained
liblosses.so beside it, and three metadata files. The library is built by `make lib` (Swift),
or taken from $LOSSES_WHEEL_LIBRARY when that names an already built one. Its platform tag
is read from the library itself: manylinux_<x>_<y> for the newest GLIBC_x.y symbol version it
needs (elf_versions.py), so the tag states the glibc it really requires. The package is pure
Python over ctypes, so the wheel serves every Python 3 (py3-none).
"""
import base64
import hashlib
import io
import os
import re
import shutil
import subprocess
import tarfile
import tempfile
import zipfile

from elf_versions import glibc_floor, machine

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", ".."))
PACKAGE = os.path.join(ROOT, "bindings", "python", "losses")
NAME = "liblosses"


def _version():
    header = open(os.path.join(ROOT, "include", "losses.h")).read()
    return re.search(r'#define LOSSES_VERSION_STRING "([^"]+)"', header).group(1)


def _metadata():
    readme = open(os.path.join(ROOT, "bindings", "python", "README.md")).read()
    return "\n".join([
        "Metadata-Version: 2.1",
        f"Name: {NAME}",
        f"Version: {_version()}",
        "Summary: Loss functions of machine learning with their analytic gradients, over a self-contained C library",
        "License: MIT",
        "Requires-Python: >=3.9",
        "Requires-Dist: numpy>=1.21",  # numpy.typing.NDArray
        "Provides-Extra: torch",
        "Requires-Dist: torch; extra == \"torch\"",
        "Classifier: License :: OSI Approved :: MIT License",
        "Classifier: Operating System :: POSIX :: Linux",
        "Classifier: Programming Language :: Python :: 3",
        "Description-Content-Type: text/markdown",
        "",
        readme,
    ])


def _library():
    """The built liblosses.so: $LOSSES_WHEEL_LIBRARY, else `make lib` in the source tree."""
    given = os.environ.get("LOSSES_WHEEL_LIBRARY")
    if given:
        return given
    subprocess.run(["make", "--no-print-directory", "lib"], cwd=ROOT, check=True)
    return os.path.join(ROOT, ".build", "lib", "liblosses.so")


def _stripped(library, scratch):
    """The library without its debug information and local symbols (17 MB -> 9 MB); as built
    when binutils' strip is missing."""
    target = os.path.join(scratch, "liblosses.so")
    if shutil.which("strip"):
        subprocess.run(["strip", "--strip-unneeded", "-o", target, library], check=True)
    else:
        shutil.copyfile(library, target)
    return target


def _package_files():
    for folder, _dirs, files in os.walk(PACKAGE):
        for name in sorted(files):
            if name.endswith((".py", ".pyi", ".typed")):
                path = os.path.join(folder, name)
                yield path, os.path.relpath(path, os.path.dirname(PACKAGE))


def _tag(library):
    major, minor = glibc_floor(library)
    return f"py3-none-manylinux_{major}_{minor}_{machine(library)}"


def _record_line(arcname, data):
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"{arcname},sha256={digest},{len(data)}"


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    library = _library()
    tag = _tag(library)
    version = _version()
    dist_info = f"{NAME}-{version}.dist-info"
    filename = f"{NAME}-{version}-{tag}.whl"
    with tempfile.TemporaryDirectory() as scratch:
        entries = [(arc, open(path, "rb").read()) for path, arc in _package_files()]
        entries.append(("losses/liblosses.so", open(_stripped(library, scratch), "rb").read()))
        entries.append((f"{dist_info}/METADATA", _metadata().encode()))
        entries.append((f"{dist_info}/WHEEL", (
            "Wheel-Version: 1.0\nGenerator: liblosses_backend\nRoot-Is-Purelib: false\n"
            f"Tag: {tag}\n").encode()))
        entries.append((f"{dist_info}/licenses/LICENSE", open(os.path.join(ROOT, "LICENSE"), "rb").read()))
        os.makedirs(wheel_directory, exist_ok=True)
        _write_wheel(os.path.join(wheel_directory, filename), dist_info, entries)
    return filename


def _write_wheel(path, dist_info, entries):
    """The zip, with RECORD (every file's sha256 and size) last."""
    record = [_record_line(arc, data) for arc, data in entries] + [f"{dist_info}/RECORD,,"]
    entries = entries + [(f"{dist_info}/RECORD", ("\n".join(record) + "\n").encode())]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as wheel:
        for arc, data in entries:
            info = zipfile.ZipInfo(arc, date_time=(2020, 1, 1, 0, 0, 0))
            info.external_attr = (0o755 if arc.endswith(".so") else 0o644) << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            wheel.writestr(info, data)


def build_editable(wheel_directory, config_settings=None, metadata_directory=None):
    """PEP 660: a wheel whose .pth file puts bindings/python on the path, so the package is the
    source tree's and finds the library in its .build/lib (built here by `make lib`)."""
    _library()
    version = _version()
    dist_info = f"{NAME}-{version}.dist-info"
    filename = f"{NAME}-{version}-py3-none-any.whl"
    entries = [(f"{NAME}.pth", (os.path.join(ROOT, "bindings", "python") + "\n").encode()),
               (f"{dist_info}/METADATA", _metadata().encode()),
               (f"{dist_info}/WHEEL", b"Wheel-Version: 1.0\nGenerator: liblosses_backend\nRoot-Is-Purelib: true\n"
                                      b"Tag: py3-none-any\n")]
    _write_wheel(os.path.join(wheel_directory, filename), dist_info, entries)
    return filename


def get_requires_for_build_editable(config_settings=None):
    return []


def build_sdist(sdist_directory, config_settings=None):
    """The tracked source tree (git ls-files), which builds the wheel with Swift installed."""
    version = _version()
    base = f"{NAME}-{version}"
    files = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, check=True, capture_output=True).stdout
    filename = f"{base}.tar.gz"
    os.makedirs(sdist_directory, exist_ok=True)
    with tarfile.open(os.path.join(sdist_directory, filename), "w:gz") as sdist:
        for name in filter(None, files.decode().split("\0")):
            sdist.add(os.path.join(ROOT, name), arcname=f"{base}/{name}", recursive=False)
        info = tarfile.TarInfo(f"{base}/PKG-INFO")
        data = _metadata().encode()
        info.size = len(data)
        sdist.addfile(info, io.BytesIO(data))
    return filename


def get_requires_for_build_wheel(config_settings=None):
    return []


def get_requires_for_build_sdist(config_settings=None):
    return []
