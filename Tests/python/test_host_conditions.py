"""The library survives the conditions of the process it lives in, and the Python layer refuses
what it cannot represent exactly. Each test reproduces a failure seen before the fix: a hang
when no thread can start, a crash from setenv racing a call, labels changed during a call, and
arguments silently wrapped, truncated or promoted."""
import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest

import losses
from losses import _native

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
ENV = dict(os.environ, PYTHONPATH=os.path.join(ROOT, "bindings", "python"))


def run_python(code, timeout=120, **env):
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True,
                          timeout=timeout, env=dict(ENV, **env))


# ---- Threads that cannot start ----

def test_a_large_call_finishes_when_no_thread_can_be_created():
    """RLIMIT_AS just above what the process uses: no 8 MiB thread stack fits, pthread_create
    fails, and the calling thread computes every chunk (libdispatch retried forever here)."""
    result = run_python("""
        import resource, numpy as np, losses
        losses.set_num_threads(2)
        rng = np.random.default_rng(0)
        x = rng.standard_normal(2**20).astype(np.float32); y = rng.standard_normal(2**20).astype(np.float32)
        grad = np.empty_like(x)
        with open("/proc/self/statm") as f:
            pages = int(f.read().split()[0])
        used = pages * resource.getpagesize()
        resource.setrlimit(resource.RLIMIT_AS, (used + 4 * 2**20, resource.RLIM_INFINITY))
        value = losses.mse_loss(x, y, return_grad=True, grad_out=grad)[0]
        print(repr(float(value)), grad[:3].tolist())
    """, timeout=60)
    assert result.returncode == 0, result.stderr
    rng = np.random.default_rng(0)
    x = rng.standard_normal(2**20).astype(np.float32)
    y = rng.standard_normal(2**20).astype(np.float32)
    value, grad = losses.mse_loss(x, y, return_grad=True)
    assert result.stdout.strip() == f"{float(value)!r} {grad[:3].tolist()}"


def test_thread_count_is_read_once_and_settable():
    result = run_python("""
        import os, losses
        first = losses.get_num_threads()
        os.environ["LOSSES_NUM_THREADS"] = "5"   # after load: no effect
        assert losses.get_num_threads() == first == 3, (first, losses.get_num_threads())
        losses.set_num_threads(7); assert losses.get_num_threads() == 7
        losses.set_num_threads(0); assert losses.get_num_threads() == 3
        try:
            losses.set_num_threads(-1)
        except ValueError as error:
            print("refused", error)
    """, LOSSES_NUM_THREADS="3")
    assert result.returncode == 0, result.stderr
    assert "refused" in result.stdout


def test_setenv_racing_large_calls_does_not_crash():
    """getenv was called on every large call with the GIL released: a putenv in another thread
    crashed the process within seconds."""
    result = run_python("""
        import os, threading, time, numpy as np, losses
        x = np.ones(2**18, np.float32); y = np.zeros(2**18, np.float32)
        stop = time.time() + 3
        def churn():
            i = 0
            while time.time() < stop:
                os.putenv("LOSSES_NUM_THREADS", str(1 + i % 4)); os.putenv(f"LOSSES_CHURN_{i % 64}", "x" * (i % 200))
                i += 1
        threads = [threading.Thread(target=churn) for _ in range(2)]
        for t in threads: t.start()
        calls = 0
        while time.time() < stop:
            assert losses.mse_loss(x, y) == 1.0
            calls += 1
        for t in threads: t.join()
        print(calls)
    """)
    assert result.returncode == 0, result.stderr


def test_labels_changed_during_a_call_give_numbers_not_corruption():
    """Labels are validated, then read again by the kernels: one flipped to 10^9 in between must
    give a NaN (or a valid number), never an index outside the buffers."""
    result = run_python("""
        import threading, time, numpy as np, losses
        n, c = 2**15, 16
        x = np.random.default_rng(1).standard_normal((n, c))
        labels = np.zeros(n, np.int64)
        stop = time.time() + 3
        def flip():
            while time.time() < stop:
                labels[::97] = 10**9
                labels[::97] = 1
        t = threading.Thread(target=flip); t.start()
        outcomes = set()
        while time.time() < stop:
            for f in (losses.cross_entropy, losses.nll_loss, losses.focal_loss, losses.multi_margin_loss):
                try:
                    value, grad = f(x, labels, return_grad=True, weight=None) if f is not losses.focal_loss \\
                        else f(x, labels, return_grad=True)
                    outcomes.add("nan" if np.isnan(value) else "value")
                    assert np.all(np.isfinite(grad) | np.isnan(grad))
                except ValueError as error:
                    assert "out of range" in str(error); outcomes.add("refused")
        t.join()
        print(sorted(outcomes))
    """)
    assert result.returncode == 0, result.stderr


def test_a_size_no_address_space_holds_is_refused():
    x = np.zeros(4)
    out = np.zeros(1)
    with pytest.raises(ValueError, match="extends past the address space"):
        _native.checked(_native.KERNELS["mse_loss", "d"])(x.ctypes.data, x.ctypes.data, None, 2**60, 1, out.ctypes.data, None, None)
    assert out[0] == 0


def test_scratch_that_cannot_be_allocated_is_a_memory_error():
    """An (n, m) pair matrix with zero-width rows passes every size check yet needs 2^63 bytes of
    scratch: a status, never an abort."""
    x = np.zeros((0,))
    out = np.full(1, 7.0)
    with pytest.raises(MemoryError, match="cannot allocate"):
        _native.checked(_native.KERNELS["pairwise_distance_matrix", "d"])(
            x.ctypes.data, x.ctypes.data, 2**30, 2**30, 0, 2.0, 0.0, 1, out.ctypes.data, None, None, None)
    assert out[0] == 7.0


# ---- Arguments refused rather than bent ----

X = np.random.default_rng(2).random((4, 3)).astype(np.float32)
LABELS = np.array([0, 1, 2, 1])


@pytest.mark.parametrize("call,error,message", [
    (lambda: losses.cross_entropy(X, LABELS, ignore_index=2**64 + 1), ValueError, "ignore_index must be in"),
    (lambda: losses.nll_loss(X, LABELS, ignore_index=-2**63 - 1), ValueError, "ignore_index must be in"),
    (lambda: losses.cross_entropy(X, LABELS, ignore_index=1.9), TypeError, "ignore_index must be an integer"),
    (lambda: losses.focal_loss(X, LABELS, ignore_index="1"), TypeError, "ignore_index must be an integer"),
    (lambda: losses.cross_entropy(X, np.array([0, 1, 2, 2**64 - 5], np.uint64)), ValueError, "does not fit int64"),
    (lambda: losses.multi_margin_loss(X, LABELS, p=2**32 + 1), ValueError, "p must be in"),
    (lambda: losses.multi_margin_loss(X, LABELS, p=2.7), TypeError, "p must be an integer"),
    (lambda: losses.hinge_loss(np.zeros(2), np.ones(2), squared=2), TypeError, "squared must be a bool"),
    (lambda: losses.cross_entropy(X, LABELS.astype(np.float32)), TypeError, "must be integers, got dtype float32"),
])
def test_arguments_that_would_be_wrapped_are_refused(call, error, message):
    with pytest.raises(error, match=message):
        call()


def test_integral_values_of_other_types_are_accepted_exactly():
    want = losses.cross_entropy(X, LABELS, ignore_index=1)
    assert losses.cross_entropy(X, LABELS, ignore_index=1.0) == want
    assert losses.cross_entropy(X, LABELS, ignore_index=np.int32(1)) == want
    assert losses.cross_entropy(X, LABELS.astype(np.uint8), ignore_index=1) == want
    assert losses.hinge_loss(np.zeros(2), np.ones(2), squared=np.bool_(True)) == 1.0


def test_a_misaligned_array_is_copied_once_not_refused():
    raw = np.zeros(4 * 11 + 1, np.uint8)
    x = raw[1:41].view(np.float32)
    x[:] = np.arange(10)
    assert not x.flags.aligned
    assert losses.mse_loss(x, np.zeros(10, np.float32)) == np.float32(np.mean(np.arange(10.0) ** 2))


def test_a_python_scalar_weight_keeps_float32():
    x, y = np.ones(3, np.float32), np.zeros(3, np.float32)
    value = losses.mse_loss(x, y, weight=2.0)
    assert value.dtype == np.float32 and value == 1.0
    value, grad = losses.mse_loss(x, y, weight=2, reduction="none", return_grad=True, grad_out=np.empty(3, np.float32))
    assert value.dtype == grad.dtype == np.float32
    assert losses.cross_entropy(X, LABELS, weight=1.0).dtype == np.float32


def test_multi_margin_loss_takes_what_pytorch_takes():
    # One class (0-d input): every margin term is over the other classes, of which there are none.
    assert losses.multi_margin_loss(np.float64(0.5), np.int64(0)) == 0.0
    # A (1)-shaped target for one unbatched (C) sample; PyTorch gives 0.8333 here.
    value = losses.multi_margin_loss(np.array([0.5, 1.0, 2.0]), np.array([1]))
    assert value == pytest.approx((0 + max(0, 1 - 1.0 + 2.0)) / 3 + max(0, 1 - 1.0 + 0.5) / 3)


def test_the_unsafe_swift_layer_is_not_public():
    """The buffer-level functions read whatever lengths they are given: only the checked API may
    be public (Regression.mseLoss(input:target:weight:into:) read out of bounds)."""
    offenders = []
    for folder, _, files in os.walk(os.path.join(ROOT, "Sources", "Losses")):
        for name in files:
            if not name.endswith(".swift"):
                continue
            for number, line in enumerate(open(os.path.join(folder, name)), 1):
                # The storage accessors (withUnsafeBufferPointer and its mutable twin) only hand the
                # caller's own storage to a closure; they read no length they are given.
                if ("public " in line and "Unsafe" in line and not line.strip().startswith("//")
                        and "func withUnsafe" not in line):
                    offenders.append(f"{name}:{number}: {line.strip()}")
    assert not offenders, offenders
