"""The Fréchet distance (FID, Heusel et al. 2017) and its streamed statistics (docs/metrics.md,
"fid").

fid_from_stats(mu1, sigma1, mu2, sigma2, eps) is pytorch-fid's calculate_frechet_distance, in
double through LAPACK inside liblosses (a symmetric eigenvalue problem: never complex, never NaN
for singular covariances); fid(features1, features2, eps) computes both sets' statistics first.
FIDStatistics accumulates the mean and co-moment of feature batches in double (Chan's formula)
and merges partial statistics from several workers exactly; its arrays are the library's state,
updated in place.
"""
import numpy as np

from . import _native
from ._arrays import F32, F64, as_array, compute_dtype, output, pointer, tensor
from ._typing import ArrayLike

_KERNELS = _native.KERNELS
_merge = _native._declare("losses_fid_statistics_merge", _native._i32, _native._ptr, _native._ptr, _native._ptr,
                          _native._f64, _native._ptr, _native._ptr, _native._i64)


def _statistics(name, mu, sigma, dtype):
    m, s = tensor(as_array(mu), dtype), tensor(as_array(sigma), dtype)
    if m.ndim != 1:
        raise ValueError(f"fid_from_stats: {name[0]} must be (D,), got shape {m.shape}")
    if s.shape != (m.shape[0], m.shape[0]):
        raise ValueError(f"fid_from_stats: {name[1]} must be ({m.shape[0]}, {m.shape[0]}), got shape {s.shape}")
    return m, s


def fid_from_stats(mu1: ArrayLike, sigma1: ArrayLike, mu2: ArrayLike, sigma2: ArrayLike, eps: float = 1e-6) -> float:
    """‖mu1 − mu2‖² + Tr sigma1 + Tr sigma2 − 2 Tr √(sigma1 sigma2), in double.

    Args as pytorch-fid's calculate_frechet_distance: means (D,), covariances (D, D). eps is
    accepted for its signature (finite, >= 0) and unused: where pytorch-fid adds it to the
    diagonals (its sqrtm not finite), this computes the distance of the statistics as given.
    float32 statistics are read as float32 and computed in double. Raises ValueError for
    non-finite statistics, a negative variance, a non-symmetric sigma or mismatched sizes.
    """
    arrays = [as_array(a) for a in (mu1, sigma1, mu2, sigma2)]
    dtype = compute_dtype(*arrays)
    m1, s1 = _statistics(("mu1", "sigma1"), arrays[0], arrays[1], dtype)
    m2, s2 = _statistics(("mu2", "sigma2"), arrays[2], arrays[3], dtype)
    if m1.shape != m2.shape:
        raise ValueError(f"fid_from_stats: mu1 has {m1.shape[0]} features and mu2 {m2.shape[0]}")
    o = np.empty((), dtype)
    if status := _KERNELS["fid_from_stats", dtype.char](pointer(m1), pointer(s1), pointer(m2), pointer(s2),
                                                        m1.shape[0], float(eps), pointer(o)):
        _native.raise_status(status)
    return float(o)


def fid(features1: ArrayLike, features2: ArrayLike, eps: float = 1e-6) -> float:
    """The Fréchet distance between two sets of features (N1, D) and (N2, D): each set's mean and
    unbiased covariance (N − 1) in double, then fid_from_stats. N1, N2 >= 2."""
    f1, f2 = as_array(features1), as_array(features2)
    dtype = compute_dtype(f1, f2)
    x1, x2 = tensor(f1, dtype), tensor(f2, dtype)
    if x1.ndim != 2 or x2.ndim != 2:
        raise ValueError(f"fid: features must be (N, D), got shapes {x1.shape} and {x2.shape}")
    if x1.shape[1] != x2.shape[1]:
        raise ValueError(f"fid: features1 has {x1.shape[1]} features and features2 {x2.shape[1]}")
    o = np.empty((), dtype)
    if status := _KERNELS["fid", dtype.char](pointer(x1), pointer(x2), x1.shape[0], x2.shape[0], x1.shape[1],
                                             float(eps), pointer(o)):
        _native.raise_status(status)
    return float(o)


def _state(array, shape, name):
    """A float64 array the library writes in place: the caller's own, never a copy."""
    if not isinstance(array, np.ndarray) or array.dtype != F64:
        raise TypeError(f"{name} must be a float64 numpy.ndarray (updated in place)")
    return output(array, shape, F64, name)


def fid_statistics_update(features: ArrayLike, count: np.ndarray, mean: np.ndarray, comoment: np.ndarray) -> None:
    """Folds features (N, D) into the caller's state in place: count (a float64 array of shape
    ()), mean (D,) and co-moment (D, D), all float64 (a fresh state is zeros). float32 or
    float64 features; everything accumulates in double. On error the state is untouched."""
    f = as_array(features)
    dtype = F32 if f.dtype == F32 else F64
    x = tensor(f, dtype)
    if x.ndim != 2:
        raise ValueError(f"fid_statistics_update: features must be (N, D), got shape {x.shape}")
    d = x.shape[1]
    c, m, s = _state(count, (), "count"), _state(mean, (d,), "mean"), _state(comoment, (d, d), "comoment")
    if status := _KERNELS["fid_statistics_update", dtype.char](pointer(x), x.shape[0], d, pointer(c), pointer(m),
                                                               pointer(s)):
        _native.raise_status(status)


def fid_statistics_merge(count: np.ndarray, mean: np.ndarray, comoment: np.ndarray, other_count: float,
                         other_mean: ArrayLike, other_comoment: ArrayLike) -> None:
    """Merges another worker's statistics into the caller's state in place (Chan's formula)."""
    d = mean.shape[0] if isinstance(mean, np.ndarray) and mean.ndim == 1 else -1
    c, m, s = _state(count, (), "count"), _state(mean, (d,), "mean"), _state(comoment, (d, d), "comoment")
    om, os_ = tensor(as_array(other_mean), F64), tensor(as_array(other_comoment), F64)
    if om.shape != (d,) or os_.shape != (d, d):
        raise ValueError(f"fid_statistics_merge: the other state is {om.shape}, {os_.shape}; expected ({d},), ({d}, {d})")
    if status := _merge(pointer(c), pointer(m), pointer(s), float(other_count), pointer(om), pointer(os_), d):
        _native.raise_status(status)


class FIDStatistics:
    """Streamed FID statistics of D-dimensional features: count, mean, co-moment, in float64.

    >>> s = FIDStatistics(64); s.update(batch1); s.update(batch2)
    >>> s.merge(other)            # another worker's statistics (exact, Chan's formula)
    >>> fid_from_stats(s.mean, s.covariance(), mu2, sigma2)
    """

    def __init__(self, d: int):
        self.count = np.zeros((), F64)
        self.mean = np.zeros(int(d), F64)
        self.comoment = np.zeros((int(d), int(d)), F64)

    @property
    def d(self) -> int:
        return self.mean.shape[0]

    def update(self, features: ArrayLike) -> "FIDStatistics":
        fid_statistics_update(features, self.count, self.mean, self.comoment)
        return self

    def merge(self, other: "FIDStatistics") -> "FIDStatistics":
        fid_statistics_merge(self.count, self.mean, self.comoment, float(other.count), other.mean, other.comoment)
        return self

    def covariance(self) -> np.ndarray:
        """The unbiased covariance, co-moment / (count − 1); needs count >= 2."""
        if self.count < 2:
            raise ValueError(f"FIDStatistics: {int(self.count)} samples, a covariance needs at least 2")
        return self.comoment / (float(self.count) - 1)

    def __getstate__(self):
        return {"count": float(self.count), "mean": self.mean, "comoment": self.comoment}

    def __setstate__(self, state):
        self.count = np.array(state["count"], F64)
        self.mean = np.ascontiguousarray(state["mean"], F64)
        self.comoment = np.ascontiguousarray(state["comoment"], F64)
