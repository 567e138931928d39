"""The Fréchet distance and its streamed statistics against independent references:
pytorch-fid's calculate_frechet_distance (its formula, copied below in float64 with SciPy's
sqrtm, when pytorch-fid itself is not installed), mpmath at 50 digits for rank-deficient
covariances (fewer samples than features), and NumPy's mean and np.cov for the statistics."""
import os
import pickle
import sys
import threading

import numpy as np
import pytest

import losses

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "bench"))
import pytorch_fid_compat  # noqa: E402

scipy_linalg = pytest.importorskip("scipy.linalg")

rng = np.random.default_rng(20261132)  # rng10: this file's own stream


def reference_fid(mu1, sigma1, mu2, sigma2, eps=1e-6):
    """pytorch-fid 0.3.0's calculate_frechet_distance (bench/pytorch_fid_compat.py: its own code,
    with SciPy's new sqrtm return), restated here where pytorch-fid is not installed."""
    if pytorch_fid_compat.calculate_frechet_distance is not None:
        return float(pytorch_fid_compat.calculate_frechet_distance(mu1, sigma1, mu2, sigma2, eps))
    diff = mu1 - mu2
    covmean = scipy_linalg.sqrtm(sigma1.dot(sigma2))
    if not np.isfinite(covmean).all():
        offset = np.eye(sigma1.shape[0]) * eps
        covmean = scipy_linalg.sqrtm((sigma1 + offset).dot(sigma2 + offset))
    covmean = covmean.real
    return float(diff.dot(diff) + np.trace(sigma1) + np.trace(sigma2) - 2 * np.trace(covmean))


def mp_fid(x1, x2, digits=50):
    """FID of two feature sets at `digits` digits: exact statistics of the float64 features, the
    symmetric square root of Σ1 by mpmath's eigsy, the eigenvalues of √Σ1 Σ2 √Σ1."""
    import mpmath as mp
    mp.mp.dps = digits

    def stats(x):
        n, d = x.shape
        rows = [[mp.mpf(float(v)) for v in row] for row in x]
        mean = [mp.fsum(rows[i][k] for i in range(n)) / n for k in range(d)]
        cov = mp.matrix(d, d)
        for a in range(d):
            for b in range(d):
                cov[a, b] = mp.fsum((rows[i][a] - mean[a]) * (rows[i][b] - mean[b]) for i in range(n)) / (n - 1)
        return mean, cov

    m1, s1 = stats(x1)
    m2, s2 = stats(x2)
    d = x1.shape[1]
    w, v = mp.eigsy(s1)
    root = v * mp.diag([mp.sqrt(max(w[k], 0)) for k in range(d)]) * v.T
    w2, _ = mp.eigsy(root * s2 * root)
    tr = mp.fsum(mp.sqrt(max(w2[k], 0)) for k in range(d))
    value = mp.fsum((m1[k] - m2[k]) ** 2 for k in range(d)) + mp.fsum(s1[k, k] + s2[k, k] for k in range(d)) - 2 * tr
    return float(value)


def features(n, d, shift=0.0, scale=1.0):
    mixing = rng.standard_normal((d, d)) / np.sqrt(d)
    return (rng.standard_normal((n, d)) @ mixing) * scale + shift


def test_fid_from_stats_agrees_with_pytorch_fid():
    for d in (1, 8, 64):
        x1, x2 = features(400, d), features(300, d, shift=0.3, scale=1.2)
        mu1, mu2 = x1.mean(0), x2.mean(0)
        s1, s2 = np.cov(x1, rowvar=False).reshape(d, d), np.cov(x2, rowvar=False).reshape(d, d)
        expected = reference_fid(mu1, s1, mu2, s2)
        assert losses.fid_from_stats(mu1, s1, mu2, s2) == pytest.approx(expected, rel=1e-9)
        assert losses.fid(x1, x2) == pytest.approx(expected, rel=1e-9)


def test_float32_reads_float32_and_computes_in_double():
    x1, x2 = features(200, 16).astype(np.float32), features(150, 16, shift=0.5).astype(np.float32)
    expected = reference_fid(x1.astype(np.float64).mean(0), np.cov(x1.astype(np.float64), rowvar=False),
                             x2.astype(np.float64).mean(0), np.cov(x2.astype(np.float64), rowvar=False))
    assert losses.fid(x1, x2) == pytest.approx(expected, rel=1e-6)


@pytest.mark.parametrize("n1, n2", [(5, 5), (5, 9), (3, 2)])
def test_rank_deficient_covariances_against_mpmath(n1, n2):
    """N < D: singular covariances (pytorch-fid's sqrtm is not finite here and it adds eps)."""
    d = 12
    x1, x2 = features(n1, d), features(n2, d, shift=0.2)
    expected = mp_fid(x1, x2)
    got = losses.fid(x1, x2)
    assert np.isfinite(got)
    assert got == pytest.approx(expected, rel=1e-9, abs=1e-12)


def test_collapsed_generator_is_finite():
    """Every generated sample the same: Σ2 = 0, FID = |μ1 − μ2|² + Tr Σ1."""
    x1 = features(50, 10)
    x2 = np.tile(features(1, 10), (40, 1))
    expected = float(((x1.mean(0) - x2[0]) ** 2).sum() + np.trace(np.cov(x1, rowvar=False)))
    assert losses.fid(x1, x2) == pytest.approx(expected, rel=1e-12)
    assert losses.fid(x2, x1) == pytest.approx(expected, rel=1e-12)


def test_identical_statistics_are_zero_to_round_off():
    x = features(300, 32)
    mu, s = x.mean(0), np.cov(x, rowvar=False)
    assert abs(losses.fid_from_stats(mu, s, mu, s)) < 1e-10 * np.trace(s)


def test_streamed_statistics_equal_numpy_and_merge_exactly():
    d = 20
    chunks = [features(n, d, shift=3.0) for n in (1, 7, 256, 300, 33)]
    whole = np.concatenate(chunks)
    s = losses.FIDStatistics(d)
    for c in chunks:
        s.update(c)
    assert float(s.count) == whole.shape[0]
    np.testing.assert_allclose(s.mean, whole.mean(0), rtol=1e-13, atol=1e-13)
    np.testing.assert_allclose(s.covariance(), np.cov(whole, rowvar=False), rtol=1e-11, atol=1e-12)
    # Several workers, merged in a tree: the same statistics.
    parts = [losses.FIDStatistics(d).update(c) for c in chunks]
    left = parts[0].merge(parts[1]).merge(parts[2])
    right = parts[3].merge(parts[4])
    left.merge(right)
    np.testing.assert_allclose(left.mean, s.mean, rtol=1e-13, atol=1e-13)
    np.testing.assert_allclose(left.comoment, s.comoment, rtol=1e-11, atol=1e-11)
    # An empty worker changes nothing; a pickled state round-trips.
    before = left.comoment.copy()
    left.merge(losses.FIDStatistics(d))
    assert np.array_equal(left.comoment, before)
    assert np.array_equal(pickle.loads(pickle.dumps(left)).comoment, before)


def test_float32_features_accumulate_in_double():
    x = features(1000, 8, shift=100.0).astype(np.float32)
    s = losses.FIDStatistics(8).update(x[:500]).update(x[500:])
    x64 = x.astype(np.float64)
    np.testing.assert_allclose(s.mean, x64.mean(0), rtol=1e-14)
    np.testing.assert_allclose(s.covariance(), np.cov(x64, rowvar=False), rtol=1e-10, atol=1e-12)


def test_same_bits_for_any_thread_count():
    x1, x2 = features(600, 48), features(500, 48, shift=0.1)
    values = []
    for threads in (1, 2, 3):
        losses.set_num_threads(threads)
        values.append(losses.fid(x1, x2))
    losses.set_num_threads(0)
    assert values[0] == values[1] == values[2]
    # Concurrent callers serialise on the library's LAPACK lock and get the same bits.
    results = [None] * 4

    def run(i):
        results[i] = losses.fid(x1, x2)
    workers = [threading.Thread(target=run, args=(i,)) for i in range(4)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    assert results == [values[0]] * 4


def test_d_zero_and_bad_input():
    assert losses.fid_from_stats(np.zeros(0), np.zeros((0, 0)), np.zeros(0), np.zeros((0, 0))) == 0
    assert losses.fid(np.zeros((3, 0)), np.zeros((2, 0))) == 0
    x = features(10, 4)
    with pytest.raises(ValueError, match="features"):
        losses.fid(x, features(10, 5))
    with pytest.raises(ValueError, match="at least 2 samples"):
        losses.fid(x[:1], x)
    mu, s = x.mean(0), np.cov(x, rowvar=False)
    with pytest.raises(ValueError, match="finite"):
        losses.fid_from_stats(mu, s, mu + np.nan, s)
    bad = s.copy()
    bad[0, 1] += 1.0
    with pytest.raises(ValueError, match="not symmetric"):
        losses.fid_from_stats(mu, bad, mu, s)
    bad = s.copy()
    bad[2, 2] = -1.0
    with pytest.raises(ValueError, match="negative variance"):
        losses.fid_from_stats(mu, bad, mu, s)
    with pytest.raises(ValueError, match="eps"):
        losses.fid_from_stats(mu, s, mu, s, eps=-1.0)
    with pytest.raises(ValueError, match="finite"):
        losses.fid(np.full((3, 4), np.inf), x)
    # A refused update leaves the state untouched.
    st = losses.FIDStatistics(4).update(x)
    before = (float(st.count), st.mean.copy(), st.comoment.copy())
    st.count[()] = 2.5
    with pytest.raises(ValueError, match="count"):
        st.update(x)
    st.count[()] = before[0]
    assert np.array_equal(st.mean, before[1]) and np.array_equal(st.comoment, before[2])
    with pytest.raises(ValueError):
        st.update(features(3, 5))
