"""Distribution losses (docs/distributions.md): divergences (kl_div, kl_divergence, js_divergence)
and the Wasserstein GAN losses (wgan_critic_loss, wgan_generator_loss, gradient_penalty).

Keyword-only extras as in regression.py. A function of two differentiable inputs returns
`(value, (grad_first, grad_second))` with `return_grad=True`, and its `grad_out=` takes a pair of
arrays (either may be None), as the metric-learning losses do.
"""
import numpy as np

from . import _native
from ._arrays import (REDUCTIONS, as_array, compute_dtype, data_pointer, flag, gradient_outputs, output, pointer,
                      reduction_code, result, target_gradient, tensor, tensor_like, with_target_gradient)
from ._typing import ArrayLike, LossResult, Optional, Reduction

_KERNELS = _native.KERNELS


def _reduction(name, reduction, allowed=("none", "mean", "sum")):
    if isinstance(reduction, str) and reduction in allowed:
        return REDUCTIONS[reduction]
    raise ValueError(f"{reduction} is not a valid value for reduction")


def _pair(name, first, second, first_name, second_name):
    arrays = [as_array(v) for v in (first, second)]
    dtype = compute_dtype(*arrays)
    a, b = (tensor(v, dtype) for v in arrays)
    if a.shape != b.shape:
        raise ValueError(f"{name}: {first_name} {a.shape} and {second_name} {b.shape} must have one shape")
    return a, b, dtype


def kl_div(input: ArrayLike, target: ArrayLike, size_average: Optional[bool] = None, reduce: Optional[bool] = None,
           reduction: str = 'mean', log_target: bool = False, *, return_grad: bool = False,
           return_target_grad: bool = False, grad_output: Optional[ArrayLike] = None, out: Optional[np.ndarray] = None,
           grad_out: Optional[np.ndarray] = None) -> LossResult:
    """torch.nn.functional.kl_div: elementwise `t (log t - x)` (`xlogy(t, t) - t x`, so 0 where
    t = 0), or `exp(t) (t - x)` with log_target=True; input holds log-probabilities.

    reduction: 'none' (shaped like input), 'mean' (over every element, as PyTorch's 'mean', which
    is not the mathematical KL divergence), 'batchmean' (the sum over input.shape[0]: the KL
    divergence per sample; a 0-d input is summed, as PyTorch) or 'sum'. return_grad gives
    grad_input; return_target_grad the gradient w.r.t. target (log t + 1 - x, and 0 where t = 0,
    where PyTorch's is NaN).
    """
    batchmean = reduction == 'batchmean' and size_average is None and reduce is None
    r = _native.REDUCTION_MEAN if batchmean else reduction_code(reduction, size_average, reduce)
    x, y, dtype = _pair("kl_div", input, target, "input", "target")
    if x.ndim == 0 and batchmean:  # PyTorch sums a 0-d input for 'batchmean'
        batchmean, r = False, _native.REDUCTION_SUM
    n = x.shape[0] if x.ndim else 1
    d = x.size // n if n else int(np.prod(x.shape[1:], dtype=np.int64))
    lt = flag(log_target, "log_target")
    out_shape = x.shape if r == _native.REDUCTION_NONE else ()
    o = output(out, out_shape, dtype, "out")
    go = tensor_like(grad_output, out_shape, dtype, "grad_output")
    g = output(grad_out, x.shape, dtype, "grad_out") if return_grad or grad_out is not None else None
    if status := _KERNELS["kl_div", dtype.char](
            data_pointer(x), data_pointer(y), n, d, lt, int(batchmean), r, data_pointer(o), pointer(g), pointer(go)):
        _native.raise_status(status)
    if return_target_grad:
        gt = target_gradient("kl_div", (data_pointer(x), data_pointer(y), n, d, lt, int(batchmean)), r,
                             y.shape, dtype, go)
        return with_target_gradient(result(o, g, r, return_grad), gt, return_grad)
    return result(o, g, r, return_grad)


def _divergence(name, p, q, axis, reduction, return_grad, grad_output, out, grad_out):
    r = _reduction(name, reduction)
    a, b, dtype = _pair(name, p, q, "p", "q")
    if a.ndim == 0:
        raise ValueError(f"{name}: p and q must have at least one dimension (the distributions' axis)")
    if not isinstance(axis, (int, np.integer)) or isinstance(axis, bool) or not -a.ndim <= axis < a.ndim:
        raise ValueError(f"{name}: axis {axis!r} is out of range for {a.ndim} dimensions")
    axis = int(axis) % a.ndim
    moved = axis != a.ndim - 1
    if moved:
        if grad_out is not None:
            raise ValueError(f"{name}: grad_out needs the distributions on the last axis (axis=-1)")
        a, b = (np.ascontiguousarray(np.moveaxis(v, axis, -1)) for v in (a, b))
    d = a.shape[-1]
    batch_shape = a.shape[:-1]
    n = int(np.prod(batch_shape, dtype=np.int64))
    out_shape = batch_shape if r == _native.REDUCTION_NONE else ()
    o = output(out, out_shape, dtype, "out")
    go = tensor_like(grad_output, out_shape, dtype, "grad_output")
    grads = gradient_outputs(name, grad_out, (a.shape, b.shape), dtype, return_grad, ("grad_p", "grad_q"))
    if status := _KERNELS[name, dtype.char](
            data_pointer(a), data_pointer(b), n, d, r, data_pointer(o), *(pointer(g) for g in grads), pointer(go)):
        _native.raise_status(status)
    value = o if r == _native.REDUCTION_NONE else o[()]
    if not return_grad:
        return value
    if moved:
        grads = [np.moveaxis(g, -1, axis) for g in grads]
    return value, tuple(grads)


def kl_divergence(p: ArrayLike, q: ArrayLike, axis: int = -1, reduction: Reduction = 'none', *,
                  return_grad: bool = False, grad_output: Optional[ArrayLike] = None,
                  out: Optional[np.ndarray] = None, grad_out: Optional[tuple] = None) -> LossResult:
    """KL(p || q) = sum p log(p / q) along `axis`, with 0 log 0 = 0: scipy.special.rel_entr(p, q)
    summed, which is scipy.stats.entropy(p, q, axis=axis) when p and q sum to 1 along the axis.
    Unlike scipy.stats.entropy, p and q are NOT normalised: unnormalised inputs give the plain
    sum (rel_entr's), not the divergence of the normalised distributions.

    p and q have one shape (no broadcasting). q = 0 where p > 0 gives inf (its gradient -inf
    w.r.t. q). reduction='none' (the default, as scipy) gives one value per distribution (the
    shape without `axis`); 'mean' and 'sum' reduce over them. With return_grad=True:
    (value, (grad_p, grad_q)), grad_q = -p/q (0 where p = 0), grad_p = log(p/q) + 1 (0 where p = 0).
    """
    return _divergence("kl_divergence", p, q, axis, reduction, return_grad, grad_output, out, grad_out)


def js_divergence(p: ArrayLike, q: ArrayLike, axis: int = -1, reduction: Reduction = 'none', *,
                  return_grad: bool = False, grad_output: Optional[ArrayLike] = None,
                  out: Optional[np.ndarray] = None, grad_out: Optional[tuple] = None) -> LossResult:
    """The Jensen-Shannon divergence (natural log) along `axis`: 1/2 KL(p || m) + 1/2 KL(q || m),
    m = (p + q)/2; scipy.spatial.distance.jensenshannon(p, q, axis=axis)**2 when p and q sum to 1
    (scipy normalises them; this function does not). Finite wherever the entries are >= 0.
    With return_grad=True: (value, (grad_p, grad_q)), grad_p = 1/2 log(p/m), -1/2 where p = 0 < q
    and 0 where p = q = 0 (finite; see docs/distributions.md), and symmetrically for q.
    """
    return _divergence("js_divergence", p, q, axis, reduction, return_grad, grad_output, out, grad_out)


def wgan_critic_loss(real_scores: ArrayLike, fake_scores: ArrayLike, reduction: Reduction = 'mean', *,
                     return_grad: bool = False, grad_output: Optional[ArrayLike] = None,
                     out: Optional[np.ndarray] = None, grad_out: Optional[tuple] = None) -> LossResult:
    """The WGAN critic's loss, mean(fake_scores) - mean(real_scores) (reduction='sum': the
    difference of the sums). A real and a fake score form no pair, so 'none' returns the same one
    value as 'mean'. An empty batch has a NaN mean (PyTorch's mean of nothing). Scores of any
    shape are flattened. With return_grad=True: (value, (grad_real, grad_fake)), -1/N and 1/M.
    """
    r = _reduction("wgan_critic_loss", reduction)
    arrays = [as_array(v) for v in (real_scores, fake_scores)]
    dtype = compute_dtype(*arrays)
    real, fake = (tensor(v, dtype) for v in arrays)
    o = output(out, (), dtype, "out")
    go = tensor_like(grad_output, (), dtype, "grad_output")
    grads = gradient_outputs("wgan_critic_loss", grad_out, (real.shape, fake.shape), dtype, return_grad,
                             ("grad_real_scores", "grad_fake_scores"))
    if status := _KERNELS["wgan_critic_loss", dtype.char](
            data_pointer(real), data_pointer(fake), real.size, fake.size, r, data_pointer(o),
            *(pointer(g) for g in grads), pointer(go)):
        _native.raise_status(status)
    return (o[()], tuple(grads)) if return_grad else o[()]


def wgan_generator_loss(fake_scores: ArrayLike, reduction: Reduction = 'mean', *, return_grad: bool = False,
                        grad_output: Optional[ArrayLike] = None, out: Optional[np.ndarray] = None,
                        grad_out: Optional[np.ndarray] = None) -> LossResult:
    """The WGAN generator's loss, -mean(fake_scores); 'none' gives -fake_scores, 'sum' their sum.
    With return_grad=True: (value, grad_fake_scores), -1/M each for the mean."""
    r = _reduction("wgan_generator_loss", reduction)
    fake = tensor(as_array(fake_scores), compute_dtype(as_array(fake_scores)))
    dtype = fake.dtype
    out_shape = fake.shape if r == _native.REDUCTION_NONE else ()
    o = output(out, out_shape, dtype, "out")
    go = tensor_like(grad_output, out_shape, dtype, "grad_output")
    g = output(grad_out, fake.shape, dtype, "grad_out") if return_grad or grad_out is not None else None
    if status := _KERNELS["wgan_generator_loss", dtype.char](
            data_pointer(fake), fake.size, r, data_pointer(o), pointer(g), pointer(go)):
        _native.raise_status(status)
    return result(o, g, r, return_grad)


def gradient_penalty(gradients: ArrayLike, weight: float = 10.0, reduction: Reduction = 'mean', *,
                     return_grad: bool = False, grad_output: Optional[ArrayLike] = None,
                     out: Optional[np.ndarray] = None, grad_out: Optional[np.ndarray] = None) -> LossResult:
    """WGAN-GP's gradient penalty, weight * mean_i (||g_i||_2 - 1)^2 over the N rows of
    `gradients` (N, ...), each row (every non-batch dimension) flattened before its norm, as the
    paper's code does. weight: finite, >= 0. 'none' gives the N values weight (||g_i|| - 1)^2.
    With return_grad=True: (value, grad), 2 weight (||g_i|| - 1) g_i / ||g_i|| per row (over N for
    the mean), and 0 for a zero row, as PyTorch's autograd of (g.norm(2, dim=1) - 1)**2.
    """
    r = _reduction("gradient_penalty", reduction)
    g_in = as_array(gradients)
    x = tensor(g_in, compute_dtype(g_in))
    dtype = x.dtype
    if x.ndim == 0:
        raise ValueError("gradient_penalty: gradients must be (N, ...), one row per sample")
    n = x.shape[0]
    d = int(np.prod(x.shape[1:], dtype=np.int64))
    out_shape = (n,) if r == _native.REDUCTION_NONE else ()
    o = output(out, out_shape, dtype, "out")
    go = tensor_like(grad_output, out_shape, dtype, "grad_output")
    g = output(grad_out, x.shape, dtype, "grad_out") if return_grad or grad_out is not None else None
    if status := _KERNELS["gradient_penalty", dtype.char](
            data_pointer(x), n, d, float(weight), r, data_pointer(o), pointer(g), pointer(go)):
        _native.raise_status(status)
    return result(o, g, r, return_grad)
