"""Image losses (docs/images.md): segmentation (dice_loss; kornia's tversky_loss,
focal_tversky_loss, lovasz_hinge_loss, lovasz_softmax_loss and total_variation) and reconstruction
(reconstruction_loss).

Keyword-only extras as in regression.py. dice_loss and reconstruction_loss have two differentiable
inputs, so
`return_grad=True` returns `(value, (grad_first, grad_second))`, and `grad_out=` takes a pair of
arrays (either may be None), as the metric-learning losses do.
"""
import math

import numpy as np

from . import _native
from ._arrays import (as_array, compute_dtype, gradient_outputs, integer, output, outputs, pointer, reduction_code,
                      tensor, tensor_like)
from ._typing import ArrayLike, FeatureMaps, LossResult, Optional, Reduction, Sequence, Union

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


def _feature_lists(features_x, features_y, layer_weights):
    """The layers as two lists of arrays and their weights: one array each (one layer), or two
    lists of one length >= 1."""
    single = not isinstance(features_x, (list, tuple))
    if single != (not isinstance(features_y, (list, tuple))):
        raise TypeError("perceptual_loss: features_x and features_y must both be lists of maps, or both one map")
    xs, ys = ([features_x], [features_y]) if single else (list(features_x), list(features_y))
    if len(xs) != len(ys) or not xs:
        raise ValueError(f"perceptual_loss: features_x has {len(xs)} maps and features_y {len(ys)}: "
                         "they must be lists of one length >= 1")
    if layer_weights is None:
        weights = [1.0] * len(xs)
    elif single and np.ndim(layer_weights) == 0:
        weights = [float(layer_weights)]
    else:
        weights = [float(w) for w in np.asarray(layer_weights, dtype=np.float64).reshape(-1)]
        if len(weights) != len(xs):
            raise ValueError(f"perceptual_loss: layer_weights has {len(weights)} values for {len(xs)} layers")
    return single, xs, ys, weights


def perceptual_loss(features_x: FeatureMaps, features_y: FeatureMaps,
                    layer_weights: Optional[Union[float, Sequence[float]]] = None, style_weight: float = 0.0,
                    reduction: Reduction = 'mean', *, return_grad: bool = False,
                    grad_output: Optional[ArrayLike] = None, out: Optional[np.ndarray] = None,
                    grad_out: Optional[tuple] = None) -> LossResult:
    """Perceptual loss (Johnson et al. 2016) over feature maps your network computed: per sample,
    `sum_l w_l mean((x_l - y_l)^2) + style_weight sum_l ||G(x_l) - G(y_l)||_F^2` with the Gram
    matrix `G = F F^T / (C H W)` of each sample's C x HW map F.

    Args:
      features_x, features_y: lists of L maps, layer l of shape (N, C_l, ...) in both (the
        trailing dimensions are the positions: (N, C, H, W) for a convolutional layer); or one
        map each (one layer). N is the same in every layer; every map is read in place.
      layer_weights: L finite weights >= 0 (None: ones; a number for one layer).
      style_weight: finite, >= 0; 0 (the default) computes no Gram matrix.
    reduction='none' gives the N per-sample values; 'mean' makes the content term the mean over
    every element of each layer. With return_grad=True: (value, (grads_x, grads_y)), a list of
    gradients per layer for lists (an array for one map); grad_out takes such a pair, either
    item None. The layers' values are added in float64 in layer order.
    """
    r = reduction_code(reduction)
    single, xs, ys, weights = _feature_lists(features_x, features_y, layer_weights)
    arrays = [as_array(v) for v in xs + ys]
    dtype = compute_dtype(*arrays)
    maps = [tensor(a, dtype) for a in arrays]
    xs, ys = maps[:len(xs)], maps[len(xs):]
    for l, (x, y) in enumerate(zip(xs, ys)):
        if x.shape != y.shape or x.ndim < 2:
            raise ValueError(f"perceptual_loss: layer {l}: features_x {x.shape} and features_y {y.shape} must be "
                             "one (N, C, ...) shape")
        if x.shape[0] != xs[0].shape[0]:
            raise ValueError(f"perceptual_loss: layer {l} has {x.shape[0]} samples, layer 0 {xs[0].shape[0]}")
        if 0 in x.shape[1:]:
            raise ValueError(f"perceptual_loss: layer {l}: a map must have C and positions >= 1, got {x.shape}")
    # Every argument the library would refuse is refused before the first layer's call, so that
    # a failed call has written no layer's gradients.
    for name, value in [("style_weight", style_weight)] + [(f"layer_weights[{l}]", w) for l, w in enumerate(weights)]:
        if not (math.isfinite(float(value)) and float(value) >= 0):
            raise ValueError(f"perceptual_loss: {name} must be finite and >= 0, got {value}")
    n = xs[0].shape[0]
    out_shape = (n,) if r == _native.REDUCTION_NONE else ()
    o = output(out, out_shape, dtype, "out")
    go = tensor_like(grad_output, out_shape, dtype, "grad_output")
    if grad_out is None:
        grad_out = (None, None)
    if not (isinstance(grad_out, tuple) and len(grad_out) == 2):
        raise TypeError("perceptual_loss: grad_out must be a pair (grads_x, grads_y), either of which may be None")
    wanted = [[None] * len(xs) if g is None else [g] if single else list(g) for g in grad_out]
    if any(len(w) != len(xs) for w in wanted):
        raise ValueError(f"perceptual_loss: grad_out must hold {len(xs)} gradients per input")
    grads = [[output(g, x.shape, dtype, f"grad_out[{i}][{l}]") if return_grad or g is not None else None
              for l, (g, x) in enumerate(zip(wanted[i], xs))] for i in range(2)]
    total = np.zeros(out_shape, np.float64)
    layer_out = np.empty(out_shape, dtype)
    for l, (x, y) in enumerate(zip(xs, ys)):
        c = x.shape[1]
        h = int(np.prod(x.shape[2:], dtype=np.int64))
        if status := _KERNELS["perceptual_loss", dtype.char](
                pointer(x), pointer(y), n, c, h, 1, weights[l], float(style_weight), r, pointer(layer_out),
                pointer(grads[0][l]), pointer(grads[1][l]), pointer(go)):
            _native.raise_status(status)
        total += layer_out
    o[...] = total
    value = o if r == _native.REDUCTION_NONE else o[()]
    if not return_grad:
        return value
    return value, (grads[0][0], grads[1][0]) if single else (grads[0], grads[1])


_NO_IGNORE = -0x8000000000000000  # ignore_index=None: the C call's ignore_index is INT64_MIN


def _tversky_call(name, pred, target, ignore_index, reduction, return_grad, grad_output, out, grad_out):
    """The (N, C, H, W) logits, (N, H, W) labels and outputs of the Tversky losses."""
    from .classification import _labels
    r = reduction_code(reduction)
    x = as_array(pred)
    x = tensor(x, compute_dtype(x))
    if x.ndim != 4:
        raise ValueError(f"{name}: pred must be (N, C, H, W), got shape {x.shape}")
    t = as_array(target)
    if t.dtype.kind not in "iu":
        raise TypeError(f"{name}: target must hold integer class indices, got dtype {t.dtype}")
    t = _labels(name, t, (x.shape[0],) + x.shape[2:])
    ignore = _NO_IGNORE if ignore_index is None else integer(ignore_index, f"{name}: ignore_index")
    o, g, go = outputs(x.shape, (x.shape[0],), x.dtype, r, return_grad, grad_output, out, grad_out)
    return x, t, ignore, r, o, g, go


def _tversky_result(o, g, r, return_grad):
    value = o if r == _native.REDUCTION_NONE else o[()]
    return (value, g) if return_grad else value


def tversky_loss(pred: ArrayLike, target: ArrayLike, alpha: float, beta: float, eps: float = 1e-8,
                 ignore_index: Optional[int] = -100, reduction: Reduction = 'mean', *, return_grad: bool = False,
                 grad_output: Optional[ArrayLike] = None, out: Optional[np.ndarray] = None,
                 grad_out: Optional[np.ndarray] = None) -> LossResult:
    """Tversky loss, as kornia.losses.tversky_loss: per sample 1 - mean over the classes present in
    its kept target of TI = tp / (tp + alpha fp + beta fn + eps), p the softmax of pred over C.

    Args:
      pred: (N, C, H, W) logits. target: (N, H, W) integer labels in [0, C) or ignore_index.
      alpha: weight of the false positives, beta of the false negatives (finite, >= 0); eps >= 0.
      ignore_index: pixels with this label leave their sample (None: no label is ignored).
      reduction: 'mean' (kornia's 0-d result), 'sum' or 'none' (one value per sample); kornia has
        no reduction argument.
    With return_grad=True: (value, grad_pred).
    """
    x, t, ignore, r, o, g, go = _tversky_call("tversky_loss", pred, target, ignore_index, reduction, return_grad,
                                              grad_output, out, grad_out)
    n, c = x.shape[0], x.shape[1]
    if status := _KERNELS["tversky_loss", x.dtype.char](
            pointer(x), pointer(t), n, c, x.shape[2] * x.shape[3], float(alpha), float(beta), float(eps), ignore, r,
            pointer(o), pointer(g), pointer(go)):
        _native.raise_status(status)
    return _tversky_result(o, g, r, return_grad)


def focal_tversky_loss(pred: ArrayLike, target: ArrayLike, alpha: float, beta: float, gamma: float = 4.0 / 3.0,
                       eps: float = 1e-8, ignore_index: Optional[int] = -100, reduction: Reduction = 'mean', *,
                       return_grad: bool = False, grad_output: Optional[ArrayLike] = None,
                       out: Optional[np.ndarray] = None, grad_out: Optional[np.ndarray] = None) -> LossResult:
    """Focal Tversky loss (Abraham & Khan 2019): per sample the mean over present classes of
    (1 - TI)^(1/gamma), TI as tversky_loss (alpha on false positives, beta on false negatives, eps in
    the denominator only). gamma > 0, the paper's 4/3 by default; gamma = 1 is tversky_loss.
    Arguments otherwise as tversky_loss.
    """
    x, t, ignore, r, o, g, go = _tversky_call("focal_tversky_loss", pred, target, ignore_index, reduction,
                                              return_grad, grad_output, out, grad_out)
    n, c = x.shape[0], x.shape[1]
    if status := _KERNELS["focal_tversky_loss", x.dtype.char](
            pointer(x), pointer(t), n, c, x.shape[2] * x.shape[3], float(alpha), float(beta), float(gamma),
            float(eps), ignore, r, pointer(o), pointer(g), pointer(go)):
        _native.raise_status(status)
    return _tversky_result(o, g, r, return_grad)


def total_variation(img: ArrayLike, reduction: str = 'sum', *, batch_reduction: Reduction = 'none',
                    return_grad: bool = False, grad_output: Optional[ArrayLike] = None,
                    out: Optional[np.ndarray] = None, grad_out: Optional[np.ndarray] = None) -> LossResult:
    """Total variation, as kornia.losses.total_variation: per (H, W) plane, the summed absolute
    differences of vertical and of horizontal neighbours ('sum'), or each term's mean over its own
    count of differences, added ('mean'; a term without differences is 0).

    Args:
      img: (*, H, W), e.g. (C, H, W) or (B, C, H, W); at least 2 dimensions.
      reduction: kornia's 'sum' | 'mean' (over each plane), not a batch reduction.
      batch_reduction: 'none' (kornia's (*,)-shaped result), or 'mean' / 'sum' over the planes.
    With return_grad=True: (value, grad_img), grad_img shaped like img.
    """
    if reduction not in ('sum', 'mean'):
        raise ValueError(f"total_variation: reduction must be 'sum' or 'mean', got {reduction!r}")
    r = reduction_code(batch_reduction)
    x = as_array(img)
    x = tensor(x, compute_dtype(x))
    if x.ndim < 2:
        raise ValueError(f"total_variation: img must be (*, H, W), got shape {x.shape}")
    lead = x.shape[:-2]
    n = int(np.prod(lead, dtype=np.int64))
    o, g, go = outputs(x.shape, lead, x.dtype, r, return_grad, grad_output, out, grad_out)
    if status := _KERNELS["total_variation", x.dtype.char](
            pointer(x), n, x.shape[-2], x.shape[-1], int(reduction == 'mean'), r, pointer(o), pointer(g),
            pointer(go)):
        _native.raise_status(status)
    value = o if r == _native.REDUCTION_NONE else o[()]
    return (value, g) if return_grad else value


def lovasz_hinge_loss(pred: ArrayLike, target: ArrayLike, reduction: Reduction = 'mean', *,
                      return_grad: bool = False, grad_output: Optional[ArrayLike] = None,
                      out: Optional[np.ndarray] = None, grad_out: Optional[np.ndarray] = None) -> LossResult:
    """Lovász hinge loss, as kornia.losses.lovasz_hinge_loss: per image, the Lovász extension of the
    Jaccard loss at the hinge errors 1 - z (2t - 1), errors sorted descending (ties by pixel index).

    Args:
      pred: (N, 1, H, W) logits. target: (N, H, W) integer labels, 0 or 1 (others raise ValueError,
        where kornia does not check).
      reduction: 'mean' (kornia's 0-d result), 'sum' or 'none' (one value per image).
    With return_grad=True: (value, grad_pred).
    """
    from .classification import _labels
    r = reduction_code(reduction)
    x = as_array(pred)
    x = tensor(x, compute_dtype(x))
    if x.ndim != 4 or x.shape[1] != 1:
        raise ValueError(f"lovasz_hinge_loss: pred must be (N, 1, H, W), got shape {x.shape}")
    t = as_array(target)
    if t.dtype.kind not in "iub":
        raise TypeError(f"lovasz_hinge_loss: target must hold integer labels, got dtype {t.dtype}")
    t = _labels("lovasz_hinge_loss", t, (x.shape[0],) + x.shape[2:])
    o, g, go = outputs(x.shape, (x.shape[0],), x.dtype, r, return_grad, grad_output, out, grad_out)
    if status := _KERNELS["lovasz_hinge_loss", x.dtype.char](
            pointer(x), pointer(t), x.shape[0], x.shape[2] * x.shape[3], r, pointer(o), pointer(g), pointer(go)):
        _native.raise_status(status)
    return _tversky_result(o, g, r, return_grad)


def lovasz_softmax_loss(pred: ArrayLike, target: ArrayLike, weight: Optional[ArrayLike] = None,
                        reduction: Reduction = 'mean', *, return_grad: bool = False,
                        grad_output: Optional[ArrayLike] = None, out: Optional[np.ndarray] = None,
                        grad_out: Optional[np.ndarray] = None) -> LossResult:
    """Lovász-Softmax loss, as kornia.losses.lovasz_softmax_loss: per image, (1/C) Σ_c weight_c L_c
    over all C classes, L_c the Lovász extension of class c's Jaccard loss at |p_c - [y = c]|.

    Args:
      pred: (N, C, H, W) logits, C >= 2. target: (N, H, W) integer labels in [0, C).
      weight: optional (C) class weights (not differentiated).
      reduction: 'mean' (kornia's 0-d result), 'sum' or 'none' (one value per image).
    With return_grad=True: (value, grad_pred).
    """
    x, t, _, r, o, g, go = _tversky_call("lovasz_softmax_loss", pred, target, None, reduction, return_grad,
                                         grad_output, out, grad_out)
    w = tensor_like(weight, (x.shape[1],), x.dtype, "weight")
    if status := _KERNELS["lovasz_softmax_loss", x.dtype.char](
            pointer(x), pointer(t), pointer(w), x.shape[0], x.shape[1], x.shape[2] * x.shape[3], r, pointer(o),
            pointer(g), pointer(go)):
        _native.raise_status(status)
    return _tversky_result(o, g, r, return_grad)
