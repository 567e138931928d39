"""liblosses demo: softmax regression on handwritten digits, cross entropy against focal loss.

Data: scikit-learn's digits (1797 real 8x8 images, 10 classes), which ships inside the
scikit-learn package; `make demo` installs it when missing. To make the comparison interesting
the training set is made imbalanced: digits 0-4 keep every image, digits 5-9 keep one in six.
Two linear softmax classifiers are trained by full-batch Adam, one on cross_entropy (with label
smoothing 0.05) and one on focal_loss (gamma 2); liblosses supplies every loss value and the
gradient with respect to the logits, and the chain rule through the linear layer is NumPy.
Accuracy is measured on a balanced held-out test set.

Run: make demo   (or PYTHONPATH=bindings/python python3 examples/digits_classification.py)
"""
import numpy as np

import losses
from optim import Adam


def load():
    from sklearn.datasets import load_digits

    digits = load_digits()
    x = (digits.data / 16.0).astype(np.float32)
    return x, digits.target.astype(np.int64)


def split(x, y, rng):
    order = rng.permutation(len(y))
    test, train = order[:500], order[500:]
    keep = np.array([i for i in train if y[i] < 5 or rng.uniform() < 1 / 6])
    return x[keep], y[keep], x[test], y[test]


def train(loss, x, y, epochs=200):
    w = np.zeros((x.shape[1], 10), np.float32)
    b = np.zeros(10, np.float32)
    optimiser = Adam([w, b], lr=0.05)
    grad_logits = np.empty((len(y), 10), np.float32)  # liblosses writes the gradient here
    history = []
    for _ in range(epochs):
        logits = x @ w + b
        value, _ = loss(logits, y, return_grad=True, grad_out=grad_logits)
        optimiser.step([x.T @ grad_logits, grad_logits.sum(axis=0)])
        history.append(float(value))
    return w, b, history


def accuracy(w, b, x, y, classes):
    predicted = np.argmax(x @ w + b, axis=1)
    mask = np.isin(y, classes)
    return float(np.mean(predicted[mask] == y[mask]))


def main():
    rng = np.random.default_rng(0)
    x_train, y_train, x_test, y_test = split(*load(), rng)
    counts = np.bincount(y_train, minlength=10)
    print(f"scikit-learn digits: {len(y_train)} training images (per class {counts.tolist()}), "
          f"{len(y_test)} test images\n")
    runs = {
        "cross_entropy": train(lambda p, t, **k: losses.cross_entropy(p, t, label_smoothing=0.05, **k),
                               x_train, y_train),
        "focal_loss": train(lambda p, t, **k: losses.focal_loss(p, t, gamma=2.0, **k), x_train, y_train),
    }
    print(f"{'epoch':>5}  {'cross_entropy':>14}  {'focal_loss':>11}")
    for epoch in (0, 9, 49, 99, 199):
        print(f"{epoch + 1:>5}  {runs['cross_entropy'][2][epoch]:>14.5f}  {runs['focal_loss'][2][epoch]:>11.5f}")
    print(f"\n{'trained with':<14} {'test accuracy':>13} {'digits 0-4':>11} {'digits 5-9 (rare)':>18}")
    for name, (w, b, _) in runs.items():
        print(f"{name:<14} {accuracy(w, b, x_test, y_test, range(10)):>13.3f} "
              f"{accuracy(w, b, x_test, y_test, range(5)):>11.3f} {accuracy(w, b, x_test, y_test, range(5, 10)):>18.3f}")
    assert min(accuracy(w, b, x_test, y_test, range(10)) for w, b, _ in runs.values()) > 0.85


if __name__ == "__main__":
    main()
