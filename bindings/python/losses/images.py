"""Image losses (docs/images.md): segmentation (dice_loss) and reconstruction
(reconstruction_loss).

Keyword-only extras as in regression.py. Both losses have two differentiable inputs, so
`return_grad=True` returns `(value, (grad_first, grad_second))`, and `grad_out=` takes a pair of
arrays (either may be None), as the metric-learning losses do.
"""
import numpy as np

from . import _native
from ._arrays import (as_array, compute_dtype, gradient_outputs, output, pointer, reduction_code, tensor,
                      tensor_like)
from ._typing import ArrayLike, LossResult, Optional, Reduction

_KERNELS = _native.KERNELS


def dice_loss(pred: ArrayLike, target: ArrayLike, smooth: float = 1.0, reduction: Reduction = 'mean', *,
              return_grad: bool = False, grad_output: Optional[ArrayLike] = None, out: Optional[np.ndarray] = None,
              grad_out: Optional[tuple] = None) -> LossResult:
    """Soft dice loss: per sample, `1 - mean_c (2 sum p t + smooth) / (sum p + sum t + smooth)`,
    the sums over each channel's spatial values; the mean over samples is 1 - mean_{n,c}.

    Args:
      pred: (N, C, H, W) probabilities, or any (N, C, ...) (the trailing dimensions flattened).
      target: the same shape (masks, hard or soft).
      smooth: finite, >= 0. An all-zero channel in both has the ratio 1 (no loss); NaN at 0.
    reduction='none' gives the N per-sample values (each the mean over its channels). With
    return_grad=True: (value, (grad_pred, grad_target)). grad_out takes a pair of arrays.
    """
    r = reduction_code(reduction)
    arrays = [as_array(x) for x in (pred, target)]
    dtype = compute_dtype(*arrays)
    p, t = (tensor(x, dtype) for x in arrays)
    if p.shape != t.shape or p.ndim < 2:
        raise ValueError(f"dice_loss: pred {p.shape} and target {t.shape} must be one (N, C, ...) shape")
    n, c = p.shape[0], p.shape[1]
    d = int(np.prod(p.shape[2:], dtype=np.int64))
    out_shape = (n,) if r == _native.REDUCTION_NONE else ()
    o = output(out, out_shape, dtype, "out")
    go = tensor_like(grad_output, out_shape, dtype, "grad_output")
    grads = gradient_outputs("dice_loss", grad_out, (p.shape, t.shape), dtype, return_grad,
                             ("grad_pred", "grad_target"))
    if status := _KERNELS["dice_loss", dtype.char](
            pointer(p), pointer(t), n, c, d, float(smooth), r, pointer(o), *(pointer(g) for g in grads), pointer(go)):
        _native.raise_status(status)
    value = o if r == _native.REDUCTION_NONE else o[()]
    return (value, tuple(grads)) if return_grad else value


def reconstruction_loss(x: ArrayLike, x_hat: ArrayLike, p: int = 1, reduction: Reduction = 'mean', *,
                        return_grad: bool = False, grad_output: Optional[ArrayLike] = None,
                        out: Optional[np.ndarray] = None, grad_out: Optional[tuple] = None) -> LossResult:
    """The reconstruction loss of an autoencoder: `l1_loss(x_hat, x)` for p = 1, `mse_loss(x_hat, x)`
    for p = 2 (any other p raises ValueError), on those losses' own kernels.

    Args:
      x: the input, any shape; x_hat: its reconstruction, the same shape.
    reduction='none' gives one value per element, shaped like x. With return_grad=True:
    (value, (grad_x, grad_x_hat)), grad_x exactly -grad_x_hat. grad_out takes a pair of arrays.
    """
    r = reduction_code(reduction)
    arrays = [as_array(v) for v in (x, x_hat)]
    dtype = compute_dtype(*arrays)
    a, b = (tensor(v, dtype) for v in arrays)
    if a.shape != b.shape:
        raise ValueError(f"reconstruction_loss: x {a.shape} and x_hat {b.shape} must have one shape")
    out_shape = a.shape if r == _native.REDUCTION_NONE else ()
    o = output(out, out_shape, dtype, "out")
    go = tensor_like(grad_output, out_shape, dtype, "grad_output")
    grads = gradient_outputs("reconstruction_loss", grad_out, (a.shape, b.shape), dtype, return_grad,
                             ("grad_x", "grad_x_hat"))
    if status := _KERNELS["reconstruction_loss", dtype.char](
            pointer(a), pointer(b), a.size, float(p), r, pointer(o), *(pointer(g) for g in grads), pointer(go)):
        _native.raise_status(status)
    value = o if r == _native.REDUCTION_NONE else o[()]
    return (value, tuple(grads)) if return_grad else value
