"""Analytic gradients agree with central finite differences of the library's own values, in
float64, at random points away from the kinks, for every reduction and a random grad_output."""
import zlib

import numpy as np
import pytest

import losses
from header import losses as header_losses
from header import metrics, updates


def pair(function, rows, columns, width, **parameters):
    """A distance function as a function of one vector: x1 and x2 flattened one after the other,
    the two gradients likewise, so that central differences check both."""
    def call(x, y, return_grad=False, **k):
        x1 = x[:rows * width].reshape(rows, width)
        x2 = x[rows * width:(rows + columns) * width].reshape(columns, width)
        result = function(x1, x2, return_grad=return_grad, **parameters, **k)
        if not return_grad:
            return result
        value, (g1, g2) = result
        return value, np.concatenate([g1.ravel(), g2.ravel()])
    return call


def target(function, make_input, **parameters):
    """A loss as a function of its target (x here), its input made from y: the gradient checked
    is the library's return_target_grad (losses_<loss>_grad_target)."""
    def call(x, y, return_grad=False, **k):
        return function(make_input(y), x, return_target_grad=return_grad, **parameters, **k)
    return call


def boxes(function, **parameters):
    """A box loss as a function of one vector: x[0:4] and x[4:8] are (x1, y1, w', h') of one box
    each, the box (x1, y1, x1 + 3 + 0.3 w', y1 + 3 + 0.3 h') (always ordered); the gradients
    w.r.t. both boxes taken back to x by that linear map (x[8:] unused: gradient 0)."""
    def box(v):
        return np.array([[v[0], v[1], v[0] + 3 + 0.3 * v[2], v[1] + 3 + 0.3 * v[3]]])

    def back(g):
        g = g.ravel()
        return np.array([g[0] + g[2], g[1] + g[3], 0.3 * g[2], 0.3 * g[3]])

    def call(x, y, return_grad=False, **k):
        result = function(box(x[:4]), box(x[4:8]), return_grad=return_grad, **parameters, **k)
        if not return_grad:
            return result
        value, (g1, g2) = result
        return value, np.concatenate([back(g1), back(g2), np.zeros(x.size - 8)])
    return call


def _off_diagonal(x, n):
    """An n × n matrix whose n(n-1) off-diagonal entries are x, in row-major order, 0 on the diagonal."""
    m = np.zeros((n, n))
    m[~np.eye(n, dtype=bool)] = x
    return m


CALLS = {
    "mse_loss": lambda x, y, **k: losses.mse_loss(x, y, weight=np.linspace(0.5, 2, x.size), **k),
    "l1_loss": lambda x, y, **k: losses.l1_loss(x, y, weight=np.linspace(0.5, 2, x.size), **k),
    "huber_loss": lambda x, y, **k: losses.huber_loss(x, y, delta=0.7, weight=np.linspace(0.5, 2, x.size), **k),
    "smooth_l1_loss": lambda x, y, **k: losses.smooth_l1_loss(x, y, beta=0.6, **k),
    "log_cosh_loss": lambda x, y, **k: losses.log_cosh_loss(x, y, **k),
    "quantile_loss": lambda x, y, **k: losses.quantile_loss(x.reshape(-1, 2), y[::2], quantile=[0.2, 0.7], **k),
    "cross_entropy": lambda x, y, **k: losses.cross_entropy(
        x.reshape(4, 3), np.array([0, 2, -100, 1]), weight=[0.5, 1.0, 2.0], label_smoothing=0.2, **k),
    "cross_entropy_spatial": lambda x, y, **k: losses.cross_entropy(
        x.reshape(2, 3, 2), np.array([[0, 2], [1, 1]]), label_smoothing=0.1, **k),
    "cross_entropy_probs": lambda x, y, **k: losses.cross_entropy(
        x.reshape(3, 4), np.abs(y.reshape(3, 4)) / np.abs(y.reshape(3, 4)).sum(1, keepdims=True), **k),
    "nll_loss": lambda x, y, **k: losses.nll_loss(x.reshape(4, 3), np.array([0, 2, 1, 1]), weight=[0.5, 1, 2], **k),
    "focal_loss": lambda x, y, **k: losses.focal_loss(x.reshape(4, 3), np.array([0, 2, -100, 1]), gamma=1.5,
                                                      alpha=[0.2, 0.5, 0.9], **k),
    "focal_loss_small_gamma": lambda x, y, **k: losses.focal_loss(x.reshape(4, 3), np.array([0, 2, 1, 1]),
                                                                  gamma=0.3, **k),
    "multi_margin_loss": lambda x, y, **k: losses.multi_margin_loss(x.reshape(4, 3), np.array([0, 2, 1, 1]), p=2,
                                                                    margin=0.7, weight=[0.5, 1, 2], **k),
    "binary_cross_entropy": lambda x, y, **k: losses.binary_cross_entropy(
        x, np.abs(np.sin(y)), weight=np.linspace(0.5, 2, x.size), **k),
    "binary_cross_entropy_with_logits": lambda x, y, **k: losses.binary_cross_entropy_with_logits(
        x.reshape(3, 4), np.abs(np.sin(y)).reshape(3, 4), pos_weight=[0.5, 1, 2, 3], **k),
    "sigmoid_focal_loss": lambda x, y, **k: losses.sigmoid_focal_loss(x, np.abs(np.sin(y)), gamma=1.5, **k),
    "hinge_loss": lambda x, y, **k: losses.hinge_loss(x, np.sign(y), margin=0.8, squared=True, **k),
    "hinge_embedding_loss": lambda x, y, **k: losses.hinge_embedding_loss(x, np.sign(y), margin=0.6, **k),
    "soft_margin_loss": lambda x, y, **k: losses.soft_margin_loss(x, np.sign(y), **k),
    "logistic_loss": lambda x, y, **k: losses.logistic_loss(x, np.sign(y), **k),
    "pairwise_distance": pair(losses.pairwise_distance, 3, 3, 2),
    "pairwise_distance_p3": pair(losses.pairwise_distance, 2, 2, 3, p=3.0),
    "pairwise_distance_p1": pair(losses.pairwise_distance, 2, 2, 3, p=1.0),
    "cosine_similarity": pair(losses.cosine_similarity, 2, 2, 3),
    "pairwise_distance_matrix": pair(losses.pairwise_distance_matrix, 2, 1, 4, p=2.5),
    "cosine_similarity_matrix": pair(losses.cosine_similarity_matrix, 2, 1, 4),
    "margin_ranking_loss": lambda x, y, return_grad=False, **k: (lambda r: r if not return_grad else (
        r[0], np.concatenate([r[1][0], r[1][1]])))(losses.margin_ranking_loss(
            x[:6], x[6:], np.sign(y[:6]), margin=0.3, return_grad=return_grad, **k)),
    "triplet_margin_loss": lambda x, y, return_grad=False, **k: (lambda r: r if not return_grad else (
        r[0], np.concatenate([g.ravel() for g in r[1]])))(losses.triplet_margin_loss(
            x[:4].reshape(2, 2), x[4:8].reshape(2, 2), x[8:].reshape(2, 2), margin=3.0, return_grad=return_grad, **k)),
    "triplet_margin_loss_swap_p3": lambda x, y, return_grad=False, **k: (lambda r: r if not return_grad else (
        r[0], np.concatenate([g.ravel() for g in r[1]])))(losses.triplet_margin_loss(
            x[:4].reshape(2, 2), x[4:8].reshape(2, 2), x[8:].reshape(2, 2), margin=3.0, p=3.0, swap=True,
            return_grad=return_grad, **k)),
    "cosine_embedding_loss": lambda x, y, return_grad=False, **k: (lambda r: r if not return_grad else (
        r[0], np.concatenate([g.ravel() for g in r[1]])))(losses.cosine_embedding_loss(
            x[:6].reshape(2, 3), x[6:].reshape(2, 3), np.array([1.0, -1.0]), margin=-0.9, return_grad=return_grad,
            **k)),
    "contrastive_loss": lambda x, y, return_grad=False, **k: (lambda r: r if not return_grad else (
        r[0], np.concatenate([g.ravel() for g in r[1]])))(losses.contrastive_loss(
            x[:6].reshape(2, 3), x[6:].reshape(2, 3), np.array([0.0, 1.0]), margin=8.0, return_grad=return_grad, **k)),
    "quadruplet_loss": lambda x, y, return_grad=False, **k: (lambda r: r if not return_grad else (
        r[0], np.concatenate([g.ravel() for g in r[1]])))(losses.quadruplet_loss(
            *(x[3 * i:3 * i + 3].reshape(3, 1) for i in range(4)), margin1=4.0, margin2=1.0,
            return_grad=return_grad, **k)),
    # x is f1 (2, 2), f2 (2, 2), the weight (2) and the bias (the last entry, x[10]; x[11] unused).
    "verification_loss": lambda x, y, return_grad=False, **k: (lambda r: r if not return_grad else (
        r[0], np.concatenate([g.ravel() for g in r[1]] + [np.zeros(1)])))(losses.verification_loss(
            x[:4].reshape(2, 2), x[4:8].reshape(2, 2), np.array([1.0, 0.0]), x[8:10], x[10],
            return_grad=return_grad, **k)),
    # The losses over a batch: x is the embeddings (or a distance matrix's off-diagonal entries);
    # margins keep the hinges active and the mined pairs stay put under a step of 1e-6.
    "batch_hard_triplet_loss": lambda x, y, **k: losses.batch_hard_triplet_loss(
        x.reshape(6, 2), [0, 0, 1, 1, 2, 2], margin=5.0, **k),
    "batch_hard_triplet_loss_squared_soft": lambda x, y, **k: losses.batch_hard_triplet_loss(
        x.reshape(4, 3), [0, 1, 0, 1], squared=True, soft=True, **k),
    "batch_hard_quadruplet_loss": lambda x, y, return_grad=False, **k: (lambda r: r if not return_grad else (
        r[0], r[1][~np.eye(4, dtype=bool)]))(losses.batch_hard_quadruplet_loss(
            _off_diagonal(x, 4), [0, 0, 1, 2], margin1=50.0, margin2=50.0, return_grad=return_grad, **k)),
    "ntxent_loss": lambda x, y, **k: losses.ntxent_loss(x.reshape(4, 3), temperature=0.5, **k),
    "center_loss": lambda x, y, return_grad=False, **k: (lambda r: r if not return_grad else (
        r[0], np.concatenate([g.ravel() for g in r[1]])))(losses.center_loss(
            x[:6].reshape(3, 2), np.array([1, 0, 1]), x[6:].reshape(3, 2), return_grad=return_grad, **k)),
    "oim_loss": lambda x, y, **k: losses.oim_loss(
        x.reshape(4, 3), np.array([0, -1, 2, 1]), np.sin(np.arange(9.0)).reshape(3, 3),
        np.cos(np.arange(6.0)).reshape(2, 3), scalar=0.7, **k),
    # The image losses: x is pred (1, 2, 3) then target, or x then x_hat (2, 3); a large smooth
    # keeps dice's denominators far from 0 at normal draws.
    "dice_loss": lambda x, y, return_grad=False, **k: (lambda r: r if not return_grad else (
        r[0], np.concatenate([g.ravel() for g in r[1]])))(losses.dice_loss(
            x[:6].reshape(1, 2, 3), x[6:].reshape(1, 2, 3), smooth=50.0, return_grad=return_grad, **k)),
    "reconstruction_loss": lambda x, y, return_grad=False, **k: (lambda r: r if not return_grad else (
        r[0], np.concatenate([g.ravel() for g in r[1]])))(losses.reconstruction_loss(
            x[:6].reshape(2, 3), x[6:].reshape(2, 3), p=2, return_grad=return_grad, **k)),
    "reconstruction_loss_l1": lambda x, y, return_grad=False, **k: (lambda r: r if not return_grad else (
        r[0], np.concatenate([g.ravel() for g in r[1]])))(losses.reconstruction_loss(
            x[:6], x[6:], return_grad=return_grad, **k)),
    "generalized_box_iou_loss": boxes(losses.generalized_box_iou_loss),
    "distance_box_iou_loss": boxes(losses.distance_box_iou_loss, eps=0.01),
    # x is pred (3, 4) as distances 1 + x^2 / 4 > 0 (the chain rule applied below); the target and
    # weight fixed.
    **{"iou_loss" + ("" if t == "iou" else f"_{t}"): (lambda t: lambda x, y, return_grad=False, **k: (lambda r: r if not return_grad else (
        r[0], r[1].ravel() * x / 2))(losses.iou_loss(
            (1 + x ** 2 / 4).reshape(3, 4), np.abs(y).reshape(3, 4) + 0.5, weight=[0.5, 1.0, 2.0], loss_type=t,
            return_grad=return_grad, **k)))(t) for t in ("iou", "linear_iou", "giou")},
    # One value per batch (every reduction returns it): x is the (3, 4) logits.
    "sigmoid_dr_loss": lambda x, y, **k: losses.sigmoid_dr_loss(x.reshape(3, 4), [1, 0, 4], **k),
    "sigmoid_dr_loss_parameters": lambda x, y, **k: losses.sigmoid_dr_loss(
        x.reshape(4, 3), [2, -1, 0, 3], pos_lambda=0.3, neg_lambda=0.5, L=2.0, tau=1.5, margin=0.2, **k),
    # x is values (the one differentiable input); rewards and next values from y, every third step
    # terminal (the target r + gamma (1 - done) V' does not depend on x).
    **{"td_loss" + ("" if t == "mse" else f"_{t}"): (lambda t: lambda x, y, **k: losses.td_loss(
        y, x, np.roll(y, 1) * 3, (np.arange(12) % 3 == 2) * 1.0, gamma=0.9, loss=t, **k))(t) for t in ("mse", "huber")},
    # The distribution losses. kl_div: x is the (3, 4) input, the target 0.05 + |y|/4 (and log
    # targets y); the divergences: p then q (2, 3) as 0.1 + x^2/4 > 0 (the chain rule x/2 applied);
    # the critic: x[:5] real and x[5:] fake scores; the penalty: x (3, 4) as rows.
    "kl_div": lambda x, y, **k: losses.kl_div(x.reshape(3, 4), 0.05 + np.abs(y).reshape(3, 4) / 4, **k),
    "kl_div_log_target": lambda x, y, **k: losses.kl_div(x.reshape(3, 4), y.reshape(3, 4) / 2, log_target=True, **k),
    "kl_div_batchmean": lambda x, y, reduction="mean", **k: losses.kl_div(
        x.reshape(3, 4), 0.05 + np.abs(y).reshape(3, 4) / 4, reduction="batchmean" if reduction == "mean" else reduction,
        **k),
    **{name: (lambda f: lambda x, y, return_grad=False, **k: (lambda r: r if not return_grad else (
        r[0], np.concatenate([g.ravel() for g in r[1]]) * x / 2))(f(
            (0.1 + x[:6] ** 2 / 4).reshape(2, 3), (0.1 + x[6:] ** 2 / 4).reshape(2, 3), return_grad=return_grad,
            **k)))(getattr(losses, name)) for name in ("kl_divergence", "js_divergence")},
    "wgan_critic_loss": lambda x, y, return_grad=False, **k: (lambda r: r if not return_grad else (
        r[0], np.concatenate([g.ravel() for g in r[1]])))(losses.wgan_critic_loss(
            x[:5], x[5:], return_grad=return_grad, **k)),
    "wgan_generator_loss": lambda x, y, **k: losses.wgan_generator_loss(x, **k),
    "gradient_penalty": lambda x, y, **k: losses.gradient_penalty(x.reshape(3, 4), weight=3.0, **k),
    "gradient_penalty_images": lambda x, y, **k: losses.gradient_penalty(x.reshape(2, 3, 2), **k),
    # The gradients with respect to the target (x is the target; the input comes from y).
    "mse_loss_grad_target": target(losses.mse_loss, lambda y: y, weight=np.linspace(0.5, 2, 12)),
    "l1_loss_grad_target": target(losses.l1_loss, lambda y: y, weight=np.linspace(0.5, 2, 12)),
    "huber_loss_grad_target": target(losses.huber_loss, lambda y: y, delta=0.7, weight=np.linspace(0.5, 2, 12)),
    "smooth_l1_loss_grad_target": target(losses.smooth_l1_loss, lambda y: y, beta=0.6),
    "binary_cross_entropy_grad_target": target(losses.binary_cross_entropy, lambda y: 0.05 + 0.9 * np.abs(np.sin(y)),
                                               weight=np.linspace(0.5, 2, 12)),
    "binary_cross_entropy_with_logits_grad_target": lambda x, y, return_grad=False, **k: (
        losses.binary_cross_entropy_with_logits(y.reshape(3, 4), x.reshape(3, 4), pos_weight=[0.5, 1, 2, 3],
                                                weight=np.linspace(0.5, 2, 12).reshape(3, 4),
                                                return_target_grad=return_grad, **k)),
    # kl_div's target 0.1 + x^2/4 > 0 (the chain rule x/2), or log targets x itself.
    "kl_div_grad_target": lambda x, y, return_grad=False, **k: (lambda r: r if not return_grad else (
        r[0], r[1] * x.reshape(3, 4) / 2))(losses.kl_div(
            y.reshape(3, 4), (0.1 + x ** 2 / 4).reshape(3, 4), return_target_grad=return_grad, **k)),
    "kl_div_grad_target_log_target": lambda x, y, return_grad=False, **k: (lambda r: r if not return_grad else (
        r[0], r[1] / 4))(losses.kl_div(y.reshape(3, 4), x.reshape(3, 4) / 4, log_target=True,
                                       return_target_grad=return_grad, **k)),
    "cross_entropy_probs_grad_target": lambda x, y, return_grad=False, **k: (
        losses.cross_entropy(y.reshape(2, 3, 2), x.reshape(2, 3, 2), weight=[0.5, 1.0, 2.0], label_smoothing=0.2,
                             return_target_grad=return_grad, **k)),
    # poisson_nll_loss: x the log-rates (or rates exp(x), the chain rule exp(x)) against counts from
    # y, Stirling's term on; its target gradient with x the targets (some <= 1: the masked term).
    "poisson_nll_loss": lambda x, y, **k: losses.poisson_nll_loss(x, np.round(np.abs(y) * 3), full=True, **k),
    "poisson_nll_loss_rates": lambda x, y, return_grad=False, **k: (lambda r: r if not return_grad else (
        r[0], r[1] * np.exp(x)))(losses.poisson_nll_loss(np.exp(x), np.abs(y) * 3, log_input=False, eps=0.1,
                                                         return_grad=return_grad, **k)),
    "poisson_nll_loss_grad_target": target(losses.poisson_nll_loss, lambda y: y, full=True),
    "poisson_nll_loss_grad_target_rates": target(losses.poisson_nll_loss, lambda y: np.exp(y), log_input=False,
                                                 full=True),
    # gaussian_nll_loss: x the (3, 4) input against var 0.5 + y^2, or x the variances 0.1 + x^2/4
    # (the chain rule x/2) per element, or per row from x[:3] (x[3:] unused: gradient 0).
    "gaussian_nll_loss": lambda x, y, return_grad=False, **k: (lambda r: r if not return_grad else (
        r[0], r[1][0]))(losses.gaussian_nll_loss(x.reshape(3, 4), y.reshape(3, 4) / 2, 0.5 + y.reshape(3, 4) ** 2,
                                                 full=True, return_grad=return_grad, **k)),
    "gaussian_nll_loss_var": lambda x, y, return_grad=False, **k: (lambda r: r if not return_grad else (
        r[0], r[1][1].ravel() * x / 2))(losses.gaussian_nll_loss(
            y.reshape(3, 4), np.cos(y).reshape(3, 4), (0.1 + x ** 2 / 4).reshape(3, 4), return_grad=return_grad, **k)),
    "gaussian_nll_loss_var_per_row": lambda x, y, return_grad=False, **k: (lambda r: r if not return_grad else (
        r[0], np.concatenate([r[1][1].ravel() * x[:3] / 2, np.zeros(9)])))(losses.gaussian_nll_loss(
            y.reshape(3, 4), np.cos(y).reshape(3, 4), 0.1 + x[:3] ** 2 / 4, return_grad=return_grad, **k)),
    # The multi-label losses over (3, 4) scores x.
    "multilabel_margin_loss": lambda x, y, **k: losses.multilabel_margin_loss(
        x.reshape(3, 4), [[0, 2, -1, 0], [3, -1, 0, 0], [1, 2, 3, 0]], **k),
    "multilabel_soft_margin_loss": lambda x, y, **k: losses.multilabel_soft_margin_loss(
        x.reshape(3, 4), 1 / (1 + np.exp(-y.reshape(3, 4))), weight=[0.5, 1.0, 2.0, 1.5], **k),
    "multilabel_soft_margin_loss_grad_target": lambda x, y, return_grad=False, **k: (
        losses.multilabel_soft_margin_loss(y.reshape(3, 4), x.reshape(3, 4), weight=[0.5, 1.0, 2.0, 1.5],
                                           return_target_grad=return_grad, **k)),
    "triplet_margin_with_distance_loss": lambda x, y, return_grad=False, **k: (lambda r: r if not return_grad else (
        r[0], np.concatenate([g.ravel() for g in r[1]])))(losses.triplet_margin_with_distance_loss(
            x[:4].reshape(2, 2), x[4:8].reshape(2, 2), x[8:].reshape(2, 2), margin=3.0, swap=True,
            return_grad=return_grad, **k)),
    # The cosine distance lies in [0, 2]: margin 3 keeps every hinge active.
    "triplet_margin_with_distance_loss_cosine": lambda x, y, return_grad=False, **k: (
        lambda r: r if not return_grad else (r[0], np.concatenate([g.ravel() for g in r[1]])))(
            losses.triplet_margin_with_distance_loss(x[:4].reshape(2, 2), x[4:8].reshape(2, 2), x[8:].reshape(2, 2),
                                                     distance_function="cosine", margin=3.0, swap=True,
                                                     return_grad=return_grad, **k)),
    # x (standard normal times 2) spreads over the three pieces of sparse_plus, which is C¹.
    "sparsemax_loss": lambda x, y, **k: losses.sparsemax_loss(x, (y > 0).astype(x.dtype), **k),
    "poly_loss_cross_entropy": lambda x, y, **k: losses.poly_loss_cross_entropy(
        x.reshape(3, 4), np.abs(y.reshape(3, 4)) / np.abs(y.reshape(3, 4)).sum(1, keepdims=True), epsilon=2.0, **k),
    # Labels that do not sum to 1, and a negative epsilon: the value is linear in them.
    "poly_loss_cross_entropy_grad_target": lambda x, y, return_grad=False, **k: (
        losses.poly_loss_cross_entropy(y.reshape(3, 4), x.reshape(3, 4), epsilon=-1.0,
                                       return_target_grad=return_grad, **k)),
}


# Losses whose gradient is, by definition, not the derivative of their value, so that central
# differences cannot check it: their vectors check it against autograd of the reference formula.
DETACHED = {
    # Sun et al.'s weights a_p = relu(1 + m - s) and a_n = relu(s + m) are held constant.
    "circle_loss_embeddings",
    # The same weights over given similarities (the authors' forward(sp, sn) detaches them).
    "circle_loss",
    # CIoU's alpha = v / (1 - IoU + v + eps) is held constant (torchvision's no_grad).
    "complete_box_iou_loss",
}
# ssim_loss: x is one 1 x 1 x 3 x 4 image, y the other (the gradient w.r.t. y is x's with the
# roles swapped: the formula is symmetric), a window of 3.
# ms_ssim_loss: x is a 1 x 1 x 3 x 4 image, y the other, window 1 (the shorter side exceeds 0),
# three levels (3 x 4, 2 x 2, 1 x 1); K2 large enough that no cs reaches the relu's kink.
CALLS["ms_ssim_loss"] = lambda x, y, return_grad=False, **k: (lambda r: r if not return_grad else (r[0], r[1][0]))(
    losses.ms_ssim_loss(x.reshape(1, 1, 3, 4), y.reshape(1, 1, 3, 4), data_range=4.0, win_size=1,
                        weights=(0.3, 0.3, 0.4), K=(0.5, 1.0), return_grad=return_grad, **k))
# perceptual_loss: x and y two samples of 3 channels at 2 positions, layer 1 of a two-layer call
# (so the adding-up of layers is differentiated too), content and style.
CALLS["perceptual_loss"] = lambda x, y, return_grad=False, **k: (lambda r: r if not return_grad else (r[0], r[1][0][1]))(
    losses.perceptual_loss([y.reshape(2, 2, 3), x.reshape(2, 3, 2)], [y.reshape(2, 2, 3)[::-1] / 2, y.reshape(2, 3, 2)],
                           layer_weights=[0.5, 2.0], style_weight=0.7, return_grad=return_grad, **k))
CALLS["ssim_loss"] = lambda x, y, return_grad=False, **k: (lambda r: r if not return_grad else (r[0], r[1][0]))(
    losses.ssim_loss(x.reshape(1, 1, 3, 4), y.reshape(1, 1, 3, 4), data_range=4.0, win_size=3, win_sigma=1.0,
                     return_grad=return_grad, **k))

# The DAMSM losses: x is the (2, 2, 3) image regions, y the (2, 2, 3) words (captions of 3 and 2
# words), or x the words and y the regions; x the (3, 4) global features and y the sentences (or
# the roles swapped), the first and last samples of one class.
_words = lambda x, y, **k: losses.damsm_words_loss(x.reshape(2, 2, 3), y.reshape(2, 2, 3), [3, 2], gamma1=2.0,
                                                   gamma3=3.0, **k)
_words_t = lambda x, y, **k: losses.damsm_words_loss(y.reshape(2, 2, 3), x.reshape(2, 2, 3), [3, 2], **k)
_sentence = lambda x, y, **k: losses.damsm_sentence_loss(x.reshape(3, 4), y.reshape(3, 4), [0, 1, 0], gamma3=2.0,
                                                         **k)
_sentence_t = lambda x, y, **k: losses.damsm_sentence_loss(y.reshape(3, 4), x.reshape(3, 4), gamma3=2.0, **k)
CALLS["damsm_words_loss"] = lambda x, y, return_grad=False, **k: (lambda r: r if not return_grad else (
    r[0], r[1][0]))(_words(x, y, return_grad=return_grad, **k))
CALLS["damsm_words_loss_words"] = lambda x, y, return_grad=False, **k: (lambda r: r if not return_grad else (
    r[0], r[1][1]))(_words_t(x, y, return_grad=return_grad, **k))
CALLS["damsm_sentence_loss"] = lambda x, y, return_grad=False, **k: (lambda r: r if not return_grad else (
    r[0], r[1][0]))(_sentence(x, y, return_grad=return_grad, **k))
CALLS["damsm_sentence_loss_sentences"] = lambda x, y, return_grad=False, **k: (lambda r: r if not return_grad else (
    r[0], r[1][1]))(_sentence_t(x, y, return_grad=return_grad, **k))

# kornia's segmentation losses: x is pred (2, 3, 2, 1) against fixed labels (one ignored), or img
# (1, 3, 4); total_variation's batch_reduction is the reduction checked here.
_SEGMENTATION_LABELS = np.array([[[0], [2]], [[1], [-100]]])
CALLS["tversky_loss"] = lambda x, y, **k: losses.tversky_loss(x.reshape(2, 3, 2, 1), _SEGMENTATION_LABELS, 0.3, 0.7,
                                                              **k)
CALLS["focal_tversky_loss"] = lambda x, y, **k: losses.focal_tversky_loss(
    x.reshape(2, 3, 2, 1), _SEGMENTATION_LABELS, 0.4, 0.6, gamma=4.0 / 3.0, **k)
CALLS["total_variation"] = lambda x, y, reduction="none", **k: losses.total_variation(
    x.reshape(1, 3, 4), "mean", batch_reduction=reduction, **k)

# The Lovász losses: x is pred, (2, 1, 3, 2) logits against fixed labels (random draws leave no
# tied errors, and stay off the hinge's kink at 0 error), or (1, 3, 2, 2) against 4 labels.
_HINGE_LABELS = np.array([[[1, 0], [0, 1], [1, 1]], [[0, 0], [1, 0], [0, 1]]])
CALLS["lovasz_hinge_loss"] = lambda x, y, **k: losses.lovasz_hinge_loss(x.reshape(2, 1, 3, 2), _HINGE_LABELS, **k)
CALLS["lovasz_softmax_loss"] = lambda x, y, **k: losses.lovasz_softmax_loss(
    x.reshape(1, 3, 2, 2), np.array([[[0, 2], [2, 1]]]), weight=np.array([1.0, 0.5, 2.0]), **k)
# ctc_loss: x is log_probs (T=2, N=2, C=3), any real values (the gradient is w.r.t. the given
# log_probs, not through a log_softmax); targets [1, 2] in 2 frames and [2] in 1 frame.
CALLS["ctc_loss"] = lambda x, y, **k: losses.ctc_loss(x.reshape(2, 2, 3), np.array([[1, 2], [2, 1]]), [2, 1], [2, 1],
                                                      **k)
# linear_cross_entropy: x is the input (2, 2), the linear weight (3, 2) and the first two of the
# three biases (the third held at 0.3: its gradient is not compared); one label ignored.
_linear_ce = lambda x, y, **k: losses.linear_cross_entropy(
    x[:4].reshape(2, 2), x[4:10].reshape(3, 2), np.array([2, -100]), linear_bias=np.append(x[10:12], 0.3),
    weight=np.array([0.5, 1.0, 2.0]), label_smoothing=0.2, **k)
_linear_ce_rows = lambda x, y, **k: losses.linear_cross_entropy(
    x[:6].reshape(3, 2), x[6:12].reshape(3, 2), np.array([2, 0, 1]), **k)
CALLS["linear_cross_entropy"] = lambda x, y, return_grad=False, **k: (lambda r: r if not return_grad else (
    r[0], np.concatenate([r[1][0].ravel(), r[1][1].ravel(), r[1][2][:2]])))(_linear_ce(x, y, return_grad=return_grad, **k))
CALLS["linear_cross_entropy_no_bias"] = lambda x, y, return_grad=False, **k: (lambda r: r if not return_grad else (
    r[0], np.concatenate([g.ravel() for g in r[1]])))(_linear_ce_rows(x, y, return_grad=return_grad, **k))


def test_every_loss_of_the_header_has_a_gradient_check():
    """Every entry but the updates, which have no gradient (they write a caller's table), and the
    metrics, which have none either."""
    assert set(header_losses()) - updates() - metrics() <= set(CALLS) | DETACHED
    assert not (updates() | metrics()) & set(CALLS)


@pytest.mark.parametrize("name", sorted(CALLS))
@pytest.mark.parametrize("reduction", ["none", "mean", "sum"])
def test_central_differences(name, reduction):
    # A seed fixed per case (str hashes change from run to run: a failure must reproduce).
    rng = np.random.default_rng(zlib.crc32(f"{name}/{reduction}".encode()))
    # Probabilities for binary_cross_entropy, logits and residuals for the rest.
    x = rng.uniform(0.05, 0.95, 12) if name == "binary_cross_entropy" else rng.standard_normal(12) * 2
    y = rng.standard_normal(12)
    call = CALLS[name]
    value = call(x, y, reduction=reduction)
    upstream = rng.standard_normal(np.shape(value))

    def scalar(z):
        return float(np.sum(upstream * call(z, y, reduction=reduction)))

    _, grad = call(x, y, reduction=reduction, return_grad=True, grad_output=upstream)
    h = 1e-6
    numeric = np.array([(scalar(x + h * e) - scalar(x - h * e)) / (2 * h) for e in np.eye(x.size)])
    np.testing.assert_allclose(np.ravel(grad), numeric, rtol=1e-6, atol=1e-8)
