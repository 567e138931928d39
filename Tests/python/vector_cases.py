"""The shared conformance vectors, and how one case becomes a call of the public Python API."""
import glob
import os

import numpy as np

import losses
import vectorfile

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
DTYPES = {"f32": np.float32, "f64": np.float64}


def all_cases():
    cases = []
    for path in sorted(glob.glob(os.path.join(ROOT, "Tests", "vectors", "*.vec"))):
        cases.extend(vectorfile.read(path))
    return cases


def call(case, **extra):
    """Calls the case's loss through the public API with return_grad=True."""
    dtype = DTYPES[case.dtype]
    a = case.arrays
    kwargs = {"reduction": case.reduction, "return_grad": True, **extra}
    if "weight" in a:
        kwargs["weight"] = a["weight"].astype(dtype)
    if "grad_output" in a:
        go = a["grad_output"].astype(dtype)
        kwargs["grad_output"] = go if case.reduction == "none" else go.reshape(())
    if "quantile" in a:
        kwargs["quantile"] = a["quantile"]
    for name in ("delta", "beta"):
        if name in case.scalars:
            kwargs[name] = case.scalars[name]
    return getattr(losses, case.loss)(a["input"].astype(dtype), a["target"].astype(dtype), **kwargs)


def assert_close(got, want, case, what):
    got = np.asarray(got, dtype=np.float64)
    assert got.shape == want.shape, f"{case.id}: {what} shape {got.shape}, expected {want.shape}"
    both_nan = np.isnan(got) & np.isnan(want)
    ok = both_nan | (got == want) | (np.abs(got - want) <= case.atol + case.rtol * np.abs(want))
    assert ok.all(), (f"{case.id}: {what} differs at {np.argwhere(~ok)[:5].tolist()}: "
                      f"got {got[~ok][:5]}, expected {want[~ok][:5]}")
