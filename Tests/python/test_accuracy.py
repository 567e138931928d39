"""float32 reductions stay within 1e-7 relative of the float64 result up to 10^7 elements (a
naive float32 running sum is off by ~1e-4 there). The reference is NumPy in float64 on the same
float32 inputs."""
import numpy as np
import pytest

import losses

REFERENCE = {
    "mse_loss": lambda d: d * d,
    "l1_loss": np.abs,
    "huber_loss": lambda d: np.where(np.abs(d) < 1, 0.5 * d * d, np.abs(d) - 0.5),
    "log_cosh_loss": lambda d: np.logaddexp(d, -d) - np.log(2),
}


@pytest.mark.parametrize("name", sorted(REFERENCE))
@pytest.mark.parametrize("n", [10**3, 10**5, 10**7])
def test_float32_reductions_match_float64(name, n):
    rng = np.random.default_rng(n)
    x = (rng.standard_normal(n) * 3).astype(np.float32)
    y = rng.standard_normal(n).astype(np.float32)
    per = REFERENCE[name](x.astype(np.float64) - y.astype(np.float64))
    for reduction, want in (("sum", per.sum()), ("mean", per.mean())):
        got = getattr(losses, name)(x, y, reduction=reduction)
        assert got.dtype == np.float32
        assert abs(float(got) - want) <= 1e-7 * abs(want), (reduction, float(got), want)


def test_results_are_reproducible_bit_for_bit():
    rng = np.random.default_rng(7)
    x = rng.standard_normal(10**6).astype(np.float32)
    y = rng.standard_normal(10**6).astype(np.float32)
    first = losses.huber_loss(x, y, return_grad=True)
    for _ in range(3):
        again = losses.huber_loss(x, y, return_grad=True)
        assert again[0].tobytes() == first[0].tobytes()
        assert again[1].tobytes() == first[1].tobytes()
