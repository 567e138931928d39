"""Re-identification losses with caller-owned state (docs/metric_learning.md,
"Re-identification"): each loss reads tables the caller keeps between steps (center loss's
centres; OIM's lookup table and queue), and its update function writes them in place.

The losses take return_grad, grad_output, out and grad_out as the others do (grad_out a tuple
with one array or None per differentiable input). An update writes the caller's table, which
must therefore be a writeable, aligned, C-contiguous float32 or float64 ndarray: it is never
converted (a converted copy would leave the caller's table unchanged); the features are
converted to its dtype. A failed update leaves the table untouched.
"""
import numpy as np

from . import _native
from ._arrays import (F32, F64, as_array, compute_dtype, gradient_outputs, integer, output, pointer,
                      reduction_code, tensor, tensor_like)
from ._typing import ArrayLike, LossResult, Optional, Reduction
from .classification import _labels

_KERNELS = _native.KERNELS


def _features_and_labels(name, features, labels, dtype):
    """features (N, D) in `dtype` and int64 labels (N)."""
    x = tensor(as_array(features), dtype)
    if x.ndim != 2:
        raise ValueError(f"{name}: features must be (N, D), got shape {x.shape}")
    y = as_array(labels)
    if y.dtype.kind not in "iu":
        raise TypeError(f"{name}: labels must be integers, got dtype {y.dtype}")
    return x, _labels(name, y, (x.shape[0],))


def _table(name, array, width, dtype):
    """A (rows, width) table the library reads, in `dtype`."""
    t = tensor(as_array(array), dtype)
    if t.ndim != 2 or t.shape[1] != width:
        raise ValueError(f"{name} must be (rows, {width}), got shape {t.shape}")
    return t


def _state(name, array, width):
    """A table an update writes in place: the caller's own array, never a copy."""
    if not isinstance(array, np.ndarray) or array.dtype not in (F32, F64):
        raise TypeError(f"{name} must be a float32 or float64 numpy.ndarray (updated in place), "
                        f"got {getattr(array, 'dtype', type(array).__name__)}")
    return output(array, (array.shape[0] if array.ndim == 2 else -1, width), array.dtype, name)


def center_loss(features: ArrayLike, labels: ArrayLike, centers: ArrayLike, reduction: Reduction = 'mean', *,
                return_grad: bool = False, grad_output: Optional[ArrayLike] = None, out: Optional[np.ndarray] = None,
                grad_out: Optional[tuple] = None) -> LossResult:
    """Center loss (Wen et al. 2016): clamp(||x_i - centers[y_i]||^2, 1e-12, 1e12) per sample.

    Args:
      features: (N, D); labels: (N) integers in [0, C); centers: (C, D).
    The squared distance is summed directly (no cancelling expansion) and has no 1/2 factor (Wen
    et al. write 1/2 ||x - c||^2: halve your weight λ to match theirs); the gradient is 0 where
    the clamp bites. With return_grad=True: (value, (grad_features, grad_centers)). When the
    centres move by center_loss_update rather than by their gradient (the paper's rule), pass
    grad_out=(array_or_None, None) without return_grad: only the features' gradient is computed.
    """
    r = reduction_code(reduction)
    f, c = as_array(features), as_array(centers)
    dtype = compute_dtype(f, c)
    x, y = _features_and_labels("center_loss", f, labels, dtype)
    table = _table("center_loss: centers", c, x.shape[1], dtype)
    out_shape = y.shape if r == _native.REDUCTION_NONE else ()
    o = output(out, out_shape, dtype, "out")
    go = tensor_like(grad_output, out_shape, dtype, "grad_output")
    g_features, g_centers = gradient_outputs("center_loss", grad_out, (x.shape, table.shape), dtype, return_grad,
                                             ("grad_features", "grad_centers"))
    if status := _KERNELS["center_loss", dtype.char](
            pointer(x), pointer(y), pointer(table), x.shape[0], x.shape[1], table.shape[0], r, pointer(o),
            pointer(g_features), pointer(g_centers), pointer(go)):
        _native.raise_status(status)
    value = o if r == _native.REDUCTION_NONE else o[()]
    return (value, (g_features, g_centers)) if return_grad else value


def center_loss_update(features: ArrayLike, labels: ArrayLike, centers: np.ndarray, alpha: float = 0.5) -> np.ndarray:
    """The centre update of center loss, in place: every centre j with samples moves by
    -alpha * sum_{y_i = j} (c_j - x_i) / (1 + n_j), all from their values before the call.

    Args:
      features: (N, D); labels: (N) integers in [0, C); centers: (C, D) float32 or float64
        ndarray, writeable and C-contiguous, updated in place; alpha: in [0, 1].
    Returns `centers`.
    """
    if not isinstance(centers, np.ndarray) or centers.ndim != 2:
        raise TypeError("center_loss_update: centers must be a (C, D) numpy.ndarray (updated in place)")
    table = _state("center_loss_update: centers", centers, centers.shape[1])
    x, y = _features_and_labels("center_loss_update", features, labels, table.dtype)
    if x.shape[1] != table.shape[1]:
        raise ValueError(f"center_loss_update: features {x.shape} and centers {table.shape} differ in width")
    if status := _KERNELS["center_loss_update", table.dtype.char](
            pointer(x), pointer(y), pointer(table), x.shape[0], x.shape[1], table.shape[0], float(alpha)):
        _native.raise_status(status)
    return centers


def oim_loss(features: ArrayLike, targets: ArrayLike, lut: ArrayLike, queue: ArrayLike, scalar: float = 30.0,
             ignore_index: int = -1, reduction: Reduction = 'mean', *, return_grad: bool = False,
             grad_output: Optional[ArrayLike] = None, out: Optional[np.ndarray] = None,
             grad_out: Optional[np.ndarray] = None) -> LossResult:
    """OIM loss (Xiao et al. 2017): cross entropy of scalar * features @ [lut; queue].T with
    targets in [0, L) (ignore_index marks unlabelled samples: loss 0, left out of the mean).

    Args:
      features: (N, D), L2-normalised by the caller; targets: (N) integers; lut: (L, D) lookup
        table of the labelled identities; queue: (Q, D) circular queue of unlabelled features.
      scalar: finite; the inverse temperature of the logits.
    With return_grad=True: (value, grad_features) (the tables are not learned by gradient).
    """
    r = reduction_code(reduction)
    f, table, cq = as_array(features), as_array(lut), as_array(queue)
    dtype = compute_dtype(f, table, cq)
    x, y = _features_and_labels("oim_loss", f, targets, dtype)
    table = _table("oim_loss: lut", table, x.shape[1], dtype)
    cq = _table("oim_loss: queue", cq, x.shape[1], dtype)
    out_shape = y.shape if r == _native.REDUCTION_NONE else ()
    o = output(out, out_shape, dtype, "out")
    go = tensor_like(grad_output, out_shape, dtype, "grad_output")
    g = output(grad_out, x.shape, dtype, "grad_out") if return_grad or grad_out is not None else None
    if status := _KERNELS["oim_loss", dtype.char](
            pointer(x), pointer(y), pointer(table), pointer(cq), x.shape[0], x.shape[1], table.shape[0], cq.shape[0],
            float(scalar), integer(ignore_index, "oim_loss: ignore_index"), r, pointer(o), pointer(g), pointer(go)):
        _native.raise_status(status)
    value = o if r == _native.REDUCTION_NONE else o[()]
    return (value, g) if return_grad else value


def oim_update(features: ArrayLike, targets: ArrayLike, lut: np.ndarray, queue: np.ndarray, queue_head: int,
               momentum: float = 0.5, ignore_index: int = -1) -> int:
    """The table update of OIM, in place, sample by sample: a labelled sample (target y) sets
    lut[y] = normalise(momentum * lut[y] + (1 - momentum) * x) (a zero vector stays zero); an
    unlabelled one (target == ignore_index) is written to queue[head], and head advances modulo Q.

    Args:
      features: (N, D); targets: (N) integers in [0, L) or ignore_index; lut: (L, D) and queue:
        (Q, D), float ndarrays of one dtype, writeable and C-contiguous, updated in place;
      queue_head: in [0, Q) (0 when Q = 0; an unlabelled sample with Q = 0 is an error);
      momentum: in [0, 1].
    Returns the head after the update.
    """
    if not isinstance(lut, np.ndarray) or lut.ndim != 2:
        raise TypeError("oim_update: lut must be an (L, D) numpy.ndarray (updated in place)")
    table = _state("oim_update: lut", lut, lut.shape[1])
    if not isinstance(queue, np.ndarray) or queue.ndim != 2 or queue.dtype != table.dtype:
        raise TypeError(f"oim_update: queue must be a (Q, D) numpy.ndarray of lut's dtype {table.dtype} "
                        "(updated in place)")
    cq = _state("oim_update: queue", queue, table.shape[1])
    x, y = _features_and_labels("oim_update", features, targets, table.dtype)
    if x.shape[1] != table.shape[1]:
        raise ValueError(f"oim_update: features {x.shape} and lut {table.shape} differ in width")
    head = np.full(1, -1, np.int64)
    if status := _KERNELS["oim_update", table.dtype.char](
            pointer(x), pointer(y), pointer(table), pointer(cq), x.shape[0], x.shape[1], table.shape[0], cq.shape[0],
            integer(queue_head, "oim_update: queue_head"), float(momentum),
            integer(ignore_index, "oim_update: ignore_index"), head.ctypes.data):
        _native.raise_status(status)
    return int(head[0])
