"""C-contiguous float32/float64 arrays reach the library as they are: the pointers the foreign
function receives are the arrays' own. Anything else is converted once, and still correct."""
import numpy as np
import pytest

import losses
from losses import _native


@pytest.fixture
def spy(monkeypatch):
    """Replaces the mse_loss kernels with wrappers that record the arguments they receive."""
    calls = []
    for char in "fd":
        real = _native.KERNELS["mse_loss", char]

        def record(*args, _real=real):
            calls.append(args)
            return _real(*args)

        monkeypatch.setitem(_native.KERNELS, ("mse_loss", char), record)
    return calls


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_contiguous_arrays_are_passed_by_pointer(spy, dtype):
    x = np.linspace(-1, 1, 1000).astype(dtype)
    y = np.zeros(1000, dtype)
    w = np.ones(1000, dtype)
    go = np.ones(1000, dtype)
    out = np.empty(1000, dtype)
    grad = np.empty(1000, dtype)
    value, g = losses.mse_loss(x, y, weight=w, reduction="none", return_grad=True, grad_output=go,
                               out=out, grad_out=grad)
    (args,) = spy
    assert args[0] == x.ctypes.data and args[1] == y.ctypes.data and args[2] == w.ctypes.data
    assert args[5] == out.ctypes.data and args[6] == grad.ctypes.data and args[7] == go.ctypes.data
    assert value is out and g is grad
    np.testing.assert_allclose(grad, 2 * x, rtol=1e-6)


def test_gradient_written_into_the_callers_buffer():
    x = np.array([1.0, -2.0, 3.0], np.float32)
    grad = np.full(3, np.nan, np.float32)
    _, g = losses.huber_loss(x, np.zeros(3, np.float32), reduction="sum", return_grad=True, grad_out=grad)
    assert g is grad
    np.testing.assert_array_equal(grad, [1.0, -1.0, 1.0])


@pytest.mark.parametrize("make", [
    lambda a: a[::2],                              # strided view
    lambda a: a.astype(">f8"),                     # non-native byte order
    lambda a: a.astype(np.int64),                  # integers compute in float64
    lambda a: a.tolist(),                          # a list
    lambda a: np.asfortranarray(a.reshape(4, -1)), # Fortran order
], ids=["strided", "big-endian", "int64", "list", "fortran"])
def test_other_layouts_are_converted_once_and_agree(spy, make):
    base = np.arange(16, dtype=np.float64)
    x = make(base)
    arr = np.asarray(x)
    y = np.zeros(arr.shape)
    value = losses.mse_loss(x, y, reduction="sum")
    assert value == pytest.approx(float((arr.astype(np.float64) ** 2).sum()))
    (args,) = spy
    if isinstance(x, np.ndarray):
        assert args[0] != x.ctypes.data  # a converted copy was passed


def test_dtype_follows_the_input():
    x32, y32 = np.ones(3, np.float32), np.zeros(3, np.float32)
    assert losses.mse_loss(x32, y32).dtype == np.float32
    assert losses.mse_loss(x32, y32.astype(np.float64)).dtype == np.float64
    assert losses.mse_loss(x32.astype(np.float16), y32.astype(np.float16)).dtype == np.float32
    assert losses.mse_loss([1, 2], [0, 0]).dtype == np.float64
