"""Analytic gradients agree with central finite differences of the library's own values, in
float64, at random points away from the kinks, for every reduction and a random grad_output."""
import numpy as np
import pytest

import losses

CALLS = {
    "mse_loss": lambda x, y, **k: losses.mse_loss(x, y, weight=np.linspace(0.5, 2, x.size), **k),
    "l1_loss": lambda x, y, **k: losses.l1_loss(x, y, weight=np.linspace(0.5, 2, x.size), **k),
    "huber_loss": lambda x, y, **k: losses.huber_loss(x, y, delta=0.7, weight=np.linspace(0.5, 2, x.size), **k),
    "smooth_l1_loss": lambda x, y, **k: losses.smooth_l1_loss(x, y, beta=0.6, **k),
    "log_cosh_loss": lambda x, y, **k: losses.log_cosh_loss(x, y, **k),
    "quantile_loss": lambda x, y, **k: losses.quantile_loss(x.reshape(-1, 2), y[::2], quantile=[0.2, 0.7], **k),
}


@pytest.mark.parametrize("name", sorted(CALLS))
@pytest.mark.parametrize("reduction", ["none", "mean", "sum"])
def test_central_differences(name, reduction):
    rng = np.random.default_rng(abs(hash((name, reduction))) % 2**32)
    x = rng.standard_normal(12) * 2
    y = rng.standard_normal(12)
    call = CALLS[name]
    value = call(x, y, reduction=reduction)
    upstream = rng.standard_normal(np.shape(value))

    def scalar(z):
        return float(np.sum(upstream * call(z, y, reduction=reduction)))

    _, grad = call(x, y, reduction=reduction, return_grad=True, grad_output=upstream)
    h = 1e-6
    numeric = np.array([(scalar(x + h * e) - scalar(x - h * e)) / (2 * h) for e in np.eye(x.size)])
    np.testing.assert_allclose(np.ravel(grad), numeric, rtol=1e-6, atol=1e-8)
