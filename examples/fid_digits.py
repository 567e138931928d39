"""liblosses demo: the Fréchet distance rising with noise, on scikit-learn's digits.

Two sets of the 1797 8x8 digits (shipped inside scikit-learn): the real images, split in two
halves, and the second half degraded by Gaussian pixel noise at several levels. Both are
embedded by one fixed random projection of the 64 pixels into 32 features followed by a tanh (a
stand-in for a network's features); the statistics of each set are streamed through
losses.FIDStatistics in chunks of 100 images, as a generator's samples would arrive, and the
distance comes from losses.fid_from_stats. Noise level 0 is the distance between two halves of
the same data (the estimate's floor at this sample size); it should rise with every level.
The table is printed; the plot goes to .build/demo/fid_digits.png when matplotlib is installed.

Run: make demo   (or PYTHONPATH=bindings/python python3 examples/fid_digits.py)
"""
import os

import numpy as np
from sklearn.datasets import load_digits

import losses

FEATURES, CHUNK = 32, 100
NOISE = (0.0, 0.5, 1.0, 2.0, 4.0, 8.0)  # pixel standard deviations (pixels are 0..16)


def streamed_statistics(features):
    s = losses.FIDStatistics(features.shape[1])
    for start in range(0, features.shape[0], CHUNK):
        s.update(features[start:start + CHUNK])
    return s


def main():
    rng = np.random.default_rng(0)
    images = load_digits().data.astype(np.float32)
    order = rng.permutation(images.shape[0])
    real, other = images[order[: len(order) // 2]], images[order[len(order) // 2:]]
    projection = rng.standard_normal((64, FEATURES)).astype(np.float32) / 16.0

    def embed(x):
        return np.tanh((x - 8.0) @ projection)

    reference = streamed_statistics(embed(real))
    rows = []
    for sigma in NOISE:
        noisy = np.clip(other + sigma * rng.standard_normal(other.shape).astype(np.float32), 0, 16)
        s = streamed_statistics(embed(noisy))
        rows.append((sigma, losses.fid_from_stats(reference.mean, reference.covariance(), s.mean, s.covariance())))
    print(f"FID between real digits ({real.shape[0]}) and noised ones ({other.shape[0]}), "
          f"{FEATURES} random-projection features, statistics streamed in chunks of {CHUNK}:")
    print("  noise sigma   FID")
    for sigma, value in rows:
        print(f"  {sigma:11.1f}   {value:.4f}")
    values = [v for _, v in rows]
    print("FID rises with the noise:", all(b > a for a, b in zip(values, values[1:])))
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return rows
    os.makedirs(os.path.join(".build", "demo"), exist_ok=True)
    fig, ax = plt.subplots(figsize=(5, 3.2))
    ax.plot([s for s, _ in rows], values, "o-")
    ax.set_xlabel("pixel noise sigma")
    ax.set_ylabel("FID")
    ax.set_title("digits: FID against noise")
    fig.tight_layout()
    path = os.path.join(".build", "demo", "fid_digits.png")
    fig.savefig(path, dpi=100)
    print(f"plot: {path}")
    return rows


if __name__ == "__main__":
    main()
