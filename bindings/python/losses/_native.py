"""The low-level mirror of include/losses.h: the library loader and one ctypes declaration per
function (the losses' from the generated _declarations.py), with status codes turned into
exceptions in one place.

Nothing here converts arrays; the public modules pass pointers as Python ints.
"""
import ctypes
import os

from ._declarations import SIGNATURES, VERSION_NUMBER

ABI_VERSION = 1  # LOSSES_ABI_VERSION this package was written against

# Status codes (enum in losses.h).
OK = 0
ERROR_NULL_POINTER = 1
ERROR_INVALID_SIZE = 2
ERROR_SHAPE_MISMATCH = 3
ERROR_INVALID_OPTION = 4
ERROR_INVALID_ARGUMENT = 5
ERROR_LABEL_OUT_OF_RANGE = 6
ERROR_OVERLAP = 7
ERROR_MISALIGNED = 8
ERROR_OUT_OF_MEMORY = 9

# Reductions (LOSSES_REDUCTION_*).
REDUCTION_NONE = 0
REDUCTION_MEAN = 1
REDUCTION_SUM = 2

# iou_loss's loss_type selector (LOSSES_IOU_LOSS_TYPE_*).
IOU_LOSS_TYPE_IOU = 0
IOU_LOSS_TYPE_LINEAR_IOU = 1
IOU_LOSS_TYPE_GIOU = 2

# td_loss's loss selector (LOSSES_TD_LOSS_*).
TD_LOSS_MSE = 0
TD_LOSS_HUBER = 1

# triplet_margin_with_distance_loss's distance_function selector (LOSSES_TRIPLET_DISTANCE_*).
TRIPLET_DISTANCE_EUCLIDEAN = 0
TRIPLET_DISTANCE_COSINE = 1

_LIBRARY_NAME = "liblosses.so"
_SONAME = f"liblosses.so.{ABI_VERSION}"
_HERE = os.path.dirname(os.path.abspath(__file__))
_REPO = os.path.normpath(os.path.join(_HERE, "..", "..", ".."))


def _candidates():
    """Where the library is looked for, in order: beside this package (the wheel bundles it
    there), $LOSSES_LIBRARY, the build folders of a source checkout, then the SONAME through the
    dynamic linker (a `make install`ed library: ld.so.cache, LD_LIBRARY_PATH). Never
    ctypes.util.find_library, which returns names, not paths, and ignores LD_LIBRARY_PATH in
    some setups."""
    yield os.path.join(_HERE, _LIBRARY_NAME)
    env = os.environ.get("LOSSES_LIBRARY")
    if env:
        yield os.path.abspath(env)
    yield os.path.join(_REPO, ".build", "lib", _LIBRARY_NAME)
    yield os.path.join(_REPO, ".build", "release", _LIBRARY_NAME)
    yield _SONAME


def _load():
    tried = []
    for path in _candidates():
        if os.sep in path and not os.path.exists(path):
            tried.append(f"{path} (no such file)")
            continue
        try:
            library = ctypes.CDLL(path)
        except OSError as error:
            tried.append(f"{path} ({error})")
            continue
        if os.sep not in path:  # found by the dynamic linker: report where
            path = _loaded_path(library, path)
        return library, path
    raise ImportError("liblosses: could not load the shared library; looked in:\n  "
                      + "\n  ".join(tried)
                      + "\nBuild it with `make`, install it with `make install`, or set LOSSES_LIBRARY to its path.")


def _loaded_path(library, name):
    """The file the dynamic linker chose for `name` (dladdr on one of its functions)."""
    class _DlInfo(ctypes.Structure):
        _fields_ = [("dli_fname", ctypes.c_char_p), ("dli_fbase", ctypes.c_void_p),
                    ("dli_sname", ctypes.c_char_p), ("dli_saddr", ctypes.c_void_p)]
    info = _DlInfo()
    try:
        dladdr = ctypes.CDLL(None).dladdr
        dladdr.argtypes = [ctypes.c_void_p, ctypes.POINTER(_DlInfo)]
        if dladdr(ctypes.cast(library.losses_abi_version, ctypes.c_void_p), ctypes.byref(info)) and info.dli_fname:
            return os.path.realpath(info.dli_fname.decode())
    except (AttributeError, OSError):
        pass
    return name


lib, library_path = _load()

_i32, _i64, _f64, _ptr = ctypes.c_int32, ctypes.c_int64, ctypes.c_double, ctypes.c_void_p


def _declare(name, restype, *argtypes):
    function = getattr(lib, name)
    function.restype = restype
    function.argtypes = list(argtypes)
    return function


# int32_t losses_version_number(void);
version_number = _declare("losses_version_number", _i32)
# const char *losses_version_string(void);
version_string = _declare("losses_version_string", ctypes.c_char_p)
# int32_t losses_abi_version(void);
abi_version = _declare("losses_abi_version", _i32)
# const char *losses_status_string(int32_t status);
status_string = _declare("losses_status_string", ctypes.c_char_p, _i32)
# const char *losses_last_error(void);
last_error = _declare("losses_last_error", ctypes.c_char_p)

if abi_version() != ABI_VERSION:
    raise ImportError(f"liblosses: {library_path} has ABI version {abi_version()}, "
                      f"this package needs {ABI_VERSION}")
# Same ABI, but an older release lacks the functions added since (an installed library found by
# its SONAME, say): refuse it by name rather than fail on a missing symbol.
if version_number() < VERSION_NUMBER:
    raise ImportError(f"liblosses: {library_path} is version {version_string().decode()}, this package needs "
                      f"{VERSION_NUMBER // 10000}.{VERSION_NUMBER // 100 % 100}.{VERSION_NUMBER % 100} or newer")

_TYPE_ERRORS = (ERROR_NULL_POINTER, ERROR_MISALIGNED)


def raise_status(status):
    """Raises for a non-zero status, with the library's message: MemoryError, TypeError (NULL
    or misaligned pointers) or ValueError. The message is per thread and ctypes releases the
    GIL only around the call itself, so reading it right after the call is race-free."""
    message = last_error().decode("utf-8", "replace")
    if status == ERROR_OUT_OF_MEMORY:
        raise MemoryError(message)
    raise (TypeError if status in _TYPE_ERRORS else ValueError)(message)


def checked(function):
    """A loss function that raises on a non-zero status, for callers outside the loss wrappers
    (tests, tools): the wrappers test the status inline."""
    def call(*arguments):
        status = function(*arguments)
        if status:
            raise_status(status)
        return status
    return call


def _declare_loss(name, *argtypes):
    """A loss: no errcheck (a Python call on every call); each caller tests the status inline
    and calls raise_status."""
    return _declare(name, _i32, *argtypes)


# int32_t losses_set_num_threads(int32_t threads); int32_t losses_get_num_threads(void);
set_num_threads = checked(_declare("losses_set_num_threads", _i32, _i32))
get_num_threads = _declare("losses_get_num_threads", _i32)

# The loss functions: KERNELS[name, dtype_char] -> foreign function, both variants of every loss
# of the header, declared from the generated table (_declarations.py, made by abi/generate.py).
KERNELS = {}
_CTYPES = {"_ptr": _ptr, "_i64": _i64, "_i32": _i32, "_f64": _f64}

for _name, _params in SIGNATURES.items():
    for _suffix, _char in (("f32", "f"), ("f64", "d")):
        KERNELS[_name, _char] = _declare_loss(f"losses_{_name}_{_suffix}", *(_CTYPES[k] for k, _ in _params))
