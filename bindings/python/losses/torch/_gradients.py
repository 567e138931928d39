"""Which arguments of each loss are differentiable in losses.torch, and where each gradient
comes from. PyTorch's own choices: the target is differentiable where its functional loss lets
autograd through the target (two learned outputs under mse_loss, soft targets in distillation),
labels and class weights are not.

    LIBRARY   the gradient the library computes in the same call (input; x1 and x2)
    NEGATED   exactly the negative of the input's gradient, summed over the quantile axis for
              quantile_loss: the loss depends on input - target
    TARGET    the library's gradient w.r.t. the target (return_target_grad=True, which calls
              losses_<loss>_grad_target_*)
"""
LIBRARY = "library"
NEGATED = "negated"
TARGET = "target"

DIFFERENTIABLE = {
    "mse_loss": {"input": LIBRARY, "target": TARGET},
    "l1_loss": {"input": LIBRARY, "target": TARGET},
    "huber_loss": {"input": LIBRARY, "target": TARGET},
    "smooth_l1_loss": {"input": LIBRARY, "target": TARGET},
    "log_cosh_loss": {"input": LIBRARY, "target": NEGATED},
    "quantile_loss": {"input": LIBRARY, "target": NEGATED},
    "binary_cross_entropy": {"input": LIBRARY, "target": TARGET},
    "binary_cross_entropy_with_logits": {"input": LIBRARY, "target": TARGET},
    "cross_entropy": {"input": LIBRARY, "target": TARGET},  # probability targets; labels are not
    "nll_loss": {"input": LIBRARY},
    "focal_loss": {"input": LIBRARY},
    "multi_margin_loss": {"input": LIBRARY},
    "sigmoid_focal_loss": {"inputs": LIBRARY},
    "hinge_loss": {"input": LIBRARY},
    "hinge_embedding_loss": {"input": LIBRARY},
    "soft_margin_loss": {"input": LIBRARY},
    "logistic_loss": {"input": LIBRARY},
    "pairwise_distance": {"x1": LIBRARY, "x2": LIBRARY},
    "cosine_similarity": {"x1": LIBRARY, "x2": LIBRARY},
    "pairwise_distance_matrix": {"x1": LIBRARY, "x2": LIBRARY},
    "cosine_similarity_matrix": {"x1": LIBRARY, "x2": LIBRARY},
    "margin_ranking_loss": {"input1": LIBRARY, "input2": LIBRARY},
    "triplet_margin_loss": {"anchor": LIBRARY, "positive": LIBRARY, "negative": LIBRARY},
    "cosine_embedding_loss": {"input1": LIBRARY, "input2": LIBRARY},
    "contrastive_loss": {"x1": LIBRARY, "x2": LIBRARY},
    "verification_loss": {"f1": LIBRARY, "f2": LIBRARY, "weight": LIBRARY, "bias": LIBRARY},
    "quadruplet_loss": {"anchor": LIBRARY, "positive": LIBRARY, "negative1": LIBRARY, "negative2": LIBRARY},
    "circle_loss": {"sp": LIBRARY, "sn": LIBRARY},
    # torchvision differentiates both sets of boxes (CIoU's alpha held constant).
    "generalized_box_iou_loss": {"boxes1": LIBRARY, "boxes2": LIBRARY},
    "distance_box_iou_loss": {"boxes1": LIBRARY, "boxes2": LIBRARY},
    "complete_box_iou_loss": {"boxes1": LIBRARY, "boxes2": LIBRARY},
    "iou_loss": {"pred": LIBRARY},
    "sigmoid_dr_loss": {"logits": LIBRARY},  # FCOS regresses pred; the target distances are data  # the paper's gradient: the pair weights held constant
    "ssim_loss": {"x": LIBRARY, "y": LIBRARY},
    "ms_ssim_loss": {"x": LIBRARY, "y": LIBRARY},  # the paper's gradient: the pair weights held constant
    "center_loss": {"features": LIBRARY, "centers": LIBRARY},
    "oim_loss": {"features": LIBRARY},
    "batch_hard_triplet_loss": {"embeddings": LIBRARY},  # labels are identities, not learned
    "batch_hard_quadruplet_loss": {"dist": LIBRARY},
    "circle_loss_embeddings": {"embeddings": LIBRARY},
    "ntxent_loss": {"embeddings": LIBRARY},  # the lookup table and the queue are updated, not learned
    "dice_loss": {"pred": LIBRARY, "target": LIBRARY},
    "perceptual_loss": {"features_x": LIBRARY, "features_y": LIBRARY},  # every map of both lists  # soft targets are differentiable
    "reconstruction_loss": {"x": LIBRARY, "x_hat": LIBRARY},
    # PyTorch's kl_div differentiates its target (distillation with a learned teacher).
    "kl_div": {"input": LIBRARY, "target": TARGET},
    "kl_divergence": {"p": LIBRARY, "q": LIBRARY},
    "js_divergence": {"p": LIBRARY, "q": LIBRARY},
    "wgan_critic_loss": {"real_scores": LIBRARY, "fake_scores": LIBRARY},
    "wgan_generator_loss": {"fake_scores": LIBRARY},
    "gradient_penalty": {"gradients": LIBRARY},  # backward is once-differentiable: no double backward
    # DAMSM trains both encoders: every feature is differentiable; lengths and classes are labels.
    "damsm_words_loss": {"img_features": LIBRARY, "words_emb": LIBRARY},
    "damsm_sentence_loss": {"img_global": LIBRARY, "sent_emb": LIBRARY},
    # rlax's semi-gradient TD: the bootstrap target r + gamma (1 - done) V(s') is held constant.
    "td_loss": {"values": LIBRARY},
    # kornia's segmentation losses: the logits (labels are not differentiable) and the image.
    "tversky_loss": {"pred": LIBRARY},
    "focal_tversky_loss": {"pred": LIBRARY},
    "total_variation": {"img": LIBRARY},
    "lovasz_hinge_loss": {"pred": LIBRARY},
    "lovasz_softmax_loss": {"pred": LIBRARY},  # kornia's weight is a plain factor; as class weights here, not differentiated
    # PyTorch differentiates the target of its composite NLL losses, and gaussian_nll_loss's var.
    "poisson_nll_loss": {"input": LIBRARY, "target": TARGET},
    "gaussian_nll_loss": {"input": LIBRARY, "var": LIBRARY, "target": NEGATED},
    "multilabel_margin_loss": {"input": LIBRARY},  # the targets are class indices
    "multilabel_soft_margin_loss": {"input": LIBRARY, "target": TARGET},
    # CTC: the true partial derivative w.r.t. log_probs (PyTorch's kernel returns exp(lp) - gamma;
    # through F.log_softmax both give the logits the same gradient); targets and lengths are labels.
    "ctc_loss": {"log_probs": LIBRARY},
    # A named distance; a callable one is left to autograd (functional.py).
    "triplet_margin_with_distance_loss": {"anchor": LIBRARY, "positive": LIBRARY, "negative": LIBRARY},
    "sparsemax_loss": {"logits": LIBRARY},  # the labels are data (0 or 1)
    # The linear layer's input, weight and bias; the labels and class weights are data.
    "linear_cross_entropy": {"input": LIBRARY, "linear_weight": LIBRARY, "linear_bias": LIBRARY},
    "poly_loss_cross_entropy": {"logits": LIBRARY, "labels": TARGET},  # soft labels, as optax differentiates them
}

# Arguments a loss holds constant by definition (a stop-gradient in the reference): a tensor there
# that requires grad gets no gradient, where any other non-differentiable tensor is refused.
HELD_CONSTANT = {
    "td_loss": {"rewards", "next_values", "dones"},
}
