"""Metrics (docs/metrics.md): evaluation quantities with no gradient, so no `return_grad`,
`grad_output` or `grad_out`; `out=` takes the caller's array for the value(s). Names, argument
order and defaults follow the reference each function names (SciPy for wasserstein_distance,
pytorch-fid for fid_from_stats; fid is fid_from_stats of two feature sets' statistics).
"""
import numpy as np

from . import _native
from ._arrays import as_array, compute_dtype, integer, output, pointer, reduction_code, tensor
from ._typing import ArrayLike, LossValue, Optional, Reduction, Tuple
from .classification import _labels

_KERNELS = _native.KERNELS


def _vector(value, dtype, name, metric):
    """A 1-D input of `dtype`, read in place when it can be."""
    array = tensor(value, dtype)
    if array.ndim != 1:
        raise ValueError(f"{metric}: {name} must be 1-D, got shape {array.shape}")
    return array


def wasserstein_distance(u_values: ArrayLike, v_values: ArrayLike, u_weights: Optional[ArrayLike] = None,
                         v_weights: Optional[ArrayLike] = None, *, out: Optional[np.ndarray] = None) -> LossValue:
    """The 1-D Wasserstein distance (earth mover's distance) between the empirical distributions
    of u_values and v_values, as scipy.stats.wasserstein_distance: the integral of |U(x) - V(x)|
    over x, U and V the distributions' CDFs, each value weighted by its weight (equal weights when
    None). Computed in float64 (sort, running sums, a compensated sum) and returned as a scalar of
    the inputs' dtype (float32 or float64).

    Raises ValueError, as SciPy does, for an empty distribution, weights of another length than
    their values, a negative weight or weights whose sum is not positive and finite (NaN weights
    included). A NaN value gives NaN, as SciPy. No gradient: a metric. out: a caller's () array.
    """
    arrays = [as_array(x) for x in (u_values, v_values)]
    given = [None if w is None else as_array(w) for w in (u_weights, v_weights)]
    dtype = compute_dtype(*arrays, *(w for w in given if w is not None))
    u, v = (_vector(x, dtype, name, "wasserstein_distance") for x, name in zip(arrays, ("u_values", "v_values")))
    weights = []
    for w, values, name in zip(given, (u, v), ("u_weights", "v_weights")):
        if w is not None:
            w = _vector(w, dtype, name, "wasserstein_distance")
            if w.size != values.size:
                raise ValueError(f"wasserstein_distance: {name} has {w.size} values, expected {values.size} "
                                 f"(as {name[0]}_values)")
        weights.append(w)
    o = output(out, (), dtype, "out")
    if status := _KERNELS["wasserstein_distance", dtype.char](
            pointer(u), pointer(v), pointer(weights[0]), pointer(weights[1]), u.size, v.size, pointer(o)):
        _native.raise_status(status)
    return o[()]


def inception_score(probs: ArrayLike, splits: int = 10, *, out: Optional[np.ndarray] = None) -> Tuple[LossValue, LossValue]:
    """The inception score (Salimans et al. 2016) of class probabilities from the caller's
    classifier, as the improved-GAN code computes it: the N rows cut into `splits` consecutive
    parts in order, no shuffling (split k holds rows k*N//splits ... (k+1)*N//splits); per split
    exp(mean over its rows x of KL(p(y|x) || p(y))), p(y) the split's mean row, 0 log 0 = 0.
    Returns (mean, std) over the splits, std with ddof 0, as scalars of the input's dtype.

    Args:
      probs: (N, C) probabilities, read as given: rows that do not sum to 1 are computed as the
        formula (not normalised); an entry that is negative, NaN or infinite raises ValueError.
      splits: 1 ... N (else ValueError).
    out: a caller's (2,) array for (mean, std). No gradient: a metric.
    """
    dtype = compute_dtype(as_array(probs))
    p = tensor(as_array(probs), dtype)
    if p.ndim != 2:
        raise ValueError(f"inception_score: probs must be (N, C), got shape {p.shape}")
    o = output(out, (2,), dtype, "out")
    if status := _KERNELS["inception_score", dtype.char](pointer(p), p.shape[0], p.shape[1], integer(splits, "splits"),
                                                           pointer(o)):
        _native.raise_status(status)
    return o[0], o[1]


def _statistics(name, mu, sigma, dtype):
    m, s = tensor(as_array(mu), dtype), tensor(as_array(sigma), dtype)
    if m.ndim != 1:
        raise ValueError(f"fid_from_stats: {name[0]} must be (D,), got shape {m.shape}")
    if s.shape != (m.shape[0], m.shape[0]):
        raise ValueError(f"fid_from_stats: {name[1]} must be ({m.shape[0]}, {m.shape[0]}), got shape {s.shape}")
    return m, s


def fid_from_stats(mu1: ArrayLike, sigma1: ArrayLike, mu2: ArrayLike, sigma2: ArrayLike, eps: float = 1e-6, *,
                   out: Optional[np.ndarray] = None) -> LossValue:
    """‖mu1 − mu2‖² + Tr sigma1 + Tr sigma2 − 2 Tr √(sigma1 sigma2), in double.

    Args as pytorch-fid's calculate_frechet_distance: means (D,), covariances (D, D). eps is
    accepted for its signature (finite, >= 0) and unused: where pytorch-fid adds it to the
    diagonals (its sqrtm not finite), this computes the distance of the statistics as given.
    float32 statistics are read as float32 and computed in double; the value is a scalar of the
    inputs' dtype. Raises ValueError for non-finite statistics, a negative variance, a
    non-symmetric sigma or mismatched sizes. No gradient: a metric. out: a caller's () array.
    """
    arrays = [as_array(a) for a in (mu1, sigma1, mu2, sigma2)]
    dtype = compute_dtype(*arrays)
    m1, s1 = _statistics(("mu1", "sigma1"), arrays[0], arrays[1], dtype)
    m2, s2 = _statistics(("mu2", "sigma2"), arrays[2], arrays[3], dtype)
    if m1.shape != m2.shape:
        raise ValueError(f"fid_from_stats: mu1 has {m1.shape[0]} features and mu2 {m2.shape[0]}")
    o = output(out, (), dtype, "out")
    if status := _KERNELS["fid_from_stats", dtype.char](pointer(m1), pointer(s1), pointer(m2), pointer(s2),
                                                        m1.shape[0], float(eps), pointer(o)):
        _native.raise_status(status)
    return o[()]


def fid(features1: ArrayLike, features2: ArrayLike, eps: float = 1e-6, *,
        out: Optional[np.ndarray] = None) -> LossValue:
    """The Fréchet distance between two sets of features (N1, D) and (N2, D): each set's mean and
    unbiased covariance (N − 1) in double, then fid_from_stats. N1, N2 >= 2 (ValueError below).
    For data that does not fit in memory, stream it through losses.FIDStatistics instead."""
    f1, f2 = as_array(features1), as_array(features2)
    dtype = compute_dtype(f1, f2)
    x1, x2 = tensor(f1, dtype), tensor(f2, dtype)
    if x1.ndim != 2 or x2.ndim != 2:
        raise ValueError(f"fid: features must be (N, D), got shapes {x1.shape} and {x2.shape}")
    if x1.shape[1] != x2.shape[1]:
        raise ValueError(f"fid: features1 has {x1.shape[1]} features and features2 {x2.shape[1]}")
    o = output(out, (), dtype, "out")
    if status := _KERNELS["fid", dtype.char](pointer(x1), pointer(x2), x1.shape[0], x1.shape[1], x2.shape[0],
                                             float(eps), pointer(o)):
        _native.raise_status(status)
    return o[()]


def r_precision(scores: ArrayLike, relevance: ArrayLike, reduction: Reduction = 'mean', *,
                out: Optional[np.ndarray] = None) -> LossValue:
    """R-precision of N queries each scored against K candidates: per query, (relevant candidates
    among its top R by score) / R, R its number of relevant candidates. Candidates rank by score,
    higher first; equal scores rank in candidate-index order (the lower index first), which is
    stricter than evaluators that count a tie as a hit (AttnGAN's); a NaN score ranks last.

    Args:
      scores: (N, K) float32 or float64 similarities.
      relevance: (N, K) bool or integer 0/1 (another value raises ValueError; a float array
        TypeError).
      reduction: 'mean' (default) and 'sum' run over the queries with R > 0 (the mean of none is
        NaN, the sum 0); 'none' gives the N per-query values, NaN where R = 0.
    out: a caller's array: () for 'mean' and 'sum', (N,) for 'none'. No gradient: a metric.
    """
    r = reduction_code(reduction)
    s = as_array(scores)
    s = tensor(s, compute_dtype(s))
    if s.ndim != 2:
        raise ValueError(f"r_precision: scores must be (N, K), got shape {s.shape}")
    rel = as_array(relevance)
    if rel.dtype.kind not in "biu":
        raise TypeError(f"r_precision: relevance must be bool or integers, got dtype {rel.dtype}")
    if rel.shape != s.shape:
        raise ValueError(f"r_precision: relevance shape {rel.shape} does not match scores shape {s.shape}")
    rel = _labels("r_precision", rel, s.shape)
    o = output(out, (s.shape[0],) if r == 0 else (), s.dtype, "out")
    if status := _KERNELS["r_precision", s.dtype.char](pointer(s), pointer(rel), s.shape[0], s.shape[1], r,
                                                       pointer(o)):
        _native.raise_status(status)
    return o if r == 0 else o[()]


def r_precision_embeddings(image: ArrayLike, text: ArrayLike, eps: float = 1e-8, reduction: Reduction = 'mean', *,
                           out: Optional[np.ndarray] = None) -> LossValue:
    """AttnGAN's R-precision: each image's cosine similarity (as losses.cosine_similarity, each
    norm clamped to eps) with its K candidate captions, the true caption at index 0 (R = 1); per
    image 1 when caption 0 ranks first, else 0. Ties rank in candidate-index order, so a
    candidate tied with caption 0 leaves it first (a hit); a NaN similarity ranks last; K = 1
    always gives 1.

    Args:
      image: (N, D) float32 or float64 image features.
      text: (N, K, D) caption features, text[i, 0] image i's own caption.
      eps: > 0 (else ValueError).
      reduction: 'mean' (default; NaN for N = 0), 'sum' or 'none' (the N values).
    out: a caller's array: () for 'mean' and 'sum', (N,) for 'none'. No gradient: a metric.
    """
    r = reduction_code(reduction)
    x, y = as_array(image), as_array(text)
    dtype = compute_dtype(x, y)
    x, y = tensor(x, dtype), tensor(y, dtype)
    if x.ndim != 2 or y.ndim != 3 or y.shape[0] != x.shape[0] or y.shape[2] != x.shape[1]:
        raise ValueError(f"r_precision_embeddings: image must be (N, D) and text (N, K, D), got shapes {x.shape} "
                         f"and {y.shape}")
    o = output(out, (x.shape[0],) if r == 0 else (), dtype, "out")
    if status := _KERNELS["r_precision_embeddings", dtype.char](pointer(x), pointer(y), x.shape[0], y.shape[1],
                                                                x.shape[1], float(eps), r, pointer(o)):
        _native.raise_status(status)
    return o if r == 0 else o[()]
