"""The metric-learning rows of `make bench` (issue 12's targets): each loss at its benchmark
shape, value and value+gradient, through liblosses' Python call, PyTorch's own function and
pytorch-metric-learning (PML) when installed, timed in the same run as the rest of bench/run.py.

PML computes triplet_margin_loss on one embedding matrix and an explicit triplet tuple
(indices_tuple), with LpDistance(normalize_embeddings=False), p = 2 and margin 1: the same
values as F.triplet_margin_loss up to its eps, so the comparison is like for like.
"""
import numpy as np

import losses

try:
    import torch
    import torch.nn.functional as F
except ImportError:
    torch = None

try:
    from pytorch_metric_learning import distances as pml_distances
    from pytorch_metric_learning import losses as pml_losses
    from pytorch_metric_learning import reducers as pml_reducers
except ImportError:
    pml_losses = None

# Targets of issue 12, value+gradient: liblosses against PyTorch's formula and against PML.
TARGET_TORCH, TARGET_PML = 2.0, 3.0


def triplet(rng, n=1024, d=512):
    a, p, q = (rng.standard_normal((n, d)).astype(np.float32) for _ in range(3))
    cases = {"liblosses": (lambda: losses.triplet_margin_loss(a, p, q),
                           lambda: losses.triplet_margin_loss(a, p, q, return_grad=True))}
    # The same call writing into gradients allocated once: what allocating and first touching
    # three new (n, d) arrays costs on each call is the difference.
    grads = tuple(np.empty_like(a) for _ in range(3))
    cases["liblosses, grad_out="] = (None, lambda: losses.triplet_margin_loss(a, p, q, return_grad=True, grad_out=grads))
    if torch is not None:
        ta, tp, tq = (torch.from_numpy(x).clone().requires_grad_(True) for x in (a, p, q))

        def torch_grad():
            for t in (ta, tp, tq):
                t.grad = None
            F.triplet_margin_loss(ta, tp, tq).backward()

        cases["PyTorch"] = (lambda: F.triplet_margin_loss(ta.detach(), tp.detach(), tq.detach()), torch_grad)
    if torch is not None and pml_losses is not None:
        embeddings = torch.from_numpy(np.concatenate([a, p, q])).requires_grad_(True)
        labels = torch.zeros(3 * n, dtype=torch.long)
        indices = (torch.arange(n), torch.arange(n, 2 * n), torch.arange(2 * n, 3 * n))
        loss = pml_losses.TripletMarginLoss(margin=1.0, distance=pml_distances.LpDistance(normalize_embeddings=False),
                                            reducer=pml_reducers.MeanReducer())

        def pml_grad():
            embeddings.grad = None
            loss(embeddings, labels, indices_tuple=indices).backward()

        with torch.no_grad():
            check = loss(embeddings, labels, indices_tuple=indices).item()
        reference = float(losses.triplet_margin_loss(a, p, q, eps=0.0))
        assert abs(check - reference) <= 1e-3 * abs(reference), (check, reference)
        cases["PML"] = (lambda: loss(embeddings.detach(), labels, indices_tuple=indices), pml_grad)
    return f"{n}x{d}", cases


def rows(median_seconds, budget, rng):
    """[{loss, shape, grad, liblosses, PyTorch, PML}] in seconds (None where not installed)."""
    result = []
    for loss, make in (("triplet_margin_loss", triplet),):
        shape, cases = make(rng)
        for grad in (0, 1):
            row = dict(loss=loss, dtype="float32", shape=shape, grad=grad)
            for name in ("liblosses", "liblosses, grad_out=", "PyTorch", "PML"):
                call = cases[name][grad] if name in cases else None
                row[name] = median_seconds(call, budget) if call else None
            result.append(row)
    return result


def report(rows, fmt):
    """The Markdown section: times, ratios, and each target met or missed with its numbers."""
    lines = ["", "## Metric learning", "",
             "Value and value+gradient (w.r.t. every input) through liblosses' Python call, against PyTorch's "
             "function (forward and backward) and pytorch-metric-learning (PML) on an explicit triplet tuple, "
             "float32. Ratios above 1 mean liblosses is faster.", "",
             "| loss | shape | | liblosses | PyTorch | PML | vs PyTorch | vs PML |", "|---|---|---|---|---|---|---|---|"]
    ratio = lambda peer, ours: f"{peer / ours:.1f}×" if peer else "—"  # noqa: E731
    for r in rows:
        lines.append(f"| {r['loss']} | {r['shape']} | {'+grad' if r['grad'] else 'value'} | {fmt(r['liblosses'])} | "
                     f"{fmt(r['PyTorch'])} | {fmt(r['PML'])} | {ratio(r['PyTorch'], r['liblosses'])} | "
                     f"{ratio(r['PML'], r['liblosses'])} |")
    lines += ["", "| target (value+gradient) | measured | met |", "|---|---|---|"]
    for r in rows:
        if not r["grad"]:
            continue
        for peer, goal in (("PyTorch", TARGET_TORCH), ("PML", TARGET_PML)):
            if r[peer] is None:
                lines.append(f"| {r['loss']} ≥ {goal:g}× {peer} | {peer} not installed | — |")
                continue
            speedup = r[peer] / r["liblosses"]
            reason = ""
            preallocated = r.get("liblosses, grad_out=")
            if speedup < goal and preallocated:
                reason = (f"; with the gradients written into arrays allocated once (grad_out=) the call takes "
                          f"{fmt(preallocated)} ({r[peer] / preallocated:.1f}×): the rest is allocating and first "
                          "touching three new gradient arrays on every call")
            lines.append(f"| {r['loss']} ≥ {goal:g}× {peer} | {fmt(r['liblosses'])} against {fmt(r[peer])}: "
                         f"{speedup:.1f}×{reason} | {'yes' if speedup >= goal else 'no'} |")
    return lines
