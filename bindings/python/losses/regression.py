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
from ._arrays import (target_gradient, with_target_gradient, as_array, data_pointer, compute_dtype, flag,
                      gradient_outputs, is_python_scalar, output, outputs, pointer, prepare_pointwise, reduction_code,
                      result, tensor, tensor_like)

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


def poisson_nll_loss(input: ArrayLike, target: ArrayLike, log_input: bool = True, full: bool = False,
                     size_average: Optional[bool] = None, eps: float = 1e-8, reduce: Optional[bool] = None,
                     reduction: Reduction = 'mean', *, return_grad: bool = False, return_target_grad: bool = False,
                     grad_output: Optional[ArrayLike] = None, out: Optional[np.ndarray] = None,
                     grad_out: Optional[np.ndarray] = None) -> LossResult:
    """Poisson negative log likelihood, as torch.nn.functional.poisson_nll_loss.

    `exp(input) - target·input` (log_input=True: input holds log-rates) or
    `input - target·log(input + eps)` (input holds rates); full=True adds Stirling's term
    `t·log t - t + 0.5·log(2πt)` where target > 1. eps must be finite and >= 0. The gradient is
    exp(input) - target, or 1 - target/(input + eps); return_target_grad gives the target's
    (-input or -log(input + eps), plus log t + 1/(2t) where full keeps Stirling's term; 0 from the
    masked term where t <= 1, where PyTorch's is NaN at t <= 0).
    """
    r = reduction_code(reduction, size_average, reduce)
    li, fu = flag(log_input, "log_input"), flag(full, "full")
    x, y, _, o, g, go = prepare_pointwise("poisson_nll_loss", input, target, None, r, return_grad, grad_output, out,
                                          grad_out)
    if status := _KERNELS["poisson_nll_loss", x.dtype.char](
            data_pointer(x), data_pointer(y), x.size, li, fu, float(eps), r, data_pointer(o), pointer(g), pointer(go)):
        _native.raise_status(status)
    if return_target_grad:
        gt = target_gradient("poisson_nll_loss", (data_pointer(x), data_pointer(y), x.size, li, fu, float(eps)), r,
                             y.shape, y.dtype, go)
        return with_target_gradient(result(o, g, r, return_grad), gt, return_grad)
    return result(o, g, r, return_grad)


def _variance_axis(x_shape, v_shape):
    """PyTorch's rule for var's shape: None when var is shaped like input, else the axis of input
    one variance is shared along (var one dimension short of input, or of input's dimensions with
    exactly one of them 1); ValueError otherwise."""
    if v_shape == x_shape:
        return None
    if len(x_shape) >= 1 and v_shape == x_shape[:-1]:
        return len(x_shape) - 1
    if len(v_shape) == len(x_shape):
        mismatched = [k for k, (a, b) in enumerate(zip(x_shape, v_shape)) if a != b]
        if len(mismatched) == 1 and v_shape[mismatched[0]] == 1:
            return mismatched[0]
    raise ValueError(f"gaussian_nll_loss: var of shape {v_shape} is of incorrect size for input {x_shape}")


def gaussian_nll_loss(input: ArrayLike, target: ArrayLike, var: Union[ArrayLike, float], full: bool = False,
                      eps: float = 1e-6, reduction: Reduction = 'mean', *, return_grad: bool = False,
                      grad_output: Optional[ArrayLike] = None, out: Optional[np.ndarray] = None,
                      grad_out: Optional[tuple] = None) -> LossResult:
    """Gaussian negative log likelihood, as torch.nn.functional.gaussian_nll_loss:
    `0.5·(log v + (input - target)²/v)` with `v = max(var, eps)`, plus 0.5·log(2π) with full=True.

    input and target have one shape. var, as PyTorch takes it: shaped like input (one variance per
    element), one dimension short of input or with one dimension of size 1 (one variance shared
    along that axis), or a Python float (one for every element). A negative (or NaN) var raises
    ValueError. eps must be finite and > 0. With return_grad=True: (value, (grad_input, grad_var)),
    grad_var shaped like var (summed along a shared axis). The gradient w.r.t. target is
    -grad_input. As in PyTorch, whose clamp is not recorded by autograd, grad_var below eps is the
    unclamped formula's derivative at v = eps, not 0.
    """
    r = reduction_code(reduction)
    fu = flag(full, "full")
    xa, ya = as_array(input), as_array(target)
    scalar_var = is_python_scalar(var)
    va = np.asarray(float(var)) if scalar_var else as_array(var)
    dtype = compute_dtype(xa, ya) if scalar_var else compute_dtype(xa, ya, va)
    x, y = tensor(xa, dtype), tensor(ya, dtype)
    if x.shape != y.shape:
        raise ValueError(f"gaussian_nll_loss: input {x.shape} and target {y.shape} must have one shape")
    if scalar_var:
        va = np.full(x.shape, float(var), dtype)
    v = tensor(va, dtype)
    axis = _variance_axis(x.shape, v.shape)
    v_shape = v.shape
    moved = axis is not None and axis != x.ndim - 1
    unreduced = r == _native.REDUCTION_NONE
    go = tensor_like(grad_output, x.shape if unreduced else (), dtype, "grad_output")
    if moved:  # the shared axis goes last (copies): the library shares a variance along a row
        if grad_out is not None or (out is not None and unreduced):
            raise ValueError("gaussian_nll_loss: out and grad_out need var shared along the last axis")
        x, y, v = (np.ascontiguousarray(np.moveaxis(a, axis, -1)) for a in (x, y, v))
        if go is not None and unreduced:
            go = np.ascontiguousarray(np.moveaxis(go, axis, -1))
    d = x.shape[-1] if x.ndim else 1
    n = x.size // d if d else int(np.prod(x.shape[:-1], dtype=np.int64))
    per_row = int(axis is not None)
    o = output(out, x.shape if unreduced else (), dtype, "out")
    grads = gradient_outputs("gaussian_nll_loss", grad_out, (x.shape, v.shape), dtype, return_grad,
                             ("grad_input", "grad_var"))
    if status := _KERNELS["gaussian_nll_loss", dtype.char](
            data_pointer(x), data_pointer(y), data_pointer(v), n, d, per_row, fu, float(eps), r, data_pointer(o),
            *(pointer(g) for g in grads), pointer(go)):
        _native.raise_status(status)
    if moved and unreduced:
        o = np.moveaxis(o, -1, axis)
    value = o if unreduced else o[()]
    if not return_grad:
        return value
    gi, gv = grads
    if moved:
        gi, gv = np.moveaxis(gi, -1, axis), np.moveaxis(gv, -1, axis)
    return value, (gi, gv.reshape(v_shape))
