"""The detection rows of `make bench`: generalized_box_iou_loss and complete_box_iou_loss at 10^5
boxes, float32, value and value+gradient (w.r.t. both sets of boxes), through liblosses' Python
call and torchvision.ops (forward, and forward + backward), timed in the same run as the rest of
bench/run.py. Each torchvision value is checked against liblosses' before it is timed.

Target, value+gradient: liblosses at least 3× torchvision. A missed target gives its reason from
the row's own measurement: the same call with grad_out= (gradients written into arrays allocated
once), which separates allocating and first touching two new (n, 4) arrays per call from the
arithmetic.
"""
import numpy as np

import losses
import tables  # bench/tables.py: the times and targets tables every section prints

try:
    import torch
    import torchvision.ops as tvops
except ImportError:
    torch = tvops = None

TARGET = 3.0
N = 100_000


def _boxes(rng, n):
    corner = rng.uniform(0, 100, size=(n, 2))
    size = rng.uniform(1, 30, size=(n, 2))
    return np.concatenate([corner, corner + size], axis=1).astype(np.float32)


def cases(loss, rng, n=N):
    """{name: (value call, value+gradient call)} for one loss at n boxes, float32, reduction 'mean'."""
    b1, b2 = _boxes(rng, n), _boxes(rng, n)
    ours = getattr(losses, loss)
    result = {"liblosses": (lambda: ours(b1, b2, reduction="mean"),
                            lambda: ours(b1, b2, reduction="mean", return_grad=True))}
    grads = (np.empty_like(b1), np.empty_like(b2))
    result["liblosses, grad_out="] = (None, lambda: ours(b1, b2, reduction="mean", return_grad=True, grad_out=grads))
    if tvops is not None:
        theirs = getattr(tvops, loss)
        t1, t2 = (torch.from_numpy(b).clone().requires_grad_(True) for b in (b1, b2))
        with torch.no_grad():
            check = theirs(t1, t2, reduction="mean").item()
        mine = float(ours(b1, b2, reduction="mean"))
        assert abs(check - mine) <= 1e-4 * max(1.0, abs(mine)), (loss, check, mine)

        def torch_grad():
            t1.grad = t2.grad = None
            theirs(t1, t2, reduction="mean").backward()

        def torch_value():
            with torch.no_grad():
                return theirs(t1, t2, reduction="mean")

        result["torchvision"] = (torch_value, torch_grad)
    return result


def rows(median_seconds, budget, rng):
    """[{loss, shape, grad, liblosses, liblosses grad_out=, torchvision}] in seconds (None where not
    installed)."""
    result = []
    for loss in ("generalized_box_iou_loss", "complete_box_iou_loss"):
        calls = cases(loss, rng)
        for grad in (0, 1):
            row = dict(loss=loss, dtype="float32", shape=f"{N} boxes", grad=grad)
            for name in ("liblosses", "liblosses, grad_out=", "torchvision"):
                call = calls[name][grad] if name in calls else None
                row[name] = median_seconds(call, budget) if call else None
            result.append(row)
    return result


def report(rows, fmt):
    """The Markdown section: times, ratios, and the target met or missed with its numbers."""
    lines = ["", "## Detection", "",
             "Value and value+gradient (w.r.t. both sets of boxes) of the box IoU losses at 10^5 float32 box pairs, "
             "reduction 'mean', through liblosses' Python call against torchvision.ops (forward; forward and "
             "backward); torchvision's value is checked against liblosses' before it is timed. Ratios above 1 mean "
             "liblosses is faster.", ""]
    lines += tables.times(rows, fmt, ["torchvision"])
    lines += tables.targets(rows, fmt, [("torchvision", TARGET)], lambda r, peer: (
        tables.preallocated(r, peer, fmt, "the gradients written into arrays")
        + ": the rest is allocating and first touching two new (n, 4) gradient arrays on every call"
        if r.get("liblosses, grad_out=") else ""))
    return lines
