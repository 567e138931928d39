"""Writes the conformance vectors in Tests/vectors/<family>/<loss>.vec from independent
references.

References, as docs/ names them: PyTorch (float64, autograd for the gradients) for
mse/l1/huber/smooth_l1, cross_entropy, nll_loss, binary_cross_entropy, multi_margin_loss and
hinge_embedding_loss; the composed torch formula `maximum(q·u, (q-1)·u)` for the quantile
loss, its mean cross-checked with sklearn's mean_pinball_loss; the definition log(cosh d)
evaluated with mpmath at 120 digits for log-cosh (optax's formula overflows nowhere but is not
installed here). Where an anchor overflows or cancels (docs/decisions.md: where an anchor
overflows, liblosses does not), the reference is the same definition in a stable composed torch form
(logaddexp for soft_margin/logistic and BCE with logits, clamp_min for the binary hinge),
cross-checked against the anchor (F.soft_margin_loss, F.binary_cross_entropy_with_logits,
sklearn's hinge_loss) where the anchor is accurate; and for both focal losses the definition
evaluated with mpmath at 200 digits, gradients by mpmath.diff, cross-checked against
torchvision's sigmoid_focal_loss and the composed torch softmax focal formula.

float32 cases use float32 inputs; their expected values are the float64 reference on those
exact inputs, rounded once to float32 (a stricter target than PyTorch's own float32 result).

Every loss also gets a "defaults" case: the anchor called with no optional parameter at all
(reduction included), so that each suite's own defaults (the Python and Swift signatures, the
header's LOSSES_*_DEFAULT_* macros) are checked against the reference's. The distances
(pairwise_distance, cosine_similarity and their matrix forms) are PyTorch's functions in float64
with autograd, the matrix forms as PyTorch's broadcast call.

Needs torch, torchvision, numpy, scikit-learn and mpmath; CI only reads the committed files.
Run: make vectors PYTHON=/path/to/python-with-torch
"""
import math
import os
import sys

import mpmath
import numpy as np
import torch
import torch.nn.functional as F
from sklearn.metrics import hinge_loss, mean_pinball_loss

sys.path.insert(0, os.path.dirname(__file__))
from vectorfile import Case  # noqa: E402
from attngan import attngan_per_sample, attngan_sent_scores, attngan_words_scores  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
FAMILIES = {
    "regression": ("mse_loss", "l1_loss", "huber_loss", "smooth_l1_loss", "quantile_loss", "log_cosh_loss",
                   "poisson_nll_loss", "gaussian_nll_loss"),
    "classification": ("cross_entropy", "cross_entropy_probs", "nll_loss", "focal_loss", "multi_margin_loss",
                       "binary_cross_entropy", "binary_cross_entropy_with_logits", "sigmoid_focal_loss",
                       "hinge_loss", "hinge_embedding_loss", "soft_margin_loss", "logistic_loss",
                       "multilabel_margin_loss", "multilabel_soft_margin_loss",
                       "sparsemax_loss", "linear_cross_entropy", "poly_loss_cross_entropy"),
    "distances": ("pairwise_distance", "cosine_similarity", "pairwise_distance_matrix", "cosine_similarity_matrix"),
    "metric_learning": ("margin_ranking_loss", "triplet_margin_loss", "cosine_embedding_loss", "contrastive_loss",
                        "quadruplet_loss", "verification_loss", "circle_loss", "batch_hard_triplet_loss",
                        "batch_hard_quadruplet_loss", "circle_loss_embeddings", "ntxent_loss",
                        "center_loss", "center_loss_update", "oim_loss", "oim_update",
                        "triplet_margin_with_distance_loss"),
    "images": ("dice_loss", "reconstruction_loss", "perceptual_loss", "tversky_loss", "focal_tversky_loss",
               "total_variation", "lovasz_hinge_loss", "lovasz_softmax_loss"),
    "image_quality": ("ssim_loss", "ms_ssim_loss"),
    "metrics": ("wasserstein_distance", "inception_score", "fid_from_stats", "fid", "r_precision",
                "r_precision_embeddings"),
    "detection": ("generalized_box_iou_loss", "distance_box_iou_loss", "complete_box_iou_loss", "iou_loss",
                  "sigmoid_dr_loss"),
    "reinforcement": ("td_loss", "td_error", "td_lambda_returns", "gae"),
    "retrieval": ("damsm_words_loss", "damsm_sentence_loss"),
    "sequences": ("ctc_loss",),
    "distributions": ("kl_div", "kl_divergence", "js_divergence", "wgan_critic_loss", "wgan_generator_loss",
                      "gradient_penalty"),
}
# The gradients with respect to the target live beside their loss's vectors.
TARGET_GRADIENTS = ("mse_loss", "l1_loss", "huber_loss", "smooth_l1_loss", "binary_cross_entropy",
                    "binary_cross_entropy_with_logits", "cross_entropy_probs", "kl_div", "poisson_nll_loss",
                    "multilabel_soft_margin_loss", "poly_loss_cross_entropy")
for _family, _members in list(FAMILIES.items()):
    FAMILIES[_family] = _members + tuple(f"{m}_grad_target" for m in _members if m in TARGET_GRADIENTS)
INVALID_ARGUMENT = 5
INVALID_SIZE = 2
TOLERANCE = {"f32": (1e-6, 1e-37), "f64": (1e-13, 1e-300)}
# The softmax and logistic losses cancel inside (p - t, lse - z): their float32 error is a few
# ulp of the largest entry of the array, not of each entry. Norm-wise: 8 ulp of the largest.
SCALE_TOLERANCE = {"f32": 8 * 2.0**-23, "f64": 0.0}
ELEMENTWISE_STRICT = {"mse_loss", "l1_loss", "huber_loss", "smooth_l1_loss", "quantile_loss", "log_cosh_loss"}
NP_DTYPE = {"f32": np.float32, "f64": np.float64}
rng = np.random.default_rng(20261123)
# Cases added after the first release draw from their own generator, so that the earlier cases'
# inputs (drawn from `rng` in a fixed order) stay exactly as they were.
rng2 = np.random.default_rng(20261124)
# The target-gradient cases (issue 11) draw from a third, the metric-learning ones (issue 12) a fourth.
rng3 = np.random.default_rng(20261125)
rng4 = np.random.default_rng(20261126)
# quadruplet_loss and verification_loss draw from a fifth, the losses over a whole batch a sixth.
rng5 = np.random.default_rng(20261127)
rng6 = np.random.default_rng(20261128)
# The re-identification cases (losses with caller-owned state and their updates) draw from their
# own generator, seeded as the fifth: their files came out of a branch where it was the fifth.
rng7 = np.random.default_rng(20261127)
# circle_loss (over given similarities) draws from an eighth.
rng8 = np.random.default_rng(20261130)
# The image losses (dice_loss, reconstruction_loss) draw from their own.
rng10 = np.random.default_rng(20261202)
# The detection losses draw from a ninth.
rng9 = np.random.default_rng(20261201)
# The image-quality losses (ssim_loss, ms_ssim_loss) draw from their own.
rng11 = np.random.default_rng(20261203)
# The distribution losses (divergences, WGAN) draw from theirs.
rng_div = np.random.default_rng(20261129)
# perceptual_loss draws from its own.
rng_perceptual = np.random.default_rng(20261204)
# The reinforcement-learning entries (td_loss, the TD(lambda) targets) draw from their own.
rng_rl = np.random.default_rng(20261133)


# The metrics (wasserstein_distance, ...) draw from their own.
rng_metrics = np.random.default_rng(20261131)
# The DAMSM losses draw from their own generator (seeded as circle_loss's, a separate instance).
rng_damsm = np.random.default_rng(20261130)
# The Fréchet distance (fid_from_stats, fid) draws from its own.
rng_fid = np.random.default_rng(20261132)
# The R-precision metrics (r_precision, r_precision_embeddings) draw from their own.
rng_rprec = np.random.default_rng(20261134)
# The segmentation losses of kornia (tversky, focal Tversky, total variation) draw from their own.
rng_seg = np.random.default_rng(20261503)
# The rest of PyTorch's set (poisson_nll_loss, gaussian_nll_loss, the multi-label margins) draws from its own.
rng_pt = np.random.default_rng(20261501)
# ctc_loss draws from its own.
rng_ctc = np.random.default_rng(20261502)
# triplet_margin_with_distance_loss and the optax losses (sparsemax_loss, poly_loss_cross_entropy)
# draw from their own.
rng_opt = np.random.default_rng(20261504)
# linear_cross_entropy draws from its own.
rng_lce = np.random.default_rng(20261505)
# poly_loss_cross_entropy (optax) draws from its own.
rng_poly = np.random.default_rng(20261506)


def t64(a):
    return torch.tensor(np.asarray(a, dtype=np.float64), dtype=torch.float64)


def autograd(fn, x, reduction, grad_output):
    """Value and gradient w.r.t. x of fn(x) (a torch float64 function)."""
    xt = t64(x).requires_grad_(True)
    value = fn(xt)
    upstream = torch.ones_like(value) if grad_output is None else t64(grad_output).reshape(value.shape)
    (grad,) = torch.autograd.grad(value, xt, upstream, allow_unused=True)
    if grad is None:
        grad = torch.zeros_like(xt)
    return value.detach().numpy(), grad.numpy()


def ref_torch(torch_fn, params):
    def ref(a, s, reduction, go):
        kw = {k: s[k] for k in params if k in s}
        extra = {"weight": t64(a["weight"])} if "weight" in a else {}
        return autograd(lambda x: torch_fn(x, t64(a["target"]), reduction=reduction, **kw, **extra),
                        a["input"], reduction, go)
    return ref


def ref_quantile(a, s, reduction, go):
    q = t64(a["quantile"])
    y = t64(a["target"])

    def fn(x):
        u = (y.unsqueeze(1) if x.ndim == 2 else y) - x
        per = torch.maximum(q * u, (q - 1) * u)
        return {"none": per, "mean": per.mean(), "sum": per.sum()}[reduction]

    value, grad = autograd(fn, a["input"], reduction, go)
    if reduction == "mean" and a["input"].size:
        x2 = a["input"].reshape(len(a["target"]), -1)
        qs = np.atleast_1d(a["quantile"])
        sk = np.mean([mean_pinball_loss(a["target"], x2[:, j], alpha=qs[j]) for j in range(len(qs))])
        assert math.isclose(sk, float(value), rel_tol=1e-12, abs_tol=1e-300), (sk, value)
    return value, grad


def ref_log_cosh(a, s, reduction, go):
    mpmath.mp.dps = 120  # cosh(1e-20) = 1 + 5e-41: 50 digits are not enough
    d = [mpmath.mpf(float(x)) - mpmath.mpf(float(y)) for x, y in zip(a["input"].ravel(), a["target"].ravel())]
    values = [mpmath.log(mpmath.cosh(v)) for v in d]
    slopes = [mpmath.tanh(v) for v in d]
    n = len(d)
    if reduction == "none":
        upstream = [mpmath.mpf(1)] * n if go is None else [mpmath.mpf(float(g)) for g in go.ravel()]
        out = np.array([float(v) for v in values])
        grad = np.array([float(t * u) for t, u in zip(slopes, upstream)])
        return out.reshape(a["input"].shape), grad.reshape(a["input"].shape)
    upstream = mpmath.mpf(1) if go is None else mpmath.mpf(float(np.ravel(go)[0]))
    total = mpmath.fsum(values)
    scale = upstream / n if reduction == "mean" and n else upstream
    out = float(total / n) if reduction == "mean" and n else (math.nan if reduction == "mean" else float(total))
    grad = np.array([float(t * scale) for t in slopes]).reshape(a["input"].shape)
    return np.array(out), grad


def class_layout(shape):
    """(n, c, d) of PyTorch's (N, C, d1..dk) or (C), and the per-sample shape."""
    if len(shape) == 1:
        return (1, shape[0], 1), ()
    return (shape[0], shape[1], int(np.prod(shape[2:]))), (shape[0],) + tuple(shape[2:])


def multi_margin_of_torch(x, target, reduction, **kw):
    """F.multi_margin_loss, whose sum and mean of an empty batch are uninitialised memory (1e-313
    seen): there the empty sum of its 'none' output, 0, and its mean, NaN."""
    if x.ndim == 2 and x.shape[0] == 0:
        return reduce_torch(F.multi_margin_loss(x, target, reduction="none", **kw), reduction)
    return F.multi_margin_loss(x, target, reduction=reduction, **kw)


def ref_class_index(torch_fn, params):
    def ref(a, s, reduction, go):
        kw = {k: (int(s[k]) if k in ("ignore_index", "p") else s[k]) for k in params if k in s}
        if "weight" in a:
            kw["weight"] = t64(a["weight"])
        target = torch.tensor(a["target"].astype(np.int64))
        return autograd(lambda x: torch_fn(x, target, reduction=reduction, **kw), a["input"], reduction, go)
    return ref


def ref_cross_entropy_probs(a, s, reduction, go):
    kw = {"label_smoothing": s.get("label_smoothing", 0.0)}
    if "weight" in a:
        kw["weight"] = t64(a["weight"])
    return autograd(lambda x: F.cross_entropy(x, t64(a["target"]), reduction=reduction, **kw), a["input"],
                    reduction, go)


def reduce_torch(per, reduction):
    return {"none": per, "mean": per.mean(), "sum": per.sum()}[reduction]


def ref_bce_logits(a, s, reduction, go):
    t = t64(a["target"])
    pw = t64(a["pos_weight"]) if "pos_weight" in a else torch.ones(())
    w = t64(a["weight"]) if "weight" in a else torch.ones(())
    zero = torch.zeros((), dtype=torch.float64)

    def stable(x):
        return reduce_torch(w * (pw * t * torch.logaddexp(zero, -x) + (1 - t) * torch.logaddexp(zero, x)), reduction)

    value, grad = autograd(stable, a["input"], reduction, go)
    x = a["input"]
    if x.size and np.abs(x).max() < 15:  # PyTorch's own formula is accurate here: cross-check
        kw = {"pos_weight": pw} if "pos_weight" in a else {}
        if "weight" in a:
            kw["weight"] = w
        anchor = F.binary_cross_entropy_with_logits(t64(x), t, reduction=reduction, **kw).numpy()
        assert np.allclose(anchor, value, rtol=1e-9, atol=1e-12), (anchor, value)
    return value, grad


def ref_soft_margin(anchor_fn):
    def ref(a, s, reduction, go):
        y = t64(a["target"])
        zero = torch.zeros((), dtype=torch.float64)
        value, grad = autograd(lambda x: reduce_torch(torch.logaddexp(zero, -y * x), reduction), a["input"],
                               reduction, go)
        x = a["input"]
        if x.size and np.abs(x).max() < 30 and anchor_fn is not None:
            anchor = anchor_fn(t64(x), y, reduction=reduction).numpy()
            assert np.allclose(anchor, value, rtol=1e-9, atol=1e-12), (anchor, value)
        return value, grad
    return ref


def ref_hinge(a, s, reduction, go):
    y, margin = t64(a["target"]), s.get("margin", 1.0)
    power = 2 if s.get("squared", 0) else 1
    value, grad = autograd(lambda x: reduce_torch(torch.clamp_min(margin - y * x, 0) ** power, reduction),
                           a["input"], reduction, go)
    if reduction == "mean" and power == 1 and margin == 1.0 and a["input"].size:
        sk = hinge_loss(a["target"], a["input"])
        assert math.isclose(sk, float(value), rel_tol=1e-12), (sk, value)
    return value, grad


def mp_reduce(values, grads, reduction, go, denominator):
    """Reduces per-sample mpmath values; grads[s] is sample s's gradient (a flat list of
    (index, derivative) pairs into the input)."""
    size = sum(len(g) for g in grads)
    flat = [mpmath.mpf(0)] * size
    n = len(values)
    if reduction == "none":
        upstream = [mpmath.mpf(1)] * n if go is None else [mpmath.mpf(float(v)) for v in np.ravel(go)]
        out = np.array([float(v) for v in values])
    else:
        u = mpmath.mpf(1) if go is None else mpmath.mpf(float(np.ravel(go)[0]))
        d = denominator if reduction == "mean" else 1
        scale = u / d if d else mpmath.mpf("nan")
        upstream = [scale] * n
        total = mpmath.fsum(values)
        out = np.array(float(total / d) if d else math.nan)
    for s_, g in enumerate(grads):
        for i, v in g:
            flat[i] = v * upstream[s_] if (reduction == "none" or denominator) else mpmath.mpf(0)
    return out, np.array([float(v) for v in flat])


def ref_sigmoid_focal(a, s, reduction, go):
    mpmath.mp.dps = 200  # diff must resolve perturbations of e^-160 relative size
    alpha, gamma = mpmath.mpf(s.get("alpha", 0.25)), mpmath.mpf(s.get("gamma", 2.0))
    xs, ts = a["input"].ravel(), a["target"].ravel()

    def loss(x, t):
        p = 1 / (1 + mpmath.exp(-x))
        q = 1 / (1 + mpmath.exp(x))
        ce = -t * mpmath.log(p) - (1 - t) * mpmath.log(q)
        one_minus_pt = (1 - t) * p + t * q
        factor = one_minus_pt ** gamma if gamma else mpmath.mpf(1)
        weight = alpha * t + (1 - alpha) * (1 - t) if alpha >= 0 else 1
        return weight * factor * ce

    values, grads = [], []
    for i, (x, t) in enumerate(zip(xs, ts)):
        x, t = mpmath.mpf(float(x)), mpmath.mpf(float(t))
        values.append(loss(x, t))
        grads.append([(i, mpmath.diff(lambda v: loss(v, t), x))])
    out, grad = mp_reduce(values, grads, reduction, go, len(values))
    out = out.reshape(a["input"].shape) if reduction == "none" else out
    x = a["input"]
    if x.size and np.abs(x).max() < 12 and s.get("gamma", 2.0) >= 1:
        from torchvision.ops import sigmoid_focal_loss
        anchor = sigmoid_focal_loss(t64(x), t64(a["target"]), alpha=s.get("alpha", 0.25),
                                    gamma=s.get("gamma", 2.0), reduction=reduction).numpy()
        assert np.allclose(anchor, out, rtol=1e-9, atol=1e-14), (anchor, out)
    return out, grad.reshape(a["input"].shape)


def ref_focal(a, s, reduction, go):
    mpmath.mp.dps = 200  # diff must resolve perturbations of e^-160 relative size
    gamma = mpmath.mpf(s.get("gamma", 2.0))
    ignore = int(s.get("ignore_index", -100))
    (n, c, d), sample_shape = class_layout(a["input"].shape)
    x = a["input"].reshape(n, c, d)
    labels = a["target"].astype(np.int64).reshape(n, d)
    alpha = np.atleast_1d(a["alpha"]) if "alpha" in a else None

    def loss(z, y):
        m = max(z)
        lse = m + mpmath.log(mpmath.fsum(mpmath.exp(v - m) for v in z))
        logq = z[y] - lse
        one_minus_q = mpmath.fsum(mpmath.exp(v - lse) for k, v in enumerate(z) if k != y)
        factor = one_minus_q ** gamma if gamma else mpmath.mpf(1)
        a_y = 1 if alpha is None else mpmath.mpf(float(alpha[0] if alpha.size == 1 else alpha[y]))
        return -a_y * factor * logq

    values, grads = [], []
    for i in range(n):
        for j in range(d):
            y = int(labels[i, j])
            idx = [(i * c + k) * d + j for k in range(c)]
            if y == ignore:
                values.append(mpmath.mpf(0))
                grads.append([(t, mpmath.mpf(0)) for t in idx])
                continue
            z = [mpmath.mpf(float(x[i, k, j])) for k in range(c)]
            values.append(loss(z, y))
            g = []
            for k in range(c):
                g.append((idx[k], mpmath.diff(lambda v: loss(z[:k] + [v] + z[k + 1:], y), z[k])))
            grads.append(g)
    kept = int((labels != ignore).sum())
    out, grad = mp_reduce(values, grads, reduction, go, kept)
    out = out.reshape(sample_shape) if reduction == "none" else out
    if np.abs(a["input"]).max(initial=0) < 12 and kept:  # cross-check the composed torch formula
        z = t64(a["input"]).reshape(n, c, d)
        logp = torch.log_softmax(z, dim=1)
        safe = torch.tensor(np.where(labels == ignore, 0, labels)).unsqueeze(1)
        logq = logp.gather(1, safe).squeeze(1)
        a_y = torch.ones_like(logq) if alpha is None else torch.tensor(
            np.full(labels.shape, alpha[0]) if alpha.size == 1 else alpha[np.where(labels == ignore, 0, labels)])
        per = torch.where(torch.tensor(labels == ignore), 0.0, -a_y * (1 - logq.exp()) ** float(gamma) * logq)
        anchor = {"none": per.reshape(sample_shape), "mean": per.sum() / kept, "sum": per.sum()}[reduction].numpy()
        assert np.allclose(anchor, out, rtol=1e-9, atol=1e-14), (anchor, out)
    return out, grad.reshape(a["input"].shape)


REFERENCES = {
    "mse_loss": ref_torch(F.mse_loss, []),
    "l1_loss": ref_torch(F.l1_loss, []),
    "huber_loss": ref_torch(F.huber_loss, ["delta"]),
    "smooth_l1_loss": ref_torch(F.smooth_l1_loss, ["beta"]),
    "quantile_loss": ref_quantile,
    "log_cosh_loss": ref_log_cosh,
    "cross_entropy": ref_class_index(F.cross_entropy, ["ignore_index", "label_smoothing"]),
    "cross_entropy_probs": ref_cross_entropy_probs,
    "nll_loss": ref_class_index(F.nll_loss, ["ignore_index"]),
    "multi_margin_loss": ref_class_index(multi_margin_of_torch, ["p", "margin"]),
    "focal_loss": ref_focal,
    "binary_cross_entropy": ref_torch(F.binary_cross_entropy, []),
    "binary_cross_entropy_with_logits": ref_bce_logits,
    "sigmoid_focal_loss": ref_sigmoid_focal,
    "hinge_loss": ref_hinge,
    "hinge_embedding_loss": ref_torch(F.hinge_embedding_loss, ["margin"]),
    "soft_margin_loss": ref_soft_margin(F.soft_margin_loss),
    "logistic_loss": ref_soft_margin(F.soft_margin_loss),
}
TENSORS = ("input", "target", "weight", "pos_weight", "grad_output")
LABEL_OUT_OF_RANGE = 6


def case(loss, label, dtype, reduction, arrays, scalars=None, grad_output=None, status=0):
    c = Case(loss, label, dtype)
    c.reduction = reduction
    c.scalars = dict(scalars or {})
    cast = NP_DTYPE[dtype]
    arrays = dict(arrays)
    if grad_output is not None:
        arrays["grad_output"] = grad_output
    for k in arrays:
        # Tensors are exactly representable in the case's dtype; parameter vectors stay double.
        arrays[k] = np.asarray(arrays[k], dtype=cast if k in TENSORS else np.float64).astype(np.float64)
    c.arrays = arrays
    c.status = status
    c.rtol, c.atol = TOLERANCE[dtype]
    c.stol = 0.0 if loss in ELEMENTWISE_STRICT else SCALE_TOLERANCE[dtype]
    if status == 0:
        go = arrays.get("grad_output")
        out, grad = REFERENCES[loss](arrays, c.scalars, reduction, go)
        c.expect = {"out": np.asarray(out, dtype=cast), "grad_input": np.asarray(grad, dtype=cast)}
    return c


def upstream_for(reduction, shape, dtype):
    """grad_output: random for 'none', -1.5 for 'sum', absent (ones) for 'mean'."""
    if reduction == "none":
        return rng.normal(size=shape)
    if reduction == "sum":
        return np.array([-1.5])
    return None


def pointwise_cases(loss, parameter_sets, weighted):
    """The shared grid of a pointwise loss: every dtype × reduction on random data, weights,
    exact zeros, large and tiny residuals, empty input, and each parameter set."""
    cases = []
    for dtype in ("f32", "f64"):
        for reduction in ("none", "mean", "sum"):
            for label_p, params in parameter_sets:
                n = 13
                x, y = rng.normal(size=n) * 2, rng.normal(size=n) * 2
                go = upstream_for(reduction, n, dtype)
                cases.append(case(loss, f"random{label_p}_{reduction}", dtype, reduction,
                                  {"input": x, "target": y}, params, go))
            if weighted:
                w = rng.uniform(0, 3, size=9)
                w[2] = 0.0
                cases.append(case(loss, f"weighted_{reduction}", dtype, reduction,
                                  {"input": rng.normal(size=9), "target": rng.normal(size=9), "weight": w},
                                  parameter_sets[0][1], upstream_for(reduction, 9, dtype)))
            z = rng.normal(size=5)
            cases.append(case(loss, f"zero_residual_{reduction}", dtype, reduction,
                              {"input": z, "target": z}, parameter_sets[0][1], upstream_for(reduction, 5, dtype)))
            big = np.array([1e6, -1e6, 3.5e6, -2.25e6, 7e5])
            cases.append(case(loss, f"large_residual_{reduction}", dtype, reduction,
                              {"input": big, "target": -big[::-1] * 0.5}, parameter_sets[0][1],
                              upstream_for(reduction, 5, dtype)))
            tiny = np.array([1e-20, -3e-21, 2.5e-19, -1e-18, 0.0])
            cases.append(case(loss, f"tiny_residual_{reduction}", dtype, reduction,
                              {"input": tiny, "target": np.zeros(5)}, parameter_sets[0][1],
                              upstream_for(reduction, 5, dtype)))
            cases.append(case(loss, f"empty_{reduction}", dtype, reduction,
                              {"input": np.zeros(0), "target": np.zeros(0)}, parameter_sets[0][1],
                              upstream_for(reduction, 0, dtype)))
        n = 2000  # several summation blocks
        cases.append(case(loss, "blocks_mean", dtype, "mean",
                          {"input": rng.normal(size=n) * 3, "target": rng.normal(size=n)},
                          parameter_sets[0][1]))
    return cases


def threshold_cases(loss, name):
    """Residuals exactly at ±threshold and just either side of it."""
    cases = []
    for dtype in ("f32", "f64"):
        t = 0.5
        d = np.array([t, -t, np.nextafter(t, 0, dtype=NP_DTYPE[dtype]), -np.nextafter(t, 1, dtype=NP_DTYPE[dtype]), 2 * t])
        cases.append(case(loss, "at_threshold_sum", dtype, "sum", {"input": d, "target": np.zeros(5)}, {name: t}))
    return cases


def error_cases(loss, arrays, bad):
    return [case(loss, f"invalid_{label}", dtype, "mean", arrays, params, status=INVALID_ARGUMENT)
            for dtype in ("f32", "f64") for label, params in bad]


def regression():
    two = {"input": np.array([1.0, -2.0]), "target": np.array([0.5, 0.5])}
    files = {
        "mse_loss": pointwise_cases("mse_loss", [("", {})], weighted=True),
        "l1_loss": pointwise_cases("l1_loss", [("", {})], weighted=True),
        "huber_loss": pointwise_cases("huber_loss", [("", {"delta": 1.0}), ("_delta0.5", {"delta": 0.5}),
                                                     ("_delta2.5", {"delta": 2.5})], weighted=True)
        + threshold_cases("huber_loss", "delta")
        + error_cases("huber_loss", two, [("delta_zero", {"delta": 0.0}), ("delta_negative", {"delta": -1.0}),
                                          ("delta_nan", {"delta": math.nan}), ("delta_inf", {"delta": math.inf})]),
        "smooth_l1_loss": pointwise_cases("smooth_l1_loss", [("", {"beta": 1.0}), ("_beta0", {"beta": 0.0}),
                                                             ("_beta0.5", {"beta": 0.5})], weighted=False)
        + threshold_cases("smooth_l1_loss", "beta")
        + error_cases("smooth_l1_loss", two, [("beta_negative", {"beta": -0.5}), ("beta_nan", {"beta": math.nan})]),
        "log_cosh_loss": pointwise_cases("log_cosh_loss", [("", {})], weighted=False),
    }
    lc = files["log_cosh_loss"]
    for dtype in ("f32", "f64"):
        d = np.array([1e4, -1e4, 800.0, -90.0, 7.999, 8.0, 8.001, 1e-4, -3e-9])
        lc.append(case("log_cosh_loss", "extreme_none", dtype, "none", {"input": d, "target": np.zeros(len(d))},
                       grad_output=np.ones(len(d))))
    files["quantile_loss"] = quantile_cases()
    return files


def quantile_cases():
    cases = []
    for dtype in ("f32", "f64"):
        for reduction in ("none", "mean", "sum"):
            for q in (0.1, 0.5, 0.9, 0.0, 1.0):
                n = 11
                x, y = rng.normal(size=n), rng.normal(size=n)
                x[3] = y[3]  # a zero residual: the tie
                cases.append(case("quantile_loss", f"q{q}_{reduction}", dtype, reduction,
                                  {"input": x, "target": y, "quantile": np.array(q)}, None,
                                  upstream_for(reduction, n, dtype)))
            qs = np.array([0.1, 0.5, 0.9])
            x, y = rng.normal(size=(7, 3)), rng.normal(size=7)
            x[2, 1] = y[2]
            cases.append(case("quantile_loss", f"several_{reduction}", dtype, reduction,
                              {"input": x, "target": y, "quantile": qs}, None,
                              upstream_for(reduction, (7, 3), dtype)))
            cases.append(case("quantile_loss", f"empty_{reduction}", dtype, reduction,
                              {"input": np.zeros((0, 3)), "target": np.zeros(0), "quantile": qs}, None,
                              upstream_for(reduction, (0, 3), dtype)))
        big = np.array([1e6, -1e6, 3.5e6])
        cases.append(case("quantile_loss", "large_residual_mean", dtype, "mean",
                          {"input": big, "target": -big, "quantile": np.array(0.25)}))
        two = {"input": np.array([1.0, -2.0]), "target": np.array([0.5, 0.5])}
        for label, q in (("above_one", 1.5), ("negative", -0.1), ("nan", math.nan)):
            cases.append(case("quantile_loss", f"invalid_{label}", dtype, "mean",
                              dict(two, quantile=np.array(q)), status=INVALID_ARGUMENT))
    return cases


def grid(loss, label, make, scalars=None, sample_shape=None, reductions=("none", "mean", "sum")):
    """Cases of one loss for both dtypes and the given reductions; `make()` draws the arrays;
    grad_output follows upstream_for over the unreduced loss's shape."""
    cases = []
    for dtype in ("f32", "f64"):
        for reduction in reductions:
            arrays = make()
            shape = sample_shape(arrays) if sample_shape else arrays["input"].shape
            cases.append(case(loss, f"{label}_{reduction}", dtype, reduction, arrays, scalars,
                              upstream_for(reduction, shape, dtype)))
    return cases


def samples_of(arrays):
    return class_layout(arrays["input"].shape)[1]


def errors(loss, label, arrays, scalars, status):
    return [case(loss, label, dtype, "mean", arrays, scalars, status=status) for dtype in ("f32", "f64")]


def logits(n, c, scale=2.0):
    return rng.normal(size=(n, c)) * scale


def labels(n, c, ignore=()):
    y = rng.integers(0, c, size=n)
    for i in ignore:
        y[i] = -100
    return y


EXTREME = np.array([[1e4, -1e4, 0.0], [-1e4, 1e4, 0.0], [80.0, -80.0, 0.0], [-80.0, 80.0, 5.0]])


def class_index_cases(loss, transform=lambda x: x, smoothing=True, focal=False):
    """The grid shared by cross_entropy, nll_loss and focal_loss."""
    extra = {"gamma": 2.0} if focal else {}
    g = lambda label, make, scalars=None: grid(loss, label, make, dict(extra, **(scalars or {})), samples_of)
    cases = []
    cases += g("basic", lambda: {"input": transform(logits(6, 5)), "target": labels(6, 5)})
    cases += g("ignored", lambda: {"input": transform(logits(6, 5)), "target": labels(6, 5, ignore=(1, 4))})
    cases += g("unbatched", lambda: {"input": transform(rng.normal(size=5)), "target": np.array(3)})
    cases += g("spatial", lambda: {"input": transform(rng.normal(size=(3, 4, 2, 3))),
                                   "target": rng.integers(0, 4, size=(3, 2, 3))}, {"ignore_index": 1})
    cases += g("empty", lambda: {"input": np.zeros((0, 5)), "target": np.zeros(0)})
    cases += g("all_ignored", lambda: {"input": transform(logits(3, 4)), "target": np.full(3, -100)})
    cases += g("one_class", lambda: {"input": transform(logits(4, 1)), "target": np.zeros(4)})
    cases += g("extreme_logits", lambda: {"input": transform(EXTREME), "target": np.array([1, 0, 0, 2])})
    if not focal:
        weight = lambda: rng.uniform(0.2, 2.0, size=5)
        cases += g("weighted", lambda: {"input": transform(logits(6, 5)), "target": labels(6, 5),
                                        "weight": weight()})
        cases += g("weighted_ignored", lambda: {"input": transform(logits(7, 5)), "target": labels(7, 5, (0, 3)),
                                                "weight": weight()})
        cases += g("spatial_weighted", lambda: {"input": transform(rng.normal(size=(2, 5, 4))),
                                                "target": rng.integers(0, 5, size=(2, 4)), "weight": weight()})
    if smoothing:
        cases += g("smoothing", lambda: {"input": logits(6, 5), "target": labels(6, 5, (2,)),
                                         "weight": rng.uniform(0.2, 2.0, size=5)}, {"label_smoothing": 0.15})
        cases += g("smoothing_extreme", lambda: {"input": EXTREME, "target": np.array([1, 0, 0, 2])},
                   {"label_smoothing": 0.1})
    bad = {"input": np.zeros((2, 3)), "target": np.array([0, 3])}
    cases += errors(loss, "label_too_large", bad, extra, LABEL_OUT_OF_RANGE)
    cases += errors(loss, "label_negative", dict(bad, target=np.array([-1, 0])), extra, LABEL_OUT_OF_RANGE)
    return cases


def log_softmax(x):
    x = np.asarray(x, dtype=np.float64)
    if x.size == 0:
        return x
    axis = 0 if x.ndim == 1 else 1
    m = x.max(axis=axis, keepdims=True)
    return x - m - np.log(np.exp(x - m).sum(axis=axis, keepdims=True))


def classification():
    files = {}
    files["cross_entropy"] = class_index_cases("cross_entropy") + errors(
        "cross_entropy", "smoothing_above_one", {"input": np.zeros((2, 3)), "target": np.array([0, 1])},
        {"label_smoothing": 1.5}, INVALID_ARGUMENT)

    probs = lambda n, c: rng.dirichlet(np.ones(c), size=n)
    g = lambda label, make, scalars=None: grid("cross_entropy_probs", label, make, scalars, samples_of)
    files["cross_entropy_probs"] = (
        g("basic", lambda: {"input": logits(5, 4), "target": probs(5, 4)})
        + g("weighted_smoothing", lambda: {"input": logits(5, 4), "target": probs(5, 4),
                                           "weight": rng.uniform(0.2, 2, 4)}, {"label_smoothing": 0.3})
        + g("spatial", lambda: {"input": rng.normal(size=(2, 3, 4)),
                                "target": np.moveaxis(rng.dirichlet(np.ones(3), size=(2, 4)), -1, 1)})
        + g("one_hot_extreme", lambda: {"input": EXTREME, "target": np.eye(3)[[1, 0, 0, 2]]}, {"label_smoothing": 0.1})
        + errors("cross_entropy_probs", "smoothing_negative", {"input": np.zeros((2, 3)), "target": np.full((2, 3), 1 / 3)},
                 {"label_smoothing": -0.5}, INVALID_ARGUMENT))

    files["nll_loss"] = class_index_cases("nll_loss", transform=log_softmax, smoothing=False)

    focal = class_index_cases("focal_loss", focal=True, smoothing=False)
    gf = lambda label, make, scalars: grid("focal_loss", label, make, scalars, samples_of)
    focal += gf("alpha_scalar", lambda: {"input": logits(6, 4), "target": labels(6, 4), "alpha": np.array(0.25)},
                {"gamma": 2.0})
    focal += gf("alpha_per_class", lambda: {"input": logits(6, 4), "target": labels(6, 4, (5,)),
                                            "alpha": rng.uniform(0.1, 1, 4)}, {"gamma": 1.5})
    focal += gf("gamma0", lambda: {"input": logits(6, 4), "target": labels(6, 4)}, {"gamma": 0.0})
    focal += gf("gamma_half_extreme", lambda: {"input": EXTREME, "target": np.array([0, 1, 0, 1])}, {"gamma": 0.5})
    focal += errors("focal_loss", "gamma_negative", {"input": np.zeros((2, 3)), "target": np.array([0, 1])},
                    {"gamma": -1.0}, INVALID_ARGUMENT)
    focal += errors("focal_loss", "alpha_count", {"input": np.zeros((2, 4)), "target": np.array([0, 1]),
                                                  "alpha": np.array([0.1, 0.2, 0.3])}, {"gamma": 2.0}, 3)
    files["focal_loss"] = focal

    gm = lambda label, make, scalars: grid("multi_margin_loss", label, make, scalars, samples_of)
    files["multi_margin_loss"] = (
        gm("p1", lambda: {"input": logits(6, 5, 0.7), "target": labels(6, 5)}, {"p": 1, "margin": 1.0})
        + gm("p2_weighted", lambda: {"input": logits(6, 5, 0.7), "target": labels(6, 5),
                                     "weight": rng.uniform(0.2, 2, 5)}, {"p": 2, "margin": 0.5})
        + gm("unbatched", lambda: {"input": rng.normal(size=4), "target": np.array(2)}, {"p": 1, "margin": 1.0})
        + gm("at_margin", lambda: {"input": np.array([[1.0, 0.0, 0.5], [0.25, 1.25, -1.0]]),
                                   "target": np.array([0, 1])}, {"p": 1, "margin": 1.0})
        # PyTorch returns uninitialised memory for the mean and sum of an empty batch here (4.7e-310
        # seen): the sum is the empty sum (multi_margin_of_torch); the mean's NaN is tested in
        # test_classification.
        + grid("multi_margin_loss", "empty", lambda: {"input": np.zeros((0, 3)), "target": np.zeros(0)},
               {"p": 2, "margin": 1.0}, samples_of, reductions=("none", "sum"))
        + errors("multi_margin_loss", "p3", {"input": np.zeros((2, 3)), "target": np.array([0, 1])},
                 {"p": 3, "margin": 1.0}, INVALID_ARGUMENT)
        + errors("multi_margin_loss", "label_too_large", {"input": np.zeros((2, 3)), "target": np.array([0, 3])},
                 {"p": 1, "margin": 1.0}, LABEL_OUT_OF_RANGE))

    gb = lambda loss: (lambda label, make, scalars=None: grid(loss, label, make, scalars))
    b = gb("binary_cross_entropy")
    files["binary_cross_entropy"] = (
        b("basic", lambda: {"input": rng.uniform(0.01, 0.99, 9), "target": rng.uniform(0, 1, 9)})
        + b("weighted", lambda: {"input": rng.uniform(0.01, 0.99, (3, 4)), "target": (rng.uniform(size=(3, 4)) > .5) * 1.0,
                                 "weight": rng.uniform(0, 2, (3, 4))})
        + b("exact_zero_one", lambda: {"input": np.array([0.0, 0.0, 1.0, 1.0, 0.0, 1.0, 1e-30, 1 - 1e-7]),
                                       "target": np.array([0.0, 1.0, 0.0, 1.0, 0.5, 0.5, 1.0, 0.0])})
        + b("empty", lambda: {"input": np.zeros(0), "target": np.zeros(0)})
        + errors("binary_cross_entropy", "input_above_one", {"input": np.array([0.5, 1.5]), "target": np.ones(2)},
                 None, INVALID_ARGUMENT)
        + errors("binary_cross_entropy", "input_negative", {"input": np.array([-0.1, 0.5]), "target": np.ones(2)},
                 None, INVALID_ARGUMENT)
        + errors("binary_cross_entropy", "input_nan", {"input": np.array([0.5, np.nan]), "target": np.ones(2)},
                 None, INVALID_ARGUMENT))

    bl = gb("binary_cross_entropy_with_logits")
    saturated = np.array([1e4, -1e4, 80.0, -80.0, 20.0, -20.0, 0.0, 3.0])
    files["binary_cross_entropy_with_logits"] = (
        bl("basic", lambda: {"input": rng.normal(size=9) * 3, "target": rng.uniform(0, 1, 9)})
        + bl("weighted_pos_weight", lambda: {"input": rng.normal(size=(3, 4)) * 3, "target": rng.uniform(0, 1, (3, 4)),
                                             "weight": rng.uniform(0, 2, (3, 4)), "pos_weight": rng.uniform(0.5, 3, 4)})
        + bl("pos_weight_scalar", lambda: {"input": rng.normal(size=6), "target": (rng.uniform(size=6) > .5) * 1.0,
                                           "pos_weight": np.array([2.5])})
        + bl("saturated", lambda: {"input": np.concatenate([saturated, saturated]),
                                   "target": np.repeat([0.0, 1.0], len(saturated))})
        + bl("empty", lambda: {"input": np.zeros(0), "target": np.zeros(0)}))

    sf = gb("sigmoid_focal_loss")
    hard = lambda n: (rng.uniform(size=n) > .5) * 1.0
    files["sigmoid_focal_loss"] = (
        sf("defaults", lambda: {"input": rng.normal(size=9) * 3, "target": hard(9)}, {"alpha": 0.25, "gamma": 2.0})
        + sf("no_alpha_soft", lambda: {"input": rng.normal(size=(2, 4)) * 3, "target": rng.uniform(0, 1, (2, 4))},
             {"alpha": -1.0, "gamma": 1.5})
        + sf("gamma0", lambda: {"input": rng.normal(size=7), "target": hard(7)}, {"alpha": 0.75, "gamma": 0.0})
        + sf("gamma_half_saturated", lambda: {"input": np.concatenate([saturated, saturated]),
                                              "target": np.repeat([0.0, 1.0], len(saturated))},
             {"alpha": 0.25, "gamma": 0.5})
        + sf("empty", lambda: {"input": np.zeros(0), "target": np.zeros(0)}, {"alpha": 0.25, "gamma": 2.0})
        + errors("sigmoid_focal_loss", "alpha_above_one", {"input": np.zeros(2), "target": np.ones(2)},
                 {"alpha": 1.5, "gamma": 2.0}, INVALID_ARGUMENT)
        + errors("sigmoid_focal_loss", "alpha_negative", {"input": np.zeros(2), "target": np.ones(2)},
                 {"alpha": -0.5, "gamma": 2.0}, INVALID_ARGUMENT)
        + errors("sigmoid_focal_loss", "gamma_negative", {"input": np.zeros(2), "target": np.ones(2)},
                 {"alpha": 0.25, "gamma": -1.0}, INVALID_ARGUMENT))

    signs = lambda n: np.where(rng.uniform(size=n) > .5, 1.0, -1.0)
    h = gb("hinge_loss")
    files["hinge_loss"] = (
        h("basic", lambda: {"input": rng.normal(size=9) * 1.5, "target": signs(9)}, {"margin": 1.0, "squared": 0})
        + h("squared_margin", lambda: {"input": rng.normal(size=9), "target": signs(9)}, {"margin": 0.5, "squared": 1})
        + h("at_margin", lambda: {"input": np.array([1.0, -1.0, 0.5, 2.0]), "target": np.array([1.0, -1.0, 1.0, -1.0])},
            {"margin": 1.0, "squared": 0})
        + h("empty", lambda: {"input": np.zeros(0), "target": np.zeros(0)}, {"margin": 1.0, "squared": 0}))

    he = gb("hinge_embedding_loss")
    files["hinge_embedding_loss"] = (
        he("basic", lambda: {"input": np.abs(rng.normal(size=9)) * 1.5, "target": signs(9)}, {"margin": 1.0})
        + he("margin_half", lambda: {"input": rng.normal(size=9), "target": signs(9)}, {"margin": 0.5})
        + he("at_margin_and_zero_target", lambda: {"input": np.array([1.0, 0.3, 0.3, 2.0]),
                                                   "target": np.array([-1.0, 0.0, 1.0, -1.0])}, {"margin": 1.0})
        + he("empty", lambda: {"input": np.zeros(0), "target": np.zeros(0)}, {"margin": 1.0}))

    for loss in ("soft_margin_loss", "logistic_loss"):
        sm = gb(loss)
        files[loss] = (
            sm("basic", lambda: {"input": rng.normal(size=9) * 3, "target": signs(9)})
            + sm("beyond_overflow", lambda: {"input": np.array([1e4, -1e4, 100.0, -100.0, 800.0, -800.0]),
                                             "target": np.array([-1.0, 1.0, -1.0, 1.0, 1.0, 1.0])})
            + sm("empty", lambda: {"input": np.zeros(0), "target": np.zeros(0)}))
    return files


DEFAULTS_TOLERANCE = {"f32": (1e-6, 1e-37, 8 * 2.0**-23), "f64": (1e-13, 1e-300, 1e-15)}


def defaults_case(loss, dtype, arrays, reference):
    """A case that passes no optional parameter: `reference(arrays)` calls the anchor the same
    way and returns (reduction it used, out, {gradient name: gradient})."""
    cast = NP_DTYPE[dtype]
    c = Case(loss, "defaults", dtype)
    c.defaults = True
    c.arrays = {k: np.asarray(v, dtype=cast).astype(np.float64) for k, v in arrays.items()}
    c.reduction, out, grads = reference(c.arrays)
    c.expect = {"out": np.asarray(out, dtype=cast)}
    c.expect.update({k: np.asarray(v, dtype=cast) for k, v in grads.items()})
    c.rtol, c.atol, c.stol = DEFAULTS_TOLERANCE[dtype]
    return c


def anchor_defaults(fn, target_kind="float", inputs=("input", "target")):
    """The anchor `fn(*inputs)` with nothing else: its default reduction ('mean' for every
    torch.nn.functional loss) and autograd's gradient w.r.t. the first input."""
    def reference(a):
        x = t64(a[inputs[0]]).requires_grad_(True)
        y = t64(a[inputs[1]])
        if target_kind == "labels":
            y = torch.tensor(a[inputs[1]].astype(np.int64))
        value = fn(x, y)
        value.backward(torch.ones_like(value))
        reduction = "none" if value.ndim else "mean"
        return reduction, value.detach().numpy(), {"grad_input": x.grad.numpy()}
    return reference


def pair_defaults(fn, matrix=False):
    """A distance function at its defaults: PyTorch's per-pair output, gradients for both."""
    def reference(a):
        x1, x2 = t64(a["x1"]).requires_grad_(True), t64(a["x2"]).requires_grad_(True)
        value = fn(x1[:, None], x2[None]) if matrix else fn(x1, x2)
        value.backward(torch.ones_like(value))
        return "none", value.detach().numpy(), {"grad_x1": x1.grad.numpy(), "grad_x2": x2.grad.numpy()}
    return reference


def ref_quantile_defaults(a):
    """sklearn's mean_pinball_loss at its default alpha (0.5); the gradient of the same
    composed torch formula at that quantile."""
    value, grad = ref_quantile(dict(a, quantile=np.array(0.5)), {}, "mean", None)
    sk = mean_pinball_loss(a["target"], a["input"])
    assert math.isclose(sk, float(value), rel_tol=1e-12), (sk, value)
    return "mean", value, {"grad_input": grad}


def defaults():
    """One defaults case per loss and dtype."""
    from torchvision.ops import sigmoid_focal_loss
    x = lambda *shape: rng2.normal(size=shape) * 2
    signs = lambda n: np.where(rng2.uniform(size=n) > .5, 1.0, -1.0)
    plan = {
        "mse_loss": (lambda: {"input": x(7), "target": x(7)}, anchor_defaults(F.mse_loss)),
        "l1_loss": (lambda: {"input": x(7), "target": x(7)}, anchor_defaults(F.l1_loss)),
        "huber_loss": (lambda: {"input": x(7), "target": x(7)}, anchor_defaults(F.huber_loss)),
        "smooth_l1_loss": (lambda: {"input": x(7), "target": x(7)}, anchor_defaults(F.smooth_l1_loss)),
        "quantile_loss": (lambda: {"input": x(7), "target": x(7)}, ref_quantile_defaults),
        # optax.losses.log_cosh has no parameter; liblosses' default reduction is the mean.
        "log_cosh_loss": (lambda: {"input": x(7), "target": x(7)},
                          lambda a: ("mean",) + tuple((lambda v, g: (v, {"grad_input": g}))(
                              *ref_log_cosh(a, {}, "mean", None)))),
        "cross_entropy": (lambda: {"input": x(5, 4), "target": np.array([0, 3, 1, -100, 2])},
                          anchor_defaults(F.cross_entropy, "labels")),
        "cross_entropy_probs": (lambda: {"input": x(5, 4), "target": rng2.dirichlet(np.ones(4), size=5)},
                                anchor_defaults(F.cross_entropy)),
        "nll_loss": (lambda: {"input": log_softmax(x(5, 4)), "target": np.array([0, 3, 1, -100, 2])},
                     anchor_defaults(F.nll_loss, "labels")),
        # The softmax focal loss has no library anchor: the paper's γ = 2 and no α, evaluated
        # with mpmath (ref_focal), with ignore_index -100 as every class-index loss.
        "focal_loss": (lambda: {"input": x(5, 4), "target": np.array([0, 3, 1, -100, 2])},
                       lambda a: ("mean",) + tuple((lambda v, g: (v, {"grad_input": g}))(
                           *ref_focal(a, {}, "mean", None)))),
        "multi_margin_loss": (lambda: {"input": x(5, 4) * 0.4, "target": np.array([0, 3, 1, 1, 2])},
                              anchor_defaults(F.multi_margin_loss, "labels")),
        "binary_cross_entropy": (lambda: {"input": rng2.uniform(0.02, 0.98, 7), "target": rng2.uniform(0, 1, 7)},
                                 anchor_defaults(F.binary_cross_entropy)),
        "binary_cross_entropy_with_logits": (lambda: {"input": x(7), "target": rng2.uniform(0, 1, 7)},
                                             anchor_defaults(F.binary_cross_entropy_with_logits)),
        "sigmoid_focal_loss": (lambda: {"input": x(7), "target": (rng2.uniform(size=7) > .5) * 1.0},
                               anchor_defaults(sigmoid_focal_loss)),
        # sklearn's hinge_loss: margin 1, not squared, the mean.
        "hinge_loss": (lambda: {"input": x(7), "target": signs(7)},
                       lambda a: ("mean",) + tuple((lambda v, g: (v, {"grad_input": g}))(
                           *ref_hinge(a, {}, "mean", None)))),
        "hinge_embedding_loss": (lambda: {"input": np.abs(x(7)), "target": signs(7)},
                                 anchor_defaults(F.hinge_embedding_loss)),
        "soft_margin_loss": (lambda: {"input": x(7), "target": signs(7)}, anchor_defaults(F.soft_margin_loss)),
        "logistic_loss": (lambda: {"input": x(7), "target": signs(7)}, anchor_defaults(F.soft_margin_loss)),
        "pairwise_distance": (lambda: {"x1": x(4, 5), "x2": x(4, 5)}, pair_defaults(F.pairwise_distance)),
        "cosine_similarity": (lambda: {"x1": x(4, 5), "x2": x(4, 5)}, pair_defaults(F.cosine_similarity)),
        "pairwise_distance_matrix": (lambda: {"x1": x(4, 5), "x2": x(3, 5)},
                                     pair_defaults(F.pairwise_distance, matrix=True)),
        "cosine_similarity_matrix": (lambda: {"x1": x(4, 5), "x2": x(3, 5)},
                                     pair_defaults(lambda a, b: F.cosine_similarity(a, b, dim=-1), matrix=True)),
    }
    return {loss: [defaults_case(loss, dtype, make(), reference) for dtype in ("f32", "f64")]
            for loss, (make, reference) in plan.items()}


PAIR_TOLERANCE = {"f32": (1e-6, 1e-37, 8 * 2.0**-23), "f64": (1e-13, 1e-300, 1e-15)}


def pair_case(loss, label, dtype, reduction, arrays, scalars, grad_output=None, status=0):
    """A case of a distance function: x1, x2 and the gradients w.r.t. both, from PyTorch float64
    autograd (the matrix forms through PyTorch's broadcast call)."""
    cast = NP_DTYPE[dtype]
    c = Case(loss, label, dtype)
    c.reduction, c.scalars, c.status = reduction, dict(scalars), status
    c.arrays = {k: np.asarray(v, dtype=cast).astype(np.float64) for k, v in arrays.items()}
    if grad_output is not None:
        c.arrays["grad_output"] = np.asarray(grad_output, dtype=cast).astype(np.float64)
    c.rtol, c.atol, c.stol = PAIR_TOLERANCE[dtype]
    if status:
        return c
    # PyTorch's norms overflow past 1e154: huge inputs are scaled by an exact power of two first
    # (eps with them), which scales a distance by the same power and leaves a cosine as it is.
    largest = max(np.abs(c.arrays["x1"]).max(initial=0), np.abs(c.arrays["x2"]).max(initial=0))
    shift = 2.0**-664 if largest > 1e100 else 1.0
    x1, x2 = t64(c.arrays["x1"]).requires_grad_(True), t64(c.arrays["x2"]).requires_grad_(True)
    matrix = loss.endswith("_matrix")
    a, b = (x1[:, None] * shift, x2[None] * shift) if matrix else (x1 * shift, x2 * shift)
    if loss.startswith("pairwise_distance"):
        per = F.pairwise_distance(a, b, p=scalars["p"], eps=scalars["eps"] * shift) / shift
    else:
        per = F.cosine_similarity(a, b, dim=-1, eps=scalars["eps"] * shift)
    value = reduce_torch(per, reduction)
    upstream = t64(c.arrays["grad_output"]).reshape(value.shape) if grad_output is not None else torch.ones_like(value)
    g1, g2 = torch.autograd.grad(value, (x1, x2), upstream, allow_unused=True)
    g1 = torch.zeros_like(x1) if g1 is None else g1
    g2 = torch.zeros_like(x2) if g2 is None else g2
    c.expect = {"out": np.asarray(value.detach().numpy(), dtype=cast), "grad_x1": np.asarray(g1.numpy(), dtype=cast),
                "grad_x2": np.asarray(g2.numpy(), dtype=cast)}
    if loss.startswith("cosine") and c.arrays["x1"].shape[-1] == 1 and c.arrays["x1"].size:
        # One column: the cosine is ±1 and its gradient exactly 0, where autograd leaves rounding
        # noise (±1e-16). Expected: the exact 0, within a few ulp of |upstream| / |x|.
        c.expect["grad_x1"] = np.zeros_like(c.expect["grad_x1"])
        c.expect["grad_x2"] = np.zeros_like(c.expect["grad_x2"])
        upstream = np.abs(c.arrays.get("grad_output", np.ones(1))).max(initial=1.0)
        smallest = min(np.abs(c.arrays["x1"]).min(), np.abs(c.arrays["x2"]).min())
        c.atol = float(8 * np.finfo(cast).eps * upstream / smallest)
    return c


def distances():
    files = {}
    for loss in FAMILIES["distances"]:
        matrix = loss.endswith("_matrix")
        distance = loss.startswith("pairwise_distance")
        base = {"p": 2.0, "eps": 1e-6} if distance else {"eps": 1e-8}
        rows = lambda n, d, scale=1.0: rng2.normal(size=(n, d)) * scale
        cases = []
        for dtype in ("f32", "f64"):
            for reduction in ("none", "mean", "sum"):
                def add(label, x1, x2, scalars=base):
                    shape = (x1.shape[0], x2.shape[0]) if matrix else x1.shape[:1]
                    cases.append(pair_case(loss, f"{label}_{reduction}", dtype, reduction, {"x1": x1, "x2": x2},
                                           scalars, upstream_for(reduction, shape, dtype)))
                other = 4 if matrix else 6
                add("random", rows(6, 5, 2), rows(other, 5, 2))
                if distance:
                    for p in (1.0, 3.0, 0.5, 0.0):
                        add(f"p{p}", rows(6, 5, 2), rows(other, 5, 2), {"p": p, "eps": 1e-6})
                    same = rows(3, 4)
                    add("zero_distance", same, same if not matrix else same[[1, 0]], {"p": 2.0, "eps": 0.0})
                    add("zero_distance_p1", same, same if not matrix else same[[1, 0]], {"p": 1.0, "eps": 0.0})
                else:
                    x1 = rows(4, 5)
                    x1[1] = 0.0                 # a zero row: the clamp, and no norm gradient
                    x1[2] *= 1e-10              # a norm below eps
                    add("zero_and_tiny_rows", x1, rows(4 if not matrix else 3, 5))
                    add("eps_large", rows(5, 3), rows(5 if not matrix else 2, 3), {"eps": 0.5})
                add("large_values", rows(4, 3, 1e30), rows(4 if not matrix else 2, 3, 1e30))
                add("one_column", rows(5, 1), rows(5 if not matrix else 3, 1))
                add("empty_rows", np.zeros((0, 3)), np.zeros((0, 3)) if not matrix else rows(2, 3))
                add("empty_columns", np.zeros((3, 0)), np.zeros((3 if not matrix else 2, 0)))
            if dtype == "f64":
                add("huge_values_sum", rows(3, 4, 1e200), rows(3 if not matrix else 2, 4, 1e200))
            bad = [("p_negative", {"p": -1.0, "eps": 1e-6}), ("p_nan", {"p": math.nan, "eps": 1e-6}),
                   ("eps_inf", {"p": 2.0, "eps": math.inf})] if distance else \
                  [("eps_zero", {"eps": 0.0}), ("eps_negative", {"eps": -1e-8}), ("eps_nan", {"eps": math.nan})]
            for label, scalars in bad:
                cases.append(pair_case(loss, f"invalid_{label}", dtype, "mean", {"x1": rows(2, 3), "x2": rows(2, 3)},
                                       scalars, status=INVALID_ARGUMENT))
        files[loss] = cases
    return files


def target_autograd(fn, a, reduction, go):
    """The gradient w.r.t. the target of fn(input, target) (torch float64 functions)."""
    x = t64(a["input"])
    y = t64(a["target"]).requires_grad_(True)
    value = fn(x, y)
    upstream = torch.ones_like(value) if go is None else t64(go).reshape(value.shape)
    (grad,) = torch.autograd.grad(value, y, upstream)
    return grad.numpy()


def ref_target(loss, a, s, reduction, go):
    """The references of the target gradients: PyTorch's autograd through the anchor, except
    for binary_cross_entropy, whose anchor differentiates the unclamped logs (infinite at 0 and
    1); there the same definition with its logs clamped at -100, cross-checked against PyTorch
    where both are finite."""
    weight = {"weight": t64(a["weight"])} if "weight" in a else {}
    if loss in ("mse_loss", "l1_loss"):
        fn = getattr(F, loss)
        return target_autograd(lambda x, y: fn(x, y, reduction=reduction, **weight), a, reduction, go)
    if loss == "huber_loss":
        return target_autograd(lambda x, y: F.huber_loss(x, y, reduction=reduction, delta=s["delta"], **weight),
                               a, reduction, go)
    if loss == "smooth_l1_loss":
        return target_autograd(lambda x, y: F.smooth_l1_loss(x, y, reduction=reduction, beta=s["beta"]),
                               a, reduction, go)
    if loss == "binary_cross_entropy":
        w = t64(a["weight"]) if "weight" in a else torch.ones(())

        def clamped(x, y):
            return reduce_torch(-w * (y * torch.clamp_min(torch.log(x), -100)
                                      + (1 - y) * torch.clamp_min(torch.log1p(-x), -100)), reduction)
        grad = target_autograd(clamped, a, reduction, go)
        x = a["input"]
        if x.size and (x > 1e-30).all() and (x < 1 - 1e-12).all():
            anchor = target_autograd(lambda x, y: F.binary_cross_entropy(x, y, reduction=reduction, **weight),
                                     a, reduction, go)
            assert np.allclose(anchor, grad, rtol=1e-12, atol=1e-300), (anchor, grad)
        return grad
    if loss == "binary_cross_entropy_with_logits":
        pw = t64(a["pos_weight"]) if "pos_weight" in a else torch.ones(())
        w = t64(a["weight"]) if "weight" in a else torch.ones(())
        zero = torch.zeros((), dtype=torch.float64)

        def stable(x, y):
            return reduce_torch(w * (pw * y * torch.logaddexp(zero, -x) + (1 - y) * torch.logaddexp(zero, x)),
                                reduction)
        grad = target_autograd(stable, a, reduction, go)
        if a["input"].size and np.abs(a["input"]).max() < 15:
            kw = dict(weight, **({"pos_weight": pw} if "pos_weight" in a else {}))
            anchor = target_autograd(lambda x, y: F.binary_cross_entropy_with_logits(x, y, reduction=reduction, **kw),
                                     a, reduction, go)
            assert np.allclose(anchor, grad, rtol=1e-10, atol=1e-13), (anchor, grad)
        return grad
    if loss == "cross_entropy_probs":
        return target_autograd(lambda x, y: F.cross_entropy(x, y, reduction=reduction,
                                                            label_smoothing=s.get("label_smoothing", 0.0), **weight),
                               a, reduction, go)
    raise KeyError(loss)


def target_case(loss, label, dtype, reduction, arrays, scalars=None, go=None, status=0):
    """A case of losses_<loss>_grad_target: the loss's own arrays and scalars, grad_target expected."""
    c = Case(f"{loss}_grad_target", label, dtype)
    c.reduction, c.scalars, c.status = reduction, dict(scalars or {}), status
    cast = NP_DTYPE[dtype]
    arrays = dict(arrays, **({"grad_output": go} if go is not None else {}))
    c.arrays = {k: np.asarray(v, dtype=cast).astype(np.float64) for k, v in arrays.items()}
    c.rtol, c.atol = TOLERANCE[dtype]
    c.stol = 0.0 if loss in ELEMENTWISE_STRICT else SCALE_TOLERANCE[dtype]
    if status == 0:
        c.expect = {"grad_target": np.asarray(ref_target(loss, c.arrays, c.scalars, reduction,
                                                         c.arrays.get("grad_output")), dtype=cast)}
    return c


def target_gradients():
    """Every dtype × reduction on random data with the loss's parameters and weights, its edge
    cases (exact zero residuals, probabilities 0 and 1, saturated logits, label smoothing over a
    (N, C, d) layout, empty input), bad input, and a defaults case: the anchor with nothing
    optional, differentiated w.r.t. its target."""
    r = rng3
    upstream = lambda reduction, shape: (r.normal(size=shape) if reduction == "none"
                                         else np.array([-1.5]) if reduction == "sum" else None)
    plans = {
        "mse_loss": [("random", lambda: {"input": r.normal(size=9) * 2, "target": r.normal(size=9)}, {}),
                     ("weighted", lambda: {"input": r.normal(size=7), "target": r.normal(size=7),
                                           "weight": r.uniform(0, 3, 7)}, {}),
                     ("zero_residual", lambda: (lambda z: {"input": z, "target": z})(r.normal(size=5)), {}),
                     ("empty", lambda: {"input": np.zeros(0), "target": np.zeros(0)}, {})],
        "huber_loss": [("random", lambda: {"input": r.normal(size=9) * 2, "target": r.normal(size=9)}, {"delta": 0.7}),
                       ("weighted", lambda: {"input": r.normal(size=7) * 2, "target": r.normal(size=7),
                                             "weight": r.uniform(0, 3, 7)}, {"delta": 1.0})],
        "smooth_l1_loss": [("random", lambda: {"input": r.normal(size=9) * 2, "target": r.normal(size=9)},
                            {"beta": 0.6}),
                           ("beta0", lambda: {"input": r.normal(size=7), "target": r.normal(size=7)}, {"beta": 0.0})],
        "binary_cross_entropy": [
            ("random", lambda: {"input": r.uniform(0.01, 0.99, 9), "target": r.uniform(0, 1, 9),
                                "weight": r.uniform(0, 2, 9)}, {}),
            ("exact_zero_one", lambda: {"input": np.array([0.0, 1.0, 0.0, 1.0, 1e-30, 1 - 1e-7]),
                                        "target": np.array([0.0, 1.0, 0.5, 0.5, 1.0, 0.0])}, {}),
            ("empty", lambda: {"input": np.zeros(0), "target": np.zeros(0)}, {})],
        "binary_cross_entropy_with_logits": [
            ("weighted_pos_weight", lambda: {"input": r.normal(size=(3, 4)) * 3, "target": r.uniform(0, 1, (3, 4)),
                                             "weight": r.uniform(0, 2, (3, 4)), "pos_weight": r.uniform(0.5, 3, 4)},
             {}),
            ("saturated", lambda: {"input": np.array([1e4, -1e4, 80.0, -80.0, 20.0, -20.0, 0.0, 3.0]),
                                   "target": r.uniform(0, 1, 8)}, {})],
        "cross_entropy_probs": [
            ("smoothed_weighted", lambda: {"input": r.normal(size=(5, 4)) * 2,
                                           "target": r.dirichlet(np.ones(4), size=5), "weight": r.uniform(0.5, 2, 4)},
             {"label_smoothing": 0.1}),
            ("spatial", lambda: {"input": r.normal(size=(2, 3, 4)) * 2,
                                 "target": np.moveaxis(r.dirichlet(np.ones(3), size=(2, 4)), -1, 1)},
             {"label_smoothing": 0.0})],
    }
    plans["l1_loss"] = plans["mse_loss"]
    files = {}
    for loss, plan in plans.items():
        cases = []
        for dtype in ("f32", "f64"):
            for reduction in ("none", "mean", "sum"):
                for label, make, scalars in plan:
                    arrays = make()
                    shape = (class_layout(arrays["input"].shape)[1] if loss == "cross_entropy_probs"
                             else arrays["input"].shape)
                    cases.append(target_case(loss, f"{label}_{reduction}", dtype, reduction, arrays, scalars,
                                             upstream(reduction, shape)))
        first_scalars = plan[0][2]
        if loss == "binary_cross_entropy":
            cases += [target_case(loss, "input_above_one", dtype, "mean", {"input": np.array([0.5, 1.5]),
                                                                           "target": np.ones(2)}, status=INVALID_ARGUMENT)
                      for dtype in ("f32", "f64")]
        if loss == "huber_loss":
            cases += [target_case(loss, "delta_zero", dtype, "mean", {"input": np.ones(2), "target": np.zeros(2)},
                                  {"delta": 0.0}, status=INVALID_ARGUMENT) for dtype in ("f32", "f64")]
        # The defaults case: the anchor's defaults (reduction 'mean', delta = beta = 1, no
        # smoothing), differentiated w.r.t. the target.
        defaults_scalars = {"huber_loss": {"delta": 1.0}, "smooth_l1_loss": {"beta": 1.0},
                            "cross_entropy_probs": {"label_smoothing": 0.0}}.get(loss, {})
        for dtype in ("f32", "f64"):
            arrays = {k: v for k, v in plan[0][1]().items() if k in ("input", "target")}
            c = target_case(loss, "defaults", dtype, "mean", arrays, defaults_scalars)
            c.defaults, c.scalars = True, {}
            cases.append(c)
        del first_scalars
        files[f"{loss}_grad_target"] = cases
    return files


def row_loss_case(loss, label, dtype, reduction, arrays, scalars, go, status, defaults, tolerance):
    """The part every metric-learning case shares: its arrays in the case's dtype (grad_output
    among them when given), scalars, status and tolerances; the caller fills `expect`."""
    cast = NP_DTYPE[dtype]
    c = Case(loss, label, dtype)
    c.reduction, c.scalars, c.status, c.defaults = reduction, dict(scalars), status, defaults
    arrays = dict(arrays, **({"grad_output": go} if go is not None else {}))
    c.arrays = {k: np.asarray(v, dtype=cast).astype(np.float64) for k, v in arrays.items()}
    c.rtol, c.atol, c.stol = tolerance
    return c


def ranking_case(label, dtype, reduction, arrays, scalars, go=None, status=0, defaults=False):
    """A margin_ranking_loss case: PyTorch's F.margin_ranking_loss in float64, autograd for the
    gradients w.r.t. input1 and input2."""
    cast = NP_DTYPE[dtype]
    c = row_loss_case("margin_ranking_loss", label, dtype, reduction, arrays, scalars, go, status, defaults,
                      TOLERANCE[dtype] + (0.0,))
    if status:
        return c
    x1, x2 = t64(c.arrays["input1"]).requires_grad_(True), t64(c.arrays["input2"]).requires_grad_(True)
    kw = {} if defaults else {"margin": scalars["margin"], "reduction": reduction}
    value = F.margin_ranking_loss(x1, x2, t64(c.arrays["target"]), **kw)
    upstream = torch.ones_like(value) if go is None else t64(c.arrays["grad_output"]).reshape(value.shape)
    g1, g2 = torch.autograd.grad(value, (x1, x2), upstream, allow_unused=True)
    zeros = torch.zeros_like(x1)
    c.expect = {"out": np.asarray(value.detach().numpy(), dtype=cast),
                "grad_input1": np.asarray((zeros if g1 is None else g1).numpy(), dtype=cast),
                "grad_input2": np.asarray((zeros if g2 is None else g2).numpy(), dtype=cast)}
    return c


def metric_learning():
    """margin_ranking_loss: random ±1 targets at two margins, the kink exactly (the hinge at 0:
    gradient 0, as PyTorch's clamp_min), a target that is neither ±1 (used as written), large
    values, empty input, invalid margins, and the defaults case."""
    r = rng4
    signs = lambda n: np.where(r.uniform(size=n) > .5, 1.0, -1.0)
    upstream = lambda reduction, n: (r.normal(size=n) if reduction == "none"
                                     else np.array([-1.5]) if reduction == "sum" else None)
    cases = []
    for dtype in ("f32", "f64"):
        for reduction in ("none", "mean", "sum"):
            for label, make, margin in (
                    ("random", lambda: {"input1": r.normal(size=9), "input2": r.normal(size=9), "target": signs(9)}, 0.0),
                    ("margin", lambda: {"input1": r.normal(size=9), "input2": r.normal(size=9), "target": signs(9)}, 0.5),
                    ("at_kink", lambda: {"input1": np.array([1.0, 0.5, 2.0, -1.0]), "input2": np.array([0.5, 1.0, 2.0, -1.5]),
                                         "target": np.array([1.0, -1.0, 1.0, 1.0])}, 0.5),
                    ("other_targets", lambda: {"input1": r.normal(size=5), "input2": r.normal(size=5),
                                               "target": np.array([0.0, 2.0, -0.5, 1.0, -1.0])}, 0.25),
                    ("large", lambda: {"input1": r.normal(size=5) * 1e30, "input2": r.normal(size=5) * 1e30,
                                       "target": signs(5)}, 1.0),
                    ("empty", lambda: {"input1": np.zeros(0), "input2": np.zeros(0), "target": np.zeros(0)}, 0.0)):
                arrays = make()
                cases.append(ranking_case(f"{label}_{reduction}", dtype, reduction, arrays, {"margin": margin},
                                          upstream(reduction, arrays["input1"].shape)))
        for label, margin in (("margin_nan", math.nan), ("margin_inf", math.inf)):
            cases.append(ranking_case(f"invalid_{label}", dtype, "mean",
                                      {"input1": np.zeros(2), "input2": np.zeros(2), "target": np.ones(2)},
                                      {"margin": margin}, status=INVALID_ARGUMENT))
        cases.append(ranking_case("defaults", dtype, "mean",
                                  {"input1": r.normal(size=7), "input2": r.normal(size=7), "target": signs(7)},
                                  {}, defaults=True))
    return {"margin_ranking_loss": cases, "triplet_margin_loss": triplet_cases(),
            "cosine_embedding_loss": cosine_embedding_cases(), "contrastive_loss": contrastive_cases(),
            "quadruplet_loss": quadruplet_cases(), "verification_loss": verification_cases(),
            "circle_loss": circle_cases()}


def contrastive_case(label, dtype, reduction, arrays, scalars, go=None, status=0, defaults=False):
    """A contrastive_loss case: the seed's formula in float64 torch,
    (1 - y)·d² + y·clamp(margin - d, min=0)² with d = F.pairwise_distance, autograd for both
    gradients."""
    cast = NP_DTYPE[dtype]
    c = row_loss_case("contrastive_loss", label, dtype, reduction, arrays, scalars, go, status, defaults,
                      PAIR_TOLERANCE[dtype])
    if status:
        return c
    x1, x2 = t64(c.arrays["x1"]).requires_grad_(True), t64(c.arrays["x2"]).requires_grad_(True)
    y, margin = t64(c.arrays["target"]), (2.0 if defaults else scalars["margin"])
    distance = F.pairwise_distance(x1, x2)
    value = reduce_torch((1 - y) * distance ** 2 + y * torch.clamp(margin - distance, min=0.0) ** 2,
                         "mean" if defaults else reduction)
    upstream = torch.ones_like(value) if go is None else t64(c.arrays["grad_output"]).reshape(value.shape)
    g1, g2 = torch.autograd.grad(value, (x1, x2), upstream, allow_unused=True)
    c.expect = {"out": np.asarray(value.detach().numpy(), dtype=cast),
                "grad_x1": np.asarray((torch.zeros_like(x1) if g1 is None else g1).numpy(), dtype=cast),
                "grad_x2": np.asarray((torch.zeros_like(x2) if g2 is None else g2).numpy(), dtype=cast)}
    return c


def contrastive_cases():
    """0/1 labels at two margins, identical rows (distance sqrt(D)·1e-6), dissimilar pairs beyond
    the margin (inactive), soft labels, one column, empty rows, invalid margins, the defaults case."""
    r = rng4
    bits = lambda n: (r.uniform(size=n) > .5) * 1.0
    upstream = lambda reduction, n: (r.normal(size=n) if reduction == "none"
                                     else np.array([-1.5]) if reduction == "sum" else None)
    cases = []
    for dtype in ("f32", "f64"):
        for reduction in ("none", "mean", "sum"):
            for label, make, margin in (
                    ("random", lambda: {"x1": r.normal(size=(6, 5)), "x2": r.normal(size=(6, 5)), "target": bits(6)}, 2.0),
                    ("margin_one", lambda: {"x1": r.normal(size=(6, 3)) * .5, "x2": r.normal(size=(6, 3)) * .5,
                                            "target": bits(6)}, 1.0),
                    ("identical_rows", lambda: (lambda a: {"x1": a, "x2": a.copy(), "target": np.array([0.0, 1.0, 1.0])})(
                        r.normal(size=(3, 4))), 2.0),
                    ("beyond_margin", lambda: {"x1": np.zeros((3, 2)), "x2": np.full((3, 2), 3.0), "target": np.ones(3)},
                     2.0),
                    ("soft_labels", lambda: {"x1": r.normal(size=(4, 3)), "x2": r.normal(size=(4, 3)),
                                             "target": np.array([0.3, 0.7, 0.5, 1.0])}, 2.0),
                    ("one_column", lambda: {"x1": r.normal(size=(4, 1)), "x2": r.normal(size=(4, 1)), "target": bits(4)},
                     1.0),
                    ("empty_rows", lambda: {"x1": np.zeros((0, 3)), "x2": np.zeros((0, 3)), "target": np.zeros(0)},
                     2.0)):
                arrays = make()
                cases.append(contrastive_case(f"{label}_{reduction}", dtype, reduction, arrays, {"margin": margin},
                                              upstream(reduction, arrays["target"].shape)))
        for label, margin in (("margin_nan", math.nan), ("margin_inf", math.inf)):
            cases.append(contrastive_case(f"invalid_{label}", dtype, "mean",
                                          {"x1": np.ones((2, 3)), "x2": np.ones((2, 3)), "target": np.ones(2)},
                                          {"margin": margin}, status=INVALID_ARGUMENT))
        cases.append(contrastive_case("defaults", dtype, "mean",
                                      {"x1": r.normal(size=(7, 4)), "x2": r.normal(size=(7, 4)), "target": bits(7)},
                                      {}, defaults=True))
    return cases


def cosine_embedding_case(label, dtype, reduction, arrays, scalars, go=None, status=0, defaults=False):
    """A cosine_embedding_loss case: PyTorch's F.cosine_embedding_loss in float64 (inputs named
    x1, x2 as the C header has them), autograd for both gradients."""
    cast = NP_DTYPE[dtype]
    # The gradient is a difference of two terms (x2/D - c·x1/n1): like the cosine's own, its error
    # is a few ulp of the row's largest entry, not of each entry.
    c = row_loss_case("cosine_embedding_loss", label, dtype, reduction, arrays, scalars, go, status, defaults,
                      PAIR_TOLERANCE[dtype])
    if status:
        return c
    x1, x2 = t64(c.arrays["x1"]).requires_grad_(True), t64(c.arrays["x2"]).requires_grad_(True)
    kw = {} if defaults else {"margin": scalars["margin"], "reduction": reduction}
    value = F.cosine_embedding_loss(x1, x2, t64(c.arrays["target"]), **kw)
    upstream = torch.ones_like(value) if go is None else t64(c.arrays["grad_output"]).reshape(value.shape)
    g1, g2 = torch.autograd.grad(value, (x1, x2), upstream, allow_unused=True)
    c.expect = {"out": np.asarray(value.detach().numpy(), dtype=cast),
                "grad_x1": np.asarray((torch.zeros_like(x1) if g1 is None else g1).numpy(), dtype=cast),
                "grad_x2": np.asarray((torch.zeros_like(x2) if g2 is None else g2).numpy(), dtype=cast)}
    return c


def cosine_embedding_cases():
    """±1 targets at margins 0 and 0.3, a negative margin (every dissimilar pair active), a target
    that is neither ±1 (0, as PyTorch), a zero row, one column, empty rows, invalid margins, and
    the defaults case."""
    r = rng4
    signs = lambda n: np.where(r.uniform(size=n) > .5, 1.0, -1.0)
    upstream = lambda reduction, n: (r.normal(size=n) if reduction == "none"
                                     else np.array([-1.5]) if reduction == "sum" else None)
    cases = []
    for dtype in ("f32", "f64"):
        for reduction in ("none", "mean", "sum"):
            for label, make, margin in (
                    ("random", lambda: {"x1": r.normal(size=(6, 5)), "x2": r.normal(size=(6, 5)), "target": signs(6)}, 0.0),
                    ("margin", lambda: {"x1": r.normal(size=(6, 5)), "x2": r.normal(size=(6, 5)), "target": signs(6)}, 0.3),
                    ("negative_margin", lambda: {"x1": r.normal(size=(4, 3)), "x2": r.normal(size=(4, 3)),
                                                 "target": -np.ones(4)}, -0.5),
                    ("other_targets", lambda: {"x1": r.normal(size=(3, 4)), "x2": r.normal(size=(3, 4)),
                                               "target": np.array([0.0, 1.0, 2.0])}, 0.0),
                    ("zero_row", lambda: {"x1": np.vstack([np.zeros(3), r.normal(size=(2, 3))]),
                                          "x2": r.normal(size=(3, 3)), "target": np.array([1.0, -1.0, 1.0])}, 0.0),
                    ("one_column", lambda: {"x1": r.normal(size=(4, 1)), "x2": r.normal(size=(4, 1)), "target": signs(4)},
                     0.0),
                    ("empty_rows", lambda: {"x1": np.zeros((0, 3)), "x2": np.zeros((0, 3)), "target": np.zeros(0)},
                     0.0)):
                arrays = make()
                case_ = cosine_embedding_case(f"{label}_{reduction}", dtype, reduction, arrays, {"margin": margin},
                                              upstream(reduction, arrays["target"].shape))
                if label == "one_column":
                    # |cos| = 1 up to 1e-12: the gradient is 1e-12-sized and both PyTorch and
                    # liblosses compute it as a difference of O(1) terms, so they agree only to
                    # those terms' rounding (a few 1e-16 times the upstream gradient).
                    case_.atol = 1e-14
                cases.append(case_)
        for label, margin in (("margin_nan", math.nan), ("margin_inf", math.inf)):
            cases.append(cosine_embedding_case(f"invalid_{label}", dtype, "mean",
                                               {"x1": np.ones((2, 3)), "x2": np.ones((2, 3)), "target": np.ones(2)},
                                               {"margin": margin}, status=INVALID_ARGUMENT))
        cases.append(cosine_embedding_case("defaults", dtype, "mean",
                                           {"x1": r.normal(size=(7, 4)), "x2": r.normal(size=(7, 4)), "target": signs(7)},
                                           {}, defaults=True))
    return cases


def triplet_case(label, dtype, reduction, arrays, scalars, go=None, status=0, defaults=False):
    """A triplet_margin_loss case: PyTorch's F.triplet_margin_loss in float64, autograd for the
    gradients w.r.t. anchor, positive and negative."""
    cast = NP_DTYPE[dtype]
    # The anchor's gradient is a difference of two unit-scale terms: its error is a few ulp of the
    # largest entry (an exact 0 of PyTorch's may come out as 1e-17).
    c = row_loss_case("triplet_margin_loss", label, dtype, reduction, arrays, scalars, go, status, defaults,
                      PAIR_TOLERANCE[dtype])
    if status:
        return c
    rows = [t64(c.arrays[k]).requires_grad_(True) for k in ("anchor", "positive", "negative")]
    kw = {} if defaults else {"margin": scalars["margin"], "p": scalars["p"], "eps": scalars["eps"],
                              "swap": bool(scalars["swap"]), "reduction": reduction}
    value = F.triplet_margin_loss(*rows, **kw)
    upstream = torch.ones_like(value) if go is None else t64(c.arrays["grad_output"]).reshape(value.shape)
    grads = torch.autograd.grad(value, rows, upstream, allow_unused=True)
    c.expect = {"out": np.asarray(value.detach().numpy(), dtype=cast)}
    for name, row, grad in zip(("grad_anchor", "grad_positive", "grad_negative"), rows, grads):
        c.expect[name] = np.asarray((torch.zeros_like(row) if grad is None else grad).numpy(), dtype=cast)
    return c


def triplet_cases():
    """Random rows at p = 2, 1 and 3, swap where it changes the negative distance, hinges all
    inactive, a positive equal to the anchor, one column, empty rows, bad parameters, and the
    defaults case. Negatives are drawn near the anchor so that about half the hinges are active."""
    r = rng4
    base = {"margin": 1.0, "p": 2.0, "eps": 1e-6, "swap": 0}
    upstream = lambda reduction, n: (r.normal(size=n) if reduction == "none"
                                     else np.array([-1.5]) if reduction == "sum" else None)

    def rows(n, d, spread=1.0):
        a = r.normal(size=(n, d))
        return {"anchor": a, "positive": a + r.normal(size=(n, d)) * spread,
                "negative": a + r.normal(size=(n, d)) * spread * 1.3}

    def swapping(n, d):
        a = r.normal(size=(n, d))
        negative = a + r.normal(size=(n, d)) * 2.0
        positive = negative + r.normal(size=(n, d)) * 0.3   # the positive close to the negative
        return {"anchor": a, "positive": positive, "negative": negative}

    cases = []
    for dtype in ("f32", "f64"):
        for reduction in ("none", "mean", "sum"):
            for label, make, scalars in (
                    ("random", lambda: rows(6, 5), base),
                    ("p1", lambda: rows(6, 5), dict(base, p=1.0)),
                    ("p3_margin", lambda: rows(6, 5), dict(base, p=3.0, margin=0.5)),
                    ("swap", lambda: swapping(6, 4), dict(base, swap=1)),
                    ("inactive", lambda: {"anchor": np.zeros((3, 2)), "positive": np.zeros((3, 2)),
                                          "negative": np.full((3, 2), 5.0)}, base),
                    ("positive_is_anchor", lambda: (lambda a: {"anchor": a, "positive": a.copy(),
                                                               "negative": a + 0.1})(r.normal(size=(3, 4))), base),
                    ("one_column", lambda: rows(5, 1), base),
                    # A NaN in one row: that row's value and three gradients are NaN, the others not.
                    ("nan_row", lambda: (lambda t: (t["negative"].__setitem__((1, 2), np.nan), t)[1])(rows(3, 4)), base),
                    ("nan_row_p3", lambda: (lambda t: (t["anchor"].__setitem__((0, 1), np.nan), t)[1])(rows(3, 4)),
                     dict(base, p=3.0)),
                    ("empty_rows", lambda: {"anchor": np.zeros((0, 3)), "positive": np.zeros((0, 3)),
                                            "negative": np.zeros((0, 3))}, base)):
                arrays = make()
                cases.append(triplet_case(f"{label}_{reduction}", dtype, reduction, arrays, scalars,
                                          upstream(reduction, arrays["anchor"].shape[0])))
        bad = {"anchor": np.zeros((2, 3)), "positive": np.zeros((2, 3)), "negative": np.ones((2, 3))}
        for label, scalars in (("margin_zero", dict(base, margin=0.0)), ("margin_negative", dict(base, margin=-1.0)),
                               ("p_negative", dict(base, p=-1.0)), ("eps_inf", dict(base, eps=math.inf))):
            cases.append(triplet_case(f"invalid_{label}", dtype, "mean", bad, scalars, status=INVALID_ARGUMENT))
        cases.append(triplet_case("defaults", dtype, "mean", rows(7, 6), {}, defaults=True))
    return cases


def quadruplet_case(label, dtype, reduction, arrays, scalars, go=None, status=0, defaults=False):
    """A quadruplet_loss case: Chen et al.'s formula composed in float64 torch,
    clamp_min(d2(a, p) - d2(a, n1) + m1, 0) + clamp_min(d2(a, p) - d2(n1, n2) + m2, 0) with
    d2(x, y) = ((x - y)**2).sum(1), autograd for the four gradients."""
    cast = NP_DTYPE[dtype]
    # Each gradient is a difference of 2(x - y) terms: its error is a few ulp of the row's largest.
    c = row_loss_case("quadruplet_loss", label, dtype, reduction, arrays, scalars, go, status, defaults,
                      PAIR_TOLERANCE[dtype])
    if status:
        return c
    names = ("anchor", "positive", "negative1", "negative2")
    a, p, n1, n2 = rows = [t64(c.arrays[k]).requires_grad_(True) for k in names]
    m1, m2 = (1.0, 0.5) if defaults else (scalars["margin1"], scalars["margin2"])
    d2 = lambda x, y: ((x - y) ** 2).sum(1)
    per_row = (d2(a, p) - d2(a, n1) + m1).clamp_min(0) + (d2(a, p) - d2(n1, n2) + m2).clamp_min(0)
    value = reduce_torch(per_row, "mean" if defaults else reduction)
    upstream = torch.ones_like(value) if go is None else t64(c.arrays["grad_output"]).reshape(value.shape)
    grads = torch.autograd.grad(value, rows, upstream, allow_unused=True)
    c.expect = {"out": np.asarray(value.detach().numpy(), dtype=cast)}
    for name, row, grad in zip(names, rows, grads):
        c.expect[f"grad_{name}"] = np.asarray((torch.zeros_like(row) if grad is None else grad).numpy(), dtype=cast)
    return c


def quadruplet_cases():
    """Random rows at the paper's margins and at others (a negative margin2 included), every row
    at zero distance (both hinges active at their margins, zero gradients), both hinges exactly at
    their kinks, both inactive, squares that overflow (inf - inf: NaN, as the formula), a NaN in
    one row, one column, rows of no columns, empty rows, non-finite margins, and the defaults
    case. Negatives are drawn near the anchor so that about half the hinges are active."""
    r = rng5
    base = {"margin1": 1.0, "margin2": 0.5}
    upstream = lambda reduction, n: (r.normal(size=n) if reduction == "none"
                                     else np.array([-1.5]) if reduction == "sum" else None)

    def rows(n, d, spread=0.6):
        a = r.normal(size=(n, d))
        n1 = a + r.normal(size=(n, d)) * spread * 1.2
        return {"anchor": a, "positive": a + r.normal(size=(n, d)) * spread, "negative1": n1,
                "negative2": n1 + r.normal(size=(n, d)) * spread}

    def with_nan(t):
        t["negative2"][1, 2] = np.nan
        return t

    same = lambda a: {"anchor": a, "positive": a.copy(), "negative1": a.copy(), "negative2": a.copy()}
    kinks = {"anchor": np.zeros((2, 2)), "positive": np.array([[0.0, 0.0], [0.5, 0.0]]),
             "negative1": np.array([[1.0, 0.0], [1.0, 0.0]]), "negative2": np.array([[1.0, 1.0], [1.0, 0.5]])}
    cases = []
    for dtype in ("f32", "f64"):
        for reduction in ("none", "mean", "sum"):
            for label, make, scalars in (
                    ("random", lambda: rows(6, 5), base),
                    ("margins", lambda: rows(6, 9), {"margin1": 2.0, "margin2": -0.25}),
                    ("zero_distances", lambda: same(r.normal(size=(3, 4))), base),
                    # Row 0: both arguments exactly 0 (margins 1 and 1); row 1 active in both.
                    ("at_kinks", lambda: {k: v.copy() for k, v in kinks.items()}, {"margin1": 1.0, "margin2": 1.0}),
                    ("inactive", lambda: {"anchor": np.zeros((3, 2)), "positive": np.zeros((3, 2)),
                                          "negative1": np.full((3, 2), 5.0), "negative2": np.full((3, 2), -5.0)}, base),
                    ("large", lambda: {k: v * 1e15 for k, v in rows(4, 3).items()}, base),
                    ("overflow", lambda: {k: v * 1e170 for k, v in rows(3, 3).items()}, base),
                    ("nan_row", lambda: with_nan(rows(3, 4)), base),
                    ("one_column", lambda: rows(5, 1), base),
                    ("zero_width", lambda: {k: np.zeros((3, 0)) for k in ("anchor", "positive", "negative1",
                                                                         "negative2")}, base),
                    ("empty_rows", lambda: {k: np.zeros((0, 3)) for k in ("anchor", "positive", "negative1",
                                                                         "negative2")}, base)):
                arrays = make()
                cases.append(quadruplet_case(f"{label}_{reduction}", dtype, reduction, arrays, scalars,
                                             upstream(reduction, arrays["anchor"].shape[0])))
        bad = {"anchor": np.zeros((2, 3)), "positive": np.zeros((2, 3)), "negative1": np.ones((2, 3)),
               "negative2": np.ones((2, 3))}
        for label, scalars in (("margin1_nan", dict(base, margin1=math.nan)), ("margin2_inf", dict(base, margin2=math.inf)),
                               ("margin1_inf", dict(base, margin1=-math.inf))):
            cases.append(quadruplet_case(f"invalid_{label}", dtype, "mean", bad, scalars, status=INVALID_ARGUMENT))
        cases.append(quadruplet_case("defaults", dtype, "mean", rows(7, 6), {}, defaults=True))
    return cases


def verification_case(label, dtype, reduction, arrays, scalars, go=None, status=0, defaults=False):
    """A verification_loss case: F.binary_cross_entropy_with_logits of the composed logit
    ((f1 - f2)**2 * weight).sum(1) + bias in float64 torch (weight ones and bias 0 where the case
    has none), autograd for the gradients w.r.t. f1, f2, weight and bias."""
    cast = NP_DTYPE[dtype]
    # grad_f1 is a product of row terms; the weight's gradient a sum over rows of mixed signs: a
    # few ulp of its largest entry.
    c = row_loss_case("verification_loss", label, dtype, reduction, arrays, scalars, go, status, defaults,
                      PAIR_TOLERANCE[dtype])
    if status:
        return c
    f1, f2 = (t64(c.arrays[k]).requires_grad_(True) for k in ("f1", "f2"))
    d = f1.shape[1]
    w = (t64(c.arrays["weight"]) if "weight" in c.arrays else torch.ones(d, dtype=torch.float64)).requires_grad_(True)
    b = torch.tensor(scalars.get("bias", 0.0), dtype=torch.float64, requires_grad=True)
    logit = ((f1 - f2) ** 2 * w).sum(1) + b
    value = F.binary_cross_entropy_with_logits(logit, t64(c.arrays["label"]),
                                               **({} if defaults else {"reduction": reduction}))
    upstream = torch.ones_like(value) if go is None else t64(c.arrays["grad_output"]).reshape(value.shape)
    grads = torch.autograd.grad(value, (f1, f2, w, b), upstream, allow_unused=True)
    c.expect = {"out": np.asarray(value.detach().numpy(), dtype=cast)}
    for name, x, grad in zip(("grad_f1", "grad_f2", "grad_weight", "grad_bias"), (f1, f2, w, b), grads):
        c.expect[name] = np.asarray((torch.zeros_like(x) if grad is None else grad).numpy(), dtype=cast)
    return c


def verification_cases():
    """Random embeddings, weights of both signs and biases (logits of both signs), soft labels,
    logits of +-1e4 (the stable form: no overflow), identical rows (the logit is the bias), a NaN
    row, one column, zero columns, empty rows, non-finite biases, and the defaults case (no weight:
    ones; bias 0)."""
    r = rng5
    bits = lambda n: (r.uniform(size=n) > .5) * 1.0
    upstream = lambda reduction, n: (r.normal(size=n) if reduction == "none"
                                     else np.array([-1.5]) if reduction == "sum" else None)

    def rows(n, d, scale=0.5):
        return {"f1": r.normal(size=(n, d)) * scale, "f2": r.normal(size=(n, d)) * scale, "label": bits(n),
                "weight": r.normal(size=d)}

    def with_nan(t):
        t["f2"][1, 0] = np.nan
        return t

    cases = []
    for dtype in ("f32", "f64"):
        for reduction in ("none", "mean", "sum"):
            for label, make, scalars in (
                    ("random", lambda: rows(6, 5), {"bias": 0.3}),
                    ("negative_bias", lambda: rows(6, 9), {"bias": -1.5}),
                    ("soft_labels", lambda: dict(rows(4, 3), label=np.array([0.2, 0.5, 0.9, 0.0])), {"bias": 0.0}),
                    ("large_logits", lambda: dict(rows(4, 3, 60.0), weight=np.array([1.0, 2.0, 0.5])), {"bias": -1e4}),
                    ("identical_rows", lambda: (lambda t: dict(t, f2=t["f1"].copy()))(rows(3, 4)), {"bias": 0.7}),
                    ("nan_row", lambda: with_nan(rows(3, 4)), {"bias": 0.1}),
                    ("one_column", lambda: rows(5, 1), {"bias": 0.2}),
                    ("zero_width", lambda: {"f1": np.zeros((3, 0)), "f2": np.zeros((3, 0)), "label": np.array([1.0, 0.0, 1.0]),
                                            "weight": np.zeros(0)}, {"bias": 0.4}),
                    ("empty_rows", lambda: {"f1": np.zeros((0, 3)), "f2": np.zeros((0, 3)), "label": np.zeros(0),
                                            "weight": np.ones(3)}, {"bias": 0.0})):
                arrays = make()
                cases.append(verification_case(f"{label}_{reduction}", dtype, reduction, arrays, scalars,
                                               upstream(reduction, arrays["label"].shape)))
        bad = {"f1": np.zeros((2, 3)), "f2": np.ones((2, 3)), "label": np.ones(2), "weight": np.ones(3)}
        for label, bias in (("bias_nan", math.nan), ("bias_inf", math.inf)):
            cases.append(verification_case(f"invalid_{label}", dtype, "mean", bad, {"bias": bias},
                                           status=INVALID_ARGUMENT))
        cases.append(verification_case("defaults", dtype, "mean",
                                       {"f1": r.normal(size=(7, 4)), "f2": r.normal(size=(7, 4)), "label": bits(7)},
                                       {}, defaults=True))
    return cases



class AuthorsCircleLoss(torch.nn.Module):
    """The authors' CircleLoss(m, gamma) (Sun et al. 2020, their reference code), batched over
    rows with dim=-1 (for 1-D sp and sn exactly their dim=0). One change: their nn.Softplus()
    has threshold 20 and returns z itself above it, off by log1p(e^-z) ~ e^-20 relative to the
    exact value, far above float64's tolerance at gamma = 256 (logits in the hundreds); the
    exact softplus64 (torch.logaddexp(z, 0)) replaces it."""

    def __init__(self, m, gamma):
        super().__init__()
        self.m, self.gamma = m, gamma

    def forward(self, sp, sn):
        ap = torch.clamp_min(- sp.detach() + 1 + self.m, min=0.)
        an = torch.clamp_min(sn.detach() + self.m, min=0.)
        delta_p, delta_n = 1 - self.m, self.m
        logit_p = - ap * (sp - delta_p) * self.gamma
        logit_n = an * (sn - delta_n) * self.gamma
        return softplus64(torch.logsumexp(logit_n, dim=-1) + torch.logsumexp(logit_p, dim=-1))


def circle_case(label, dtype, reduction, arrays, scalars, go=None, status=0, defaults=False):
    """A circle_loss case: the authors' CircleLoss (AuthorsCircleLoss) on float64 torch tensors,
    the batch reduced with torch's mean or sum (a 1-D sp and sn: their one 0-d value); autograd
    for the gradients w.r.t. sp and sn, the weights detached as in their code."""
    cast = NP_DTYPE[dtype]
    c = row_loss_case("circle_loss", label, dtype, reduction, arrays, scalars, go, status, defaults,
                      PAIR_TOLERANCE[dtype])
    if status:
        return c
    sp, sn = (t64(c.arrays[k]).requires_grad_(True) for k in ("sp", "sn"))
    per = AuthorsCircleLoss(scalars.get("m", 0.25), scalars.get("gamma", 256.0))(sp, sn)
    value = per if per.ndim == 0 or reduction == "none" else per.mean() if reduction == "mean" else per.sum()
    upstream = torch.ones_like(value) if go is None else t64(c.arrays["grad_output"]).reshape(value.shape)
    grads = torch.autograd.grad(value, (sp, sn), upstream, allow_unused=True) if value.requires_grad else (None, None)
    c.expect = {"out": np.asarray(value.detach().numpy(), dtype=cast)}
    for name, x, grad in zip(("grad_sp", "grad_sn"), (sp, sn), grads):
        c.expect[name] = np.asarray((torch.zeros_like(x) if grad is None else grad).numpy(), dtype=cast)
    return c


def circle_cases():
    """Random similarities at the defaults (m = 0.25, gamma = 256: logits in the hundreds) and at
    m = 0.4, gamma = 32; values in the thousands (sp near -1, sn near 1); the exact kinks of the
    weights (sp = 1 + m, sn = -m: a 0 weight) and inactive weights; one pair of each; no positive
    (K = 0), no negative (L = 0) or neither: the loss 0, zero gradients; a NaN row; infinite
    similarities (a +inf logit: the value +inf, as torch.logsumexp); empty batches; non-finite m,
    gamma <= 0 or non-finite; and the defaults case in the authors' one-sample form (1-D sp, sn)."""
    r = rng8
    upstream = lambda reduction, n: (r.normal(size=n) if reduction == "none"
                                     else np.array([-1.5]) if reduction == "sum" else None)
    sims = lambda n, k: r.uniform(-1, 1, size=(n, k))

    def with_nan(t):
        t["sn"][1, 2] = np.nan
        return t

    def with_inf(t):
        t["sp"][0, 1] = -np.inf
        t["sn"][2, 0] = np.inf
        return t

    defaults = {"m": 0.25, "gamma": 256.0}
    cases = []
    for dtype in ("f32", "f64"):
        for reduction in ("none", "mean", "sum"):
            for label, make, scalars in (
                    ("random", lambda: {"sp": sims(6, 4), "sn": sims(6, 7)}, defaults),
                    ("moderate", lambda: {"sp": sims(5, 3), "sn": sims(5, 8)}, {"m": 0.4, "gamma": 32.0}),
                    ("large_values", lambda: {"sp": r.uniform(-1, -0.8, size=(3, 4)), "sn": r.uniform(0.8, 1, size=(3, 5))},
                     defaults),
                    ("small_values", lambda: {"sp": r.uniform(0.9, 1, size=(3, 4)), "sn": r.uniform(-0.1, 0.1, size=(3, 5))},
                     defaults),
                    ("kinks", lambda: {"sp": np.array([[1.25, 0.5, 1.5], [1.25, 1.25, 1.25]]),
                                       "sn": np.array([[-0.25, 0.3, -0.5, 0.0], [-0.25, -0.25, -1.0, -0.25]])}, defaults),
                    ("one_pair", lambda: {"sp": sims(4, 1), "sn": sims(4, 1)}, {"m": 0.1, "gamma": 64.0}),
                    ("no_positive", lambda: {"sp": np.zeros((3, 0)), "sn": sims(3, 4)}, defaults),
                    ("no_negative", lambda: {"sp": sims(3, 4), "sn": np.zeros((3, 0))}, defaults),
                    ("no_pairs", lambda: {"sp": np.zeros((2, 0)), "sn": np.zeros((2, 0))}, defaults),
                    ("nan_row", lambda: with_nan({"sp": sims(3, 3), "sn": sims(3, 4)}), defaults),
                    ("infinite", lambda: with_inf({"sp": sims(3, 3), "sn": sims(3, 4)}), defaults),
                    ("empty_rows", lambda: {"sp": np.zeros((0, 3)), "sn": np.zeros((0, 2))}, defaults)):
                arrays = make()
                cases.append(circle_case(f"{label}_{reduction}", dtype, reduction, arrays, scalars,
                                         upstream(reduction, arrays["sp"].shape[:1])))
        bad = {"sp": np.zeros((2, 3)), "sn": np.ones((2, 2))}
        for label, scalars in (("m_nan", {"m": math.nan, "gamma": 256.0}), ("m_inf", {"m": -math.inf, "gamma": 256.0}),
                               ("gamma_zero", {"m": 0.25, "gamma": 0.0}), ("gamma_negative", {"m": 0.25, "gamma": -1.0}),
                               ("gamma_nan", {"m": 0.25, "gamma": math.nan}), ("gamma_inf", {"m": 0.25, "gamma": math.inf})):
            cases.append(circle_case(f"invalid_{label}", dtype, "mean", bad, scalars, status=INVALID_ARGUMENT))
        cases.append(circle_case("defaults", dtype, "mean", {"sp": r.uniform(-1, 1, size=5), "sn": r.uniform(-1, 1, size=9)},
                                 {}, defaults=True))
    return cases


# ---- Metric learning over a whole batch -------------------------------------------------------
#
# References: the composed torch formula of each loss in float64 with autograd, the mined indices
# chosen by numpy's argmax/argmin (the first index on ties, the rule liblosses documents, where
# torch.max's choice among ties is unspecified); circle_loss_embeddings and ntxent_loss are also
# checked against pytorch-metric-learning's CircleLoss and NTXentLoss on every case where PML's
# reduction is the same ('mean', anchors all counted).

SHAPE_MISMATCH = 3
MINING_TOLERANCE = {"f32": (1e-6, 1e-37, 8 * 2.0**-23), "f64": (1e-13, 1e-300, 1e-14)}


def softplus64(z):
    """log(1 + e^z) without F.softplus's threshold (which returns z above 20, an error of
    e^-20 ~ 2e-9); logaddexp's gradient is sigmoid(z) everywhere, 1/2 at 0 included."""
    return torch.logaddexp(z, torch.zeros_like(z))


def anchor_reduce(values, counted, reduction):
    """'none': each anchor's value; 'sum'; 'mean' over the anchors counted, 0 when none is."""
    if reduction == "none":
        return values
    total = values.sum()
    if reduction == "sum":
        return total
    k = int(counted.sum())
    return total / k if k else total * 0.0


def first_extreme(values, mask, largest):
    """The first index of the largest (smallest) masked value; a NaN is taken first."""
    idx = np.where(mask)[0]
    v = values[idx]
    if np.isnan(v).any():
        return idx[np.argmax(np.isnan(v))]
    return idx[np.argmax(v) if largest else np.argmin(v)]


def mined(keys, y):
    """Each anchor i with (p, q), its farthest positive and closest negative by `keys` (n × n), or
    None when it lacks either."""
    n = len(y)
    for i in range(n):
        positive = (y == y[i]) & (np.arange(n) != i)
        negative = y != y[i]
        if not positive.any() or not negative.any():
            yield i, None
        else:
            yield i, (first_extreme(keys[i], positive, True), first_extreme(keys[i], negative, False))


def batch_case(loss, label, dtype, reduction, arrays, scalars, go, status, defaults, formula, gradient_name):
    """A batch-loss case: `formula(tensors, reduction)` is the float64 torch reference on the
    case's exact inputs; autograd gives the gradient w.r.t. the first array."""
    cast = NP_DTYPE[dtype]
    c = row_loss_case(loss, label, dtype, reduction, arrays, scalars, go, status, defaults, MINING_TOLERANCE[dtype])
    if status:
        return c
    first = next(iter(arrays))
    x = t64(c.arrays[first]).requires_grad_(True)
    value = formula(x, c.arrays, "mean" if defaults else reduction)
    upstream = torch.ones_like(value) if go is None else t64(c.arrays["grad_output"]).reshape(value.shape)
    # A batch where no anchor counts has a constant value: its gradient is 0.
    (grad,) = torch.autograd.grad(value, (x,), upstream, allow_unused=True) if value.requires_grad else (None,)
    c.expect = {"out": np.asarray(value.detach().numpy(), dtype=cast),
                gradient_name: np.asarray((torch.zeros_like(x) if grad is None else grad).numpy(), dtype=cast)}
    return c


def batch_hard_formula(margin, squared, soft):
    def formula(x, a, reduction):
        y = a["labels"]
        n = len(y)
        with torch.no_grad():
            mining = ((x[:, None] - x[None]) ** 2).sum(-1).numpy() if n else np.zeros((0, 0))
        values, counted = [], []
        for i, chosen in mined(mining, y):
            if chosen is None:
                values.append(x.new_zeros(()))
                counted.append(False)
                continue
            p, q = chosen
            dp, dq = ((x[i] - x[p]) ** 2).sum(), ((x[i] - x[q]) ** 2).sum()
            if not squared:  # the gradient of the norm at 0 is 0, as liblosses and |x|; NaN stays NaN
                dp = dp * 0.0 if dp.item() == 0 else dp.sqrt()
                dq = dq * 0.0 if dq.item() == 0 else dq.sqrt()
            values.append(softplus64(dp - dq) if soft else torch.clamp(dp - dq + margin, min=0.0))
            counted.append(True)
        stacked = torch.stack(values) if values else x.sum(-1)
        return anchor_reduce(stacked, np.array(counted, dtype=bool), reduction)
    return formula


def quadruplet_formula(margin1, margin2):
    def formula(dist, a, reduction):
        y = a["labels"]
        n = len(y)
        d = dist.detach().numpy()
        values, counted = [], []
        for i, chosen in mined(d, y):
            if chosen is None:
                values.append(dist.new_zeros(()))
                counted.append(False)
                continue
            p, q = chosen
            # The pairs (k, l), k != l, of two labels that differ, both not the anchor's: the mask
            # the seed meant, built directly.
            pairs = (y[:, None] != y[None]) & (y[:, None] != y[i]) & (y[None] != y[i])
            value = torch.clamp(dist[i, p] - dist[i, q] + margin1, min=0.0)
            if pairs.any():
                flat = first_extreme(d.reshape(-1), pairs.reshape(-1), False)
                value = value + torch.clamp(dist[i, p] - dist.reshape(-1)[flat] + margin2, min=0.0)
            values.append(value)
            counted.append(True)
        stacked = torch.stack(values) if values else dist.sum(-1)
        return anchor_reduce(stacked, np.array(counted, dtype=bool), reduction)
    return formula


def circle_formula(m, gamma):
    def formula(x, a, reduction):
        y = torch.tensor(a["labels"].astype(np.int64))
        n = len(y)
        xn = F.normalize(x, dim=1, eps=1e-12)
        s = xn @ xn.T
        same = y[:, None] == y[None]
        positive, negative = same & ~torch.eye(n, dtype=torch.bool), ~same
        ap, an = torch.relu(1 + m - s.detach()), torch.relu(s.detach() + m)
        lp = torch.where(positive, -gamma * ap * (s - (1 - m)), -math.inf)
        ln = torch.where(negative, gamma * an * (s - m), -math.inf)
        counted = positive.any(1) & negative.any(1)
        # Rows without both give -inf sums; they are replaced by 0 before the softplus, so that
        # no NaN reaches their (zero) gradient.
        z = torch.where(counted, torch.where(counted[:, None], lp, 0.0).logsumexp(1)
                        + torch.where(counted[:, None], ln, 0.0).logsumexp(1), 0.0)
        values = torch.where(counted, softplus64(z), 0.0)
        return anchor_reduce(values, counted.numpy(), reduction)
    return formula


def ntxent_formula(temperature):
    def formula(x, a, reduction):
        n = x.shape[0]
        xn = F.normalize(x, dim=1, eps=1e-12)
        s = (xn @ xn.T / temperature).masked_fill(torch.eye(n, dtype=torch.bool), -math.inf)
        values = F.cross_entropy(s, (torch.arange(n) + n // 2) % n, reduction="none") if n else x.sum(-1)
        return anchor_reduce(values, np.ones(n, dtype=bool), reduction)
    return formula


def exact_one_column(c):
    """A cosine loss of one column: every row normalises to ±1, locally constant, so the exact
    gradient is 0; autograd's projection leaves a cancellation residue of ~1e-14, checked small
    here and replaced by the exact 0."""
    if c.status == 0 and c.arrays["embeddings"].shape[1] == 1 and np.isfinite(c.arrays["embeddings"]).all():
        grad = c.expect["grad_embeddings"]
        assert np.abs(grad).max(initial=0) < 1e-10, grad
        c.expect["grad_embeddings"] = np.zeros_like(grad)
    return c


def check_pml(loss, x, labels, expected):
    """pytorch-metric-learning's own loss agrees with the formula on this case (to the rounding of
    a float32 expected value)."""
    got = loss(torch.tensor(x), torch.tensor(labels.astype(np.int64))).item()
    assert abs(got - expected) <= 1e-6 * max(1.0, abs(expected)), (loss, got, expected)


def batch_losses():
    """batch_hard_triplet_loss, batch_hard_quadruplet_loss, circle_loss_embeddings and
    ntxent_loss: random batches with every anchor counted, anchors without a positive (a label
    seen once) or without a negative (one label), duplicate rows (zero distances and ties), a zero
    row (below the normalisation floor), a NaN row, one and zero columns, empty batches, invalid
    parameters, and a defaults case each."""
    from pytorch_metric_learning import losses as pml
    r = rng6
    upstream = lambda reduction, n: (r.normal(size=n) if reduction == "none"
                                     else np.array([-1.5]) if reduction == "sum" else None)

    def batch(n, d, classes, scale=1.0):
        return r.normal(size=(n, d)) * scale, r.integers(0, classes, n).astype(np.float64)

    def duplicates():
        x, y = batch(8, 4, 3)
        x[5], x[6] = x[1], x[1]           # ties and zero distances
        y[5], y[6] = y[1], y[1] + 1
        return x, y

    def with_nan():
        x, y = batch(6, 3, 2)
        x[2, 1] = np.nan
        return x, y

    shapes = {
        "random": lambda: batch(12, 5, 3),
        "singletons": lambda: (r.normal(size=(6, 3)), np.array([0., 0., 1., 2., 1., 3.])),
        "one_label": lambda: (r.normal(size=(5, 3)), np.zeros(5)),
        "duplicates": duplicates,
        "zero_row": lambda: (np.vstack([np.zeros((1, 4)), r.normal(size=(5, 4))]), np.array([0., 0., 1., 1., 2., 0.])),
        "nan_row": with_nan,
        "one_column": lambda: batch(6, 1, 2),
        "zero_columns": lambda: (np.zeros((4, 0)), np.array([0., 0., 1., 1.])),
        "large": lambda: batch(6, 3, 2, scale=1e15),
        "empty": lambda: (np.zeros((0, 3)), np.zeros(0)),
        "one_row": lambda: (r.normal(size=(1, 3)), np.zeros(1)),
    }
    files = {"batch_hard_triplet_loss": [], "batch_hard_quadruplet_loss": [], "circle_loss_embeddings": [],
             "ntxent_loss": []}
    for dtype in ("f32", "f64"):
        for reduction in ("none", "mean", "sum"):
            for label, make in shapes.items():
                x, y = make()
                if dtype == "f32" and label == "large":
                    x = x * 1e-10   # 1e5: float32's squares stay finite
                go = upstream(reduction, len(y))
                for margin, squared, soft in ((0.3, 0, 0), (1.0, 1, 0), (0.0, 0, 1), (0.5, 1, 1)):
                    tag = f"{label}_m{margin:g}{'_squared' if squared else ''}{'_soft' if soft else ''}_{reduction}"
                    files["batch_hard_triplet_loss"].append(batch_case(
                        "batch_hard_triplet_loss", tag, dtype, reduction, {"embeddings": x, "labels": y},
                        {"margin": margin, "squared": squared, "soft": soft}, go, 0, False,
                        batch_hard_formula(margin, squared, soft), "grad_embeddings"))
                if label not in ("large",):
                    dist = np.sqrt(((x[:, None] - x[None]) ** 2).sum(-1)) if len(y) else np.zeros((0, 0))
                    for m1, m2 in ((1.0, 0.5), (0.2, 2.0)):
                        files["batch_hard_quadruplet_loss"].append(batch_case(
                            "batch_hard_quadruplet_loss", f"{label}_{m1:g}_{m2:g}_{reduction}", dtype, reduction,
                            {"dist": dist, "labels": y}, {"margin1": m1, "margin2": m2}, go, 0, False,
                            quadruplet_formula(m1, m2), "grad_dist"))
                for m, gamma in ((0.4, 80.0), (0.25, 16.0)):
                    c = batch_case("circle_loss_embeddings", f"{label}_{m:g}_{gamma:g}_{reduction}", dtype, reduction,
                                   {"embeddings": x, "labels": y}, {"m": m, "gamma": gamma}, go, 0, False,
                                   circle_formula(m, gamma), "grad_embeddings")
                    if reduction == "mean" and label in ("random", "duplicates") and dtype == "f64":
                        check_pml(pml.CircleLoss(m=m, gamma=gamma), c.arrays["embeddings"], y, float(c.expect["out"]))
                    files["circle_loss_embeddings"].append(exact_one_column(c))
                xe = x if len(x) % 2 == 0 else x[:-1]
                for t in (0.07, 0.5):
                    c = batch_case("ntxent_loss", f"{label}_{t:g}_{reduction}", dtype, reduction, {"embeddings": xe},
                                   {"temperature": t}, go if go is None or reduction != "none" else go[:len(xe)],
                                   0, False, ntxent_formula(t), "grad_embeddings")
                    if reduction == "mean" and label == "random" and dtype == "f64":
                        views = np.concatenate([np.arange(len(xe) // 2)] * 2)
                        check_pml(pml.NTXentLoss(temperature=t), c.arrays["embeddings"], views, float(c.expect["out"]))
                    files["ntxent_loss"].append(exact_one_column(c))
            x, y = batch(8, 3, 3)
            xe = x
            two = r.normal(size=(2, 3))
            files["ntxent_loss"].append(batch_case("ntxent_loss", f"two_rows_{reduction}", dtype, reduction,
                                                   {"embeddings": two}, {"temperature": 0.07},
                                                   upstream(reduction, 2), 0, False, ntxent_formula(0.07),
                                                   "grad_embeddings"))
        # Invalid parameters: nothing is computed.
        x, y = batch(4, 2, 2)
        # (squared and soft outside {0, 1} are the header-driven bad-input suites' cases: Python
        # refuses them as a TypeError before any call.)
        for margin, squared, soft, status in ((math.nan, 0, 0, INVALID_ARGUMENT), (math.inf, 0, 0, INVALID_ARGUMENT)):
            files["batch_hard_triplet_loss"].append(batch_case(
                "batch_hard_triplet_loss", f"invalid_{margin}_{squared}_{soft}", dtype, "mean",
                {"embeddings": x, "labels": y}, {"margin": margin, "squared": squared, "soft": soft}, None, status,
                False, None, "grad_embeddings"))
        for m1, m2 in ((math.nan, 0.5), (1.0, math.inf)):
            files["batch_hard_quadruplet_loss"].append(batch_case(
                "batch_hard_quadruplet_loss", f"invalid_{m1}_{m2}", dtype, "mean", {"dist": np.ones((4, 4)), "labels": y},
                {"margin1": m1, "margin2": m2}, None, INVALID_ARGUMENT, False, None, "grad_dist"))
        for m, gamma in ((math.nan, 80.0), (0.4, 0.0), (0.4, -1.0), (0.4, math.inf)):
            files["circle_loss_embeddings"].append(batch_case(
                "circle_loss_embeddings", f"invalid_{m}_{gamma}", dtype, "mean", {"embeddings": x, "labels": y},
                {"m": m, "gamma": gamma}, None, INVALID_ARGUMENT, False, None, "grad_embeddings"))
        for rows, t, status in ((4, 0.0, INVALID_ARGUMENT), (4, -0.1, INVALID_ARGUMENT), (4, math.nan, INVALID_ARGUMENT),
                                (3, 0.07, SHAPE_MISMATCH), (1, 0.07, SHAPE_MISMATCH)):
            files["ntxent_loss"].append(batch_case(
                "ntxent_loss", f"invalid_{rows}_{t}", dtype, "mean", {"embeddings": r.normal(size=(rows, 2))},
                {"temperature": t}, None, status, False, None, "grad_embeddings"))
        # Defaults: the reference's own defaults (PML's CircleLoss() and NTXentLoss() for those two).
        x, y = batch(10, 4, 3)
        files["batch_hard_triplet_loss"].append(batch_case(
            "batch_hard_triplet_loss", "defaults", dtype, "mean", {"embeddings": x, "labels": y}, {}, None, 0, True,
            batch_hard_formula(0.3, False, False), "grad_embeddings"))
        dist = np.sqrt(((x[:, None] - x[None]) ** 2).sum(-1))
        files["batch_hard_quadruplet_loss"].append(batch_case(
            "batch_hard_quadruplet_loss", "defaults", dtype, "mean", {"dist": dist, "labels": y}, {}, None, 0, True,
            quadruplet_formula(1.0, 0.5), "grad_dist"))
        c = batch_case("circle_loss_embeddings", "defaults", dtype, "mean", {"embeddings": x, "labels": y}, {}, None, 0,
                       True, circle_formula(0.4, 80.0), "grad_embeddings")
        check_pml(pml.CircleLoss(), c.arrays["embeddings"], y, float(c.expect["out"]))
        files["circle_loss_embeddings"].append(c)
        c = batch_case("ntxent_loss", "defaults", dtype, "mean", {"embeddings": x}, {}, None, 0, True,
                       ntxent_formula(0.07), "grad_embeddings")
        check_pml(pml.NTXentLoss(), c.arrays["embeddings"], np.concatenate([np.arange(5)] * 2), float(c.expect["out"]))
        files["ntxent_loss"].append(c)
    return files


def center_loss_reference(features, labels, centers, reduction="mean"):
    """Center loss as a composed PyTorch formula in float64 (Wen et al. 2016), per sample: the
    squared distance to the sample's own centre, summed directly, clamped to [1e-12, 1e12]. (The
    widely copied form clamps the whole masked N×C distance matrix and so adds (C - 1)·1e-12 per
    sample; this is the per-sample definition.)"""
    distance = ((features - centers[labels]) ** 2).sum(1).clamp(min=1e-12, max=1e12)
    return reduce_torch(distance, reduction)


def center_loss_update_reference(features, labels, centers, alpha=0.5):
    """The centre update (Wen et al. 2016, eq. 4) in numpy float64, every centre from the old
    ones: c_j - alpha·Σ_{y_i = j}(c_j - x_i)/(1 + n_j); a centre without samples is unchanged."""
    new = centers.copy()
    for j in range(centers.shape[0]):
        members = labels == j
        if members.any():
            new[j] = centers[j] - alpha * (centers[j] - features[members]).sum(0) / (1 + members.sum())
    return new


def center_case(label, dtype, reduction, arrays, go=None, status=0, defaults=False):
    """A center_loss case: center_loss_reference with autograd for the gradients w.r.t. the
    features and the centres."""
    cast = NP_DTYPE[dtype]
    c = row_loss_case("center_loss", label, dtype, reduction, arrays, {}, go, status, defaults, PAIR_TOLERANCE[dtype])
    if status:
        return c
    x, centers = t64(c.arrays["features"]).requires_grad_(True), t64(c.arrays["centers"]).requires_grad_(True)
    y = torch.tensor(c.arrays["labels"].astype(np.int64))
    value = center_loss_reference(x, y, centers) if defaults else center_loss_reference(x, y, centers, reduction)
    upstream = torch.ones_like(value) if go is None else t64(c.arrays["grad_output"]).reshape(value.shape)
    gx, gc = torch.autograd.grad(value, (x, centers), upstream, allow_unused=True)
    c.expect = {"out": np.asarray(value.detach().numpy(), dtype=cast),
                "grad_features": np.asarray((torch.zeros_like(x) if gx is None else gx).numpy(), dtype=cast),
                "grad_centers": np.asarray((torch.zeros_like(centers) if gc is None else gc).numpy(), dtype=cast)}
    return c


def center_update_case(label, dtype, arrays, scalars, status=0, defaults=False):
    """A center_loss_update case: the centres after center_loss_update_reference."""
    cast = NP_DTYPE[dtype]
    c = row_loss_case("center_loss_update", label, dtype, "mean", arrays, scalars, None, status, defaults,
                      PAIR_TOLERANCE[dtype])
    if status:
        return c
    a = c.arrays
    args = (a["features"], a["labels"].astype(np.int64), a["centers"])
    new = center_loss_update_reference(*args) if defaults else center_loss_update_reference(*args, scalars["alpha"])
    c.expect = {"centers": np.asarray(new, dtype=cast)}
    return c


def center_problems(r):
    """(label, arrays) of center loss and its update: random, a centre without samples, one
    label for every sample, zero distances (the clamp's floor), distances past 1e12 (its
    ceiling), a NaN feature, one column, zero width, an empty batch."""
    labels = lambda n, c: r.integers(0, c, size=n).astype(np.float64)
    centers = r.normal(size=(3, 4))
    at_centres = np.array([0, 2, 1, 2])
    return [
        ("random", {"features": r.normal(size=(8, 5)), "labels": labels(8, 4), "centers": r.normal(size=(4, 5))}),
        ("centre_without_samples", {"features": r.normal(size=(6, 3)), "labels": np.array([0, 2, 0, 2, 3, 0.0]),
                                    "centers": r.normal(size=(5, 3))}),
        ("one_label", {"features": r.normal(size=(5, 3)), "labels": np.full(5, 1.0), "centers": r.normal(size=(2, 3))}),
        ("zero_distance", {"features": centers[at_centres], "labels": at_centres * 1.0, "centers": centers}),
        ("past_clamp", {"features": np.vstack([r.normal(size=(2, 3)) * 1e7, r.normal(size=(2, 3))]),
                        "labels": np.array([0, 1, 1, 0.0]), "centers": r.normal(size=(2, 3))}),
        ("nan_feature", {"features": np.where(np.arange(12).reshape(4, 3) == 4, np.nan, r.normal(size=(4, 3))),
                         "labels": np.array([0, 1, 1, 0.0]), "centers": r.normal(size=(2, 3))}),
        ("one_column", {"features": r.normal(size=(5, 1)), "labels": labels(5, 3), "centers": r.normal(size=(3, 1))}),
        ("zero_width", {"features": np.zeros((3, 0)), "labels": np.array([0, 1, 0.0]), "centers": np.zeros((2, 0))}),
        ("empty_batch", {"features": np.zeros((0, 4)), "labels": np.zeros(0), "centers": r.normal(size=(3, 4))}),
    ]


def reid_cases():
    """center_loss and center_loss_update on center_problems in both dtypes (the loss in every
    reduction, the update at two rates and at 0 and 1), labels out of range, invalid rates, and
    a defaults case of each."""
    r = rng7
    upstream = lambda reduction, n: (r.normal(size=n) if reduction == "none"
                                     else np.array([-1.5]) if reduction == "sum" else None)
    loss, update = [], []
    for dtype in ("f32", "f64"):
        for label, arrays in center_problems(r):
            for reduction in ("none", "mean", "sum"):
                loss.append(center_case(f"{label}_{reduction}", dtype, reduction, arrays,
                                        upstream(reduction, arrays["labels"].shape)))
            for alpha in (0.5, 0.1) if label == "random" else (0.3,):
                update.append(center_update_case(f"{label}_alpha_{alpha}", dtype, arrays, {"alpha": alpha}))
        base = {"features": r.normal(size=(4, 3)), "labels": np.array([0, 1, 1, 0.0]), "centers": r.normal(size=(2, 3))}
        for alpha in (0.0, 1.0):
            update.append(center_update_case(f"alpha_{alpha:g}", dtype, base, {"alpha": alpha}))
        for label, bad in (("label_equal_to_c", np.array([0, 1, 2, 0.0])), ("label_negative", np.array([0, -1, 1, 0.0]))):
            arrays = dict(base, labels=bad)
            loss.append(center_case(f"invalid_{label}", dtype, "mean", arrays, status=LABEL_OUT_OF_RANGE))
            update.append(center_update_case(f"invalid_{label}", dtype, arrays, {"alpha": 0.5},
                                             status=LABEL_OUT_OF_RANGE))
        for label, alpha in (("alpha_nan", math.nan), ("alpha_negative", -0.1), ("alpha_above_one", 1.5)):
            update.append(center_update_case(f"invalid_{label}", dtype, base, {"alpha": alpha}, status=INVALID_ARGUMENT))
        problem = {"features": r.normal(size=(7, 4)), "labels": r.integers(0, 3, size=7) * 1.0,
                   "centers": r.normal(size=(3, 4))}
        loss.append(center_case("defaults", dtype, "mean", problem, defaults=True))
        update.append(center_update_case("defaults", dtype, problem, {}, defaults=True))
    return {"center_loss": loss, "center_loss_update": update}


def oim_loss_reference(features, targets, lut, queue, scalar=30.0, ignore_index=-1, reduction="mean"):
    """OIM loss as open-reid and SeqNet compute it, in PyTorch float64: cross entropy of
    scalar · features @ [lut; queue]ᵀ over every column, unlabelled targets (ignore_index) left out."""
    logits = scalar * features @ torch.cat([lut, queue]).T
    return F.cross_entropy(logits, targets, ignore_index=ignore_index, reduction=reduction)


def oim_update_reference(features, targets, lut, queue, queue_head, momentum=0.5, ignore_index=-1):
    """OIM's table update in NumPy float64, sample by sample (open-reid's backward, the queue as
    SeqNet's): a labelled row becomes normalise(m·lut[y] + (1 - m)·x) (the norm scaled by the
    largest component; a zero vector stays zero, a NaN one is NaN), an unlabelled feature goes
    to queue[head].
    Returns (lut, queue, head)."""
    lut, queue, head = lut.copy(), queue.copy(), int(queue_head)
    for x, y in zip(features, targets.astype(np.int64)):
        if y == ignore_index:
            queue[head] = x
            head = (head + 1) % len(queue)
            continue
        v = momentum * lut[y] + (1 - momentum) * x
        largest = np.abs(v).max() if v.size else 0.0
        if not np.isfinite(largest):
            norm = largest  # a NaN row stays NaN (open-reid's division by a NaN norm)
        else:
            norm = largest * np.sqrt(((v / largest) ** 2).sum()) if largest > 0 else 0.0
        lut[y] = v if norm == 0 else v / norm
    return lut, queue, head


def unit_rows(r, rows, d):
    x = r.normal(size=(rows, d))
    return x / np.linalg.norm(x, axis=1, keepdims=True) if d else x


def oim_case(label, dtype, reduction, arrays, scalars, go=None, status=0, defaults=False):
    """An oim_loss case: oim_loss_reference with autograd for the features' gradient."""
    cast = NP_DTYPE[dtype]
    c = row_loss_case("oim_loss", label, dtype, reduction, arrays, scalars, go, status, defaults, PAIR_TOLERANCE[dtype])
    if status:
        return c
    x = t64(c.arrays["features"]).requires_grad_(True)
    y = torch.tensor(c.arrays["targets"].astype(np.int64))
    tables = t64(c.arrays["lut"]), t64(c.arrays["queue"])
    value = (oim_loss_reference(x, y, *tables) if defaults
             else oim_loss_reference(x, y, *tables, scalars["scalar"], int(scalars["ignore_index"]), reduction))
    upstream = torch.ones_like(value) if go is None else t64(c.arrays["grad_output"]).reshape(value.shape)
    (gx,) = torch.autograd.grad(value, (x,), upstream, allow_unused=True)
    c.expect = {"out": np.asarray(value.detach().numpy(), dtype=cast),
                "grad_features": np.asarray((torch.zeros_like(x) if gx is None else gx).numpy(), dtype=cast)}
    return c


def oim_update_case(label, dtype, arrays, scalars, status=0, defaults=False):
    """An oim_update case: the tables and the head after oim_update_reference."""
    cast = NP_DTYPE[dtype]
    c = row_loss_case("oim_update", label, dtype, "mean", arrays, scalars, None, status, defaults, PAIR_TOLERANCE[dtype])
    if status:
        return c
    a = c.arrays
    args = (a["features"], a["targets"], a["lut"], a["queue"], scalars["queue_head"])
    lut, queue, head = (oim_update_reference(*args) if defaults
                        else oim_update_reference(*args, scalars["momentum"], int(scalars["ignore_index"])))
    c.expect = {"lut": np.asarray(lut, dtype=cast), "queue": np.asarray(queue, dtype=cast),
                "new_head": np.array([head], dtype=np.float64)}
    return c


def oim_cases():
    """oim_loss in both dtypes and every reduction: labelled and unlabelled samples at two
    scalars, every sample unlabelled (NaN mean), no queue, another ignore_index, a NaN feature,
    a scalar of 1e4 (logits far apart), zero width, an empty batch; targets out of range and a
    non-finite scalar refused; the defaults case. oim_update: mixed samples at two momenta, a
    label repeated (sequential), the queue wrapping round, a row that averages to zero, momentum
    0 and 1, no queue, a NaN feature, an empty batch; a target out of range, a head out of range,
    an unlabelled sample without a queue and bad momenta refused; the defaults case."""
    r = rng7
    upstream = lambda reduction, n: (r.normal(size=n) if reduction == "none"
                                     else np.array([-1.5]) if reduction == "sum" else None)
    base = lambda n, d, l, q, targets: {"features": unit_rows(r, n, d), "targets": np.asarray(targets, dtype=np.float64),
                                       "lut": unit_rows(r, l, d), "queue": unit_rows(r, q, d)}
    nan_feature = lambda: (lambda a: dict(a, features=np.where(np.arange(12).reshape(4, 3) == 5, np.nan, a["features"])))(
        base(4, 3, 3, 2, [0, 1, -1, 2]))
    losses_, updates_ = [], []
    for dtype in ("f32", "f64"):
        for label, make, scalars in (
                ("random", lambda: base(6, 5, 4, 3, [0, 3, -1, 1, -1, 0]), {"scalar": 30.0, "ignore_index": -1}),
                ("scalar_one", lambda: base(5, 4, 3, 2, [2, 0, 1, -1, 2]), {"scalar": 1.0, "ignore_index": -1}),
                ("all_unlabelled", lambda: base(3, 4, 3, 2, [-1, -1, -1]), {"scalar": 30.0, "ignore_index": -1}),
                ("no_queue", lambda: base(4, 3, 3, 0, [0, 2, 1, 1]), {"scalar": 10.0, "ignore_index": -1}),
                ("ignore_index_minus_100", lambda: base(4, 3, 3, 2, [0, -100, 2, 1]),
                 {"scalar": 30.0, "ignore_index": -100}),
                ("nan_feature", nan_feature, {"scalar": 30.0, "ignore_index": -1}),
                ("scalar_1e4", lambda: base(4, 3, 3, 2, [0, 1, 2, -1]), {"scalar": 1e4, "ignore_index": -1}),
                ("zero_width", lambda: base(3, 0, 3, 2, [0, 2, -1]), {"scalar": 30.0, "ignore_index": -1}),
                ("empty_batch", lambda: base(0, 4, 3, 2, []), {"scalar": 30.0, "ignore_index": -1})):
            for reduction in ("none", "mean", "sum"):
                arrays = make()
                losses_.append(oim_case(f"{label}_{reduction}", dtype, reduction, arrays, scalars,
                                        upstream(reduction, arrays["targets"].shape)))
        good = base(4, 3, 3, 2, [0, 1, -1, 2])
        for label, targets, scalars in (
                ("target_equal_to_l", [0, 3, -1, 1], {"scalar": 30.0, "ignore_index": -1}),
                ("unlabelled_not_ignore_index", [0, -1, 1, 1], {"scalar": 30.0, "ignore_index": -100})):
            losses_.append(oim_case(f"invalid_{label}", dtype, "mean", dict(good, targets=np.array(targets, dtype=float)),
                                    scalars, status=LABEL_OUT_OF_RANGE))
        for label, scalar in (("scalar_nan", math.nan), ("scalar_inf", math.inf)):
            losses_.append(oim_case(f"invalid_{label}", dtype, "mean", good, {"scalar": scalar, "ignore_index": -1},
                                    status=INVALID_ARGUMENT))
        losses_.append(oim_case("defaults", dtype, "mean", base(7, 4, 5, 3, [0, 4, -1, 2, 2, -1, 1]), {}, defaults=True))

        def zero_row():
            a = base(3, 3, 2, 2, [0, 1, -1])
            a["lut"][0] = -a["features"][0]
            return a
        for label, make, scalars in (
                ("random", lambda: base(6, 5, 4, 3, [0, 3, -1, 1, -1, 0]), {"queue_head": 1, "momentum": 0.5}),
                ("momentum_0.9", lambda: base(6, 5, 4, 3, [0, 3, -1, 1, -1, 0]), {"queue_head": 2, "momentum": 0.9}),
                ("repeated_label", lambda: base(4, 3, 3, 2, [1, 1, 1, -1]), {"queue_head": 0, "momentum": 0.5}),
                ("queue_wraps", lambda: base(5, 3, 2, 3, [-1, -1, 0, -1, -1]), {"queue_head": 2, "momentum": 0.5}),
                ("row_averages_to_zero", zero_row, {"queue_head": 0, "momentum": 0.5}),
                ("momentum_0", lambda: base(3, 3, 2, 2, [0, 1, -1]), {"queue_head": 1, "momentum": 0.0}),
                ("momentum_1", lambda: base(3, 3, 2, 2, [0, 1, -1]), {"queue_head": 1, "momentum": 1.0}),
                ("no_queue", lambda: base(3, 3, 2, 0, [0, 1, 1]), {"queue_head": 0, "momentum": 0.5}),
                ("nan_feature", nan_feature, {"queue_head": 0, "momentum": 0.5}),
                ("empty_batch", lambda: base(0, 3, 2, 2, []), {"queue_head": 1, "momentum": 0.5})):
            updates_.append(oim_update_case(label, dtype, make(), dict(scalars, ignore_index=-1)))
        good = base(4, 3, 3, 2, [0, 1, -1, 2])
        updates_.append(oim_update_case("invalid_target_equal_to_l", dtype, dict(good, targets=np.array([0, 3, -1, 1.0])),
                                        {"queue_head": 0, "momentum": 0.5, "ignore_index": -1}, status=LABEL_OUT_OF_RANGE))
        for label, arrays, scalars in (
                ("head_equal_to_q", good, {"queue_head": 2, "momentum": 0.5}),
                ("head_negative", good, {"queue_head": -1, "momentum": 0.5}),
                ("unlabelled_without_queue", base(3, 3, 2, 0, [0, -1, 1]), {"queue_head": 0, "momentum": 0.5}),
                ("momentum_nan", good, {"queue_head": 0, "momentum": math.nan}),
                ("momentum_above_one", good, {"queue_head": 0, "momentum": 1.5})):
            updates_.append(oim_update_case(f"invalid_{label}", dtype, arrays, dict(scalars, ignore_index=-1),
                                            status=INVALID_ARGUMENT))
        updates_.append(oim_update_case("defaults", dtype, base(7, 4, 5, 3, [0, 4, -1, 2, 2, -1, 1]), {"queue_head": 2},
                                        defaults=True))
    return {"oim_loss": losses_, "oim_update": updates_}


# ---- Images: segmentation and reconstruction ------------------------------------------------
#
# References: the soft dice formula composed in float64 torch (a mean over channels per sample,
# then torch's mean or sum over samples) and F.l1_loss / F.mse_loss of (x_hat, x), with autograd
# for every gradient.

def image_case(loss, label, dtype, reduction, arrays, scalars, go, status, defaults, formula, names):
    """An image-loss case: `formula(*tensors, reduction)` in float64 torch (the tensors of `names`,
    in order, with requires_grad) and autograd for their gradients."""
    cast = NP_DTYPE[dtype]
    c = row_loss_case(loss, label, dtype, reduction, arrays, scalars, go, status, defaults, PAIR_TOLERANCE[dtype])
    if status:
        return c
    inputs = [t64(c.arrays[k]).requires_grad_(True) for k in names]
    value = formula(*inputs, "mean" if defaults else reduction)
    upstream = torch.ones_like(value) if go is None else t64(c.arrays["grad_output"]).reshape(value.shape)
    grads = (torch.autograd.grad(value, inputs, upstream, allow_unused=True) if value.requires_grad
             else (None,) * len(inputs))
    c.expect = {"out": np.asarray(value.detach().numpy(), dtype=cast)}
    for name, x, grad in zip(names, inputs, grads):
        c.expect[f"grad_{name}"] = np.asarray((torch.zeros_like(x) if grad is None else grad).numpy(), dtype=cast)
    return c


def dice_formula(smooth):
    """The soft dice loss of (N, C, ...) pred and target: per sample 1 - mean_c of
    (2 sum p t + smooth) / (sum p + sum t + smooth), the sums over the trailing dimensions."""
    def formula(pred, target, reduction):
        p, t = pred.flatten(2), target.flatten(2)
        ratio = (2 * (p * t).sum(2) + smooth) / (p.sum(2) + t.sum(2) + smooth)
        return reduce_torch(1 - ratio.mean(1), reduction)
    return formula


def reconstruction_formula(p):
    fn = {1: F.l1_loss, 2: F.mse_loss}[p]
    return lambda x, x_hat, reduction: fn(x_hat, x, reduction=reduction)


def image_cases():
    """dice_loss: probabilities against binary masks and soft targets at smooth 1 (the default)
    and others, smooth 0, all-zero pred and target (ratio 1: loss 0; NaN at smooth 0), perfect
    overlap, values of 1e30 (sums in double), one channel, trailing dimensions of 1, no
    channels (NaN per sample, torch's mean of nothing), no spatial values, empty batches, a NaN,
    invalid smooth, and the defaults. reconstruction_loss: p = 1 and 2 on images, equal elements
    (the L1 kink), large values, a NaN for p = 2 (for p = 1 PyTorch's sign(NaN) is 0 where l1_loss
    gives NaN: docs/decisions.md), empty inputs, invalid p, and the defaults."""
    r = rng10
    upstream = lambda reduction, shape: (r.normal(size=shape) if reduction == "none"
                                         else np.array([-1.5]) if reduction == "sum" else None)
    probs = lambda *shape: r.uniform(0, 1, size=shape)
    masks = lambda *shape: (r.uniform(size=shape) > 0.5) * 1.0

    def with_nan(a):
        a["pred"][1, 0, 1, 2] = np.nan
        return a

    dice, recon = [], []
    for dtype in ("f32", "f64"):
        for reduction in ("none", "mean", "sum"):
            for label, make, smooth in (
                    ("masks", lambda: {"pred": probs(3, 2, 4, 5), "target": masks(3, 2, 4, 5)}, 1.0),
                    ("soft_targets", lambda: {"pred": probs(2, 3, 3, 3), "target": probs(2, 3, 3, 3)}, 1.0),
                    ("smooth_small", lambda: {"pred": probs(2, 2, 4, 4), "target": masks(2, 2, 4, 4)}, 1e-5),
                    ("smooth_zero", lambda: {"pred": probs(2, 2, 3, 4), "target": masks(2, 2, 3, 4)}, 0.0),
                    ("smooth_large", lambda: {"pred": probs(2, 2, 3, 3), "target": masks(2, 2, 3, 3)}, 100.0),
                    ("all_zero", lambda: {"pred": np.zeros((2, 2, 3, 3)), "target": np.zeros((2, 2, 3, 3))}, 1.0),
                    ("all_zero_smooth_zero", lambda: {"pred": np.zeros((2, 2, 3, 3)),
                                                      "target": np.zeros((2, 2, 3, 3))}, 0.0),
                    ("perfect", lambda: (lambda m: {"pred": m, "target": m.copy()})(masks(2, 3, 4, 4)), 1.0),
                    ("large_values", lambda: {"pred": probs(2, 2, 3, 3) * 1e30, "target": masks(2, 2, 3, 3) * 1e30},
                     1.0),
                    ("one_channel", lambda: {"pred": probs(4, 1, 5, 5), "target": masks(4, 1, 5, 5)}, 1.0),
                    ("one_pixel", lambda: {"pred": probs(3, 2, 1, 1), "target": masks(3, 2, 1, 1)}, 1.0),
                    ("wide", lambda: {"pred": probs(2, 2, 7, 9), "target": masks(2, 2, 7, 9)}, 1.0),
                    ("no_channels", lambda: {"pred": np.zeros((2, 0, 3, 3)), "target": np.zeros((2, 0, 3, 3))}, 1.0),
                    ("no_pixels", lambda: {"pred": np.zeros((2, 2, 0, 3)), "target": np.zeros((2, 2, 0, 3))}, 1.0),
                    ("nan", lambda: with_nan({"pred": probs(2, 2, 3, 3), "target": masks(2, 2, 3, 3)}), 1.0),
                    ("empty_batch", lambda: {"pred": np.zeros((0, 2, 3, 3)), "target": np.zeros((0, 2, 3, 3))},
                     1.0)):
                arrays = make()
                dice.append(image_case("dice_loss", f"{label}_{reduction}", dtype, reduction, arrays,
                                       {"smooth": smooth}, upstream(reduction, arrays["pred"].shape[:1]), 0, False,
                                       dice_formula(smooth), ("pred", "target")))
            for label, make, p in (
                    ("l1", lambda: {"x": probs(2, 3, 4, 4), "x_hat": probs(2, 3, 4, 4)}, 1.0),
                    ("mse", lambda: {"x": probs(2, 3, 4, 4), "x_hat": probs(2, 3, 4, 4)}, 2.0),
                    ("l1_equal", lambda: (lambda x: {"x": x, "x_hat": np.where(masks(2, 1, 3, 3) > 0, x, x + 0.5)})(
                        probs(2, 1, 3, 3)), 1.0),
                    ("mse_equal", lambda: (lambda x: {"x": x, "x_hat": x.copy()})(probs(2, 1, 3, 3)), 2.0),
                    ("l1_large", lambda: {"x": r.normal(size=(3, 7)) * 1e30, "x_hat": r.normal(size=(3, 7)) * 1e30},
                     1.0),
                    ("mse_flat", lambda: {"x": r.normal(size=11), "x_hat": r.normal(size=11)}, 2.0),
                    ("mse_nan", lambda: {"x": np.array([0.5, np.nan, 1.0]), "x_hat": np.array([0.0, 0.2, 2.0])}, 2.0),
                    ("l1_empty", lambda: {"x": np.zeros((0, 3, 2, 2)), "x_hat": np.zeros((0, 3, 2, 2))}, 1.0),
                    ("mse_empty", lambda: {"x": np.zeros(0), "x_hat": np.zeros(0)}, 2.0)):
                arrays = make()
                recon.append(image_case("reconstruction_loss", f"{label}_{reduction}", dtype, reduction, arrays,
                                        {"p": p}, upstream(reduction, arrays["x"].shape), 0, False,
                                        reconstruction_formula(int(p)), ("x", "x_hat")))
        bad = {"pred": np.full((2, 2, 3, 3), 0.5), "target": np.ones((2, 2, 3, 3))}
        for label, smooth in (("smooth_negative", -1.0), ("smooth_nan", math.nan), ("smooth_inf", math.inf)):
            dice.append(image_case("dice_loss", f"invalid_{label}", dtype, "mean", bad, {"smooth": smooth}, None,
                                   INVALID_ARGUMENT, False, None, ()))
        dice.append(image_case("dice_loss", "defaults", dtype, "mean",
                               {"pred": probs(2, 3, 4, 4), "target": masks(2, 3, 4, 4)}, {}, None, 0, True,
                               dice_formula(1.0), ("pred", "target")))
        bad = {"x": np.zeros((2, 3)), "x_hat": np.ones((2, 3))}
        for label, p in (("p_three", 3.0), ("p_zero", 0.0), ("p_half", 1.5), ("p_nan", math.nan)):
            recon.append(image_case("reconstruction_loss", f"invalid_{label}", dtype, "mean", bad, {"p": p}, None,
                                    INVALID_ARGUMENT, False, None, ()))
        recon.append(image_case("reconstruction_loss", "defaults", dtype, "mean",
                                {"x": probs(2, 3, 4, 4), "x_hat": probs(2, 3, 4, 4)}, {}, None, 0, True,
                                reconstruction_formula(1), ("x", "x_hat")))
    return {"dice_loss": dice, "reconstruction_loss": recon}



# ---- Segmentation losses of kornia: Tversky, focal Tversky, total variation ------------------
#
# References: kornia.losses.tversky_loss and kornia.losses.total_variation in float64 with
# autograd (tversky per sample by calling kornia on each sample: its result is the batch mean);
# the focal Tversky loss written from Abraham & Khan (2019) in float64 torch.

def kornia_tversky(alpha, beta, eps, ignore_index):
    import kornia

    def formula(pred, target, reduction):
        per = [kornia.losses.tversky_loss(pred[i:i + 1], target[i:i + 1], alpha, beta, eps, ignore_index)
               for i in range(pred.shape[0])]
        values = torch.stack(per) if per else pred.sum((1, 2, 3)) * math.nan
        return reduce_torch(values, reduction)
    return formula


def focal_tversky_formula(alpha, beta, gamma, eps, ignore_index):
    """(1 - TI)^(1/gamma) averaged over the classes present in each sample's kept target (1 without
    any), TI = tp / (tp + alpha fp + beta fn + eps) of the softmax; the slope at 1 - TI = 0 is 0."""
    def formula(pred, target, reduction):
        c = pred.shape[1]
        p = pred.softmax(1)
        kept = target != ignore_index
        onehot = F.one_hot(torch.where(kept, target, 0), c).permute(0, 3, 1, 2).to(pred.dtype) * kept[:, None]
        p = p * kept[:, None]
        tp, fp, fn = (p * onehot).sum((2, 3)), (p * (1 - onehot)).sum((2, 3)), ((1 - p) * onehot).sum((2, 3))
        present = onehot.sum((2, 3)) > 0
        u = (1 - tp / (tp + alpha * fp + beta * fn + eps)).clamp_min(0)
        safe = torch.where(present & (u > 0), u, torch.ones_like(u))
        term = torch.where(present & (u > 0), safe ** (1 / gamma), torch.zeros_like(u))
        count = present.sum(1)
        values = torch.where(count > 0, term.sum(1) / count.clamp_min(1), torch.ones_like(term.sum(1)))
        return reduce_torch(values, reduction)
    return formula


def kornia_total_variation(mean):
    import kornia
    return lambda img, reduction: reduce_torch(
        kornia.losses.total_variation(img, "mean" if mean else "sum").reshape(-1), reduction).reshape(
            img.shape[:-2] if reduction == "none" else ())


def segmentation_case(loss, label, dtype, reduction, arrays, scalars, go, status, defaults, formula, names):
    c = image_case(loss, label, dtype, reduction, arrays, scalars, go, status, False, None, ()) if status else None
    if status:
        return c
    # image_case with the labels as int64 tensors and autograd only for pred / img.
    cast = NP_DTYPE[dtype]
    c = row_loss_case(loss, label, dtype, reduction, arrays, scalars, go, status, defaults, PAIR_TOLERANCE[dtype])
    x = t64(c.arrays[names[0]]).requires_grad_(True)
    extra = [torch.tensor(c.arrays[k].astype(np.int64)) for k in names[1:]]
    value = formula(x, *extra, c.reduction)
    upstream = torch.ones_like(value) if go is None else t64(c.arrays["grad_output"]).reshape(value.shape)
    grad = torch.autograd.grad(value, x, upstream, allow_unused=True)[0] if value.requires_grad else None
    c.expect = {"out": np.asarray(value.detach().numpy(), dtype=cast),
                f"grad_{names[0]}": np.asarray((torch.zeros_like(x) if grad is None else grad).numpy(), dtype=cast)}
    if label.startswith("extreme_logits"):
        # Saturated softmax: fn sums 1 - p over p within an ulp of 1 (kornia's formula, and the
        # library's), and the two float64 computations round it differently: gradients of 1e-14
        # that are rounding-level agree to 1e-12 absolute, 1e-10 of the largest.
        c.stol, c.atol = max(c.stol, 1e-10), max(c.atol, 1e-12)
    return c


def segmentation_cases():
    """tversky_loss and focal_tversky_loss: logits against labels with ignored pixels, several
    alpha/beta (Dice's 1/2, Tanimoto's 1, alpha 0), eps 0, gamma 1 (tversky), 4/3 and 1/2, one
    class, an all-background target (one present class), every pixel ignored (loss 1), no
    ignore_index (None as INT64_MIN), H = 1 and W = 1, extreme logits (saturated softmax), empty
    batches, out-of-range labels, parameters out of their domains, and the defaults.
    total_variation: 'sum' and 'mean' over (B, C, H, W) and (C, H, W), equal neighbours (|0|),
    H = 1 / W = 1 (an empty term), large values, empty batches and the defaults (the C flag's other values are refused as every int32 flag: the
    Swift API takes a Bool and Python kornia's strings)."""
    r = rng_seg
    logits = lambda *shape: r.normal(size=shape) * 2
    labels = lambda c, *shape: r.integers(0, c, size=shape).astype(np.float64)

    def ignored(t, fraction=0.25):
        t = t.copy()
        t[r.uniform(size=t.shape) < fraction] = -100
        return t

    def upstream(reduction, shape):
        return r.normal(size=shape) if reduction == "none" else np.array([-1.5]) if reduction == "sum" else None

    tv, ftv, totvar = [], [], []
    for dtype in ("f32", "f64"):
        for reduction in ("none", "mean", "sum"):
            for label, make, (alpha, beta, eps) in (
                    ("random", lambda: {"pred": logits(3, 4, 5, 6), "target": ignored(labels(4, 3, 5, 6))}, (0.3, 0.7, 1e-8)),
                    ("dice", lambda: {"pred": logits(2, 3, 4, 4), "target": labels(3, 2, 4, 4)}, (0.5, 0.5, 1e-8)),
                    ("tanimoto", lambda: {"pred": logits(2, 3, 4, 4), "target": labels(3, 2, 4, 4)}, (1.0, 1.0, 1e-8)),
                    ("alpha_zero", lambda: {"pred": logits(2, 3, 3, 4), "target": labels(3, 2, 3, 4)}, (0.0, 0.9, 1e-8)),
                    ("eps_zero", lambda: {"pred": logits(2, 3, 3, 4), "target": labels(3, 2, 3, 4)}, (0.4, 0.6, 0.0)),
                    ("eps_large", lambda: {"pred": logits(2, 3, 3, 4), "target": labels(3, 2, 3, 4)}, (0.4, 0.6, 10.0)),
                    ("one_class", lambda: {"pred": logits(2, 1, 3, 3), "target": np.zeros((2, 3, 3))}, (0.5, 0.5, 1e-8)),
                    ("all_background", lambda: {"pred": logits(2, 3, 3, 3), "target": np.zeros((2, 3, 3))}, (0.3, 0.7, 1e-8)),
                    ("all_ignored", lambda: {"pred": logits(2, 3, 2, 2), "target": np.array(
                        [[[-100, -100], [-100, -100]], [[0, 1], [2, -100]]], dtype=np.float64)}, (0.3, 0.7, 1e-8)),
                    ("height_one", lambda: {"pred": logits(2, 3, 1, 7), "target": labels(3, 2, 1, 7)}, (0.3, 0.7, 1e-8)),
                    ("width_one", lambda: {"pred": logits(2, 3, 6, 1), "target": labels(3, 2, 6, 1)}, (0.3, 0.7, 1e-8)),
                    ("no_pixels", lambda: {"pred": np.zeros((2, 3, 0, 4)), "target": np.zeros((2, 0, 4))}, (0.3, 0.7, 1e-8)),
                    ("extreme_logits", lambda: {"pred": logits(2, 3, 3, 3) * 200, "target": labels(3, 2, 3, 3)},
                     (0.3, 0.7, 1e-8)),
                    ("empty_batch", lambda: {"pred": np.zeros((0, 3, 2, 2)), "target": np.zeros((0, 2, 2))},
                     (0.3, 0.7, 1e-8))):
                arrays = make()
                go = upstream(reduction, arrays["pred"].shape[:1])
                sc = {"alpha": alpha, "beta": beta, "eps": eps, "ignore_index": -100}
                tv.append(segmentation_case("tversky_loss", f"{label}_{reduction}", dtype, reduction, arrays, sc, go,
                                            0, False, kornia_tversky(alpha, beta, eps, -100), ("pred", "target")))
                for gamma in (4.0 / 3.0, 0.5) if label in ("random", "extreme_logits", "all_ignored") else (4.0 / 3.0,):
                    name = label if gamma != 0.5 else f"{label}_gamma_half"
                    ftv.append(segmentation_case(
                        "focal_tversky_loss", f"{name}_{reduction}", dtype, reduction, arrays, dict(sc, gamma=gamma),
                        go, 0, False, focal_tversky_formula(alpha, beta, gamma, eps, -100), ("pred", "target")))
            arrays = {"pred": logits(2, 3, 3, 4), "target": labels(3, 2, 3, 4)}
            go = upstream(reduction, (2,))
            ftv.append(segmentation_case("focal_tversky_loss", f"gamma_one_{reduction}", dtype, reduction, arrays,
                                         {"alpha": 0.3, "beta": 0.7, "gamma": 1.0, "eps": 1e-8, "ignore_index": -100},
                                         go, 0, False, kornia_tversky(0.3, 0.7, 1e-8, -100), ("pred", "target")))
            arrays = {"pred": logits(2, 3, 3, 3), "target": labels(3, 2, 3, 3)}
            arrays["target"][0, 0, 0] = 1
            tv.append(segmentation_case("tversky_loss", f"ignore_class_one_{reduction}", dtype, reduction, arrays,
                                        {"alpha": 0.3, "beta": 0.7, "eps": 1e-8, "ignore_index": 1}, go, 0, False,
                                        kornia_tversky(0.3, 0.7, 1e-8, 1), ("pred", "target")))
            for label, make, mean in (
                    ("sum", lambda: {"img": r.normal(size=(2, 3, 4, 5))}, 0),
                    ("mean", lambda: {"img": r.normal(size=(2, 3, 4, 5))}, 1),
                    ("chw_sum", lambda: {"img": r.normal(size=(3, 5, 4))}, 0),
                    ("chw_mean", lambda: {"img": r.normal(size=(3, 5, 4))}, 1),
                    ("equal_neighbours", lambda: {"img": np.round(r.normal(size=(2, 2, 4, 4)))}, 0),
                    ("height_one_mean", lambda: {"img": r.normal(size=(2, 2, 1, 5))}, 1),
                    ("width_one_mean", lambda: {"img": r.normal(size=(2, 2, 5, 1))}, 1),
                    ("one_pixel_mean", lambda: {"img": r.normal(size=(2, 1, 1, 1))}, 1),
                    ("large_values", lambda: {"img": r.normal(size=(2, 2, 3, 3)) * 1e30}, 0),
                    ("no_pixels", lambda: {"img": np.zeros((2, 2, 0, 3))}, 1),
                    ("empty_batch", lambda: {"img": np.zeros((0, 2, 3, 3))}, 0)):
                arrays = make()
                totvar.append(segmentation_case("total_variation", f"{label}_{reduction}", dtype, reduction, arrays,
                                                {"mean": mean}, upstream(reduction, arrays["img"].shape[:-2]), 0,
                                                False, kornia_total_variation(mean), ("img",)))
        good = {"pred": logits(2, 3, 2, 2), "target": labels(3, 2, 2, 2)}
        for label, target in (("label_equal_to_c", 3.0), ("label_negative", -1.0)):
            bad = {"pred": good["pred"], "target": good["target"].copy()}
            bad["target"][1, 1, 0] = target
            sc = {"alpha": 0.3, "beta": 0.7, "eps": 1e-8, "ignore_index": -100}
            tv.append(segmentation_case("tversky_loss", f"invalid_{label}", dtype, "mean", bad, sc, None,
                                        LABEL_OUT_OF_RANGE, False, None, ()))
            ftv.append(segmentation_case("focal_tversky_loss", f"invalid_{label}", dtype, "mean", bad,
                                         dict(sc, gamma=4.0 / 3.0), None, LABEL_OUT_OF_RANGE, False, None, ()))
        for label, alpha, beta, gamma, eps in (
                ("alpha_negative", -0.1, 0.5, 1.0, 1e-8), ("alpha_nan", math.nan, 0.5, 1.0, 1e-8),
                ("beta_negative", 0.5, -1.0, 1.0, 1e-8), ("beta_inf", 0.5, math.inf, 1.0, 1e-8),
                ("eps_negative", 0.5, 0.5, 1.0, -1e-8)):
            sc = {"alpha": alpha, "beta": beta, "eps": eps, "ignore_index": -100}
            tv.append(segmentation_case("tversky_loss", f"invalid_{label}", dtype, "mean", good, sc, None,
                                        INVALID_ARGUMENT, False, None, ()))
            ftv.append(segmentation_case("focal_tversky_loss", f"invalid_{label}", dtype, "mean", good,
                                         dict(sc, gamma=gamma), None, INVALID_ARGUMENT, False, None, ()))
        for label, gamma in (("gamma_zero", 0.0), ("gamma_negative", -1.0), ("gamma_nan", math.nan)):
            ftv.append(segmentation_case("focal_tversky_loss", f"invalid_{label}", dtype, "mean", good,
                                         {"alpha": 0.3, "beta": 0.7, "gamma": gamma, "eps": 1e-8, "ignore_index": -100},
                                         None, INVALID_ARGUMENT, False, None, ()))
        # The defaults: kornia's signatures with alpha and beta given (they have no default).
        d = {"pred": logits(2, 4, 3, 5), "target": ignored(labels(4, 2, 3, 5))}
        tv.append(segmentation_case("tversky_loss", "defaults", dtype, "mean", d, {"alpha": 0.3, "beta": 0.7}, None, 0,
                                    True, kornia_tversky(0.3, 0.7, 1e-8, -100), ("pred", "target")))
        ftv.append(segmentation_case("focal_tversky_loss", "defaults", dtype, "mean", d, {"alpha": 0.3, "beta": 0.7},
                                     None, 0, True, focal_tversky_formula(0.3, 0.7, 4.0 / 3.0, 1e-8, -100),
                                     ("pred", "target")))
        totvar.append(segmentation_case("total_variation", "defaults", dtype, "none", {"img": r.normal(size=(2, 3, 4, 4))},
                                        {}, None, 0, True, kornia_total_variation(0), ("img",)))
    return {"tversky_loss": tv, "focal_tversky_loss": ftv, "total_variation": totvar, **lovasz_cases(r)}


def kornia_lovasz(softmax, weight=None):
    """kornia's lovasz_hinge_loss / lovasz_softmax_loss of each image on its own (kornia returns the
    batch mean), then reduced."""
    import kornia

    def formula(pred, target, reduction):
        w = None if weight is None else t64(weight)
        per = [kornia.losses.lovasz_softmax_loss(pred[i:i + 1], target[i:i + 1], w) if softmax
               else kornia.losses.lovasz_hinge_loss(pred[i:i + 1], target[i:i + 1]) for i in range(pred.shape[0])]
        values = torch.stack(per) if per else pred.sum((1, 2, 3)) * math.nan
        return reduce_torch(values, reduction)
    return formula


def lovasz_cases(r):
    """lovasz_hinge_loss: random logits (no tied errors, so autograd's sort order is the library's),
    an all-background and an all-foreground image, margins met everywhere (loss 0), H = 1, W = 1, no
    pixels, logits of ±500, empty batches, labels 2 and -1, the defaults. lovasz_softmax_loss: C = 4
    and 2, class weights, a class absent from every image, an all-background target, H = 1, W = 1,
    no pixels, saturated logits, empty batches, one class, labels C and -1, the defaults."""
    logits = lambda *shape: r.normal(size=shape) * 2
    labels = lambda c, *shape: r.integers(0, c, size=shape).astype(np.float64)

    def upstream(reduction, n):
        return r.normal(size=(n,)) if reduction == "none" else np.array([-1.5]) if reduction == "sum" else None

    def margins_met():
        t = labels(2, 2, 3, 4)
        return {"pred": ((2 * t - 1) * (1.5 + r.uniform(size=t.shape)))[:, None], "target": t}

    hinge, soft = [], []
    for dtype in ("f32", "f64"):
        for reduction in ("none", "mean", "sum"):
            for label, make in (
                    ("random", lambda: {"pred": logits(3, 1, 5, 6), "target": labels(2, 3, 5, 6)}),
                    ("all_background", lambda: {"pred": logits(2, 1, 3, 4), "target": np.zeros((2, 3, 4))}),
                    ("all_foreground", lambda: {"pred": logits(2, 1, 3, 4), "target": np.ones((2, 3, 4))}),
                    ("margins_met", margins_met),
                    ("height_one", lambda: {"pred": logits(2, 1, 1, 7), "target": labels(2, 2, 1, 7)}),
                    ("width_one", lambda: {"pred": logits(2, 1, 6, 1), "target": labels(2, 2, 6, 1)}),
                    ("no_pixels", lambda: {"pred": np.zeros((2, 1, 0, 3)), "target": np.zeros((2, 0, 3))}),
                    ("extreme_logits", lambda: {"pred": logits(2, 1, 3, 3) * 250, "target": labels(2, 2, 3, 3)}),
                    ("empty_batch", lambda: {"pred": np.zeros((0, 1, 2, 2)), "target": np.zeros((0, 2, 2))})):
                arrays = make()
                hinge.append(segmentation_case("lovasz_hinge_loss", f"{label}_{reduction}", dtype, reduction, arrays,
                                               {}, upstream(reduction, arrays["pred"].shape[0]), 0, False,
                                               kornia_lovasz(False), ("pred", "target")))
            absent = labels(3, 2, 4, 4)  # classes 0..2 of 4: class 3 absent everywhere
            for label, make, weight in (
                    ("random", lambda: {"pred": logits(3, 4, 5, 6), "target": labels(4, 3, 5, 6)}, None),
                    ("two_classes", lambda: {"pred": logits(2, 2, 4, 5), "target": labels(2, 2, 4, 5)}, None),
                    ("weight", lambda: {"pred": logits(2, 3, 4, 4), "target": labels(3, 2, 4, 4)}, (0.5, 2.0, 1.25)),
                    ("absent_class", lambda: {"pred": logits(2, 4, 4, 4), "target": absent}, None),
                    ("all_background", lambda: {"pred": logits(2, 3, 3, 4), "target": np.zeros((2, 3, 4))}, None),
                    ("height_one", lambda: {"pred": logits(2, 3, 1, 7), "target": labels(3, 2, 1, 7)}, None),
                    ("width_one", lambda: {"pred": logits(2, 3, 6, 1), "target": labels(3, 2, 6, 1)}, None),
                    ("no_pixels", lambda: {"pred": np.zeros((2, 3, 0, 3)), "target": np.zeros((2, 0, 3))}, None),
                    ("extreme_logits", lambda: {"pred": logits(2, 3, 3, 3) * 400, "target": labels(3, 2, 3, 3)}, None),
                    ("empty_batch", lambda: {"pred": np.zeros((0, 3, 2, 2)), "target": np.zeros((0, 2, 2))}, None)):
                arrays = make()
                if weight is not None:
                    arrays["weight"] = np.array(weight)
                soft.append(segmentation_case("lovasz_softmax_loss", f"{label}_{reduction}", dtype, reduction, arrays,
                                              {}, upstream(reduction, arrays["pred"].shape[0]), 0, False,
                                              kornia_lovasz(True, weight), ("pred", "target")))
        for label, value in (("label_two", 2.0), ("label_negative", -1.0)):
            bad = {"pred": logits(2, 1, 2, 2), "target": labels(2, 2, 2, 2)}
            bad["target"][1, 0, 1] = value
            hinge.append(segmentation_case("lovasz_hinge_loss", f"invalid_{label}", dtype, "mean", bad, {}, None,
                                           LABEL_OUT_OF_RANGE, False, None, ()))
        for label, value in (("label_equal_to_c", 3.0), ("label_negative", -1.0)):
            bad = {"pred": logits(2, 3, 2, 2), "target": labels(3, 2, 2, 2)}
            bad["target"][0, 1, 1] = value
            soft.append(segmentation_case("lovasz_softmax_loss", f"invalid_{label}", dtype, "mean", bad, {}, None,
                                          LABEL_OUT_OF_RANGE, False, None, ()))
        soft.append(segmentation_case("lovasz_softmax_loss", "invalid_one_class", dtype, "mean",
                                      {"pred": logits(2, 1, 2, 2), "target": np.zeros((2, 2, 2))}, {}, None,
                                      INVALID_SIZE, False, None, ()))
        hinge.append(segmentation_case("lovasz_hinge_loss", "defaults", dtype, "mean",
                                       {"pred": logits(2, 1, 4, 5), "target": labels(2, 2, 4, 5)}, {}, None, 0, True,
                                       kornia_lovasz(False), ("pred", "target")))
        soft.append(segmentation_case("lovasz_softmax_loss", "defaults", dtype, "mean",
                                      {"pred": logits(2, 4, 4, 5), "target": labels(4, 2, 4, 5)}, {}, None, 0, True,
                                      kornia_lovasz(True), ("pred", "target")))
    return {"lovasz_hinge_loss": hinge, "lovasz_softmax_loss": soft}


# ---- Perceptual loss -------------------------------------------------------------------------
#
# Reference: Johnson et al.'s content and Gram style terms composed in float64 torch for one
# layer (the C entry's unit; the language layers add layers' calls, tested against sums of these
# cases), autograd for the gradients w.r.t. both maps.

def perceptual_formula(layer_weight, style_weight):
    """One layer: per sample layer_weight·mean((x - y)^2) + style_weight·||G(x) - G(y)||_F^2, with
    G = F F^T / (C H W) of the sample's C × HW map F, then torch's reduction over samples."""
    def formula(x, y, reduction):
        n, c = x.shape[:2]
        positions = math.prod(x.shape[2:])
        fx, fy = x.reshape(n, c, positions), y.reshape(n, c, positions)
        k = c * positions
        per = layer_weight * ((fx - fy) ** 2).sum((1, 2)) / k
        if style_weight:
            gx, gy = fx @ fx.transpose(1, 2) / k, fy @ fy.transpose(1, 2) / k
            per = per + style_weight * ((gx - gy) ** 2).sum((1, 2))
        return reduce_torch(per, reduction)
    return formula


def perceptual_cases():
    """Content alone (the default), content and style, style alone, several weights; one channel,
    one position, wide maps; identical maps (loss 0, gradient 0); large values (1e15: Gram entries
    of 1e30, summed in double); a NaN; empty batches; invalid weights and empty maps; the
    defaults."""
    r = rng_perceptual
    cases = []

    def maps(*shape, scale=1.0):
        return {"x": r.normal(size=shape) * scale, "y": r.normal(size=shape) * scale}

    def upstream(reduction, n):
        return r.uniform(0.5, 1.5, size=n) if reduction == "none" else None

    for dtype in ("f32", "f64"):
        for reduction in ("none", "mean", "sum"):
            for label, make, lw, sw in (
                    ("content", lambda: maps(3, 4, 5, 5), 1.0, 0.0),
                    ("content_style", lambda: maps(3, 4, 5, 5), 1.0, 0.5),
                    ("content_style_second_layer", lambda: maps(3, 2, 3, 4), 2.0, 0.5),
                    ("style_only", lambda: maps(2, 6, 3, 4), 0.0, 2.0),
                    ("weighted", lambda: maps(2, 3, 4, 4), 0.25, 10.0),
                    ("one_channel", lambda: maps(3, 1, 4, 4), 1.0, 1.0),
                    ("one_position", lambda: maps(4, 5, 1, 1), 1.0, 1.0),
                    ("wide", lambda: maps(2, 40, 6, 7), 1.0, 3.0),
                    ("identical", lambda: (lambda x: {"x": x, "y": x.copy()})(r.normal(size=(2, 3, 3, 3))), 1.0, 1.0),
                    ("large", lambda: maps(2, 3, 3, 3, scale=1e15), 1e-30, 1e-60),
                    ("nan", lambda: (lambda a: (a["x"].__setitem__((1, 0, 1, 1), np.nan), a)[1])(maps(2, 2, 3, 3)),
                     1.0, 1.0),
                    ("empty_batch", lambda: maps(0, 3, 2, 2), 1.0, 1.0)):
                arrays = make()
                cases.append(image_case("perceptual_loss", f"{label}_{reduction}", dtype, reduction, arrays,
                                        {"layer_weight": lw, "style_weight": sw},
                                        upstream(reduction, arrays["x"].shape[0]), 0, False,
                                        perceptual_formula(lw, sw), ("x", "y")))
        bad = maps(2, 2, 3, 3)
        for label, scalars in (("layer_weight_negative", {"layer_weight": -1.0, "style_weight": 0.0}),
                               ("layer_weight_nan", {"layer_weight": math.nan, "style_weight": 0.0}),
                               ("style_weight_negative", {"layer_weight": 1.0, "style_weight": -0.5}),
                               ("style_weight_inf", {"layer_weight": 1.0, "style_weight": math.inf})):
            cases.append(image_case("perceptual_loss", f"invalid_{label}", dtype, "mean", bad, scalars, None,
                                    INVALID_ARGUMENT, False, None, ()))
        for label, shape in (("no_channels", (2, 0, 3, 3)), ("no_positions", (2, 3, 0, 3))):
            cases.append(image_case("perceptual_loss", f"invalid_{label}", dtype, "mean",
                                    {"x": np.zeros(shape), "y": np.zeros(shape)},
                                    {"layer_weight": 1.0, "style_weight": 0.0}, None, INVALID_SIZE, False, None, ()))
        cases.append(image_case("perceptual_loss", "defaults", dtype, "mean", maps(2, 3, 4, 4), {}, None, 0, True,
                                perceptual_formula(1.0, 0.0), ("x", "y")))
    return {"perceptual_loss": cases}


# ---- Detection ---------------------------------------------------------------------------------
#
# References: torchvision.ops' generalized_box_iou_loss, distance_box_iou_loss and
# complete_box_iou_loss in float64 with autograd (both boxes differentiable). complete_box_iou_loss
# is the one exception: torchvision's gradient is NaN on a zero-height box (w/h = inf, then
# d atan = inf * 0 inside autograd) and its value NaN on a point box (atan(0/0)); its vectors come
# from the same formula written stably here in float64 torch (atan2 with the derivative
# (h, -w)/(w^2 + h^2), 0 at w = h = 0; torchvision's DIoU helper at its default eps, as
# torchvision calls it), checked to agree with torchvision's value and gradients wherever
# torchvision's are finite.

import torchvision.ops as tvops  # noqa: E402


class _StableAtan2(torch.autograd.Function):
    """atan(w/h) for w, h >= 0 as atan2(w, h), with the gradient (h, -w)/(w^2 + h^2), 0 at
    w = h = 0 (the mathematically right value where w/h is finite; 0 at the point box)."""

    @staticmethod
    def forward(ctx, w, h):
        ctx.save_for_backward(w, h)
        return torch.atan2(w, h)

    @staticmethod
    def backward(ctx, g):
        w, h = ctx.saved_tensors
        r = w * w + h * h
        safe = torch.where(r > 0, r, torch.ones_like(r))
        return (torch.where(r > 0, g * h / safe, torch.zeros_like(r)),
                torch.where(r > 0, -g * w / safe, torch.zeros_like(r)))


def stable_complete_box_iou_loss(boxes1, boxes2, reduction="none", eps=1e-7):
    """torchvision's complete_box_iou_loss with atan(w/h) as _StableAtan2 (else its code)."""
    from torchvision.ops.diou_loss import _diou_iou_loss
    diou_loss, iou = _diou_iou_loss(boxes1, boxes2)
    x1, y1, x2, y2 = boxes1.unbind(dim=-1)
    x1g, y1g, x2g, y2g = boxes2.unbind(dim=-1)
    v = (4 / (torch.pi ** 2)) * torch.pow(_StableAtan2.apply(x2g - x1g, y2g - y1g)
                                          - _StableAtan2.apply(x2 - x1, y2 - y1), 2)
    with torch.no_grad():
        alpha = v / (1 - iou + v + eps)
    loss = diou_loss + alpha * v
    if reduction == "mean":
        return loss.mean() if loss.numel() > 0 else 0.0 * loss.sum()
    return loss.sum() if reduction == "sum" else loss


BOX_LOSSES = {"generalized_box_iou_loss": tvops.generalized_box_iou_loss,
              "distance_box_iou_loss": tvops.distance_box_iou_loss,
              "complete_box_iou_loss": stable_complete_box_iou_loss}


def _box_reference(loss, b1, b2, kw, upstream):
    x, y = t64(b1).requires_grad_(True), t64(b2).requires_grad_(True)
    fn = BOX_LOSSES[loss]
    value = fn(x, y, **kw)
    up = torch.ones_like(value) if upstream is None else t64(upstream).reshape(value.shape)
    grads = torch.autograd.grad(value, (x, y), up, allow_unused=True) if value.requires_grad else (None, None)
    grads = [torch.zeros_like(x) if g is None else g for g in grads]
    return value.detach(), grads


def box_case(loss, label, dtype, reduction, arrays, scalars, go=None, status=0, defaults=False):
    """A case of a box IoU loss: the reference (BOX_LOSSES) on float64 tensors of the case's
    (rounded) inputs, autograd for the gradients w.r.t. boxes1 and boxes2."""
    cast = NP_DTYPE[dtype]
    c = row_loss_case(loss, label, dtype, reduction, arrays, scalars, go, status, defaults, PAIR_TOLERANCE[dtype])
    if status:
        return c
    kw = {} if defaults else {"reduction": reduction, "eps": scalars["eps"]}
    value, grads = _box_reference(loss, c.arrays["boxes1"], c.arrays["boxes2"], kw, c.arrays.get("grad_output"))
    if loss == "complete_box_iou_loss":
        # Against torchvision itself wherever its value and gradients are finite.
        x, y = t64(c.arrays["boxes1"]).requires_grad_(True), t64(c.arrays["boxes2"]).requires_grad_(True)
        theirs = tvops.complete_box_iou_loss(x, y, **kw)
        if theirs.requires_grad and theirs.numel():
            up = (torch.ones_like(theirs) if "grad_output" not in c.arrays
                  else t64(c.arrays["grad_output"]).reshape(theirs.shape))
            tg = torch.autograd.grad(theirs, (x, y), up, allow_unused=True)
            for mine, their in zip(grads, tg):
                if their is not None and torch.isfinite(their).all():
                    torch.testing.assert_close(mine, their, rtol=1e-12, atol=1e-14)
        if torch.isfinite(theirs).all():
            torch.testing.assert_close(value, theirs.detach(), rtol=1e-12, atol=1e-14)
    c.expect = {"out": np.asarray(value.numpy(), dtype=cast),
                "grad_boxes1": np.asarray(grads[0].numpy(), dtype=cast),
                "grad_boxes2": np.asarray(grads[1].numpy(), dtype=cast)}
    return c


def _random_boxes(r, n, scale=10.0):
    corner = r.uniform(0, scale, size=(n, 2))
    size = r.uniform(0.5, scale / 2, size=(n, 2))
    return np.concatenate([corner, corner + size], axis=1)


def box_cases(loss):
    """Random boxes (overlapping or not) at eps 1e-7 and 0.01; the degenerate rows: identical
    boxes, one inside the other, sharing an edge, touching at a corner, disjoint, zero width, zero
    height, a point box, both boxes points, ties of every min and max; large coordinates (1e6);
    one box; empty batches; the bad inputs (x2 < x1, y2 < y1, NaN and infinite coordinates, eps
    NaN, infinite or < 0); and the defaults in torchvision's call with no optional argument."""
    r = rng9
    upstream = lambda reduction, n: (r.normal(size=n) if reduction == "none"
                                     else np.array([-1.5]) if reduction == "sum" else None)
    degenerate = (
        np.array([[1, 1, 4, 5], [1, 1, 4, 5], [0, 0, 10, 10], [0, 0, 2, 2], [0, 0, 2, 2], [0, 0, 3, 3], [0, 0, 3, 3],
                  [1, 1, 1, 4], [1, 1, 4, 1], [2, 2, 2, 2], [2, 2, 2, 2], [0, 0, 4, 4], [1, 2, 5, 3]], dtype=float),
        np.array([[1, 1, 4, 5], [1, 1, 4, 5.5], [2, 3, 5, 7], [2, 0, 4, 2], [2, 2, 4, 4], [5, 6, 7, 9], [0, 0, 3, 1],
                  [0, 0, 3, 3], [0, 0, 3, 3], [1, 1, 3, 3], [2, 2, 2, 2], [0, 1, 4, 3], [0, 0, 2, 6]], dtype=float))
    cases = []
    for dtype in ("f32", "f64"):
        for reduction in ("none", "mean", "sum"):
            for label, make, eps in (
                    ("random", lambda: (_random_boxes(r, 7), _random_boxes(r, 7)), 1e-7),
                    ("eps", lambda: (_random_boxes(r, 5, 3.0), _random_boxes(r, 5, 3.0)), 0.01),
                    ("degenerate", lambda: degenerate, 1e-7),
                    ("large", lambda: (_random_boxes(r, 4, 1e6), _random_boxes(r, 4, 1e6)), 1e-7),
                    ("one_box", lambda: (_random_boxes(r, 1), _random_boxes(r, 1)), 1e-7),
                    ("empty", lambda: (np.zeros((0, 4)), np.zeros((0, 4))), 1e-7)):
                b1, b2 = make()
                cases.append(box_case(loss, f"{label}_{reduction}", dtype, reduction, {"boxes1": b1, "boxes2": b2},
                                      {"eps": eps}, upstream(reduction, b1.shape[:1])))
        good = _random_boxes(r, 2)
        for label, bad1, eps in (("x2_below_x1", [[3, 0, 1, 2]], 1e-7), ("y2_below_y1", [[0, 3, 2, 1]], 1e-7),
                                 ("nan", [[0, 0, math.nan, 2]], 1e-7), ("inf", [[-math.inf, 0, 2, 2]], 1e-7),
                                 ("eps_nan", None, math.nan), ("eps_inf", None, math.inf), ("eps_negative", None, -1e-7)):
            b1 = good.copy() if bad1 is None else np.concatenate([good[:1], np.array(bad1, dtype=float)])
            cases.append(box_case(loss, f"invalid_{label}", dtype, "mean", {"boxes1": b1, "boxes2": good},
                                  {"eps": eps}, status=INVALID_ARGUMENT))
        b1, b2 = _random_boxes(r, 5), _random_boxes(r, 5)
        cases.append(box_case(loss, "defaults", dtype, "none", {"boxes1": b1, "boxes2": b2}, {}, defaults=True))
    return cases


class FCOSIOULoss(torch.nn.Module):
    """FCOS's IOULoss (fcos_core/layers/iou_loss.py), the intersection area filled in as
    w_intersect * h_intersect (the seed's copy leaves that line blank). One addition: a
    `reduction` of 'none' (w * loss per row) and 'sum' (sum of w * loss) beside FCOS's own mean,
    with a weight of sum 0 ignored in all three as FCOS ignores it in its mean."""

    def __init__(self, loss_type="iou"):
        super().__init__()
        self.loss_type = loss_type

    def forward(self, pred, target, weight=None, reduction="mean"):
        pred_left, pred_top, pred_right, pred_bottom = pred[:, 0], pred[:, 1], pred[:, 2], pred[:, 3]
        target_left, target_top, target_right, target_bottom = target[:, 0], target[:, 1], target[:, 2], target[:, 3]
        target_aera = (target_left + target_right) * (target_top + target_bottom)
        pred_aera = (pred_left + pred_right) * (pred_top + pred_bottom)
        w_intersect = torch.min(pred_left, target_left) + torch.min(pred_right, target_right)
        h_intersect = torch.min(pred_bottom, target_bottom) + torch.min(pred_top, target_top)
        g_w_intersect = torch.max(pred_left, target_left) + torch.max(pred_right, target_right)
        g_h_intersect = torch.max(pred_bottom, target_bottom) + torch.max(pred_top, target_top)
        ac_uion = g_w_intersect * g_h_intersect + 1e-7
        area_intersect = w_intersect * h_intersect
        area_union = target_aera + pred_aera - area_intersect
        ious = (area_intersect + 1.0) / (area_union + 1.0)
        gious = ious - (ac_uion - area_union) / ac_uion
        if self.loss_type == 'iou':
            losses = -torch.log(ious)
        elif self.loss_type == 'linear_iou':
            losses = 1 - ious
        elif self.loss_type == 'giou':
            losses = 1 - gious
        else:
            raise NotImplementedError
        weighted = weight is not None and weight.sum() > 0
        if reduction == "none":
            return losses * weight if weighted else losses
        if reduction == "sum":
            return (losses * weight).sum() if weighted else losses.sum()
        if weighted:
            return (losses * weight).sum() / weight.sum()
        return losses.mean()


IOU_TYPES = ("iou", "linear_iou", "giou")


def iou_case(label, dtype, reduction, arrays, scalars, go=None, status=0, defaults=False):
    """An iou_loss case: FCOSIOULoss in float64 torch with autograd for the gradient w.r.t. pred."""
    cast = NP_DTYPE[dtype]
    c = row_loss_case("iou_loss", label, dtype, reduction, arrays, scalars, go, status, defaults,
                      PAIR_TOLERANCE[dtype])
    if status:
        return c
    p = t64(c.arrays["pred"]).requires_grad_(True)
    weight = t64(c.arrays["weight"]) if "weight" in c.arrays else None
    loss_type = IOU_TYPES[int(scalars.get("loss_type", 0))]
    if defaults:
        value = FCOSIOULoss()(p, t64(c.arrays["target"]))
    else:
        value = FCOSIOULoss(loss_type)(p, t64(c.arrays["target"]), weight, reduction)
    up = torch.ones_like(value) if go is None else t64(c.arrays["grad_output"]).reshape(value.shape)
    grad = torch.autograd.grad(value, (p,), up, allow_unused=True)[0] if value.requires_grad else None
    c.expect = {"out": np.asarray(value.detach().numpy(), dtype=cast),
                "grad_pred": np.asarray((torch.zeros_like(p) if grad is None else grad).numpy(), dtype=cast)}
    return c


def iou_cases():
    """Random distances for each loss type, with and without weights; ties of every min and max
    (pred = target: the loss 0), a location on a side (a zero distance), a zero-area box, weights
    of sum 0 (ignored), distances near 1e4; empty batches; the bad inputs (a negative, NaN or
    infinite distance, a negative or NaN weight, loss_type 3 and -1); the defaults."""
    r = rng9
    upstream = lambda reduction, n: (r.normal(size=n) if reduction == "none"
                                     else np.array([-1.5]) if reduction == "sum" else None)
    dist = lambda n, scale=5.0: r.uniform(0.1, scale, size=(n, 4))
    ties = (np.array([[1, 2, 3, 4], [1, 2, 3, 4], [0, 1, 2, 3], [0, 0, 0, 0], [2, 2, 2, 2]], dtype=float),
            np.array([[1, 2, 3, 4], [1, 5, 0.5, 4], [0, 3, 1, 3], [1, 1, 1, 1], [2, 2, 2, 2]], dtype=float))
    cases = []
    for dtype in ("f32", "f64"):
        for reduction in ("none", "mean", "sum"):
            for type_index, type_name in enumerate(IOU_TYPES):
                for label, make in (
                        ("random", lambda: {"pred": dist(6), "target": dist(6)}),
                        ("weighted", lambda: {"pred": dist(5), "target": dist(5), "weight": r.uniform(0, 2, size=5)}),
                        ("ties", lambda: {"pred": ties[0], "target": ties[1]}),
                        ("zero_weights", lambda: {"pred": dist(3), "target": dist(3), "weight": np.zeros(3)}),
                        ("large", lambda: {"pred": dist(4, 1e4), "target": dist(4, 1e4)}),
                        ("empty", lambda: {"pred": np.zeros((0, 4)), "target": np.zeros((0, 4))})):
                    arrays = make()
                    cases.append(iou_case(f"{type_name}_{label}_{reduction}", dtype, reduction, arrays,
                                          {"loss_type": type_index}, upstream(reduction, arrays["pred"].shape[:1])))
        good = dist(2)
        for label, arrays, scalars in (
                ("negative_pred", {"pred": np.array([[1, 1, -0.5, 1], [1, 1, 1, 1]]), "target": good}, {"loss_type": 0}),
                ("nan_target", {"pred": good, "target": np.array([[1, 1, 1, 1], [1, math.nan, 1, 1]])}, {"loss_type": 0}),
                ("inf_pred", {"pred": np.array([[1, 1, math.inf, 1], [1, 1, 1, 1]]), "target": good}, {"loss_type": 1}),
                ("negative_weight", {"pred": good, "target": good, "weight": np.array([1.0, -1.0])}, {"loss_type": 2}),
                ("nan_weight", {"pred": good, "target": good, "weight": np.array([1.0, math.nan])}, {"loss_type": 2}),
                ("loss_type_3", {"pred": good, "target": good}, {"loss_type": 3}),
                ("loss_type_negative", {"pred": good, "target": good}, {"loss_type": -1})):
            cases.append(iou_case(f"invalid_{label}", dtype, "mean", arrays, scalars, status=INVALID_ARGUMENT))
        cases.append(iou_case("defaults", dtype, "mean", {"pred": dist(5), "target": dist(5)}, {}, defaults=True))
    return cases


class SeedSigmoidDRLoss(torch.nn.Module):
    """The seed's SigmoidDRLoss (idstcv/DR_loss), as given; one change: its
    torch.log(1. + torch.exp(z)) becomes torch.logaddexp(z, 0), the same function computed without
    overflow (the original returns inf above z ~ 709 and loses everything below z ~ -37);
    cross-checked against the original wherever the original is accurate."""

    def __init__(self, pos_lambda=1, neg_lambda=0.1 / math.log(3.5), L=6., tau=4., margin=0.5, stable=True):
        super().__init__()
        self.margin, self.pos_lambda, self.neg_lambda, self.L, self.tau = margin, pos_lambda, neg_lambda, L, tau
        self.stable = stable

    def forward(self, logits, targets):
        num_classes = logits.shape[1]
        dtype, device = targets.dtype, targets.device
        class_range = torch.arange(1, num_classes + 1, dtype=dtype, device=device).unsqueeze(0)
        t = targets.unsqueeze(1)
        pos_ind = (t == class_range)
        neg_ind = (t != class_range) * (t >= 0)
        pos_prob = logits[pos_ind].sigmoid()
        neg_prob = logits[neg_ind].sigmoid()
        neg_q = F.softmax(neg_prob / self.neg_lambda, dim=0)
        neg_dist = torch.sum(neg_q * neg_prob)
        softplus = (lambda z: torch.logaddexp(z, torch.zeros_like(z))) if self.stable else (
            lambda z: torch.log(1. + torch.exp(z)))
        if pos_prob.numel() > 0:
            pos_q = F.softmax(-pos_prob / self.pos_lambda, dim=0)
            pos_dist = torch.sum(pos_q * pos_prob)
            loss = self.tau * softplus(self.L * (neg_dist - pos_dist + self.margin)) / self.L
        else:
            loss = self.tau * softplus(self.L * (neg_dist - 0. + self.margin)) / self.L
        return loss


# The gradient's terms w (1 +- (q - dist) / lambda) cancel against the softmax-weighted mean, and at a
# large L every entry's share is sigmoid(z) ~ 1 of it: float64 agrees to ~10 ulp of the largest entry.
DR_TOLERANCE = {"f32": PAIR_TOLERANCE["f32"], "f64": (1e-13, 1e-300, 1e-14)}
DR_DEFAULTS = {"pos_lambda": 1.0, "neg_lambda": 0.1 / math.log(3.5), "L": 6.0, "tau": 4.0, "margin": 0.5}


def dr_case(label, dtype, reduction, arrays, scalars, go=None, status=0, defaults=False):
    """A sigmoid_dr_loss case: SeedSigmoidDRLoss in float64 torch, autograd for the gradient w.r.t.
    the logits; the one value is the output of every reduction ('none': one value)."""
    cast = NP_DTYPE[dtype]
    c = Case("sigmoid_dr_loss", label, dtype)
    c.reduction, c.status, c.defaults = reduction, status, defaults
    c.scalars = {} if defaults else dict(DR_DEFAULTS, **scalars)
    c.arrays = {"logits": np.asarray(arrays["logits"], dtype=cast).astype(np.float64),
                "targets": np.asarray(arrays["targets"], dtype=np.int64)}
    if go is not None:
        c.arrays["grad_output"] = np.asarray(go, dtype=cast).astype(np.float64)
    c.rtol, c.atol, c.stol = DR_TOLERANCE[dtype]
    if status:
        return c
    x = t64(c.arrays["logits"]).requires_grad_(True)
    y = torch.tensor(c.arrays["targets"])
    p = dict(DR_DEFAULTS, **scalars)
    value = SeedSigmoidDRLoss(**p)(x, y)
    original = SeedSigmoidDRLoss(**p, stable=False)(x.detach(), y)
    if torch.isfinite(original) and original > 1e-12:
        torch.testing.assert_close(value.detach(), original, rtol=1e-13, atol=0)
    up = torch.ones_like(value) if go is None else t64(c.arrays["grad_output"]).reshape(value.shape)
    grad = torch.autograd.grad(value, (x,), up, allow_unused=True)[0]
    out = value.detach().numpy().reshape((1,) if reduction == "none" else ())
    c.expect = {"out": np.asarray(out, dtype=cast),
                "grad_logits": np.asarray((torch.zeros_like(x) if grad is None else grad).numpy(), dtype=cast)}
    return c


def dr_cases():
    """Random logits and labels (background, classes, ignored) at the defaults and at other
    parameters; no positive in the batch; no negative (one class, every row positive); every
    row ignored; saturated logits (+-40); a large L (the original's log(1 + exp) overflows: the
    stable reference); one row; empty batches; the bad inputs (labels C + 1 and -2, lambdas and
    L <= 0 or non-finite, tau and margin non-finite); the defaults."""
    r = rng9
    up = lambda reduction: r.normal(size=1) if reduction == "none" else np.array([-1.5]) if reduction == "sum" else None
    labels = lambda n, c: r.integers(-1, c + 1, size=n)
    cases = []
    for dtype in ("f32", "f64"):
        for reduction in ("none", "mean", "sum"):
            for label, make, scalars in (
                    ("random", lambda: {"logits": r.normal(size=(8, 5)) * 2, "targets": labels(8, 5)}, {}),
                    ("parameters", lambda: {"logits": r.normal(size=(6, 3)) * 2, "targets": labels(6, 3)},
                     {"pos_lambda": 0.5, "neg_lambda": 0.2, "L": 3.0, "tau": 2.0, "margin": 0.3}),
                    ("no_positive", lambda: {"logits": r.normal(size=(4, 3)), "targets": np.array([0, 0, -1, 0])}, {}),
                    ("no_negative", lambda: {"logits": r.normal(size=(3, 1)), "targets": np.array([1, 1, -1])}, {}),
                    ("all_ignored", lambda: {"logits": r.normal(size=(3, 2)), "targets": np.array([-1, -1, -1])}, {}),
                    ("saturated", lambda: {"logits": np.array([[40.0, -40.0, 0.5], [-40.0, 40.0, -0.5]]),
                                           "targets": np.array([1, 0])}, {}),
                    ("large_L", lambda: {"logits": r.normal(size=(5, 4)) * 3, "targets": labels(5, 4)},
                     {"L": 2000.0, "margin": 1.0}),
                    ("one_row", lambda: {"logits": r.normal(size=(1, 4)), "targets": np.array([3])}, {}),
                    ("empty", lambda: {"logits": np.zeros((0, 3)), "targets": np.zeros(0, dtype=np.int64)}, {})):
                cases.append(dr_case(f"{label}_{reduction}", dtype, reduction, make(), scalars, up(reduction)))
        good = {"logits": r.normal(size=(3, 3)), "targets": np.array([0, 2, -1])}
        for label, targets in (("label_above", [0, 4, 1]), ("label_below", [0, -2, 1])):
            cases.append(dr_case(f"invalid_{label}", dtype, "mean", dict(good, targets=np.array(targets)), {},
                                 status=LABEL_OUT_OF_RANGE))
        for label, scalars in (("pos_lambda_zero", {"pos_lambda": 0.0}), ("neg_lambda_negative", {"neg_lambda": -0.1}),
                               ("neg_lambda_nan", {"neg_lambda": math.nan}), ("L_zero", {"L": 0.0}),
                               ("L_inf", {"L": math.inf}), ("tau_nan", {"tau": math.nan}),
                               ("margin_inf", {"margin": math.inf})):
            cases.append(dr_case(f"invalid_{label}", dtype, "mean", good, scalars,
                                 status=INVALID_ARGUMENT))
        cases.append(dr_case("defaults", dtype, "mean", {"logits": r.normal(size=(6, 4)) * 2, "targets": labels(6, 4)},
                             {}, defaults=True))
    return cases


def detection():
    return dict({loss: box_cases(loss) for loss in BOX_LOSSES}, iou_loss=iou_cases(), sigmoid_dr_loss=dr_cases())



# ---- Image quality ---------------------------------------------------------------------------
#
# Reference: pytorch_msssim 1.0's formula (its _fspecial_gauss_1d, gaussian_filter and _ssim),
# copied here into float64 torch with autograd for the gradients. pytorch_msssim builds its
# Gaussian window in float32 for every input, so its own float64 result carries a float32 window:
# the float64 cases use the same formula with a float64 window, the float32 cases the float32
# window pytorch_msssim builds (widened to float64), the float32 images widened to float64, the
# result rounded once to float32. Every case is checked against pytorch_msssim itself (its float32
# run for f32, its float64 run for f64: 2.5e-7 at worst in float64, from its float32 window).

# atol: identical images have a zero gradient up to rounding (1e-18 in float64).
IMAGE_TOLERANCE = {"f32": (2e-6, 1e-9, 16 * 2.0**-23), "f64": (1e-11, 1e-14, 1e-13)}


def gauss_window(size, sigma, dtype):
    """pytorch_msssim's _fspecial_gauss_1d in `dtype` (it always uses torch.float)."""
    coords = torch.arange(size, dtype=dtype)
    coords -= size // 2
    g = torch.exp(-(coords ** 2) / (2 * sigma ** 2))
    g /= g.sum()
    return g


def image_window(dtype, win_size, win_sigma):
    """The window of a case in float64: pytorch_msssim's own float32 one for f32 cases."""
    if dtype == "f32":
        import importlib
        return importlib.import_module("pytorch_msssim.ssim")._fspecial_gauss_1d(win_size, win_sigma).reshape(-1).to(torch.float64)
    return gauss_window(win_size, win_sigma, torch.float64)


def gaussian_filter64(x, win):
    """pytorch_msssim's gaussian_filter: valid grouped convolutions over H, then W."""
    c = x.shape[1]
    out = F.conv2d(x, win.view(1, 1, -1, 1).repeat(c, 1, 1, 1), groups=c)
    return F.conv2d(out, win.view(1, 1, 1, -1).repeat(c, 1, 1, 1), groups=c)


def ssim64(x, y, data_range, win, k1, k2):
    """pytorch_msssim's _ssim in float64: ssim_per_channel and cs, each (N, C)."""
    c1, c2 = (k1 * data_range) ** 2, (k2 * data_range) ** 2
    mu1, mu2 = gaussian_filter64(x, win), gaussian_filter64(y, win)
    mu1_sq, mu2_sq, mu1_mu2 = mu1.pow(2), mu2.pow(2), mu1 * mu2
    sigma1_sq = gaussian_filter64(x * x, win) - mu1_sq
    sigma2_sq = gaussian_filter64(y * y, win) - mu2_sq
    sigma12 = gaussian_filter64(x * y, win) - mu1_mu2
    cs_map = (2 * sigma12 + c2) / (sigma1_sq + sigma2_sq + c2)
    ssim_map = ((2 * mu1_mu2 + c1) / (mu1_sq + mu2_sq + c1)) * cs_map
    return torch.flatten(ssim_map, 2).mean(-1), torch.flatten(cs_map, 2).mean(-1)


SSIM_DEFAULTS = {"data_range": 1.0, "win_size": 11, "win_sigma": 1.5, "k1": 0.01, "k2": 0.03}


def quality_case(loss, label, dtype, reduction, arrays, scalars, go, status, defaults, per_image):
    """An image-quality case: `per_image(x, y, parameters)` (float64 torch, (N,) values of the loss)
    reduced with torch's mean or sum, autograd for the gradients w.r.t. x and y."""
    cast = NP_DTYPE[dtype]
    c = row_loss_case(loss, label, dtype, reduction, arrays, scalars, go, status, defaults, IMAGE_TOLERANCE[dtype])
    if "weights" in arrays:  # MS-SSIM's weights: double in every dtype
        c.arrays["weights"] = np.asarray(arrays["weights"], dtype=np.float64)
    if status:
        return c
    full = dict(SSIM_DEFAULTS, **scalars)
    x, y = (t64(c.arrays[k]).requires_grad_(True) for k in ("x", "y"))
    win = image_window(dtype, int(full["win_size"]), full["win_sigma"])
    per = per_image(x, y, full, win)
    value = per if reduction == "none" else per.mean() if reduction == "mean" else per.sum()
    upstream = torch.ones_like(value) if go is None else t64(c.arrays["grad_output"]).reshape(value.shape)
    grads = torch.autograd.grad(value, (x, y), upstream, allow_unused=True) if value.requires_grad else (None, None)
    c.expect = {"out": np.asarray(value.detach().numpy(), dtype=cast)}
    for name, t, grad in zip(("grad_x", "grad_y"), (x, y), grads):
        c.expect[name] = np.asarray((torch.zeros_like(t) if grad is None else grad).numpy(), dtype=cast)
    check_pytorch_msssim(loss, dtype, c.arrays, full, per.detach(), win)
    return c


WINDOW_GAPS = []


def check_pytorch_msssim(loss, dtype, arrays, p, per, win):
    """The case's per-image values against pytorch_msssim itself: given the case's own window
    (float64 arithmetic; win=), to 1e-12; and as it runs by default (its float32 window), in float64
    to 5e-5, in float32 (float32 arithmetic, which cancels in sigma^2 = G(x^2) - mu^2) to 1e-3. The float64
    gap is the float32 window's rounding: 1e-7 and below on most cases, up to 1e-5 where sigma^2
    is near 0 (constant images: G(x^2) - mu^2 is x^2 (S - S^2) with S the window's sum, 1 +- 1e-7 in
    float32). main() prints the largest gap of each family of cases."""
    import pytorch_msssim
    x64, y64 = (torch.tensor(arrays[k], dtype=torch.float64) for k in ("x", "y"))
    if x64.shape[0] == 0 or not torch.isfinite(x64).all() or not torch.isfinite(y64).all():
        return
    kw = dict(data_range=p["data_range"], size_average=False, K=(p["k1"], p["k2"]))
    fn = pytorch_msssim.ssim if loss == "ssim_loss" else pytorch_msssim.ms_ssim
    if loss != "ssim_loss" and "weights" in arrays:
        kw["weights"] = list(arrays["weights"])
    given = 1 - fn(x64, y64, win=win.view(1, 1, 1, -1).repeat(x64.shape[1], 1, 1, 1), **kw)
    assert torch.allclose(given, per, rtol=0, atol=1e-12), (loss, dtype, given, per)
    torch_dtype = torch.float32 if dtype == "f32" else torch.float64
    default = 1 - fn(x64.to(torch_dtype), y64.to(torch_dtype), win_size=int(p["win_size"]), win_sigma=p["win_sigma"],
                     **kw).to(torch.float64)
    gap = float((default - per).abs().max())
    WINDOW_GAPS.append((dtype, gap))
    assert gap <= (1e-3 if dtype == "f32" else 5e-5), (loss, dtype, gap)


def ssim_per_image(x, y, p, win):
    ssim_per_channel, _ = ssim64(x, y, p["data_range"], win, p["k1"], p["k2"])
    return 1 - ssim_per_channel.mean(1)


def ssim_cases():
    """Random images near each other and unrelated, odd sizes, a window of 7 at data_range 255
    with other K, the smallest images (one window position), win_size 1, identical images (the
    loss 0 and a zero gradient), constant images, a NaN pixel, an empty batch; invalid
    win_size (even, 0, negative), images smaller than the window, data_range, win_sigma, K1, K2
    not finite or <= 0; the defaults case."""
    r = rng11
    upstream = lambda reduction, n: (r.normal(size=n) if reduction == "none"
                                     else np.array([-1.5]) if reduction == "sum" else None)
    uniform = lambda *shape: r.uniform(0, 1, size=shape)

    def near(*shape, noise=0.1):
        x = uniform(*shape)
        return {"x": x, "y": np.clip(x + noise * r.normal(size=shape), 0, 1)}

    def with_nan(t):
        t["x"][1, 0, 3, 4] = np.nan
        return t

    cases = []
    for dtype in ("f32", "f64"):
        for reduction in ("none", "mean", "sum"):
            for label, make, scalars in (
                    ("near", lambda: near(2, 2, 12, 13), {}),
                    ("unrelated", lambda: {"x": uniform(2, 1, 11, 13), "y": uniform(2, 1, 11, 13)}, {}),
                    ("window7_range255", lambda: {k: 255 * v for k, v in near(2, 1, 9, 8, noise=0.2).items()},
                     {"data_range": 255.0, "win_size": 7, "win_sigma": 1.0, "k1": 0.02, "k2": 0.05}),
                    ("one_position", lambda: near(1, 2, 11, 11), {}),
                    ("win_size1", lambda: near(2, 1, 3, 4), {"win_size": 1, "win_sigma": 0.5}),
                    ("identical", lambda: (lambda x: {"x": x, "y": x.copy()})(uniform(1, 2, 11, 12)), {}),
                    ("constant", lambda: {"x": np.full((2, 1, 11, 11), 0.25), "y": np.full((2, 1, 11, 11), 0.75)}, {}),
                    ("nan_pixel", lambda: with_nan(near(2, 1, 12, 11)), {}),
                    ("empty_batch", lambda: {"x": np.zeros((0, 2, 12, 12)), "y": np.zeros((0, 2, 12, 12))}, {})):
                arrays = make()
                full = dict(SSIM_DEFAULTS, **scalars)
                cases.append(quality_case("ssim_loss", f"{label}_{reduction}", dtype, reduction, arrays, full,
                                        upstream(reduction, arrays["x"].shape[:1]), 0, False, ssim_per_image))
        good = {"x": np.zeros((1, 1, 11, 11)), "y": np.ones((1, 1, 11, 11))}
        small = {"x": np.zeros((1, 1, 10, 12)), "y": np.ones((1, 1, 10, 12))}
        for label, arrays, scalars, status in (
                ("win_size_even", good, {"win_size": 10}, INVALID_ARGUMENT),
                ("win_size_zero", good, {"win_size": 0}, INVALID_ARGUMENT),
                ("win_size_negative", good, {"win_size": -3}, INVALID_ARGUMENT),
                ("smaller_than_window", small, {}, INVALID_SIZE),
                ("data_range_zero", good, {"data_range": 0.0}, INVALID_ARGUMENT),
                ("data_range_negative", good, {"data_range": -1.0}, INVALID_ARGUMENT),
                ("data_range_nan", good, {"data_range": math.nan}, INVALID_ARGUMENT),
                ("data_range_inf", good, {"data_range": math.inf}, INVALID_ARGUMENT),
                ("win_sigma_zero", good, {"win_sigma": 0.0}, INVALID_ARGUMENT),
                ("win_sigma_nan", good, {"win_sigma": math.nan}, INVALID_ARGUMENT),
                ("k1_zero", good, {"k1": 0.0}, INVALID_ARGUMENT),
                ("k1_inf", good, {"k1": math.inf}, INVALID_ARGUMENT),
                ("k2_negative", good, {"k2": -0.03}, INVALID_ARGUMENT),
                ("k2_nan", good, {"k2": math.nan}, INVALID_ARGUMENT)):
            cases.append(quality_case("ssim_loss", f"invalid_{label}", dtype, "mean", arrays,
                                    dict(SSIM_DEFAULTS, **scalars), None, status, False, ssim_per_image))
        cases.append(quality_case("ssim_loss", "defaults", dtype, "mean", near(1, 2, 12, 13), {}, None, 0, True,
                                ssim_per_image))
    return cases


def ms_ssim_per_image(x, y, p, win):
    """pytorch_msssim's ms_ssim in float64 (its loop over the levels, avg_pool2d with padding
    s % 2, relu of cs and of the last SSIM, the product of powers), one value per image."""
    weights = torch.tensor(p.get("weights", MS_SSIM_WEIGHTS), dtype=torch.float64)
    mcs = []
    for i in range(len(weights)):
        ssim_per_channel, cs = ssim64(x, y, p["data_range"], win, p["k1"], p["k2"])
        if i < len(weights) - 1:
            mcs.append(torch.relu(cs))
            padding = [s % 2 for s in x.shape[2:]]
            x, y = F.avg_pool2d(x, kernel_size=2, padding=padding), F.avg_pool2d(y, kernel_size=2, padding=padding)
    stacked = torch.stack(mcs + [torch.relu(ssim_per_channel)], dim=0)
    return 1 - torch.prod(stacked ** weights.view(-1, 1, 1), dim=0).mean(1)


MS_SSIM_WEIGHTS = [0.0448, 0.2856, 0.3001, 0.2363, 0.1333]


def ms_ssim_cases():
    """At win_size 3 (the shorter side above 32) and 1 (small images): images near each other and
    unrelated with odd and even sides (every padding of the pooling), three given weights, data_range 255, a cs below 0 at a
    level (relu: zero gradients there), identical images, a NaN pixel, an empty batch; invalid
    weights (none, NaN), a side not above (win_size - 1)·16, a sixth level below the window, and the
    parameters as ssim_loss; the defaults case at 161 x 161 (win_size 11)."""
    r = rng11
    upstream = lambda reduction, n: (r.normal(size=n) if reduction == "none"
                                     else np.array([-1.5]) if reduction == "sum" else None)
    uniform = lambda *shape: r.uniform(0, 1, size=shape)

    def near(*shape, noise=0.1):
        x = uniform(*shape)
        return {"x": x, "y": np.clip(x + noise * r.normal(size=shape), 0, 1)}

    def anti(*shape):
        x = uniform(*shape)
        return {"x": x, "y": 1 - x}

    def with_nan(t):
        t["x"][0, 1, 5, 7] = np.nan
        return t

    # Mostly win_size 1 (the pyramid on small images: sides above 0); two cases at win_size 3 (sides
    # above 32), the defaults at 11 (161 x 161): the filter itself is ssim_loss's, proven there.
    small = {"win_size": 3, "win_sigma": 1.0}
    pixels = {"win_size": 1, "win_sigma": 1.0}
    cases = []
    for dtype in ("f32", "f64"):
        for reduction in ("none", "mean", "sum"):
            for label, make, scalars, weights in (
                    ("window3", lambda: near(1, 1, 34, 33), small, None),
                    ("window3_three_levels", lambda: near(1, 1, 33, 36, noise=0.2), small, [0.2, 0.3, 0.5]),
                    ("near", lambda: near(2, 2, 9, 12), pixels, None),
                    ("unrelated", lambda: {"x": uniform(2, 1, 10, 11), "y": uniform(2, 1, 10, 11)}, pixels, None),
                    ("range255", lambda: {k: 255 * v for k, v in near(2, 1, 11, 9).items()},
                     dict(pixels, data_range=255.0, k1=0.02, k2=0.05), None),
                    ("negative_cs", lambda: anti(2, 1, 9, 10), pixels, None),
                    ("identical", lambda: (lambda x: {"x": x, "y": x.copy()})(uniform(1, 2, 9, 9)), pixels, None),
                    ("nan_pixel", lambda: with_nan(near(2, 2, 9, 9)), pixels, None),
                    ("empty_batch", lambda: {"x": np.zeros((0, 1, 40, 40)), "y": np.zeros((0, 1, 40, 40))}, small,
                     None)):
                if label.startswith("window3") and reduction != "mean":
                    continue  # 1122 pixels a case: the reductions are proven on the small images
                arrays = make()
                if weights is not None:
                    arrays["weights"] = np.array(weights)
                full = dict(SSIM_DEFAULTS, **scalars)
                c = quality_case("ms_ssim_loss", f"{label}_{reduction}", dtype, reduction, arrays,
                               full, upstream(reduction, arrays["x"].shape[:1]), 0, False,
                               lambda x, y, p, win, w=weights: ms_ssim_per_image(
                                   x, y, dict(p, **({"weights": w} if w is not None else {})), win))
                cases.append(c)
        good = {"x": np.zeros((1, 1, 33, 33)), "y": np.ones((1, 1, 33, 33))}
        for label, arrays, scalars, status in (
                ("no_weights", dict(good, weights=np.zeros(0)), small, INVALID_ARGUMENT),
                ("weight_nan", dict(good, weights=np.array([0.5, math.nan])), small, INVALID_ARGUMENT),
                ("side_not_above_32", {"x": np.zeros((1, 1, 32, 40)), "y": np.ones((1, 1, 32, 40))}, small,
                 INVALID_SIZE),
                ("side_not_above_160", {"x": np.zeros((1, 1, 160, 170)), "y": np.ones((1, 1, 160, 170))}, {},
                 INVALID_SIZE),
                ("sixth_level_below_window", dict(good, weights=np.full(6, 1 / 6)), small, INVALID_SIZE),
                ("win_size_even", good, dict(small, win_size=4), INVALID_ARGUMENT),
                ("data_range_zero", good, dict(small, data_range=0.0), INVALID_ARGUMENT),
                ("win_sigma_nan", good, dict(small, win_sigma=math.nan), INVALID_ARGUMENT),
                ("k1_zero", good, dict(small, k1=0.0), INVALID_ARGUMENT),
                ("k2_inf", good, dict(small, k2=math.inf), INVALID_ARGUMENT)):
            cases.append(quality_case("ms_ssim_loss", f"invalid_{label}", dtype, "mean", arrays,
                                    dict(SSIM_DEFAULTS, **scalars), None, status, False, ms_ssim_per_image))
        cases.append(quality_case("ms_ssim_loss", "defaults", dtype, "mean", near(1, 1, 161, 161), {}, None, 0, True,
                                ms_ssim_per_image))
    return cases


def image_quality():
    files = {"ssim_loss": ssim_cases(), "ms_ssim_loss": ms_ssim_cases()}
    for dtype in ("f32", "f64"):
        gaps = sorted(gap for d, gap in WINDOW_GAPS if d == dtype)
        print(f"image quality, {dtype}: pytorch_msssim (its float32 window) within {gaps[-1]:.2e} "
              f"(median {gaps[len(gaps) // 2]:.2e})")
    return files


# ---- Reinforcement learning ------------------------------------------------------------------
#
# Reference: rlax (DeepMind), transcribed into float64: its td_learning error
#   delta = r_t + discount_t * v_t - v_tm1, discount_t = gamma * (1 - done),
# and the losses applied to it, rlax/optax l2_loss (0.5 delta^2) and optax.huber_loss at delta 1
# (0.5 q^2 + (|x| - q), q = min(|x|, 1): its branch-free form). The bootstrap target goes through
# .detach(), as rlax's stop_gradient, and torch float64 autograd gives the gradient w.r.t. values.

TD_LOSSES = ("mse", "huber")


def td_loss_reference(rewards, values, next_values, dones, gamma=0.99, loss="mse", reduction="mean"):
    """td_loss in float64 torch: values is a tensor that may require grad."""
    target = (t64(rewards) + gamma * (1 - t64(dones)) * t64(next_values)).detach()
    delta = target - values
    if loss == "mse":
        per = 0.5 * delta ** 2
    else:
        a = torch.abs(delta)
        q = torch.minimum(a, torch.ones_like(a))
        per = 0.5 * q ** 2 + (a - q)
    return per if reduction == "none" else per.mean() if reduction == "mean" else per.sum()


def td_case(label, dtype, reduction, arrays, scalars, go=None, status=0, defaults=False):
    """A td_loss case: td_loss_reference with autograd for the gradient w.r.t. values."""
    cast = NP_DTYPE[dtype]
    c = row_loss_case("td_loss", label, dtype, reduction, arrays, scalars, go, status, defaults, TOLERANCE[dtype] + (0.0,))
    if status:
        return c
    a = c.arrays
    v = t64(a["values"]).requires_grad_(True)
    if defaults:
        value = td_loss_reference(a["rewards"], v, a["next_values"], a["dones"])
    else:
        value = td_loss_reference(a["rewards"], v, a["next_values"], a["dones"], scalars["gamma"],
                                  TD_LOSSES[int(scalars["loss"])], reduction)
    up = torch.ones_like(value) if go is None else t64(a["grad_output"]).reshape(value.shape)
    grad = torch.autograd.grad(value, (v,), up, allow_unused=True)[0] if value.requires_grad else None
    c.expect = {"out": np.asarray(value.detach().numpy(), dtype=cast),
                "grad_values": np.asarray((torch.zeros_like(v) if grad is None else grad).numpy(), dtype=cast)}
    return c


def td_loss_cases():
    """Random transitions for both losses (a (3, 5) batch among them), every reduction and dtype;
    TD errors at and beside Huber's threshold; every step terminal; gamma 0 and 1; fractional dones;
    values near 1e6 (the float32 TD error cancels: computed in double); T = 0; a NaN reward and an
    infinite next value at a terminal step (both NaN, as the formula); T = 2000 (several blocks);
    the bad parameters (gamma outside [0, 1] or NaN, loss 2 and -1); the defaults."""
    r = rng_rl
    upstream = lambda reduction, shape: (r.normal(size=shape) if reduction == "none"
                                         else np.array([-1.5]) if reduction == "sum" else None)

    def transitions(shape, scale=1.0, terminal=0.2):
        return {"rewards": r.normal(size=shape), "values": r.normal(size=shape) * 2 * scale,
                "next_values": r.normal(size=shape) * 2 * scale,
                "dones": (r.uniform(size=shape) < terminal).astype(float)}

    def threshold(dtype):
        # values = rewards - delta with next_values 0: delta exactly as written.
        delta = np.array([1.0, -1.0, np.nextafter(1.0, 0, dtype=NP_DTYPE[dtype]),
                          -np.nextafter(1.0, 2, dtype=NP_DTYPE[dtype]), 0.0, 3.0])
        return {"rewards": np.zeros(6), "values": -delta, "next_values": np.zeros(6), "dones": np.zeros(6)}

    cases = []
    for dtype in ("f32", "f64"):
        for reduction in ("none", "mean", "sum"):
            for loss_index, loss in enumerate(TD_LOSSES):
                for label, make, gamma in (
                        ("random", lambda: transitions(11), 0.99),
                        ("batch", lambda: transitions((3, 5)), 0.9),
                        ("threshold", lambda: threshold(dtype), 0.5),
                        ("all_done", lambda: transitions(6, terminal=2.0), 0.99),
                        ("gamma_0", lambda: transitions(6), 0.0),
                        ("gamma_1", lambda: transitions(6), 1.0),
                        ("fractional_dones", lambda: dict(transitions(5), dones=np.array([0, 0.25, 0.5, 1, 2.0])),
                         0.99),
                        ("large", lambda: transitions(6, scale=1e6), 0.99),
                        ("empty", lambda: transitions(0), 0.99)):
                    arrays = make()
                    cases.append(td_case(f"{loss}_{label}_{reduction}", dtype, reduction, arrays,
                                         {"gamma": gamma, "loss": loss_index},
                                         upstream(reduction, arrays["values"].shape)))
                nan = dict(transitions(4), rewards=np.array([0.5, math.nan, 1.0, -1.0]),
                           next_values=np.array([1.0, 1.0, math.inf, 2.0]), dones=np.array([0, 0, 1, 0.0]))
                cases.append(td_case(f"{loss}_nan_{reduction}", dtype, reduction, nan,
                                     {"gamma": 0.99, "loss": loss_index}, upstream(reduction, 4)))
        cases.append(td_case("mse_blocks_mean", dtype, "mean", transitions(2000), {"gamma": 0.99, "loss": 0}))
        good = transitions(3)
        for label, scalars in (("gamma_negative", {"gamma": -0.1, "loss": 0}), ("gamma_above_1", {"gamma": 1.5, "loss": 0}),
                               ("gamma_nan", {"gamma": math.nan, "loss": 1}), ("loss_2", {"gamma": 0.99, "loss": 2}),
                               ("loss_negative", {"gamma": 0.99, "loss": -1})):
            cases.append(td_case(f"invalid_{label}", dtype, "mean", good, scalars, status=INVALID_ARGUMENT))
        cases.append(td_case("defaults", dtype, "mean", transitions(7), {}, defaults=True))
    return cases


# The targets (metrics): rlax's functions of one trajectory, transcribed into float64 NumPy in
# rlax's order of operations, applied row by row (rlax's batches are jax.vmap of the same).

def rlax_td_learning(v_tm1, r_t, discount_t, v_t):
    """rlax.td_learning: the TD error (its stop_gradient is moot here: no gradient)."""
    return r_t + discount_t * v_t - v_tm1


def rlax_lambda_returns(r_t, discount_t, v_t, lambda_=1.0):
    """rlax.lambda_returns: backwards from v_t[-1], G = r + discount ((1 - lambda) v + lambda G)."""
    lambda_ = np.ones_like(discount_t) * lambda_
    returns, g = np.empty_like(r_t), v_t[-1] if len(v_t) else 0.0
    for i in reversed(range(len(r_t))):
        g = r_t[i] + discount_t[i] * ((1 - lambda_[i]) * v_t[i] + lambda_[i] * g)
        returns[i] = g
    return returns


def rlax_truncated_gae(r_t, discount_t, lambda_, values):
    """rlax.truncated_generalized_advantage_estimation: delta = r + discount V' - V, advantages
    A_t = delta_t + lambda discount A_{t+1} from 0 past the end."""
    lambda_ = np.ones_like(discount_t) * lambda_
    delta_t = r_t + discount_t * values[1:] - values[:-1]
    advantages, a = np.empty_like(r_t), 0.0
    for t in reversed(range(len(r_t))):
        a = delta_t[t] + lambda_[t] * discount_t[t] * a
        advantages[t] = a
    return advantages


def td_error_reference(a, s):
    gamma = s.get("gamma", 0.99)
    return rlax_td_learning(a["values"], a["rewards"], gamma * (1 - a["dones"]), a["next_values"])


def lambda_returns_reference(a, s):
    return np.array([rlax_lambda_returns(r, d, v, s.get("lambda_", 0.95))
                     for r, d, v in zip(a["rewards"], a["discounts"], a["next_values"])]).reshape(a["rewards"].shape)


def gae_reference(a, s):
    return np.array([rlax_truncated_gae(r, d, s.get("lambda_", 0.95), v)
                     for r, d, v in zip(a["rewards"], a["discounts"], a["values"])]).reshape(a["rewards"].shape)


# Rounded once from the same double scan (f32); in double, the same operations in the same order.
TARGET_TOLERANCE = {"f32": (2.0**-23, 1e-37, 2.0**-24), "f64": (4 * 2.0**-52, 1e-300, 4 * 2.0**-52)}


def target_cases():
    """td_error, td_lambda_returns and gae on (n, T) trajectories (one trajectory is (1, T)):
    random, a batch, every step terminal (discount 0), gamma 0 and 1 (td_error), lambda 0 (one-step)
    and 1 (bootstrapped Monte Carlo), discounts outside [0, 1] (entered as written), a long
    trajectory, values near 1e6, a NaN reward in one row of two (NaN at and before it in that row
    only), an infinite next value at a terminal step (td_error: NaN), T = 0 and n = 0 (empty, valid);
    refused: gamma or lambda_ outside [0, 1] or NaN; the defaults. Each lambda-return case is also
    checked against the identity gae + V[:-1] = lambda_returns(V[1:]) and, at lambda 1, against the
    direct discounted sum."""
    r = rng_rl
    plans = {"td_error": [], "td_lambda_returns": [], "gae": []}

    def episode(n, t, scale=1.0, terminal=0.15):
        done = (r.uniform(size=(n, t)) < terminal).astype(float)
        return {"rewards": r.normal(size=(n, t)), "dones": done, "discounts": 0.99 * (1 - done),
                "values": r.normal(size=(n, t + 1)) * 2 * scale}

    for label, shape, kw in (("random", (1, 9), {}), ("batch", (3, 5), {}), ("long", (2, 300), {}),
                             ("large", (1, 6), {"scale": 1e6}), ("all_done", (2, 4), {"terminal": 2.0}),
                             ("empty", (1, 0), {}), ("no_trajectories", (0, 4), {})):
        e = episode(*shape, **kw)
        v = e["values"]
        plans["td_error"].append((label, {"rewards": e["rewards"], "values": v[:, :-1], "next_values": v[:, 1:],
                                          "dones": e["dones"]}, {"gamma": 0.99}))
        for lam in (0.95, 0.0, 1.0):
            suffix = "" if lam == 0.95 else f"_lambda_{int(lam)}"
            plans["td_lambda_returns"].append((label + suffix, {"rewards": e["rewards"], "discounts": e["discounts"],
                                                                "next_values": v[:, 1:]}, {"lambda_": lam}))
            plans["gae"].append((label + suffix, {"rewards": e["rewards"], "discounts": e["discounts"], "values": v},
                                 {"lambda_": lam}))
    e = episode(2, 6)
    nan_rewards = e["rewards"].copy()
    nan_rewards[1, 3] = math.nan
    odd = np.array([[0.99, 1.5, -0.5, 0.0, 1.0, 2.0]])
    for label, gamma in (("gamma_0", 0.0), ("gamma_1", 1.0)):
        plans["td_error"].append((label, {"rewards": e["rewards"], "values": e["values"][:, :-1],
                                          "next_values": e["values"][:, 1:], "dones": e["dones"]}, {"gamma": gamma}))
    plans["td_error"].append(("fractional_dones", {"rewards": e["rewards"][:1, :5], "values": e["values"][:1, :5],
                                                   "next_values": e["values"][:1, 1:6],
                                                   "dones": np.array([[0, 0.25, 0.5, 1, 2.0]])}, {"gamma": 0.9}))
    plans["td_error"].append(("nan", {"rewards": nan_rewards, "values": e["values"][:, :-1],
                                      "next_values": np.where(np.arange(6) == 2, math.inf, e["values"][:, 1:]),
                                      "dones": np.where(np.arange(6) == 2, 1.0, e["dones"])}, {"gamma": 0.99}))
    for loss, key, values in (("td_lambda_returns", "next_values", e["values"][:, 1:]), ("gae", "values", e["values"])):
        plans[loss].append(("nan_reward", {"rewards": nan_rewards, "discounts": e["discounts"], key: values},
                            {"lambda_": 0.9}))
        plans[loss].append(("discounts_outside", {"rewards": e["rewards"][:1], "discounts": odd,
                                                  key: values[:1]}, {"lambda_": 0.7}))
    refused = {"td_error": [("gamma_negative", {"gamma": -0.1}), ("gamma_above_1", {"gamma": 1.5}),
                            ("gamma_nan", {"gamma": math.nan})],
               "td_lambda_returns": [("lambda_negative", {"lambda_": -0.1}), ("lambda_above_1", {"lambda_": 1.5}),
                                     ("lambda_nan", {"lambda_": math.nan})]}
    refused["gae"] = refused["td_lambda_returns"]
    references = {"td_error": td_error_reference, "td_lambda_returns": lambda_returns_reference, "gae": gae_reference}
    files = {}
    for loss, plan in plans.items():
        cases = []
        for dtype in ("f32", "f64"):
            cast = NP_DTYPE[dtype]
            for label, arrays, scalars in plan:
                cases.append(metric_case(loss, label, dtype, arrays, references[loss], scalars,
                                         tolerance=TARGET_TOLERANCE[dtype]))
            good = plan[1][1]
            for label, scalars in refused[loss]:
                cases.append(metric_case(loss, f"invalid_{label}", dtype, good, None, scalars,
                                         status=INVALID_ARGUMENT))
            e = episode(2, 7)
            defaults = {"td_error": {"rewards": e["rewards"], "values": e["values"][:, :-1],
                                     "next_values": e["values"][:, 1:], "dones": e["dones"]},
                        "td_lambda_returns": {"rewards": e["rewards"], "discounts": e["discounts"],
                                              "next_values": e["values"][:, 1:]},
                        "gae": {"rewards": e["rewards"], "discounts": e["discounts"], "values": e["values"]}}[loss]
            cases.append(metric_case(loss, "defaults", dtype, defaults, references[loss], defaults=True,
                                     tolerance=TARGET_TOLERANCE[dtype]))
            del cast
        files[loss] = cases
    # The identities, on the f64 cases' exact inputs: gae + V[:-1] is the lambda-return of V[1:],
    # and at lambda 1 the return is the discounted sum bootstrapped on the last value.
    for c in files["gae"]:
        if c.status or c.dtype != "f64" or not c.arrays["rewards"].size:
            continue
        a, lam = c.arrays, c.scalars.get("lambda_", 0.95)
        returns = lambda_returns_reference({"rewards": a["rewards"], "discounts": a["discounts"],
                                            "next_values": a["values"][:, 1:]}, {"lambda_": lam})
        np.testing.assert_allclose(c.expect["out"] + a["values"][:, :-1], returns, rtol=1e-9, atol=1e-6 * (
            1 + np.nanmax(np.abs(a["values"]))), equal_nan=True)
        if lam == 1.0:
            for row in range(a["rewards"].shape[0]):
                rr, dd, vv = a["rewards"][row], a["discounts"][row], a["values"][row]
                direct = [sum(rr[k] * np.prod(dd[t:k]) for k in range(t, len(rr))) + np.prod(dd[t:]) * vv[-1]
                          for t in range(len(rr))]
                np.testing.assert_allclose(np.array(direct) - vv[:-1], c.expect["out"][row], rtol=1e-9,
                                           atol=1e-6 * (1 + np.abs(vv).max()), equal_nan=True)
    return files


def reinforcement():
    return {"td_loss": td_loss_cases(), **target_cases()}


# ---- Distributions: divergences and the WGAN losses -------------------------------------------

def div_reduce(values, grads, reduction, go, rows_of):
    """Reduces per-row values (n,) and per-element gradients (n, ..., d) of a row-wise loss as
    liblosses does: 'none' weights each row's gradient by grad_output, 'mean' divides by n."""
    n = values.shape[0]
    if reduction == "none":
        g = np.ones(n) if go is None else np.asarray(go, dtype=np.float64).reshape(n)
        return values, [gr * g.reshape((n,) + (1,) * (gr.ndim - 1)) for gr in grads]
    scale = 1.0 if go is None else float(np.asarray(go).reshape(()))
    if reduction == "mean":
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.array(values.sum() / n if n else np.nan), [gr * scale / n if n else gr for gr in grads]
    return np.array(values.sum()), [gr * scale for gr in grads]


def rel_entr_parts(p, q):
    """scipy.special.rel_entr(p, q) and its partial derivatives in float64 numpy: d/dp log(p/q) + 1
    and d/dq -p/q where p, q > 0; 0 and 0 where p = 0 <= q (liblosses' convention at p = 0);
    +inf, -inf where p > 0 = q; NaN for a negative entry."""
    from scipy.special import rel_entr
    value = rel_entr(p, q)
    with np.errstate(divide="ignore", invalid="ignore"):
        inner = (p > 0) & (q > 0)
        dp = np.where(inner, np.log(np.where(inner, p, 1)) - np.log(np.where(inner, q, 1)) + 1, 0.0)
        dq = np.where(inner, -p / np.where(inner, q, 1), 0.0)
        edge = (p > 0) & (q == 0)
        dp, dq = np.where(edge, np.inf, dp), np.where(edge, -np.inf, dq)
        bad = (p < 0) | (q < 0) | np.isnan(p) | np.isnan(q)
        dp, dq = np.where(bad, np.nan, dp), np.where(bad, np.nan, dq)
    return value, dp, dq


def js_parts(p, q):
    """The Jensen-Shannon term 1/2 rel_entr(p, m) + 1/2 rel_entr(q, m) and its partials: 1/2 log(p/m)
    where p > 0, -1/2 where p = 0 < q (the formula differentiated with 0 log 0 held at 0), 0 where
    p = q = 0; NaN for a negative entry."""
    from scipy.special import rel_entr
    m = 0.5 * p + 0.5 * q
    value = 0.5 * rel_entr(p, m) + 0.5 * rel_entr(q, m)
    with np.errstate(divide="ignore", invalid="ignore"):
        def part(a, b):
            return np.where(a > 0, 0.5 * (np.log(np.where(a > 0, a, 1)) - np.log(np.where(m > 0, m, 1))),
                            np.where(b > 0, -0.5, 0.0))
        dp, dq = part(p, q), part(q, p)
        bad = (p < 0) | (q < 0) | np.isnan(p) | np.isnan(q)
        value = np.where(np.isnan(p) | np.isnan(q), np.nan, value)
    return value, np.where(bad, np.nan, dp), np.where(bad, np.nan, dq)


def central_difference_check(parts, p, q):
    """The gradient formulas against central differences of the value at entries inside the
    domain (p, q > 0, away from 0), in float64."""
    _, dp, dq = parts(p, q)
    for k in np.ndindex(p.shape):
        if not (p[k] > 1e-3 and q[k] > 1e-3):
            continue
        h = 1e-6 * max(p[k], q[k])
        for which, grad in ((0, dp), (1, dq)):
            a, b = p.copy(), q.copy()
            arr = (a, b)[which]
            arr[k] += h
            up = parts(a, b)[0][k]
            arr[k] -= 2 * h
            down = parts(a, b)[0][k]
            numeric = (up - down) / (2 * h)
            assert abs(numeric - grad[k]) <= 1e-6 * (1 + abs(grad[k])), (parts.__name__, k, numeric, grad[k])


def divergence_reference(loss, a, reduction, go):
    """kl_divergence: scipy.special.rel_entr summed along the last axis (= scipy.stats.entropy when the
    rows sum to 1, checked); js_divergence: 1/2 KL(p||m) + 1/2 KL(q||m) (= jensenshannon(p, q)**2 on
    normalised rows, checked). Gradients from the float64 formulas, checked by central differences."""
    import scipy.spatial.distance
    import scipy.stats
    p, q = a["pk"], a["qk"]
    parts = js_parts if loss == "js_divergence" else rel_entr_parts
    central_difference_check(parts, p, q)
    terms, dp, dq = parts(p, q)
    values = terms.sum(-1).reshape(-1) if p.ndim > 1 else np.array([terms.sum()])
    # scipy normalises the rows: on the normalised rows the formula must give scipy's values.
    if p.size and p.shape[-1] and np.isfinite(p).all() and (p >= 0).all() and (q >= 0).all():
        pn, qn = p / p.sum(-1, keepdims=True), q / q.sum(-1, keepdims=True)
        anchor = (scipy.stats.entropy(p, q, axis=-1) if loss == "kl_divergence"
                  else scipy.spatial.distance.jensenshannon(p, q, axis=-1) ** 2)
        mine = parts(pn, qn)[0].sum(-1)
        assert np.allclose(np.reshape(anchor, -1), np.reshape(mine, -1), rtol=1e-9, atol=1e-15), (loss, anchor, mine)
    rows = values.shape[0]
    width = p.shape[-1]
    out, (gp, gq) = div_reduce(values, [dp.reshape(rows, width), dq.reshape(rows, width)], reduction, go, None)
    if reduction == "none":
        out = out.reshape(p.shape[:-1])
    return out, gp.reshape(p.shape), gq.reshape(q.shape)


def divergence_case(loss, label, dtype, reduction, arrays, go=None, defaults=False):
    cast = NP_DTYPE[dtype]
    c = row_loss_case(loss, label, dtype, reduction, arrays, {}, go, 0, defaults, PAIR_TOLERANCE[dtype])
    c.rtol, c.atol, c.stol = (2e-6, 1e-37, 8 * 2.0**-23) if dtype == "f32" else PAIR_TOLERANCE[dtype]
    out, gp, gq = divergence_reference(loss, c.arrays, "none" if defaults else reduction, c.arrays.get("grad_output"))
    c.expect = {"out": np.asarray(out, dtype=cast), "grad_pk": np.asarray(gp, dtype=cast),
                "grad_qk": np.asarray(gq, dtype=cast)}
    return c


def torch_case(loss, label, dtype, reduction, arrays, scalars, go, status, defaults, formula, names):
    """A case whose reference is `formula(*tensors, reduction)` in float64 torch with autograd for
    the tensors of `names` (the WGAN losses, the gradient penalty, kl_div)."""
    return image_case(loss, label, dtype, reduction, arrays, scalars, go, status, defaults, formula, names)


def kl_div_formula(log_target, batchmean):
    def formula(x, t, reduction):
        r = "batchmean" if batchmean else reduction
        return F.kl_div(x, t, reduction=r, log_target=bool(log_target))
    return formula


def kl_div_target_formula(log_target, batchmean):
    """kl_div differentiated w.r.t. its target with the 0 log 0 branch held at 0 (a double where):
    log t + 1 - x for t > 0, 0 at t = 0, where F.kl_div's autograd gives NaN; checked against
    F.kl_div's own gradient where every target is positive."""
    def formula(x, t, reduction):
        if log_target:
            per = torch.exp(t) * (t - x)
        else:
            zero = t == 0
            per = torch.where(zero, torch.zeros_like(t), t * (torch.log(torch.where(zero, torch.ones_like(t), t)) - x))
        if batchmean:
            return per.sum() / (x.shape[0] if x.dim() else 1)
        return reduce_torch(per, reduction)
    return formula


def kl_div_case(label, dtype, reduction, arrays, log_target, batchmean, go=None, defaults=False, target=False):
    scalars = {} if defaults else {"log_target": float(log_target), "batchmean": float(batchmean)}
    r = "mean" if defaults else reduction
    if not target:
        c = row_loss_case("kl_div", label, dtype, reduction, arrays, scalars, go, 0, defaults, PAIR_TOLERANCE[dtype])
        x, t = t64(c.arrays["input"]).requires_grad_(True), t64(c.arrays["target"])
        value = kl_div_formula(log_target, batchmean)(x, t, r)
        upstream = torch.ones_like(value) if go is None else t64(c.arrays["grad_output"]).reshape(value.shape)
        (grad,) = torch.autograd.grad(value, x, upstream)
        c.expect = {"out": np.asarray(value.detach().numpy(), dtype=NP_DTYPE[dtype]),
                    "grad_input": np.asarray(grad.numpy(), dtype=NP_DTYPE[dtype])}
        return c
    c = row_loss_case("kl_div_grad_target", label, dtype, reduction, arrays, scalars, go, 0, defaults,
                      PAIR_TOLERANCE[dtype])
    x, t = t64(c.arrays["input"]), t64(c.arrays["target"]).requires_grad_(True)
    value = kl_div_target_formula(log_target, batchmean)(x, t, r)
    upstream = torch.ones_like(value) if go is None else t64(c.arrays["grad_output"]).reshape(value.shape)
    (grad,) = torch.autograd.grad(value, t, upstream)
    if (c.arrays["target"] > 0).all() and np.isfinite(c.arrays["input"]).all():
        t2 = t64(c.arrays["target"]).requires_grad_(True)
        (anchor,) = torch.autograd.grad(kl_div_formula(log_target, batchmean)(x, t2, r), t2, upstream)
        assert np.allclose(anchor.numpy(), grad.numpy(), rtol=1e-12, atol=1e-300, equal_nan=True), label
    c.expect = {"grad_target": np.asarray(grad.numpy(), dtype=NP_DTYPE[dtype])}
    return c


def wgan_critic_case(label, dtype, reduction, arrays, go, defaults=False):
    """The composed torch formula with autograd; the value from exactly rounded sums (math.fsum)
    divided as the formula divides, since torch's own float64 sums of large scores carry rounding
    beyond the tolerance; checked against torch's value to 1e-12 of the scores' magnitude."""
    c = torch_case("wgan_critic_loss", label, dtype, reduction, arrays, {}, go, 0, defaults, wgan_critic_formula,
                   ("real_scores", "fake_scores"))
    real, fake = c.arrays["real_scores"], c.arrays["fake_scores"]
    with np.errstate(invalid="ignore", divide="ignore"):
        if reduction == "sum" and not defaults:
            value = math.fsum(fake) - math.fsum(real)
        else:
            value = np.float64(math.fsum(fake)) / fake.size - np.float64(math.fsum(real)) / real.size
    torch_value = float(wgan_critic_formula(t64(real), t64(fake), "mean" if defaults else reduction))
    magnitude = max([1.0] + [abs(v) for v in np.concatenate([real, fake]) if np.isfinite(v)])
    assert (np.isnan(value) and np.isnan(torch_value)) or abs(value - torch_value) <= 1e-12 * magnitude * 1e3, label
    c.expect["out"] = np.asarray(value, dtype=NP_DTYPE[dtype])
    # A difference of means cancels: its error is absolute, a few ulp of the larger mean (the sums
    # are blocked, not exactly rounded), so the tolerance is 64 ulp of the scores' magnitude.
    c.atol = float(max(c.atol, 64 * np.finfo(NP_DTYPE[dtype]).eps * magnitude))
    return c


def wgan_critic_formula(real, fake, reduction):
    if reduction == "sum":
        return fake.sum() - real.sum()
    return fake.mean() - real.mean()


def gradient_penalty_formula(weight):
    def formula(g, reduction):
        return reduce_torch(weight * (g.norm(2, dim=1) - 1) ** 2, reduction)
    return formula


def distributions():
    """kl_div (F.kl_div in float64 with autograd): log-softmax inputs against probabilities with
    zeros, log targets, every reduction and batchmean (2-D, 3-D and 1-D inputs), an input of -inf
    (inf where t > 0, NaN where t = 0, as PyTorch), a negative target (NaN), empty inputs (batchmean
    0/0); its target gradient from the double-where formula (0 at t = 0). kl_divergence and
    js_divergence (scipy.special.rel_entr / scipy.stats.entropy / jensenshannon squared, gradients
    from float64 formulas checked by central differences): rows that sum to 1, zeros in p, in q and
    in both, q = 0 < p (inf), unnormalised rows (the plain sum, not scipy.stats.entropy's), K = 1,
    empty batches and rows, one 1-D distribution, a NaN. WGAN critic and generator losses and the
    gradient penalty: their composed torch formulas with autograd, empty batches (NaN means), a
    zero gradient row (autograd's 0 subgradient), D = 1, invalid weights. Defaults for each."""
    r = rng_div
    upstream = lambda reduction, shape: (r.normal(size=shape) if reduction == "none"
                                         else np.array(-1.5) if reduction == "sum" else None)
    log_probs = lambda *shape: np.log(r.dirichlet(np.ones(shape[-1]), size=shape[:-1]))
    probs = lambda *shape: r.dirichlet(np.ones(shape[-1]), size=shape[:-1])

    def with_zeros(a, *where):
        a = a.copy()
        for w in where:
            a[w] = 0.0
        return a

    files = {k: [] for k in ("kl_div", "kl_div_grad_target", "kl_divergence", "js_divergence",
                             "wgan_critic_loss", "wgan_generator_loss", "gradient_penalty")}
    for dtype in ("f32", "f64"):
        # kl_div and its target gradient.
        for reduction, batchmean in (("none", 0), ("mean", 0), ("sum", 0), ("mean", 1)):
            rlabel = "batchmean" if batchmean else reduction
            for label, make, log_target in (
                    ("probs", lambda: {"input": log_probs(4, 6), "target": with_zeros(probs(4, 6), (0, 1), (2, 5))}, 0),
                    ("log_target", lambda: {"input": log_probs(3, 5), "target": log_probs(3, 5)}, 1),
                    ("three_dims", lambda: {"input": log_probs(2, 3, 4), "target": probs(2, 3, 4)}, 0),
                    ("flat", lambda: {"input": log_probs(7), "target": probs(7)}, 0),
                    ("minus_inf", lambda: {"input": np.array([[-np.inf, -1.0], [-np.inf, -0.5]]),
                                           "target": np.array([[0.25, 0.75], [0.0, 1.0]])}, 0),
                    ("negative_target", lambda: {"input": log_probs(2, 3),
                                                 "target": np.array([[0.5, -0.25, 0.75], [0.2, 0.3, 0.5]])}, 0),
                    ("empty", lambda: {"input": np.zeros((0, 4)), "target": np.zeros((0, 4))}, 0)):
                arrays = make()
                go = upstream(reduction, arrays["input"].shape)
                files["kl_div"].append(kl_div_case(f"{label}_{rlabel}", dtype, reduction, arrays, log_target,
                                                   batchmean, go))
                if label not in ("minus_inf", "negative_target"):
                    files["kl_div_grad_target"].append(kl_div_case(f"{label}_{rlabel}", dtype, reduction, arrays,
                                                                   log_target, batchmean, go, target=True))
        # Defaults: reduction 'mean' (over every element), log_target False.
        arrays = {"input": log_probs(3, 4), "target": with_zeros(probs(3, 4), (1, 2))}
        files["kl_div"].append(kl_div_case("defaults", dtype, "mean", arrays, 0, 0, defaults=True))
        files["kl_div_grad_target"].append(kl_div_case("defaults", dtype, "mean", arrays, 0, 0, defaults=True,
                                                       target=True))

        # kl_divergence and js_divergence.
        for loss in ("kl_divergence", "js_divergence"):
            for reduction in ("none", "mean", "sum"):
                for label, make in (
                        ("probs", lambda: {"pk": probs(4, 5), "qk": probs(4, 5)}),
                        ("zeros_in_p", lambda: {"pk": with_zeros(probs(3, 4), (0, 1), (2, 3)), "qk": probs(3, 4)}),
                        ("zeros_in_q", lambda: {"pk": probs(3, 4), "qk": with_zeros(probs(3, 4), (1, 0))}),
                        ("zeros_in_both", lambda: {"pk": with_zeros(probs(2, 4), (0, 2), (1, 1)),
                                                   "qk": with_zeros(probs(2, 4), (0, 2), (1, 3))}),
                        ("unnormalised", lambda: {"pk": r.uniform(0.1, 2, size=(3, 4)),
                                                  "qk": r.uniform(0.1, 2, size=(3, 4))}),
                        ("k_one", lambda: {"pk": r.uniform(0.1, 1, size=(4, 1)), "qk": r.uniform(0.1, 1, size=(4, 1))}),
                        ("one_distribution", lambda: {"pk": probs(6), "qk": probs(6)}),
                        ("far_apart", lambda: {"pk": np.array([[1 - 1e-30, 1e-30], [0.5, 0.5]]),
                                               "qk": np.array([[1e-30, 1 - 1e-30], [1e-20, 1 - 1e-20]])}),
                        ("nan", lambda: {"pk": np.array([[0.5, np.nan], [0.25, 0.75]]),
                                         "qk": np.array([[0.5, 0.5], [0.5, 0.5]])}),
                        ("empty_batch", lambda: {"pk": np.zeros((0, 3)), "qk": np.zeros((0, 3))}),
                        ("empty_rows", lambda: {"pk": np.zeros((2, 0)), "qk": np.zeros((2, 0))})):
                    arrays = make()
                    go = upstream(reduction, arrays["pk"].shape[:-1])
                    files[loss].append(divergence_case(loss, f"{label}_{reduction}", dtype, reduction, arrays, go))
            files[loss].append(divergence_case(loss, "defaults", dtype, "none",
                                               {"pk": probs(3, 5), "qk": probs(3, 5)}, defaults=True))
        # q = 0 where p > 0: KL is +inf (its q gradient -inf); JS stays finite.
        for loss in ("kl_divergence", "js_divergence"):
            arrays = {"pk": np.array([[0.5, 0.5], [0.3, 0.7]]), "qk": np.array([[1.0, 0.0], [0.4, 0.6]])}
            files[loss].append(divergence_case(loss, "q_zero_where_p_positive_none", dtype, "none", arrays))

        # WGAN critic and generator losses.
        for reduction in ("none", "mean", "sum"):
            go = None if reduction == "mean" else np.array(-1.5 if reduction == "sum" else 0.75)
            for label, make in (
                    ("scores", lambda: {"real_scores": r.normal(size=6) * 3, "fake_scores": r.normal(size=9) * 3}),
                    ("one_each", lambda: {"real_scores": r.normal(size=1), "fake_scores": r.normal(size=1)}),
                    ("large", lambda: {"real_scores": r.normal(size=700) * 1e6 + 3e7,
                                       "fake_scores": r.normal(size=500) * 1e6 + 3e7}),
                    ("nan", lambda: {"real_scores": np.array([1.0, np.nan]), "fake_scores": np.array([0.5])}),
                    ("empty_real", lambda: {"real_scores": np.zeros(0), "fake_scores": r.normal(size=3)}),
                    ("empty_fake", lambda: {"real_scores": r.normal(size=3), "fake_scores": np.zeros(0)}),
                    ("empty_both", lambda: {"real_scores": np.zeros(0), "fake_scores": np.zeros(0)})):
                arrays = make()
                files["wgan_critic_loss"].append(wgan_critic_case(f"{label}_{reduction}", dtype, reduction, arrays, go))
            for label, make in (("scores", lambda: {"fake_scores": r.normal(size=11) * 2}),
                                ("empty", lambda: {"fake_scores": np.zeros(0)}),
                                ("nan", lambda: {"fake_scores": np.array([0.5, np.nan, -1.0])})):
                arrays = make()
                files["wgan_generator_loss"].append(torch_case(
                    "wgan_generator_loss", f"{label}_{reduction}", dtype, reduction, arrays, {},
                    upstream(reduction, arrays["fake_scores"].shape), 0, False,
                    lambda f, red: reduce_torch(-f, red), ("fake_scores",)))
        files["wgan_critic_loss"].append(wgan_critic_case(
            "defaults", dtype, "mean", {"real_scores": r.normal(size=5), "fake_scores": r.normal(size=4)}, None, True))
        files["wgan_generator_loss"].append(torch_case(
            "wgan_generator_loss", "defaults", dtype, "mean", {"fake_scores": r.normal(size=5)}, {}, None, 0, True,
            lambda f, red: reduce_torch(-f, red), ("fake_scores",)))

        # Gradient penalty.
        for reduction in ("none", "mean", "sum"):
            for label, make, weight in (
                    ("rows", lambda: {"gradients": r.normal(size=(5, 8)) * 0.5}, 10.0),
                    ("zero_row", lambda: {"gradients": with_zeros(r.normal(size=(3, 4)), (1,))}, 10.0),
                    ("unit_norm", lambda: {"gradients": np.array([[0.6, 0.8], [1.0, 0.0], [0.0, -1.0]])}, 10.0),
                    ("d_one", lambda: {"gradients": r.normal(size=(4, 1))}, 2.5),
                    ("weight_zero", lambda: {"gradients": r.normal(size=(3, 3))}, 0.0),
                    ("images", lambda: {"gradients": r.normal(size=(2, 3, 4, 4)) * 0.3}, 10.0),
                    ("large", lambda: {"gradients": r.normal(size=(3, 5)) * 1e15}, 1.0),
                    ("nan", lambda: {"gradients": np.array([[0.5, np.nan], [0.3, 0.4]])}, 10.0),
                    ("empty", lambda: {"gradients": np.zeros((0, 4))}, 10.0),
                    ("no_columns", lambda: {"gradients": np.zeros((3, 0))}, 10.0)):
                arrays = make()
                n = arrays["gradients"].shape[0]

                def formula(g, red, weight=weight):
                    return gradient_penalty_formula(weight)(g.flatten(1), red)
                files["gradient_penalty"].append(torch_case(
                    "gradient_penalty", f"{label}_{reduction}", dtype, reduction, arrays, {"weight": weight},
                    upstream(reduction, (n,)), 0, False, formula, ("gradients",)))
        bad = {"gradients": np.ones((2, 3))}
        for label, weight in (("weight_negative", -1.0), ("weight_nan", math.nan), ("weight_inf", math.inf)):
            files["gradient_penalty"].append(torch_case("gradient_penalty", f"invalid_{label}", dtype, "mean", bad,
                                                        {"weight": weight}, None, INVALID_ARGUMENT, False, None, ()))
        files["gradient_penalty"].append(torch_case(
            "gradient_penalty", "defaults", dtype, "mean", {"gradients": r.normal(size=(4, 6)) * 0.4}, {}, None, 0,
            True, lambda g, red: gradient_penalty_formula(10.0)(g, red), ("gradients",)))
    return files
# ---- Metrics: a value, no gradient --------------------------------------------------------

METRIC_ARRAYS = ("u_values", "v_values", "u_weights", "v_weights", "probs",  # inputs: exact in the case's dtype
                 "rewards", "values", "next_values", "dones", "discounts",
                 "mu1", "sigma1", "mu2", "sigma2", "features1", "features2", "scores", "image", "text")


def metric_case(loss, label, dtype, arrays, reference, scalars=None, status=0, defaults=False, tolerance=None,
                reduction="mean"):
    """A metric's case: its arrays made exact in the dtype, `reference(arrays, scalars)` (float64
    SciPy/NumPy on those exact values) as `out`, rounded once to the dtype."""
    cast = NP_DTYPE[dtype]
    c = Case(loss, "defaults" if defaults else label, dtype)
    c.defaults = defaults
    c.reduction = reduction
    c.scalars = dict(scalars or {})
    c.arrays = {k: np.asarray(v, dtype=cast if k in METRIC_ARRAYS else np.float64).astype(np.float64)
                for k, v in arrays.items()}
    c.status = status
    c.rtol, c.atol, c.stol = tolerance or METRIC_TOLERANCE[dtype]
    if status == 0:
        c.expect = {"out": np.asarray(reference(c.arrays, c.scalars), dtype=cast)}
    return c


# Rounded once to the dtype (f32); in double, each term's CDF difference is off by a few ulp of 1,
# so the sum by a few ulp of 1 times the values' range (the atol each case sets).
METRIC_TOLERANCE = {"f32": (2.0**-23, 1e-37, 0.0), "f64": (4 * 2.0**-52, 1e-300, 0.0)}


def wasserstein_reference(a, s):
    from scipy.stats import wasserstein_distance
    return wasserstein_distance(a["u_values"], a["v_values"], a.get("u_weights"), a.get("v_weights"))


def wasserstein_cases():
    """scipy.stats.wasserstein_distance on: SciPy's own examples, random values of different
    counts, weighted on one side and both, ties within and across the two sets with zero
    weights, one value each, identical distributions (0), values of 1e30 and of 1e-30, 1000
    against 700 values (the sort's merges), NaN and infinite values (SciPy's NaN and inf);
    refused: an empty distribution (invalid size), a negative, NaN or infinite weight and weights
    summing to 0 (invalid argument); and the defaults (no weights)."""
    r = rng_metrics
    plans = [
        ("scipy_example_1", {"u_values": [0.0, 1.0, 3.0], "v_values": [5.0, 6.0, 8.0]}),
        ("scipy_example_2", {"u_values": [0.0, 1.0], "v_values": [0.0, 1.0], "u_weights": [3.0, 1.0],
                             "v_weights": [2.0, 2.0]}),
        ("scipy_example_3", {"u_values": [3.4, 3.9, 7.5, 7.8], "v_values": [4.5, 1.4],
                             "u_weights": [1.4, 0.9, 3.1, 7.2], "v_weights": [3.2, 3.5]}),
        ("random", {"u_values": r.normal(size=7), "v_values": r.normal(1.0, 2.0, size=5)}),
        ("weighted_u", {"u_values": r.normal(size=9), "v_values": r.normal(size=4),
                        "u_weights": r.uniform(0.1, 2.0, 9)}),
        ("weighted_both", {"u_values": r.normal(size=6), "v_values": r.normal(0.5, 1.0, size=8),
                           "u_weights": r.uniform(0.1, 2.0, 6), "v_weights": r.uniform(0.1, 2.0, 8)}),
        ("ties_and_zero_weights", {"u_values": r.integers(0, 4, 10).astype(float),
                                   "v_values": r.integers(1, 5, 8).astype(float),
                                   "u_weights": np.where(r.uniform(size=10) < 0.3, 0.0, r.uniform(0.5, 1.5, 10)),
                                   "v_weights": r.uniform(0.5, 1.5, 8)}),
        ("one_value_each", {"u_values": [2.0], "v_values": [-5.0]}),
        ("identical", {"u_values": [0.5, -1.0, 2.0, 0.5], "v_values": [2.0, 0.5, 0.5, -1.0]}),
        ("huge_values", {"u_values": r.normal(size=5) * 1e30, "v_values": r.normal(size=6) * 1e30}),
        ("tiny_values", {"u_values": r.normal(size=5) * 1e-30, "v_values": r.normal(size=6) * 1e-30}),
        ("many", {"u_values": r.standard_t(3, size=1000), "v_values": r.normal(0.2, 1.3, size=700),
                  "u_weights": r.uniform(0, 1, 1000)}),
        ("nan_value", {"u_values": [0.0, np.nan, 1.0], "v_values": [0.5, 2.0]}),
        ("infinite_value", {"u_values": [0.0, np.inf], "v_values": [0.0, 1.0]}),
        ("infinite_in_both", {"u_values": [0.0, np.inf], "v_values": [1.0, np.inf]}),
    ]
    errors = [
        ("empty_u", {"u_values": np.zeros(0), "v_values": [1.0, 2.0]}, INVALID_SIZE),
        ("empty_v", {"u_values": [1.0, 2.0], "v_values": np.zeros(0)}, INVALID_SIZE),
        ("negative_weight", {"u_values": [1.0, 2.0], "v_values": [0.0], "u_weights": [1.0, -0.5]}, INVALID_ARGUMENT),
        ("zero_weights", {"u_values": [1.0, 2.0], "v_values": [0.0], "v_weights": [0.0]}, INVALID_ARGUMENT),
        ("nan_weight", {"u_values": [1.0, 2.0], "v_values": [0.0], "u_weights": [np.nan, 1.0]}, INVALID_ARGUMENT),
        ("infinite_weight", {"u_values": [1.0, 2.0], "v_values": [0.0], "u_weights": [np.inf, 1.0]}, INVALID_ARGUMENT),
    ]
    cases = []
    for dtype in ("f32", "f64"):
        for label, arrays in plans:
            finite = np.concatenate([np.asarray(arrays["u_values"], float), np.asarray(arrays["v_values"], float)])
            finite = finite[np.isfinite(finite)]
            rtol, _, stol = METRIC_TOLERANCE[dtype]
            span = float(finite.max() - finite.min()) if finite.size else 0.0
            cases.append(metric_case("wasserstein_distance", label, dtype, arrays, wasserstein_reference,
                                     tolerance=(rtol, max(8 * 2.0**-52 * span, 1e-300), stol)))
        for label, arrays, status in errors:
            from scipy.stats import wasserstein_distance
            try:  # SciPy refuses each of these too
                wasserstein_distance(arrays["u_values"], arrays["v_values"], arrays.get("u_weights"),
                                     arrays.get("v_weights"))
                raise AssertionError(f"scipy accepted {label}")
            except ValueError:
                pass
            cases.append(metric_case("wasserstein_distance", label, dtype, arrays, None, status=status))
        cases.append(metric_case("wasserstein_distance", "defaults", dtype,
                                 {"u_values": r.normal(size=6), "v_values": r.uniform(-1, 2, size=4)},
                                 wasserstein_reference, defaults=True))
    return cases


def inception_reference(a, s):
    """The improved-GAN procedure in float64 NumPy: consecutive splits k*N//s ... (k+1)*N//s, per
    split exp(mean_x sum_j p log(p / p_y)) with 0 log 0 = 0; (mean, std with ddof 0). Where the
    rows sum to 1 each split's mean KL is checked against scipy.stats.entropy."""
    from scipy.stats import entropy
    p = a["probs"]
    n, splits = p.shape[0], int(s.get("splits", 10))
    scores = []
    for k in range(splits):
        part = p[k * n // splits:(k + 1) * n // splits]
        py = part.mean(0)
        with np.errstate(divide="ignore", invalid="ignore"):
            terms = np.where(part > 0, part * (np.log(part) - np.log(py)), 0.0)
        kl = terms.sum(1).mean()
        if np.allclose(part.sum(1), 1, atol=1e-6):
            assert math.isclose(kl, np.mean([entropy(row, py) for row in part]), rel_tol=1e-6, abs_tol=1e-9)
        scores.append(np.exp(kl))
    return [np.mean(scores), np.std(scores)]


def inception_cases():
    """inception_score on softmax rows of random logits (sharp and flat), the default 10 splits
    over 23 rows (uneven splits), one split, splits = N (each split one row: score 1, std 0),
    rows with exact zeros (0 log 0), one-hot rows of distinct classes (score = C), rows that do
    not sum to 1 (computed as given), one class; refused: splits 0, splits > N, a negative and a
    NaN entry, an empty batch; and the defaults."""
    r = rng_metrics

    def softmax(z):
        e = np.exp(z - z.max(1, keepdims=True))
        return e / e.sum(1, keepdims=True)

    plans = [
        ("sharp_default_splits", {"probs": softmax(r.normal(size=(23, 5)) * 3)}, {"splits": 10}),
        ("flat_one_split", {"probs": softmax(r.normal(size=(9, 4)) * 0.3)}, {"splits": 1}),
        ("splits_equal_rows", {"probs": softmax(r.normal(size=(6, 3)))}, {"splits": 6}),
        ("uneven", {"probs": softmax(r.normal(size=(17, 6)) * 2)}, {"splits": 4}),
        ("exact_zeros", {"probs": np.array([[0.5, 0.5, 0.0], [0.0, 0.2, 0.8], [1.0, 0.0, 0.0], [0.3, 0.0, 0.7]])},
         {"splits": 2}),
        ("one_hot", {"probs": np.eye(4)[[0, 1, 2, 3, 3, 2, 1, 0]]}, {"splits": 2}),
        ("unnormalised", {"probs": r.uniform(0.1, 1.0, size=(8, 3))}, {"splits": 3}),
        ("one_class", {"probs": np.ones((5, 1))}, {"splits": 5}),
    ]
    errors = [
        ("splits_zero", {"probs": softmax(r.normal(size=(4, 3)))}, {"splits": 0}, INVALID_ARGUMENT),
        ("splits_above_rows", {"probs": softmax(r.normal(size=(4, 3)))}, {"splits": 5}, INVALID_ARGUMENT),
        ("negative_entry", {"probs": np.array([[0.5, 0.6, -0.1], [0.2, 0.3, 0.5]])}, {"splits": 1}, INVALID_ARGUMENT),
        ("nan_entry", {"probs": np.array([[0.5, np.nan, 0.5], [0.2, 0.3, 0.5]])}, {"splits": 1}, INVALID_ARGUMENT),
        ("empty", {"probs": np.zeros((0, 3))}, {"splits": 1}, INVALID_ARGUMENT),
    ]
    cases = []
    for dtype in ("f32", "f64"):
        tolerance = {"f32": (4 * 2.0**-23, 1e-30, 4 * 2.0**-23), "f64": (1e-13, 1e-300, 1e-13)}[dtype]
        for label, arrays, scalars in plans:
            cases.append(metric_case("inception_score", label, dtype, arrays, inception_reference, scalars,
                                     tolerance=tolerance))
        for label, arrays, scalars, status in errors:
            cases.append(metric_case("inception_score", label, dtype, arrays, None, scalars, status=status))
        cases.append(metric_case("inception_score", "defaults", dtype, {"probs": softmax(r.normal(size=(31, 7)) * 2)},
                                 inception_reference, defaults=True, tolerance=tolerance))
    return cases


def _pytorch_fid(mu1, sigma1, mu2, sigma2):
    """pytorch-fid 0.3.0's calculate_frechet_distance (its own code, bench/pytorch_fid_compat.py);
    where pytorch-fid is not installed, its formula restated with SciPy's sqrtm."""
    sys.path.insert(0, os.path.join(HERE, "..", "..", "bench"))
    import pytorch_fid_compat
    if pytorch_fid_compat.calculate_frechet_distance is not None:
        return float(pytorch_fid_compat.calculate_frechet_distance(mu1, sigma1, mu2, sigma2))
    from scipy import linalg
    covmean = linalg.sqrtm(sigma1.dot(sigma2)).real
    diff = mu1 - mu2
    return float(diff.dot(diff) + np.trace(sigma1) + np.trace(sigma2) - 2 * np.trace(covmean))


def _mp_frechet(mu1, sigma1, mu2, sigma2, digits=50):
    """The Fréchet distance at `digits` digits: the symmetric square root of sigma1 by mpmath's
    eigsy (negative round-off eigenvalues of the given matrix as 0), then the eigenvalues of
    sqrt(sigma1) sigma2 sqrt(sigma1). For singular covariances, where pytorch-fid adds eps."""
    with mpmath.workdps(digits):
        d = len(mu1)
        s1 = mpmath.matrix([[mpmath.mpf(float(v)) for v in row] for row in sigma1])
        s2 = mpmath.matrix([[mpmath.mpf(float(v)) for v in row] for row in sigma2])
        w, v = mpmath.eigsy(s1)
        root = v * mpmath.diag([mpmath.sqrt(max(w[k], 0)) for k in range(d)]) * v.T
        w2, _ = mpmath.eigsy(root * s2 * root)
        tr = mpmath.fsum(mpmath.sqrt(max(w2[k], 0)) for k in range(d))
        value = (mpmath.fsum((mpmath.mpf(float(a)) - mpmath.mpf(float(b))) ** 2 for a, b in zip(mu1, mu2))
                 + mpmath.fsum(s1[k, k] + s2[k, k] for k in range(d)) - 2 * tr)
        return float(value)


def _mp_statistics(x, digits=50):
    """Mean and unbiased covariance of float64 rows at `digits` digits, rounded to float64 arrays
    of mpf-exact sums (for fid's rank-deficient cases)."""
    with mpmath.workdps(digits):
        n, d = x.shape
        rows = [[mpmath.mpf(float(v)) for v in row] for row in x]
        mean = [mpmath.fsum(rows[i][k] for i in range(n)) / n for k in range(d)]
        cov = [[mpmath.fsum((rows[i][a] - mean[a]) * (rows[i][b] - mean[b]) for i in range(n)) / (n - 1)
                for b in range(d)] for a in range(d)]
        return mean, cov


def _mp_fid_of_features(x1, x2, digits=50):
    with mpmath.workdps(digits):
        m1, c1 = _mp_statistics(x1, digits)
        m2, c2 = _mp_statistics(x2, digits)
        d = len(m1)
        s1, s2 = mpmath.matrix(c1), mpmath.matrix(c2)
        w, v = mpmath.eigsy(s1)
        root = v * mpmath.diag([mpmath.sqrt(max(w[k], 0)) for k in range(d)]) * v.T
        w2, _ = mpmath.eigsy(root * s2 * root)
        tr = mpmath.fsum(mpmath.sqrt(max(w2[k], 0)) for k in range(d))
        return float(mpmath.fsum((a - b) ** 2 for a, b in zip(m1, m2)) + mpmath.fsum(s1[k, k] + s2[k, k] for k in range(d))
                     - 2 * tr)


def _correlated(r, n, d, shift=0.0, scale=1.0, rank=None):
    mixing = r.standard_normal((rank or d, d)) / np.sqrt(d)
    return (r.standard_normal((n, rank or d)) @ mixing) * scale + shift


def _cov(x):
    return np.cov(x, rowvar=False).reshape(x.shape[1], x.shape[1])


FID_TOLERANCE = {"f32": (2.0**-22, 1e-30, 0.0), "f64": (1e-9, 1e-12, 0.0)}


def fid_from_stats_cases():
    """calculate_frechet_distance of pytorch-fid on well-conditioned statistics (d = 1, 5, 16,
    different means and scales, the defaults); mpmath at 50 digits where a covariance is singular
    (exactly rank 2 of 6, both exactly rank 3 of 8: pytorch-fid's sqrtm is not finite there and it
    adds eps); a zero covariance
    (closed form); identical statistics (0, to round-off: atol); refused: NaN and infinite
    statistics, a negative variance, a non-symmetric sigma, eps -1 and NaN."""
    r = rng_fid
    cases = []

    def stats(n, d, **kw):
        x = _correlated(r, n, d, **kw)
        return x.mean(0), _cov(x)

    plans = []
    for label, d, kw1, kw2 in [("d1", 1, {}, {"shift": 0.7, "scale": 1.5}), ("d5", 5, {}, {"shift": 0.2}),
                               ("d16_scaled", 16, {"scale": 3.0}, {"shift": -0.5, "scale": 0.5})]:
        mu1, s1 = stats(40 + 3 * d, d, **kw1)
        mu2, s2 = stats(30 + 2 * d, d, **kw2)
        plans.append((label, {"mu1": mu1, "sigma1": s1, "mu2": mu2, "sigma2": s2}, "pytorch-fid"))
    mu1, s1 = stats(30, 6)
    mu2, s2 = stats(25, 6, shift=0.3)
    plans.append(("identical", {"mu1": mu1, "sigma1": s1, "mu2": mu1, "sigma2": s1}, "zero"))
    plans.append(("zero_sigma2", {"mu1": mu1, "sigma1": s1, "mu2": mu2, "sigma2": np.zeros((6, 6))}, "closed"))
    # Singular covariances exactly so in both dtypes: B B^T / 4 of small integer factors B (every
    # product exact), so that the reference's zero eigenvalues are exact zeros (a rounded
    # singular matrix has eigenvalues of +-1e-16, whose square roots, 1e-8, no method can tell
    # from real ones).
    def exact_rank(d, rank):
        b = r.integers(-3, 4, size=(d, rank)).astype(float)
        return b @ b.T / 4

    singular = [("sigma1_rank2", {"mu1": r.integers(-4, 5, 6) / 4, "sigma1": exact_rank(6, 2), "mu2": mu2,
                                  "sigma2": s2}),
                ("both_rank3", {"mu1": r.integers(-4, 5, 8) / 4, "sigma1": exact_rank(8, 3),
                                "mu2": r.integers(-4, 5, 8) / 4, "sigma2": exact_rank(8, 3)})]
    bad_sym = s1.copy()
    bad_sym[0, 1] += 0.5
    negative = s1.copy()
    negative[2, 2] = -1.0
    errors = [
        ("nan_mean", {"mu1": np.where(np.arange(6) == 1, np.nan, mu1), "sigma1": s1, "mu2": mu2, "sigma2": s2}, {},
         INVALID_ARGUMENT),
        ("infinite_sigma", {"mu1": mu1, "sigma1": s1, "mu2": mu2, "sigma2": np.where(s2 > 0.1, np.inf, s2)}, {},
         INVALID_ARGUMENT),
        ("negative_variance", {"mu1": mu1, "sigma1": negative, "mu2": mu2, "sigma2": s2}, {}, INVALID_ARGUMENT),
        ("not_symmetric", {"mu1": mu1, "sigma1": bad_sym, "mu2": mu2, "sigma2": s2}, {}, INVALID_ARGUMENT),
        ("eps_negative", {"mu1": mu1, "sigma1": s1, "mu2": mu2, "sigma2": s2}, {"eps": -1.0}, INVALID_ARGUMENT),
        ("eps_nan", {"mu1": mu1, "sigma1": s1, "mu2": mu2, "sigma2": s2}, {"eps": float("nan")}, INVALID_ARGUMENT),
    ]

    def reference(kind):
        def compute(a, s):
            if kind == "pytorch-fid":
                return _pytorch_fid(a["mu1"], a["sigma1"], a["mu2"], a["sigma2"])
            if kind == "zero":
                return 0.0
            if kind == "closed":
                return float(((a["mu1"] - a["mu2"]) ** 2).sum() + np.trace(a["sigma1"]))
            return _mp_frechet(a["mu1"], a["sigma1"], a["mu2"], a["sigma2"])
        return compute

    for dtype in ("f32", "f64"):
        rtol, atol, stol = FID_TOLERANCE[dtype]
        for label, arrays, kind in plans:
            scale = float(np.trace(arrays["sigma1"]) + np.trace(arrays["sigma2"]) + 1)
            cases.append(metric_case("fid_from_stats", label, dtype, arrays, reference(kind), scalars={"eps": 1e-6},
                                     tolerance=(rtol, atol * scale if kind != "zero" else 1e-9 * scale, stol)))
        for label, arrays in singular:
            if dtype == "f32":  # sigma2 of sigma1_rank2 is a float64 covariance: the f32 case rounds it
                arrays = {k: np.asarray(v, np.float32).astype(np.float64) for k, v in arrays.items()}
            cases.append(metric_case("fid_from_stats", label, dtype, arrays, reference("mpmath"),
                                     scalars={"eps": 1e-6}, tolerance=FID_TOLERANCE[dtype]))
        for label, arrays, scalars, status in errors:
            cases.append(metric_case("fid_from_stats", label, dtype, arrays, None,
                                     scalars={"eps": 1e-6, **scalars}, status=status))
        mu_a, s_a = stats(20, 3)
        mu_b, s_b = stats(20, 3, shift=1.0)
        cases.append(metric_case("fid_from_stats", "defaults", dtype, {"mu1": mu_a, "sigma1": s_a, "mu2": mu_b,
                                                                        "sigma2": s_b},
                                 reference("pytorch-fid"), defaults=True, tolerance=FID_TOLERANCE[dtype]))
    return cases


def fid_cases():
    """fid of two feature sets: pytorch-fid's calculate_frechet_distance of NumPy's mean and
    np.cov (well-conditioned: 30 x 4 against 20 x 4, 60 x 10 against 45 x 10); mpmath at 50 digits
    of the exact statistics where n < d (5 and 7 samples of 12 features; 2 and 3 of 6: singular
    covariances); a collapsed generator (every row the same: Σ2 = 0, closed form); refused: one
    sample (invalid size), a NaN and an infinite feature (invalid argument)."""
    r = rng_fid
    cases = []
    plans = [("n30_m20_d4", _correlated(r, 30, 4), _correlated(r, 20, 4, shift=0.3), "pytorch-fid"),
             ("n60_m45_d10", _correlated(r, 60, 10, scale=2.0), _correlated(r, 45, 10, shift=-0.2), "pytorch-fid"),
             ("n5_m7_d12", _correlated(r, 5, 12), _correlated(r, 7, 12, shift=0.1), "mpmath"),
             ("n2_m3_d6", _correlated(r, 2, 6), _correlated(r, 3, 6, shift=0.5), "mpmath")]
    collapsed = np.tile(_correlated(r, 1, 5), (9, 1))
    plans.append(("collapsed_generator", _correlated(r, 12, 5), collapsed, "closed"))
    errors = [("one_sample", _correlated(r, 1, 3), _correlated(r, 4, 3), INVALID_SIZE),
              ("nan_feature", np.where(np.arange(12).reshape(4, 3) == 5, np.nan, 1.0), _correlated(r, 4, 3),
               INVALID_ARGUMENT),
              ("infinite_feature", _correlated(r, 4, 3), np.where(np.arange(9).reshape(3, 3) == 0, np.inf, 0.5),
               INVALID_ARGUMENT)]

    def reference(kind):
        def compute(a, s):
            x1, x2 = a["features1"], a["features2"]
            if kind == "pytorch-fid":
                return _pytorch_fid(x1.mean(0), _cov(x1), x2.mean(0), _cov(x2))
            if kind == "closed":
                return float(((x1.mean(0) - x2[0]) ** 2).sum() + np.trace(_cov(x1)))
            return _mp_fid_of_features(x1, x2)
        return compute

    for dtype in ("f32", "f64"):
        rtol, atol, stol = FID_TOLERANCE[dtype]
        for label, x1, x2, kind in plans:
            scale = float(np.trace(_cov(x1)) + np.trace(_cov(x2)) + 1)
            cases.append(metric_case("fid", label, dtype, {"features1": x1, "features2": x2}, reference(kind),
                                     scalars={"eps": 1e-6}, tolerance=(rtol, atol * scale, stol)))
        for label, x1, x2, status in errors:
            cases.append(metric_case("fid", label, dtype, {"features1": x1, "features2": x2}, None,
                                     scalars={"eps": 1e-6}, status=status))
        cases.append(metric_case("fid", "defaults", dtype, {"features1": _correlated(r, 15, 3),
                                                            "features2": _correlated(r, 12, 3, shift=0.5)},
                                 reference("pytorch-fid"), defaults=True, tolerance=FID_TOLERANCE[dtype]))
    return cases


def r_precision_rows(scores, relevance):
    """Per query R-precision in float64, NaN where R = 0: the candidates ordered by a stable
    argsort of -score (higher first, ties in index order, NaN last), the hits among the first R."""
    values = []
    for s, rel in zip(np.asarray(scores, np.float64), np.asarray(relevance, np.int64)):
        r = int(rel.sum())
        order = np.argsort(-s, kind="stable")
        # Cross-check the order with lexsort (last key primary): -score, then the index; NaNs last.
        keys = np.where(np.isnan(s), np.inf, -s)
        assert np.array_equal(order, np.lexsort((np.arange(len(s)), keys)))
        values.append(np.nan if r == 0 else rel[order[:r]].sum() / r)
    return np.array(values, dtype=np.float64)


def r_precision_reduce(values, reduction):
    """The queries with R > 0 only: mean (NaN over none) and sum (0 over none); 'none' as is."""
    counted = values[~np.isnan(values)]
    if reduction == "none":
        return values
    if reduction == "sum":
        return counted.sum()
    return counted.mean() if counted.size else np.nan


def r_precision_cases():
    """r_precision on random scores and relevance (some queries with R = 0) in every reduction,
    every candidate relevant, none relevant (a NaN mean, a 0 sum), ties (integer scores: a tie
    ranks the lower index first, so a relevant candidate tied behind an irrelevant one misses),
    K = 1, N = 0, NaN and infinite scores; refused: a relevance of 2; and the defaults."""
    r = rng_rprec

    def reference(reduction):
        return lambda a, s: r_precision_reduce(r_precision_rows(a["scores"], a["relevance"]), reduction)

    random_rel = (r.uniform(size=(9, 8)) < 0.3).astype(np.int64)
    random_rel[2] = 0  # one query with nothing relevant: NaN for 'none', left out of mean and sum
    nan_scores = r.normal(size=(3, 5))
    nan_scores[0, 1] = np.nan
    nan_scores[1, [0, 4]] = np.nan
    nan_scores[2, 2] = np.inf
    plans = [
        ("random", {"scores": r.normal(size=(9, 8)), "relevance": random_rel}, ("mean", "sum", "none")),
        ("all_relevant", {"scores": r.normal(size=(4, 6)), "relevance": np.ones((4, 6))}, ("mean", "none")),
        ("none_relevant", {"scores": r.normal(size=(3, 5)), "relevance": np.zeros((3, 5))}, ("mean", "sum", "none")),
        ("ties", {"scores": r.integers(0, 3, size=(12, 6)).astype(np.float64),
                  "relevance": (r.uniform(size=(12, 6)) < 0.4)}, ("mean", "sum", "none")),
        ("tie_behind_irrelevant", {"scores": [[1.0, 1.0, 0.0], [1.0, 1.0, 0.0]],
                                   "relevance": [[0, 1, 0], [1, 0, 0]]}, ("none",)),
        ("k_one", {"scores": r.normal(size=(5, 1)), "relevance": [[1], [0], [1], [1], [0]]}, ("mean", "none")),
        ("empty", {"scores": np.zeros((0, 4)), "relevance": np.zeros((0, 4))}, ("mean", "sum", "none")),
        ("nan_and_inf_scores", {"scores": nan_scores,
                                "relevance": [[0, 1, 1, 0, 0], [1, 0, 0, 1, 0], [0, 0, 1, 0, 1]]}, ("none", "mean")),
    ]
    cases = []
    for dtype in ("f32", "f64"):
        for label, arrays, reductions in plans:
            for reduction in reductions:
                cases.append(metric_case("r_precision", f"{label}_{reduction}", dtype, arrays, reference(reduction),
                                         reduction=reduction))
        cases.append(metric_case("r_precision", "relevance_two", dtype,
                                 {"scores": r.normal(size=(2, 3)), "relevance": [[0, 1, 0], [2, 0, 1]]}, None,
                                 status=LABEL_OUT_OF_RANGE))
        cases.append(metric_case("r_precision", "defaults", dtype,
                                 {"scores": r.normal(size=(6, 7)), "relevance": (r.uniform(size=(6, 7)) < 0.5)},
                                 reference("mean"), defaults=True))
    return cases


def r_precision_embeddings_reference(reduction):
    """AttnGAN's evaluation in float64: torch's cosine_similarity of each image with its K
    captions, then R-precision with the true caption (index 0) the one relevant candidate,
    through r_precision_rows (a stable argsort: a tie with caption 0 leaves it first)."""
    def reference(a, s):
        image, text = t64(a["image"]), t64(a["text"])
        eps = s.get("eps", 1e-8)
        sims = torch.nn.functional.cosine_similarity(image[:, None, :], text, dim=-1, eps=eps).numpy()
        sims = sims.reshape(text.shape[0], text.shape[1])
        relevance = np.zeros(sims.shape, np.int64)
        relevance[:, :1] = 1
        values = r_precision_rows(sims, relevance)
        if sims.shape[1] == 0:
            values = np.zeros(sims.shape[0])  # no caption: a miss
        return r_precision_reduce(values, reduction)
    return reference


def r_precision_embeddings_cases():
    """r_precision_embeddings on noisy true captions (mostly hits) and unrelated ones in every
    reduction, candidates identical to the true caption (ties: hits), zero vectors (every
    cosine 0 under the eps clamp: a tie, a hit), a larger eps, K = 1, N = 0, a NaN feature in a
    wrong caption and in the true one; refused: eps = 0; and the defaults."""
    r = rng_rprec

    def captions(n, k, d, noise):
        image = r.normal(size=(n, d))
        text = r.normal(size=(n, k, d))
        text[:, 0] = image + noise * r.normal(size=(n, d))
        return image, text

    image, text = captions(10, 5, 4, 0.8)
    tied_image, tied = captions(4, 4, 3, 0.3)
    tied[:, 2] = tied[:, 0]  # exact copies of the true caption
    zero_image = np.zeros((3, 4))
    zero_image[2] = 1.0
    zero_text = np.zeros((3, 3, 4))
    nan_image, nan_text = captions(3, 4, 3, 0.1)
    nan_text[0, 2, 1] = np.nan
    nan_text[1, 0, 0] = np.nan
    plans = [
        ("noisy", {"image": image, "text": text}, {}, ("mean", "sum", "none")),
        ("unrelated", {"image": r.normal(size=(12, 5)), "text": r.normal(size=(12, 6, 5))}, {}, ("mean", "none")),
        ("ties_with_true", {"image": tied_image, "text": tied}, {}, ("none",)),
        ("zero_vectors", {"image": zero_image, "text": zero_text}, {}, ("none",)),
        ("eps_large", {"image": image[:4] * 1e-3, "text": text[:4] * 1e-3}, {"eps": 1e-2}, ("none",)),
        ("k_one", {"image": r.normal(size=(3, 4)), "text": r.normal(size=(3, 1, 4))}, {}, ("mean",)),
        ("empty", {"image": np.zeros((0, 4)), "text": np.zeros((0, 3, 4))}, {}, ("mean", "sum", "none")),
        ("nan_features", {"image": nan_image, "text": nan_text}, {}, ("none",)),
    ]
    cases = []
    for dtype in ("f32", "f64"):
        for label, arrays, scalars, reductions in plans:
            for reduction in reductions:
                scalars = {"eps": 1e-8, **scalars}
                cases.append(metric_case("r_precision_embeddings", f"{label}_{reduction}", dtype, arrays,
                                         r_precision_embeddings_reference(reduction), scalars, reduction=reduction))
        cases.append(metric_case("r_precision_embeddings", "eps_zero", dtype, {"image": image, "text": text}, None,
                                 {"eps": 0.0}, status=INVALID_ARGUMENT))
        cases.append(metric_case("r_precision_embeddings", "defaults", dtype,
                                 {"image": image[:7], "text": text[:7]}, r_precision_embeddings_reference("mean"),
                                 defaults=True))
    return cases


def metrics():
    return {"wasserstein_distance": wasserstein_cases(), "inception_score": inception_cases(),
            "fid_from_stats": fid_from_stats_cases(), "fid": fid_cases(), "r_precision": r_precision_cases(),
            "r_precision_embeddings": r_precision_embeddings_cases()}


# ---- Retrieval: AttnGAN's DAMSM ------------------------------------------------------------
#
# The reference is AttnGAN's own code transcribed into torch (Tests/vectors/attngan.py, which says
# what the transcription changes), run in float64 with autograd for the gradients.

DAMSM_DEFAULTS = {"gamma1": 4.0, "gamma2": 5.0, "gamma3": 10.0}  # AttnGAN's cfg/DAMSM/*.yml
DAMSM_TOLERANCE = {"f32": (2e-6, 1e-30, 16 * 2.0**-23), "f64": (1e-11, 1e-300, 1e-13)}
DAMSM_INPUTS = {"damsm_words_loss": ("img_features", "words_emb"), "damsm_sentence_loss": ("img_global", "sent_emb")}


def damsm_case(loss, label, dtype, reduction, arrays, scalars, go=None, status=0, defaults=False):
    """A DAMSM case: AttnGAN's code above in float64, autograd for both features' gradients."""
    cast = NP_DTYPE[dtype]
    c = row_loss_case(loss, label, dtype, reduction, arrays, scalars, go, status, defaults, DAMSM_TOLERANCE[dtype])
    if status:
        return c
    p = dict(DAMSM_DEFAULTS, **scalars)
    names = DAMSM_INPUTS[loss]
    a, b = (t64(c.arrays[k]).requires_grad_(True) for k in names)
    classes = c.arrays["class_ids"].astype(np.int64) if "class_ids" in c.arrays else None
    n = a.shape[0]
    if n == 0:  # the code cannot run on no sample; nn.CrossEntropyLoss's mean of nothing is NaN
        per = (a.sum() + b.sum()) * torch.zeros(0, dtype=torch.float64)
    elif loss == "damsm_words_loss":
        lengths = c.arrays["cap_lens"].astype(np.int64)
        per = attngan_per_sample(attngan_words_scores(a, b, lengths, classes, p["gamma1"], p["gamma2"], p["gamma3"]))
    else:
        per = attngan_per_sample(attngan_sent_scores(a, b, classes, p["gamma3"]))
    value = per if reduction == "none" else per.mean() if reduction == "mean" else per.sum()
    upstream = torch.ones_like(value) if go is None else t64(c.arrays["grad_output"]).reshape(value.shape)
    grads = torch.autograd.grad(value, (a, b), upstream, allow_unused=True) if n else (None, None)
    c.expect = {"out": np.asarray(value.detach().numpy(), dtype=cast)}
    for name, t, grad in zip(names, (a, b), grads):
        c.expect["grad_" + name] = np.asarray((torch.zeros_like(t) if grad is None else grad).numpy(), dtype=cast)
    return c


def damsm_cases():
    """Both DAMSM losses: random features with captions of every length, class masks (some
    pairs, every pair), one word per caption, one sample, zero feature vectors (the clamp of the
    cosine active), other gammas (gamma1 = 5, config.py's default), an empty batch; caption
    lengths out of 1..T and non-finite gammas refused; the defaults."""
    r = rng_damsm
    upstream = lambda reduction, n: (r.normal(size=n) if reduction == "none"
                                     else np.array([-1.5]) if reduction == "sum" else None)

    def words(n, d, regions, t, lengths=None, classes=None):
        a = {"img_features": r.normal(size=(n, d, regions)), "words_emb": r.normal(size=(n, d, t)),
             "cap_lens": r.integers(1, t + 1, size=n) if lengths is None else np.asarray(lengths)}
        if classes is not None:
            a["class_ids"] = np.asarray(classes)
        return a

    def sentences(n, d, classes=None):
        a = {"img_global": r.normal(size=(n, d)), "sent_emb": r.normal(size=(n, d))}
        if classes is not None:
            a["class_ids"] = np.asarray(classes)
        return a

    def zeroed(a, first, second):
        a[first][1] = 0.0
        if second == "words_emb":
            a[second][0, :, 0] = 0.0
            a[second][2] = 0.0
        else:
            a[second][2] = 0.0
        return a

    files = {"damsm_words_loss": [], "damsm_sentence_loss": []}
    for dtype in ("f32", "f64"):
        for reduction in ("none", "mean", "sum"):
            for label, make, scalars in (
                    ("random", lambda: words(4, 6, 9, 5, lengths=[5, 2, 3, 1]), {}),
                    ("classes", lambda: words(5, 4, 6, 4, classes=[3, 1, 3, 7, 1]), {}),
                    ("all_same_class", lambda: words(3, 4, 5, 3, classes=[2, 2, 2]), {}),
                    ("length_one", lambda: words(3, 5, 6, 4, lengths=[1, 1, 1]), {}),
                    ("one_sample", lambda: words(1, 4, 6, 3), {}),
                    ("zero_features", lambda: zeroed(words(3, 4, 6, 3, lengths=[3, 2, 3]), "img_features",
                                                     "words_emb"), {}),
                    ("gammas", lambda: words(4, 5, 8, 4), {"gamma1": 5.0, "gamma2": 3.0, "gamma3": 2.0}),
                    ("regions_17x17", lambda: words(2, 8, 289, 6), {}),
                    ("empty_batch", lambda: words(0, 4, 6, 3), {})):
                arrays = make()
                full = dict(DAMSM_DEFAULTS, **scalars)
                files["damsm_words_loss"].append(damsm_case("damsm_words_loss", f"{label}_{reduction}", dtype,
                                                            reduction, arrays, full, upstream(reduction, len(arrays["cap_lens"]))))
            for label, make, scalars in (
                    ("random", lambda: sentences(5, 7), {}),
                    ("classes", lambda: sentences(5, 4, classes=[3, 1, 3, 7, 1]), {}),
                    ("all_same_class", lambda: sentences(3, 4, classes=[2, 2, 2]), {}),
                    ("one_sample", lambda: sentences(1, 4), {}),
                    ("zero_features", lambda: zeroed(sentences(3, 4), "img_global", "sent_emb"), {}),
                    ("gamma3", lambda: sentences(4, 6), {"gamma3": 2.5}),
                    ("empty_batch", lambda: sentences(0, 4), {})):
                arrays = make()
                full = {"gamma3": DAMSM_DEFAULTS["gamma3"], **scalars}
                files["damsm_sentence_loss"].append(damsm_case("damsm_sentence_loss", f"{label}_{reduction}", dtype,
                                                               reduction, arrays, full,
                                                               upstream(reduction, arrays["img_global"].shape[0])))
        good = words(2, 3, 4, 3, lengths=[3, 1])
        for label, lengths, scalars, status in (
                ("cap_len_zero", [3, 0], {}, LABEL_OUT_OF_RANGE),
                ("cap_len_negative", [-1, 2], {}, LABEL_OUT_OF_RANGE),
                ("cap_len_beyond_t", [3, 4], {}, LABEL_OUT_OF_RANGE),
                ("gamma1_nan", [3, 1], {"gamma1": math.nan}, INVALID_ARGUMENT),
                ("gamma2_inf", [3, 1], {"gamma2": math.inf}, INVALID_ARGUMENT),
                ("gamma3_nan", [3, 1], {"gamma3": math.nan}, INVALID_ARGUMENT)):
            arrays = dict(good, cap_lens=np.asarray(lengths))
            files["damsm_words_loss"].append(damsm_case("damsm_words_loss", f"invalid_{label}", dtype, "mean", arrays,
                                                        dict(DAMSM_DEFAULTS, **scalars), status=status))
        for label, value in (("gamma3_nan", math.nan), ("gamma3_inf", -math.inf)):
            files["damsm_sentence_loss"].append(damsm_case("damsm_sentence_loss", f"invalid_{label}", dtype, "mean",
                                                           sentences(2, 3), {"gamma3": value},
                                                           status=INVALID_ARGUMENT))
        files["damsm_words_loss"].append(damsm_case("damsm_words_loss", "defaults", dtype, "mean",
                                                    words(4, 6, 9, 5), {}, defaults=True))
        files["damsm_sentence_loss"].append(damsm_case("damsm_sentence_loss", "defaults", dtype, "mean",
                                                       sentences(4, 6), {}, defaults=True))
    return files


def pt_case(loss, label, dtype, reduction, arrays, scalars, formula, names, go=None, status=0, defaults=False,
            expect_out=True):
    """A case of the rest of PyTorch's set: `formula(*tensors, reduction)` in float64 torch with
    autograd for the tensors of `names` (its gradients named grad_<name>); `expect_out` False for a
    target gradient, which expects grad_target alone."""
    cast = NP_DTYPE[dtype]
    c = row_loss_case(loss, label, dtype, reduction, arrays, scalars, go, status, defaults, PAIR_TOLERANCE[dtype])
    if status:
        return c
    inputs = {k: t64(v).requires_grad_(k in names) for k, v in c.arrays.items() if k != "grad_output"}
    value = formula(inputs, "mean" if defaults else reduction)
    upstream = torch.ones_like(value) if go is None else t64(c.arrays["grad_output"]).reshape(value.shape)
    grads = torch.autograd.grad(value, [inputs[k] for k in names], upstream, allow_unused=True)
    c.expect = {"out": np.asarray(value.detach().numpy(), dtype=cast)} if expect_out else {}
    for name, grad in zip(names, grads):
        c.expect[f"grad_{name}"] = np.asarray((torch.zeros_like(inputs[name]) if grad is None else grad).numpy(),
                                              dtype=cast)
    return c


def poisson_formula(scalars, defaults=False):
    def formula(a, reduction):
        if defaults:
            return F.poisson_nll_loss(a["input"], a["target"])
        return F.poisson_nll_loss(a["input"], a["target"], log_input=bool(scalars["log_input"]),
                                  full=bool(scalars["full"]), eps=scalars["eps"], reduction=reduction)
    return formula


def poisson_target_formula(scalars, defaults=False):
    """poisson_nll_loss with Stirling's masked term behind a double where, so that its derivative
    w.r.t. the target is 0 where t <= 1 (F.poisson_nll_loss's autograd gives NaN at t <= 0; the
    two agree wherever every target is positive: checked)."""
    log_input = True if defaults else bool(scalars["log_input"])
    full = False if defaults else bool(scalars["full"])
    eps = 1e-8 if defaults else scalars["eps"]

    def formula(a, reduction):
        x, t = a["input"], a["target"]
        per = torch.exp(x) - t * x if log_input else x - t * torch.log(x + eps)
        if full:
            keep = t > 1
            safe = torch.where(keep, t, torch.full_like(t, 2.0))
            per = per + torch.where(keep, safe * torch.log(safe) - safe + 0.5 * torch.log(2 * math.pi * safe),
                                    torch.zeros_like(t))
        return reduce_torch(per, reduction)
    return formula


def gaussian_formula(scalars, defaults=False):
    def formula(a, reduction):
        if defaults:
            return F.gaussian_nll_loss(a["input"], a["target"], a["var"])
        return F.gaussian_nll_loss(a["input"], a["target"], a["var"], full=bool(scalars["full"]), eps=scalars["eps"],
                                   reduction=reduction)
    return formula


def multilabel_margin_formula(defaults=False):
    """F.multilabel_margin_loss; its mean and sum of an empty batch are undefined in PyTorch
    (uninitialised memory): the empty sum, 0, and the mean 0/0 = NaN are expected there."""
    def formula(a, reduction):
        x, y = a["input"], a["target"].detach().to(torch.int64)
        if defaults:
            return F.multilabel_margin_loss(x, y)
        if reduction in ("mean", "sum") and x.ndim == 2 and x.shape[0] == 0:
            return x.sum() / 0.0 if reduction == "mean" else x.sum()
        return F.multilabel_margin_loss(x, y, reduction=reduction)
    return formula


def soft_margin_formula(defaults=False):
    def formula(a, reduction):
        w = a.get("weight")
        if defaults:
            return F.multilabel_soft_margin_loss(a["input"], a["target"])
        return F.multilabel_soft_margin_loss(a["input"], a["target"], weight=w, reduction=reduction)
    return formula


def pytorch_rest():
    """poisson_nll_loss (F.poisson_nll_loss in float64 with autograd): log-rates and rates, full
    with targets of 0, 1 (Stirling's term masked) and above, huge and tiny inputs (exp overflowing to
    inf), x + eps = 0 with eps 0, empty input, invalid eps; its target gradient from the double-where
    formula (0 where t <= 1), checked against F's where every target is positive.
    gaussian_nll_loss (F.gaussian_nll_loss): var per element and per row (one dimension short, and a
    last dimension of 1 stored as one per row), full, var below eps and 0 (clamped; the var gradient
    at the clamped value, as F's), large residuals, d = 1, empty batch, a negative var, invalid eps.
    multilabel_margin_loss (F.multilabel_margin_loss): rows ending at -1, rows of no -1, all -1
    rows, repeated targets, one sample (C), C = 1, a NaN score, empty batch (mean NaN), labels out of
    range before and after the first -1 (PyTorch refuses both). multilabel_soft_margin_loss
    (F.multilabel_soft_margin_loss): 0/1 and soft targets, class weights, scores of +-1000, one
    sample, C = 1, empty batch; its target gradient by autograd. Defaults for each."""
    r = rng_pt
    upstream = lambda reduction, shape: (r.normal(size=shape) if reduction == "none"
                                         else np.array(-1.5) if reduction == "sum" else None)
    files = {k: [] for k in ("poisson_nll_loss", "poisson_nll_loss_grad_target", "gaussian_nll_loss",
                             "multilabel_margin_loss", "multilabel_soft_margin_loss",
                             "multilabel_soft_margin_loss_grad_target")}
    counts = lambda *shape: r.poisson(3.0, size=shape).astype(np.float64)
    for dtype in ("f32", "f64"):
        # poisson_nll_loss and its target gradient.
        for reduction in ("none", "mean", "sum"):
            for label, make, log_input, full, eps in (
                    ("log_input", lambda: {"input": r.normal(size=(4, 5)), "target": counts(4, 5)}, 1, 0, 1e-8),
                    ("rates", lambda: {"input": r.uniform(0.1, 5, size=(4, 5)), "target": counts(4, 5)}, 0, 0, 1e-8),
                    ("full", lambda: {"input": r.normal(size=9),
                                      "target": np.array([0.0, 1.0, 0.5, 2.0, 1.5, 7.0, 30.0, 1.0, 0.0])}, 1, 1, 1e-8),
                    ("full_rates", lambda: {"input": r.uniform(0.1, 5, size=8),
                                            "target": np.array([0.0, 1.0, 0.25, 2.0, 3.0, 11.0, 1.0 + 2**-20, 4.0])},
                     0, 1, 1e-8),
                    ("eps_large", lambda: {"input": r.uniform(0, 2, size=6), "target": counts(6)}, 0, 0, 0.5),
                    ("huge_tiny", lambda: {"input": np.array([80.0, -80.0, 300.0, -300.0, 1e-30, 0.0]),
                                           "target": np.array([1.0, 2.0, 0.0, 5.0, 3.0, 0.0])}, 1, 1, 1e-8),
                    ("tiny_rates", lambda: {"input": np.array([1e-30, 0.0, 1e-6, 1e30]),
                                            "target": np.array([2.0, 1.0, 0.0, 3.0])}, 0, 0, 1e-8),
                    ("eps_zero", lambda: {"input": np.array([0.0, 0.5, 2.0]), "target": np.array([1.0, 0.0, 2.0])},
                     0, 0, 0.0),
                    ("empty", lambda: {"input": np.zeros(0), "target": np.zeros(0)}, 1, 0, 1e-8)):
                arrays = make()
                go = upstream(reduction, arrays["input"].shape)
                scalars = {"log_input": float(log_input), "full": float(full), "eps": eps}
                name = f"{label}_{reduction}"
                files["poisson_nll_loss"].append(pt_case("poisson_nll_loss", name, dtype, reduction, arrays, scalars,
                                                         poisson_formula(scalars), ("input",), go))
                c = pt_case("poisson_nll_loss_grad_target", name, dtype, reduction, arrays, scalars,
                            poisson_target_formula(scalars), ("target",), go, expect_out=False)
                if (c.arrays["target"] > 0).all() and np.isfinite(c.expect["grad_target"]).all():
                    anchor = pt_case("poisson_nll_loss", name, dtype, reduction, arrays, scalars,
                                     poisson_formula(scalars), ("target",), go)
                    assert np.allclose(anchor.expect["grad_target"], c.expect["grad_target"], rtol=1e-6), name
                files["poisson_nll_loss_grad_target"].append(c)
        for label, scalars in (("eps_negative", {"eps": -1e-8}), ("eps_nan", {"eps": float("nan")}),
                               ("eps_inf", {"eps": float("inf")})):
            scalars = {"log_input": 0.0, "full": 0.0, **scalars}
            for loss in ("poisson_nll_loss", "poisson_nll_loss_grad_target"):
                files[loss].append(pt_case(loss, label, dtype, "mean", {"input": np.ones(3), "target": np.ones(3)},
                                           scalars, None, (), status=INVALID_ARGUMENT))
        arrays = {"input": r.normal(size=(3, 4)), "target": counts(3, 4)}
        files["poisson_nll_loss"].append(pt_case("poisson_nll_loss", "defaults", dtype, "mean", arrays, {},
                                                 poisson_formula({}, True), ("input",), defaults=True))
        files["poisson_nll_loss_grad_target"].append(pt_case(
            "poisson_nll_loss_grad_target", "defaults", dtype, "mean", arrays, {}, poisson_target_formula({}, True),
            ("target",), defaults=True, expect_out=False))

        # gaussian_nll_loss: var per element (var_per_row 0) or per row (1).
        for reduction in ("none", "mean", "sum"):
            for label, make, per_row, full, eps in (
                    ("per_element", lambda: {"input": r.normal(size=(4, 3)), "target": r.normal(size=(4, 3)),
                                             "var": r.uniform(0.1, 3, size=(4, 3))}, 0, 0, 1e-6),
                    ("per_row", lambda: {"input": r.normal(size=(5, 3)), "target": r.normal(size=(5, 3)),
                                         "var": r.uniform(0.1, 3, size=5)}, 1, 0, 1e-6),
                    ("last_dim_one", lambda: {"input": r.normal(size=(4, 6)), "target": r.normal(size=(4, 6)),
                                              "var": r.uniform(0.1, 3, size=(4, 1))}, 1, 1, 1e-6),
                    ("full", lambda: {"input": r.normal(size=(3, 4)), "target": r.normal(size=(3, 4)),
                                      "var": r.uniform(0.1, 3, size=(3, 4))}, 0, 1, 1e-6),
                    ("below_eps", lambda: {"input": r.normal(size=(2, 4)), "target": r.normal(size=(2, 4)),
                                           "var": np.array([[1e-9, 0.0, 1e-6, 2e-6], [0.0, 5e-7, 1.0, 1e-12]])},
                     0, 0, 1e-6),
                    ("below_eps_per_row", lambda: {"input": r.normal(size=(3, 2)), "target": r.normal(size=(3, 2)),
                                                   "var": np.array([0.0, 1e-8, 0.5])}, 1, 0, 1e-6),
                    ("eps_large", lambda: {"input": r.normal(size=(3, 3)), "target": r.normal(size=(3, 3)),
                                           "var": r.uniform(0, 1, size=(3, 3))}, 0, 1, 0.5),
                    ("large", lambda: {"input": r.normal(size=(2, 3)) * 1e6, "target": r.normal(size=(2, 3)),
                                       "var": np.array([[1e-3, 1e12, 1.0], [1e30, 2.0, 1e-2]])}, 0, 0, 1e-6),
                    ("one_column", lambda: {"input": r.normal(size=(5, 1)), "target": r.normal(size=(5, 1)),
                                            "var": r.uniform(0.1, 2, size=5)}, 1, 0, 1e-6),
                    ("flat", lambda: {"input": r.normal(size=7), "target": r.normal(size=7),
                                      "var": r.uniform(0.1, 2, size=7)}, 0, 0, 1e-6),
                    ("empty", lambda: {"input": np.zeros((0, 3)), "target": np.zeros((0, 3)), "var": np.zeros(0)},
                     1, 0, 1e-6)):
                arrays = make()
                go = upstream(reduction, arrays["input"].shape)
                scalars = {"var_per_row": float(per_row), "full": float(full), "eps": eps}
                c = pt_case("gaussian_nll_loss", f"{label}_{reduction}", dtype, reduction, arrays, scalars,
                            gaussian_formula(scalars), ("input", "var"), go)
                if per_row:  # one variance per row, as the C interface takes it
                    c.arrays["var"] = c.arrays["var"].reshape(-1)
                    c.expect["grad_var"] = c.expect["grad_var"].reshape(-1)
                files["gaussian_nll_loss"].append(c)
        for label, arrays, scalars in (
                ("negative_var", {"input": np.ones((2, 2)), "target": np.zeros((2, 2)),
                                  "var": np.array([[1.0, -1e-3], [1.0, 1.0]])}, {"eps": 1e-6}),
                ("nan_var", {"input": np.ones((2, 2)), "target": np.zeros((2, 2)),
                             "var": np.array([[1.0, np.nan], [1.0, 1.0]])}, {"eps": 1e-6}),
                ("eps_zero", {"input": np.ones((2, 2)), "target": np.zeros((2, 2)), "var": np.ones((2, 2))},
                 {"eps": 0.0}),
                ("eps_nan", {"input": np.ones((2, 2)), "target": np.zeros((2, 2)), "var": np.ones((2, 2))},
                 {"eps": float("nan")})):
            files["gaussian_nll_loss"].append(pt_case("gaussian_nll_loss", label, dtype, "mean", arrays,
                                                      {"var_per_row": 0.0, "full": 0.0, **scalars}, None, (),
                                                      status=INVALID_ARGUMENT))
        arrays = {"input": r.normal(size=(4, 3)), "target": r.normal(size=(4, 3)), "var": r.uniform(0.2, 2, size=(4, 3))}
        files["gaussian_nll_loss"].append(pt_case("gaussian_nll_loss", "defaults", dtype, "mean", arrays, {},
                                                  gaussian_formula({}, True), ("input", "var"), defaults=True))

        # multilabel_margin_loss.
        for reduction in ("none", "mean", "sum"):
            for label, make in (
                    ("rows", lambda: {"input": r.normal(size=(4, 5)),
                                      "target": np.array([[3, 0, -1, 1, 4], [1, 2, 4, -1, -1], [0, 1, 2, 3, 4],
                                                          [-1, 2, 3, 0, 0]])}),
                    ("repeated", lambda: {"input": r.normal(size=(2, 4)),
                                          "target": np.array([[3, 3, -1, 0], [1, 0, 1, -1]])}),
                    ("all_minus_one", lambda: {"input": r.normal(size=(3, 3)), "target": np.full((3, 3), -1)}),
                    ("one_sample", lambda: {"input": r.normal(size=6), "target": np.array([5, 2, -1, 0, 0, 0])}),
                    ("one_class", lambda: {"input": r.normal(size=(3, 1)), "target": np.array([[0], [-1], [0]])}),
                    ("margins", lambda: {"input": np.array([[0.0, 1.0, 0.5, 2.0], [1e4, -1e4, 0.0, 3.0]]),
                                         "target": np.array([[1, -1, 0, 0], [0, 2, -1, 1]])}),
                    ("nan", lambda: {"input": np.array([[0.2, np.nan, 0.1], [0.3, 0.4, 0.5]]),
                                     "target": np.array([[0, -1, 0], [2, -1, 0]])}),
                    ("empty", lambda: {"input": np.zeros((0, 3)), "target": np.zeros((0, 3))})):
                arrays = make()
                go = upstream(reduction, arrays["input"].shape[:-1])
                files["multilabel_margin_loss"].append(pt_case(
                    "multilabel_margin_loss", f"{label}_{reduction}", dtype, reduction, arrays, {},
                    multilabel_margin_formula(), ("input",), go))
        for label, target in (("label_equals_c", [[0, 3, -1], [1, -1, 0]]), ("label_below_minus_one", [[0, -2, -1], [1, -1, 0]]),
                              ("after_terminator", [[0, -1, 5], [1, -1, 0]])):
            files["multilabel_margin_loss"].append(pt_case(
                "multilabel_margin_loss", label, dtype, "mean", {"input": np.zeros((2, 3)), "target": np.array(target)},
                {}, None, (), status=LABEL_OUT_OF_RANGE))
        arrays = {"input": r.normal(size=(3, 4)), "target": np.array([[1, 3, -1, 0], [0, -1, 2, 2], [2, 1, 0, 3]])}
        files["multilabel_margin_loss"].append(pt_case("multilabel_margin_loss", "defaults", dtype, "mean", arrays,
                                                       {}, multilabel_margin_formula(True), ("input",), defaults=True))

        # multilabel_soft_margin_loss and its target gradient.
        for reduction in ("none", "mean", "sum"):
            for label, make in (
                    ("binary", lambda: {"input": r.normal(size=(4, 5)) * 2, "target": (r.uniform(size=(4, 5)) > .5) * 1.0}),
                    ("weighted", lambda: {"input": r.normal(size=(3, 4)) * 2, "target": (r.uniform(size=(3, 4)) > .5) * 1.0,
                                          "weight": r.uniform(0, 2, size=4)}),
                    ("soft", lambda: {"input": r.normal(size=(3, 4)), "target": r.uniform(size=(3, 4))}),
                    ("extreme", lambda: {"input": np.array([[1000.0, -1000.0, 40.0], [-40.0, 1e-20, 0.0]]),
                                         "target": np.array([[0.0, 1.0, 1.0], [0.0, 1.0, 0.5]])}),
                    ("one_sample", lambda: {"input": r.normal(size=5), "target": (r.uniform(size=5) > .5) * 1.0}),
                    ("one_class", lambda: {"input": r.normal(size=(4, 1)), "target": (r.uniform(size=(4, 1)) > .5) * 1.0}),
                    ("empty", lambda: {"input": np.zeros((0, 3)), "target": np.zeros((0, 3))})):
                arrays = make()
                go = upstream(reduction, arrays["input"].shape[:-1])
                name = f"{label}_{reduction}"
                files["multilabel_soft_margin_loss"].append(pt_case(
                    "multilabel_soft_margin_loss", name, dtype, reduction, arrays, {}, soft_margin_formula(),
                    ("input",), go))
                files["multilabel_soft_margin_loss_grad_target"].append(pt_case(
                    "multilabel_soft_margin_loss_grad_target", name, dtype, reduction, arrays, {},
                    soft_margin_formula(), ("target",), go, expect_out=False))
        arrays = {"input": r.normal(size=(3, 4)), "target": (r.uniform(size=(3, 4)) > .5) * 1.0}
        for loss, names, out in (("multilabel_soft_margin_loss", ("input",), True),
                                 ("multilabel_soft_margin_loss_grad_target", ("target",), False)):
            files[loss].append(pt_case(loss, "defaults", dtype, "mean", arrays, {}, soft_margin_formula(True), names,
                                       defaults=True, expect_out=out))
    return files
# ---- Sequences: CTC -------------------------------------------------------------------------
#
# The value is PyTorch's F.ctc_loss in float64. The gradient is the true partial derivative
# w.r.t. log_probs (what liblosses returns; PyTorch's kernel returns exp(lp) - gamma), from torch
# autograd through the alpha recursion written below in torch ops, in float64; the recursion's value
# is checked against F.ctc_loss, and, for float64 log_softmax inputs, log_softmax's backward of its
# gradient against F.ctc_loss's gradient w.r.t. the logits.

CTC_TOLERANCE = {"f32": (2e-6, 1e-30, 16 * 2.0**-23), "f64": (1e-12, 1e-300, 1e-13)}
CTC_DEFAULTS = {"blank": 0, "zero_infinity": 0}


def ctc_alpha_loss(lp, labels, blank):
    """-log p(labels | lp) for one sample, lp (T, C) a float64 tensor, by the alpha recursion in
    torch ops; states no path reaches are None (no -inf enters autograd). None when impossible."""
    ext = [blank]
    for label in labels:
        ext += [int(label), blank]
    states, frames = len(ext), lp.shape[0]
    if frames == 0:
        return torch.zeros((), dtype=torch.float64) if not labels else None
    alpha = [lp[0, ext[0]]] + ([lp[0, ext[1]]] if states > 1 else []) + [None] * (states - 2)
    for t in range(1, frames):
        new = []
        for s in range(states):
            terms = [alpha[s]] + ([alpha[s - 1]] if s >= 1 else [])
            if s >= 2 and ext[s] != blank and ext[s] != ext[s - 2]:
                terms.append(alpha[s - 2])
            terms = [x for x in terms if x is not None]
            new.append(torch.logsumexp(torch.stack(terms), 0) + lp[t, ext[s]] if terms else None)
        alpha = new
    ends = [x for x in alpha[-2:] if x is not None]
    return -torch.logsumexp(torch.stack(ends), 0) if ends else None


def ctc_sample_labels(targets, target_lengths, b):
    if targets.ndim == 2:
        return [int(v) for v in targets[b, :int(target_lengths[b])]]
    start = int(target_lengths[:b].sum())
    return [int(v) for v in targets[start:start + int(target_lengths[b])]]


def ctc_reference(arrays, scalars, reduction, go):
    """(out, grad_log_probs) of ctc_loss in float64 for the case's arrays."""
    blank, zero_infinity = int(scalars.get("blank", 0)), bool(scalars.get("zero_infinity", 0))
    lp = arrays["log_probs"]
    targets = arrays["targets"].astype(np.int64)
    il, tl = arrays["input_lengths"].astype(np.int64), arrays["target_lengths"].astype(np.int64)
    n = lp.shape[1]
    per, grads = np.zeros(n), np.zeros((n,) + lp.shape)
    for b in range(n):
        x = t64(lp[:int(il[b]), b]).requires_grad_(True)
        loss = ctc_alpha_loss(x, ctc_sample_labels(targets, tl, b), blank)
        if loss is None:  # impossible: +inf, NaN gradient rows t < T (PyTorch), or 0 and 0
            per[b] = 0.0 if zero_infinity else math.inf
            if not zero_infinity:
                grads[b, :int(il[b]), b] = math.nan
            continue
        per[b] = loss.item()
        if il[b] > 0 and loss.requires_grad:
            grads[b, :int(il[b]), b] = torch.autograd.grad(loss, x)[0].numpy()
    # PyTorch refuses an empty batch; the library's is the empty sum (a NaN mean, a 0 sum).
    with torch.no_grad():
        torch_per = per if n == 0 else F.ctc_loss(
            t64(lp), torch.from_numpy(targets), torch.from_numpy(il), torch.from_numpy(tl), blank=blank,
            reduction="none", zero_infinity=zero_infinity).numpy()
    assert np.allclose(per, torch_per, rtol=1e-12, atol=1e-12, equal_nan=True), (per, torch_per)
    if reduction == "none":
        out, weights = torch_per, (np.ones(n) if go is None else np.asarray(go, dtype=np.float64))
    elif reduction == "sum":
        out, weights = torch_per.sum(), np.full(n, 1.0 if go is None else float(np.asarray(go).ravel()[0]))
    else:
        scale = np.maximum(tl, 1).astype(np.float64)
        out = (torch_per / scale).mean() if n else math.nan
        weights = (1.0 if go is None else float(np.asarray(go).ravel()[0])) / (scale * n) if n else np.zeros(0)
    grad = np.zeros(lp.shape)
    for b in range(n):
        if np.isnan(grads[b]).any():
            grad[:, b] = grads[b][:, b]  # NaN rows t < T whatever the weight, as PyTorch
        else:
            grad += weights[b] * grads[b]
    return out, grad


def ctc_check_logits(arrays, scalars, reduction, grad):
    """For float64 log_softmax inputs: log_softmax's backward of `grad` is F.ctc_loss's gradient
    w.r.t. the logits (PyTorch's exp(lp) - gamma and the true -gamma agree there)."""
    lp = t64(arrays["log_probs"])
    if lp.numel() == 0:
        return
    logits = lp.clone().requires_grad_(True)  # log_softmax(lp) = lp for normalised rows
    loss = F.ctc_loss(F.log_softmax(logits, -1), torch.from_numpy(arrays["targets"].astype(np.int64)),
                      torch.from_numpy(arrays["input_lengths"].astype(np.int64)),
                      torch.from_numpy(arrays["target_lengths"].astype(np.int64)), blank=int(scalars.get("blank", 0)),
                      reduction=reduction, zero_infinity=bool(scalars.get("zero_infinity", 0)))
    if not torch.isfinite(loss).all() or loss.numel() == 0:
        return
    torch_grad = torch.autograd.grad(loss.sum(), logits)[0].numpy()
    g = torch.from_numpy(grad)
    ours = (g - lp.exp() * g.sum(-1, keepdim=True)).numpy()
    assert np.allclose(ours, torch_grad, rtol=1e-10, atol=1e-12), np.abs(ours - torch_grad).max()


def ctc_case(label, dtype, reduction, arrays, scalars, go=None, status=0, defaults=False):
    c = row_loss_case("ctc_loss", label, dtype, reduction, arrays, scalars, go, status, defaults,
                      CTC_TOLERANCE[dtype])
    for k in ("targets", "input_lengths", "target_lengths"):
        c.arrays[k] = np.asarray(arrays[k], dtype=np.float64)  # integers, exact
    if status:
        return c
    out, grad = ctc_reference(c.arrays, scalars, reduction, c.arrays.get("grad_output"))
    if dtype == "f64" and go is None:
        ctc_check_logits(c.arrays, scalars, reduction, grad)
    cast = NP_DTYPE[dtype]
    c.expect = {"out": np.asarray(out, dtype=cast), "grad_log_probs": np.asarray(grad, dtype=cast)}
    return c


def ctc_cases():
    """ctc_loss: padded and concatenated targets, blank not 0, repeated labels (with just enough
    frames), empty targets, zero input lengths, impossible alignments with and without
    zero_infinity, a long batch, every reduction and dtype; lengths, labels, blank and
    zero_infinity out of range refused; the defaults."""
    r = rng_ctc

    def problem(t, c, lengths, inputs, blank=0, concatenated=False, s=None, labels=None):
        n = len(lengths)
        s = max(lengths + [1]) + 1 if s is None else s
        x = r.normal(size=(t, n, c)) * 1.5
        lp = x - np.log(np.exp(x).sum(-1, keepdims=True))
        classes = [k for k in range(c) if k != blank]
        rows = np.array([[classes[i] for i in r.integers(0, len(classes), s)] for _ in range(n)], dtype=np.int64)
        if labels is not None:
            for b, row in enumerate(labels):
                rows[b, :len(row)] = row
        targets = np.concatenate([rows[b, :lengths[b]] for b in range(n)]) if concatenated else rows
        return {"log_probs": lp, "targets": targets, "input_lengths": np.asarray(inputs),
                "target_lengths": np.asarray(lengths)}

    plan = (
        ("padded", lambda: problem(12, 6, [5, 3, 1, 4], [12, 9, 12, 10]), {}),
        ("concatenated", lambda: problem(12, 6, [5, 3, 1, 4], [12, 9, 12, 10], concatenated=True), {}),
        ("blank_last", lambda: problem(10, 5, [3, 4, 2], [10, 8, 6], blank=4), {"blank": 4}),
        ("blank_middle_concatenated", lambda: problem(9, 5, [2, 3], [9, 7], blank=2, concatenated=True),
         {"blank": 2}),
        ("repeats", lambda: problem(7, 5, [3, 4, 2], [5, 7, 7], labels=[[2, 2, 2], [1, 1, 3, 3], [4, 4]]), {}),
        ("empty_target", lambda: problem(6, 4, [0, 2, 0], [6, 4, 3]), {}),
        ("zero_input_length", lambda: problem(5, 4, [0, 2, 1], [0, 5, 3]), {}),
        # [1, 1, 1] needs 5 frames (1 blank 1 blank 1) and has 4; [2, 2, 3] exactly its 4; [3, 1] 2 and has 1.
        ("impossible", lambda: problem(6, 4, [3, 3, 2], [4, 4, 1], labels=[[1, 1, 1], [2, 2, 3], [3, 1]]), {}),
        ("impossible_zero_infinity",
         lambda: problem(6, 4, [3, 3, 2], [4, 4, 1], labels=[[1, 1, 1], [2, 2, 3], [3, 1]]), {"zero_infinity": 1}),
        ("zero_input_zero_infinity", lambda: problem(5, 4, [1, 2], [0, 5]), {"zero_infinity": 1}),
        ("long", lambda: problem(50, 20, [15, 9, 1], [50, 41, 30]), {}),
        ("padding_wider", lambda: problem(8, 5, [2, 3], [8, 8], s=7), {}),
        ("empty_batch", lambda: problem(4, 3, [], [], s=2), {}),
    )
    cases = []
    for dtype in ("f32", "f64"):
        for reduction in ("none", "mean", "sum"):
            for label, make, scalars in plan:
                arrays = make()
                n = arrays["log_probs"].shape[1]
                go = r.normal(size=n) if reduction == "none" else np.array([-1.5]) if reduction == "sum" else None
                cases.append(ctc_case(f"{label}_{reduction}", dtype, reduction, arrays, dict(CTC_DEFAULTS, **scalars),
                                      go))
        good = problem(6, 4, [2, 1], [6, 5])
        for label, change, scalars, status in (
                ("input_length_beyond_t", {"input_lengths": np.array([7, 5])}, {}, LABEL_OUT_OF_RANGE),
                ("input_length_negative", {"input_lengths": np.array([6, -1])}, {}, LABEL_OUT_OF_RANGE),
                ("target_length_beyond_s", {"target_lengths": np.array([4, 1])}, {}, LABEL_OUT_OF_RANGE),
                ("target_length_negative", {"target_lengths": np.array([2, -1])}, {}, LABEL_OUT_OF_RANGE),
                ("label_beyond_c", {"targets": np.array([[1, 4, 1], [2, 2, 2]])}, {}, LABEL_OUT_OF_RANGE),
                ("label_negative", {"targets": np.array([[1, 2, 1], [-3, 2, 2]])}, {}, LABEL_OUT_OF_RANGE),
                ("label_is_blank", {"targets": np.array([[1, 0, 1], [2, 2, 2]])}, {}, LABEL_OUT_OF_RANGE),
                ("blank_beyond_c", {}, {"blank": 4}, INVALID_ARGUMENT),
                ("blank_negative", {}, {"blank": -1}, INVALID_ARGUMENT)):
            arrays = dict(good, **change)
            cases.append(ctc_case(f"invalid_{label}", dtype, "mean", arrays, dict(CTC_DEFAULTS, **scalars),
                                  status=status))
        # The defaults: blank 0, reduction 'mean', zero_infinity False, F.ctc_loss called without them.
        arrays = problem(10, 5, [4, 2, 3], [10, 9, 7])
        c = ctc_case("defaults", dtype, "mean", arrays, {}, defaults=True)
        with torch.no_grad():
            anchor = F.ctc_loss(t64(c.arrays["log_probs"]), torch.from_numpy(c.arrays["targets"].astype(np.int64)),
                                torch.from_numpy(c.arrays["input_lengths"].astype(np.int64)),
                                torch.from_numpy(c.arrays["target_lengths"].astype(np.int64))).item()
        assert abs(anchor - float(c.expect["out"])) <= 1e-6 * abs(anchor), (anchor, c.expect["out"])
        cases.append(c)
    return {"ctc_loss": cases}


TRIPLET_DISTANCE = {"euclidean": 0, "cosine": 1}


def triplet_distance_case(label, dtype, reduction, arrays, scalars, go=None, status=0, defaults=False):
    """A triplet_margin_with_distance_loss case: PyTorch's F.triplet_margin_with_distance_loss in
    float64 with distance_function None (its pairwise_distance) or 1 - F.cosine_similarity, autograd
    for the three gradients."""
    cast = NP_DTYPE[dtype]
    c = row_loss_case("triplet_margin_with_distance_loss", label, dtype, reduction, arrays, scalars, go, status,
                      defaults, PAIR_TOLERANCE[dtype])
    if status:
        return c
    rows = [t64(c.arrays[k]).requires_grad_(True) for k in ("anchor", "positive", "negative")]
    cosine = lambda x, y: 1.0 - F.cosine_similarity(x, y)
    kw = {} if defaults else {"distance_function": None if scalars["distance_function"] == 0 else cosine,
                              "margin": scalars["margin"], "swap": bool(scalars["swap"]), "reduction": reduction}
    value = F.triplet_margin_with_distance_loss(*rows, **kw)
    upstream = torch.ones_like(value) if go is None else t64(c.arrays["grad_output"]).reshape(value.shape)
    grads = torch.autograd.grad(value, rows, upstream, allow_unused=True)
    c.expect = {"out": np.asarray(value.detach().numpy(), dtype=cast)}
    for name, row, grad in zip(("grad_anchor", "grad_positive", "grad_negative"), rows, grads):
        c.expect[name] = np.asarray((torch.zeros_like(row) if grad is None else grad).numpy(), dtype=cast)
    return c


def triplet_distance_cases():
    """Both named distances at the default and another margin, swap where it changes the negative
    distance (never a tie: PyTorch splits a tie's gradient, liblosses takes the first), hinges all
    inactive, a zero row under the cosine (PyTorch's clamped norm), one column, a NaN row, empty
    rows, bad parameters (margin <= 0 or not finite, an unknown distance) and the defaults
    case."""
    r = rng_opt
    upstream = lambda reduction, n: (r.normal(size=n) if reduction == "none"
                                     else np.array([-1.5]) if reduction == "sum" else None)

    def rows(n, d, spread=1.0):
        a = r.normal(size=(n, d))
        return {"anchor": a, "positive": a + r.normal(size=(n, d)) * spread,
                "negative": a + r.normal(size=(n, d)) * spread * 1.3}

    def swapping(n, d):
        a = r.normal(size=(n, d))
        negative = a + r.normal(size=(n, d)) * 2.0
        positive = negative + r.normal(size=(n, d)) * 0.3
        return {"anchor": a, "positive": positive, "negative": negative}

    def with_zero(t, key, row):
        t[key][row] = 0.0
        return t

    def with_nan(t, key, at):
        t[key][at] = np.nan
        return t

    cases = []
    for dtype in ("f32", "f64"):
        for reduction in ("none", "mean", "sum"):
            for name, distance in TRIPLET_DISTANCE.items():
                base = {"distance_function": distance, "margin": 1.0, "swap": 0}
                for label, make, scalars in (
                        ("random", lambda: rows(6, 5), base),
                        ("margin", lambda: rows(6, 5), dict(base, margin=0.3)),
                        ("swap", lambda: swapping(6, 4), dict(base, swap=1)),
                        ("inactive", lambda: {"anchor": np.ones((3, 2)), "positive": np.ones((3, 2)),
                                              "negative": np.full((3, 2), -5.0)}, dict(base, margin=0.5)),
                        ("zero_anchor_row", lambda: with_zero(rows(4, 3), "anchor", 1), base),
                        ("zero_negative_row", lambda: with_zero(rows(4, 3), "negative", 2), base),
                        ("one_column", lambda: rows(5, 1), base),
                        ("nan_row", lambda: with_nan(rows(3, 4), "negative", (1, 2)), base),
                        ("empty_rows", lambda: {"anchor": np.zeros((0, 3)), "positive": np.zeros((0, 3)),
                                                "negative": np.zeros((0, 3))}, base)):
                    if name == "euclidean" and label == "zero_negative_row":
                        continue
                    arrays = make()
                    case_ = triplet_distance_case(f"{name}_{label}_{reduction}", dtype, reduction, arrays, scalars,
                                                  upstream(reduction, arrays["anchor"].shape[0]))
                    if name == "cosine" and label == "one_column":
                        # cos = ±1 exactly: the gradient is 0, which PyTorch computes as a
                        # difference of O(1) terms (a few 1e-16), as cosine_embedding_loss's case.
                        case_.atol = 1e-14
                    cases.append(case_)
        bad = {"anchor": np.zeros((2, 3)), "positive": np.zeros((2, 3)), "negative": np.ones((2, 3))}
        base = {"distance_function": 1, "margin": 1.0, "swap": 0}
        for label, scalars in (("margin_zero", dict(base, margin=0.0)), ("margin_negative", dict(base, margin=-1.0)),
                               ("margin_nan", dict(base, margin=math.nan)), ("margin_inf", dict(base, margin=math.inf)),
                               ("distance_unknown", dict(base, distance_function=2)),
                               ("distance_negative", dict(base, distance_function=-1))):
            cases.append(triplet_distance_case(f"invalid_{label}", dtype, "mean", bad, scalars,
                                               status=INVALID_ARGUMENT))
        cases.append(triplet_distance_case("defaults", dtype, "mean", rows(7, 6), {}, defaults=True))
    return cases


def optax_reference(name, arrays, go, reduction):
    """optax.losses.<name>(logits, labels) in float64 JAX: the unreduced values reduced as the
    case asks, and the gradient w.r.t. the logits by jax.grad of sum(upstream · reduced value)."""
    import jax
    jax.config.update("jax_enable_x64", True)
    import jax.numpy as jnp
    import optax
    fn = getattr(optax.losses, name)
    reduce = {"none": lambda v: v, "mean": jnp.mean, "sum": jnp.sum}[reduction]
    x, y = jnp.asarray(arrays["input"], jnp.float64), jnp.asarray(arrays["target"], jnp.float64)
    value = reduce(fn(x, y))
    upstream = jnp.ones_like(value) if go is None else jnp.asarray(go, jnp.float64).reshape(value.shape)
    grad = jax.grad(lambda z: jnp.sum(upstream * reduce(fn(z, y))))(x)
    return np.asarray(value), np.asarray(grad)


def optax_case(loss, label, dtype, reduction, arrays, go=None, defaults=False):
    """A case of an optax-anchored elementwise loss: its arrays exact in the dtype, the value and
    gradient from optax itself."""
    cast = NP_DTYPE[dtype]
    c = Case(loss, label, dtype)
    c.reduction, c.scalars, c.defaults = reduction, {}, defaults
    arrays = dict(arrays, **({"grad_output": go} if go is not None else {}))
    c.arrays = {k: np.asarray(v, dtype=cast).astype(np.float64) for k, v in arrays.items()}
    out, grad = optax_reference(loss, c.arrays, c.arrays.get("grad_output"), reduction)
    c.expect = {"out": np.asarray(out, dtype=cast), "grad_input": np.asarray(grad, dtype=cast)}
    c.rtol, c.atol = TOLERANCE[dtype]
    c.stol = 0.0
    return c


def sparsemax_cases():
    """optax's binary sparsemax loss, sparse_plus(-x) for a label 1 and sparse_plus(x) for 0:
    random logits across the three pieces, the joints x = ±1 and ±1 exactly (both labels), extreme
    logits (linear far out, 0 far in), labels other than 0 and 1 (optax reads any nonzero label
    as 1), NaN logits, one element, an empty input, and the defaults case (reduction 'mean', the
    library's default; optax's own output is 'none'). The loss has no parameter to refuse."""
    r = rng_opt
    bits = lambda n: (r.uniform(size=n) > 0.5).astype(np.float64)
    upstream = lambda reduction, n: (r.normal(size=n) if reduction == "none"
                                     else np.array([-1.5]) if reduction == "sum" else None)
    cases = []
    for dtype in ("f32", "f64"):
        for reduction in ("none", "mean", "sum"):
            for label, make in (
                    ("random", lambda: {"input": r.normal(size=13) * 1.5, "target": bits(13)}),
                    ("joints", lambda: {"input": np.array([-1.0, 1.0, -1.0, 1.0, 0.0, 0.0]),
                                        "target": np.array([0.0, 0.0, 1.0, 1.0, 0.0, 1.0])}),
                    ("extreme", lambda: {"input": np.array([1e30, -1e30, 1e30, -1e30, 3e38, -3e38]),
                                         "target": np.array([0.0, 0.0, 1.0, 1.0, 0.0, 1.0])}),
                    ("other_labels", lambda: {"input": r.normal(size=5), "target": np.array([2.0, -1.0, 0.5, 0.0, -0.0])}),
                    ("nan_logit", lambda: {"input": np.array([np.nan, 0.5, -2.0]), "target": np.array([1.0, 0.0, 1.0])}),
                    ("one_element", lambda: {"input": np.array([0.25]), "target": np.array([1.0])}),
                    ("empty", lambda: {"input": np.zeros(0), "target": np.zeros(0)})):
                arrays = make()
                cases.append(optax_case("sparsemax_loss", f"{label}_{reduction}", dtype, reduction, arrays,
                                        upstream(reduction, arrays["input"].shape)))
        cases.append(optax_case("sparsemax_loss", "defaults", dtype, "mean",
                                {"input": r.normal(size=9) * 2, "target": bits(9)}, defaults=True))
    return cases


def optax_family_cases():
    """The files of issue 15's optax-anchored losses and of triplet_margin_with_distance_loss."""
    return {"triplet_margin_with_distance_loss": triplet_distance_cases(), "sparsemax_loss": sparsemax_cases()}


def linear_ce_case(label, dtype, reduction, arrays, scalars, go=None, status=0, defaults=False):
    """A linear_cross_entropy case: PyTorch's F.linear_cross_entropy in float64 (its reference
    path, options=None), autograd for the gradients w.r.t. input, linear_weight and linear_bias
    (the bias's only when the case has one)."""
    cast = NP_DTYPE[dtype]
    c = row_loss_case("linear_cross_entropy", label, dtype, reduction, arrays, scalars, go, status, defaults,
                      PAIR_TOLERANCE[dtype])
    if status:
        return c
    a = c.arrays
    x, w = t64(a["input"]).requires_grad_(True), t64(a["linear_weight"]).requires_grad_(True)
    b = t64(a["linear_bias"]).requires_grad_(True) if "linear_bias" in a else None
    kw = {} if defaults else {"reduction": reduction, **{k: v for k, v in scalars.items()}}
    if "ignore_index" in kw:
        kw["ignore_index"] = int(kw["ignore_index"])
    if "weight" in a:
        kw["weight"] = t64(a["weight"])
    value = F.linear_cross_entropy(x, w, torch.tensor(a["target"], dtype=torch.int64), linear_bias=b, **kw)
    upstream = torch.ones_like(value) if go is None else t64(a["grad_output"]).reshape(value.shape)
    inputs = (x, w) + ((b,) if b is not None else ())
    grads = torch.autograd.grad(value, inputs, upstream, allow_unused=True)
    c.expect = {"out": np.asarray(value.detach().numpy(), dtype=cast)}
    for name, t, grad in zip(("grad_input", "grad_linear_weight", "grad_linear_bias"), inputs, grads):
        c.expect[name] = np.asarray((torch.zeros_like(t) if grad is None else grad).numpy(), dtype=cast)
    return c


def linear_ce_cases():
    """Random rows with and without a bias, class weights with label smoothing, ignored labels
    (the default -100 and an ignore_index inside [0, C)), every row ignored (a NaN mean), an empty
    batch, one class, zero features (the logits are the bias), one unbatched row, logits in the
    thousands, two blocks of rows (C = 300: blocks of 864 rows), the invalid arguments, and the
    defaults case."""
    r = rng_lce
    upstream = lambda reduction, shape: (r.normal(size=shape) if reduction == "none"
                                         else np.array([-1.5]) if reduction == "sum" else None)

    def problem(n, c, d, bias=True, scale=1.0, ignore=(), labels=None):
        t = r.integers(0, c, size=n) if labels is None else np.array(labels)
        for i in ignore:
            t[i] = -100
        arrays = {"input": r.normal(size=(n, d)) * scale, "linear_weight": r.normal(size=(c, d)), "target": t}
        if bias:
            arrays["linear_bias"] = r.normal(size=c)
        return arrays

    cases = []
    for dtype in ("f32", "f64"):
        for reduction in ("none", "mean", "sum"):
            for label, make, scalars in (
                    ("random", lambda: problem(6, 5, 4), {}),
                    ("no_bias", lambda: problem(6, 5, 4, bias=False), {}),
                    ("weight_smoothing", lambda: dict(problem(7, 4, 3), weight=r.uniform(0.2, 2.0, 4)),
                     {"label_smoothing": 0.15}),
                    ("ignored", lambda: dict(problem(7, 4, 3, ignore=(1, 4)), weight=r.uniform(0.2, 2.0, 4)), {}),
                    ("ignore_index_in_range", lambda: problem(6, 4, 3, labels=[0, 2, 1, 2, 3, 2]),
                     {"ignore_index": 2, "label_smoothing": 0.1}),
                    ("all_ignored", lambda: problem(3, 4, 2, ignore=(0, 1, 2)), {}),
                    ("empty", lambda: problem(0, 3, 2), {}),
                    # Without smoothing: with it, the row kernel's gradient of one class is a rounding
                    # residue (an ulp of the upstream gradient), where the exact one is 0.
                    ("one_class", lambda: problem(5, 1, 3), {}),
                    ("zero_features", lambda: problem(4, 3, 0), {}),
                    ("extreme_logits", lambda: problem(5, 4, 3, scale=1e3), {"label_smoothing": 0.05})):
                arrays = make()
                cases.append(linear_ce_case(f"{label}_{reduction}", dtype, reduction, arrays, scalars,
                                            upstream(reduction, arrays["target"].shape)))
            unbatched = {"input": r.normal(size=4), "linear_weight": r.normal(size=(3, 4)),
                         "target": np.array(2), "linear_bias": r.normal(size=3)}
            cases.append(linear_ce_case(f"unbatched_{reduction}", dtype, reduction, unbatched, {},
                                        upstream(reduction, ())))
        cases.append(linear_ce_case("two_blocks_mean", dtype, "mean",
                                    dict(problem(1100, 300, 3, ignore=(5, 900)), weight=r.uniform(0.5, 1.5, 300)),
                                    {"label_smoothing": 0.1}))
        bad = {"input": np.zeros((2, 3)), "linear_weight": np.ones((4, 3)), "target": np.array([0, 1])}
        for label, scalars in (("smoothing_above_one", {"label_smoothing": 1.5}),
                               ("smoothing_negative", {"label_smoothing": -0.1}),
                               ("smoothing_nan", {"label_smoothing": math.nan})):
            cases.append(linear_ce_case(f"invalid_{label}", dtype, "mean", bad, scalars, status=INVALID_ARGUMENT))
        for label, target in (("label_above", [0, 4]), ("label_negative", [-1, 0])):
            cases.append(linear_ce_case(f"invalid_{label}", dtype, "mean", dict(bad, target=np.array(target)), {},
                                        status=LABEL_OUT_OF_RANGE))
        cases.append(linear_ce_case("defaults", dtype, "mean", problem(5, 4, 3, bias=False, ignore=(3,)), {},
                                    defaults=True))
    return cases


def optax_poly(arrays, epsilon, reduction, go):
    """optax.losses.poly_loss_cross_entropy in jax float64 (labels over the last axis, one value
    per row), reduced ('mean' / 'sum' of the rows); the value and jax.grad's gradients w.r.t.
    logits and labels, with grad_output as the upstream (ones when absent)."""
    import jax
    jax.config.update("jax_enable_x64", True)
    import jax.numpy as jnp
    import optax
    z, t = jnp.asarray(arrays["input"], jnp.float64), jnp.asarray(arrays["target"], jnp.float64)

    def reduced(z, t):
        per = (optax.losses.poly_loss_cross_entropy(z, t) if epsilon is None
               else optax.losses.poly_loss_cross_entropy(z, t, epsilon=epsilon))
        return {"none": per, "mean": jnp.mean(per), "sum": jnp.sum(per)}[reduction]
    value, vjp = jax.vjp(reduced, z, t)
    upstream = jnp.ones_like(value) if go is None else jnp.asarray(go, jnp.float64).reshape(value.shape)
    gz, gt = vjp(upstream)
    if reduction != "none" and go is None:  # jax.grad itself, the anchor's own derivative, agrees
        gz2, gt2 = jax.grad(reduced, argnums=(0, 1))(z, t)
        assert np.allclose(gz2, gz, rtol=0, atol=0) and np.allclose(gt2, gt, rtol=0, atol=0)
    if epsilon == 0.0 and z.size and np.isfinite(value).all():  # epsilon 0 is PyTorch's cross entropy
        ce = F.cross_entropy(t64(arrays["input"]), t64(arrays["target"]), reduction=reduction).numpy()
        assert np.allclose(ce, np.asarray(value), rtol=1e-12, atol=1e-14), (ce, value)
    return np.asarray(value), np.asarray(gz), np.asarray(gt)


def poly_case(label, dtype, reduction, arrays, epsilon, go=None, status=0, target=False, defaults=False):
    """A case of poly_loss_cross_entropy (target=False) or of its _grad_target entry."""
    loss = "poly_loss_cross_entropy" + ("_grad_target" if target else "")
    scalars = {} if epsilon is None else {"epsilon": epsilon}
    c = row_loss_case(loss, label, dtype, reduction, arrays, scalars, go, status, defaults, PAIR_TOLERANCE[dtype])
    if status:
        return c
    cast = NP_DTYPE[dtype]
    value, gz, gt = optax_poly(c.arrays, None if defaults else epsilon, reduction, c.arrays.get("grad_output"))
    c.expect = ({"grad_target": gt.astype(cast)} if target
                else {"out": value.astype(cast), "grad_input": gz.astype(cast)})
    if defaults:
        c.scalars = {}
    return c


def poly_cases():
    """poly_loss_cross_entropy against optax 0.2.8 (jax, float64): every dtype x reduction on
    Dirichlet labels at optax's epsilon 2, one-hot labels at the paper's -1 for detection,
    epsilon 0 (cross entropy, cross-checked against PyTorch), labels that do not sum to 1
    (optax's sum of labels·(1 - p)), saturated logits, one class (loss 0), an empty batch, many
    rows; invalid epsilon (NaN, infinite) and no class; the defaults (epsilon 2, the mean). The
    same for the gradient w.r.t. the labels."""
    r = rng_poly
    plan = [
        ("dirichlet", lambda: {"input": r.normal(size=(5, 4)) * 2, "target": r.dirichlet(np.ones(4), size=5)}, 2.0),
        ("one_hot_negative_epsilon", lambda: {"input": r.normal(size=(6, 3)) * 2,
                                              "target": np.eye(3)[r.integers(0, 3, 6)]}, -1.0),
        ("epsilon0", lambda: {"input": r.normal(size=(4, 5)) * 2, "target": r.dirichlet(np.ones(5), size=4)}, 0.0),
        ("unnormalised_labels", lambda: {"input": r.normal(size=(4, 3)) * 2, "target": r.uniform(0, 1.5, (4, 3))}, 2.5),
        ("extreme_logits", lambda: {"input": EXTREME, "target": np.eye(3)[[1, 0, 0, 2]]}, 2.0),
        ("one_class", lambda: {"input": r.normal(size=(4, 1)) * 3, "target": np.ones((4, 1))}, 2.0),
        ("empty", lambda: {"input": np.zeros((0, 3)), "target": np.zeros((0, 3))}, 2.0),
    ]
    upstream = lambda reduction, n: (r.normal(size=n) if reduction == "none"
                                     else np.array([-1.5]) if reduction == "sum" else None)
    files = {"poly_loss_cross_entropy": [], "poly_loss_cross_entropy_grad_target": []}
    for target, cases in ((False, files["poly_loss_cross_entropy"]), (True, files["poly_loss_cross_entropy_grad_target"])):
        for dtype in ("f32", "f64"):
            for reduction in ("none", "mean", "sum"):
                for label, make, epsilon in plan:
                    arrays = make()
                    cases.append(poly_case(f"{label}_{reduction}", dtype, reduction, arrays, epsilon,
                                           upstream(reduction, arrays["input"].shape[0]), target=target))
            cases.append(poly_case("many_rows_mean", dtype, "mean", {"input": r.normal(size=(700, 9)) * 3,
                                                                     "target": r.dirichlet(np.ones(9), size=700)},
                                   0.5, target=target))
            bad = {"input": np.zeros((2, 3)), "target": np.full((2, 3), 1 / 3)}
            for label, epsilon in (("epsilon_nan", math.nan), ("epsilon_inf", math.inf), ("epsilon_minus_inf", -math.inf)):
                cases.append(poly_case(f"invalid_{label}", dtype, "mean", bad, epsilon, status=INVALID_ARGUMENT,
                                       target=target))
            cases.append(poly_case("invalid_no_class", dtype, "mean", {"input": np.zeros((2, 0)), "target": np.zeros((2, 0))},
                                   2.0, status=INVALID_SIZE, target=target))
            cases.append(poly_case("defaults", dtype, "mean", {"input": r.normal(size=(5, 4)) * 2,
                                                               "target": r.dirichlet(np.ones(4), size=5)},
                                   2.0, target=target, defaults=True))
    return files


def main():
    header = (f"# liblosses conformance vectors, generated by Tests/vectors/generate.py from "
              f"torch {torch.__version__.split('+')[0]}, mpmath {mpmath.__version__}. Do not edit.\n")
    files = {**regression(), **classification(), **distances(), **target_gradients(), **metric_learning(),
             **batch_losses(), **reid_cases(), **oim_cases(), **image_cases(), **segmentation_cases(), **perceptual_cases(),
             **detection(), **image_quality(), **reinforcement(), **damsm_cases(), **metrics(), **distributions(),
             **pytorch_rest(), **ctc_cases(), **optax_family_cases(),
             "linear_cross_entropy": linear_ce_cases(), **poly_cases()}
    for loss, cases in defaults().items():
        files[loss] = files[loss] + cases
    family = {loss: name for name, members in FAMILIES.items() for loss in members}
    for loss, cases in files.items():
        os.makedirs(os.path.join(HERE, family[loss]), exist_ok=True)
        path = os.path.join(HERE, family[loss], f"{loss}.vec")
        with open(path, "w") as f:
            f.write(header)
            for c in cases:
                f.write("\n".join(c.lines()) + "\n")
        print(f"{path}: {len(cases)} cases")


if __name__ == "__main__":
    main()
