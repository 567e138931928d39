"""The image-quality rows of `make bench`: ssim_loss and ms_ssim_loss at 8x3x256x256 float32,
value and value+gradient (w.r.t. x), through liblosses' Python call against pytorch_msssim
(forward, and forward and backward) when installed, timed in the same run as the rest of
bench/run.py. Target: value+gradient at least 5x pytorch_msssim's."""
import numpy as np

import losses
import tables  # bench/tables.py: the times and targets tables every section prints

try:
    import torch
except ImportError:
    torch = None

try:
    import pytorch_msssim
except ImportError:
    pytorch_msssim = None

TARGET = 5.0
SHAPE = (8, 3, 256, 256)


def _cases(rng, loss):
    x = rng.uniform(0, 1, SHAPE).astype(np.float32)
    y = np.clip(x + 0.05 * rng.standard_normal(SHAPE).astype(np.float32), 0, 1).astype(np.float32)
    ours = getattr(losses, loss, None)
    if ours is None:
        return {}
    cases = {"liblosses": (lambda: ours(x, y), lambda: ours(x, y, return_grad=True))}
    if torch is None or pytorch_msssim is None:
        return cases
    theirs = pytorch_msssim.ssim if loss == "ssim_loss" else pytorch_msssim.ms_ssim
    tx, ty = torch.from_numpy(x).clone().requires_grad_(True), torch.from_numpy(y)

    def backward():
        tx.grad = None
        (1 - theirs(tx, ty, data_range=1.0)).backward()

    # pytorch_msssim's value must agree with liblosses' before it is timed (float32 arithmetic
    # against liblosses' double: a few 1e-6).
    with torch.no_grad():
        got = 1 - theirs(tx, ty, data_range=1.0).item()
    expected = float(ours(x, y))
    assert abs(got - expected) <= 1e-4, (loss, got, expected)
    cases["pytorch_msssim"] = (lambda: 1 - theirs(tx.detach(), ty, data_range=1.0), backward)
    return cases


def rows(median_seconds, budget, rng):
    """[{loss, shape, grad, liblosses, liblosses 1 thread, pytorch_msssim}] in seconds (None where
    not installed); liblosses also on one thread, for the reason of a missed target."""
    result = []
    for loss in ("ssim_loss", "ms_ssim_loss"):
        cases = _cases(rng, loss)
        if not cases:
            continue
        for grad in (0, 1):
            row = dict(loss=loss, dtype="float32", shape="x".join(map(str, SHAPE)), grad=grad)
            for name in ("liblosses", "pytorch_msssim"):
                call = cases[name][grad] if name in cases else None
                row[name] = median_seconds(call, budget) if call else None
            threads = losses.get_num_threads()
            losses.set_num_threads(1)
            try:
                row["liblosses 1 thread"] = median_seconds(cases["liblosses"][grad], budget)
            finally:
                losses.set_num_threads(threads)
            row["threads"] = threads
            result.append(row)
    return result


def report(rows, fmt):
    """The Markdown section: times, ratios, and each target met or missed with its reason."""
    lines = ["", "## Image quality", "",
             "ssim_loss and ms_ssim_loss (1 - SSIM, 1 - MS-SSIM; window 11, sigma 1.5, data_range 1) at 8x3x256x256 "
             "float32: value, and value+gradient w.r.t. x, through liblosses' Python call against pytorch_msssim "
             "(forward; forward and backward of 1 - its value), whose value is checked against liblosses' before it "
             "is timed. Ratios above 1 mean liblosses is faster.", ""]
    lines += tables.times(rows, fmt, ["pytorch_msssim"], extra=["liblosses 1 thread"])

    def reason(r, peer):
        # The row's own measurements: what the gradient adds over the value, and the threads.
        value = next(v for v in rows if v["loss"] == r["loss"] and not v["grad"])
        backward = r["liblosses"] - value["liblosses"]
        return (f"; the value alone takes {fmt(value['liblosses'])} ({r[peer] / value['liblosses']:.1f}× "
                f"pytorch_msssim's value+gradient) and the gradient adds {fmt(backward)}"
                ": four adjoint filterings of every plane (and level) in float64, where pytorch_msssim "
                "runs float32 convolutions"
                f"; {r['threads']} threads take it from {fmt(r['liblosses 1 thread'])} on one "
                f"({r['liblosses 1 thread'] / r['liblosses']:.1f}×)")
    lines += tables.targets(rows, fmt, [("pytorch_msssim", TARGET)], reason)
    return lines
