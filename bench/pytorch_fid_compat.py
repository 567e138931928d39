"""pytorch-fid's calculate_frechet_distance, runnable with today's SciPy.

pytorch-fid 0.3.0 unpacks `linalg.sqrtm(A, disp=False)` into (root, error estimate); SciPy 1.16+
deprecated `disp` and returns the root alone, so the function fails with "not enough values to
unpack". This gives pytorch-fid's module a `linalg` whose sqrtm returns the old pair (the error
estimate, which pytorch-fid ignores, as NaN); everything else is pytorch-fid's own code. None
when pytorch-fid is not installed."""
import types

try:
    from pytorch_fid import fid_score
    from scipy import linalg as _linalg
except ImportError:
    calculate_frechet_distance = None
else:
    def _sqrtm(a, disp=True):
        root = _linalg.sqrtm(a)
        return (root, float("nan")) if disp is False else root

    fid_score.linalg = types.SimpleNamespace(sqrtm=_sqrtm)
    calculate_frechet_distance = fid_score.calculate_frechet_distance
