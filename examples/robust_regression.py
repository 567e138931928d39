"""liblosses demo: robust linear regression on data with outliers, Huber against MSE.

Synthetic data, clearly labelled as such: y = 2.5·x1 - 1.0·x2 + 0.5 + noise, with 10% of the
training targets replaced by gross outliers. Two linear models are trained by full-batch
gradient descent (Adam), one on mse_loss and one on huber_loss; liblosses supplies every loss
value and the gradient with respect to the predictions, and the chain rule through the linear
model is two NumPy lines. Huber's bounded gradient ignores the outliers; MSE's does not.

Run: make demo   (or PYTHONPATH=bindings/python python3 examples/robust_regression.py)
"""
import numpy as np

import losses
from optim import Adam

TRUE_W = np.array([2.5, -1.0], np.float32)
TRUE_B = np.float32(0.5)


def make_data(rng, n, outliers):
    x = rng.standard_normal((n, 2)).astype(np.float32)
    y = (x @ TRUE_W + TRUE_B + 0.1 * rng.standard_normal(n)).astype(np.float32)
    if outliers:
        bad = rng.choice(n, size=n // 10, replace=False)
        y[bad] += rng.uniform(15, 30, size=bad.size).astype(np.float32)  # one-sided corruption
    return x, y


def train(loss, x, y, epochs=300):
    w, b = np.zeros(2, np.float32), np.zeros(1, np.float32)
    optimiser = Adam([w, b])
    grad_pred = np.empty_like(y)  # liblosses writes the gradient straight into this buffer
    history = []
    for _ in range(epochs):
        pred = x @ w + b
        value, _ = loss(pred, y, return_grad=True, grad_out=grad_pred)
        optimiser.step([x.T @ grad_pred, np.array([grad_pred.sum()], np.float32)])
        history.append(float(value))
    return w, b[0], history


def main():
    rng = np.random.default_rng(0)
    x, y = make_data(rng, 2000, outliers=True)
    x_test, y_test = make_data(rng, 1000, outliers=False)
    print(f"liblosses {losses.__version__} ({losses.library_path})")
    print("Synthetic data: y = 2.5*x1 - 1.0*x2 + 0.5 + N(0, 0.1^2); 10% of training targets "
          "shifted up by 15..30\n")

    runs = {
        "mse_loss": train(losses.mse_loss, x, y),
        "huber_loss": train(lambda p, t, **k: losses.huber_loss(p, t, delta=1.0, **k), x, y),
    }

    print(f"{'epoch':>5}  {'mse_loss (MSE model)':>22}  {'huber_loss (Huber model)':>25}")
    for epoch in (0, 1, 5, 10, 25, 50, 100, 200, 299):
        print(f"{epoch + 1:>5}  {runs['mse_loss'][2][epoch]:>22.5f}  {runs['huber_loss'][2][epoch]:>25.5f}")

    print(f"\n{'model':<12} {'w1':>8} {'w2':>8} {'b':>8}   clean-test L1 error")
    print(f"{'true':<12} {TRUE_W[0]:>8.3f} {TRUE_W[1]:>8.3f} {TRUE_B:>8.3f}")
    for name, (w, b, _) in runs.items():
        error = losses.l1_loss(x_test @ w + b, y_test)
        print(f"{name:<12} {w[0]:>8.3f} {w[1]:>8.3f} {b:>8.3f}   {error:.4f}")
    w_h, b_h, _ = runs["huber_loss"]
    w_m, b_m, _ = runs["mse_loss"]
    assert abs(b_h - TRUE_B) < abs(b_m - TRUE_B), "Huber should resist the outliers better than MSE"
    print("\nHuber's bounded gradient leaves the intercept near 0.5; MSE's is dragged up by the outliers.")


if __name__ == "__main__":
    main()
