"""Many Python threads calling many losses at once (ctypes releases the GIL, so the calls run in
parallel) produce exactly the serial results, bit for bit, and each thread sees its own error
messages."""
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

import losses
from header import losses as header_losses

rng = np.random.default_rng(42)
X = rng.uniform(0.01, 0.99, size=(4096, 10))
Y = rng.uniform(0.01, 0.99, size=(4096, 10))
LABELS = rng.integers(0, 10, size=4096)
SEGMENTATION_LABELS = np.where(np.arange(128 * 80) % 13 == 0, -100, np.arange(128 * 80) * 7 % 4).reshape(128, 8, 10)
SIGNS = np.where(Y > 0.5, 1.0, -1.0)
CENTERS = rng.normal(size=(10, 10))
TARGETS = np.where(np.arange(4096) % 5 == 0, -1, LABELS)  # every fifth sample unlabelled
QUEUE = rng.normal(size=(64, 10))
# multilabel_margin_loss's rows: LABELS % 4 targets each, then -1.
MULTILABEL = np.where(np.arange(10) < (LABELS % 4)[:, None], (LABELS[:, None] + np.arange(10)) % 10, -1)


def updated(update, table, *args):
    """An update on a copy of `table`: the table it wrote, as the call's "value", no gradient."""
    table = table.copy()
    update(*args[:2], table, *args[2:])
    return table, ()


def oim_updated(x):
    """oim_update on copies of its tables: both tables and the head, as the call's "value"."""
    lut, queue = CENTERS.astype(x.dtype), QUEUE.astype(x.dtype)
    head = losses.oim_update(x, TARGETS, lut, queue, 7, momentum=0.3)
    return np.concatenate([lut.ravel(), queue.ravel(), np.array([head], x.dtype)]), ()

def _covariance(x):
    """A covariance of x's columns in x's dtype (symmetric: fid_from_stats refuses others)."""
    c = np.cov(x.astype(np.float64), rowvar=False)
    return ((c + c.T) / 2).astype(x.dtype)


def _boxes(x, column):
    """Ordered boxes from x's columns `column`, `column` + 1 and Y's as their sizes."""
    corner, size = x[:, column:column + 2], Y[:, column:column + 2].astype(x.dtype)
    return np.concatenate([corner, corner + size], axis=1)


CALLS = {
    "mse_loss": lambda x: losses.mse_loss(x, Y.astype(x.dtype), return_grad=True),
    "huber_loss": lambda x: losses.huber_loss(x, Y.astype(x.dtype), reduction="none", return_grad=True),
    "log_cosh_loss": lambda x: losses.log_cosh_loss(x, Y.astype(x.dtype), return_grad=True),
    "quantile_loss": lambda x: losses.quantile_loss(x, Y[:, 0].astype(x.dtype), quantile=np.linspace(.05, .95, 10),
                                                    return_grad=True),
    "cross_entropy": lambda x: losses.cross_entropy(x, LABELS, label_smoothing=0.1, return_grad=True),
    "focal_loss": lambda x: losses.focal_loss(x, LABELS, return_grad=True),
    "nll_loss": lambda x: losses.nll_loss(x, LABELS, reduction="none", return_grad=True),
    "binary_cross_entropy": lambda x: losses.binary_cross_entropy(x, Y.astype(x.dtype), return_grad=True),
    "binary_cross_entropy_with_logits": lambda x: losses.binary_cross_entropy_with_logits(
        x, Y.astype(x.dtype), pos_weight=np.arange(1, 11, dtype=x.dtype), return_grad=True),
    "sigmoid_focal_loss": lambda x: losses.sigmoid_focal_loss(x, Y.astype(x.dtype), return_grad=True),
    "multi_margin_loss": lambda x: losses.multi_margin_loss(x, LABELS, p=2, return_grad=True),
    "soft_margin_loss": lambda x: losses.soft_margin_loss(x, SIGNS.astype(x.dtype), return_grad=True),
    "l1_loss": lambda x: losses.l1_loss(x, Y.astype(x.dtype), reduction="none", return_grad=True),
    "smooth_l1_loss": lambda x: losses.smooth_l1_loss(x, Y.astype(x.dtype), beta=0.3, return_grad=True),
    "cross_entropy_probs": lambda x: losses.cross_entropy(x, Y.astype(x.dtype) / Y.sum(1, keepdims=True),
                                                          return_grad=True),
    "hinge_loss": lambda x: losses.hinge_loss(x, SIGNS.astype(x.dtype), squared=True, return_grad=True),
    "hinge_embedding_loss": lambda x: losses.hinge_embedding_loss(x, SIGNS.astype(x.dtype), return_grad=True),
    "logistic_loss": lambda x: losses.logistic_loss(x, SIGNS.astype(x.dtype), return_grad=True),
    "pairwise_distance": lambda x: losses.pairwise_distance(x, Y.astype(x.dtype), p=3.0, return_grad=True),
    "cosine_similarity": lambda x: losses.cosine_similarity(x, Y.astype(x.dtype), reduction="mean",
                                                            return_grad=True),
    "pairwise_distance_matrix": lambda x: losses.pairwise_distance_matrix(x[:512], Y[:300].astype(x.dtype),
                                                                          return_grad=True),
    "cosine_similarity_matrix": lambda x: losses.cosine_similarity_matrix(x[:300], Y[:512].astype(x.dtype),
                                                                          reduction="sum", return_grad=True),
    "margin_ranking_loss": lambda x: losses.margin_ranking_loss(x, Y.astype(x.dtype), SIGNS.astype(x.dtype),
                                                                margin=0.1, return_grad=True),
    "triplet_margin_loss": lambda x: losses.triplet_margin_loss(x, Y.astype(x.dtype), X[::-1].astype(x.dtype),
                                                                swap=True, reduction="none", return_grad=True),
    "cosine_embedding_loss": lambda x: losses.cosine_embedding_loss(x, Y.astype(x.dtype), SIGNS[:, 0].astype(x.dtype),
                                                                    margin=0.1, return_grad=True),
    "contrastive_loss": lambda x: losses.contrastive_loss(x, Y.astype(x.dtype), (SIGNS[:, 0] > 0).astype(x.dtype),
                                                          margin=3.0, reduction="none", return_grad=True),
    "quadruplet_loss": lambda x: losses.quadruplet_loss(x, Y.astype(x.dtype), X[::-1].astype(x.dtype),
                                                        Y[::-1].astype(x.dtype), margin1=0.5, margin2=0.25,
                                                        reduction="none", return_grad=True),
    "verification_loss": lambda x: losses.verification_loss(x, Y.astype(x.dtype), (SIGNS[:, 0] > 0).astype(x.dtype),
                                                            np.linspace(-1, 1, 10).astype(x.dtype), 0.5,
                                                            reduction="sum", return_grad=True),
    "circle_loss": lambda x: losses.circle_loss(2 * x - 1, 1 - 2 * Y.astype(x.dtype), reduction="none",
                                                return_grad=True),
    # X's rows as (x1, y1) and Y's as sizes: ordered boxes (x1, y1, x1 + w, y1 + h).
    "generalized_box_iou_loss": lambda x: losses.generalized_box_iou_loss(
        _boxes(x, 0), _boxes(x, 2), reduction="none", return_grad=True),
    "distance_box_iou_loss": lambda x: losses.distance_box_iou_loss(_boxes(x, 0), _boxes(x, 2), reduction="sum",
                                                                    return_grad=True),
    "complete_box_iou_loss": lambda x: losses.complete_box_iou_loss(_boxes(x, 0), _boxes(x, 2), reduction="mean",
                                                                    return_grad=True),
    "iou_loss": lambda x: losses.iou_loss(x[:, :4], Y[:, 4:8].astype(x.dtype), weight=Y[:, 0].astype(x.dtype),
                                          loss_type="giou", reduction="none", return_grad=True),
    "sigmoid_dr_loss": lambda x: losses.sigmoid_dr_loss(4 * x - 2, TARGETS, reduction="sum", return_grad=True),
    "batch_hard_triplet_loss": lambda x: losses.batch_hard_triplet_loss(x[:600], LABELS[:600], soft=True,
                                                                        reduction="none", return_grad=True),
    "batch_hard_quadruplet_loss": lambda x: losses.batch_hard_quadruplet_loss(
        np.abs(x[:300, :1] - x[:300, :1].T), LABELS[:300], return_grad=True),
    "circle_loss_embeddings": lambda x: losses.circle_loss_embeddings(x[:600], LABELS[:600], return_grad=True),
    "ntxent_loss": lambda x: losses.ntxent_loss(x[:600], reduction="sum", return_grad=True),
    "center_loss": lambda x: losses.center_loss(x, LABELS, CENTERS.astype(x.dtype), reduction="none", return_grad=True),
    "center_loss_update": lambda x: updated(losses.center_loss_update, CENTERS.astype(x.dtype), x, LABELS, 0.3),
    "oim_loss": lambda x: losses.oim_loss(x, TARGETS, CENTERS.astype(x.dtype), QUEUE.astype(x.dtype), scalar=3.0,
                                          reduction="none", return_grad=True),
    "oim_update": oim_updated,
    "dice_loss": lambda x: losses.dice_loss(x.reshape(128, 4, 8, 10), Y.astype(x.dtype).reshape(128, 4, 8, 10),
                                            reduction="none", return_grad=True),
    "reconstruction_loss": lambda x: losses.reconstruction_loss(Y.astype(x.dtype), x, p=2, return_grad=True),
    "ms_ssim_loss": lambda x: losses.ms_ssim_loss(x.reshape(1, 1, 160, 256), Y.astype(x.dtype).reshape(1, 1, 160, 256),
                                                  win_size=7, reduction="none", return_grad=True),
    # Two layers; the gradients of both, per layer, flattened into one tuple.
    "perceptual_loss": lambda x: (lambda r: (r[0], tuple(r[1][0] + r[1][1])))(losses.perceptual_loss(
        [x.reshape(4, 64, 10, 16), x.reshape(4, 10, 1024)], [Y.astype(x.dtype).reshape(4, 64, 10, 16),
                                                            Y.astype(x.dtype).reshape(4, 10, 1024)],
        layer_weights=[1.0, 0.5], style_weight=3.0, reduction="none", return_grad=True)),
    "ssim_loss": lambda x: losses.ssim_loss(x.reshape(16, 1, 40, 64), Y.astype(x.dtype).reshape(16, 1, 40, 64),
                                            reduction="none", return_grad=True),
    "kl_div": lambda x: losses.kl_div(np.log(Y.astype(x.dtype)), x, reduction="batchmean", return_grad=True),
    "kl_divergence": lambda x: losses.kl_divergence(x, Y.astype(x.dtype), reduction="none", return_grad=True),
    "js_divergence": lambda x: losses.js_divergence(x, Y.astype(x.dtype), reduction="sum", return_grad=True),
    "wgan_critic_loss": lambda x: losses.wgan_critic_loss(Y.astype(x.dtype), x, return_grad=True),
    "wgan_generator_loss": lambda x: losses.wgan_generator_loss(x, reduction="none", return_grad=True),
    "gradient_penalty": lambda x: losses.gradient_penalty(x, reduction="none", return_grad=True),
    # DAMSM: 16 images of 10 x 24 regions against 16 captions of up to 6 words (Y), four classes.
    "damsm_words_loss": lambda x: losses.damsm_words_loss(
        x[:384].reshape(16, 10, 24), Y[:96].astype(x.dtype).reshape(16, 10, 6), LABELS[:16] % 6 + 1,
        LABELS[16:32] % 4, reduction="none", return_grad=True),
    "damsm_sentence_loss": lambda x: losses.damsm_sentence_loss(x[:600], Y[:600].astype(x.dtype), LABELS[:600],
                                                                return_grad=True),
    # x is the values; Y the rewards, Y's next row the next values, SIGNS > 0 the terminal steps.
    "td_loss": lambda x: losses.td_loss(Y.astype(x.dtype), x, np.roll(Y, -1, axis=0).astype(x.dtype),
                                        (SIGNS > 0).astype(x.dtype), gamma=0.97, loss="huber", reduction="none",
                                        return_grad=True),
    # The metrics: a value, no gradient (as an update's "value"). The value-learning targets: 4096
    # trajectories of 10 steps.
    "td_error": lambda x: (losses.td_error(Y.astype(x.dtype), x, np.roll(Y, -1, axis=1).astype(x.dtype),
                                           SIGNS > 0, gamma=0.97), ()),
    "td_lambda_returns": lambda x: (losses.td_lambda_returns(Y.astype(x.dtype), (0.99 * (SIGNS < 0)).astype(x.dtype),
                                                             x, lambda_=0.9), ()),
    "gae": lambda x: (losses.gae(Y.astype(x.dtype), (0.99 * (SIGNS < 0)).astype(x.dtype),
                                 np.concatenate([x, x[:, :1]], axis=1), lambda_=0.9), ()),
    "wasserstein_distance": lambda x: (losses.wasserstein_distance(x.ravel(), Y[::-1, :3].ravel().astype(x.dtype),
                                                                   u_weights=Y.ravel().astype(x.dtype)), ()),
    "inception_score": lambda x: (np.array(losses.inception_score(x / x.sum(1, keepdims=True), splits=7)), ()),
    "fid": lambda x: (losses.fid(x[:, :8], Y[::-1, :8].astype(x.dtype)), ()),
    "r_precision": lambda x: (losses.r_precision(x, Y > 0.6, reduction="none"), ()),
    "r_precision_embeddings": lambda x: (losses.r_precision_embeddings(x[:, :2], x.reshape(-1, 5, 2), reduction="none"),
                                         ()),
    "fid_from_stats": lambda x: (losses.fid_from_stats(x[0, :6], _covariance(x[:, :6]), Y[0, :6].astype(x.dtype),
                                                       _covariance(Y[:, :6].astype(x.dtype))), ()),
    # The target gradients: x is the target.
    "mse_loss_grad_target": lambda x: losses.mse_loss(Y.astype(x.dtype), x, return_target_grad=True),
    "l1_loss_grad_target": lambda x: losses.l1_loss(Y.astype(x.dtype), x, reduction="none", return_target_grad=True),
    "huber_loss_grad_target": lambda x: losses.huber_loss(Y.astype(x.dtype), x, delta=0.2, return_target_grad=True),
    "smooth_l1_loss_grad_target": lambda x: losses.smooth_l1_loss(Y.astype(x.dtype), x, beta=0.3, reduction="none",
                                                                  return_target_grad=True),
    "binary_cross_entropy_grad_target": lambda x: losses.binary_cross_entropy(Y.astype(x.dtype), x,
                                                                              return_target_grad=True),
    "binary_cross_entropy_with_logits_grad_target": lambda x: losses.binary_cross_entropy_with_logits(
        Y.astype(x.dtype), x, pos_weight=np.arange(1, 11, dtype=x.dtype), reduction="none", return_target_grad=True),
    "cross_entropy_probs_grad_target": lambda x: losses.cross_entropy(Y.astype(x.dtype), x, label_smoothing=0.1,
                                                                      return_target_grad=True),
    "kl_div_grad_target": lambda x: losses.kl_div(np.log(Y.astype(x.dtype)), x, reduction="none",
                                                  return_target_grad=True),
    "tversky_loss": lambda x: losses.tversky_loss(4 * x.reshape(128, 4, 8, 10) - 2, SEGMENTATION_LABELS, 0.3, 0.7,
                                                  reduction="none", return_grad=True),
    "focal_tversky_loss": lambda x: losses.focal_tversky_loss(4 * x.reshape(128, 4, 8, 10) - 2, SEGMENTATION_LABELS,
                                                              0.3, 0.7, reduction="none", return_grad=True),
    "total_variation": lambda x: losses.total_variation(x.reshape(64, 64, 10), "mean", return_grad=True),
    "lovasz_hinge_loss": lambda x: losses.lovasz_hinge_loss(4 * x.reshape(128, 1, 32, 10) - 2,
                                                            SEGMENTATION_LABELS.reshape(128, 8, 10).repeat(4, 1) % 2,
                                                            reduction="none", return_grad=True),
    "lovasz_softmax_loss": lambda x: losses.lovasz_softmax_loss(4 * x.reshape(128, 4, 8, 10) - 2,
                                                                np.abs(SEGMENTATION_LABELS) % 4, reduction="none",
                                                                return_grad=True),
    "poisson_nll_loss": lambda x: losses.poisson_nll_loss(x, Y.astype(x.dtype) * 3, full=True, return_grad=True),
    "poisson_nll_loss_grad_target": lambda x: losses.poisson_nll_loss(Y.astype(x.dtype), x * 3, full=True,
                                                                      reduction="none", return_target_grad=True),
    "gaussian_nll_loss": lambda x: losses.gaussian_nll_loss(x, Y.astype(x.dtype), Y[:, 0].astype(x.dtype),
                                                            return_grad=True),
    "multilabel_margin_loss": lambda x: losses.multilabel_margin_loss(x, MULTILABEL, return_grad=True),
    "multilabel_soft_margin_loss": lambda x: losses.multilabel_soft_margin_loss(x, (Y > 0.5).astype(x.dtype),
                                                                                return_grad=True),
    "multilabel_soft_margin_loss_grad_target": lambda x: losses.multilabel_soft_margin_loss(
        Y.astype(x.dtype), x, reduction="none", return_target_grad=True),
    # CTC: log(x) as (T=64, N=64, C=10) log-probabilities, targets of 0..12 labels in 1..9, input
    # lengths 40..64.
    "ctc_loss": lambda x: losses.ctc_loss(np.log(x).reshape(64, 64, 10), LABELS[:64 * 12].reshape(64, 12) % 9 + 1,
                                          64 - LABELS[:64] * 2 - LABELS[64:128] % 5, LABELS[128:192] % 13,
                                          reduction="none", return_grad=True),
    "triplet_margin_with_distance_loss": lambda x: losses.triplet_margin_with_distance_loss(
        x, Y.astype(x.dtype), X[::-1].astype(x.dtype), distance_function="cosine", swap=True, reduction="none",
        return_grad=True),
    "sparsemax_loss": lambda x: losses.sparsemax_loss(4 * x - 2, (SIGNS > 0).astype(x.dtype), reduction="none",
                                                      return_grad=True),
    # 4096 rows of 10 features, 10 classes: four blocks of rows; every fifth row ignored.
    "linear_cross_entropy": lambda x: losses.linear_cross_entropy(
        x, CENTERS.astype(x.dtype), TARGETS, linear_bias=Y[0].astype(x.dtype), ignore_index=-1, label_smoothing=0.1,
        return_grad=True),
    "poly_loss_cross_entropy": lambda x: losses.poly_loss_cross_entropy(x, (Y / Y.sum(1, keepdims=True)).astype(x.dtype),
                                                                        reduction="none", return_grad=True),
    "poly_loss_cross_entropy_grad_target": lambda x: losses.poly_loss_cross_entropy(
        Y.astype(x.dtype), x, epsilon=-1.0, return_target_grad=True),
}


def test_every_loss_of_the_header_has_a_thread_stress_case():
    assert set(header_losses()) <= set(CALLS)


def run(name, dtype):
    value, grad = CALLS[name](X.astype(dtype))
    grads = grad if isinstance(grad, tuple) else (grad,)
    return np.asarray(value).tobytes(), b"".join(g.tobytes() for g in grads)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_parallel_calls_match_serial(dtype):
    serial = {name: run(name, dtype) for name in CALLS}
    work = [name for name in CALLS for _ in range(12)]
    np.random.default_rng(1).shuffle(work)
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(lambda name: (name, run(name, dtype)), work))
    for name, result in results:
        assert result == serial[name], name


def test_error_messages_stay_with_their_thread():
    def fail(i):
        try:
            losses.huber_loss(np.ones(3), np.zeros(3), delta=-float(i + 1))
        except ValueError as error:
            return str(error)
        return None

    with ThreadPoolExecutor(max_workers=8) as pool:
        messages = list(pool.map(fail, range(200)))
    for i, message in enumerate(messages):
        assert message == f"huber_loss: delta must be positive and finite, got {-float(i + 1)}"


DETERMINISM = r"""
import hashlib, sys
import numpy as np
import losses
rng = np.random.default_rng(5)
digest = hashlib.sha256()
for dtype in (np.float32, np.float64):
    x = rng.standard_normal(3 * 2**18 + 11).astype(dtype)
    y = rng.standard_normal(x.size).astype(dtype)
    for value, grad in (losses.mse_loss(x, y, return_grad=True), losses.huber_loss(x, y, return_grad=True),
                        losses.binary_cross_entropy_with_logits(x, (y > 0).astype(dtype), return_grad=True),
                        losses.cross_entropy(x[:2**19].reshape(2**9, 2**10), np.arange(2**9) % 1000,
                                             return_grad=True),
                        losses.mse_loss(x, y, weight=np.abs(y), reduction="none", return_grad=True),
                        losses.pairwise_distance(x[:2**19].reshape(2**15, 16), y[:2**19].reshape(2**15, 16),
                                                 reduction="mean", return_grad=True),
                        losses.cosine_similarity(x[:2**19].reshape(2**15, 16), y[:2**19].reshape(2**15, 16),
                                                 return_grad=True),
                        losses.pairwise_distance_matrix(x[:2**14].reshape(2**10, 16), y[:2**13].reshape(2**9, 16),
                                                        p=1.5, return_grad=True),
                        losses.cosine_similarity_matrix(x[:2**14].reshape(2**10, 16), y[:2**13].reshape(2**9, 16),
                                                        reduction="sum", return_grad=True),
                        losses.damsm_words_loss(x[:48 * 16 * 36].reshape(48, 16, 36), y[:48 * 16 * 8].reshape(48, 16, 8),
                                                np.arange(48) % 8 + 1, np.arange(48) % 5, return_grad=True),
                        losses.damsm_sentence_loss(x[:2**14].reshape(2**10, 16), y[:2**14].reshape(2**10, 16),
                                                   return_grad=True),
                        losses.ctc_loss(x[:100 * 48 * 20].reshape(100, 48, 20), np.arange(48 * 30).reshape(48, 30) % 19 + 1,
                                        100 - np.arange(48) % 30, np.arange(48) % 31, return_grad=True),
                        losses.linear_cross_entropy(x[:2**17].reshape(2**11, 64), y[:500 * 64].reshape(500, 64),
                                                    np.arange(2**11) % 500, linear_bias=y[-500:], label_smoothing=0.1,
                                                    return_grad=True)):
        digest.update(np.asarray(value).tobytes())
        for g in (grad if isinstance(grad, tuple) else (grad,)):
            digest.update(g.tobytes())
print(digest.hexdigest())
"""


def test_large_results_are_bitwise_the_same_for_any_thread_count():
    """Inputs past the parallel threshold are split into fixed chunks combined in order: 1, 2,
    3 or 7 threads give the same bits."""
    import os
    import subprocess
    import sys

    digests = set()
    for threads in ("1", "2", "3", "7"):
        env = dict(os.environ, LOSSES_NUM_THREADS=threads)
        result = subprocess.run([sys.executable, "-c", DETERMINISM], env=env, capture_output=True, text=True)
        assert result.returncode == 0, result.stderr
        digests.add(result.stdout.strip())
    assert len(digests) == 1, digests
