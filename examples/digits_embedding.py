"""liblosses demo: learning an embedding for retrieval, triplet loss against contrastive loss.

Data: scikit-learn's digits (1797 real 8x8 images, 10 classes). A linear embedding of the 64
pixels into 4 dimensions (where a random projection keeps little of the classes) is trained so that images of one digit lie close together: once with
triplet_margin_loss (each anchor with a random positive of its class and the hardest of 16
random negatives under the current embedding), once with contrastive_loss (random pairs, half
of them of one class). liblosses gives every loss value and its gradients with respect to the
embeddings; the chain rule through the linear map is one product per input. Retrieval is
measured on 500 held-out images: recall@1, the share of test images whose nearest other test
image (Euclidean) shows the same digit.

Run: make demo   (or PYTHONPATH=bindings/python python3 examples/digits_embedding.py)
"""
import numpy as np

import losses
from optim import Adam

DIMENSIONS, STEPS, BATCH = 4, 300, 256


def load():
    from sklearn.datasets import load_digits

    digits = load_digits()
    return (digits.data / 16.0).astype(np.float32), digits.target.astype(np.int64)


def recall_at_1(embeddings, labels):
    squared = (embeddings ** 2).sum(1)
    distances = squared[:, None] + squared[None, :] - 2 * embeddings @ embeddings.T
    np.fill_diagonal(distances, np.inf)
    return float((labels[distances.argmin(1)] == labels).mean())


def sample_triplets(x, y, w, rng):
    anchors = rng.integers(0, len(y), BATCH)
    positives = np.array([rng.choice(np.flatnonzero(y == y[a])) for a in anchors])
    candidates = rng.integers(0, len(y), (BATCH, 16))
    embedded_anchor = x[anchors] @ w
    distances = ((x[candidates] @ w - embedded_anchor[:, None]) ** 2).sum(-1)
    distances[y[candidates] == y[anchors][:, None]] = np.inf   # a negative has another label
    negatives = candidates[np.arange(BATCH), distances.argmin(1)]
    return anchors, positives, negatives


def train_triplet(x, y, w, rng):
    optimiser = Adam([w], lr=0.01)
    for _ in range(STEPS):
        a, p, n = sample_triplets(x, y, w, rng)
        _, (ga, gp, gn) = losses.triplet_margin_loss(x[a] @ w, x[p] @ w, x[n] @ w, margin=1.0, return_grad=True)
        optimiser.step([x[a].T @ ga + x[p].T @ gp + x[n].T @ gn])
    return w


def train_contrastive(x, y, w, rng):
    optimiser = Adam([w], lr=0.01)
    for _ in range(STEPS):
        first = rng.integers(0, len(y), BATCH)
        same = rng.uniform(size=BATCH) < 0.5
        second = np.array([rng.choice(np.flatnonzero(y == y[i])) if s else rng.integers(0, len(y))
                           for i, s in zip(first, same)])
        label = (y[first] != y[second]).astype(np.float32)   # 0 similar, 1 dissimilar
        _, (g1, g2) = losses.contrastive_loss(x[first] @ w, x[second] @ w, label, margin=2.0, return_grad=True)
        optimiser.step([x[first].T @ g1 + x[second].T @ g2])
    return w


def main():
    x, y = load()
    rng = np.random.default_rng(0)
    order = rng.permutation(len(y))
    test, train = order[:500], order[500:]
    start = (rng.standard_normal((64, DIMENSIONS)) / 8).astype(np.float32)
    print(f"Digits retrieval: {len(train)} training and {len(test)} test images, a linear 64 -> {DIMENSIONS} "
          f"embedding, {STEPS} Adam steps of {BATCH}.")
    print(f"  recall@1 on raw pixels:            {recall_at_1(x[test], y[test]):.3f}")
    print(f"  recall@1, random embedding:        {recall_at_1(x[test] @ start, y[test]):.3f}")
    for name, train_fn in (("triplet_margin_loss", train_triplet), ("contrastive_loss", train_contrastive)):
        w = train_fn(x[train], y[train], start.copy(), np.random.default_rng(1))
        print(f"  recall@1 after {name + ':':22s}{recall_at_1(x[test] @ w, y[test]):.3f}")


if __name__ == "__main__":
    main()
