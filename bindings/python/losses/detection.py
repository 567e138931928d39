"""Detection losses (docs/detection.md), with torchvision.ops' names, argument order and defaults.

The box IoU losses take boxes (N, 4) as (x1, y1, x2, y2), or one box (4) (a 0-d value), and
have two differentiable inputs: `return_grad=True` returns `(value, (grad_boxes1, grad_boxes2))`
and `grad_out=` takes a pair of arrays (either may be None). Keyword-only extras as in
regression.py.
"""
import math

import numpy as np

from . import _native
from ._arrays import as_array, compute_dtype, gradient_outputs, output, pointer, reduction_code, tensor, tensor_like
from .classification import _labels
from ._typing import ArrayLike, LossResult, Optional, Reduction

_KERNELS = _native.KERNELS


def _box_iou(name: str, boxes1, boxes2, reduction, eps, return_grad, grad_output, out, grad_out):
    r = reduction_code(reduction)
    arrays = [as_array(x) for x in (boxes1, boxes2)]
    dtype = compute_dtype(*arrays)
    a, b = (tensor(x, dtype) for x in arrays)
    if a.shape != b.shape or a.ndim not in (1, 2) or a.shape[-1] != 4:
        raise ValueError(f"{name}: boxes1 {a.shape} and boxes2 {b.shape} must both be (N, 4) or (4)")
    n = 1 if a.ndim == 1 else a.shape[0]
    out_shape = (n,) if (r == _native.REDUCTION_NONE and a.ndim == 2) else ()
    o = output(out, out_shape, dtype, "out")
    go = tensor_like(grad_output, out_shape, dtype, "grad_output")
    grads = gradient_outputs(name, grad_out, (a.shape, b.shape), dtype, return_grad, ("grad_boxes1", "grad_boxes2"))
    if status := _KERNELS[name, dtype.char](pointer(a), pointer(b), n, float(eps), r, pointer(o),
                                            *(pointer(g) for g in grads), pointer(go)):
        _native.raise_status(status)
    value = o if r == _native.REDUCTION_NONE and a.ndim == 2 else o[()]
    return (value, tuple(grads)) if return_grad else value


def generalized_box_iou_loss(boxes1: ArrayLike, boxes2: ArrayLike, reduction: Reduction = 'none', eps: float = 1e-7,
                             *, return_grad: bool = False, grad_output: Optional[ArrayLike] = None,
                             out: Optional[np.ndarray] = None, grad_out: Optional[tuple] = None) -> LossResult:
    """`1 - (IoU - (C - U) / (C + eps))`, IoU = I / (U + eps), C the smallest enclosing box's
    area, as torchvision.ops.generalized_box_iou_loss.

    Args:
      boxes1, boxes2: (N, 4) or (4) boxes (x1, y1, x2, y2), finite, x2 >= x1 and y2 >= y1
        (else ValueError from LOSSES_ERROR_INVALID_ARGUMENT).
      reduction: 'none' (torchvision's default), 'mean' (0 for an empty batch) or 'sum'.
      eps: finite, >= 0.
    With return_grad=True: (value, (grad_boxes1, grad_boxes2)), torchvision's autograd gradients.
    """
    return _box_iou("generalized_box_iou_loss", boxes1, boxes2, reduction, eps, return_grad, grad_output, out,
                    grad_out)


def distance_box_iou_loss(boxes1: ArrayLike, boxes2: ArrayLike, reduction: Reduction = 'none', eps: float = 1e-7,
                          *, return_grad: bool = False, grad_output: Optional[ArrayLike] = None,
                          out: Optional[np.ndarray] = None, grad_out: Optional[tuple] = None) -> LossResult:
    """`1 - IoU + rho^2 / (c^2 + eps)`, rho the centres' distance, c the enclosing box's diagonal,
    as torchvision.ops.distance_box_iou_loss. Arguments and gradients as generalized_box_iou_loss.
    """
    return _box_iou("distance_box_iou_loss", boxes1, boxes2, reduction, eps, return_grad, grad_output, out, grad_out)


def complete_box_iou_loss(boxes1: ArrayLike, boxes2: ArrayLike, reduction: Reduction = 'none', eps: float = 1e-7,
                          *, return_grad: bool = False, grad_output: Optional[ArrayLike] = None,
                          out: Optional[np.ndarray] = None, grad_out: Optional[tuple] = None) -> LossResult:
    """The DIoU loss plus `alpha v`, v = (4/pi^2)(atan(w2/h2) - atan(w1/h1))^2, alpha =
    v / (1 - IoU + v + eps) held constant in the gradient, as torchvision.ops.complete_box_iou_loss:
    its IoU and DIoU term take eps = 1e-7 whatever `eps` (torchvision does not pass it on).
    atan(w/h) is atan2: a zero-height box has a finite gradient (torchvision's is NaN) and a point
    box the angle 0. Arguments as generalized_box_iou_loss.
    """
    return _box_iou("complete_box_iou_loss", boxes1, boxes2, reduction, eps, return_grad, grad_output, out, grad_out)


IOU_LOSS_TYPES = {"iou": _native.IOU_LOSS_TYPE_IOU, "linear_iou": _native.IOU_LOSS_TYPE_LINEAR_IOU,
                  "giou": _native.IOU_LOSS_TYPE_GIOU}


def iou_loss(pred: ArrayLike, target: ArrayLike, weight: Optional[ArrayLike] = None, loss_type: str = 'iou',
             reduction: Reduction = 'mean', *, return_grad: bool = False, grad_output: Optional[ArrayLike] = None,
             out: Optional[np.ndarray] = None, grad_out: Optional[np.ndarray] = None) -> LossResult:
    """FCOS's IOULoss(loss_type)(pred, target, weight): per row of distances (left, top, right,
    bottom) from a location to its box's sides, IoU = (I + 1) / (U + 1) with I the overlap's width
    times its height; 'iou' -> -log IoU, 'linear_iou' -> 1 - IoU, 'giou' -> 1 - GIoU.

    Args:
      pred, target: (N, 4) distances, finite and >= 0.
      weight: None or (N) finite weights >= 0. 'mean' is FCOS's weighted mean sum(w l) / sum(w)
        when the weights' sum is > 0 (else the plain mean: a weight of sum 0 is ignored);
        'none' returns w l per row, 'sum' sum(w l).
      loss_type: 'iou' (FCOS's default), 'linear_iou' or 'giou' (or the C selector 0, 1, 2).
    With return_grad=True: (value, grad_pred).
    """
    r = reduction_code(reduction)
    selector = loss_type if isinstance(loss_type, int) and not isinstance(loss_type, bool) else IOU_LOSS_TYPES.get(
        loss_type)
    if selector is None:
        raise ValueError(f"iou_loss: loss_type must be one of {sorted(IOU_LOSS_TYPES)}, got {loss_type!r}")
    arrays = [as_array(x) for x in (pred, target)]
    dtype = compute_dtype(*arrays)
    p, t = (tensor(x, dtype) for x in arrays)
    if p.shape != t.shape or p.ndim != 2 or p.shape[1] != 4:
        raise ValueError(f"iou_loss: pred {p.shape} and target {t.shape} must both be (N, 4)")
    n = p.shape[0]
    w = None if weight is None else tensor_like(weight, (n,), dtype, "weight")
    out_shape = (n,) if r == _native.REDUCTION_NONE else ()
    o = output(out, out_shape, dtype, "out")
    go = tensor_like(grad_output, out_shape, dtype, "grad_output")
    g = output(grad_out, p.shape, dtype, "grad_out") if (return_grad or grad_out is not None) else None
    if status := _KERNELS["iou_loss", dtype.char](pointer(p), pointer(t), pointer(w), n, int(selector), r, pointer(o),
                                                  pointer(g), pointer(go)):
        _native.raise_status(status)
    value = o if r == _native.REDUCTION_NONE else o[()]
    return (value, g) if return_grad else value


def sigmoid_dr_loss(logits: ArrayLike, targets: ArrayLike, pos_lambda: float = 1.0,
                    neg_lambda: float = 0.1 / math.log(3.5), L: float = 6.0, tau: float = 4.0, margin: float = 0.5,
                    reduction: Reduction = 'mean', *, return_grad: bool = False,
                    grad_output: Optional[ArrayLike] = None, out: Optional[np.ndarray] = None,
                    grad_out: Optional[np.ndarray] = None) -> LossResult:
    """The distributional ranking loss (Qian et al. 2020), as SigmoidDRLoss(pos_lambda, neg_lambda,
    L, tau) of idstcv/DR_loss with its margin 0.5: over every selected entry of the batch, the
    softmax(q / neg_lambda)-weighted mean `neg` of the negatives' probabilities q = sigmoid(logit)
    and the softmax(-q / pos_lambda)-weighted mean `pos` of the positives', then
    `tau * softplus(L * (neg - pos + margin)) / L` (pos = 0 without a positive).

    Args:
      logits: (N, C) per-class logits.
      targets: (N) integer labels, 0 background, 1..C a class, -1 ignored.
      pos_lambda, neg_lambda, L: finite and > 0; tau, margin: finite.
      reduction: the loss is one value for the whole batch (both softmaxes couple every entry):
        'mean' and 'sum' return it as a scalar, 'none' as a (1,) array.
    With return_grad=True: (value, grad_logits), 0 on ignored rows.
    """
    r = reduction_code(reduction)
    x = tensor(as_array(logits), compute_dtype(as_array(logits)))
    dtype = x.dtype
    if x.ndim != 2:
        raise ValueError(f"sigmoid_dr_loss: logits {x.shape} must be (N, C)")
    n, c = x.shape
    t = _labels("sigmoid_dr_loss", as_array(targets), (n,))
    out_shape = (1,) if r == _native.REDUCTION_NONE else ()
    o = output(out, out_shape, dtype, "out")
    go = tensor_like(grad_output, out_shape, dtype, "grad_output")
    g = output(grad_out, x.shape, dtype, "grad_out") if (return_grad or grad_out is not None) else None
    if status := _KERNELS["sigmoid_dr_loss", dtype.char](
            pointer(x), pointer(t), n, c, float(pos_lambda), float(neg_lambda), float(L), float(tau), float(margin), r,
            pointer(o), pointer(g), pointer(go)):
        _native.raise_status(status)
    value = o if r == _native.REDUCTION_NONE else o[()]
    return (value, g) if return_grad else value
