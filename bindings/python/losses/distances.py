"""Distances and similarities between rows, with PyTorch's names, argument order and defaults:
the building blocks of the metric-learning losses. See docs/primitives.md.

Keyword-only extras as in regression.py, with one difference: these functions have two
differentiable inputs, so `return_grad=True` returns `(value, (grad_x1, grad_x2))`, and
`grad_out=` takes a pair of arrays (either may be None). `reduction` defaults to 'none', which is
PyTorch's per-row output; 'mean' and 'sum' reduce over every pair.
"""
import numpy as np

from . import _native
from ._typing import ArrayLike, LossResult, Optional, Reduction
from ._arrays import as_array, compute_dtype, gradient_outputs, output, pointer, reduction_code, tensor, tensor_like

_KERNELS = _native.KERNELS


def _rows(name, x1, x2, matrix):
    """x1 and x2 as C-contiguous rows of one dtype: (n, d) each, or one row (d) each for the
    row-wise form; (n, d) and (m, d) for the matrix form."""
    a, b = as_array(x1), as_array(x2)
    dtype = compute_dtype(a, b)
    a, b = tensor(a, dtype), tensor(b, dtype)
    if matrix:
        if a.ndim != 2 or b.ndim != 2 or a.shape[1] != b.shape[1]:
            raise ValueError(f"{name}: x1 and x2 must be (N, D) and (M, D), got {a.shape} and {b.shape}")
        return a, b, dtype, (a.shape[0], b.shape[0], a.shape[1]), (a.shape[0], b.shape[0])
    if a.shape != b.shape or a.ndim not in (1, 2):
        raise ValueError(f"{name}: x1 and x2 must both be (N, D) or both (D), got {a.shape} and {b.shape}")
    n, d = (1, a.shape[0]) if a.ndim == 1 else a.shape
    return a, b, dtype, (n, d), (a.shape[0],) if a.ndim == 2 else ()


def _call(name, x1, x2, parameters, reduction, keepdim, return_grad, grad_output, out, grad_out, matrix=False):
    r = reduction_code(reduction)
    a, b, dtype, sizes, pair_shape = _rows(name, x1, x2, matrix)
    out_shape = pair_shape if r == _native.REDUCTION_NONE else ()
    o = output(out, out_shape, dtype, "out")
    go = tensor_like(grad_output, out_shape, dtype, "grad_output")
    g1, g2 = gradient_outputs(name, grad_out, (a.shape, b.shape), dtype, return_grad, ("grad_x1", "grad_x2"))
    if status := _KERNELS[name, dtype.char](
            pointer(a), pointer(b), *sizes, *parameters, r, pointer(o), pointer(g1), pointer(g2), pointer(go)):
        _native.raise_status(status)
    value = o if r == _native.REDUCTION_NONE else o[()]
    if keepdim and r == _native.REDUCTION_NONE and not matrix:
        value = value.reshape(pair_shape + (1,))
    return (value, (g1, g2)) if return_grad else value


def pairwise_distance(x1: ArrayLike, x2: ArrayLike, p: float = 2.0, eps: float = 1e-06,
                      keepdim: bool = False, reduction: Reduction = 'none', *, return_grad: bool = False,
                      grad_output: Optional[ArrayLike] = None, out: Optional[np.ndarray] = None,
                      grad_out: Optional[np.ndarray] = None) -> LossResult:
    """`‖x1 - x2 + eps‖_p` of each pair of rows, as torch.nn.functional.pairwise_distance.

    Args:
      x1, x2: (N, D) rows, or one (D) row each.
      p: the norm's degree, finite and >= 0 (0 counts the non-zero differences).
      eps: added to the difference, as PyTorch does.
      keepdim: an (N, 1) result instead of (N).
    The gradient w.r.t. x1 is sign(v)·(|v|/dist)^(p-1) with v = x1 - x2 + eps, its negative
    w.r.t. x2, and 0 at zero distance.
    """
    return _call("pairwise_distance", x1, x2, (float(p), float(eps)), reduction, keepdim, return_grad,
                 grad_output, out, grad_out)


def cosine_similarity(x1: ArrayLike, x2: ArrayLike, dim: int = 1, eps: float = 1e-08,
                      reduction: Reduction = 'none', *, return_grad: bool = False,
                      grad_output: Optional[ArrayLike] = None, out: Optional[np.ndarray] = None,
                      grad_out: Optional[np.ndarray] = None) -> LossResult:
    """`Σ (x1/max(‖x1‖, eps))·(x2/max(‖x2‖, eps))` of each pair of rows, as
    torch.nn.functional.cosine_similarity over the last axis (`dim` must name it).

    eps must be finite and > 0. The gradient is PyTorch autograd's, also where a norm is below
    eps (the clamp does not enter the gradient there, as in PyTorch).
    """
    a = as_array(x1)
    if isinstance(dim, bool) or not isinstance(dim, int) or dim not in (a.ndim - 1, -1):
        raise ValueError(f"cosine_similarity: only the last axis (dim={a.ndim - 1} or -1) is supported, got {dim}")
    return _call("cosine_similarity", x1, x2, (float(eps),), reduction, False, return_grad, grad_output, out,
                 grad_out)


def pairwise_distance_matrix(x1: ArrayLike, x2: ArrayLike, p: float = 2.0, eps: float = 1e-06,
                             reduction: Reduction = 'none', *, return_grad: bool = False,
                             grad_output: Optional[ArrayLike] = None, out: Optional[np.ndarray] = None,
                             grad_out: Optional[np.ndarray] = None) -> LossResult:
    """The (N, M) matrix of pairwise_distance between every row of x1 (N, D) and every row of
    x2 (M, D): PyTorch's `pairwise_distance(x1[:, None], x2[None], p, eps)`."""
    return _call("pairwise_distance_matrix", x1, x2, (float(p), float(eps)), reduction, False, return_grad,
                 grad_output, out, grad_out, matrix=True)


def cosine_similarity_matrix(x1: ArrayLike, x2: ArrayLike, eps: float = 1e-08, reduction: Reduction = 'none',
                             *, return_grad: bool = False, grad_output: Optional[ArrayLike] = None,
                             out: Optional[np.ndarray] = None, grad_out: Optional[np.ndarray] = None) -> LossResult:
    """The (N, M) matrix of cosine_similarity between every row of x1 (N, D) and every row of
    x2 (M, D): PyTorch's `cosine_similarity(x1[:, None], x2[None], dim=-1, eps=eps)`."""
    return _call("cosine_similarity_matrix", x1, x2, (float(eps),), reduction, False, return_grad, grad_output,
                 out, grad_out, matrix=True)
