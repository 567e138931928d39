"""liblosses demo: learning a restoration filter by gradient descent on SSIM and on MSE.

Data: scikit-image's sample photographs `camera` (training) and `astronaut` in grey (held out),
each averaged over 4x4 blocks to 128x128 in [0, 1]. Both are degraded the same way with a fixed
seed: a Gaussian blur (sigma 1, 7 taps) and Gaussian noise (sigma 0.08). A 7x7 linear filter,
started at the identity, is trained on the camera pair to map the degraded image to the clean
one: 150 Adam steps (lr 0.01) on loss(filter * degraded, clean), once with ssim_loss (window 11,
sigma 1.5, data_range 1) and once with mse_loss. liblosses gives each loss and its gradient
w.r.t. the filtered image; the filter's gradient is that gradient correlated with the degraded
image (one product with its 7x7 patches). Quality against the clean images: PSNR (dB) and SSIM
(1 - ssim_loss). The images go to .build/demo/ as PNGs: clean, degraded, and each restoration.

Run: make demo   (or PYTHONPATH=bindings/python python3 examples/image_restoration.py)
"""
import os

import numpy as np

import losses
from optim import Adam

SIZE, TAPS, STEPS, LR, BLUR_SIGMA, NOISE = 128, 7, 150, 0.01, 1.0, 0.08
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".build", "demo")


def load(name):
    from skimage import data
    image = getattr(data, name)().astype(np.float64) / 255.0
    if image.ndim == 3:
        image = image @ np.array([0.2125, 0.7154, 0.0721])
    block = image.shape[0] // SIZE
    return image.reshape(SIZE, block, SIZE, block).mean(axis=(1, 3))


def patches(image):
    """The TAPS x TAPS neighbourhood of every pixel (reflected at the edges): (SIZE², TAPS²)."""
    r = TAPS // 2
    padded = np.pad(image, r, mode="reflect")
    return np.lib.stride_tricks.sliding_window_view(padded, (TAPS, TAPS)).reshape(SIZE * SIZE, TAPS * TAPS)


def degrade(image, rng):
    taps = np.arange(TAPS) - TAPS // 2
    g = np.exp(-taps**2 / (2 * BLUR_SIGMA**2))
    kernel = np.outer(g, g) / np.outer(g, g).sum()
    blurred = (patches(image) @ kernel.ravel()).reshape(SIZE, SIZE)
    return np.clip(blurred + NOISE * rng.standard_normal(image.shape), 0, 1)


def psnr(x, clean):
    return 10 * np.log10(1.0 / np.mean((x - clean) ** 2))


def ssim(x, clean):
    return 1 - float(losses.ssim_loss(x[None, None], clean[None, None]))


def train(degraded, clean, loss):
    """The filter (TAPS²,) that maps degraded to clean under `loss`."""
    p = patches(degraded)
    weights = np.zeros(TAPS * TAPS)
    weights[TAPS * TAPS // 2] = 1.0
    optimiser = Adam([weights], lr=LR)
    for _ in range(STEPS):
        restored = (p @ weights).reshape(1, 1, SIZE, SIZE)
        if loss == "SSIM":
            _, (grad, _) = losses.ssim_loss(restored, clean[None, None], return_grad=True)
        else:
            _, grad = losses.mse_loss(restored, clean[None, None], return_grad=True)
        optimiser.step([grad.reshape(-1) @ p])
    return weights


def save(name, image):
    from PIL import Image
    os.makedirs(OUT, exist_ok=True)
    Image.fromarray(np.round(np.clip(image, 0, 1) * 255).astype(np.uint8)).save(os.path.join(OUT, f"{name}.png"))


def main():
    rng = np.random.default_rng(0)
    images = {name: load(name) for name in ("camera", "astronaut")}
    degraded = {name: degrade(image, rng) for name, image in images.items()}
    filters = {loss: train(degraded["camera"], images["camera"], loss) for loss in ("MSE", "SSIM")}
    print(f"{SIZE}x{SIZE} images, blur sigma {BLUR_SIGMA} + noise sigma {NOISE}; a {TAPS}x{TAPS} filter trained on "
          f"camera for {STEPS} Adam steps per loss")
    print(f"{'image':<10} {'':<18} {'PSNR (dB)':>10} {'SSIM':>8}")
    for name, clean in images.items():
        save(f"{name}_clean", clean)
        rows = {"degraded": degraded[name]}
        rows.update({f"filter ({loss})": np.clip((patches(degraded[name]) @ w).reshape(SIZE, SIZE), 0, 1)
                     for loss, w in filters.items()})
        for label, image in rows.items():
            print(f"{name:<10} {label:<18} {psnr(image, clean):>10.2f} {ssim(image, clean):>8.4f}")
            save(f"{name}_{label.replace(' (', '_').replace(')', '').lower()}", image)
        better = ssim(rows["filter (SSIM)"], clean)
        assert better > ssim(degraded[name], clean), f"{name}: the SSIM-trained filter should raise SSIM"
    print(f"PNGs in {os.path.normpath(OUT)}")


if __name__ == "__main__":
    main()
