"""Image-quality losses (docs/image_quality.md), with pytorch_msssim's argument names, order and
defaults (data_range 1.0 here: images in [0, 1], as the losses are used for training).

Keyword-only extras as in regression.py. Both images are differentiable, so `return_grad=True`
returns `(value, (grad_x, grad_y))`, and `grad_out=` takes a pair of arrays (either may be None).
"""
import numpy as np

from . import _native
from ._arrays import as_array, compute_dtype, gradient_outputs, output, pointer, reduction_code, tensor, tensor_like
from ._typing import ArrayLike, LossResult, Optional, Reduction, Tuple

_KERNELS = _native.KERNELS


def _images(name, x, y):
    """x and y as arrays of one dtype and one (N, C, H, W) shape."""
    arrays = [as_array(v) for v in (x, y)]
    dtype = compute_dtype(*arrays)
    p, q = (tensor(v, dtype) for v in arrays)
    if p.ndim != 4 or p.shape != q.shape:
        raise ValueError(f"{name}: x {p.shape} and y {q.shape} must both be (N, C, H, W)")
    return p, q, dtype


def _window(name, win_size, K):
    if isinstance(win_size, bool) or not isinstance(win_size, (int, np.integer)):
        raise TypeError(f"{name}: win_size must be an integer, got {win_size!r}")
    if len(K) != 2:
        raise ValueError(f"{name}: K must be a pair (K1, K2), got {K!r}")
    return int(win_size), float(K[0]), float(K[1])


def ssim_loss(x: ArrayLike, y: ArrayLike, data_range: float = 1.0, win_size: int = 11, win_sigma: float = 1.5,
              K: Tuple[float, float] = (0.01, 0.03), reduction: Reduction = 'mean', *, return_grad: bool = False,
              grad_output: Optional[ArrayLike] = None, out: Optional[np.ndarray] = None,
              grad_out: Optional[tuple] = None) -> LossResult:
    """1 - SSIM per image, as `1 - pytorch_msssim.ssim(x, y, data_range, size_average, win_size,
    win_sigma, K=K)` (size_average=False for reduction='none').

    Args:
      x, y: (N, C, H, W) images, H and W at least win_size.
      data_range: finite, > 0 (the value range of the images: 1.0 or 255).
      win_size: odd, >= 1; win_sigma: finite, > 0 (the Gaussian window, built in the input's
        dtype: pytorch_msssim builds it in float32 for every dtype).
      K: (K1, K2), finite and > 0: C1 = (K1 data_range)^2, C2 = (K2 data_range)^2.
    reduction='none' gives one value per image (N,). With return_grad=True:
    (value, (grad_x, grad_y)), by the adjoint filtering.
    """
    r = reduction_code(reduction)
    p, q, dtype = _images("ssim_loss", x, y)
    w, k1, k2 = _window("ssim_loss", win_size, K)
    n, c, h, wd = p.shape
    out_shape = (n,) if r == _native.REDUCTION_NONE else ()
    o = output(out, out_shape, dtype, "out")
    go = tensor_like(grad_output, out_shape, dtype, "grad_output")
    grads = gradient_outputs("ssim_loss", grad_out, (p.shape, q.shape), dtype, return_grad, ("grad_x", "grad_y"))
    if status := _KERNELS["ssim_loss", dtype.char](
            pointer(p), pointer(q), n, c, h, wd, float(data_range), w, float(win_sigma), k1, k2, r, pointer(o),
            *(pointer(g) for g in grads), pointer(go)):
        _native.raise_status(status)
    value = o if r == _native.REDUCTION_NONE else o[()]
    return (value, tuple(grads)) if return_grad else value


def ms_ssim_loss(x: ArrayLike, y: ArrayLike, data_range: float = 1.0, win_size: int = 11, win_sigma: float = 1.5,
                 weights: Optional[ArrayLike] = None, K: Tuple[float, float] = (0.01, 0.03),
                 reduction: Reduction = 'mean', *, return_grad: bool = False, grad_output: Optional[ArrayLike] = None,
                 out: Optional[np.ndarray] = None, grad_out: Optional[tuple] = None) -> LossResult:
    """1 - MS-SSIM per image, as `1 - pytorch_msssim.ms_ssim(x, y, data_range, size_average,
    win_size, win_sigma, weights, K=K)`.

    Args:
      x, y: (N, C, H, W) images; min(H, W) > (win_size - 1) * 16 (four 2x2 downsamplings).
      data_range, win_size, win_sigma, K: as ssim_loss.
      weights: one finite weight per level (None: pytorch_msssim's five, 0.0448, 0.2856, 0.3001,
        0.2363, 0.1333).
    reduction='none' gives one value per image (N,). With return_grad=True:
    (value, (grad_x, grad_y)), back through the pyramid.
    """
    r = reduction_code(reduction)
    p, q, dtype = _images("ms_ssim_loss", x, y)
    w, k1, k2 = _window("ms_ssim_loss", win_size, K)
    levels = None if weights is None else np.ascontiguousarray(np.asarray(weights, dtype=np.float64).reshape(-1))
    n, c, h, wd = p.shape
    out_shape = (n,) if r == _native.REDUCTION_NONE else ()
    o = output(out, out_shape, dtype, "out")
    go = tensor_like(grad_output, out_shape, dtype, "grad_output")
    grads = gradient_outputs("ms_ssim_loss", grad_out, (p.shape, q.shape), dtype, return_grad, ("grad_x", "grad_y"))
    if status := _KERNELS["ms_ssim_loss", dtype.char](
            pointer(p), pointer(q), n, c, h, wd, float(data_range), w, float(win_sigma), pointer(levels),
            0 if levels is None else levels.size, k1, k2, r, pointer(o), *(pointer(g) for g in grads), pointer(go)):
        _native.raise_status(status)
    value = o if r == _native.REDUCTION_NONE else o[()]
    return (value, tuple(grads)) if return_grad else value
