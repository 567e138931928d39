"""nn.Module forms of the losses, with PyTorch's class names and constructor arguments where
PyTorch has the loss (CrossEntropyLoss, MSELoss, ...), and the same pattern for the others
(FocalLoss, QuantileLoss, ...). A module holds the loss's options; forward(input, target) calls
the functional form. Tensor options (class weights, pos_weight) are registered as buffers, as
PyTorch does, so they follow .to(dtype) and state_dict.

MODULES maps each class name to (functional name, the forward's tensor arguments, the options
with their defaults): the constructor takes the options, in that order.
"""
import torch
from torch import nn

from . import functional
from .linear_module import LinearCrossEntropyLoss

_BUFFERS = ("weight", "pos_weight")

MODULES = {
    # PyTorch's classes, with PyTorch's constructor order.
    "CrossEntropyLoss": ("cross_entropy", ("input", "target"), (
        ("weight", None), ("size_average", None), ("ignore_index", -100), ("reduce", None),
        ("reduction", "mean"), ("label_smoothing", 0.0))),
    "NLLLoss": ("nll_loss", ("input", "target"), (
        ("weight", None), ("size_average", None), ("ignore_index", -100), ("reduce", None), ("reduction", "mean"))),
    "BCELoss": ("binary_cross_entropy", ("input", "target"), (
        ("weight", None), ("size_average", None), ("reduce", None), ("reduction", "mean"))),
    "BCEWithLogitsLoss": ("binary_cross_entropy_with_logits", ("input", "target"), (
        ("weight", None), ("size_average", None), ("reduce", None), ("reduction", "mean"), ("pos_weight", None))),
    "MSELoss": ("mse_loss", ("input", "target"), (("size_average", None), ("reduce", None), ("reduction", "mean"))),
    "L1Loss": ("l1_loss", ("input", "target"), (("size_average", None), ("reduce", None), ("reduction", "mean"))),
    "HuberLoss": ("huber_loss", ("input", "target"), (("reduction", "mean"), ("delta", 1.0))),
    "SmoothL1Loss": ("smooth_l1_loss", ("input", "target"), (
        ("size_average", None), ("reduce", None), ("reduction", "mean"), ("beta", 1.0))),
    "MultiMarginLoss": ("multi_margin_loss", ("input", "target"), (
        ("p", 1), ("margin", 1.0), ("weight", None), ("size_average", None), ("reduce", None), ("reduction", "mean"))),
    "HingeEmbeddingLoss": ("hinge_embedding_loss", ("input", "target"), (
        ("margin", 1.0), ("size_average", None), ("reduce", None), ("reduction", "mean"))),
    "SoftMarginLoss": ("soft_margin_loss", ("input", "target"), (
        ("size_average", None), ("reduce", None), ("reduction", "mean"))),
    "PairwiseDistance": ("pairwise_distance", ("x1", "x2"), (("p", 2.0), ("eps", 1e-6), ("keepdim", False))),
    "CosineSimilarity": ("cosine_similarity", ("x1", "x2"), (("dim", 1), ("eps", 1e-8))),
    "MarginRankingLoss": ("margin_ranking_loss", ("input1", "input2", "target"), (
        ("margin", 0.0), ("size_average", None), ("reduce", None), ("reduction", "mean"))),
    "CosineEmbeddingLoss": ("cosine_embedding_loss", ("input1", "input2", "target"), (
        ("margin", 0.0), ("size_average", None), ("reduce", None), ("reduction", "mean"))),
    "ContrastiveLoss": ("contrastive_loss", ("x1", "x2", "label"), (("margin", 2.0), ("reduction", "mean"))),
    "VerificationLoss": ("verification_loss", ("f1", "f2", "label", "weight", "bias"), (("reduction", "mean"),)),
    "QuadrupletLoss": ("quadruplet_loss", ("anchor", "positive", "negative1", "negative2"), (
        ("margin1", 1.0), ("margin2", 0.5), ("reduction", "mean"))),
    "TripletMarginLoss": ("triplet_margin_loss", ("anchor", "positive", "negative"), (
        ("margin", 1.0), ("p", 2.0), ("eps", 1e-6), ("swap", False), ("size_average", None), ("reduce", None),
        ("reduction", "mean"))),
    # liblosses' others, named in the same way.
    "FocalLoss": ("focal_loss", ("input", "target"), (
        ("gamma", 2.0), ("alpha", None), ("ignore_index", -100), ("reduction", "mean"))),
    "SigmoidFocalLoss": ("sigmoid_focal_loss", ("inputs", "targets"), (
        ("alpha", 0.25), ("gamma", 2.0), ("reduction", "none"))),
    "HingeLoss": ("hinge_loss", ("input", "target"), (("margin", 1.0), ("squared", False), ("reduction", "mean"))),
    "LogisticLoss": ("logistic_loss", ("input", "target"), (("reduction", "mean"),)),
    "QuantileLoss": ("quantile_loss", ("input", "target"), (("quantile", 0.5), ("reduction", "mean"))),
    "LogCoshLoss": ("log_cosh_loss", ("input", "target"), (("reduction", "mean"),)),
    "SSIMLoss": ("ssim_loss", ("x", "y"), (("data_range", 1.0), ("win_size", 11), ("win_sigma", 1.5),
                                          ("K", (0.01, 0.03)), ("reduction", "mean"))),
    "MSSSIMLoss": ("ms_ssim_loss", ("x", "y"), (("data_range", 1.0), ("win_size", 11), ("win_sigma", 1.5),
                                               ("weights", None), ("K", (0.01, 0.03)), ("reduction", "mean"))),
    "CircleLoss": ("circle_loss", ("sp", "sn"), (("m", 0.25), ("gamma", 256.0), ("reduction", "mean"))),
    "TDLoss": ("td_loss", ("rewards", "values", "next_values", "dones"), (
        ("gamma", 0.99), ("loss", "mse"), ("reduction", "mean"))),
    # torchvision.ops has only the functions; the modules follow its argument order and defaults.
    "GeneralizedBoxIoULoss": ("generalized_box_iou_loss", ("boxes1", "boxes2"), (("reduction", "none"), ("eps", 1e-7))),
    "DistanceBoxIoULoss": ("distance_box_iou_loss", ("boxes1", "boxes2"), (("reduction", "none"), ("eps", 1e-7))),
    "CompleteBoxIoULoss": ("complete_box_iou_loss", ("boxes1", "boxes2"), (("reduction", "none"), ("eps", 1e-7))),
    # FCOS's IOULoss(loss_type), forward(pred, target, weight=None).
    # idstcv/DR_loss's SigmoidDRLoss(pos_lambda, neg_lambda, L, tau), forward(logits, targets).
    "SigmoidDRLoss": ("sigmoid_dr_loss", ("logits", "targets"), (
        ("pos_lambda", 1.0), ("neg_lambda", 0.07982356001479281), ("L", 6.0), ("tau", 4.0), ("margin", 0.5),
        ("reduction", "mean"))),
    "IOULoss": ("iou_loss", ("pred", "target", "weight"), (("loss_type", "iou"), ("reduction", "mean"))),
    "CenterLoss": ("center_loss", ("features", "labels", "centers"), (("reduction", "mean"),)),
    "OIMLoss": ("oim_loss", ("features", "targets", "lut", "queue"), (
        ("scalar", 30.0), ("ignore_index", -1), ("reduction", "mean"))),
    "BatchHardTripletLoss": ("batch_hard_triplet_loss", ("embeddings", "labels"), (
        ("margin", 0.3), ("squared", False), ("soft", False), ("reduction", "mean"))),
    "BatchHardQuadrupletLoss": ("batch_hard_quadruplet_loss", ("dist", "labels"), (
        ("margin1", 1.0), ("margin2", 0.5), ("reduction", "mean"))),
    "CircleLossEmbeddings": ("circle_loss_embeddings", ("embeddings", "labels"), (
        ("m", 0.4), ("gamma", 80.0), ("reduction", "mean"))),
    "NTXentLoss": ("ntxent_loss", ("embeddings",), (("temperature", 0.07), ("reduction", "mean"))),
    "PairwiseDistanceMatrix": ("pairwise_distance_matrix", ("x1", "x2"), (("p", 2.0), ("eps", 1e-6))),
    "CosineSimilarityMatrix": ("cosine_similarity_matrix", ("x1", "x2"), (("eps", 1e-8),)),
    "DiceLoss": ("dice_loss", ("pred", "target"), (("smooth", 1.0), ("reduction", "mean"))),
    "ReconstructionLoss": ("reconstruction_loss", ("x", "x_hat"), (("p", 1), ("reduction", "mean"))),
    # kornia's TverskyLoss(alpha, beta, eps, ignore_index) and TotalVariation(), forward(pred, target) / forward(img).
    "TverskyLoss": ("tversky_loss", ("pred", "target"), (
        ("alpha", None), ("beta", None), ("eps", 1e-8), ("ignore_index", -100), ("reduction", "mean"))),
    "FocalTverskyLoss": ("focal_tversky_loss", ("pred", "target"), (
        ("alpha", None), ("beta", None), ("gamma", 4.0 / 3.0), ("eps", 1e-8), ("ignore_index", -100),
        ("reduction", "mean"))),
    "TotalVariation": ("total_variation", ("img",), (("reduction", "sum"), ("batch_reduction", "none"))),
    "LovaszHingeLoss": ("lovasz_hinge_loss", ("pred", "target"), (("reduction", "mean"),)),
    "LovaszSoftmaxLoss": ("lovasz_softmax_loss", ("pred", "target"), (("weight", None), ("reduction", "mean"))),
    "KLDivLoss": ("kl_div", ("input", "target"), (
        ("size_average", None), ("reduce", None), ("reduction", "mean"), ("log_target", False))),
    "KLDivergence": ("kl_divergence", ("p", "q"), (("axis", -1), ("reduction", "none"))),
    "JSDivergence": ("js_divergence", ("p", "q"), (("axis", -1), ("reduction", "none"))),
    "WGANCriticLoss": ("wgan_critic_loss", ("real_scores", "fake_scores"), (("reduction", "mean"),)),
    "WGANGeneratorLoss": ("wgan_generator_loss", ("fake_scores",), (("reduction", "mean"),)),
    "GradientPenalty": ("gradient_penalty", ("gradients",), (("weight", 10.0), ("reduction", "mean"))),
    # Johnson et al.'s loss over lists of feature maps: forward(features_x, features_y).
    "PerceptualLoss": ("perceptual_loss", ("features_x", "features_y"), (
        ("layer_weights", None), ("style_weight", 0.0), ("reduction", "mean"))),
    # AttnGAN's DAMSM halves; forward(..., class_ids) takes None for no masking.
    "DAMSMWordsLoss": ("damsm_words_loss", ("img_features", "words_emb", "cap_lens", "class_ids"), (
        ("gamma1", 4.0), ("gamma2", 5.0), ("gamma3", 10.0), ("reduction", "mean"))),
    "DAMSMSentenceLoss": ("damsm_sentence_loss", ("img_global", "sent_emb", "class_ids"), (
        ("gamma3", 10.0), ("reduction", "mean"))),
    # PyTorch's classes, with PyTorch's constructor order (GaussianNLLLoss: keyword-only there).
    "PoissonNLLLoss": ("poisson_nll_loss", ("input", "target"), (
        ("log_input", True), ("full", False), ("size_average", None), ("eps", 1e-8), ("reduce", None),
        ("reduction", "mean"))),
    "GaussianNLLLoss": ("gaussian_nll_loss", ("input", "target", "var"), (
        ("full", False), ("eps", 1e-6), ("reduction", "mean"))),
    "MultiLabelMarginLoss": ("multilabel_margin_loss", ("input", "target"), (
        ("size_average", None), ("reduce", None), ("reduction", "mean"))),
    "MultiLabelSoftMarginLoss": ("multilabel_soft_margin_loss", ("input", "target"), (
        ("weight", None), ("size_average", None), ("reduce", None), ("reduction", "mean"))),
    "CTCLoss": ("ctc_loss", ("log_probs", "targets", "input_lengths", "target_lengths"), (
        ("blank", 0), ("reduction", "mean"), ("zero_infinity", False))),
    # PyTorch's class (its arguments are keyword-only there; here they may also come in order).
    "TripletMarginWithDistanceLoss": ("triplet_margin_with_distance_loss", ("anchor", "positive", "negative"), (
        ("distance_function", None), ("margin", 1.0), ("swap", False), ("reduction", "mean"))),
    # optax's, named in the same way.
    "SparsemaxLoss": ("sparsemax_loss", ("logits", "labels"), (("reduction", "mean"),)),
    # PyTorch's LinearCrossEntropyLoss owns its Linear layer (the weight, and a bias with bias=True):
    # written out in linear_module.py; its keyword-only options are listed here after the two sizes.
    "LinearCrossEntropyLoss": ("linear_cross_entropy", ("input", "target"), (
        ("in_features", None), ("num_classes", None), ("out_features", ()), ("bias", False), ("device", None),
        ("dtype", None), ("reduction", "mean"), ("weight", None), ("ignore_index", None), ("label_smoothing", 0.0),
        ("options", None))),
    # optax has only the function; the module follows its argument order and default.
    "PolyLossCrossEntropy": ("poly_loss_cross_entropy", ("logits", "labels"), (("epsilon", 2.0), ("reduction", "mean"))),
}


def _module_class(class_name, loss, inputs, options):
    function = getattr(functional, loss)
    names = [n for n, _ in options]

    def __init__(self, *args, **kwargs):
        nn.Module.__init__(self)
        if len(args) > len(names):
            raise TypeError(f"{class_name} takes at most {len(names)} positional arguments")
        values = dict(options)
        values.update(zip(names, args))
        for key in kwargs:
            if key not in values:
                raise TypeError(f"{class_name}: unexpected argument {key!r}")
        values.update(kwargs)
        for n, value in values.items():
            if n in _BUFFERS:
                self.register_buffer(n, torch.as_tensor(value) if value is not None else None)
            else:
                setattr(self, n, value)

    def forward(self, *tensors):
        if len(tensors) != len(inputs):
            raise TypeError(f"{class_name}.forward takes {', '.join(inputs)}")
        return function(**dict(zip(inputs, tensors)), **{n: getattr(self, n) for n in names})

    def extra_repr(self):
        return ", ".join(f"{n}={getattr(self, n)!r}" for n in names if n not in _BUFFERS
                         and n not in ("size_average", "reduce"))

    return type(class_name, (nn.Module,), {
        "__init__": __init__, "forward": forward, "extra_repr": extra_repr, "__module__": __name__,
        "__doc__": f"{class_name}({', '.join(f'{n}={d!r}' for n, d in options)}): the module form of "
                   f"losses.torch.{loss}; forward({', '.join(inputs)}).",
    })


# Modules that own parameters, written out rather than made from their options.
_OWN = {"LinearCrossEntropyLoss": LinearCrossEntropyLoss}

__all__ = list(MODULES)
for _class_name, (_loss, _inputs, _options) in MODULES.items():
    globals()[_class_name] = _OWN.get(_class_name) or _module_class(_class_name, _loss, _inputs, _options)
