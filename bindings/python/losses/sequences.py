"""Sequence losses (docs/sequences.md): CTC, as torch.nn.functional.ctc_loss, with its argument
names, order and defaults. Keyword-only extras as in regression.py."""
import numpy as np

from . import _native
from ._arrays import as_array, compute_dtype, flag, integer, outputs, pointer, reduction_code, result, tensor
from ._typing import ArrayLike, LossResult, Optional, Reduction
from .classification import _labels

_KERNELS = _native.KERNELS


def _lengths(values, what, n):
    """input_lengths or target_lengths: n integers (a tuple, list or array; a scalar when unbatched)."""
    y = as_array(values)
    if y.dtype.kind not in "iu":
        raise TypeError(f"ctc_loss: {what} must be integers, got dtype {y.dtype}")
    return _labels("ctc_loss", y.reshape(-1) if y.size == n else y, (n,))


def ctc_loss(log_probs: ArrayLike, targets: ArrayLike, input_lengths: ArrayLike, target_lengths: ArrayLike,
             blank: int = 0, reduction: Reduction = 'mean', zero_infinity: bool = False, *,
             return_grad: bool = False, grad_output: Optional[ArrayLike] = None, out: Optional[np.ndarray] = None,
             grad_out: Optional[np.ndarray] = None) -> LossResult:
    """Connectionist temporal classification loss, as torch.nn.functional.ctc_loss.

    Args:
      log_probs: (T, N, C) log-probabilities (normally log_softmax over C), or (T, C) unbatched.
      targets: (N, S) padded, sample b's labels the first target_lengths[b] of row b; or 1-D, the
        targets concatenated (sum(target_lengths) labels). Labels in [0, C) and != blank.
      input_lengths, target_lengths: N integers each (scalars when unbatched); input lengths in
        [0, T], target lengths in [0, S] when padded.
      blank: the blank class, in [0, C). zero_infinity: an infinite loss (an impossible
        alignment) and its gradient become 0.
      reduction: 'mean' (the batch mean of each loss divided by its target length clamped to
        >= 1), 'sum' or 'none' ((N,) values; a scalar when unbatched).
    Returns:
      The loss, or (loss, grad_log_probs) with return_grad=True. The gradient is the true partial
      derivative w.r.t. log_probs, -gamma (the posterior of class k at frame t), 0 in the frames
      past a sample's input length; torch's kernel returns exp(log_probs) - gamma, which is the
      same after log_softmax's backward. An infinite loss without zero_infinity has NaN gradient
      rows (t < input length), as torch. Computed in float64 whatever the dtype.
    """
    r = reduction_code(reduction)
    x = as_array(log_probs)
    dtype = compute_dtype(x)
    x = tensor(x, dtype)
    unbatched = x.ndim == 2
    if x.ndim not in (2, 3):
        raise ValueError(f"ctc_loss: log_probs must be (T, N, C) or (T, C), got shape {x.shape}")
    lp = x[:, None, :] if unbatched else x  # a view: x is C-contiguous
    t, n, c = lp.shape
    y = as_array(targets)
    if y.dtype.kind not in "iu":
        raise TypeError(f"ctc_loss: targets must be integers, got dtype {y.dtype}")
    inputs = _lengths(input_lengths, "input_lengths", n)
    lengths = _lengths(target_lengths, "target_lengths", n)
    if y.ndim == 2 and not unbatched:
        if y.shape[0] != n:
            raise ValueError(f"ctc_loss: padded targets {y.shape} must have N = {n} rows")
        s = y.shape[1]
    elif y.ndim == 1:
        s = 0  # concatenated; the library reads sum(target_lengths) labels, checked here
        if y.shape[0] != int(lengths.sum()):
            raise ValueError(f"ctc_loss: concatenated targets hold {y.shape[0]} labels, target_lengths sum to "
                             f"{int(lengths.sum())}")
    else:
        raise ValueError(f"ctc_loss: targets must be (N, S) or 1-D (concatenated), got shape {y.shape}")
    labels = _labels("ctc_loss", y, y.shape)
    blank = integer(blank, "blank")
    zi = flag(zero_infinity, "zero_infinity")
    o, g, go = outputs(x.shape, () if unbatched else (n,), dtype, r, return_grad, grad_output, out, grad_out)
    gv = None if g is None else (g[:, None, :] if unbatched else g)
    if status := _KERNELS["ctc_loss", dtype.char](
            pointer(lp), pointer(labels), pointer(inputs), pointer(lengths), t, n, c, s, blank, zi, r, pointer(o),
            pointer(gv), pointer(go)):
        _native.raise_status(status)
    return result(o, g, r, return_grad)
