"""Retrieval losses (docs/retrieval.md): AttnGAN's DAMSM (Deep Attentional Multimodal Similarity
Model, Xu et al. 2018) as its released code computes it, with its argument names and its
configs' defaults (gamma1=4, gamma2=5, gamma3=10).

`damsm_words_loss` and `damsm_sentence_loss` are the two header entries; `damsm_loss` calls both
and returns the pair (w_loss, s_loss), as AttnGAN's pretraining adds w_loss0 + w_loss1 and
s_loss0 + s_loss1. Keyword-only extras as in regression.py; both features of each loss are
differentiable, so `return_grad=True` returns a tuple of gradients and `grad_out=` takes a tuple
of arrays (any may be None).
"""
from typing import Tuple

import numpy as np

from . import _native
from ._arrays import as_array, compute_dtype, gradient_outputs, output, pointer, reduction_code, tensor, tensor_like
from ._typing import ArrayLike, LossResult, LossValue, NDArray, Optional, Reduction, Union
from .classification import _labels

#: damsm_loss's result: (w_loss, s_loss), or with return_grad=True that pair and the four gradients.
DAMSMResult = Union[Tuple[LossValue, LossValue],
                    Tuple[Tuple[LossValue, LossValue], Tuple[NDArray, NDArray, NDArray, NDArray]]]

_KERNELS = _native.KERNELS


def _features(name, arrays, names):
    """The feature arrays in one dtype, C-contiguous."""
    given = [as_array(a) for a in arrays]
    dtype = compute_dtype(*given)
    return [tensor(a, dtype) for a in given], dtype


def _integers(name, values, what, n):
    y = as_array(values)
    if y.dtype.kind not in "iu":
        raise TypeError(f"{name}: {what} must be integers, got dtype {y.dtype}")
    if y.shape != (n,):
        raise ValueError(f"{name}: {what} has shape {y.shape}, expected ({n},)")
    return _labels(name, y, (n,))


def _call(name, r, features, shapes, grad_names, grad_output, out, grad_out, return_grad):
    n = shapes[0][0]
    dtype = features[0].dtype
    out_shape = (n,) if r == _native.REDUCTION_NONE else ()
    o = output(out, out_shape, dtype, "out")
    go = tensor_like(grad_output, out_shape, dtype, "grad_output")
    grads = gradient_outputs(name, grad_out, shapes, dtype, return_grad, grad_names)
    return o, go, grads


def damsm_words_loss(img_features: ArrayLike, words_emb: ArrayLike, cap_lens: ArrayLike,
                     class_ids: Optional[ArrayLike] = None, gamma1: float = 4.0, gamma2: float = 5.0,
                     gamma3: float = 10.0, reduction: Reduction = 'mean', *, return_grad: bool = False,
                     grad_output: Optional[ArrayLike] = None, out: Optional[np.ndarray] = None,
                     grad_out: Optional[tuple] = None) -> LossResult:
    """DAMSM words loss, AttnGAN's `words_loss`: w_loss0 + w_loss1 for reduction='mean'.

    Args:
      img_features: (N, D, R) or (N, D, H, W) region features (AttnGAN: 17 x 17 regions).
      words_emb: (N, D, T) word features; cap_lens: (N) integers in 1..T, the caption lengths.
      class_ids: (N) integers or None; pairs of different samples of one class are masked.
      gamma1, gamma2, gamma3: finite (the attention's sharpening, the words' aggregation, the
        scores' scale).
    Per pair (image b, caption i): each word attends over the regions (softmax over words, then
    over regions of gamma1 times it), S = log sum_t exp(gamma2 cos(context_t, word_t)); the
    (N, N) matrix gamma3 S goes to the image->text and text->image cross entropies with label i
    for row/column i. reduction='none' gives sample i's two terms summed (N,). With
    return_grad=True: (value, (grad_img_features, grad_words_emb)).
    """
    r = reduction_code(reduction)
    (v, e), dtype = _features("damsm_words_loss", (img_features, words_emb), ("img_features", "words_emb"))
    if v.ndim not in (3, 4) or e.ndim != 3 or v.shape[:2] != e.shape[:2]:
        raise ValueError(f"damsm_words_loss: img_features {v.shape} must be (N, D, R) or (N, D, H, W) and "
                         f"words_emb {e.shape} (N, D, T) with the same N and D")
    n, d, t = e.shape
    regions = v.reshape(n, d, int(np.prod(v.shape[2:])))  # a view: v is C-contiguous
    lengths = _integers("damsm_words_loss", cap_lens, "cap_lens", n)
    classes = None if class_ids is None else _integers("damsm_words_loss", class_ids, "class_ids", n)
    o, go, grads = _call("damsm_words_loss", r, (v, e), (v.shape, e.shape), ("grad_img_features", "grad_words_emb"),
                         grad_output, out, grad_out, return_grad)
    if status := _KERNELS["damsm_words_loss", dtype.char](
            pointer(regions), pointer(e), pointer(lengths), pointer(classes), n, d, regions.shape[2], t,
            float(gamma1), float(gamma2), float(gamma3), r, pointer(o), *(pointer(g) for g in grads), pointer(go)):
        _native.raise_status(status)
    value = o if r == _native.REDUCTION_NONE else o[()]
    return (value, tuple(grads)) if return_grad else value


def damsm_sentence_loss(img_global: ArrayLike, sent_emb: ArrayLike, class_ids: Optional[ArrayLike] = None,
                        gamma3: float = 10.0, reduction: Reduction = 'mean', *, return_grad: bool = False,
                        grad_output: Optional[ArrayLike] = None, out: Optional[np.ndarray] = None,
                        grad_out: Optional[tuple] = None) -> LossResult:
    """DAMSM sentence loss, AttnGAN's `sent_loss`: s_loss0 + s_loss1 for reduction='mean'.

    Args:
      img_global: (N, D) global image features; sent_emb: (N, D) sentence features.
      class_ids: (N) integers or None, as damsm_words_loss. gamma3: finite.
    Scores gamma3 x_b . y_i / max(|x_b| |y_i|, 1e-8) into the two cross entropies. N = 1 gives 0
    (AttnGAN's code fails there). With return_grad=True: (value, (grad_img_global, grad_sent_emb)).
    """
    r = reduction_code(reduction)
    (x, y), dtype = _features("damsm_sentence_loss", (img_global, sent_emb), ("img_global", "sent_emb"))
    if x.ndim != 2 or x.shape != y.shape:
        raise ValueError(f"damsm_sentence_loss: img_global {x.shape} and sent_emb {y.shape} must both be (N, D)")
    n, d = x.shape
    classes = None if class_ids is None else _integers("damsm_sentence_loss", class_ids, "class_ids", n)
    o, go, grads = _call("damsm_sentence_loss", r, (x, y), (x.shape, y.shape), ("grad_img_global", "grad_sent_emb"),
                         grad_output, out, grad_out, return_grad)
    if status := _KERNELS["damsm_sentence_loss", dtype.char](
            pointer(x), pointer(y), pointer(classes), n, d, float(gamma3), r, pointer(o),
            *(pointer(g) for g in grads), pointer(go)):
        _native.raise_status(status)
    value = o if r == _native.REDUCTION_NONE else o[()]
    return (value, tuple(grads)) if return_grad else value


def damsm_loss(img_features: ArrayLike, img_global: ArrayLike, words_emb: ArrayLike, sent_emb: ArrayLike,
               cap_lens: ArrayLike, class_ids: Optional[ArrayLike] = None, gamma1: float = 4.0,
               gamma2: float = 5.0, gamma3: float = 10.0, reduction: Reduction = 'mean', *,
               return_grad: bool = False, grad_output: Optional[tuple] = None, out: Optional[tuple] = None,
               grad_out: Optional[tuple] = None) -> DAMSMResult:
    """AttnGAN's DAMSM loss: the pair (w_loss, s_loss) of damsm_words_loss and damsm_sentence_loss
    (for reduction='mean', AttnGAN's w_loss0 + w_loss1 and s_loss0 + s_loss1).

    grad_output and out, when given, are pairs (words, sentence); grad_out a 4-tuple in the order
    of the features. With return_grad=True: ((w_loss, s_loss), (grad_img_features, grad_img_global,
    grad_words_emb, grad_sent_emb)).
    """
    go_w, go_s = (None, None) if grad_output is None else grad_output
    out_w, out_s = (None, None) if out is None else out
    if grad_out is not None and (not isinstance(grad_out, tuple) or len(grad_out) != 4):
        raise TypeError("damsm_loss: grad_out must be a tuple (grad_img_features, grad_img_global, grad_words_emb, "
                        "grad_sent_emb), any of which may be None")
    g = (None,) * 4 if grad_out is None else grad_out
    words = damsm_words_loss(img_features, words_emb, cap_lens, class_ids, gamma1, gamma2, gamma3, reduction,
                             return_grad=return_grad, grad_output=go_w, out=out_w,
                             grad_out=None if grad_out is None else (g[0], g[2]))
    sentence = damsm_sentence_loss(img_global, sent_emb, class_ids, gamma3, reduction, return_grad=return_grad,
                                   grad_output=go_s, out=out_s, grad_out=None if grad_out is None else (g[1], g[3]))
    if not return_grad:
        return words, sentence
    (w, (gv, ge)), (s, (gx, gy)) = words, sentence
    return (w, s), (gv, gx, ge, gy)
