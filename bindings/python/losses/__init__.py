"""liblosses: loss functions and their analytic gradients, from a small self-contained C
library, called on NumPy arrays without copying them.

    >>> import numpy as np, losses
    >>> x = np.array([0.5, 2.0, -1.0], dtype=np.float32); y = np.zeros(3, np.float32)
    >>> value, grad = losses.huber_loss(x, y, delta=1.0, return_grad=True)

Names, argument order and defaults follow torch.nn.functional (and torchvision.ops); see each
function's docstring and the project's docs/ folder.
"""
from . import _native
from .classification import (binary_cross_entropy, binary_cross_entropy_with_logits, cross_entropy, focal_loss,
                             hinge_embedding_loss, hinge_loss, logistic_loss, multi_margin_loss, nll_loss,
                             poly_loss_cross_entropy, sigmoid_focal_loss, soft_margin_loss, sparsemax_loss)
from .detection import (complete_box_iou_loss, distance_box_iou_loss, generalized_box_iou_loss, iou_loss,
                        sigmoid_dr_loss)
from .image_quality import ms_ssim_loss, ssim_loss
from .distributions import (gradient_penalty, js_divergence, kl_div, kl_divergence, wgan_critic_loss,
                            wgan_generator_loss)
from .distances import cosine_similarity, cosine_similarity_matrix, pairwise_distance, pairwise_distance_matrix
from .metric_learning import (batch_hard_quadruplet_loss, batch_hard_triplet_loss, circle_loss,
                              circle_loss_embeddings, contrastive_loss, cosine_embedding_loss, margin_ranking_loss,
                              ntxent_loss, quadruplet_loss, triplet_margin_loss,
                              triplet_margin_with_distance_loss, verification_loss)
from .fid_statistics import FIDStatistics, fid_statistics_merge, fid_statistics_update
from .images import (dice_loss, focal_tversky_loss, lovasz_hinge_loss, lovasz_softmax_loss, perceptual_loss,
                     reconstruction_loss, total_variation, tversky_loss)
from .linear_cross_entropy import linear_cross_entropy
from .metrics import fid, fid_from_stats, inception_score, r_precision, r_precision_embeddings, wasserstein_distance
from .regression import huber_loss, l1_loss, log_cosh_loss, mse_loss, quantile_loss, smooth_l1_loss
from .reinforcement import gae, td_error, td_lambda_returns, td_loss
from .reid import center_loss, center_loss_update, oim_loss, oim_update
from .retrieval import damsm_loss, damsm_sentence_loss, damsm_words_loss
from .regression import gaussian_nll_loss, poisson_nll_loss
from .classification import multilabel_margin_loss, multilabel_soft_margin_loss
from .sequences import ctc_loss

__version__ = _native.version_string().decode()


def set_num_threads(threads: int) -> None:
    """How many threads a large call uses, the calling thread included, for every later call of
    any thread; 0 restores the default (LOSSES_NUM_THREADS as read at import, else one per
    processor). As torch.set_num_threads."""
    if isinstance(threads, bool) or not isinstance(threads, int) or not 0 <= threads <= 2**31 - 1:
        raise ValueError(f"set_num_threads: threads must be an integer >= 0, got {threads!r}")
    _native.set_num_threads(threads)


def get_num_threads() -> int:
    """The number of threads a large call uses (see set_num_threads)."""
    return _native.get_num_threads()

library_path = _native.library_path

__all__ = [
    "set_num_threads", "get_num_threads",
    "cross_entropy", "nll_loss", "binary_cross_entropy", "binary_cross_entropy_with_logits", "focal_loss",
    "sigmoid_focal_loss", "hinge_loss", "multi_margin_loss", "hinge_embedding_loss", "soft_margin_loss",
    "logistic_loss",
    "mse_loss", "l1_loss", "huber_loss", "smooth_l1_loss", "quantile_loss", "log_cosh_loss",
    "pairwise_distance", "cosine_similarity", "pairwise_distance_matrix", "cosine_similarity_matrix",
    "margin_ranking_loss", "triplet_margin_loss", "cosine_embedding_loss", "contrastive_loss", "quadruplet_loss",
    "verification_loss", "circle_loss", "batch_hard_triplet_loss", "batch_hard_quadruplet_loss", "circle_loss_embeddings",
    "ntxent_loss",
    "center_loss", "center_loss_update", "oim_loss", "oim_update",
    "dice_loss", "perceptual_loss", "reconstruction_loss", "tversky_loss", "focal_tversky_loss", "total_variation",
    "lovasz_hinge_loss", "lovasz_softmax_loss",
    "generalized_box_iou_loss", "distance_box_iou_loss", "complete_box_iou_loss", "iou_loss", "sigmoid_dr_loss",
    "ssim_loss", "ms_ssim_loss",
    "td_loss", "td_error", "td_lambda_returns", "gae",
    "wasserstein_distance", "inception_score", "r_precision", "r_precision_embeddings",
    "damsm_loss", "damsm_words_loss", "damsm_sentence_loss",
    "kl_div", "kl_divergence", "js_divergence", "wgan_critic_loss", "wgan_generator_loss", "gradient_penalty",
    "fid", "fid_from_stats", "fid_statistics_update", "fid_statistics_merge", "FIDStatistics",
    "poisson_nll_loss", "gaussian_nll_loss", "multilabel_margin_loss", "multilabel_soft_margin_loss",
    "ctc_loss",
    "triplet_margin_with_distance_loss", "sparsemax_loss",
    "linear_cross_entropy",
    "poly_loss_cross_entropy",
]
