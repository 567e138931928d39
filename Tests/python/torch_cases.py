"""One case per loss of the header for the losses.torch tests: valid tensors for it, the
liblosses call, and the PyTorch (or torchvision) computation it must agree with, written with
PyTorch's own functions where PyTorch has the loss and as the defining formula in torch
otherwise. Only imported when torch is installed."""
import math

import torch
import torch.nn.functional as F

import losses.torch as lt
import torchvision.ops as tvops


def _generator(seed):
    return torch.Generator().manual_seed(seed)


def _normal(shape, dtype, seed, scale=1.0):
    return (torch.randn(shape, generator=_generator(seed), dtype=torch.float64) * scale).to(dtype)


def _uniform(shape, dtype, seed, low=0.0, high=1.0):
    return (low + (high - low) * torch.rand(shape, generator=_generator(seed), dtype=torch.float64)).to(dtype)


def _signs(shape, dtype, seed):
    return (torch.randint(0, 2, shape, generator=_generator(seed)) * 2 - 1).to(dtype)


def _labels(n, c, seed):
    return torch.randint(0, c, (n,), generator=_generator(seed))


def _gram(maps):
    """Each sample's Gram matrix F F^T / (C H W) of its C x HW map F."""
    f = maps.flatten(2)
    return f @ f.transpose(1, 2) / (f.shape[1] * f.shape[2])


def _kornia():
    import kornia
    return kornia


def _focal_tversky_reference(x, y, alpha, beta, gamma, eps):
    """Per sample, the mean over present classes of (1 - TI)^(1/gamma) (no ignored pixels)."""
    p = x.softmax(1)
    onehot = F.one_hot(y, x.shape[1]).permute(0, 3, 1, 2).to(x.dtype)
    tp, fp, fn = (p * onehot).sum((2, 3)), (p * (1 - onehot)).sum((2, 3)), ((1 - p) * onehot).sum((2, 3))
    present = onehot.sum((2, 3)) > 0
    term = torch.where(present, (1 - tp / (tp + alpha * fp + beta * fn + eps)) ** (1 / gamma), torch.zeros_like(tp))
    return term.sum(1) / present.sum(1)


def _reduce(values, reduction):
    return values if reduction == "none" else values.mean() if reduction == "mean" else values.sum()


def _focal_reference(x, y, gamma, alpha, reduction):
    logp = F.log_softmax(x, dim=1).gather(1, y[:, None])[:, 0]
    values = -alpha[y] * (1 - logp.exp()) ** gamma * logp
    return values if reduction == "none" else values.sum() / (len(y) if reduction == "mean" else 1)


def _sigmoid_focal_reference(x, y, alpha, gamma, reduction):
    p = torch.sigmoid(x)
    ce = F.binary_cross_entropy_with_logits(x, y, reduction="none")
    p_t = p * y + (1 - p) * (1 - y)
    values = ce * (1 - p_t) ** gamma * (alpha * y + (1 - alpha) * (1 - y))
    return _reduce(values, reduction)


def _circle_reference(sp, sn, m, gamma):
    ap = torch.clamp_min(- sp.detach() + 1 + m, min=0.)
    an = torch.clamp_min(sn.detach() + m, min=0.)
    z = torch.logsumexp(an * (sn - m) * gamma, dim=-1) + torch.logsumexp(- ap * (sp - (1 - m)) * gamma, dim=-1)
    return torch.logaddexp(z, torch.zeros_like(z))


def _boxes(n, dt, seed):
    """n ordered boxes (x1, y1, x2, y2): corners in [0, 6), sizes in [0.5, 4)."""
    corner, size = _uniform((n, 2), torch.float64, seed, 0.0, 6.0), _uniform((n, 2), torch.float64, seed + 1, 0.5, 4.0)
    return torch.cat([corner, corner + size], dim=1).to(dt)


def _fcos_iou_reference(pred, target, weight, reduction):
    """FCOS's IOULoss('giou') with its weighted mean (none: w * loss, sum: sum of w * loss)."""
    (pl, pt, pr, pb), (tl, tt, tr, tb) = pred.unbind(1), target.unbind(1)
    w_i = torch.min(pl, tl) + torch.min(pr, tr)
    h_i = torch.min(pb, tb) + torch.min(pt, tt)
    c = (torch.max(pl, tl) + torch.max(pr, tr)) * (torch.max(pb, tb) + torch.max(pt, tt)) + 1e-7
    inter = w_i * h_i
    union = (tl + tr) * (tt + tb) + (pl + pr) * (pt + pb) - inter
    ious = (inter + 1.0) / (union + 1.0)
    values = (1 - (ious - (c - union) / c)) * weight
    return values if reduction == "none" else values.sum() / weight.sum() if reduction == "mean" else values.sum()


def _dr_reference(logits, targets, pos_lambda, neg_lambda, L, tau, margin, reduction):
    """The seed's SigmoidDRLoss.forward; 'none' as one value (the batch's)."""
    class_range = torch.arange(1, logits.shape[1] + 1, dtype=targets.dtype).unsqueeze(0)
    t = targets.unsqueeze(1)
    pos_prob = logits[t == class_range].sigmoid()
    neg_prob = logits[(t != class_range) * (t >= 0)].sigmoid()
    neg_dist = torch.sum(F.softmax(neg_prob / neg_lambda, dim=0) * neg_prob)
    pos_dist = torch.sum(F.softmax(-pos_prob / pos_lambda, dim=0) * pos_prob) if pos_prob.numel() else 0.
    z = L * (neg_dist - pos_dist + margin)
    loss = tau * torch.logaddexp(z, torch.zeros_like(z)) / L
    return loss.reshape(1) if reduction == "none" else loss
def _ssim_reference(x, y, data_range, win_size, win_sigma, k):
    """pytorch_msssim's _ssim (its window, valid separable filtering, maps) in torch, the window
    built in the input's dtype: (N, C) SSIM and cs."""
    coords = torch.arange(win_size, dtype=x.dtype) - win_size // 2
    g = torch.exp(-(coords ** 2) / (2 * win_sigma ** 2))
    g = g / g.sum()
    c = x.shape[1]

    def blur(t):
        t = F.conv2d(t, g.view(1, 1, -1, 1).repeat(c, 1, 1, 1), groups=c)
        return F.conv2d(t, g.view(1, 1, 1, -1).repeat(c, 1, 1, 1), groups=c)

    c1, c2 = (k[0] * data_range) ** 2, (k[1] * data_range) ** 2
    mu1, mu2 = blur(x), blur(y)
    s11, s22, s12 = blur(x * x) - mu1 ** 2, blur(y * y) - mu2 ** 2, blur(x * y) - mu1 * mu2
    cs = (2 * s12 + c2) / (s11 + s22 + c2)
    ssim = (2 * mu1 * mu2 + c1) / (mu1 ** 2 + mu2 ** 2 + c1) * cs
    return ssim.flatten(2).mean(-1), cs.flatten(2).mean(-1)


def _ms_ssim_reference(x, y, win_size, win_sigma, weights):
    """pytorch_msssim's ms_ssim in torch: (N,) values, data_range 1, K (0.01, 0.03)."""
    levels = []
    for i in range(len(weights)):
        ssim, cs = _ssim_reference(x, y, 1.0, win_size, win_sigma, (0.01, 0.03))
        if i < len(weights) - 1:
            levels.append(torch.relu(cs))
            padding = [s % 2 for s in x.shape[2:]]
            x, y = F.avg_pool2d(x, 2, padding=padding), F.avg_pool2d(y, 2, padding=padding)
    stacked = torch.stack(levels + [torch.relu(ssim)], dim=0)
    w = torch.tensor(weights, dtype=x.dtype).view(-1, 1, 1)
    return torch.prod(stacked ** w, dim=0).mean(1)


def _damsm_reduce(scores, classes, reduction):
    """AttnGAN's DAMSM cross entropies: pairs of different samples of one class masked with -inf,
    then image->text over the rows plus text->image over the columns, label i for sample i."""
    n = scores.shape[0]
    if classes is not None:
        same = (classes[:, None] == classes[None, :]) & ~torch.eye(n, dtype=torch.bool)
        scores = scores.masked_fill(same, -float("inf"))
    labels = torch.arange(n)
    per = F.cross_entropy(scores, labels, reduction="none") + F.cross_entropy(scores.t(), labels, reduction="none")
    return _reduce(per, reduction)


def _damsm_words_reference(v, e, lengths, classes, gamma1, gamma2, gamma3, reduction):
    """AttnGAN's words_loss as its formula, vectorised over the images: for each caption, the
    softmax over its words, then over the regions of gamma1 times it, the context, the cosine
    with the norms' product clamped at 1e-8, log-sum-exp over the words of gamma2 times it."""
    columns = []
    for i, words in enumerate(lengths.tolist()):
        w = e[i, :, :words]
        a1 = torch.softmax(torch.einsum("bdr,dt->brt", v, w), dim=2)
        a2 = torch.softmax(gamma1 * a1, dim=1)
        c = torch.einsum("bdr,brt->bdt", v, a2)
        cos = (c * w).sum(1) / (c.norm(dim=1) * w.norm(dim=0)).clamp(min=1e-8)
        columns.append(torch.logsumexp(gamma2 * cos, dim=1))
    return _damsm_reduce(gamma3 * torch.stack(columns, 1), classes, reduction)


def _damsm_sentence_reference(x, y, classes, gamma3, reduction):
    cos = (x @ y.t()) / (x.norm(dim=1)[:, None] * y.norm(dim=1)[None, :]).clamp(min=1e-8)
    return _damsm_reduce(gamma3 * cos, classes, reduction)


class Case:
    """tensors: {name: tensor} (the differentiable ones get requires_grad in the tests);
    ours(tensors, reduction) and theirs(tensors, reduction) compute the same loss."""

    def __init__(self, loss, make, ours, theirs, differentiable, detached=False):
        self.loss, self.make, self.ours, self.theirs, self.differentiable = loss, make, ours, theirs, differentiable
        # A gradient that holds part of the formula constant (circle loss's weights): not the
        # derivative of the value, so gradcheck cannot check it; `theirs` detaches the same part.
        self.detached = detached


def _valid_mean(values, counted, reduction):
    """The batch losses' reductions: the mean over the anchors counted (0 when none is)."""
    if reduction != "mean":
        return _reduce(values, reduction)
    return values.sum() / counted.sum().clamp_min(1)


def _batch_hard_reference(x, y, margin, reduction):
    # Mining on distances computed directly, the first index on ties (ties cannot occur here).
    dist = ((x[:, None] - x[None]) ** 2).sum(-1).clamp_min(1e-300).sqrt()
    same = y[:, None] == y[None]
    positive = same & ~torch.eye(len(y), dtype=torch.bool)
    farthest = dist.masked_fill(~positive, -float("inf")).max(1).values
    closest = dist.masked_fill(same, float("inf")).min(1).values
    counted = positive.any(1) & (~same).any(1)
    values = torch.where(counted, torch.relu(farthest - closest + margin), 0.0)
    return _valid_mean(values, counted, reduction)


def _quadruplet_batch_reference(dist, y, m1, m2, reduction):
    n = len(y)
    same = y[:, None] == y[None]
    positive = same & ~torch.eye(n, dtype=torch.bool)
    farthest = dist.masked_fill(~positive, -float("inf")).max(1).values
    closest = dist.masked_fill(same, float("inf")).min(1).values
    values = []
    for i in range(n):
        pairs = (y[:, None] != y[None]) & (y[:, None] != y[i]) & (y[None] != y[i])
        term = torch.relu(farthest[i] - closest[i] + m1)
        if pairs.any():
            term = term + torch.relu(farthest[i] - dist.masked_fill(~pairs, float("inf")).min() + m2)
        values.append(term)
    counted = positive.any(1) & (~same).any(1)
    return _valid_mean(torch.where(counted, torch.stack(values), 0.0), counted, reduction)


def _circle_embeddings_reference(x, y, m, gamma, reduction):
    xn = F.normalize(x, dim=1)
    s = xn @ xn.T
    same = y[:, None] == y[None]
    positive, negative = same & ~torch.eye(len(y), dtype=torch.bool), ~same
    ap, an = torch.relu(1 + m - s.detach()), torch.relu(s.detach() + m)
    lp = torch.where(positive, -gamma * ap * (s - (1 - m)), -float("inf")).logsumexp(1)
    ln = torch.where(negative, gamma * an * (s - m), -float("inf")).logsumexp(1)
    counted = positive.any(1) & negative.any(1)
    return _valid_mean(torch.logaddexp(lp + ln, torch.zeros_like(lp)), counted, reduction)


def _ntxent_reference(x, temperature, reduction):
    n = len(x)
    xn = F.normalize(x, dim=1)
    s = (xn @ xn.T / temperature).masked_fill(torch.eye(n, dtype=torch.bool), -float("inf"))
    return F.cross_entropy(s, (torch.arange(n) + n // 2) % n, reduction=reduction)


def cases():
    n, c, d = 6, 4, 5
    w = lambda dt: _uniform((c,), dt, 9, 0.5, 2.0)  # noqa: E731
    return {
        "cross_entropy": Case(
            "cross_entropy", lambda dt: {"input": _normal((n, c), dt, 1), "target": _labels(n, c, 2), "weight": w(dt)},
            lambda t, r: lt.cross_entropy(t["input"], t["target"], weight=t["weight"], reduction=r, label_smoothing=0.1),
            lambda t, r: F.cross_entropy(t["input"], t["target"], weight=t["weight"], reduction=r, label_smoothing=0.1),
            ("input",)),
        "cross_entropy_probs": Case(
            "cross_entropy", lambda dt: {"input": _normal((n, c), dt, 3),
                                         "target": torch.softmax(_normal((n, c), dt, 4), 1)},
            lambda t, r: lt.cross_entropy(t["input"], t["target"], reduction=r),
            lambda t, r: F.cross_entropy(t["input"], t["target"], reduction=r),
            ("input",)),
        "nll_loss": Case(
            "nll_loss", lambda dt: {"input": F.log_softmax(_normal((n, c), dt, 5), 1), "target": _labels(n, c, 6),
                                    "weight": w(dt)},
            lambda t, r: lt.nll_loss(t["input"], t["target"], weight=t["weight"], reduction=r),
            lambda t, r: F.nll_loss(t["input"], t["target"], weight=t["weight"], reduction=r),
            ("input",)),
        "focal_loss": Case(
            "focal_loss", lambda dt: {"input": _normal((n, c), dt, 7), "target": _labels(n, c, 8), "alpha": w(dt)},
            lambda t, r: lt.focal_loss(t["input"], t["target"], gamma=1.5, alpha=t["alpha"], reduction=r),
            lambda t, r: _focal_reference(t["input"], t["target"], 1.5, t["alpha"], r),
            ("input",)),
        "multi_margin_loss": Case(
            "multi_margin_loss", lambda dt: {"input": _normal((n, c), dt, 10), "target": _labels(n, c, 11),
                                             "weight": w(dt)},
            lambda t, r: lt.multi_margin_loss(t["input"], t["target"], p=2, margin=0.7, weight=t["weight"], reduction=r),
            lambda t, r: F.multi_margin_loss(t["input"], t["target"], p=2, margin=0.7, weight=t["weight"], reduction=r),
            ("input",)),
        "binary_cross_entropy": Case(
            "binary_cross_entropy", lambda dt: {"input": _uniform((n, d), dt, 12, 0.05, 0.95),
                                                "target": _uniform((n, d), dt, 13), "weight": _uniform((n, d), dt, 14)},
            lambda t, r: lt.binary_cross_entropy(t["input"], t["target"], weight=t["weight"], reduction=r),
            lambda t, r: F.binary_cross_entropy(t["input"], t["target"], weight=t["weight"], reduction=r),
            ("input",)),
        "binary_cross_entropy_with_logits": Case(
            "binary_cross_entropy_with_logits", lambda dt: {
                "input": _normal((n, d), dt, 15, 3.0), "target": _uniform((n, d), dt, 16),
                "weight": _uniform((n, d), dt, 17), "pos_weight": _uniform((d,), dt, 18, 0.5, 3.0)},
            lambda t, r: lt.binary_cross_entropy_with_logits(t["input"], t["target"], weight=t["weight"], reduction=r,
                                                             pos_weight=t["pos_weight"]),
            lambda t, r: F.binary_cross_entropy_with_logits(t["input"], t["target"], weight=t["weight"], reduction=r,
                                                            pos_weight=t["pos_weight"]),
            ("input",)),
        "sigmoid_focal_loss": Case(
            "sigmoid_focal_loss", lambda dt: {"inputs": _normal((n, d), dt, 19, 3.0), "targets": _uniform((n, d), dt, 20)},
            lambda t, r: lt.sigmoid_focal_loss(t["inputs"], t["targets"], alpha=0.3, gamma=1.5, reduction=r),
            lambda t, r: _sigmoid_focal_reference(t["inputs"], t["targets"], 0.3, 1.5, r),
            ("inputs",)),
        "hinge_loss": Case(
            "hinge_loss", lambda dt: {"input": _normal((n, d), dt, 21), "target": _signs((n, d), dt, 22)},
            lambda t, r: lt.hinge_loss(t["input"], t["target"], margin=0.8, squared=True, reduction=r),
            lambda t, r: _reduce(torch.clamp(0.8 - t["target"] * t["input"], min=0) ** 2, r),
            ("input",)),
        "hinge_embedding_loss": Case(
            "hinge_embedding_loss", lambda dt: {"input": _uniform((n, d), dt, 23, 0.0, 2.0),
                                                "target": _signs((n, d), dt, 24)},
            lambda t, r: lt.hinge_embedding_loss(t["input"], t["target"], margin=1.3, reduction=r),
            lambda t, r: F.hinge_embedding_loss(t["input"], t["target"], margin=1.3, reduction=r),
            ("input",)),
        "soft_margin_loss": Case(
            "soft_margin_loss", lambda dt: {"input": _normal((n, d), dt, 25), "target": _signs((n, d), dt, 26)},
            lambda t, r: lt.soft_margin_loss(t["input"], t["target"], reduction=r),
            lambda t, r: F.soft_margin_loss(t["input"], t["target"], reduction=r),
            ("input",)),
        "logistic_loss": Case(
            "logistic_loss", lambda dt: {"input": _normal((n, d), dt, 27), "target": _signs((n, d), dt, 28)},
            lambda t, r: lt.logistic_loss(t["input"], t["target"], reduction=r),
            lambda t, r: _reduce(F.softplus(-t["target"] * t["input"]), r),
            ("input",)),
        "mse_loss": Case(
            "mse_loss", lambda dt: {"input": _normal((n, d), dt, 29), "target": _normal((n, d), dt, 30)},
            lambda t, r: lt.mse_loss(t["input"], t["target"], reduction=r),
            lambda t, r: F.mse_loss(t["input"], t["target"], reduction=r),
            ("input", "target")),
        "l1_loss": Case(
            "l1_loss", lambda dt: {"input": _normal((n, d), dt, 31), "target": _normal((n, d), dt, 32)},
            lambda t, r: lt.l1_loss(t["input"], t["target"], reduction=r),
            lambda t, r: F.l1_loss(t["input"], t["target"], reduction=r),
            ("input", "target")),
        "huber_loss": Case(
            "huber_loss", lambda dt: {"input": _normal((n, d), dt, 33, 2.0), "target": _normal((n, d), dt, 34)},
            lambda t, r: lt.huber_loss(t["input"], t["target"], reduction=r, delta=0.7),
            lambda t, r: F.huber_loss(t["input"], t["target"], reduction=r, delta=0.7),
            ("input", "target")),
        "smooth_l1_loss": Case(
            "smooth_l1_loss", lambda dt: {"input": _normal((n, d), dt, 35, 2.0), "target": _normal((n, d), dt, 36)},
            lambda t, r: lt.smooth_l1_loss(t["input"], t["target"], reduction=r, beta=0.6),
            lambda t, r: F.smooth_l1_loss(t["input"], t["target"], reduction=r, beta=0.6),
            ("input", "target")),
        "quantile_loss": Case(
            "quantile_loss", lambda dt: {"input": _normal((n, 3), dt, 37), "target": _normal((n,), dt, 38)},
            lambda t, r: lt.quantile_loss(t["input"], t["target"], quantile=[0.1, 0.5, 0.9], reduction=r),
            lambda t, r: _reduce(torch.maximum(
                torch.tensor([0.1, 0.5, 0.9], dtype=t["input"].dtype) * (t["target"][:, None] - t["input"]),
                (torch.tensor([0.1, 0.5, 0.9], dtype=t["input"].dtype) - 1) * (t["target"][:, None] - t["input"])), r),
            ("input", "target")),
        "log_cosh_loss": Case(
            "log_cosh_loss", lambda dt: {"input": _normal((n, d), dt, 39, 3.0), "target": _normal((n, d), dt, 40)},
            lambda t, r: lt.log_cosh_loss(t["input"], t["target"], reduction=r),
            lambda t, r: _reduce(torch.log(torch.cosh(t["input"] - t["target"])), r),
            ("input", "target")),
        "pairwise_distance": Case(
            "pairwise_distance", lambda dt: {"x1": _normal((n, d), dt, 41), "x2": _normal((n, d), dt, 42)},
            lambda t, r: lt.pairwise_distance(t["x1"], t["x2"], p=3.0, reduction=r),
            lambda t, r: _reduce(F.pairwise_distance(t["x1"], t["x2"], p=3.0), r),
            ("x1", "x2")),
        "cosine_similarity": Case(
            "cosine_similarity", lambda dt: {"x1": _normal((n, d), dt, 43), "x2": _normal((n, d), dt, 44)},
            lambda t, r: lt.cosine_similarity(t["x1"], t["x2"], reduction=r),
            lambda t, r: _reduce(F.cosine_similarity(t["x1"], t["x2"]), r),
            ("x1", "x2")),
        "pairwise_distance_matrix": Case(
            "pairwise_distance_matrix", lambda dt: {"x1": _normal((n, d), dt, 45), "x2": _normal((3, d), dt, 46)},
            lambda t, r: lt.pairwise_distance_matrix(t["x1"], t["x2"], reduction=r),
            lambda t, r: _reduce(F.pairwise_distance(t["x1"][:, None], t["x2"][None]), r),
            ("x1", "x2")),
        "margin_ranking_loss": Case(
            "margin_ranking_loss", lambda dt: {"input1": _normal((n * d,), dt, 49), "input2": _normal((n * d,), dt, 50),
                                               "target": _signs((n * d,), dt, 51)},
            lambda t, r: lt.margin_ranking_loss(t["input1"], t["input2"], t["target"], margin=0.3, reduction=r),
            lambda t, r: F.margin_ranking_loss(t["input1"], t["input2"], t["target"], margin=0.3, reduction=r),
            ("input1", "input2")),
        "cosine_embedding_loss": Case(
            "cosine_embedding_loss", lambda dt: {"input1": _normal((n, d), dt, 55), "input2": _normal((n, d), dt, 56),
                                                 "target": _signs((n,), dt, 57)},
            lambda t, r: lt.cosine_embedding_loss(t["input1"], t["input2"], t["target"], margin=-0.2, reduction=r),
            lambda t, r: F.cosine_embedding_loss(t["input1"], t["input2"], t["target"], margin=-0.2, reduction=r),
            ("input1", "input2")),
        "center_loss": Case(
            "center_loss", lambda dt: {"features": _normal((n, d), dt, 61), "labels": _labels(n, c, 62),
                                       "centers": _normal((c, d), dt, 63)},
            lambda t, r: lt.center_loss(t["features"], t["labels"], t["centers"], reduction=r),
            lambda t, r: _reduce(((t["features"] - t["centers"][t["labels"]]) ** 2).sum(1).clamp(min=1e-12, max=1e12),
                                 r),
            ("features", "centers")),
        "oim_loss": Case(
            "oim_loss", lambda dt: {"features": F.normalize(_normal((n, d), dt, 64), dim=1),
                                    "targets": torch.tensor([0, 3, -1, 1, 2, -1]),
                                    "lut": F.normalize(_normal((c, d), dt, 65), dim=1),
                                    "queue": F.normalize(_normal((3, d), dt, 66), dim=1)},
            lambda t, r: lt.oim_loss(t["features"], t["targets"], t["lut"], t["queue"], scalar=10.0, reduction=r),
            lambda t, r: F.cross_entropy(10.0 * t["features"] @ torch.cat([t["lut"], t["queue"]]).T, t["targets"],
                                         ignore_index=-1, reduction=r),
            ("features",)),
        "contrastive_loss": Case(
            "contrastive_loss", lambda dt: {"x1": _normal((n, d), dt, 58), "x2": _normal((n, d), dt, 59),
                                            "label": (_signs((n,), dt, 60) > 0).to(dt)},
            lambda t, r: lt.contrastive_loss(t["x1"], t["x2"], t["label"], margin=3.0, reduction=r),
            lambda t, r: _reduce((1 - t["label"]) * F.pairwise_distance(t["x1"], t["x2"]) ** 2
                                 + t["label"] * torch.clamp(3.0 - F.pairwise_distance(t["x1"], t["x2"]), min=0) ** 2, r),
            ("x1", "x2")),
        "triplet_margin_loss": Case(
            "triplet_margin_loss", lambda dt: {"anchor": _normal((n, d), dt, 52), "positive": _normal((n, d), dt, 53),
                                               "negative": _normal((n, d), dt, 54)},
            lambda t, r: lt.triplet_margin_loss(t["anchor"], t["positive"], t["negative"], margin=1.5, p=3.0, swap=True,
                                                reduction=r),
            lambda t, r: F.triplet_margin_loss(t["anchor"], t["positive"], t["negative"], margin=1.5, p=3.0, swap=True,
                                               reduction=r),
            ("anchor", "positive", "negative")),
        "verification_loss": Case(
            "verification_loss", lambda dt: {"f1": _normal((n, d), dt, 65, 0.5), "f2": _normal((n, d), dt, 66, 0.5),
                                             "label": (_signs((n,), dt, 67) > 0).to(dt), "weight": _normal((d,), dt, 68),
                                             "bias": _normal((), dt, 69)},
            lambda t, r: lt.verification_loss(t["f1"], t["f2"], t["label"], t["weight"], t["bias"], reduction=r),
            lambda t, r: F.binary_cross_entropy_with_logits(((t["f1"] - t["f2"]) ** 2 * t["weight"]).sum(1) + t["bias"],
                                                            t["label"], reduction=r),
            ("f1", "f2", "weight", "bias")),
        "batch_hard_triplet_loss": Case(
            "batch_hard_triplet_loss", lambda dt: {"embeddings": _normal((8, d), dt, 71),
                                                   "labels": torch.tensor([0, 1, 2, 0, 1, 2, 0, 3])},
            lambda t, r: lt.batch_hard_triplet_loss(t["embeddings"], t["labels"], margin=2.0, reduction=r),
            lambda t, r: _batch_hard_reference(t["embeddings"], t["labels"], 2.0, r),
            ("embeddings",)),
        "batch_hard_quadruplet_loss": Case(
            "batch_hard_quadruplet_loss", lambda dt: {"dist": _uniform((6, 6), dt, 72, 0.5, 3.0),
                                                      "labels": torch.tensor([0, 1, 2, 0, 1, 2])},
            lambda t, r: lt.batch_hard_quadruplet_loss(t["dist"], t["labels"], margin1=2.0, margin2=2.5, reduction=r),
            lambda t, r: _quadruplet_batch_reference(t["dist"], t["labels"], 2.0, 2.5, r),
            ("dist",)),
        "circle_loss_embeddings": Case(
            "circle_loss_embeddings", lambda dt: {"embeddings": _normal((8, d), dt, 73),
                                                  "labels": torch.tensor([0, 1, 2, 0, 1, 2, 0, 3])},
            lambda t, r: lt.circle_loss_embeddings(t["embeddings"], t["labels"], m=0.25, gamma=16.0, reduction=r),
            lambda t, r: _circle_embeddings_reference(t["embeddings"], t["labels"], 0.25, 16.0, r),
            ("embeddings",), detached=True),
        "ntxent_loss": Case(
            "ntxent_loss", lambda dt: {"embeddings": _normal((8, d), dt, 74)},
            lambda t, r: lt.ntxent_loss(t["embeddings"], temperature=0.5, reduction=r),
            lambda t, r: _ntxent_reference(t["embeddings"], 0.5, r),
            ("embeddings",)),
        # The authors' CircleLoss(m, gamma).forward(sp, sn), batched over rows (dim=-1), its
        # nn.Softplus replaced by the exact logaddexp (threshold 20 would return z itself).
        # pytorch_msssim's ssim, its formula in torch (the package is not a test dependency).
        "ssim_loss": Case(
            "ssim_loss", lambda dt: {"x": _uniform((2, 3, 12, 13), dt, 80), "y": _uniform((2, 3, 12, 13), dt, 81)},
            lambda t, r: lt.ssim_loss(t["x"], t["y"], win_size=7, win_sigma=1.2, reduction=r),
            lambda t, r: _reduce(1 - _ssim_reference(t["x"], t["y"], 1.0, 7, 1.2, (0.01, 0.03))[0].mean(1), r),
            ("x", "y")),
        # pytorch_msssim's ms_ssim, its formula in torch: three levels at win_size 3.
        "ms_ssim_loss": Case(
            "ms_ssim_loss", lambda dt: {"x": _uniform((2, 2, 36, 35), dt, 82), "y": _uniform((2, 2, 36, 35), dt, 83)},
            lambda t, r: lt.ms_ssim_loss(t["x"], t["y"], win_size=3, win_sigma=1.0, weights=(0.2, 0.3, 0.5), reduction=r),
            lambda t, r: _reduce(1 - _ms_ssim_reference(t["x"], t["y"], 3, 1.0, (0.2, 0.3, 0.5)), r),
            ("x", "y")),
        "circle_loss": Case(
            "circle_loss", lambda dt: {"sp": _uniform((n, 4), dt, 70, -1.0, 1.0),
                                       "sn": _uniform((n, 7), dt, 71, -1.0, 1.0)},
            lambda t, r: lt.circle_loss(t["sp"], t["sn"], m=0.3, gamma=64.0, reduction=r),
            lambda t, r: _reduce(_circle_reference(t["sp"], t["sn"], 0.3, 64.0), r),
            ("sp", "sn"), detached=True),
        # torchvision.ops' box losses through autograd, both sets of boxes differentiable.
        "generalized_box_iou_loss": Case(
            "generalized_box_iou_loss", lambda dt: {"boxes1": _boxes(n, dt, 80), "boxes2": _boxes(n, dt, 82)},
            lambda t, r: lt.generalized_box_iou_loss(t["boxes1"], t["boxes2"], reduction=r, eps=1e-6),
            lambda t, r: tvops.generalized_box_iou_loss(t["boxes1"], t["boxes2"], reduction=r, eps=1e-6),
            ("boxes1", "boxes2")),
        "distance_box_iou_loss": Case(
            "distance_box_iou_loss", lambda dt: {"boxes1": _boxes(n, dt, 84), "boxes2": _boxes(n, dt, 86)},
            lambda t, r: lt.distance_box_iou_loss(t["boxes1"], t["boxes2"], reduction=r),
            lambda t, r: tvops.distance_box_iou_loss(t["boxes1"], t["boxes2"], reduction=r),
            ("boxes1", "boxes2")),
        # alpha held constant in both (torchvision's no_grad): the gradient is not the derivative.
        "complete_box_iou_loss": Case(
            "complete_box_iou_loss", lambda dt: {"boxes1": _boxes(n, dt, 88), "boxes2": _boxes(n, dt, 90)},
            lambda t, r: lt.complete_box_iou_loss(t["boxes1"], t["boxes2"], reduction=r, eps=1e-5),
            lambda t, r: tvops.complete_box_iou_loss(t["boxes1"], t["boxes2"], reduction=r, eps=1e-5),
            ("boxes1", "boxes2"), detached=True),
        # FCOS's IOULoss, composed in torch (the seed's code with the intersection filled in).
        "iou_loss": Case(
            "iou_loss", lambda dt: {"pred": _uniform((n, 4), dt, 92, 0.2, 3.0), "target": _uniform((n, 4), dt, 93, 0.2, 3.0),
                                    "weight": _uniform((n,), dt, 94, 0.1, 2.0)},
            lambda t, r: lt.iou_loss(t["pred"], t["target"], t["weight"], loss_type="giou", reduction=r),
            lambda t, r: _fcos_iou_reference(t["pred"], t["target"], t["weight"], r),
            ("pred",)),
        # rlax's td_learning error with its stop-gradient target, under PyTorch's huber_loss (optax's at
        # delta 1: the same values); a (n, 3) batch of transitions, every fourth terminal.
        "td_loss": Case(
            "td_loss", lambda dt: {"rewards": _normal((n, 3), dt, 97), "values": _normal((n, 3), dt, 98, 2.0),
                                   "next_values": _normal((n, 3), dt, 99, 2.0),
                                   "dones": (torch.arange(3 * n).reshape(n, 3) % 4 == 3).to(dt)},
            lambda t, r: lt.td_loss(t["rewards"], t["values"], t["next_values"], t["dones"], gamma=0.9, loss="huber",
                                    reduction=r),
            lambda t, r: F.huber_loss(t["values"], (t["rewards"] + 0.9 * (1 - t["dones"]) * t["next_values"]).detach(),
                                      reduction=r),
            ("values",)),
        # The seed's SigmoidDRLoss composed in torch (its log(1 + exp) as logaddexp).
        "sigmoid_dr_loss": Case(
            "sigmoid_dr_loss", lambda dt: {"logits": _normal((n, 5), dt, 95, 2.0),
                                           "targets": torch.randint(-1, 6, (n,), generator=_generator(96))},
            lambda t, r: lt.sigmoid_dr_loss(t["logits"], t["targets"], pos_lambda=0.7, L=4.0, reduction=r),
            lambda t, r: _dr_reference(t["logits"], t["targets"], 0.7, 0.1 / math.log(3.5), 4.0, 4.0, 0.5, r),
            ("logits",)),
        "quadruplet_loss": Case(
            "quadruplet_loss", lambda dt: {k: _normal((n, d), dt, seed, 0.6) for k, seed in (
                ("anchor", 61), ("positive", 62), ("negative1", 63), ("negative2", 64))},
            lambda t, r: lt.quadruplet_loss(t["anchor"], t["positive"], t["negative1"], t["negative2"], margin1=2.0,
                                            margin2=1.0, reduction=r),
            lambda t, r: _reduce((((t["anchor"] - t["positive"]) ** 2).sum(1) - ((t["anchor"] - t["negative1"]) ** 2).sum(1)
                                  + 2.0).clamp_min(0)
                                 + (((t["anchor"] - t["positive"]) ** 2).sum(1) - ((t["negative1"] - t["negative2"]) ** 2).sum(1)
                                    + 1.0).clamp_min(0), r),
            ("anchor", "positive", "negative1", "negative2")),
        # The soft dice loss composed in torch: per sample 1 - mean over channels of the smoothed
        # ratio, the sums over H and W.
        "dice_loss": Case(
            "dice_loss", lambda dt: {"pred": _uniform((n, 3, 4, 5), dt, 80, 0.05, 0.95),
                                     "target": _uniform((n, 3, 4, 5), dt, 81, 0.0, 1.0)},
            lambda t, r: lt.dice_loss(t["pred"], t["target"], smooth=0.5, reduction=r),
            lambda t, r: _reduce(1 - ((2 * (t["pred"] * t["target"]).sum((2, 3)) + 0.5)
                                      / (t["pred"].sum((2, 3)) + t["target"].sum((2, 3)) + 0.5)).mean(1), r),
            ("pred", "target")),
        "reconstruction_loss": Case(
            "reconstruction_loss", lambda dt: {"x": _normal((n, 2, 3, 3), dt, 82), "x_hat": _normal((n, 2, 3, 3), dt, 83)},
            lambda t, r: lt.reconstruction_loss(t["x"], t["x_hat"], p=2, reduction=r),
            lambda t, r: F.mse_loss(t["x_hat"], t["x"], reduction=r),
            ("x", "x_hat")),
        # kl_div against PyTorch's own, gradients w.r.t. input and target (targets all positive:
        # PyTorch's target gradient is NaN at 0).
        "kl_div": Case(
            "kl_div", lambda dt: {"input": F.log_softmax(_normal((n, d), dt, 90), 1),
                                  "target": torch.softmax(_normal((n, d), dt, 91), 1)},
            lambda t, r: lt.kl_div(t["input"], t["target"], reduction=r),
            lambda t, r: F.kl_div(t["input"], t["target"], reduction=r),
            ("input", "target")),
        "kl_divergence": Case(
            "kl_divergence", lambda dt: {"p": torch.softmax(_normal((n, d), dt, 92), 1),
                                         "q": torch.softmax(_normal((n, d), dt, 93), 1)},
            lambda t, r: lt.kl_divergence(t["p"], t["q"], reduction=r),
            lambda t, r: _reduce((t["p"] * (t["p"].log() - t["q"].log())).sum(1), r),
            ("p", "q")),
        "js_divergence": Case(
            "js_divergence", lambda dt: {"p": torch.softmax(_normal((n, d), dt, 94), 1),
                                         "q": torch.softmax(_normal((n, d), dt, 95), 1)},
            lambda t, r: lt.js_divergence(t["p"], t["q"], reduction=r),
            lambda t, r: _reduce(0.5 * (t["p"] * (2 * t["p"] / (t["p"] + t["q"])).log()
                                        + t["q"] * (2 * t["q"] / (t["p"] + t["q"])).log()).sum(1), r),
            ("p", "q")),
        "wgan_critic_loss": Case(
            "wgan_critic_loss", lambda dt: {"real_scores": _normal((n,), dt, 96), "fake_scores": _normal((4,), dt, 97)},
            lambda t, r: lt.wgan_critic_loss(t["real_scores"], t["fake_scores"], reduction=r),
            lambda t, r: (t["fake_scores"].sum() - t["real_scores"].sum()) if r == "sum"
            else t["fake_scores"].mean() - t["real_scores"].mean(),
            ("real_scores", "fake_scores")),
        "wgan_generator_loss": Case(
            "wgan_generator_loss", lambda dt: {"fake_scores": _normal((n,), dt, 98)},
            lambda t, r: lt.wgan_generator_loss(t["fake_scores"], reduction=r),
            lambda t, r: _reduce(-t["fake_scores"], r),
            ("fake_scores",)),
        "gradient_penalty": Case(
            "gradient_penalty", lambda dt: {"gradients": _normal((n, 2, 3), dt, 99, 0.5)},
            lambda t, r: lt.gradient_penalty(t["gradients"], weight=5.0, reduction=r),
            lambda t, r: _reduce(5.0 * (t["gradients"].flatten(1).norm(2, dim=1) - 1) ** 2, r),
            ("gradients",)),
        # Johnson et al.'s content and Gram style terms composed in torch, over two layers.
        "perceptual_loss": Case(
            "perceptual_loss", lambda dt: {"x0": _normal((n, 3, 4, 4), dt, 84), "x1": _normal((n, 5, 2, 3), dt, 85),
                                           "y0": _normal((n, 3, 4, 4), dt, 86), "y1": _normal((n, 5, 2, 3), dt, 87)},
            lambda t, r: lt.perceptual_loss([t["x0"], t["x1"]], [t["y0"], t["y1"]], layer_weights=[0.5, 2.0],
                                            style_weight=0.3, reduction=r),
            lambda t, r: _reduce(sum(w * ((t[f"x{l}"] - t[f"y{l}"]) ** 2).flatten(1).mean(1)
                                     + 0.3 * ((_gram(t[f"x{l}"]) - _gram(t[f"y{l}"])) ** 2).sum((1, 2))
                                     for l, w in ((0, 0.5), (1, 2.0))), r),
            ("x0", "x1", "y0", "y1")),
        # AttnGAN's DAMSM, its formula in torch (the released code loops the same way over captions);
        # gamma3 = 2 keeps float32 torch's own rounding within the float32 tolerance.
        "damsm_words_loss": Case(
            "damsm_words_loss", lambda dt: {"img_features": _normal((n, d, 7), dt, 97),
                                            "words_emb": _normal((n, d, 4), dt, 98),
                                            "cap_lens": torch.tensor([4, 1, 3, 2, 4, 3]),
                                            "class_ids": torch.tensor([0, 1, 0, 2, 2, 3])},
            lambda t, r: lt.damsm_words_loss(t["img_features"], t["words_emb"], t["cap_lens"], t["class_ids"],
                                             gamma1=3.0, gamma3=2.0, reduction=r),
            lambda t, r: _damsm_words_reference(t["img_features"], t["words_emb"], t["cap_lens"], t["class_ids"],
                                                3.0, 5.0, 2.0, r),
            ("img_features", "words_emb")),
        "damsm_sentence_loss": Case(
            "damsm_sentence_loss", lambda dt: {"img_global": _normal((n, d), dt, 99), "sent_emb": _normal((n, d), dt, 100)},
            lambda t, r: lt.damsm_sentence_loss(t["img_global"], t["sent_emb"], gamma3=4.0, reduction=r),
            lambda t, r: _damsm_sentence_reference(t["img_global"], t["sent_emb"], None, 4.0, r),
            ("img_global", "sent_emb")),
        # CTC as a user calls it, on F.log_softmax of the logits (the leaf): liblosses' gradient w.r.t.
        # log_probs is the true partial derivative, PyTorch's exp(lp) - gamma; through log_softmax's
        # backward both are the logits' softmax - gamma. 9 frames, 4 samples, 5 classes, an empty target.
        "ctc_loss": Case(
            "ctc_loss", lambda dt: {"logits": _normal((9, 4, 5), dt, 101, 1.5),
                                    "targets": torch.randint(1, 5, (4, 4), generator=_generator(102)),
                                    "input_lengths": torch.tensor([9, 7, 5, 8]),
                                    "target_lengths": torch.tensor([4, 2, 0, 3])},
            lambda t, r: lt.ctc_loss(F.log_softmax(t["logits"], -1), t["targets"], t["input_lengths"],
                                     t["target_lengths"], reduction=r),
            lambda t, r: F.ctc_loss(F.log_softmax(t["logits"], -1), t["targets"], t["input_lengths"],
                                    t["target_lengths"], reduction=r),
            ("logits",)),
        "cosine_similarity_matrix": Case(
            "cosine_similarity_matrix", lambda dt: {"x1": _normal((n, d), dt, 47), "x2": _normal((3, d), dt, 48)},
            lambda t, r: lt.cosine_similarity_matrix(t["x1"], t["x2"], reduction=r),
            lambda t, r: _reduce(F.cosine_similarity(t["x1"][:, None], t["x2"][None], dim=-1), r),
            ("x1", "x2")),
        # kornia's tversky_loss (its batch mean; per sample for 'none' and 'sum'), the focal Tversky
        # loss written from Abraham & Khan (2019), and kornia's total_variation over each plane.
        "tversky_loss": Case(
            "tversky_loss", lambda dt: {"pred": _normal((n, 3, 4, 5), dt, 110, 2.0),
                                        "target": torch.randint(0, 3, (n, 4, 5), generator=_generator(111))},
            lambda t, r: lt.tversky_loss(t["pred"], t["target"], 0.3, 0.7, reduction=r),
            lambda t, r: _reduce(torch.stack([_kornia().losses.tversky_loss(t["pred"][i:i + 1], t["target"][i:i + 1],
                                                                            0.3, 0.7) for i in range(n)]), r),
            ("pred",)),
        "focal_tversky_loss": Case(
            "focal_tversky_loss", lambda dt: {"pred": _normal((n, 3, 4, 5), dt, 112, 2.0),
                                              "target": torch.randint(0, 3, (n, 4, 5), generator=_generator(113))},
            lambda t, r: lt.focal_tversky_loss(t["pred"], t["target"], 0.3, 0.7, gamma=4.0 / 3.0, reduction=r),
            lambda t, r: _reduce(_focal_tversky_reference(t["pred"], t["target"], 0.3, 0.7, 4.0 / 3.0, 1e-8), r),
            ("pred",)),
        "total_variation": Case(
            "total_variation", lambda dt: {"img": _normal((n, 2, 4, 5), dt, 114)},
            lambda t, r: (lambda v: v.reshape(-1) if r == "none" else v)(
                lt.total_variation(t["img"], "mean", batch_reduction=r)),
            lambda t, r: _reduce(_kornia().losses.total_variation(t["img"], "mean").reshape(-1), r),
            ("img",)),
        "lovasz_hinge_loss": Case(
            "lovasz_hinge_loss", lambda dt: {"pred": _normal((n, 1, 4, 5), dt, 115, 2.0),
                                             "target": torch.randint(0, 2, (n, 4, 5), generator=_generator(116))},
            lambda t, r: lt.lovasz_hinge_loss(t["pred"], t["target"], reduction=r),
            lambda t, r: _reduce(torch.stack([_kornia().losses.lovasz_hinge_loss(t["pred"][i:i + 1],
                                                                                 t["target"][i:i + 1])
                                              for i in range(n)]), r),
            ("pred",)),
        "lovasz_softmax_loss": Case(
            "lovasz_softmax_loss", lambda dt: {"pred": _normal((n, 3, 4, 5), dt, 117, 2.0),
                                               "target": torch.randint(0, 3, (n, 4, 5), generator=_generator(118)),
                                               "weight": _uniform((3,), dt, 119, 0.5, 2.0)},
            lambda t, r: lt.lovasz_softmax_loss(t["pred"], t["target"], weight=t["weight"], reduction=r),
            lambda t, r: _reduce(torch.stack([_kornia().losses.lovasz_softmax_loss(
                t["pred"][i:i + 1], t["target"][i:i + 1], t["weight"]) for i in range(n)]), r),
            ("pred",)),
        # The rest of PyTorch's set, against PyTorch's own functions (poisson's targets above 1
        # with full: its target gradient is NaN at 0).
        "poisson_nll_loss": Case(
            "poisson_nll_loss", lambda dt: {"input": _normal((n, d), dt, 101),
                                            "target": _uniform((n, d), dt, 102, 1.5, 6.0)},
            lambda t, r: lt.poisson_nll_loss(t["input"], t["target"], full=True, reduction=r),
            lambda t, r: F.poisson_nll_loss(t["input"], t["target"], full=True, reduction=r),
            ("input", "target")),
        "gaussian_nll_loss": Case(
            "gaussian_nll_loss", lambda dt: {"input": _normal((n, d), dt, 103), "target": _normal((n, d), dt, 104),
                                             "var": _uniform((n, 1), dt, 105, 0.2, 2.0)},
            lambda t, r: lt.gaussian_nll_loss(t["input"], t["target"], t["var"], full=True, reduction=r),
            lambda t, r: F.gaussian_nll_loss(t["input"], t["target"], t["var"], full=True, reduction=r),
            ("input", "target", "var")),
        "multilabel_margin_loss": Case(
            "multilabel_margin_loss", lambda dt: {"input": _normal((n, c), dt, 106),
                                                  "target": torch.tensor([[0, 2, -1, 1], [3, -1, 0, 0], [1, 2, 3, 0],
                                                                          [-1, 0, 0, 0], [2, -1, 1, 1], [0, 1, -1, 3]])},
            lambda t, r: lt.multilabel_margin_loss(t["input"], t["target"], reduction=r),
            lambda t, r: F.multilabel_margin_loss(t["input"], t["target"], reduction=r),
            ("input",)),
        "multilabel_soft_margin_loss": Case(
            "multilabel_soft_margin_loss", lambda dt: {"input": _normal((n, c), dt, 107),
                                                       "target": _uniform((n, c), dt, 108), "weight": w(dt)},
            lambda t, r: lt.multilabel_soft_margin_loss(t["input"], t["target"], weight=t["weight"], reduction=r),
            lambda t, r: F.multilabel_soft_margin_loss(t["input"], t["target"], weight=t["weight"], reduction=r),
            ("input", "target")),
        # The cosine distance with swap (the Euclidean one is triplet_margin_loss's code); callables
        # are checked in test_triplet_distance.py.
        "triplet_margin_with_distance_loss": Case(
            "triplet_margin_with_distance_loss",
            lambda dt: {"anchor": _normal((n, d), dt, 1501), "positive": _normal((n, d), dt, 1502),
                        "negative": _normal((n, d), dt, 1503)},
            lambda t, r: lt.triplet_margin_with_distance_loss(t["anchor"], t["positive"], t["negative"],
                                                              distance_function="cosine", margin=0.7, swap=True,
                                                              reduction=r),
            lambda t, r: F.triplet_margin_with_distance_loss(t["anchor"], t["positive"], t["negative"],
                                                             distance_function=lambda x, y: 1 - F.cosine_similarity(x, y),
                                                             margin=0.7, swap=True, reduction=r),
            ("anchor", "positive", "negative")),
        # optax's binary sparsemax loss, composed in torch (sparse_plus of ∓x).
        "sparsemax_loss": Case(
            "sparsemax_loss", lambda dt: {"logits": _normal((n, d), dt, 1504, 1.5),
                                          "labels": (_signs((n, d), dt, 1505) > 0).to(dt)},
            lambda t, r: lt.sparsemax_loss(t["logits"], t["labels"], reduction=r),
            lambda t, r: _reduce((lambda z: torch.where(z <= -1, torch.zeros_like(z), torch.where(
                z >= 1, z, (z + 1) ** 2 / 4)))(torch.where(t["labels"] != 0, -t["logits"], t["logits"])), r),
            ("logits",)),
        # PyTorch's own F.linear_cross_entropy (its reference path); one row ignored.
        "linear_cross_entropy": Case(
            "linear_cross_entropy", lambda dt: {"input": _normal((n, d), dt, 101), "linear_weight": _normal((c, d), dt, 102),
                                                "target": torch.tensor([0, 3, -100, 1, 2, 3]),
                                                "linear_bias": _normal((c,), dt, 103), "weight": w(dt)},
            lambda t, r: lt.linear_cross_entropy(t["input"], t["linear_weight"], t["target"], linear_bias=t["linear_bias"],
                                                 weight=t["weight"], reduction=r, label_smoothing=0.1),
            lambda t, r: F.linear_cross_entropy(t["input"], t["linear_weight"], t["target"], linear_bias=t["linear_bias"],
                                                weight=t["weight"], reduction=r, label_smoothing=0.1),
            ("input", "linear_weight", "linear_bias")),
        # optax's definition in torch (optax itself is jax): cross entropy + eps·Σ labels·(1 - p).
        "poly_loss_cross_entropy": Case(
            "poly_loss_cross_entropy", lambda dt: {"logits": _normal((n, c), dt, 120, 2.0),
                                                   "labels": torch.softmax(_normal((n, c), dt, 121), 1)},
            lambda t, r: lt.poly_loss_cross_entropy(t["logits"], t["labels"], epsilon=-1.0, reduction=r),
            lambda t, r: _reduce(-(t["labels"] * F.log_softmax(t["logits"], -1)).sum(-1)
                                 - 1.0 * (t["labels"] * (1 - F.softmax(t["logits"], -1))).sum(-1), r),
            ("logits", "labels")),
    }
