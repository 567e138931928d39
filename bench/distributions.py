"""The distributions rows of `make bench`: kl_div at 4096 x 1000 float32 (log-softmax inputs against
softmax targets, reduction 'batchmean'), value and value+gradient w.r.t. the input, through
liblosses' Python call and PyTorch's F.kl_div (forward; forward and backward through autograd),
timed in the same run as the rest of bench/run.py; PyTorch's value is checked against liblosses'
before it is timed. Run alone: `python bench/distributions.py`.

Target, value+gradient: liblosses at least 2× PyTorch. A missed target gives its reason from the
row's own measurements: the same call with grad_out= (the gradient written into an array allocated
once), and liblosses' value alone (its log pass and sum, the part the gradient does not add).
"""
import os
import sys

import numpy as np

try:
    import torch
    import torch.nn.functional as F
except ImportError:
    torch = F = None

if __name__ == "__main__":  # run alone: the package from the source tree
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "bindings", "python"))
import losses  # noqa: E402
import tables  # noqa: E402  (bench/tables.py: the times and targets tables every section prints)

TARGET = 2.0
SHAPE = (4096, 1000)


def _inputs(rng):
    logits = rng.standard_normal(SHAPE).astype(np.float32)
    log_q = logits - np.log(np.exp(logits).sum(1, keepdims=True))
    target = rng.standard_normal(SHAPE).astype(np.float32)
    target = np.exp(target) / np.exp(target).sum(1, keepdims=True)
    return log_q.astype(np.float32), target.astype(np.float32)


def cases(rng):
    """{name: (value call, value+gradient call)}."""
    x, t = _inputs(rng)
    result = {"liblosses": (lambda: losses.kl_div(x, t, reduction="batchmean"),
                            lambda: losses.kl_div(x, t, reduction="batchmean", return_grad=True))}
    grad = np.empty_like(x)
    result["liblosses, grad_out="] = (None, lambda: losses.kl_div(x, t, reduction="batchmean", return_grad=True,
                                                                  grad_out=grad))
    if torch is not None:
        tx, tt = torch.from_numpy(x).clone().requires_grad_(True), torch.from_numpy(t)
        with torch.no_grad():
            check = F.kl_div(tx, tt, reduction="batchmean").item()
        mine = float(losses.kl_div(x, t, reduction="batchmean"))
        assert abs(check - mine) <= 1e-4 * max(1.0, abs(mine)), (check, mine)

        def torch_value():
            with torch.no_grad():
                return F.kl_div(tx, tt, reduction="batchmean")

        def torch_grad():
            tx.grad = None
            F.kl_div(tx, tt, reduction="batchmean").backward()

        result["PyTorch"] = (torch_value, torch_grad)
    return result


def rows(median_seconds, budget, rng):
    """[{loss, shape, grad, liblosses, liblosses grad_out=, PyTorch}] in seconds (None where not
    installed)."""
    calls = cases(rng)
    result = []
    for grad in (0, 1):
        row = dict(loss="kl_div", dtype="float32", shape=f"{SHAPE[0]}x{SHAPE[1]}", grad=grad)
        for name in ("liblosses", "liblosses, grad_out=", "PyTorch"):
            call = calls[name][grad] if name in calls else None
            row[name] = median_seconds(call, budget) if call else None
        result.append(row)
    return result


def report(rows, fmt):
    """The Markdown section: times, ratios, and the target met or missed with its numbers."""
    lines = ["", "## Distributions", "",
             "Value and value+gradient (w.r.t. the input) of kl_div at 4096 x 1000 float32 log-probabilities against "
             "probabilities, reduction 'batchmean', through liblosses' Python call against PyTorch's F.kl_div (forward; "
             "forward and backward through autograd); PyTorch's value is checked against liblosses' before it is "
             "timed. Ratios above 1 mean liblosses is faster.", ""]
    lines += tables.times(rows, fmt, ["PyTorch"])
    value = next((r for r in rows if not r["grad"]), None)
    lines += tables.targets(rows, fmt, [("PyTorch", TARGET)], lambda r, peer: (
        tables.preallocated(r, peer, fmt, "the gradient written into an array")
        + f", the value alone {fmt(value['liblosses']) if value else '—'}: the rest is allocating and first "
          "touching the new 16 MB gradient array on every call"
        if r.get("liblosses, grad_out=") else ""))
    return lines


if __name__ == "__main__":
    import run  # bench/run.py: the timer and the format of every section

    print("\n".join(report(rows(run.median_seconds, 1.0, np.random.default_rng(0)), run.fmt)))
