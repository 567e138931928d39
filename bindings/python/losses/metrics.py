"""Metrics (docs/metrics.md): evaluation quantities with no gradient, so no `return_grad`,
`grad_output` or `grad_out`; `out=` takes the caller's array for the value(s). Names, argument
order and defaults follow the reference each function names (SciPy for wasserstein_distance).
"""
import numpy as np

from . import _native
from ._arrays import as_array, compute_dtype, output, pointer, tensor
from ._typing import ArrayLike, LossValue, Optional

_KERNELS = _native.KERNELS


def _vector(value, dtype, name, metric):
    """A 1-D input of `dtype`, read in place when it can be."""
    array = tensor(value, dtype)
    if array.ndim != 1:
        raise ValueError(f"{metric}: {name} must be 1-D, got shape {array.shape}")
    return array


def wasserstein_distance(u_values: ArrayLike, v_values: ArrayLike, u_weights: Optional[ArrayLike] = None,
                         v_weights: Optional[ArrayLike] = None, *, out: Optional[np.ndarray] = None) -> LossValue:
    """The 1-D Wasserstein distance (earth mover's distance) between the empirical distributions
    of u_values and v_values, as scipy.stats.wasserstein_distance: the integral of |U(x) - V(x)|
    over x, U and V the distributions' CDFs, each value weighted by its weight (equal weights when
    None). Computed in float64 (sort, running sums, a compensated sum) and returned as a scalar of
    the inputs' dtype (float32 or float64).

    Raises ValueError, as SciPy does, for an empty distribution, weights of another length than
    their values, a negative weight or weights whose sum is not positive and finite (NaN weights
    included). A NaN value gives NaN, as SciPy. No gradient: a metric. out: a caller's () array.
    """
    arrays = [as_array(x) for x in (u_values, v_values)]
    given = [None if w is None else as_array(w) for w in (u_weights, v_weights)]
    dtype = compute_dtype(*arrays, *(w for w in given if w is not None))
    u, v = (_vector(x, dtype, name, "wasserstein_distance") for x, name in zip(arrays, ("u_values", "v_values")))
    weights = []
    for w, values, name in zip(given, (u, v), ("u_weights", "v_weights")):
        if w is not None:
            w = _vector(w, dtype, name, "wasserstein_distance")
            if w.size != values.size:
                raise ValueError(f"wasserstein_distance: {name} has {w.size} values, expected {values.size} "
                                 f"(as {name[0]}_values)")
        weights.append(w)
    o = output(out, (), dtype, "out")
    if status := _KERNELS["wasserstein_distance", dtype.char](
            pointer(u), pointer(v), pointer(weights[0]), pointer(weights[1]), u.size, v.size, pointer(o)):
        _native.raise_status(status)
    return o[()]
