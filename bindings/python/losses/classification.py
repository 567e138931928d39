"""Classification losses (docs/classification.md), with PyTorch's (and torchvision's) names,
argument order and defaults, and the keyword-only extras described in regression.py
(return_grad, grad_output, out, grad_out). Class indices are int64 (other integer dtypes are
converted once); gradients are with respect to `input`.
"""
import math

import numpy as np

from . import _native
from ._typing import ArrayLike, LossResult, Optional, Reduction, Union
from ._arrays import (F32, F64, as_array, compute_dtype, data_pointer, flag, integer, is_python_scalar, outputs,
                      pointer, prepare_pointwise, reduction_code, result, target_gradient, tensor, tensor_like,
                      with_target_gradient)

_KERNELS = _native.KERNELS
_I64 = np.dtype(np.int64)


def _class_layout(name, x):
    """(n, c, d) and the unreduced output shape of PyTorch's (N, C, d1..dk) or unbatched (C)."""
    shape = x.shape
    if len(shape) == 2:  # the common (N, C), first
        return (shape[0], shape[1], 1), (shape[0],)
    if x.ndim == 0:
        raise ValueError(f"{name}: input must have a class axis, got a scalar")
    if x.ndim == 1:
        return (1, x.shape[0], 1), ()
    inner = math.prod(x.shape[2:])
    return (x.shape[0], x.shape[1], inner), (x.shape[0],) + x.shape[2:]


_I64_MAX = np.iinfo(np.int64).max


def _labels(name, target, sample_shape):
    if target.dtype is _I64:
        flags = target.flags
        t = target if flags.c_contiguous and flags.aligned else np.array(target, order="C", copy=True)
    else:
        if target.dtype.kind == "u" and target.size and target.max() > _I64_MAX:
            raise ValueError(f"{name}: class index {int(target.max())} does not fit int64")
        t = np.array(target, dtype=_I64, order="C", copy=True)
    if t.shape != sample_shape:
        raise ValueError(f"{name}: target shape {t.shape} does not match the expected {sample_shape}")
    return t


def _class_index_call(name, input, target, weight, reduction, return_grad, grad_output, out, grad_out):
    """Converts a class-index problem: input (N, C, d1..dk) or (C), integer target."""
    x, t = as_array(input), as_array(target)
    w = None if weight is None else as_array(weight)
    if w is None and (x.dtype is F32 or x.dtype is F64):
        dtype = x.dtype  # the common call, without compute_dtype's general rules
    else:
        dtype = compute_dtype(x) if is_python_scalar(weight) else compute_dtype(x, w)
    x = tensor(x, dtype)
    layout, sample_shape = _class_layout(name, x)
    if t.dtype.kind not in "iu":
        raise TypeError(f"{name}: class-index targets must be integers, got dtype {t.dtype}")
    t = _labels(name, t, sample_shape)
    w = tensor_like(w, (layout[1],), dtype, "weight")
    o, g, go = outputs(x.shape, sample_shape, dtype, reduction, return_grad, grad_output, out, grad_out)
    return x, t, w, layout, o, g, go


def cross_entropy(input: ArrayLike, target: ArrayLike, weight: Optional[ArrayLike] = None,
                  size_average: Optional[bool] = None, ignore_index: int = -100,
                  reduce: Optional[bool] = None, reduction: Reduction = 'mean', label_smoothing: float = 0.0,
                  *, return_grad: bool = False, return_target_grad: bool = False, grad_output: Optional[ArrayLike] = None,
                  out: Optional[np.ndarray] = None, grad_out: Optional[np.ndarray] = None) -> LossResult:
    """Cross entropy of logits, as torch.nn.functional.cross_entropy.

    Args:
      input: (N, C), (N, C, d1, ..., dk) or unbatched (C) logits.
      target: integer class indices (N) / (N, d1, ..., dk) / (), or float probabilities shaped
        like input.
      weight: optional (C) class weights.
      ignore_index: targets equal to it give 0 and are left out of the mean (index targets only).
      reduction: 'none' | 'mean' | 'sum'. With index targets, 'mean' divides by the summed
        weights of the kept targets, so a batch where every target is ignored gives NaN, as in
        PyTorch. With probability targets it divides by N·d1·…·dk.
      label_smoothing: in [0, 1]; mixes in the uniform distribution over the C classes.
    Returns:
      The loss, or (loss, grad) with return_grad=True; grad has input's shape.
    """
    r = reduction_code(reduction, size_average, reduce)
    t = as_array(target)
    if t.dtype.kind == "f":
        x = as_array(input)
        if t.shape != x.shape and x.ndim >= 1 and t.shape == _class_layout("cross_entropy", x)[1]:
            raise TypeError(f"cross_entropy: class-index targets must be integers, got dtype {t.dtype} "
                            f"(probability targets are shaped like input, {x.shape})")
        return _cross_entropy_probs(input, t, weight, ignore_index, r, label_smoothing, return_grad, grad_output,
                                    out, grad_out, return_target_grad)
    if return_target_grad:
        raise TypeError("cross_entropy: class-index targets have no gradient (return_target_grad needs "
                        "probability targets)")
    x, t, w, (n, c, d), o, g, go = _class_index_call("cross_entropy", input, t, weight, r, return_grad,
                                                     grad_output, out, grad_out)
    if status := _KERNELS["cross_entropy", x.dtype.char](
            data_pointer(x), data_pointer(t), pointer(w), n, c, d, integer(ignore_index, "cross_entropy: ignore_index"),
            float(label_smoothing), r, data_pointer(o), pointer(g), pointer(go)):
        _native.raise_status(status)
    return result(o, g, r, return_grad)


def _cross_entropy_probs(input, target, weight, ignore_index, r, label_smoothing, return_grad, grad_output, out,
                         grad_out, return_target_grad=False):
    if integer(ignore_index, "cross_entropy: ignore_index") >= 0:
        raise ValueError("cross_entropy: ignore_index is not supported for probability targets")
    x = as_array(input)
    w = None if weight is None else as_array(weight)
    dtype = compute_dtype(x, target, w)
    x, t = tensor(x, dtype), tensor(target, dtype)
    if t.shape != x.shape:
        raise ValueError(f"cross_entropy: probability target shape {t.shape} does not match input shape {x.shape}")
    (n, c, d), sample_shape = _class_layout("cross_entropy", x)
    w = tensor_like(w, (c,), dtype, "weight")
    o, g, go = outputs(x.shape, sample_shape, dtype, r, return_grad, grad_output, out, grad_out)
    if status := _KERNELS["cross_entropy_probs", dtype.char](
            data_pointer(x), data_pointer(t), pointer(w), n, c, d, float(label_smoothing), r, data_pointer(o),
            pointer(g), pointer(go)):
        _native.raise_status(status)
    if return_target_grad:
        gt = target_gradient("cross_entropy_probs", (
            data_pointer(x), data_pointer(t), pointer(w), n, c, d, float(label_smoothing)), r, t.shape, t.dtype, go)
        return with_target_gradient(result(o, g, r, return_grad), gt, return_grad)
    return result(o, g, r, return_grad)


def nll_loss(input: ArrayLike, target: ArrayLike, weight: Optional[ArrayLike] = None,
             size_average: Optional[bool] = None, ignore_index: int = -100, reduce: Optional[bool] = None,
             reduction: Reduction = 'mean', *, return_grad: bool = False,
             grad_output: Optional[ArrayLike] = None, out: Optional[np.ndarray] = None,
             grad_out: Optional[np.ndarray] = None) -> LossResult:
    """Negative log likelihood of log-probabilities, as torch.nn.functional.nll_loss:
    -weight[y]·input[y], with cross_entropy's shapes, ignore_index and weighted mean."""
    r = reduction_code(reduction, size_average, reduce)
    x, t, w, (n, c, d), o, g, go = _class_index_call("nll_loss", input, target, weight, r, return_grad,
                                                     grad_output, out, grad_out)
    if status := _KERNELS["nll_loss", x.dtype.char](
            data_pointer(x), data_pointer(t), pointer(w), n, c, d, integer(ignore_index, "nll_loss: ignore_index"), r,
            data_pointer(o), pointer(g), pointer(go)):
        _native.raise_status(status)
    return result(o, g, r, return_grad)


def focal_loss(input: ArrayLike, target: ArrayLike, gamma: float = 2.0,
               alpha: Union[float, ArrayLike, None] = None, ignore_index: int = -100,
               reduction: Reduction = 'mean', *, return_grad: bool = False,
               grad_output: Optional[ArrayLike] = None, out: Optional[np.ndarray] = None,
               grad_out: Optional[np.ndarray] = None) -> LossResult:
    """Softmax focal loss (Lin et al. 2017): per sample -alpha_y·(1 - p_y)^gamma·log p_y.

    Args:
      input: (N, C) logits (also (N, C, d1..dk) or (C), as cross_entropy).
      target: integer class indices.
      gamma: >= 0; 0 gives cross entropy (times alpha).
      alpha: None (no weighting), a scalar, or (C) per-class weights.
      ignore_index: ignored targets give 0 and leave the mean, which divides by the number of
        kept targets.
    The modulating factor is applied per sample (applying it to the batch-mean cross entropy,
    as some published code does, is a known bug; see docs/decisions.md). Finite values and gradients for every gamma >= 0.
    """
    r = reduction_code(reduction)
    x, t, _, (n, c, d), o, g, go = _class_index_call("focal_loss", input, target, None, r, return_grad,
                                                     grad_output, out, grad_out)
    a = None if alpha is None else np.ascontiguousarray(alpha, dtype=np.float64).reshape(-1)
    if status := _KERNELS["focal_loss", x.dtype.char](
            data_pointer(x), data_pointer(t), pointer(a), n, c, d, 0 if a is None else a.size, float(gamma),
            integer(ignore_index, "focal_loss: ignore_index"), r, data_pointer(o), pointer(g), pointer(go)):
        _native.raise_status(status)
    return result(o, g, r, return_grad)


def multi_margin_loss(input: ArrayLike, target: ArrayLike, p: int = 1, margin: float = 1.0,
                      weight: Optional[ArrayLike] = None, size_average: Optional[bool] = None,
                      reduce: Optional[bool] = None, reduction: Reduction = 'mean', *,
                      return_grad: bool = False, grad_output: Optional[ArrayLike] = None,
                      out: Optional[np.ndarray] = None, grad_out: Optional[np.ndarray] = None) -> LossResult:
    """Multi-class hinge, as torch.nn.functional.multi_margin_loss:
    (1/C)·Σ_{i≠y} weight[y]·max(0, margin - x[y] + x[i])^p over (N, C) or (C) scores, p 1 or 2."""
    r = reduction_code(reduction, size_average, reduce)
    power = integer(p, "multi_margin_loss: p", bits=32)
    x, t = as_array(input), as_array(target)
    if x.ndim > 2:
        raise ValueError(f"multi_margin_loss: input must be (N, C) or (C), got shape {x.shape}")
    # PyTorch also takes a 0-d input (one class) and a (1)-shaped target for one (C) sample.
    scalar_input = x.ndim == 0
    if scalar_input:
        x = x.reshape(1)
    if x.ndim == 1 and t.shape == (1,):
        t = t.reshape(())
    x, t, w, (n, c, _), o, g, go = _class_index_call("multi_margin_loss", x, t, weight, r, return_grad,
                                                     grad_output, out, grad_out)
    if scalar_input and g is not None:
        g = g.reshape(())
    if status := _KERNELS["multi_margin_loss", x.dtype.char](
            data_pointer(x), data_pointer(t), pointer(w), n, c, power, float(margin), r, data_pointer(o), pointer(g),
            pointer(go)):
        _native.raise_status(status)
    return result(o, g, r, return_grad)


def binary_cross_entropy(input: ArrayLike, target: ArrayLike, weight: Optional[ArrayLike] = None,
                         size_average: Optional[bool] = None, reduce: Optional[bool] = None,
                         reduction: Reduction = 'mean', *, return_grad: bool = False, return_target_grad: bool = False,
                         grad_output: Optional[ArrayLike] = None, out: Optional[np.ndarray] = None,
                         grad_out: Optional[np.ndarray] = None) -> LossResult:
    """Binary cross entropy of probabilities, as torch.nn.functional.binary_cross_entropy: each
    log clamped at -100; every input must be in [0, 1] (ValueError otherwise). The gradient is
    (x - t)/max(x(1-x), 1e-12), as PyTorch's."""
    r = reduction_code(reduction, size_average, reduce)
    x, y, w, o, g, go = prepare_pointwise("binary_cross_entropy", input, target, weight, r, return_grad,
                                          grad_output, out, grad_out)
    if status := _KERNELS["binary_cross_entropy", x.dtype.char](
            data_pointer(x), data_pointer(y), pointer(w), x.size, r, data_pointer(o), pointer(g), pointer(go)):
        _native.raise_status(status)
    if return_target_grad:
        gt = target_gradient("binary_cross_entropy", (data_pointer(x), data_pointer(y), pointer(w), x.size), r,
                             y.shape, y.dtype, go)
        return with_target_gradient(result(o, g, r, return_grad), gt, return_grad)
    return result(o, g, r, return_grad)


def binary_cross_entropy_with_logits(input: ArrayLike, target: ArrayLike, weight: Optional[ArrayLike] = None,
                                     size_average: Optional[bool] = None, reduce: Optional[bool] = None,
                                     reduction: Reduction = 'mean', pos_weight: Optional[ArrayLike] = None,
                                     *, return_grad: bool = False, return_target_grad: bool = False, grad_output: Optional[ArrayLike] = None,
                                     out: Optional[np.ndarray] = None, grad_out: Optional[np.ndarray] = None) -> LossResult:
    """Binary cross entropy of logits, as torch.nn.functional.binary_cross_entropy_with_logits,
    computed as pos_weight·t·softplus(-x) + (1-t)·softplus(x), which neither overflows nor
    cancels. pos_weight broadcasts along the last axis ((C) for input (..., C))."""
    r = reduction_code(reduction, size_average, reduce)
    x, y, w, o, g, go = prepare_pointwise("binary_cross_entropy_with_logits", input, target, weight, r,
                                          return_grad, grad_output, out, grad_out)
    pw = None
    if pos_weight is not None:
        pw = as_array(pos_weight)
        last = x.shape[-1] if x.ndim else 1
        pw = tensor(pw.reshape(-1), x.dtype) if pw.size in (1, last) and pw.ndim <= 1 else \
            tensor_like(pw, x.shape, x.dtype, "pos_weight").reshape(-1)
    if status := _KERNELS["binary_cross_entropy_with_logits", x.dtype.char](
            data_pointer(x), data_pointer(y), pointer(w), pointer(pw), x.size, 0 if pw is None else pw.size, r,
            data_pointer(o), pointer(g), pointer(go)):
        _native.raise_status(status)
    if return_target_grad:
        gt = target_gradient("binary_cross_entropy_with_logits", (
            data_pointer(x), data_pointer(y), pointer(w), pointer(pw), x.size, 0 if pw is None else pw.size), r,
            y.shape, y.dtype, go)
        return with_target_gradient(result(o, g, r, return_grad), gt, return_grad)
    return result(o, g, r, return_grad)


def sigmoid_focal_loss(inputs: ArrayLike, targets: ArrayLike, alpha: float = 0.25,
                       gamma: float = 2.0, reduction: Reduction = 'none', *, return_grad: bool = False,
                       grad_output: Optional[ArrayLike] = None, out: Optional[np.ndarray] = None,
                       grad_out: Optional[np.ndarray] = None) -> LossResult:
    """torchvision.ops.sigmoid_focal_loss: alpha_t·(1 - p_t)^gamma·BCE-with-logits.

    alpha in [0, 1], or -1 for no weighting (other values raise, as in torchvision). Soft
    targets in [0, 1] are accepted. Unlike torchvision, gradients stay finite for gamma < 1 at
    saturated logits.
    """
    r = reduction_code(reduction)
    x, y, _, o, g, go = prepare_pointwise("sigmoid_focal_loss", inputs, targets, None, r, return_grad,
                                          grad_output, out, grad_out)
    if status := _KERNELS["sigmoid_focal_loss", x.dtype.char](
            data_pointer(x), data_pointer(y), x.size, float(alpha), float(gamma), r, data_pointer(o), pointer(g),
            pointer(go)):
        _native.raise_status(status)
    return result(o, g, r, return_grad)


def hinge_loss(input: ArrayLike, target: ArrayLike, margin: float = 1.0, squared: bool = False,
               reduction: Reduction = 'mean', *, return_grad: bool = False,
               grad_output: Optional[ArrayLike] = None, out: Optional[np.ndarray] = None,
               grad_out: Optional[np.ndarray] = None) -> LossResult:
    """Binary hinge max(0, margin - y·x) for targets y in {-1, +1}, squared if asked; the mean
    equals sklearn.metrics.hinge_loss for margin 1."""
    r = reduction_code(reduction)
    x, y, _, o, g, go = prepare_pointwise("hinge_loss", input, target, None, r, return_grad, grad_output, out,
                                          grad_out)
    if status := _KERNELS["hinge_loss", x.dtype.char](
            data_pointer(x), data_pointer(y), x.size, float(margin), flag(squared, "hinge_loss: squared"), r,
            data_pointer(o), pointer(g), pointer(go)):
        _native.raise_status(status)
    return result(o, g, r, return_grad)


def hinge_embedding_loss(input: ArrayLike, target: ArrayLike, margin: float = 1.0,
                         size_average: Optional[bool] = None, reduce: Optional[bool] = None,
                         reduction: Reduction = 'mean', *, return_grad: bool = False,
                         grad_output: Optional[ArrayLike] = None, out: Optional[np.ndarray] = None,
                         grad_out: Optional[np.ndarray] = None) -> LossResult:
    """As torch.nn.functional.hinge_embedding_loss: x where y = 1, max(0, margin - x) where
    y = -1 (a target that is neither gets both terms, as in PyTorch)."""
    r = reduction_code(reduction, size_average, reduce)
    x, y, _, o, g, go = prepare_pointwise("hinge_embedding_loss", input, target, None, r, return_grad,
                                          grad_output, out, grad_out)
    if status := _KERNELS["hinge_embedding_loss", x.dtype.char](
            data_pointer(x), data_pointer(y), x.size, float(margin), r, data_pointer(o), pointer(g), pointer(go)):
        _native.raise_status(status)
    return result(o, g, r, return_grad)


def soft_margin_loss(input: ArrayLike, target: ArrayLike, size_average: Optional[bool] = None,
                     reduce: Optional[bool] = None, reduction: Reduction = 'mean', *,
                     return_grad: bool = False, grad_output: Optional[ArrayLike] = None,
                     out: Optional[np.ndarray] = None, grad_out: Optional[np.ndarray] = None) -> LossResult:
    """log(1 + exp(-y·x)), as torch.nn.functional.soft_margin_loss, but finite where PyTorch
    overflows to inf (-y·x > 88.7 in float32)."""
    r = reduction_code(reduction, size_average, reduce)
    x, y, _, o, g, go = prepare_pointwise("soft_margin_loss", input, target, None, r, return_grad, grad_output,
                                          out, grad_out)
    if status := _KERNELS["soft_margin_loss", x.dtype.char](
            data_pointer(x), data_pointer(y), x.size, r, data_pointer(o), pointer(g), pointer(go)):
        _native.raise_status(status)
    return result(o, g, r, return_grad)


def logistic_loss(input: ArrayLike, target: ArrayLike, reduction: Reduction = 'mean', *,
                  return_grad: bool = False, grad_output: Optional[ArrayLike] = None,
                  out: Optional[np.ndarray] = None, grad_out: Optional[np.ndarray] = None) -> LossResult:
    """The logistic loss log(1 + exp(-y·x)) of scores and targets y in {-1, +1}, computed stably;
    the same values as soft_margin_loss (under the name the literature gives it; the sigmoid itself is not a loss)."""
    r = reduction_code(reduction)
    x, y, _, o, g, go = prepare_pointwise("logistic_loss", input, target, None, r, return_grad, grad_output, out,
                                          grad_out)
    if status := _KERNELS["logistic_loss", x.dtype.char](
            data_pointer(x), data_pointer(y), x.size, r, data_pointer(o), pointer(g), pointer(go)):
        _native.raise_status(status)
    return result(o, g, r, return_grad)


def _multilabel_layout(name, x):
    """(n, c) and the unreduced output shape of PyTorch's (N, C) or unbatched (C) scores."""
    if x.ndim == 2:
        return x.shape, (x.shape[0],)
    if x.ndim == 1:
        return (1, x.shape[0]), ()
    raise ValueError(f"{name}: input must be (N, C) or (C), got shape {x.shape}")


def multilabel_margin_loss(input: ArrayLike, target: ArrayLike, size_average: Optional[bool] = None,
                           reduce: Optional[bool] = None, reduction: Reduction = 'mean', *,
                           return_grad: bool = False, grad_output: Optional[ArrayLike] = None,
                           out: Optional[np.ndarray] = None, grad_out: Optional[np.ndarray] = None) -> LossResult:
    """Multi-label hinge, as torch.nn.functional.multilabel_margin_loss, over (N, C) or (C) scores.

    target: integer class indices shaped like input; a row's targets are its entries before its
    first -1. Every entry must be -1 or in [0, C), also after the first -1 (ValueError otherwise,
    as PyTorch). Per row: Σ_{j in targets} Σ_{k not in targets} max(0, 1 - (x[j] - x[k])) / C;
    'mean' divides by N (NaN for an empty batch, where PyTorch's value is undefined).
    """
    r = reduction_code(reduction, size_average, reduce)
    x = as_array(input)
    dtype = x.dtype if x.dtype is F32 or x.dtype is F64 else compute_dtype(x)
    x = tensor(x, dtype)
    (n, c), sample_shape = _multilabel_layout("multilabel_margin_loss", x)
    t = as_array(target)
    if t.dtype.kind not in "iu":
        raise TypeError(f"multilabel_margin_loss: targets must be integers, got dtype {t.dtype}")
    t = _labels("multilabel_margin_loss", t, x.shape)
    o, g, go = outputs(x.shape, sample_shape, dtype, r, return_grad, grad_output, out, grad_out)
    if status := _KERNELS["multilabel_margin_loss", dtype.char](
            data_pointer(x), data_pointer(t), n, c, r, data_pointer(o), pointer(g), pointer(go)):
        _native.raise_status(status)
    return result(o, g, r, return_grad)


def multilabel_soft_margin_loss(input: ArrayLike, target: ArrayLike, weight: Optional[ArrayLike] = None,
                                size_average: Optional[bool] = None, reduce: Optional[bool] = None,
                                reduction: Reduction = 'mean', *, return_grad: bool = False,
                                return_target_grad: bool = False, grad_output: Optional[ArrayLike] = None,
                                out: Optional[np.ndarray] = None, grad_out: Optional[np.ndarray] = None) -> LossResult:
    """Multi-label logistic loss, as torch.nn.functional.multilabel_soft_margin_loss, over (N, C) or
    (C) scores and targets of the same shape (usually 0 or 1):
    -(1/C)·Σ_c weight[c]·(t·log σ(x) + (1 - t)·log σ(-x)) per row, finite for every finite x;
    'mean' divides by N. weight: optional (C). The gradient is (weight/C)·(σ(x) - t);
    return_target_grad gives the target's, -(weight/C)·x.
    """
    r = reduction_code(reduction, size_average, reduce)
    xa, ya = as_array(input), as_array(target)
    wa = None if weight is None else as_array(weight)
    dtype = compute_dtype(xa, ya) if wa is None else compute_dtype(xa, ya, wa)
    x, y = tensor(xa, dtype), tensor(ya, dtype)
    (n, c), sample_shape = _multilabel_layout("multilabel_soft_margin_loss", x)
    if y.shape != x.shape:
        raise ValueError(f"multilabel_soft_margin_loss: target {y.shape} must have input's shape {x.shape}")
    w = tensor_like(wa, (c,), dtype, "weight")
    o, g, go = outputs(x.shape, sample_shape, dtype, r, return_grad, grad_output, out, grad_out)
    if status := _KERNELS["multilabel_soft_margin_loss", dtype.char](
            data_pointer(x), data_pointer(y), pointer(w), n, c, r, data_pointer(o), pointer(g), pointer(go)):
        _native.raise_status(status)
    if return_target_grad:
        gt = target_gradient("multilabel_soft_margin_loss", (data_pointer(x), data_pointer(y), pointer(w), n, c), r,
                             y.shape, dtype, go)
        return with_target_gradient(result(o, g, r, return_grad), gt, return_grad)
    return result(o, g, r, return_grad)


def sparsemax_loss(logits: ArrayLike, labels: ArrayLike, reduction: Reduction = 'mean', *,
                   return_grad: bool = False, grad_output: Optional[ArrayLike] = None,
                   out: Optional[np.ndarray] = None, grad_out: Optional[np.ndarray] = None) -> LossResult:
    """optax.losses.sparsemax_loss(logits, labels), the binary sparsemax loss: per element
    sparse_plus(-x) where the label is nonzero and sparse_plus(x) where it is 0, with sparse_plus(z)
    = 0 for z <= -1, (z + 1)**2 / 4 between, z for z >= 1.

    Args:
      logits, labels: arrays of one shape; labels 0 or 1 (any nonzero value counts as 1, as optax's
        jnp.where).
      reduction: optax returns the unreduced values, reduction='none' here; the default is the
        library's 'mean'.
    The gradient w.r.t. the logits is continuous: 0, (z + 1) / 2, 1 on the three pieces (negated
    for a label 1). Labels are data: no gradient.
    """
    r = reduction_code(reduction)
    x, y, _, o, g, go = prepare_pointwise("sparsemax_loss", logits, labels, None, r, return_grad, grad_output, out,
                                          grad_out)
    if status := _KERNELS["sparsemax_loss", x.dtype.char](
            data_pointer(x), data_pointer(y), x.size, r, data_pointer(o), pointer(g), pointer(go)):
        _native.raise_status(status)
    return result(o, g, r, return_grad)


def poly_loss_cross_entropy(logits: ArrayLike, labels: ArrayLike, epsilon: float = 2.0, reduction: Reduction = 'mean',
                            *, return_grad: bool = False, return_target_grad: bool = False,
                            grad_output: Optional[ArrayLike] = None, out: Optional[np.ndarray] = None,
                            grad_out: Optional[np.ndarray] = None) -> LossResult:
    """Poly-1 loss (Leng et al. 2022), as optax.losses.poly_loss_cross_entropy:
    `Σ_c labels_c·(lse - z_c) + epsilon·Σ_c labels_c·(1 - softmax(z)_c)` over the last axis.

    Args:
      logits: (..., C) unnormalised log-probabilities.
      labels: probabilities shaped like logits (e.g. one-hot), taken as given: for labels that do
        not sum to 1 the second term is Σ labels - Σ labels·p, as optax computes it.
      epsilon: any finite value (2.0 for image classification, -1.0 for detection in the paper;
        0 is cross entropy).
      reduction: optax returns one value per row ('none', shape (...)); 'mean' (the default, as
        every loss here) divides by the number of rows, 'sum' adds them.
    Returns:
      The loss, or (loss, grad) with return_grad=True; grad has the logits' shape. With
      return_target_grad=True the gradient w.r.t. labels is appended.
    """
    r = reduction_code(reduction)
    x, t = as_array(logits), as_array(labels)
    dtype = compute_dtype(x, t)
    x, t = tensor(x, dtype), tensor(t, dtype)
    if x.ndim == 0:
        raise ValueError("poly_loss_cross_entropy: logits must have a class axis, got a scalar")
    if t.shape != x.shape:
        raise ValueError(f"poly_loss_cross_entropy: labels shape {t.shape} does not match logits shape {x.shape}")
    c = x.shape[-1]
    n = math.prod(x.shape[:-1])
    o, g, go = outputs(x.shape, x.shape[:-1], dtype, r, return_grad, grad_output, out, grad_out)
    if status := _KERNELS["poly_loss_cross_entropy", dtype.char](
            data_pointer(x), data_pointer(t), n, c, float(epsilon), r, data_pointer(o), pointer(g), pointer(go)):
        _native.raise_status(status)
    if return_target_grad:
        gt = target_gradient("poly_loss_cross_entropy", (data_pointer(x), data_pointer(t), n, c, float(epsilon)),
                             r, t.shape, t.dtype, go)
        return with_target_gradient(result(o, g, r, return_grad), gt, return_grad)
    return result(o, g, r, return_grad)
