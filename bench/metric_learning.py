"""The metric-learning rows of `make bench` (issue 12's targets): each loss at its benchmark
shape, value and value+gradient, through liblosses' Python call, PyTorch's own function and
pytorch-metric-learning (PML) when installed, timed in the same run as the rest of bench/run.py.

PML computes triplet_margin_loss on one embedding matrix and an explicit triplet tuple
(indices_tuple), with LpDistance(normalize_embeddings=False), p = 2 and margin 1: the same
values as F.triplet_margin_loss up to its eps, so the comparison is like for like.
"""
import numpy as np

import losses
import tables  # bench/tables.py: the times and targets tables every section prints

try:
    import torch
    import torch.nn.functional as F
except ImportError:
    torch = None

try:
    from pytorch_metric_learning import distances as pml_distances
    from pytorch_metric_learning import losses as pml_losses
    from pytorch_metric_learning import miners as pml_miners
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


def _batch_cases(ours, torch_formula, pml_loss, x, labels):
    """The value and value+gradient calls of a batch loss on (x, labels) for liblosses, PyTorch's
    composed formula and PML (a callable of (embeddings, labels), or None)."""
    cases = {"liblosses": (lambda: ours(x), lambda: ours(x, return_grad=True))}
    gradient = np.empty_like(x)
    cases["liblosses, grad_out="] = (None, lambda: ours(x, return_grad=True, grad_out=gradient))
    if torch is None:
        return cases
    tx = torch.from_numpy(x).clone().requires_grad_(True)
    ty = torch.from_numpy(labels)

    def backward(formula):
        def run():
            tx.grad = None
            formula(tx, ty).backward()
        return run

    # Each formula must agree with liblosses before it is timed: a like-for-like comparison.
    with torch.no_grad():
        expected = float(ours(x))
        for formula in (torch_formula, pml_loss):
            if formula is not None:
                got = formula(tx, ty).item()
                assert abs(got - expected) <= 1e-4 * max(1.0, abs(expected)), (formula, got, expected)
    cases["PyTorch"] = (lambda: torch_formula(tx.detach(), ty), backward(torch_formula))
    # The same formula in float64, the precision liblosses accumulates in (every similarity's sum;
    # PyTorch's float32 products run at twice the rate): the like-for-like reason of a missed target.
    tx64 = tx.detach().double().requires_grad_(True)

    def backward64():
        tx64.grad = None
        torch_formula(tx64, ty).backward()

    cases["PyTorch float64"] = (lambda: torch_formula(tx64.detach(), ty), backward64)
    if pml_loss is not None:
        cases["PML"] = (lambda: pml_loss(tx.detach(), ty), backward(pml_loss))
    return cases


def _valid_mean(values, valid):
    return values[valid].sum() / valid.sum().clamp_min(1)


def batch_hard(rng, n=512, d=256, classes=64, margin=0.3):
    x = rng.standard_normal((n, d)).astype(np.float32)
    labels = rng.integers(0, classes, n)

    def formula(x, y):
        # The composed formula every re-identification codebase writes: cdist, masked max and min.
        dist = torch.cdist(x, x)
        same = y[:, None] == y[None]
        positive = same & ~torch.eye(len(y), dtype=torch.bool)
        farthest = dist.masked_fill(~positive, -float("inf")).max(1).values
        closest = dist.masked_fill(same, float("inf")).min(1).values
        valid = positive.any(1) & (~same).any(1)
        return _valid_mean(torch.relu(farthest - closest + margin), valid)

    pml = None
    if pml_losses is not None:
        miner = pml_miners.BatchHardMiner(distance=pml_distances.LpDistance(normalize_embeddings=False))
        loss = pml_losses.TripletMarginLoss(margin=margin, distance=pml_distances.LpDistance(normalize_embeddings=False),
                                            reducer=pml_reducers.MeanReducer())
        pml = lambda x, y: loss(x, y, miner(x, y))  # noqa: E731
    ours = lambda x, **k: losses.batch_hard_triplet_loss(x, labels, margin, **k)  # noqa: E731
    return f"{n}x{d}", _batch_cases(ours, formula if torch else None, pml, x, labels)


def circle(rng, n=512, d=256, classes=64, m=0.4, gamma=80.0):
    x = rng.standard_normal((n, d)).astype(np.float32)
    labels = rng.integers(0, classes, n)

    def formula(x, y):
        xn = F.normalize(x)
        s = xn @ xn.T
        same = y[:, None] == y[None]
        positive, negative = same & ~torch.eye(len(y), dtype=torch.bool), ~same
        ap, an = torch.relu(1 + m - s.detach()), torch.relu(s.detach() + m)
        lp = torch.where(positive, -gamma * ap * (s - (1 - m)), -float("inf")).logsumexp(1)
        ln = torch.where(negative, gamma * an * (s - m), -float("inf")).logsumexp(1)
        return _valid_mean(F.softplus(lp + ln), positive.any(1) & negative.any(1))

    pml = pml_losses.CircleLoss(m=m, gamma=gamma) if pml_losses is not None else None
    ours = lambda x, **k: losses.circle_loss_embeddings(x, labels, m, gamma, **k)  # noqa: E731
    return f"{n}x{d}", _batch_cases(ours, formula if torch else None, pml, x, labels)


def ntxent(rng, n=512, d=256, temperature=0.07):
    x = rng.standard_normal((n, d)).astype(np.float32)
    labels = np.concatenate([np.arange(n // 2), np.arange(n // 2)])

    def formula(x, y):
        xn = F.normalize(x)
        s = (xn @ xn.T / temperature).masked_fill(torch.eye(len(y), dtype=torch.bool), -float("inf"))
        return F.cross_entropy(s, (torch.arange(len(y)) + len(y) // 2) % len(y))

    pml = pml_losses.NTXentLoss(temperature=temperature) if pml_losses is not None else None
    ours = lambda x, **k: losses.ntxent_loss(x, temperature, **k)  # noqa: E731
    return f"{n}x{d}", _batch_cases(ours, formula if torch else None, pml, x, labels)


def rows(median_seconds, budget, rng):
    """[{loss, shape, grad, liblosses, PyTorch, PML}] in seconds (None where not installed)."""
    result = []
    for loss, make in (("triplet_margin_loss", triplet), ("batch_hard_triplet_loss", batch_hard),
                       ("circle_loss_embeddings", circle), ("ntxent_loss", ntxent)):
        shape, cases = make(rng)
        for grad in (0, 1):
            row = dict(loss=loss, dtype="float32", shape=shape, grad=grad)
            for name in ("liblosses", "liblosses, grad_out=", "PyTorch", "PyTorch float64", "PML"):
                call = cases[name][grad] if name in cases else None
                row[name] = median_seconds(call, budget) if call else None
            result.append(row)
    return result


def report(rows, fmt):
    """The Markdown section: times, ratios, and each target met or missed with its numbers."""
    lines = ["", "## Metric learning", "",
             "Value and value+gradient (w.r.t. every input) through liblosses' Python call, against PyTorch's "
             "function or composed formula (forward and backward) and pytorch-metric-learning (PML: an explicit "
             "triplet tuple for triplet_margin_loss, BatchHardMiner + TripletMarginLoss without normalisation for "
             "batch-hard, CircleLoss, NTXentLoss), float32; every peer's value is checked against liblosses' "
             "before it is timed. Ratios above 1 mean liblosses is faster.", ""]
    lines += tables.times(rows, fmt, ["PyTorch", "PML"])

    def reason(r, peer):
        in_float64 = r.get("PyTorch float64")
        if peer == "PyTorch" and in_float64:
            return (f"; PyTorch's products run in float32, liblosses accumulates every similarity in "
                    f"float64 (its accuracy promise) at half that rate: the same formula in float64 takes "
                    f"{fmt(in_float64)}, {in_float64 / r['liblosses']:.1f}× liblosses' time")
        if r.get("liblosses, grad_out="):
            return (tables.preallocated(r, peer, fmt, "the gradients written into arrays")
                    + ": the rest is allocating and first touching new gradient arrays on every call")
        return ""
    lines += tables.targets(rows, fmt, [("PyTorch", TARGET_TORCH), ("PML", TARGET_PML)], reason)
    return lines
