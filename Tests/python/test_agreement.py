"""The header, the checked-in symbol list, the library's exports, the Swift @_cdecl signatures
and the ctypes declarations agree in names and parameter types; so do the header's constants
and the Python ones, and the library's SONAME and version."""
import ctypes
import os
import re
import subprocess

import pytest

import losses
from header import HAND_WRITTEN_FUNCTIONS, HEADER, normalise, parse
from losses import _native

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
SWIFT_HEADER = os.path.join(ROOT, ".build", "release", "LossesExport.build", "include", "LossesExport-Swift.h")
# Implemented in C (Sources/CLossesSupport), which compiles against the header itself.
C_IMPLEMENTED = {"losses_version_number", "losses_version_string", "losses_abi_version",
                 "losses_status_string", "losses_last_error", "losses_set_num_threads", "losses_get_num_threads"}


@pytest.fixture(scope="module")
def header():
    """{name: (return type, [parameter types])} and the enum constants of include/losses.h."""
    functions, constants = parse()
    return {k: (r, [t for t, _ in params]) for k, (r, params) in functions.items()}, constants


def test_header_parses_and_declares_the_losses(header):
    functions, _ = header
    assert "losses_mse_loss_f32" in functions and "losses_last_error" in functions
    assert {"losses_cross_entropy_f64", "losses_focal_loss_f32", "losses_logistic_loss_f64"} <= set(functions)


def test_checked_in_symbol_list_matches_header(header):
    listed = open(os.path.join(ROOT, "abi", "symbols.txt")).read().split()
    assert sorted(listed) == sorted(header[0])


def test_library_exports_exactly_the_header(header):
    """The defined functions are exactly the header's, by their plain names; anything else in
    the dynamic symbol table (Swift type metadata, Dispatch's thread-local slot, which static
    linking leaves there) is local, so no program can bind to it."""
    nm = subprocess.run(["nm", "-D", "--defined-only", losses.library_path],
                        check=True, capture_output=True, text=True).stdout
    entries = [line.split() for line in nm.splitlines()]
    functions = {name for _, kind, name in entries if kind == "T"}
    assert functions == set(header[0])
    others = [(kind, name) for _, kind, name in entries if kind != "T"]
    assert all(kind.islower() for kind, _ in others), others


def test_swift_cdecl_signatures_match_header(header):
    if not os.path.exists(SWIFT_HEADER):
        pytest.fail(f"{SWIFT_HEADER} is missing: build with `make` first")
    swift = {}
    for m in re.finditer(r"SWIFT_EXTERN\s+(.+?)\s+(losses_\w+)\((.*?)\)", open(SWIFT_HEADER).read()):
        params = [normalise(re.sub(r"\s*\b\w+$", "", p.strip())) for p in m.group(3).split(",")]
        swift[m.group(2)] = (normalise(m.group(1)), params)
    expected = {k: v for k, v in header[0].items() if k not in C_IMPLEMENTED}
    assert swift == expected


CTYPES = {"int32_t": ctypes.c_int32, "int64_t": ctypes.c_int64, "double": ctypes.c_double,
          "const char *": ctypes.c_char_p}


def ctype_for(c_type):
    return CTYPES.get(c_type, ctypes.c_void_p if c_type.endswith("*") else None)


def test_ctypes_declarations_match_header(header):
    for name, (restype, params) in header[0].items():
        function = getattr(_native.lib, name)  # ctypes caches it: this is the declared object
        assert function.restype is ctype_for(restype), name
        assert function.argtypes == [ctype_for(p) for p in params], name
        if name not in C_IMPLEMENTED:
            # No errcheck: each wrapper tests the status inline (a Python call per call saved).
            assert getattr(function, "errcheck", None) is None, name


def test_every_loss_in_the_header_has_a_python_kernel(header):
    kernels = {f"losses_{name}_{'f32' if char == 'f' else 'f64'}" for name, char in _native.KERNELS}
    # FID's statistics entries are declared by hand (losses/fid_statistics.py, abi/header.py).
    assert kernels == set(header[0]) - C_IMPLEMENTED - HAND_WRITTEN_FUNCTIONS


def test_constants_match_header(header):
    _, constants = header
    for name, value in constants.items():
        python_name = name.removeprefix("LOSSES_")
        assert getattr(_native, python_name) == value, name


def test_version_and_soname(header):
    text = open(HEADER).read()
    abi = int(re.search(r"#define LOSSES_ABI_VERSION (\d+)", text).group(1))
    version = re.search(r'#define LOSSES_VERSION_STRING "(.*)"', text).group(1)
    assert _native.abi_version() == abi == _native.ABI_VERSION
    assert losses.__version__ == version
    dynamic = subprocess.run(["readelf", "-d", losses.library_path], check=True, capture_output=True, text=True).stdout
    assert f"Library soname: [liblosses.so.{abi}]" in dynamic


def test_library_needs_no_swift_runtime():
    ldd = subprocess.run(["ldd", losses.library_path], check=True, capture_output=True, text=True).stdout
    assert "swift" not in ldd.lower() and "Foundation" not in ldd, ldd


def test_library_carries_lapack():
    """OpenBLAS (the Fréchet distance's LAPACK) is linked in, not needed at run time: the
    library needs the C and C++ runtimes only."""
    dynamic = subprocess.run(["readelf", "-d", losses.library_path], check=True, capture_output=True, text=True).stdout
    needed = set(re.findall(r"\(NEEDED\)\s+Shared library: \[([^\]]+)\]", dynamic))
    assert needed <= {"libc.so.6", "libm.so.6", "libstdc++.so.6", "libgcc_s.so.1", "ld-linux-x86-64.so.2"}, needed
