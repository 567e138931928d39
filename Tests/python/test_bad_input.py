"""Bad input never crashes: every case gets an exception carrying a message, and the process
lives on. The low-level calls reach the library's own checks with what the public API never
sends (NULL, negative sizes, overflowing products, bad selectors, overlaps)."""
import numpy as np
import pytest

import losses
from header import parse
from losses import _native

POINTWISE = ["mse_loss", "l1_loss", "huber_loss", "smooth_l1_loss", "log_cosh_loss"]
ALL = POINTWISE + ["quantile_loss"]


def public(name):
    return getattr(losses, name)


@pytest.mark.parametrize("name", POINTWISE)
def test_shape_mismatch(name):
    with pytest.raises(ValueError, match=f"{name}: target shape"):
        public(name)(np.zeros(3), np.zeros(4))


@pytest.mark.parametrize("name", ALL)
def test_unknown_reduction(name):
    with pytest.raises(ValueError, match="avg is not a valid value for reduction"):
        public(name)(np.zeros(3), np.zeros(3), reduction="avg")


@pytest.mark.parametrize("name", POINTWISE)
def test_complex_and_object_inputs_are_type_errors(name):
    with pytest.raises(TypeError):
        public(name)(np.zeros(3, complex), np.zeros(3))
    with pytest.raises(TypeError):
        public(name)(np.array(["a", "b"]), np.zeros(2))


@pytest.mark.parametrize("name", ["mse_loss", "l1_loss", "huber_loss"])
def test_weight_that_does_not_broadcast(name):
    with pytest.raises(ValueError, match="weight of shape"):
        public(name)(np.zeros(3), np.zeros(3), weight=np.ones(2))


@pytest.mark.parametrize("name", POINTWISE)
def test_output_overlapping_an_input_is_refused(name):
    x = np.arange(4.0)
    before = x.copy()
    with pytest.raises(ValueError, match="overlaps"):
        public(name)(x, np.zeros(4), reduction="none", out=x)
    np.testing.assert_array_equal(x, before)


@pytest.mark.parametrize("name", POINTWISE)
def test_caller_outputs_are_checked(name):
    x = np.zeros(4, np.float32)
    with pytest.raises(TypeError, match="grad_out must have dtype float32"):
        public(name)(x, x, return_grad=True, grad_out=np.zeros(4))
    with pytest.raises(ValueError, match="grad_out must have shape"):
        public(name)(x, x, return_grad=True, grad_out=np.zeros(5, np.float32))
    with pytest.raises(ValueError, match="C-contiguous"):
        public(name)(x, x, return_grad=True, grad_out=np.zeros(8, np.float32)[::2])
    with pytest.raises(TypeError, match="numpy.ndarray"):
        public(name)(x, x, return_grad=True, grad_out=[0.0] * 4)


def test_grad_output_of_the_wrong_shape():
    with pytest.raises(ValueError, match="grad_output of shape"):
        losses.mse_loss(np.zeros(3), np.zeros(3), reduction="none", grad_output=np.ones(4))


def test_quantile_shapes():
    with pytest.raises(ValueError, match="quantile of shape"):
        losses.quantile_loss(np.zeros((4, 3)), np.zeros(4), quantile=[0.1, 0.9])
    with pytest.raises(ValueError, match="target has 5 samples"):
        losses.quantile_loss(np.zeros((4, 3)), np.zeros(5), quantile=[0.1, 0.5, 0.9])
    with pytest.raises(ValueError, match="input must be"):
        losses.quantile_loss(np.zeros(4), np.zeros(4), quantile=[0.1, 0.9])
    with pytest.raises(ValueError, match=r"quantile\[1\] must be in \[0, 1\]"):
        losses.quantile_loss(np.zeros((4, 2)), np.zeros(4), quantile=[0.1, 1.1])


# ---- Straight to the library: arguments the public API never produces ----

def low_level(name, dtype, **overrides):
    """Calls the raw foreign function with a valid 4-element call, then the overrides."""
    x = np.arange(4, dtype=dtype)
    keep = {"x": x, "y": np.zeros(4, dtype), "q": np.array([0.5]), "out": np.full(4, 7, dtype),
            "grad": np.full(4, 7, dtype)}
    args = {"input": x.ctypes.data, "target": keep["y"].ctypes.data, "weight": None,
            "quantile": keep["q"].ctypes.data, "n": 4, "q": 1, "delta": 1.0, "beta": 1.0, "reduction": 1,
            "out": keep["out"].ctypes.data, "grad_input": keep["grad"].ctypes.data, "grad_output": None}
    args.update(overrides)
    # The parameter order is the header's own.
    order = [param for _, param in parse()[0][f"losses_{name}_f64"][1]]
    function = _native.checked(_native.KERNELS[name, np.dtype(dtype).char])
    try:
        function(*[args[k] for k in order])
    finally:
        # Nothing may have been written, whatever happened.
        assert (keep["out"] == 7).all() and (keep["grad"] == 7).all()


BAD = [
    ({"input": None}, TypeError, "input is NULL"),
    ({"out": None}, TypeError, "out is NULL"),
    ({"n": -1}, ValueError, "n must be >= 0, got -1"),
    ({"n": 2**62}, ValueError, "n must be at most 2\\^60"),
    ({"reduction": 3}, ValueError, "reduction must be 0 \\(none\\), 1 \\(mean\\) or 2 \\(sum\\), got 3"),
    ({"reduction": -7}, ValueError, "reduction must be .*, got -7"),
]


@pytest.mark.parametrize("name", ALL)
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("override,error,message", BAD, ids=[str(b[0]) for b in BAD])
def test_library_refuses(name, dtype, override, error, message):
    with pytest.raises(error, match=f"{name}: {message}"):
        low_level(name, dtype, **override)


def test_library_refuses_misaligned_and_overflowing():
    buffer = np.zeros(10, np.float64)
    with pytest.raises(TypeError, match="not aligned"):
        low_level("mse_loss", np.float64, input=buffer.ctypes.data + 1)
    with pytest.raises(ValueError, match="too large"):
        low_level("quantile_loss", np.float64, n=2**40, q=2**40)


def test_nan_propagates():
    value, grad = losses.mse_loss(np.array([np.nan, 1.0]), np.zeros(2), reduction="none", return_grad=True)
    assert np.isnan(value[0]) and value[1] == 1.0
    assert np.isnan(grad[0]) and grad[1] == 2.0
    assert np.isnan(losses.huber_loss(np.array([np.nan, 1.0]), np.zeros(2)))


# ---- Classification arguments ----

def test_class_index_targets_must_be_integers_of_the_right_shape():
    x = np.zeros((4, 3))
    with pytest.raises(TypeError, match="class-index targets must be integers"):
        losses.nll_loss(x, np.zeros(4))
    with pytest.raises(ValueError, match="target shape"):
        losses.cross_entropy(x, np.zeros(5, np.int64))
    with pytest.raises(ValueError, match="probability target shape"):
        losses.cross_entropy(x, np.zeros((4, 2)))
    with pytest.raises(ValueError, match="ignore_index is not supported for probability targets"):
        losses.cross_entropy(x, np.full((4, 3), 1 / 3), ignore_index=0)
    with pytest.raises(ValueError, match="must have a class axis"):
        losses.cross_entropy(np.float64(1.0), np.int64(0))


def test_classification_parameters():
    x, y = np.zeros((2, 3)), np.array([0, 1])
    with pytest.raises(ValueError, match="label_smoothing must be in"):
        losses.cross_entropy(x, y, label_smoothing=-0.1)
    with pytest.raises(ValueError, match="p must be 1 or 2"):
        losses.multi_margin_loss(x, y, p=3)
    with pytest.raises(ValueError, match="gamma must be"):
        losses.focal_loss(x, y, gamma=float("nan"))
    with pytest.raises(ValueError, match="alpha has 2 values, expected 1 or 3"):
        losses.focal_loss(x, y, alpha=[0.5, 0.5])
    with pytest.raises(ValueError, match=r"alpha must be in \[0, 1\] or -1"):
        losses.sigmoid_focal_loss(np.zeros(2), np.ones(2), alpha=2.0)
    with pytest.raises(ValueError, match="margin must be finite"):
        losses.hinge_loss(np.zeros(2), np.ones(2), margin=float("inf"))
    with pytest.raises(ValueError, match="pos_weight of shape"):
        losses.binary_cross_entropy_with_logits(np.zeros((2, 3)), np.zeros((2, 3)), pos_weight=np.ones(2))


def test_library_refuses_a_squared_flag_other_than_0_or_1():
    x = np.zeros(2)
    out = np.zeros(1)
    with pytest.raises(ValueError, match="squared must be 0 or 1, got 2"):
        _native.checked(_native.KERNELS["hinge_loss", "d"])(x.ctypes.data, x.ctypes.data, 2, 1.0, 2, 1, out.ctypes.data, None, None)


def test_library_refuses_a_total_variation_mean_flag_other_than_0_or_1():
    x = np.zeros((2, 3, 3))
    out = np.zeros(2)
    with pytest.raises(ValueError, match="mean must be 0 or 1, got 2"):
        _native.checked(_native.KERNELS["total_variation", "d"])(x.ctypes.data, 2, 3, 3, 2, 0, out.ctypes.data, None, None)
    with pytest.raises(ValueError, match="reduction must be 'sum' or 'mean'"):
        losses.total_variation(x, "none")


def test_reduction_is_taken_by_value_as_pytorch_does():
    """A NumPy string names a reduction like the str it equals; anything else is refused."""
    x, y = np.array([1.0, -2.0, 3.0]), np.zeros(3)
    assert losses.mse_loss(x, y, reduction=np.str_("sum")) == np.sum(x ** 2)
    for bad in ("avg", None, ["mean"], 1):
        with pytest.raises(ValueError, match="is not a valid value for reduction"):
            losses.mse_loss(x, y, reduction=bad)
