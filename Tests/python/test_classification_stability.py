"""Classification losses at the edges: extreme logits, probabilities exactly 0 and 1, one class,
every target ignored, labels out of range. Expected values come from float64 formulas written
from the definitions (np.logaddexp, exact limits), not from the library.

Where PyTorch or torchvision are finite, liblosses agrees with them through the shared vectors;
here it is also finite where they are not (soft_margin_loss beyond -y·x = 88.7 in float32,
sigmoid_focal_loss with gamma < 1 at saturated logits)."""
import numpy as np
import pytest

import losses

F32, F64 = np.float32, np.float64


def finite(*arrays):
    return all(np.all(np.isfinite(np.asarray(a))) for a in arrays)


@pytest.mark.parametrize("dtype", [F32, F64])
@pytest.mark.parametrize("scale", [80.0, 1e4])
def test_cross_entropy_extreme_logits(dtype, scale):
    x = np.array([[scale, -scale, 0.0], [-scale, scale, 0.0]], dtype)
    y = np.array([1, 1])
    for smoothing in (0.0, 0.1):
        value, grad = losses.cross_entropy(x, y, reduction="none", label_smoothing=smoothing, return_grad=True)
        assert finite(value, grad)
        x64 = x.astype(F64)
        lse = np.logaddexp.reduce(x64, axis=1)
        want = (1 - smoothing) * (lse - x64[:, 1]) + smoothing / 3 * (lse[:, None] - x64).sum(axis=1)
        np.testing.assert_allclose(value, want, rtol=1e-6)
        # Softmax saturates: the gradient of a confident wrong answer is (p - onehot) = ±1.
        np.testing.assert_allclose(grad[0], (1 - smoothing) * np.array([1.0, -1.0, 0.0])
                                   + smoothing / 3 * np.array([2.0, -1.0, -1.0]), atol=1e-6)


@pytest.mark.parametrize("dtype", [F32, F64])
def test_focal_losses_finite_for_small_gamma_at_saturation(dtype):
    x = np.array([[1e4, -1e4, 0.0], [80.0, -80.0, 0.0]], dtype)
    value, grad = losses.focal_loss(x, np.array([0, 0]), gamma=0.5, reduction="none", return_grad=True)
    assert finite(value, grad)
    assert value[0] == 0 and np.all(grad[0] == 0)  # q = 1 exactly: no loss, no gradient

    logits = np.array([1e4, -1e4, 80.0, -80.0, 30.0], dtype)
    for target in (0.0, 1.0):
        t = np.full(5, target, dtype)
        value, grad = losses.sigmoid_focal_loss(logits, t, gamma=0.5, return_grad=True)
        assert finite(value, grad)  # torchvision's gradient is NaN here


@pytest.mark.parametrize("dtype", [F32, F64])
def test_soft_margin_beyond_overflow(dtype):
    x = np.array([-100.0, -1e4, 1e4], dtype)
    y = np.ones(3, dtype)
    for function in (losses.soft_margin_loss, losses.logistic_loss):
        value, grad = function(x, y, reduction="none", return_grad=True)
        np.testing.assert_allclose(value, np.logaddexp(0, -x.astype(F64)), rtol=1e-6)  # PyTorch: inf
        np.testing.assert_array_equal(grad, [-1.0, -1.0, 0.0])  # PyTorch: NaN


@pytest.mark.parametrize("dtype", [F32, F64])
def test_binary_cross_entropy_with_logits_saturated(dtype):
    x = np.array([1e4, -1e4, 80.0, -80.0, -20.0], dtype)
    for t in (0.0, 1.0):
        value, grad = losses.binary_cross_entropy_with_logits(x, np.full(5, t, dtype), reduction="none",
                                                              return_grad=True)
        want = np.logaddexp(0, -x.astype(F64)) if t else np.logaddexp(0, x.astype(F64))
        np.testing.assert_allclose(value, want, rtol=1e-6)  # includes 2.06e-9 at x = -20, t = 0
        assert finite(grad)


@pytest.mark.parametrize("dtype", [F32, F64])
def test_binary_cross_entropy_at_zero_and_one(dtype):
    x = np.array([0.0, 1.0, 0.0, 1.0], dtype)
    t = np.array([0.0, 1.0, 1.0, 0.0], dtype)
    value, grad = losses.binary_cross_entropy(x, t, reduction="none", return_grad=True)
    np.testing.assert_array_equal(value, [0.0, 0.0, 100.0, 100.0])  # each log clamped at -100
    assert finite(grad)
    np.testing.assert_allclose(grad, [0.0, 0.0, -1e12, 1e12], rtol=1e-6)


@pytest.mark.parametrize("dtype", [F32, F64])
def test_one_class(dtype):
    x = np.array([[3.0], [-7.0]], dtype)
    y = np.zeros(2, np.int64)
    for function in (losses.cross_entropy, losses.focal_loss):
        value, grad = function(x, y, reduction="sum", return_grad=True)
        assert value == 0 and np.all(grad == 0)
    # With one class the smoothed target is that class too: softmax is 1 and the loss and gradient
    # are exactly 0 for any smoothing, weight and reduction (the rounding of (1-ε)·w + ε·w must not
    # leak through), and NaN stays NaN.
    for epsilon in (0.1, 0.3, 1 / 3, 0.7, 0.9, 1.0):
        for weight in (None, np.array([2.5], dtype)):
            for reduction in ("none", "mean", "sum"):
                value, grad = losses.cross_entropy(x, y, weight=weight, label_smoothing=epsilon, reduction=reduction,
                                                   return_grad=True)
                assert np.all(value == 0) and np.all(grad == 0), (epsilon, weight, reduction, grad)
    value, grad = losses.cross_entropy(np.array([[np.nan]], dtype), [0], label_smoothing=0.2, return_grad=True)
    assert np.isnan(value) and np.isnan(grad).all()


@pytest.mark.parametrize("function", [losses.cross_entropy, losses.nll_loss, losses.focal_loss])
def test_every_target_ignored(function):
    """PyTorch returns NaN for the mean (0/0); so does liblosses. Sum is 0, none is zeros, and
    the gradient is zero everywhere."""
    x = np.random.default_rng(0).normal(size=(3, 4))
    y = np.full(3, -100)
    mean, grad = function(x, y, return_grad=True)
    assert np.isnan(mean)
    np.testing.assert_array_equal(grad, 0)
    assert function(x, y, reduction="sum") == 0
    np.testing.assert_array_equal(function(x, y, reduction="none"), 0)


def test_empty_batches():
    empty = np.zeros((0, 4))
    no_labels = np.zeros(0, np.int64)
    for function in (losses.cross_entropy, losses.nll_loss, losses.focal_loss, losses.multi_margin_loss):
        assert np.isnan(function(empty, no_labels))  # the mean of nothing
        assert function(empty, no_labels, reduction="sum") == 0
        assert function(empty, no_labels, reduction="none").shape == (0,)


@pytest.mark.parametrize("function", [losses.cross_entropy, losses.nll_loss, losses.focal_loss,
                                      losses.multi_margin_loss])
@pytest.mark.parametrize("label", [3, -1, 2**40])
def test_label_out_of_range(function, label):
    x = np.zeros((2, 3))
    grad = np.full((2, 3), 7.0)
    out = np.full(2, 7.0)
    with pytest.raises(ValueError, match=rf"target\[1\] = {label} is out of range for 3 classes"):
        function(x, np.array([0, label]), reduction="none", return_grad=True, out=out, grad_out=grad)
    assert np.all(grad == 7.0) and np.all(out == 7.0)  # nothing written


def test_out_of_range_probability():
    with pytest.raises(ValueError, match=r"input\[1\] = 1.5 is not a probability"):
        losses.binary_cross_entropy(np.array([0.5, 1.5]), np.ones(2))


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("classes", [10, 257, 3000])
def test_cross_entropy_value_has_the_same_bits_with_or_without_a_gradient(dtype, classes):
    """The softmax row is summed the same way whether or not the exponentials are kept for the
    gradient, so asking for the gradient never changes the loss (rows longer than the 1 KiB
    scratch included)."""
    rng = np.random.default_rng(classes)
    x = (rng.standard_normal((64, classes)) * 4).astype(dtype)
    y = rng.integers(0, classes, 64)
    for reduction in ("none", "sum", "mean"):
        alone = losses.cross_entropy(x, y, reduction=reduction)
        with_grad, _ = losses.cross_entropy(x, y, reduction=reduction, return_grad=True)
        assert np.asarray(alone).tobytes() == np.asarray(with_grad).tobytes()
