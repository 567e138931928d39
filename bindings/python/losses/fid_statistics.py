"""The streamed statistics of the Fréchet distance (docs/metrics.md, "fid"): FIDStatistics
accumulates the count, mean and co-moment of feature batches in double (Chan's formula) and
merges partial statistics from several workers exactly; its arrays are the library's state,
updated in place (losses_fid_statistics_update, losses_fid_statistics_merge). The distance
itself is losses.fid_from_stats / losses.fid (losses/metrics.py).
"""
import numpy as np

from . import _native
from ._arrays import F32, F64, as_array, output, pointer, tensor
from ._typing import ArrayLike

# Written by hand in the header's order (these entries are outside the generated table,
# abi/header.py HAND_WRITTEN).
_i32, _i64, _f64, _ptr = _native._i32, _native._i64, _native._f64, _native._ptr
_UPDATE = {char: _native._declare(f"losses_fid_statistics_update_{suffix}", _i32, _ptr, _i64, _i64, _ptr, _ptr, _ptr)
           for char, suffix in (("f", "f32"), ("d", "f64"))}
_merge = _native._declare("losses_fid_statistics_merge", _i32, _ptr, _ptr, _ptr, _f64, _ptr, _ptr, _i64)


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
    if status := _UPDATE[dtype.char](pointer(x), x.shape[0], d, pointer(c), pointer(m),
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
    >>> losses.fid_from_stats(s.mean, s.covariance(), mu2, sigma2)
    """

    def __init__(self, d: int) -> None:
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

    def __setstate__(self, state) -> None:
        self.count = np.array(state["count"], F64)
        self.mean = np.ascontiguousarray(state["mean"], F64)
        self.comoment = np.ascontiguousarray(state["comoment"], F64)
