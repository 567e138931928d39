"""Metric-learning losses (docs/metric_learning.md), with PyTorch's names, argument order and
defaults.

Keyword-only extras as in regression.py. These losses have two differentiable inputs, so
`return_grad=True` returns `(value, (grad_input1, grad_input2))`, and `grad_out=` takes a pair of
arrays (either may be None), as the distance functions do.
"""
import numpy as np

from . import _native
from ._arrays import (as_array, compute_dtype, flag, gradient_outputs, output, outputs, pointer, reduction_code, result,
                      tensor, tensor_like)
from .classification import _labels
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
    g1, g2 = gradient_outputs("margin_ranking_loss", grad_out, (a.shape, b.shape), dtype, return_grad,
                              ("grad_input1", "grad_input2"))
    if status := _KERNELS["margin_ranking_loss", dtype.char](
            pointer(a), pointer(b), pointer(t), a.size, float(margin), r, pointer(o), pointer(g1), pointer(g2),
            pointer(go)):
        _native.raise_status(status)
    value = o if r == _native.REDUCTION_NONE else o[()]
    return (value, (g1, g2)) if return_grad else value


def triplet_margin_loss(anchor: ArrayLike, positive: ArrayLike, negative: ArrayLike, margin: float = 1.0,
                        p: float = 2, eps: float = 1e-06, swap: bool = False, size_average: Optional[bool] = None,
                        reduce: Optional[bool] = None, reduction: Reduction = 'mean', *, return_grad: bool = False,
                        grad_output: Optional[ArrayLike] = None, out: Optional[np.ndarray] = None,
                        grad_out: Optional[tuple] = None) -> LossResult:
    """`max(0, d(a, p) - d(a, n) + margin)` per row, as torch.nn.functional.triplet_margin_loss.

    Args:
      anchor, positive, negative: (N, D) rows, or one (D) row each.
      margin: finite and > 0 (PyTorch refuses margin <= 0).
      p, eps: the distance `pairwise_distance(x, y, p, eps)` = ||x - y + eps||_p.
      swap: use min(d(a, n), d(p, n)) as the negative distance (Balntas et al.); where the two
        tie, d(a, n) is used (PyTorch splits the gradient there).
    With return_grad=True: (value, (grad_anchor, grad_positive, grad_negative)); grad_out takes a
    triple of arrays, any of which may be None.
    """
    r = reduction_code(reduction, size_average, reduce)
    return _triplet_rows("triplet_margin_loss", (anchor, positive, negative), r, return_grad, grad_output, out,
                         grad_out, (float(margin), float(p), float(eps), flag(swap, "triplet_margin_loss: swap")))


TRIPLET_DISTANCES = {"euclidean": _native.TRIPLET_DISTANCE_EUCLIDEAN, "cosine": _native.TRIPLET_DISTANCE_COSINE}


def triplet_margin_with_distance_loss(anchor: ArrayLike, positive: ArrayLike, negative: ArrayLike, *,
                                      distance_function: Optional[str] = 'euclidean', margin: float = 1.0,
                                      swap: bool = False, reduction: Reduction = 'mean', return_grad: bool = False,
                                      grad_output: Optional[ArrayLike] = None, out: Optional[np.ndarray] = None,
                                      grad_out: Optional[tuple] = None) -> LossResult:
    """`max(0, D(a, p) - D(a, n) + margin)` per row, as
    torch.nn.functional.triplet_margin_with_distance_loss with a named distance.

    Args:
      anchor, positive, negative: (N, D) rows, or one (D) row each.
      distance_function: 'euclidean' (or None, PyTorch's spelling of its default):
        pairwise_distance(x, y) = ||x - y + 1e-6||_2; 'cosine': 1 - cosine_similarity(x, y) with
        its eps 1e-8 (or the C selector 0, 1). A callable is refused with a TypeError: the library
        computes named distances only (losses.torch accepts one and lets autograd follow it).
      margin: finite and > 0 (PyTorch refuses margin <= 0).
      swap: use min(D(a, n), D(p, n)) as the negative distance (Balntas et al.); where the two
        tie, D(a, n) is used (PyTorch splits the gradient there).
    With return_grad=True: (value, (grad_anchor, grad_positive, grad_negative)); grad_out takes a
    triple of arrays, any of which may be None.
    """
    name = "triplet_margin_with_distance_loss"
    selector = triplet_distance(distance_function)
    r = reduction_code(reduction)
    return _triplet_rows(name, (anchor, positive, negative), r, return_grad, grad_output, out, grad_out,
                         (selector, float(margin), flag(swap, f"{name}: swap")))


def triplet_distance(distance_function) -> int:
    """The C selector of a distance named by its string (None: 'euclidean'); a TypeError for a
    callable, a ValueError for an unknown name."""
    name = "triplet_margin_with_distance_loss"
    if distance_function is None:
        return _native.TRIPLET_DISTANCE_EUCLIDEAN
    if isinstance(distance_function, int) and not isinstance(distance_function, bool):
        return distance_function
    if callable(distance_function):
        raise TypeError(f"{name}: distance_function must be 'euclidean' or 'cosine'; a callable distance is "
                        "computed only by losses.torch.triplet_margin_with_distance_loss (autograd follows it)")
    selector = TRIPLET_DISTANCES.get(distance_function) if isinstance(distance_function, str) else None
    if selector is None:
        raise ValueError(f"{name}: distance_function must be one of {sorted(TRIPLET_DISTANCES)}, "
                         f"got {distance_function!r}")
    return selector


def _triplet_rows(name: str, inputs: tuple, r: int, return_grad: bool, grad_output, out, grad_out,
                  parameters: tuple) -> LossResult:
    """The call shared by the triplet losses: three (N, D) or (D) inputs, one value per row,
    three gradients; `parameters` are the C arguments between d and the reduction."""
    arrays = [as_array(x) for x in inputs]
    dtype = compute_dtype(*arrays)
    a, pos, neg = (tensor(x, dtype) for x in arrays)
    if not a.shape == pos.shape == neg.shape or a.ndim not in (1, 2):
        raise ValueError(f"{name}: anchor {a.shape}, positive {pos.shape} and negative {neg.shape} "
                         "must all be (N, D) or all (D)")
    n, d = (1, a.shape[0]) if a.ndim == 1 else a.shape
    out_shape = (a.shape[0],) if (r == _native.REDUCTION_NONE and a.ndim == 2) else ()
    o = output(out, out_shape, dtype, "out")
    go = tensor_like(grad_output, out_shape, dtype, "grad_output")
    grads = gradient_outputs(name, grad_out, (a.shape,) * 3, dtype, return_grad,
                             ("grad_anchor", "grad_positive", "grad_negative"))
    if status := _KERNELS[name, dtype.char](pointer(a), pointer(pos), pointer(neg), n, d, *parameters, r, pointer(o),
                                            *(pointer(g) for g in grads), pointer(go)):
        _native.raise_status(status)
    value = o if r == _native.REDUCTION_NONE else o[()]
    return (value, tuple(grads)) if return_grad else value


def quadruplet_loss(anchor: ArrayLike, positive: ArrayLike, negative1: ArrayLike, negative2: ArrayLike,
                    margin1: float = 1.0, margin2: float = 0.5, reduction: Reduction = 'mean', *,
                    return_grad: bool = False, grad_output: Optional[ArrayLike] = None,
                    out: Optional[np.ndarray] = None, grad_out: Optional[tuple] = None) -> LossResult:
    """`max(d2(a, p) - d2(a, n1) + margin1, 0) + max(d2(a, p) - d2(n1, n2) + margin2, 0)` per row,
    the quadruplet loss of Chen et al. (2017), d2 the squared Euclidean distance sum((x - y)**2)
    (no eps).

    Args:
      anchor, positive, negative1, negative2: (N, D) rows, or one (D) row each.
      margin1, margin2: finite.
    A hinge at or below 0 (and a NaN one) passes no gradient, as torch's clamp_min; an element
    whose difference is NaN or infinite still has a NaN gradient. With return_grad=True:
    (value, (grad_anchor, grad_positive, grad_negative1, grad_negative2)); grad_out takes a
    4-tuple of arrays, any of which may be None.
    """
    r = reduction_code(reduction)
    arrays = [as_array(x) for x in (anchor, positive, negative1, negative2)]
    dtype = compute_dtype(*arrays)
    a, pos, n1, n2 = (tensor(x, dtype) for x in arrays)
    if not a.shape == pos.shape == n1.shape == n2.shape or a.ndim not in (1, 2):
        raise ValueError(f"quadruplet_loss: anchor {a.shape}, positive {pos.shape}, negative1 {n1.shape} and "
                         f"negative2 {n2.shape} must all be (N, D) or all (D)")
    n, d = (1, a.shape[0]) if a.ndim == 1 else a.shape
    out_shape = (a.shape[0],) if (r == _native.REDUCTION_NONE and a.ndim == 2) else ()
    o = output(out, out_shape, dtype, "out")
    go = tensor_like(grad_output, out_shape, dtype, "grad_output")
    grads = gradient_outputs("quadruplet_loss", grad_out, (a.shape,) * 4, dtype, return_grad,
                             ("grad_anchor", "grad_positive", "grad_negative1", "grad_negative2"))
    if status := _KERNELS["quadruplet_loss", dtype.char](
            pointer(a), pointer(pos), pointer(n1), pointer(n2), n, d, float(margin1), float(margin2), r,
            pointer(o), *(pointer(g) for g in grads), pointer(go)):
        _native.raise_status(status)
    value = o if r == _native.REDUCTION_NONE else o[()]
    return (value, tuple(grads)) if return_grad else value


def verification_loss(f1: ArrayLike, f2: ArrayLike, label: ArrayLike, weight: Optional[ArrayLike] = None,
                      bias: float = 0.0, reduction: Reduction = 'mean', *, return_grad: bool = False,
                      grad_output: Optional[ArrayLike] = None, out: Optional[np.ndarray] = None,
                      grad_out: Optional[tuple] = None) -> LossResult:
    """Binary cross entropy with logits of `s = sum_k weight_k (f1_k - f2_k)**2 + bias` against
    `label` per row: the verification head of a re-identification Siamese network.

    Args:
      f1, f2: (N, D) embeddings, or one (D) row each (then the value is 0-d).
      label: (N) (or 0-d for one row), 1 for the same identity, 0 for different ones.
      weight: (D), or None for ones. bias: finite.
    Computed stably (max(s, 0) - s·y + log1p(exp(-|s|))). With return_grad=True:
    (value, (grad_f1, grad_f2, grad_weight, grad_bias)), grad_bias 0-d; the weight's and bias's
    gradients are sums over rows in a fixed order (the same bits for any thread count). grad_out
    takes a 4-tuple of arrays, any of which may be None.
    """
    r = reduction_code(reduction)
    arrays = [as_array(x) for x in (f1, f2, label)] + ([as_array(weight)] if weight is not None else [])
    dtype = compute_dtype(*arrays)
    a, b, y = (tensor(x, dtype) for x in arrays[:3])
    w = tensor(arrays[3], dtype) if weight is not None else None
    if not a.shape == b.shape or a.ndim not in (1, 2) or y.shape != a.shape[:-1]:
        raise ValueError(f"verification_loss: f1 {a.shape} and f2 {b.shape} must both be (N, D) or (D), and "
                         f"label {y.shape} (N) or ()")
    n, d = (1, a.shape[0]) if a.ndim == 1 else a.shape
    if w is not None and w.shape != (d,):
        raise ValueError(f"verification_loss: weight {w.shape} must be ({d},)")
    out_shape = (a.shape[0],) if (r == _native.REDUCTION_NONE and a.ndim == 2) else ()
    o = output(out, out_shape, dtype, "out")
    go = tensor_like(grad_output, out_shape, dtype, "grad_output")
    grads = gradient_outputs("verification_loss", grad_out, (a.shape, a.shape, (d,), ()), dtype, return_grad,
                             ("grad_f1", "grad_f2", "grad_weight", "grad_bias"))
    if status := _KERNELS["verification_loss", dtype.char](
            pointer(a), pointer(b), pointer(y), pointer(w), n, d, float(bias), r, pointer(o),
            *(pointer(g) for g in grads), pointer(go)):
        _native.raise_status(status)
    value = o if r == _native.REDUCTION_NONE else o[()]
    return (value, tuple(grads)) if return_grad else value


def circle_loss(sp: ArrayLike, sn: ArrayLike, m: float = 0.25, gamma: float = 256.0, reduction: Reduction = 'mean', *,
                return_grad: bool = False, grad_output: Optional[ArrayLike] = None, out: Optional[np.ndarray] = None,
                grad_out: Optional[tuple] = None) -> LossResult:
    """Circle loss (Sun et al. 2020) over given similarities, as the authors' CircleLoss(m, gamma)
    with forward(sp, sn): per row, `softplus(logsumexp(gamma a_n (sn - m)) + logsumexp(-gamma a_p
    (sp - 1 + m)))` with the weights a_p = relu(1 + m - sp), a_n = relu(sn + m) held constant.

    Args:
      sp: (N, K) positive-pair similarities, or one (K) row (the authors' form: the value is 0-d).
      sn: (N, L) negative-pair similarities, or one (L) row, as sp.
      m: finite; gamma: finite, > 0.
    Computed in double, stable for gamma = 256 (logits in the hundreds). A row with K = 0 or
    L = 0 has the loss 0. With return_grad=True: (value, (grad_sp, grad_sn)), with the weights
    held constant (the paper's gradient, not the derivative of the value). grad_out takes a pair
    of arrays, either may be None.
    """
    r = reduction_code(reduction)
    arrays = [as_array(x) for x in (sp, sn)]
    dtype = compute_dtype(*arrays)
    p, q = (tensor(x, dtype) for x in arrays)
    if p.ndim != q.ndim or p.ndim not in (1, 2) or p.shape[:-1] != q.shape[:-1]:
        raise ValueError(f"circle_loss: sp {p.shape} and sn {q.shape} must be (N, K) and (N, L), or (K) and (L)")
    n, k, l = (1, p.shape[0], q.shape[0]) if p.ndim == 1 else (p.shape[0], p.shape[1], q.shape[1])
    out_shape = (n,) if (r == _native.REDUCTION_NONE and p.ndim == 2) else ()
    o = output(out, out_shape, dtype, "out")
    go = tensor_like(grad_output, out_shape, dtype, "grad_output")
    grads = gradient_outputs("circle_loss", grad_out, (p.shape, q.shape), dtype, return_grad, ("grad_sp", "grad_sn"))
    if status := _KERNELS["circle_loss", dtype.char](
            pointer(p), pointer(q), n, k, l, float(m), float(gamma), r, pointer(o), *(pointer(g) for g in grads),
            pointer(go)):
        _native.raise_status(status)
    value = o if r == _native.REDUCTION_NONE else o[()]
    return (value, tuple(grads)) if return_grad else value


def cosine_embedding_loss(input1: ArrayLike, input2: ArrayLike, target: ArrayLike, margin: float = 0.0,
                          size_average: Optional[bool] = None, reduce: Optional[bool] = None,
                          reduction: Reduction = 'mean', *, return_grad: bool = False,
                          grad_output: Optional[ArrayLike] = None, out: Optional[np.ndarray] = None,
                          grad_out: Optional[tuple] = None) -> LossResult:
    """`1 - cos(x1, x2)` where target is 1, `max(0, cos(x1, x2) - margin)` where it is -1 (0 for any
    other target), as torch.nn.functional.cosine_embedding_loss, whose cosine adds 1e-12 (the
    float constant) to each squared norm.

    Args:
      input1, input2: (N, D) rows, or one (D) row each; target: (N) (or a scalar for one row).
      margin: finite.
    With return_grad=True: (value, (grad_input1, grad_input2)).
    """
    return _row_pairs_with_target("cosine_embedding_loss", input1, input2, target, margin,
                                  reduction_code(reduction, size_average, reduce), return_grad, grad_output, out,
                                  grad_out)


def contrastive_loss(x1: ArrayLike, x2: ArrayLike, label: ArrayLike, margin: float = 2.0,
                     reduction: Reduction = 'mean', *, return_grad: bool = False,
                     grad_output: Optional[ArrayLike] = None, out: Optional[np.ndarray] = None,
                     grad_out: Optional[tuple] = None) -> LossResult:
    """The contrastive loss of Siamese networks, `(1 - label)·d² + label·max(0, margin - d)²` with
    d = pairwise_distance(x1, x2) (p = 2, eps = 1e-6); label 0 for a similar pair, 1 for a
    dissimilar one (other values enter the formula as written). No ½ factor.

    Args:
      x1, x2: (N, D) rows, or one (D) row each; label: (N) (or a scalar for one row).
      margin: finite.
    With return_grad=True: (value, (grad_x1, grad_x2)).
    """
    return _row_pairs_with_target("contrastive_loss", x1, x2, label, margin, reduction_code(reduction), return_grad,
                                  grad_output, out, grad_out)


def _row_pairs_with_target(name, input1, input2, target, margin, r, return_grad, grad_output, out, grad_out):
    """The call of a loss of row pairs with one target per pair (cosine_embedding_loss,
    contrastive_loss): shapes checked, outputs allocated or taken from out=/grad_out=."""
    a, b, t = as_array(input1), as_array(input2), as_array(target)
    dtype = compute_dtype(a, b, t)
    a, b, t = tensor(a, dtype), tensor(b, dtype), tensor(t, dtype)
    if a.shape != b.shape or a.ndim not in (1, 2) or t.shape != a.shape[:-1]:
        raise ValueError(f"{name}: the two inputs {a.shape} and {b.shape} must be (N, D) or (D), "
                         f"and the target {t.shape} (N) or ()")
    n, d = (1, a.shape[0]) if a.ndim == 1 else a.shape
    out_shape = t.shape if r == _native.REDUCTION_NONE else ()
    o = output(out, out_shape, dtype, "out")
    go = tensor_like(grad_output, out_shape, dtype, "grad_output")
    g1, g2 = gradient_outputs(name, grad_out, (a.shape, b.shape), dtype, return_grad, ("grad_input1", "grad_input2"))
    if status := _KERNELS[name, dtype.char](
            pointer(a), pointer(b), pointer(t), n, d, float(margin), r, pointer(o), pointer(g1), pointer(g2),
            pointer(go)):
        _native.raise_status(status)
    value = o if r == _native.REDUCTION_NONE else o[()]
    return (value, (g1, g2)) if return_grad else value


def _batch(name, embeddings, labels, r, return_grad, grad_output, out, grad_out, square=False):
    """The call of a batch loss: (N, D) embeddings (or an (N, N) matrix when `square`) and, when
    given, N integer labels; one value per row for 'none', one gradient shaped like the input."""
    x = as_array(embeddings)
    x = tensor(x, compute_dtype(x))
    if x.ndim != 2 or (square and x.shape[0] != x.shape[1]):
        raise ValueError(f"{name}: {'dist must be (N, N)' if square else 'embeddings must be (N, D)'}, "
                         f"got shape {x.shape}")
    y = None
    if labels is not None:
        y = as_array(labels)
        if y.dtype.kind not in "iu":
            raise TypeError(f"{name}: labels must be integers, got dtype {y.dtype}")
        y = _labels(name, y, (x.shape[0],))
    o, g, go = outputs(x.shape, (x.shape[0],), x.dtype, r, return_grad, grad_output, out, grad_out)
    return x, y, o, g, go


def batch_hard_triplet_loss(embeddings: ArrayLike, labels: ArrayLike, margin: float = 0.3, squared: bool = False,
                            soft: bool = False, reduction: Reduction = 'mean', *, return_grad: bool = False,
                            grad_output: Optional[ArrayLike] = None, out: Optional[np.ndarray] = None,
                            grad_out: Optional[np.ndarray] = None) -> LossResult:
    """Batch-hard triplet loss (Hermans et al. 2017): each anchor against its farthest positive and
    closest negative in the batch, `max(0, d(a, p) - d(a, n) + margin)`, or
    `softplus(d(a, p) - d(a, n))` with `soft=True` (the paper's soft margin, without margin).

    Args:
      embeddings: (N, D); labels: (N) integers (any values, compared for equality).
      margin: finite. squared: use squared Euclidean distances.
    Anchors without a positive or a negative give 0 and are left out of the mean (0 when no anchor
    counts). Ties take the first index. The gradient flows through the two chosen distances and
    is 0 at zero distance. With return_grad=True: (value, grad_embeddings).
    """
    r = reduction_code(reduction)
    x, y, o, g, go = _batch("batch_hard_triplet_loss", embeddings, labels, r, return_grad, grad_output, out, grad_out)
    if status := _KERNELS["batch_hard_triplet_loss", x.dtype.char](
            pointer(x), pointer(y), x.shape[0], x.shape[1], float(margin),
            flag(squared, "batch_hard_triplet_loss: squared"), flag(soft, "batch_hard_triplet_loss: soft"), r,
            pointer(o), pointer(g), pointer(go)):
        _native.raise_status(status)
    return result(o, g, r, return_grad)


def batch_hard_quadruplet_loss(dist: ArrayLike, labels: ArrayLike, margin1: float = 1.0, margin2: float = 0.5,
                               reduction: Reduction = 'mean', *, return_grad: bool = False,
                               grad_output: Optional[ArrayLike] = None, out: Optional[np.ndarray] = None,
                               grad_out: Optional[np.ndarray] = None) -> LossResult:
    """Batch-hard quadruplet loss (Chen et al. 2017) over a distance matrix: per anchor,
    `max(0, d_ap - d_an + margin1) + max(0, d_ap - d_nn + margin2)` with d_ap its farthest
    positive, d_an its closest negative and d_nn the closest pair of two different labels, neither
    the anchor's (the second term is 0 when the batch has fewer than three labels).

    Args:
      dist: (N, N) distances (need not be symmetric; the diagonal is never a pair); labels: (N).
      margin1, margin2: finite.
    Anchors without a positive or a negative give 0 and are left out of the mean. Ties take the
    first index (row-major for the pair). With return_grad=True: (value, grad_dist).
    """
    r = reduction_code(reduction)
    x, y, o, g, go = _batch("batch_hard_quadruplet_loss", dist, labels, r, return_grad, grad_output, out, grad_out,
                            square=True)
    if status := _KERNELS["batch_hard_quadruplet_loss", x.dtype.char](
            pointer(x), pointer(y), x.shape[0], float(margin1), float(margin2), r, pointer(o), pointer(g),
            pointer(go)):
        _native.raise_status(status)
    return result(o, g, r, return_grad)


def circle_loss_embeddings(embeddings: ArrayLike, labels: ArrayLike, m: float = 0.4, gamma: float = 80.0,
                           reduction: Reduction = 'mean', *, return_grad: bool = False,
                           grad_output: Optional[ArrayLike] = None, out: Optional[np.ndarray] = None,
                           grad_out: Optional[np.ndarray] = None) -> LossResult:
    """Circle loss over a labelled batch (Sun et al. 2020), as pytorch-metric-learning's
    CircleLoss(m, gamma): cosine similarities of the rows, every positive and negative pair of
    each anchor, `softplus(logsumexp_p(-gamma a_p (s - 1 + m)) + logsumexp_n(gamma a_n (s - m)))`
    with the weights a_p = relu(1 + m - s), a_n = relu(s + m) held constant.

    Args:
      embeddings: (N, D), normalised here (divided by max(|x|, 1e-12)); labels: (N) integers.
      m: finite; gamma: finite, > 0.
    The mean is over anchors with both a positive and a negative (0 when none has).
    With return_grad=True: (value, grad_embeddings).
    """
    r = reduction_code(reduction)
    x, y, o, g, go = _batch("circle_loss_embeddings", embeddings, labels, r, return_grad, grad_output, out, grad_out)
    if status := _KERNELS["circle_loss_embeddings", x.dtype.char](
            pointer(x), pointer(y), x.shape[0], x.shape[1], float(m), float(gamma), r, pointer(o), pointer(g),
            pointer(go)):
        _native.raise_status(status)
    return result(o, g, r, return_grad)


def ntxent_loss(embeddings: ArrayLike, temperature: float = 0.07, reduction: Reduction = 'mean', *,
                return_grad: bool = False, grad_output: Optional[ArrayLike] = None, out: Optional[np.ndarray] = None,
                grad_out: Optional[np.ndarray] = None) -> LossResult:
    """NT-Xent / InfoNCE of SimCLR, as pytorch-metric-learning's NTXentLoss(temperature) with the
    labels of two views: rows i and i + N/2 of the (N, D) embeddings are the two views of one
    example, every other row a negative; per row, `-log(e^{s_ip/t} / sum_{j != i} e^{s_ij/t})` with
    s the cosine similarity. N must be even. With return_grad=True: (value, grad_embeddings).
    """
    r = reduction_code(reduction)
    x, _, o, g, go = _batch("ntxent_loss", embeddings, None, r, return_grad, grad_output, out, grad_out)
    if status := _KERNELS["ntxent_loss", x.dtype.char](
            pointer(x), x.shape[0], x.shape[1], float(temperature), r, pointer(o), pointer(g), pointer(go)):
        _native.raise_status(status)
    return result(o, g, r, return_grad)
