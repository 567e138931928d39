"""linear_cross_entropy (docs/classification.md): cross entropy of the logits of a linear layer,
as torch.nn.functional.linear_cross_entropy, with class-index targets; the N x C logits are never
held beyond a block of rows. The keyword-only extras are those described in regression.py."""
import numpy as np

from . import _native
from ._arrays import (as_array, compute_dtype, gradient_outputs, integer, output, pointer, reduction_code, tensor,
                      tensor_like)
from ._typing import ArrayLike, LossResult, Optional, Reduction
from .classification import _labels

_KERNELS = _native.KERNELS


def linear_cross_entropy(input: ArrayLike, linear_weight: ArrayLike, target: ArrayLike, *,
                         linear_bias: Optional[ArrayLike] = None, weight: Optional[ArrayLike] = None,
                         reduction: Reduction = 'mean', ignore_index: Optional[int] = None,
                         label_smoothing: float = 0.0, options: object = None, return_grad: bool = False,
                         grad_output: Optional[ArrayLike] = None, out: Optional[np.ndarray] = None,
                         grad_out: Optional[tuple] = None) -> LossResult:
    """Cross entropy of `input @ linear_weight.T + linear_bias` against class indices, as
    torch.nn.functional.linear_cross_entropy.

    Args:
      input: (N, in_features), or one unbatched row (in_features) (then target is 0-d).
      linear_weight: (C, in_features). PyTorch's K-dimensional form, (C, d1, ..., dK, in_features),
        is not provided (ValueError).
      target: integer class indices (N) or (), each in [0, C) or equal to ignore_index.
        Probability targets are not provided (TypeError).
      linear_bias: optional (C). weight: optional (C) class weights.
      reduction: 'none' | 'mean' | 'sum'; 'mean' divides by the summed weights of the kept targets
        (NaN when every target is ignored), as cross_entropy.
      ignore_index: None (PyTorch's default) means -100.
      label_smoothing: in [0, 1].
      options: PyTorch's chunking options; accepted and ignored: liblosses always works by blocks
        of rows and never holds the N x C logits.
    Returns:
      The loss, or (loss, grads) with return_grad=True: grads is (grad_input, grad_linear_weight),
      plus grad_linear_bias when linear_bias is given. grad_out takes a tuple of as many arrays,
      any of which may be None.
    """
    name = "linear_cross_entropy"
    r = reduction_code(reduction)
    x, w, t = as_array(input), as_array(linear_weight), as_array(target)
    others = [as_array(v) for v in (linear_bias, weight) if v is not None]
    dtype = compute_dtype(x, w, *others)
    x, w = tensor(x, dtype), tensor(w, dtype)
    if x.ndim not in (1, 2):
        raise ValueError(f"{name}: input must be (N, in_features) or (in_features), got shape {x.shape}")
    if w.ndim > 2:
        raise ValueError(f"{name}: linear_weight {w.shape} is K-dimensional ((C, d1, ..., dK, in_features)); "
                         "liblosses provides only (C, in_features)")
    if w.ndim != 2 or w.shape[1] != x.shape[-1]:
        raise ValueError(f"{name}: linear_weight must be (C, {x.shape[-1]}) (C, in_features), got {w.shape}")
    if t.dtype.kind == "f":
        raise TypeError(f"{name}: probability targets are not provided; pass integer class indices")
    if t.dtype.kind not in "iu":
        raise TypeError(f"{name}: class-index targets must be integers, got dtype {t.dtype}")
    c, d = w.shape
    n = 1 if x.ndim == 1 else x.shape[0]
    sample_shape = () if x.ndim == 1 else (n,)
    t = _labels(name, t, sample_shape)
    if linear_bias is not None and np.shape(as_array(linear_bias)) != (c,):
        raise ValueError(f"{name}: linear_bias must be ({c},), got {np.shape(as_array(linear_bias))}")
    b = None if linear_bias is None else tensor(as_array(linear_bias), dtype)
    cw = tensor_like(weight, (c,), dtype, "weight")
    ignore = -100 if ignore_index is None else integer(ignore_index, f"{name}: ignore_index")
    out_shape = sample_shape if r == _native.REDUCTION_NONE else ()
    o = output(out, out_shape, dtype, "out")
    go = tensor_like(grad_output, out_shape, dtype, "grad_output")
    shapes, names = (x.shape, w.shape), ("grad_input", "grad_linear_weight")
    if b is not None:
        shapes, names = shapes + ((c,),), names + ("grad_linear_bias",)
    grads = gradient_outputs(name, grad_out, shapes, dtype, return_grad, names)
    gb = grads[2] if b is not None else None
    if status := _KERNELS[name, dtype.char](
            pointer(x), pointer(w), pointer(t), pointer(b), pointer(cw), n, c, d, ignore, float(label_smoothing), r,
            pointer(o), pointer(grads[0]), pointer(grads[1]), pointer(gb), pointer(go)):
        _native.raise_status(status)
    value = o if r == _native.REDUCTION_NONE else o[()]
    return (value, tuple(grads)) if return_grad else value
