"""Metric-learning losses (docs/metric_learning.md), with PyTorch's names, argument order and
defaults.

Keyword-only extras as in regression.py. These losses have two differentiable inputs, so
`return_grad=True` returns `(value, (grad_input1, grad_input2))`, and `grad_out=` takes a pair of
arrays (either may be None), as the distance functions do.
"""
import numpy as np

from . import _native
from ._arrays import as_array, compute_dtype, output, pointer, reduction_code, tensor, tensor_like
from ._typing import ArrayLike, LossResult, Optional, Reduction

_KERNELS = _native.KERNELS


def margin_ranking_loss(input1: ArrayLike, input2: ArrayLike, target: ArrayLike, margin: float = 0.0,
                        size_average: Optional[bool] = None, reduce: Optional[bool] = None,
                        reduction: Reduction = 'mean', *, return_grad: bool = False,
                        grad_output: Optional[ArrayLike] = None, out: Optional[np.ndarray] = None,
                        grad_out: Optional[tuple] = None) -> LossResult:
    """`max(0, -target·(input1 - input2) + margin)`, as torch.nn.functional.margin_ranking_loss.

    Args:
      input1, input2, target: arrays of one shape; target is +1 where input1 should rank higher
        and -1 where lower (not checked: other values enter the formula as written, as in
        PyTorch).
      margin: finite.
    The gradient w.r.t. input1 is -target where the hinge is active and 0 elsewhere (the kink
    included); w.r.t. input2 its negative.
    """
    r = reduction_code(reduction, size_average, reduce)
    a, b, t = as_array(input1), as_array(input2), as_array(target)
    dtype = compute_dtype(a, b, t)
    a, b, t = tensor(a, dtype), tensor(b, dtype), tensor(t, dtype)
    if not a.shape == b.shape == t.shape:
        raise ValueError(f"margin_ranking_loss: input1 {a.shape}, input2 {b.shape} and target {t.shape} "
                         "must have one shape")
    out_shape = a.shape if r == _native.REDUCTION_NONE else ()
    o = output(out, out_shape, dtype, "out")
    go = tensor_like(grad_output, out_shape, dtype, "grad_output")
    if grad_out is None:
        g1_out = g2_out = None
    elif isinstance(grad_out, tuple) and len(grad_out) == 2:
        g1_out, g2_out = grad_out
    else:
        raise TypeError("margin_ranking_loss: grad_out must be a pair (grad_input1, grad_input2), either may be None")
    g1 = output(g1_out, a.shape, dtype, "grad_out[0]") if return_grad or g1_out is not None else None
    g2 = output(g2_out, b.shape, dtype, "grad_out[1]") if return_grad or g2_out is not None else None
    if status := _KERNELS["margin_ranking_loss", dtype.char](
            pointer(a), pointer(b), pointer(t), a.size, float(margin), r, pointer(o), pointer(g1), pointer(g2),
            pointer(go)):
        _native.raise_status(status)
    value = o if r == _native.REDUCTION_NONE else o[()]
    return (value, (g1, g2)) if return_grad else value
