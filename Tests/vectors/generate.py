"""Writes the conformance vectors in Tests/vectors/*.vec from independent references.

References, as LOSSES.md names them: PyTorch (float64, autograd for the gradients) for
mse/l1/huber/smooth_l1; the composed torch formula `maximum(q·u, (q-1)·u)` for the quantile
loss, its mean cross-checked with sklearn's mean_pinball_loss; the definition log(cosh d)
evaluated with mpmath at 120 digits for log-cosh (optax's formula overflows nowhere but is not
installed here).

float32 cases use float32 inputs; their expected values are the float64 reference on those
exact inputs, rounded once to float32 (a stricter target than PyTorch's own float32 result).

Needs torch, numpy, scikit-learn and mpmath (`pip install torch scikit-learn mpmath`); CI only
reads the committed files. Run: python3 Tests/vectors/generate.py
"""
import math
import os
import sys

import mpmath
import numpy as np
import torch
import torch.nn.functional as F
from sklearn.metrics import mean_pinball_loss

sys.path.insert(0, os.path.dirname(__file__))
from vectorfile import Case  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
INVALID_ARGUMENT = 5
TOLERANCE = {"f32": (1e-6, 1e-37), "f64": (1e-13, 1e-300)}
NP_DTYPE = {"f32": np.float32, "f64": np.float64}
rng = np.random.default_rng(20261123)


def t64(a):
    return torch.tensor(np.asarray(a, dtype=np.float64), dtype=torch.float64)


def autograd(fn, x, reduction, grad_output):
    """Value and gradient w.r.t. x of fn(x) (a torch float64 function)."""
    xt = t64(x).requires_grad_(True)
    value = fn(xt)
    upstream = torch.ones_like(value) if grad_output is None else t64(grad_output).reshape(value.shape)
    (grad,) = torch.autograd.grad(value, xt, upstream, allow_unused=True)
    if grad is None:
        grad = torch.zeros_like(xt)
    return value.detach().numpy(), grad.numpy()


def ref_torch(torch_fn, params):
    def ref(a, s, reduction, go):
        kw = {k: s[k] for k in params if k in s}
        extra = {"weight": t64(a["weight"])} if "weight" in a else {}
        return autograd(lambda x: torch_fn(x, t64(a["target"]), reduction=reduction, **kw, **extra),
                        a["input"], reduction, go)
    return ref


def ref_quantile(a, s, reduction, go):
    q = t64(a["quantile"])
    y = t64(a["target"])

    def fn(x):
        u = (y.unsqueeze(1) if x.ndim == 2 else y) - x
        per = torch.maximum(q * u, (q - 1) * u)
        return {"none": per, "mean": per.mean(), "sum": per.sum()}[reduction]

    value, grad = autograd(fn, a["input"], reduction, go)
    if reduction == "mean" and a["input"].size:
        x2 = a["input"].reshape(len(a["target"]), -1)
        qs = np.atleast_1d(a["quantile"])
        sk = np.mean([mean_pinball_loss(a["target"], x2[:, j], alpha=qs[j]) for j in range(len(qs))])
        assert math.isclose(sk, float(value), rel_tol=1e-12, abs_tol=1e-300), (sk, value)
    return value, grad


def ref_log_cosh(a, s, reduction, go):
    mpmath.mp.dps = 120  # cosh(1e-20) = 1 + 5e-41: 50 digits are not enough
    d = [mpmath.mpf(float(x)) - mpmath.mpf(float(y)) for x, y in zip(a["input"].ravel(), a["target"].ravel())]
    values = [mpmath.log(mpmath.cosh(v)) for v in d]
    slopes = [mpmath.tanh(v) for v in d]
    n = len(d)
    if reduction == "none":
        upstream = [mpmath.mpf(1)] * n if go is None else [mpmath.mpf(float(g)) for g in go.ravel()]
        out = np.array([float(v) for v in values])
        grad = np.array([float(t * u) for t, u in zip(slopes, upstream)])
        return out.reshape(a["input"].shape), grad.reshape(a["input"].shape)
    upstream = mpmath.mpf(1) if go is None else mpmath.mpf(float(np.ravel(go)[0]))
    total = mpmath.fsum(values)
    scale = upstream / n if reduction == "mean" and n else upstream
    out = float(total / n) if reduction == "mean" and n else (math.nan if reduction == "mean" else float(total))
    grad = np.array([float(t * scale) for t in slopes]).reshape(a["input"].shape)
    return np.array(out), grad


REFERENCES = {
    "mse_loss": ref_torch(F.mse_loss, []),
    "l1_loss": ref_torch(F.l1_loss, []),
    "huber_loss": ref_torch(F.huber_loss, ["delta"]),
    "smooth_l1_loss": ref_torch(F.smooth_l1_loss, ["beta"]),
    "quantile_loss": ref_quantile,
    "log_cosh_loss": ref_log_cosh,
}
TENSORS = ("input", "target", "weight", "grad_output")


def case(loss, label, dtype, reduction, arrays, scalars=None, grad_output=None, status=0):
    c = Case(loss, label, dtype)
    c.reduction = reduction
    c.scalars = dict(scalars or {})
    cast = NP_DTYPE[dtype]
    arrays = dict(arrays)
    if grad_output is not None:
        arrays["grad_output"] = grad_output
    for k in arrays:
        # Tensors are exactly representable in the case's dtype; parameter vectors stay double.
        arrays[k] = np.asarray(arrays[k], dtype=cast if k in TENSORS else np.float64).astype(np.float64)
    c.arrays = arrays
    c.status = status
    c.rtol, c.atol = TOLERANCE[dtype]
    if status == 0:
        go = arrays.get("grad_output")
        out, grad = REFERENCES[loss](arrays, c.scalars, reduction, go)
        c.expect = {"out": np.asarray(out, dtype=cast), "grad_input": np.asarray(grad, dtype=cast)}
    return c


def upstream_for(reduction, shape, dtype):
    """grad_output: random for 'none', -1.5 for 'sum', absent (ones) for 'mean'."""
    if reduction == "none":
        return rng.normal(size=shape)
    if reduction == "sum":
        return np.array([-1.5])
    return None


def pointwise_cases(loss, parameter_sets, weighted):
    """The shared grid of a pointwise loss: every dtype × reduction on random data, weights,
    exact zeros, large and tiny residuals, empty input, and each parameter set."""
    cases = []
    for dtype in ("f32", "f64"):
        for reduction in ("none", "mean", "sum"):
            for label_p, params in parameter_sets:
                n = 13
                x, y = rng.normal(size=n) * 2, rng.normal(size=n) * 2
                go = upstream_for(reduction, n, dtype)
                cases.append(case(loss, f"random{label_p}_{reduction}", dtype, reduction,
                                  {"input": x, "target": y}, params, go))
            if weighted:
                w = rng.uniform(0, 3, size=9)
                w[2] = 0.0
                cases.append(case(loss, f"weighted_{reduction}", dtype, reduction,
                                  {"input": rng.normal(size=9), "target": rng.normal(size=9), "weight": w},
                                  parameter_sets[0][1], upstream_for(reduction, 9, dtype)))
            z = rng.normal(size=5)
            cases.append(case(loss, f"zero_residual_{reduction}", dtype, reduction,
                              {"input": z, "target": z}, parameter_sets[0][1], upstream_for(reduction, 5, dtype)))
            big = np.array([1e6, -1e6, 3.5e6, -2.25e6, 7e5])
            cases.append(case(loss, f"large_residual_{reduction}", dtype, reduction,
                              {"input": big, "target": -big[::-1] * 0.5}, parameter_sets[0][1],
                              upstream_for(reduction, 5, dtype)))
            tiny = np.array([1e-20, -3e-21, 2.5e-19, -1e-18, 0.0])
            cases.append(case(loss, f"tiny_residual_{reduction}", dtype, reduction,
                              {"input": tiny, "target": np.zeros(5)}, parameter_sets[0][1],
                              upstream_for(reduction, 5, dtype)))
            cases.append(case(loss, f"empty_{reduction}", dtype, reduction,
                              {"input": np.zeros(0), "target": np.zeros(0)}, parameter_sets[0][1],
                              upstream_for(reduction, 0, dtype)))
        n = 2000  # several summation blocks
        cases.append(case(loss, "blocks_mean", dtype, "mean",
                          {"input": rng.normal(size=n) * 3, "target": rng.normal(size=n)},
                          parameter_sets[0][1]))
    return cases


def threshold_cases(loss, name):
    """Residuals exactly at ±threshold and just either side of it."""
    cases = []
    for dtype in ("f32", "f64"):
        t = 0.5
        d = np.array([t, -t, np.nextafter(t, 0, dtype=NP_DTYPE[dtype]), -np.nextafter(t, 1, dtype=NP_DTYPE[dtype]), 2 * t])
        cases.append(case(loss, "at_threshold_sum", dtype, "sum", {"input": d, "target": np.zeros(5)}, {name: t}))
    return cases


def error_cases(loss, arrays, bad):
    return [case(loss, f"invalid_{label}", dtype, "mean", arrays, params, status=INVALID_ARGUMENT)
            for dtype in ("f32", "f64") for label, params in bad]


def regression():
    two = {"input": np.array([1.0, -2.0]), "target": np.array([0.5, 0.5])}
    files = {
        "mse_loss": pointwise_cases("mse_loss", [("", {})], weighted=True),
        "l1_loss": pointwise_cases("l1_loss", [("", {})], weighted=True),
        "huber_loss": pointwise_cases("huber_loss", [("", {"delta": 1.0}), ("_delta0.5", {"delta": 0.5}),
                                                     ("_delta2.5", {"delta": 2.5})], weighted=True)
        + threshold_cases("huber_loss", "delta")
        + error_cases("huber_loss", two, [("delta_zero", {"delta": 0.0}), ("delta_negative", {"delta": -1.0}),
                                          ("delta_nan", {"delta": math.nan}), ("delta_inf", {"delta": math.inf})]),
        "smooth_l1_loss": pointwise_cases("smooth_l1_loss", [("", {"beta": 1.0}), ("_beta0", {"beta": 0.0}),
                                                             ("_beta0.5", {"beta": 0.5})], weighted=False)
        + threshold_cases("smooth_l1_loss", "beta")
        + error_cases("smooth_l1_loss", two, [("beta_negative", {"beta": -0.5}), ("beta_nan", {"beta": math.nan})]),
        "log_cosh_loss": pointwise_cases("log_cosh_loss", [("", {})], weighted=False),
    }
    lc = files["log_cosh_loss"]
    for dtype in ("f32", "f64"):
        d = np.array([1e4, -1e4, 800.0, -90.0, 7.999, 8.0, 8.001, 1e-4, -3e-9])
        lc.append(case("log_cosh_loss", "extreme_none", dtype, "none", {"input": d, "target": np.zeros(len(d))},
                       grad_output=np.ones(len(d))))
    files["quantile_loss"] = quantile_cases()
    return files


def quantile_cases():
    cases = []
    for dtype in ("f32", "f64"):
        for reduction in ("none", "mean", "sum"):
            for q in (0.1, 0.5, 0.9, 0.0, 1.0):
                n = 11
                x, y = rng.normal(size=n), rng.normal(size=n)
                x[3] = y[3]  # a zero residual: the tie
                cases.append(case("quantile_loss", f"q{q}_{reduction}", dtype, reduction,
                                  {"input": x, "target": y, "quantile": np.array(q)}, None,
                                  upstream_for(reduction, n, dtype)))
            qs = np.array([0.1, 0.5, 0.9])
            x, y = rng.normal(size=(7, 3)), rng.normal(size=7)
            x[2, 1] = y[2]
            cases.append(case("quantile_loss", f"several_{reduction}", dtype, reduction,
                              {"input": x, "target": y, "quantile": qs}, None,
                              upstream_for(reduction, (7, 3), dtype)))
            cases.append(case("quantile_loss", f"empty_{reduction}", dtype, reduction,
                              {"input": np.zeros((0, 3)), "target": np.zeros(0), "quantile": qs}, None,
                              upstream_for(reduction, (0, 3), dtype)))
        big = np.array([1e6, -1e6, 3.5e6])
        cases.append(case("quantile_loss", "large_residual_mean", dtype, "mean",
                          {"input": big, "target": -big, "quantile": np.array(0.25)}))
        two = {"input": np.array([1.0, -2.0]), "target": np.array([0.5, 0.5])}
        for label, q in (("above_one", 1.5), ("negative", -0.1), ("nan", math.nan)):
            cases.append(case("quantile_loss", f"invalid_{label}", dtype, "mean",
                              dict(two, quantile=np.array(q)), status=INVALID_ARGUMENT))
    return cases


def main():
    header = (f"# liblosses conformance vectors, generated by Tests/vectors/generate.py from "
              f"torch {torch.__version__.split('+')[0]}, mpmath {mpmath.__version__}. Do not edit.\n")
    for loss, cases in regression().items():
        path = os.path.join(HERE, f"{loss}.vec")
        with open(path, "w") as f:
            f.write(header)
            for c in cases:
                f.write("\n".join(c.lines()) + "\n")
        print(f"{path}: {len(cases)} cases")


if __name__ == "__main__":
    main()
