"""Regression losses (docs/regression.md), with PyTorch's names, argument order and defaults.

Every function takes NumPy arrays (or anything np.asarray accepts) and computes in float32 when
its floating inputs are float32, else in float64. Keyword-only extras, the same everywhere:

    return_grad=False   also return the gradient w.r.t. `input`: (value, grad)
    grad_output=None    upstream gradient: shaped like the unreduced loss for reduction='none',
                        a scalar otherwise; None means ones
    out=None            array to receive the value when reduction='none'
    grad_out=None       array to receive the gradient (written in place, no copy)

The gradient with respect to `target` is the negative of the returned gradient for every loss
here; mse_loss, l1_loss, huber_loss and smooth_l1_loss also return it from the library with
`return_target_grad=True`: (value, grad_target), or (value, grad_input, grad_target) together
with return_grad. A reduced value is returned as a NumPy scalar, an unreduced one as an array shaped like
`input`.
"""
import numpy as np

from . import _native
from ._typing import ArrayLike, LossResult, Optional, Reduction, Union
from ._arrays import target_gradient, with_target_gradient, as_array, data_pointer, compute_dtype, outputs, pointer, prepare_pointwise, reduction_code, result, tensor

_KERNELS = _native.KERNELS


def mse_loss(input: ArrayLike, target: ArrayLike, size_average: Optional[bool] = None,
             reduce: Optional[bool] = None, reduction: Reduction = 'mean',
             weight: Optional[ArrayLike] = None, *, return_grad: bool = False, return_target_grad: bool = False,
             grad_output: Optional[ArrayLike] = None, out: Optional[np.ndarray] = None,
             grad_out: Optional[np.ndarray] = None) -> LossResult:
    """Mean squared error, `weight·(input - target)²`, as torch.nn.functional.mse_loss.

    Args:
      input, target: arrays of one shape.
      size_average, reduce: deprecated, as in PyTorch; use `reduction`.
      reduction: 'none' | 'mean' | 'sum'.
      weight: optional, broadcast to input's shape; a weighted 'mean' divides by sum(weight).
    Returns:
      The loss, or (loss, grad) with `return_grad=True`; grad = 2·weight·(input - target),
      scaled by the reduction and grad_output.
    """
    r = reduction_code(reduction, size_average, reduce)
    x, y, w, o, g, go = prepare_pointwise("mse_loss", input, target, weight, r, return_grad, grad_output, out, grad_out)
    if status := _KERNELS["mse_loss", x.dtype.char](
            data_pointer(x), data_pointer(y), pointer(w), x.size, r, data_pointer(o), pointer(g), pointer(go)):
        _native.raise_status(status)
    if return_target_grad:
        gt = target_gradient("mse_loss", (data_pointer(x), data_pointer(y), pointer(w), x.size), r, y.shape, y.dtype, go)
        return with_target_gradient(result(o, g, r, return_grad), gt, return_grad)
    return result(o, g, r, return_grad)


def l1_loss(input: ArrayLike, target: ArrayLike, size_average: Optional[bool] = None,
            reduce: Optional[bool] = None, reduction: Reduction = 'mean', weight: Optional[ArrayLike] = None,
            *, return_grad: bool = False, return_target_grad: bool = False, grad_output: Optional[ArrayLike] = None,
            out: Optional[np.ndarray] = None, grad_out: Optional[np.ndarray] = None) -> LossResult:
    """Mean absolute error, `weight·|input - target|`, as torch.nn.functional.l1_loss.

    A weighted 'mean' divides by sum(weight). The gradient is sign(input - target), 0 at a zero
    residual. At a NaN residual the gradient is NaN (PyTorch gives 0 there).
    """
    r = reduction_code(reduction, size_average, reduce)
    x, y, w, o, g, go = prepare_pointwise("l1_loss", input, target, weight, r, return_grad, grad_output, out, grad_out)
    if status := _KERNELS["l1_loss", x.dtype.char](
            data_pointer(x), data_pointer(y), pointer(w), x.size, r, data_pointer(o), pointer(g), pointer(go)):
        _native.raise_status(status)
    if return_target_grad:
        gt = target_gradient("l1_loss", (data_pointer(x), data_pointer(y), pointer(w), x.size), r, y.shape, y.dtype, go)
        return with_target_gradient(result(o, g, r, return_grad), gt, return_grad)
    return result(o, g, r, return_grad)


def huber_loss(input: ArrayLike, target: ArrayLike, reduction: Reduction = 'mean', delta: float = 1.0,
               weight: Optional[ArrayLike] = None, *, return_grad: bool = False, return_target_grad: bool = False,
               grad_output: Optional[ArrayLike] = None, out: Optional[np.ndarray] = None,
               grad_out: Optional[np.ndarray] = None) -> LossResult:
    """Huber loss, as torch.nn.functional.huber_loss.

    `0.5·d²` if `|d| < delta`, else `delta·(|d| - 0.5·delta)`, with d = input - target.
    delta must be positive and finite. With `weight`, 'mean' is mean(weight·loss), dividing by
    the element count, not by sum(weight) as mse_loss and l1_loss do: that is PyTorch's choice,
    kept so values agree. The gradient is weight·clamp(d, -delta, delta).
    """
    r = reduction_code(reduction)
    x, y, w, o, g, go = prepare_pointwise("huber_loss", input, target, weight, r, return_grad, grad_output, out, grad_out)
    if status := _KERNELS["huber_loss", x.dtype.char](
            data_pointer(x), data_pointer(y), pointer(w), x.size, float(delta), r, data_pointer(o), pointer(g),
            pointer(go)):
        _native.raise_status(status)
    if return_target_grad:
        gt = target_gradient("huber_loss", (data_pointer(x), data_pointer(y), pointer(w), x.size, float(delta)), r,
                             y.shape, y.dtype, go)
        return with_target_gradient(result(o, g, r, return_grad), gt, return_grad)
    return result(o, g, r, return_grad)


def smooth_l1_loss(input: ArrayLike, target: ArrayLike, size_average: Optional[bool] = None,
                   reduce: Optional[bool] = None, reduction: Reduction = 'mean', beta: float = 1.0, *,
                   return_grad: bool = False, return_target_grad: bool = False, grad_output: Optional[ArrayLike] = None,
                   out: Optional[np.ndarray] = None, grad_out: Optional[np.ndarray] = None) -> LossResult:
    """Smooth L1 loss, as torch.nn.functional.smooth_l1_loss.

    `0.5·d²/beta` if `|d| < beta`, else `|d| - 0.5·beta`; beta = 0 is the L1 loss. beta must be
    finite and >= 0. The gradient is clamp(d/beta, -1, 1).
    """
    r = reduction_code(reduction, size_average, reduce)
    x, y, _, o, g, go = prepare_pointwise("smooth_l1_loss", input, target, None, r, return_grad, grad_output, out, grad_out)
    if status := _KERNELS["smooth_l1_loss", x.dtype.char](
            data_pointer(x), data_pointer(y), x.size, float(beta), r, data_pointer(o), pointer(g), pointer(go)):
        _native.raise_status(status)
    if return_target_grad:
        gt = target_gradient("smooth_l1_loss", (data_pointer(x), data_pointer(y), x.size, float(beta)), r, y.shape,
                             y.dtype, go)
        return with_target_gradient(result(o, g, r, return_grad), gt, return_grad)
    return result(o, g, r, return_grad)


def log_cosh_loss(input: ArrayLike, target: ArrayLike, reduction: Reduction = 'mean', *,
                  return_grad: bool = False, grad_output: Optional[ArrayLike] = None,
                  out: Optional[np.ndarray] = None, grad_out: Optional[np.ndarray] = None) -> LossResult:
    """Log-cosh loss `log(cosh(input - target))`, as optax.losses.log_cosh (reduced).

    Computed without overflow for any finite residual (about |d| - log 2 for large |d|) and
    without cancellation for small ones. The gradient is tanh(input - target).
    """
    r = reduction_code(reduction)
    x, y, _, o, g, go = prepare_pointwise("log_cosh_loss", input, target, None, r, return_grad, grad_output, out, grad_out)
    if status := _KERNELS["log_cosh_loss", x.dtype.char](
            data_pointer(x), data_pointer(y), x.size, r, data_pointer(o), pointer(g), pointer(go)):
        _native.raise_status(status)
    return result(o, g, r, return_grad)


def quantile_loss(input: ArrayLike, target: ArrayLike, quantile: Union[float, ArrayLike] = 0.5,
                  reduction: Reduction = 'mean', *, return_grad: bool = False,
                  grad_output: Optional[ArrayLike] = None, out: Optional[np.ndarray] = None,
                  grad_out: Optional[np.ndarray] = None) -> LossResult:
    """Pinball (quantile) loss `max(q·u, (q-1)·u)`, u = target - input.

    Args:
      input: (N) predictions for one quantile, or (N, Q) predictions for Q quantiles.
      target: (N).
      quantile: a scalar in [0, 1], or (Q) quantiles matching input's second axis.
      reduction: 'mean' averages over all N·Q elements, which is
        sklearn.metrics.mean_pinball_loss(alpha=q) averaged over the quantiles.
    The gradient w.r.t. input is -q where u > 0, 1-q where u < 0 and 0.5-q at u = 0 (the even
    split PyTorch's maximum gives at a tie).
    """
    r = reduction_code(reduction)
    x, y = as_array(input), as_array(target)
    dtype = compute_dtype(x, y)
    x, y = tensor(x, dtype), tensor(y, dtype)
    q = np.ascontiguousarray(quantile, dtype=np.float64)
    if y.ndim != 1:
        raise ValueError(f"quantile_loss: target must be 1-D (N), got shape {y.shape}")
    if x.ndim == 1 and q.size == 1:
        count = 1
        q = q.reshape(1)
    elif x.ndim == 2:
        count = x.shape[1]
        if q.ndim == 0:
            q = np.full(count, float(q))
        elif q.shape != (count,):
            raise ValueError(f"quantile_loss: quantile of shape {q.shape} does not match input's {count} columns")
    else:
        raise ValueError(f"quantile_loss: input must be (N) with a scalar quantile or (N, Q), got shape {x.shape}"
                         f" with quantile shape {q.shape}")
    if x.shape[0] != y.shape[0]:
        raise ValueError(f"quantile_loss: target has {y.shape[0]} samples, input has {x.shape[0]}")
    o, g, go = outputs(x.shape, x.shape, dtype, r, return_grad, grad_output, out, grad_out)
    if status := _KERNELS["quantile_loss", dtype.char](
            data_pointer(x), data_pointer(y), data_pointer(q), y.size, count, r, data_pointer(o), pointer(g),
            pointer(go)):
        _native.raise_status(status)
    return result(o, g, r, return_grad)
