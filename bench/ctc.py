"""The CTC rows of `make bench`: ctc_loss at T=200, N=32, C=30, S=50 float32 (log_softmax inputs,
padded targets of 25..50 labels, input lengths 150..200, blank 0, reduction 'mean'), value and
value+gradient w.r.t. log_probs, through liblosses' Python call and PyTorch's CPU F.ctc_loss
(forward; forward and backward through autograd), timed in the same run as the rest of
bench/run.py; PyTorch's value is checked against liblosses' before it is timed. Run alone:
`python bench/ctc.py`.

Target, value+gradient: liblosses at least 2× PyTorch. A missed target gives its reason from the
row's own measurements: the time per cell (one time step of one state of the extended target,
summed over the batch) of either side.
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
T, N, C, S = 200, 32, 30, 50


def _inputs(rng):
    logits = rng.standard_normal((T, N, C))
    log_probs = (logits - np.log(np.exp(logits).sum(-1, keepdims=True))).astype(np.float32)
    targets = rng.integers(1, C, (N, S)).astype(np.int64)
    input_lengths = rng.integers(150, T + 1, N).astype(np.int64)
    target_lengths = rng.integers(25, S + 1, N).astype(np.int64)
    return log_probs, targets, input_lengths, target_lengths


def cells(input_lengths, target_lengths):
    """The (time step, state) cells of the forward-backward recursions over the batch."""
    return int((input_lengths * (2 * target_lengths + 1)).sum())


def cases(rng):
    """{name: (value call, value+gradient call)} and the cell count."""
    x, y, il, tl = _inputs(rng)
    result = {"liblosses": (lambda: losses.ctc_loss(x, y, il, tl),
                            lambda: losses.ctc_loss(x, y, il, tl, return_grad=True))}
    if torch is not None:
        tx = torch.from_numpy(x).clone().requires_grad_(True)
        ty, til, ttl = torch.from_numpy(y), torch.from_numpy(il), torch.from_numpy(tl)
        with torch.no_grad():
            check = F.ctc_loss(tx, ty, til, ttl).item()
        mine = float(losses.ctc_loss(x, y, il, tl))
        assert abs(check - mine) <= 1e-4 * max(1.0, abs(mine)), (check, mine)

        def torch_value():
            with torch.no_grad():
                return F.ctc_loss(tx, ty, til, ttl)

        def torch_grad():
            tx.grad = None
            F.ctc_loss(tx, ty, til, ttl).backward()

        result["PyTorch"] = (torch_value, torch_grad)
    return result, cells(il, tl)


def rows(median_seconds, budget, rng):
    """[{loss, shape, grad, liblosses, PyTorch, cells}] in seconds (None where not installed)."""
    calls, count = cases(rng)
    result = []
    for grad in (0, 1):
        row = dict(loss="ctc_loss", dtype="float32", shape=f"T{T} N{N} C{C} S{S}", grad=grad, cells=count)
        for name in ("liblosses", "PyTorch"):
            call = calls[name][grad] if name in calls else None
            row[name] = median_seconds(call, budget) if call else None
        result.append(row)
    return result


def report(rows, fmt):
    """The Markdown section: times, ratios, and the target met or missed with its numbers."""
    lines = ["", "## Sequences (CTC)", "",
             f"Value and value+gradient (w.r.t. log_probs) of ctc_loss at T={T}, N={N}, C={C}, S={S} float32 "
             "log_softmax inputs (padded targets of 25..50 labels, input lengths 150..200, reduction 'mean'), "
             "through liblosses' Python call against PyTorch's CPU F.ctc_loss (forward; forward and backward "
             "through autograd); PyTorch's value is checked against liblosses' before it is timed. Ratios above 1 "
             "mean liblosses is faster.", ""]
    lines += tables.times(rows, fmt, ["PyTorch"])

    def per_cell(r, peer):
        return (f"; per (time step, state) cell of the {r['cells']} in the batch: liblosses "
                f"{r['liblosses'] / r['cells'] * 1e9:.1f} ns, {peer} {r[peer] / r['cells'] * 1e9:.1f} ns (wall time, "
                "both on every core): the log-add-exp of up to three terms per cell in each pass")

    lines += tables.targets(rows, fmt, [("PyTorch", TARGET)], per_cell)
    return lines


if __name__ == "__main__":
    import run  # bench/run.py: the timer and the format of every section

    print("\n".join(report(rows(run.median_seconds, 1.0, np.random.default_rng(0)), run.fmt)))
