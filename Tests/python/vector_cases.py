"""The shared conformance vectors, and how one case becomes a call of the public Python API."""
import glob
import os

import numpy as np

import losses
import vectorfile
from header import losses as header_losses
from header import metrics, updates

UPDATES = updates()
METRICS = metrics()
# The metrics that take a reduction (the others are called without one).
REDUCED_METRICS = {name for name in METRICS if any(p == "reduction" for _, p in header_losses()[name])}

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
DTYPES = {"f32": np.float32, "f64": np.float64}


def all_cases():
    cases = []
    for path in sorted(glob.glob(os.path.join(ROOT, "Tests", "vectors", "*", "*.vec"))):
        cases.extend(vectorfile.read(path))
    return cases


CLASS_INDEX = {"cross_entropy", "nll_loss", "focal_loss", "multi_margin_loss", "tversky_loss", "focal_tversky_loss",
               "lovasz_hinge_loss", "lovasz_softmax_loss", "multilabel_margin_loss",
               "linear_cross_entropy"}
# The integer parameters, and the losses where they are integers (p is a float for distances).
INTEGER_SCALARS = {"ignore_index": CLASS_INDEX | {"oim_loss", "oim_update"}, "p": {"multi_margin_loss"},
                   "squared": {"hinge_loss", "batch_hard_triplet_loss"}, "swap": {"triplet_margin_loss", "triplet_margin_with_distance_loss"},
                   "soft": {"batch_hard_triplet_loss"}, "queue_head": {"oim_update"}, "loss_type": {"iou_loss"}, "loss": {"td_loss"},
                   "win_size": {"ssim_loss", "ms_ssim_loss"}, "splits": {"inception_score"},
                   "log_target": {"kl_div", "kl_div_grad_target"}, "batchmean": {"kl_div", "kl_div_grad_target"},
                   "mean": {"total_variation"}, "log_input": {"poisson_nll_loss", "poisson_nll_loss_grad_target"},
                   "full": {"poisson_nll_loss", "poisson_nll_loss_grad_target", "gaussian_nll_loss"},
                   "blank": {"ctc_loss"}, "zero_infinity": {"ctc_loss"},
                   "distance_function": {"triplet_margin_with_distance_loss"}}
PARAMETER_ARRAYS = {"quantile", "alpha", "weights"}  # double in every dtype


# Positional, in this order (cosine_embedding_loss: x1, x2, then target; the batch losses:
# embeddings or dist, then labels; the re-identification entries: features, labels, then their
# tables; circle_loss: sp, then sn; dice_loss and iou_loss: pred, then target; reconstruction_loss:
# x, then x_hat; the image-quality losses: x, then y; the box losses: boxes1, then boxes2;
# sigmoid_dr_loss: logits, then targets; td_loss and td_error: rewards, values, next_values, dones;
# td_lambda_returns: rewards, discounts, next_values; gae: rewards, discounts, values;
# damsm_words_loss: img_features, words_emb, cap_lens, then class_ids; damsm_sentence_loss:
# img_global, sent_emb, then class_ids; the divergences: pk, then qk; wgan_critic_loss: real_scores,
# then fake_scores; gradient_penalty: gradients; r_precision: scores, then relevance; r_precision_embeddings: image, then text;
# ctc_loss: log_probs, targets, input_lengths, then target_lengths — log_probs stands before targets;
# linear_cross_entropy: input, linear_weight, then target).
INPUTS = ("anchor", "positive", "negative", "negative1", "negative2", "f1", "f2", "label", "input1", "input2", "input",
          "linear_weight",
          "pred", "logits", "x1", "x2", "target", "embeddings", "dist", "features", "labels", "log_probs", "targets",
          "centers", "lut",
          "queue", "sp", "sn", "boxes1", "boxes2", "x", "x_hat", "y", "rewards", "discounts", "values", "next_values", "dones",
          "u_values", "v_values", "probs", "img_features", "img_global", "words_emb", "sent_emb", "cap_lens", "class_ids",
          "pk", "qk", "real_scores", "fake_scores", "gradients", "mu1", "sigma1",
          "mu2", "sigma2", "features1", "features2", "scores", "relevance", "image", "text", "img", "var",
          "input_lengths", "target_lengths")
LABELS = {"labels", "targets", "cap_lens", "class_ids", "relevance", "input_lengths", "target_lengths"}  # int64 labels wherever they appear
TABLES = ("centers", "lut", "queue")  # the caller-owned tables, which an update writes in place
# The scalars an update needs whatever its defaults (oim_update's queue_head: positional, no default).
REQUIRED_SCALARS = {"queue_head"}
# The parameters a loss requires (no default), which its defaults case passes all the same.
REQUIRED_OF = {"tversky_loss": ("alpha", "beta"), "focal_tversky_loss": ("alpha", "beta")}


def is_update(case):
    """A case of an update: an entry that writes a caller's table in place (abi/header.py)."""
    return case.loss in UPDATES


def is_metric(case):
    """A case of a metric: an entry with out and no gradient (abi/header.py's metrics())."""
    return case.loss in METRICS


def call_metric(case):
    """Calls the case's metric through the public API: its value (a metric has no gradient, and
    maybe no reduction). Its other arrays and scalars go by keyword."""
    dtype = DTYPES[case.dtype]
    a = case.arrays
    positional = [a[k].astype(np.int64 if k in LABELS else dtype) for k in INPUTS if k in a]
    if case.defaults:
        return function_of(case)(*positional)
    kwargs = {"reduction": case.reduction} if case.loss in REDUCED_METRICS else {}
    for name, array in a.items():
        if name not in INPUTS:
            kwargs[name] = array if name in PARAMETER_ARRAYS else array.astype(dtype)
    for name, value in case.scalars.items():
        kwargs[name] = int(value) if name in INTEGER_SCALARS and case.loss in INTEGER_SCALARS[name] else value
    return function_of(case)(*positional, **kwargs)


def is_target_gradient(case):
    """A case of losses_<loss>_grad_target: the Python loss with return_target_grad=True."""
    return case.loss.endswith("_grad_target")


def python_name(loss):
    """The Python function of a header entry: cross_entropy_probs is cross_entropy with
    probability targets; <loss>_grad_target is <loss>'s return_target_grad."""
    return loss.removesuffix("_grad_target").replace("_probs", "")


def function_of(case):
    return getattr(losses, python_name(case.loss))


def gradients(case):
    """The names of the case's expected gradients, in the order the API returns them."""
    return [name for name in ("grad_input", "grad_input1", "grad_input2", "grad_anchor", "grad_positive",
                              "grad_negative", "grad_negative1", "grad_negative2", "grad_f1", "grad_f2", "grad_weight",
                              "grad_bias", "grad_x1", "grad_x2", "grad_features", "grad_centers", "grad_pred", "grad_target",
                              "grad_embeddings", "grad_dist", "grad_sp", "grad_sn", "grad_x", "grad_x_hat", "grad_y",
                              "grad_boxes1", "grad_boxes2", "grad_logits", "grad_values", "grad_img_features",
                              "grad_words_emb", "grad_img_global", "grad_sent_emb", "grad_pk",
                              "grad_qk", "grad_real_scores", "grad_fake_scores", "grad_gradients", "grad_img",
                              "grad_var", "grad_log_probs", "grad_linear_weight",
                              "grad_linear_bias")
            if name in case.expect]


def call_update(case, tables=None):
    """Calls the case's update through the public API on copies of its tables, which it puts in
    `tables` (by name) before the call; returns them after it, and what the update returned."""
    dtype = DTYPES[case.dtype]
    a = case.arrays
    names = [k for k in INPUTS if k in a]
    positional = [a[k].astype(np.int64 if k in LABELS else dtype) for k in names]
    tables = {} if tables is None else tables
    tables.update({k: v for k, v in zip(names, positional) if k in TABLES})
    kwargs = {k: int(v) if k in INTEGER_SCALARS and case.loss in INTEGER_SCALARS[k] else v
              for k, v in case.scalars.items() if not case.defaults or k in REQUIRED_SCALARS}
    returned = function_of(case)(*positional, **kwargs)
    return tables, returned


def call(case, **extra):
    """Calls the case's loss through the public API with return_grad=True: (value, gradients),
    gradients a list in the order of `gradients(case)`. Vector arrays and scalars are named
    after the Python keywords. A defaults case passes nothing but its inputs, so the
    signature's defaults are what is tested."""
    if is_metric(case):  # a value, no gradient
        return call_metric(case), []
    dtype = DTYPES[case.dtype]
    a = case.arrays
    positional = [a[k].astype(np.int64 if (k == "target" and case.loss in CLASS_INDEX) or k in LABELS else dtype)
                  for k in INPUTS if k in a]
    if is_target_gradient(case):
        extra = dict(extra, return_target_grad=True)
    return_grad = not is_target_gradient(case)
    if case.defaults:
        required = {k: case.scalars[k] for k in REQUIRED_OF.get(case.loss, ())}
        value, grad = function_of(case)(*positional, return_grad=return_grad, **required, **extra)
        return value, list(grad) if isinstance(grad, tuple) else [grad]
    kwargs = {"reduction": case.reduction, "return_grad": return_grad, **extra}
    for name, array in a.items():
        if name in INPUTS:
            continue
        if name == "grad_output":
            go = array.astype(dtype)
            kwargs["grad_output"] = go if case.reduction == "none" else go.reshape(())
        else:
            kwargs[name] = array if name in PARAMETER_ARRAYS else array.astype(dtype)
    for name, value in case.scalars.items():
        kwargs[name] = int(value) if name in INTEGER_SCALARS and case.loss in INTEGER_SCALARS[name] else value
    if kwargs.pop("batchmean", 0):  # kl_div's C flag is PyTorch's reduction='batchmean'
        kwargs["reduction"] = "batchmean"
    if case.loss == "total_variation":  # kornia's reduction is per plane; the C reduction is over planes
        kwargs["batch_reduction"] = kwargs.pop("reduction")
        mean = kwargs.pop("mean", 0)
        kwargs["reduction"] = {0: "sum", 1: "mean"}.get(mean, mean)
    if "layer_weight" in kwargs:  # perceptual_loss's one layer: its weight is layer_weights' one value
        kwargs["layer_weights"] = kwargs.pop("layer_weight")
    if "k1" in kwargs:  # the image-quality losses' K = (K1, K2), as pytorch_msssim
        kwargs["K"] = (kwargs.pop("k1"), kwargs.pop("k2"))
    kwargs.pop("var_per_row", None)  # gaussian_nll_loss's C flag: Python reads it from var's shape
    value, grad = function_of(case)(*positional, **kwargs)
    return value, list(grad) if isinstance(grad, tuple) else [grad]


def assert_close(got, want, case, what):
    got = np.asarray(got, dtype=np.float64)
    assert got.shape == want.shape, f"{case.id}: {what} shape {got.shape}, expected {want.shape}"
    both_nan = np.isnan(got) & np.isnan(want)
    finite = want[np.isfinite(want)]
    scale = np.abs(finite).max() if finite.size else 0.0
    ok = both_nan | (got == want) | (np.abs(got - want) <= case.atol + case.rtol * np.abs(want) + case.stol * scale)
    assert ok.all(), (f"{case.id}: {what} differs at {np.argwhere(~ok)[:5].tolist()}: "
                      f"got {got[~ok][:5]}, expected {want[~ok][:5]}")
