"""How the docs draw each loss of include/losses.h: what is swept, over which range, and which
curves. `make docs` fails when a loss of the header has no entry here (or an entry names a loss
the header lacks). plots.py runs them through the Python bindings.

Each recipe is Recipe(kind, (lo, hi), x label, curves), a curve being (label, fixed inputs,
keyword arguments of the call). With s the swept values, the kinds build the inputs as follows,
and the gradient drawn is that of the loss with respect to what s fills:

  pointwise  input = s; target = `target` (default 0)                      d loss / d input
             (gaussian_nll_loss: its var among the keyword arguments)
  classes    logits: each row `row` with column 0 set to s; class 0 is the target, or the
             probability row `target` when one is given, or the class-index row `labels`
             (multilabel_margin_loss)                                      d loss / d input[:, 0]
  pairs      x1: each row `row` with component 0 set to s; x2: `other`, paired row by row
                                                                          d out / d x1[:, 0]
  matrix     x1 as for pairs; x2 the one row `other`, so out is (len(s), 1) d out / d x1[:, 0]
  ranking    input1 = s; input2 = `other` (default 0); target = `target`   d loss / d input1
  embedding  x1: each row `row` with component 0 set to s; x2 the row `other`; target `target`
                                                                           d loss / d x1[:, 0]
  triplet    anchor: each row `row` with component 0 set to s; positive and negative (or
             negative1 and negative2) the rows of those names               d loss / d anchor[:, 0]
  verification  f1: each row `row` with component 0 set to s; f2 the row `other`; label `label`
                                                                          d loss / d f1[:, 0]
  linear     input: each row `row` with feature 0 set to s; linear_weight the rows `linear_weight`;
             class 0 is the target                                         d loss / d input[:, 0]
  circle     sp: each row `positives` with similarity 0 set to s; sn: each row `negatives`
                                                                           d loss / d sp[:, 0]
  image      pred: one sample of one channel per point, the map `pred` with pixel 0 set to s;
             target: the map `target`                                     d loss / d pred[:, 0, 0]
  reconstruction  x = `x` (default 0); x_hat = s                          d loss / d x_hat
  boxes      boxes1: the box `box` (x1, y1, x2, y2) moved right by s (x1 + s, y1, x2 + s, y2);
             boxes2: the box `other`                  d loss / d s = d loss / d boxes1[:, 0] + [:, 2]
  ltrb       pred: the distances `pred` (left, top, right, bottom) with left set to s; target the
             distances `target`                                           d loss / d pred[:, 0]
  planes     x: each image the (1, h, w) pixels `x` with pixel (0, 0, 0) set to s; y: the image `y`
                                                                         d loss / d x[:, 0, 0, 0]
  centres    features: each row `row` with component 0 set to s, every label 0; the centres
             the rows `centers` (centre 0 first)                           d loss / d features[:, 0]
  oim        features: the unit vector (cos s, sin s), every target 0; the lookup table the rows
             `lut` (identity 0 first), the queue the rows `queue`           d loss / d features[:, 0]
  batch      a whole batch per point: the rows `rows` with row 0's component 0 set to s, labelled
             `labels` (none for ntxent_loss); the batch's mean      d loss / d embeddings[0, 0]
             (sigmoid_dr_loss: `rows` are logits, `labels` its targets; its one value per batch)
  transition  values = s; rewards `reward`, next_values `next`, dones `done` (each default 0)
                                                                          d loss / d values
  damsm      a whole batch per point: the image features `image` with entry 0 of image 0 set to s,
             the text features `text` (the words loss: with the lengths `cap_lens`); the batch's
             mean                                     d loss / d image[0, 0, (0)]
  distances  a whole batch per point: the matrix `dist` with entry (0, 1) set to s, labelled
             `labels`; the batch's mean                                    d loss / d dist[0, 1]
  distribution  p: each row `p` with entry 0 set to s; q: the row `q`      d loss / d p[:, 0]
  scores     fake_scores = s                                               d loss / d fake_scores
  critic     a whole batch per point: real scores `real` with score 0 set to s, fake scores `fake`;
             the batch's one value                                    d loss / d real_scores[0]
  gradients  gradients: each row `row` with component 0 set to s          d loss / d gradients[:, 0]
  sequence   ctc_loss, one sample per point: the (T, C) log-probabilities `frames` with
             frames[0][`at`] set to s, the target `target`, every frame read; blank `blank` passed
             when given                                             d loss / d log_probs[0, :, at]
  metric     one call per point: the positional inputs `inputs`, with the element `at` (input,
             index) set to s (and `complement` to 1 − s), reshaped to `shape`, the inputs listed in
             `labels` passed as int64; the value alone, the
             first of a pair (a metric has no gradient: one panel); for a metric of several values,
             the one at index `out` (default 0)

`function` names the Python function when it is not the loss's own name.
"""
from collections import namedtuple

import numpy as np

# The 5 x 5 image of the image-quality plots: a ramp with a bright centre.
_IMAGE_Y = [[[0.1 * (i + j) + (0.3 if (i, j) == (2, 2) else 0.0) for j in range(5)] for i in range(5)]]

# The 2-channel 2 x 2 feature map of the perceptual-loss plot.
_FEATURES_Y = [[[0.5, -0.3], [0.2, 0.8]], [[-0.4, 0.6], [0.1, -0.2]]]
# DAMSM's small batches: image regions (2, 2, 3) and words (2, 2, 2) with lengths (2, 1); global
# features and sentences (3, 2).
_DAMSM_WORDS = {"image": [[[0.0, 1.0, -0.5], [0.5, -1.0, 1.0]], [[1.0, 0.2, 0.3], [-0.4, 0.8, 0.1]]],
                "text": [[[1.0, -0.3], [0.2, 0.9]], [[0.1, 0.6], [1.0, -0.2]]], "cap_lens": (2, 1)}
_DAMSM_SENTENCES = {"image": [[0.0, 1.0], [1.0, 0.3], [-0.6, 0.8]], "text": [[0.2, 1.0], [1.0, -0.1], [-0.5, 0.5]]}

# CTC's frames: log_softmax over 3 classes (blank 0, labels 1 and 2) of 3 frames of logits
# ((1, 0, -1), (0, 1, 0), (0, 0, 1)).
_CTC_FRAMES = [list(np.array(row) - np.log(np.exp(np.array(row, dtype=np.float64)).sum()))
               for row in ((1.0, 0.0, -1.0), (0.0, 1.0, 0.0), (0.0, 0.0, 1.0))]

Recipe = namedtuple("Recipe", "kind range xlabel curves function", defaults=(None,))

RESIDUAL = "residual d = input − target"
LOGIT = "logit x"
SCORE = "score x"
ROW = (0.0, 1.0, 2.0)        # the other logits of a 3-class row: z = (s, 1, 2)

RECIPES = {
    # Regression: the residual, at the defaults and at one other parameter value.
    "mse_loss": Recipe("pointwise", (-3, 3), RESIDUAL, [
        ("no weight", {}, {}), ("weight = 0.5", {}, {"weight": 0.5})]),
    "l1_loss": Recipe("pointwise", (-3, 3), RESIDUAL, [
        ("no weight", {}, {}), ("weight = 0.5", {}, {"weight": 0.5})]),
    "huber_loss": Recipe("pointwise", (-3, 3), RESIDUAL, [
        ("delta = 1 (default)", {}, {}), ("delta = 2", {}, {"delta": 2.0})]),
    "smooth_l1_loss": Recipe("pointwise", (-3, 3), RESIDUAL, [
        ("beta = 1 (default)", {}, {}), ("beta = 2", {}, {"beta": 2.0})]),
    "quantile_loss": Recipe("pointwise", (-3, 3), RESIDUAL, [
        ("quantile = 0.5 (default)", {}, {}), ("quantile = 0.9", {}, {"quantile": 0.9})]),
    "log_cosh_loss": Recipe("pointwise", (-3, 3), RESIDUAL, [("no parameter", {}, {})]),

    # Class-index losses: the logit (score, log-probability) of class 0 swept, the others fixed.
    "cross_entropy": Recipe("classes", (-6, 6), "logit z₀ of the target class, z = (z₀, 1, 2)", [
        ("label_smoothing = 0 (default)", {"row": ROW}, {}),
        ("label_smoothing = 0.2", {"row": ROW}, {"label_smoothing": 0.2})]),
    "cross_entropy_probs": Recipe("classes", (-6, 6), "logit z₀, z = (z₀, 1, 2), target t = (0.6, 0.3, 0.1)", [
        ("label_smoothing = 0 (default)", {"row": ROW, "target": (0.6, 0.3, 0.1)}, {}),
        ("label_smoothing = 0.2", {"row": ROW, "target": (0.6, 0.3, 0.1)}, {"label_smoothing": 0.2})],
        function="cross_entropy"),
    # linear_cross_entropy: feature x₀ swept through a 3-class layer, logits z = (x₀, x₁, 0.5 - x₀ + b₂).
    "linear_cross_entropy": Recipe("linear", (-6, 6), "feature x₀ of input x = (x₀, 1); logits (x₀, 1, 0.5 − x₀)", [
        ("no bias, label_smoothing = 0 (default)", {"row": (0.0, 1.0), "linear_weight": ((1.0, 0.0), (0.0, 1.0), (-1.0, 0.5))},
         {}),
        ("linear_bias = (0, 0, 2), label_smoothing = 0.2",
         {"row": (0.0, 1.0), "linear_weight": ((1.0, 0.0), (0.0, 1.0), (-1.0, 0.5))},
         {"linear_bias": (0.0, 0.0, 2.0), "label_smoothing": 0.2})]),
    "nll_loss": Recipe("classes", (-6, 0), "log-probability x₀ of the target class", [
        ("no weight", {"row": (0.0, -1.0, -2.0)}, {}),
        ("weight = (2, 1, 1)", {"row": (0.0, -1.0, -2.0)}, {"weight": (2.0, 1.0, 1.0)})]),
    "focal_loss": Recipe("classes", (-6, 6), "logit z₀ of the target class, z = (z₀, 1, 2)", [
        ("gamma = 2 (default)", {"row": ROW}, {}),
        ("gamma = 0 (cross entropy)", {"row": ROW}, {"gamma": 0.0})]),
    "multi_margin_loss": Recipe("classes", (-3, 5), "score x₀ of the target class, x = (x₀, 1, 2)", [
        ("p = 1 (default)", {"row": ROW}, {}), ("p = 2", {"row": ROW}, {"p": 2})]),
    "poly_loss_cross_entropy": Recipe("classes", (-6, 6), "logit z₀ of the labelled class, z = (z₀, 1, 2), labels (1, 0, 0)", [
        ("epsilon = 2 (default)", {"row": ROW, "target": (1.0, 0.0, 0.0)}, {}),
        ("epsilon = 0 (cross entropy)", {"row": ROW, "target": (1.0, 0.0, 0.0)}, {"epsilon": 0.0}),
        ("epsilon = −1", {"row": ROW, "target": (1.0, 0.0, 0.0)}, {"epsilon": -1.0})]),

    # Binary and margin losses: the logit or score, at each target.
    "binary_cross_entropy": Recipe("pointwise", (0.01, 0.99), "probability x", [
        ("target 0", {"target": 0.0}, {}), ("target 1", {"target": 1.0}, {})]),
    "binary_cross_entropy_with_logits": Recipe("pointwise", (-6, 6), LOGIT, [
        ("target 0", {"target": 0.0}, {}), ("target 1", {"target": 1.0}, {}),
        ("target 1, pos_weight = 3", {"target": 1.0}, {"pos_weight": 3.0})]),
    "sigmoid_focal_loss": Recipe("pointwise", (-6, 6), LOGIT, [
        ("target 0", {"target": 0.0}, {}), ("target 1", {"target": 1.0}, {}),
        ("target 1, gamma = 0.5", {"target": 1.0}, {"gamma": 0.5})]),
    "hinge_loss": Recipe("pointwise", (-3, 3), SCORE, [
        ("target +1", {"target": 1.0}, {}), ("target −1", {"target": -1.0}, {}),
        ("target +1, squared", {"target": 1.0}, {"squared": True})]),
    "hinge_embedding_loss": Recipe("pointwise", (-1, 3), "input x (a distance)", [
        ("target 1 (similar)", {"target": 1.0}, {}), ("target −1 (dissimilar)", {"target": -1.0}, {}),
        ("target −1, margin = 2", {"target": -1.0}, {"margin": 2.0})]),
    "soft_margin_loss": Recipe("pointwise", (-6, 6), SCORE, [
        ("target +1", {"target": 1.0}, {}), ("target −1", {"target": -1.0}, {})]),
    "logistic_loss": Recipe("pointwise", (-6, 6), SCORE, [
        ("target +1", {"target": 1.0}, {}), ("target −1", {"target": -1.0}, {})]),
    "sparsemax_loss": Recipe("pointwise", (-3, 3), "logit x", [
        ("label 1", {"target": 1.0}, {}), ("label 0", {"target": 0.0}, {})]),

    # Metric learning.
    "margin_ranking_loss": Recipe("ranking", (-3, 3), "input1 (input2 = 0)", [
        ("target +1, margin = 0 (default)", {"target": 1.0}, {}),
        ("target +1, margin = 1", {"target": 1.0}, {"margin": 1.0}),
        ("target −1, margin = 1", {"target": -1.0}, {"margin": 1.0})]),

    "cosine_embedding_loss": Recipe("embedding", (-3, 3), "component s of x1 = (s, 1); x2 = (1, 0)", [
        ("target 1", {"row": (0.0, 1.0), "other": (1.0, 0.0), "target": 1.0}, {}),
        ("target −1, margin = 0 (default)", {"row": (0.0, 1.0), "other": (1.0, 0.0), "target": -1.0}, {}),
        ("target −1, margin = 0.5", {"row": (0.0, 1.0), "other": (1.0, 0.0), "target": -1.0}, {"margin": 0.5})]),
    "contrastive_loss": Recipe("embedding", (-4, 4), "component s of x1 = (s, 0); x2 = (0, 0)", [
        ("label 0 (similar)", {"row": (0.0, 0.0), "other": (0.0, 0.0), "target": 0.0}, {}),
        ("label 1, margin = 2 (default)", {"row": (0.0, 0.0), "other": (0.0, 0.0), "target": 1.0}, {}),
        ("label 1, margin = 3", {"row": (0.0, 0.0), "other": (0.0, 0.0), "target": 1.0}, {"margin": 3.0})]),
    "verification_loss": Recipe("verification", (-3, 3), "component s of f1 = (s, 0); f2 = (0, 0)", [
        ("label 1, weight (1, 1), bias -1", {"row": (0.0, 0.0), "other": (0.0, 0.0), "label": 1.0},
         {"weight": (1.0, 1.0), "bias": -1.0}),
        ("label 0, weight (1, 1), bias -1", {"row": (0.0, 0.0), "other": (0.0, 0.0), "label": 0.0},
         {"weight": (1.0, 1.0), "bias": -1.0}),
        ("label 0, weight (-1, 1), bias 0 (default)", {"row": (0.0, 0.0), "other": (0.0, 0.0), "label": 0.0},
         {"weight": (-1.0, 1.0)})]),
    "ssim_loss": Recipe("planes", (0.0, 1.0), "pixel (0, 0) of x; y a fixed 5 x 5 image, x = y elsewhere", [
        ("win_size = 5, win_sigma = 1.5", {"x": _IMAGE_Y, "y": _IMAGE_Y}, {"win_size": 5}),
        ("win_size = 3, win_sigma = 1.5", {"x": _IMAGE_Y, "y": _IMAGE_Y}, {"win_size": 3}),
        ("win_size = 5, K = (0.05, 0.1)", {"x": _IMAGE_Y, "y": _IMAGE_Y}, {"win_size": 5, "K": (0.05, 0.1)})]),
    "ms_ssim_loss": Recipe("planes", (0.0, 1.0), "pixel (0, 0) of x; y a fixed 5 x 5 image, x = y elsewhere", [
        ("win_size = 1, five levels (default weights)", {"x": _IMAGE_Y, "y": _IMAGE_Y}, {"win_size": 1}),
        ("win_size = 1, weights (0.5, 0.5)", {"x": _IMAGE_Y, "y": _IMAGE_Y}, {"win_size": 1, "weights": (0.5, 0.5)}),
        ("win_size = 1, K = (0.05, 0.1)", {"x": _IMAGE_Y, "y": _IMAGE_Y}, {"win_size": 1, "K": (0.05, 0.1)})]),
    # DAMSM: two images (two dimensions, three regions) against two captions (two words and one);
    # entry 0 of image 0 swept.
    "damsm_words_loss": Recipe("damsm", (-3, 3), "region feature s of image 0 (v[0, 0, 0]); the rest fixed", [
        ("gamma1 = 4, gamma2 = 5, gamma3 = 10 (default)", _DAMSM_WORDS, {}),
        ("gamma1 = 1", _DAMSM_WORDS, {"gamma1": 1.0}),
        ("gamma3 = 2", _DAMSM_WORDS, {"gamma3": 2.0})]),
    "damsm_sentence_loss": Recipe("damsm", (-3, 3), "component s of image 0's global feature x[0] = (s, 1)", [
        ("gamma3 = 10 (default)", _DAMSM_SENTENCES, {}),
        ("gamma3 = 3", _DAMSM_SENTENCES, {"gamma3": 3.0}),
        ("images 0 and 2 of one class", _DAMSM_SENTENCES, {"class_ids": (0, 1, 0)})]),
    "circle_loss": Recipe("circle", (-0.5, 1.5), "positive similarity s of sp = (s, 0.8); sn = (0.3, -0.1)", [
        ("m = 0.25, gamma = 256 (default)", {"positives": (0.0, 0.8), "negatives": (0.3, -0.1)}, {}),
        ("m = 0.25, gamma = 32", {"positives": (0.0, 0.8), "negatives": (0.3, -0.1)}, {"gamma": 32.0}),
        ("m = 0.4, gamma = 32", {"positives": (0.0, 0.8), "negatives": (0.3, -0.1)}, {"m": 0.4, "gamma": 32.0})]),
    # Detection: a box slid across another, through overlap and out the other side.
    "generalized_box_iou_loss": Recipe("boxes", (-4, 4), "shift s of box (s, 0, s + 2, 2) against (0, 0, 2, 2)", [
        ("same size (default eps)", {"box": (0.0, 0.0, 2.0, 2.0), "other": (0.0, 0.0, 2.0, 2.0)}, {}),
        ("against a taller box (0, -1, 2, 3)", {"box": (0.0, 0.0, 2.0, 2.0), "other": (0.0, -1.0, 2.0, 3.0)}, {})]),
    "distance_box_iou_loss": Recipe("boxes", (-4, 4), "shift s of box (s, 0, s + 2, 2) against (0, 0, 2, 2)", [
        ("same size (default eps)", {"box": (0.0, 0.0, 2.0, 2.0), "other": (0.0, 0.0, 2.0, 2.0)}, {}),
        ("against a taller box (0, -1, 2, 3)", {"box": (0.0, 0.0, 2.0, 2.0), "other": (0.0, -1.0, 2.0, 3.0)}, {})]),
    "complete_box_iou_loss": Recipe("boxes", (-4, 4), "shift s of box (s, 0, s + 2, 2) against (0, 0, 2, 2)", [
        ("same size (default eps)", {"box": (0.0, 0.0, 2.0, 2.0), "other": (0.0, 0.0, 2.0, 2.0)}, {}),
        ("against a taller box (0, -1, 2, 3)", {"box": (0.0, 0.0, 2.0, 2.0), "other": (0.0, -1.0, 2.0, 3.0)}, {})]),
    "sigmoid_dr_loss": Recipe("batch", (-6, 6), "logit s of row 0's class 1 (its target); row 1 background", [
        ("defaults", {"rows": ((0.0, -1.0, 0.5), (1.0, -2.0, 0.0)), "labels": (1, 0)}, {}),
        ("L = 2, tau = 1", {"rows": ((0.0, -1.0, 0.5), (1.0, -2.0, 0.0)), "labels": (1, 0)}, {"L": 2.0, "tau": 1.0}),
        ("margin = 1", {"rows": ((0.0, -1.0, 0.5), (1.0, -2.0, 0.0)), "labels": (1, 0)}, {"margin": 1.0})]),
    # CTC: one sample of 3 frames over 3 classes; log_probs[0, label 1] swept (not renormalised).
    "ctc_loss": Recipe("sequence", (-6, 2), "log-probability s of label 1 at frame 0; the rest fixed", [
        ("target (1, 2), blank 0 (defaults)", {"frames": _CTC_FRAMES, "at": 1, "target": (1, 2)}, {}),
        ("target (1, 1): one path, 1 blank 1", {"frames": _CTC_FRAMES, "at": 1, "target": (1, 1)}, {}),
        ("target (1,), blank = 2", {"frames": _CTC_FRAMES, "at": 1, "target": (1,)}, {"blank": 2})]),
    # Reinforcement learning: the value of one transition's state against its bootstrap target.
    "td_loss": Recipe("transition", (-2, 6), "value V(s) = s; reward 1, V(s') = 2", [
        ("loss 'mse', gamma 0.99 (defaults)", {"reward": 1.0, "next": 2.0}, {}),
        ("loss 'huber'", {"reward": 1.0, "next": 2.0}, {"loss": "huber"}),
        ("'mse', gamma = 0.5", {"reward": 1.0, "next": 2.0}, {"gamma": 0.5}),
        ("'mse', terminal (done = 1)", {"reward": 1.0, "next": 2.0, "done": 1.0}, {})]),
    "iou_loss": Recipe("ltrb", (0, 6), "left distance s of pred = (s, 1, 2, 1); target (2, 1, 2, 1)", [
        ("loss_type 'iou' (default)", {"pred": (0.0, 1.0, 2.0, 1.0), "target": (2.0, 1.0, 2.0, 1.0)}, {}),
        ("'linear_iou'", {"pred": (0.0, 1.0, 2.0, 1.0), "target": (2.0, 1.0, 2.0, 1.0)}, {"loss_type": "linear_iou"}),
        ("'giou'", {"pred": (0.0, 1.0, 2.0, 1.0), "target": (2.0, 1.0, 2.0, 1.0)}, {"loss_type": "giou"})]),
    "quadruplet_loss": Recipe("triplet", (-3, 3),
                              "component s of anchor = (s, 0); positive (1, 0), negatives (-1, 0), (-1, 1)", [
        ("margins 1, 0.5 (default)", {"row": (0.0, 0.0), "positive": (1.0, 0.0), "negative1": (-1.0, 0.0),
                                      "negative2": (-1.0, 1.0)}, {}),
        ("margins 4, 2", {"row": (0.0, 0.0), "positive": (1.0, 0.0), "negative1": (-1.0, 0.0),
                          "negative2": (-1.0, 1.0)}, {"margin1": 4.0, "margin2": 2.0})]),
    "center_loss": Recipe("centres", (-3, 3), "component s of the feature (s, 0.5); label 0", [
        ("centre 0 at (0, 0)", {"row": (0.0, 0.5), "centers": ((0.0, 0.0), (2.0, 0.0))}, {}),
        ("centre 0 at (1, 0)", {"row": (0.0, 0.5), "centers": ((1.0, 0.0), (2.0, 0.0))}, {}),
        ("centre 0 at (-1, 0.5)", {"row": (0.0, 0.5), "centers": ((-1.0, 0.5), (2.0, 0.0))}, {})]),
    "oim_loss": Recipe("oim", (-3.14159, 3.14159), "angle s of the feature (cos s, sin s); target: identity 0 at (1, 0)", [
        ("scalar = 30 (default); identity 1 at (0, 1), queue (-1, 0)",
         {"lut": ((1.0, 0.0), (0.0, 1.0)), "queue": ((-1.0, 0.0),)}, {}),
        ("scalar = 10", {"lut": ((1.0, 0.0), (0.0, 1.0)), "queue": ((-1.0, 0.0),)}, {"scalar": 10.0}),
        ("scalar = 10, no queue", {"lut": ((1.0, 0.0), (0.0, 1.0)), "queue": np.zeros((0, 2))}, {"scalar": 10.0})]),
    "triplet_margin_loss": Recipe("triplet", (-3, 3), "component s of anchor = (s, 0); positive (1, 0), negative (-1, 0)", [
        ("margin = 1 (default)", {"row": (0.0, 0.0), "positive": (1.0, 0.0), "negative": (-1.0, 0.0)}, {}),
        ("margin = 1, swap", {"row": (0.0, 0.0), "positive": (1.0, 0.0), "negative": (-1.0, 0.0)}, {"swap": True}),
        ("margin = 2, p = 1", {"row": (0.0, 0.0), "positive": (1.0, 0.0), "negative": (-1.0, 0.0)},
         {"margin": 2.0, "p": 1.0})]),

    # Distances: component 0 of x1 swept against a fixed x2.
    "pairwise_distance": Recipe("pairs", (-3, 3), "component s of x1 = (s, 1), x2 = (0, 0)", [
        ("p = 2 (default)", {"row": (0.0, 1.0), "other": (0.0, 0.0)}, {}),
        ("p = 1", {"row": (0.0, 1.0), "other": (0.0, 0.0)}, {"p": 1.0})]),
    "cosine_similarity": Recipe("pairs", (-3, 3), "component s of x1 = (s, 1)", [
        ("x2 = (1, 0)", {"row": (0.0, 1.0), "other": (1.0, 0.0)}, {}),
        ("x2 = (1, 1)", {"row": (0.0, 1.0), "other": (1.0, 1.0)}, {})]),
    "pairwise_distance_matrix": Recipe("matrix", (-3, 3), "component s of the rows x1 = (s, 1)", [
        ("x2 = [(0, 0)]", {"row": (0.0, 1.0), "other": (0.0, 0.0)}, {}),
        ("x2 = [(2, 0)], p = 1", {"row": (0.0, 1.0), "other": (2.0, 0.0)}, {"p": 1.0})]),
    "cosine_similarity_matrix": Recipe("matrix", (-3, 3), "component s of the rows x1 = (s, 1)", [
        ("x2 = [(1, 0)]", {"row": (0.0, 1.0), "other": (1.0, 0.0)}, {}),
        ("x2 = [(−1, 1)]", {"row": (0.0, 1.0), "other": (-1.0, 1.0)}, {})]),
    # The batch losses: one batch per point, its mean and the gradient w.r.t. the swept entry.
    "batch_hard_triplet_loss": Recipe("batch", (-3, 3), "component s of embedding 0 = (s, 0); its positive (1, 0), negatives (−1, 0.5), (0, 1.5)", [
        ("margin 0.3 (default)", {"rows": ((0.0, 0.0), (1.0, 0.0), (-1.0, 0.5), (0.0, 1.5)), "labels": (0, 0, 1, 1)}, {}),
        ("soft margin", {"rows": ((0.0, 0.0), (1.0, 0.0), (-1.0, 0.5), (0.0, 1.5)), "labels": (0, 0, 1, 1)},
         {"soft": True}),
        ("squared, margin 1", {"rows": ((0.0, 0.0), (1.0, 0.0), (-1.0, 0.5), (0.0, 1.5)), "labels": (0, 0, 1, 1)},
         {"squared": True, "margin": 1.0})]),
    "batch_hard_quadruplet_loss": Recipe("distances", (0, 4), "distance s from anchor 0 to its positive, dist[0, 1]", [
        ("margins 1, 0.5 (default)", {"dist": ((0, 1, 2, 3), (1, 0, 2.5, 1.5), (2, 2.5, 0, 1.2), (3, 1.5, 1.2, 0)),
                                      "labels": (0, 0, 1, 2)}, {}),
        ("margins 2, 1", {"dist": ((0, 1, 2, 3), (1, 0, 2.5, 1.5), (2, 2.5, 0, 1.2), (3, 1.5, 1.2, 0)),
                          "labels": (0, 0, 1, 2)}, {"margin1": 2.0, "margin2": 1.0})]),
    "circle_loss_embeddings": Recipe("batch", (-3, 3), "component s of embedding 0 = (s, 1); its positive (1, 1), negatives (−1, 1), (1, −1)", [
        ("m = 0.4, γ = 80 (default)", {"rows": ((0.0, 1.0), (1.0, 1.0), (-1.0, 1.0), (1.0, -1.0)), "labels": (0, 0, 1, 1)},
         {}),
        ("m = 0.25, γ = 16", {"rows": ((0.0, 1.0), (1.0, 1.0), (-1.0, 1.0), (1.0, -1.0)), "labels": (0, 0, 1, 1)},
         {"m": 0.25, "gamma": 16.0})]),
    "ntxent_loss": Recipe("batch", (-3, 3), "component s of view 0 = (s, 1); its other view (1, 1); two more rows", [
        ("t = 0.07 (default)", {"rows": ((0.0, 1.0), (-1.0, 0.5), (1.0, 1.0), (-1.0, -0.5))}, {}),
        ("t = 0.5", {"rows": ((0.0, 1.0), (-1.0, 0.5), (1.0, 1.0), (-1.0, -0.5))}, {"temperature": 0.5})]),
    # Images: pixel 0 of a 4-pixel probability map swept against a mask, and the reconstruction.
    "dice_loss": Recipe("image", (0, 1), "probability p₀ of pixel 0, pred = (p₀, 0.8, 0.1, 0.2); mask (1, 1, 0, 0)", [
        ("smooth = 1 (default)", {"pred": (0.0, 0.8, 0.1, 0.2), "target": (1.0, 1.0, 0.0, 0.0)}, {}),
        ("smooth = 0.01", {"pred": (0.0, 0.8, 0.1, 0.2), "target": (1.0, 1.0, 0.0, 0.0)}, {"smooth": 0.01})]),
    # kornia's segmentation losses: one image of 4 pixels and 3 classes, class 0's logit at pixel 0
    # swept (labels (0, 0, 1, 2)); total_variation: pixel (0, 0) of a 3 x 3 plane swept.
    "tversky_loss": Recipe("segmentation", (-6, 6), "logit of class 0 at pixel 0 (labelled 0); 3 classes, 4 pixels", [
        ("α = 0.3, β = 0.7", {"logits": ((0.0, 1.0, -1.0, 0.0), (0.5, 0.0, 2.0, -1.0), (-0.5, -1.0, 0.0, 1.5)),
                              "labels": (0, 0, 1, 2)}, {"alpha": 0.3, "beta": 0.7}),
        ("α = β = 0.5 (Dice)", {"logits": ((0.0, 1.0, -1.0, 0.0), (0.5, 0.0, 2.0, -1.0), (-0.5, -1.0, 0.0, 1.5)),
                                "labels": (0, 0, 1, 2)}, {"alpha": 0.5, "beta": 0.5})]),
    "focal_tversky_loss": Recipe("segmentation", (-6, 6),
                                 "logit of class 0 at pixel 0 (labelled 0); 3 classes, 4 pixels", [
        ("γ = 4/3 (default), α = 0.3, β = 0.7", {"logits": ((0.0, 1.0, -1.0, 0.0), (0.5, 0.0, 2.0, -1.0),
                                                            (-0.5, -1.0, 0.0, 1.5)), "labels": (0, 0, 1, 2)},
         {"alpha": 0.3, "beta": 0.7}),
        ("γ = 1 (tversky_loss)", {"logits": ((0.0, 1.0, -1.0, 0.0), (0.5, 0.0, 2.0, -1.0), (-0.5, -1.0, 0.0, 1.5)),
                                  "labels": (0, 0, 1, 2)}, {"alpha": 0.3, "beta": 0.7, "gamma": 1.0})]),
    # The Lovász losses: one image of 4 pixels; pixel 0 (labelled 1, or class 0) swept.
    "lovasz_hinge_loss": Recipe("segmentation", (-3, 3), "logit z₀ of pixel 0 (foreground); others (0.5, −1, 2)", [
        ("labels (1, 1, 0, 0)", {"logits": ((0.0, 0.5, -1.0, 2.0),), "labels": (1, 1, 0, 0)}, {}),
        ("labels (1, 0, 0, 0)", {"logits": ((0.0, 0.5, -1.0, 2.0),), "labels": (1, 0, 0, 0)}, {})]),
    "lovasz_softmax_loss": Recipe("segmentation", (-6, 6), "logit of class 0 at pixel 0 (labelled 0); 3 classes, 4 pixels", [
        ("no weight", {"logits": ((0.0, 1.0, -1.0, 0.0), (0.5, 0.0, 2.0, -1.0), (-0.5, -1.0, 0.0, 1.5)),
                       "labels": (0, 0, 1, 2)}, {}),
        ("weight (2, 1, 1)", {"logits": ((0.0, 1.0, -1.0, 0.0), (0.5, 0.0, 2.0, -1.0), (-0.5, -1.0, 0.0, 1.5)),
                              "labels": (0, 0, 1, 2)}, {"weight": (2.0, 1.0, 1.0)})]),
    "total_variation": Recipe("variation", (-2, 3), "pixel (0, 0) of a 3 × 3 plane", [
        ("reduction = 'sum' (default)", {"img": ((0.0, 1.0, 0.5), (0.2, 0.8, 0.4), (1.0, 0.0, 0.3))}, {}),
        ("reduction = 'mean'", {"img": ((0.0, 1.0, 0.5), (0.2, 0.8, 0.4), (1.0, 0.0, 0.3))}, {"reduction": "mean"})]),
    # One layer's feature map: two channels of 2 x 2, entry (0, 0, 0) of x swept, x = y elsewhere.
    "perceptual_loss": Recipe("planes", (-2.0, 2.0), "entry (0, 0, 0) of x; y a fixed 2 x 2 x 2 map, x = y elsewhere", [
        ("content only (defaults)", {"x": _FEATURES_Y, "y": _FEATURES_Y}, {}),
        ("content + style_weight 1", {"x": _FEATURES_Y, "y": _FEATURES_Y}, {"style_weight": 1.0}),
        ("style only (layer weight 0, style_weight 1)", {"x": _FEATURES_Y, "y": _FEATURES_Y},
         {"layer_weights": 0.0, "style_weight": 1.0})]),
    "reconstruction_loss": Recipe("reconstruction", (-3, 3), "reconstruction x̂ of x = 0", [
        ("p = 1 (default)", {}, {}), ("p = 2", {}, {"p": 2})]),
    # The value-learning targets (metrics): one step's target as one input moves.
    "td_error": Recipe("metric", (-3, 5), "value V(s) = s; reward 1, V(s') = 2", [
        ("gamma = 0.99 (default)", {"inputs": ((1.0,), (0.0,), (2.0,), (0.0,)), "at": (1, 0)}, {}),
        ("gamma = 0.5", {"inputs": ((1.0,), (0.0,), (2.0,), (0.0,)), "at": (1, 0)}, {"gamma": 0.5}),
        ("terminal (done = 1)", {"inputs": ((1.0,), (0.0,), (2.0,), (1.0,)), "at": (1, 0)}, {})]),
    "td_lambda_returns": Recipe("metric", (-3, 3),
                                "r_2 = s; G_0 of r = (1, 0, s), γ 0.9, V(s') = (0.5, 1, 2)", [
        ("lambda_ = 0.95 (default)", {"inputs": ((1.0, 0.0, 0.0), (0.9, 0.9, 0.9), (0.5, 1.0, 2.0)), "at": (0, 2)}, {}),
        ("lambda_ = 0 (one-step target)", {"inputs": ((1.0, 0.0, 0.0), (0.9, 0.9, 0.9), (0.5, 1.0, 2.0)), "at": (0, 2)},
         {"lambda_": 0.0}),
        ("lambda_ = 1 (discounted return)", {"inputs": ((1.0, 0.0, 0.0), (0.9, 0.9, 0.9), (0.5, 1.0, 2.0)),
                                             "at": (0, 2)}, {"lambda_": 1.0})]),
    "gae": Recipe("metric", (-3, 3), "V(s_1) = s; A_0 of r = (1, 0, 1), γ 0.9, V = (0, s, 1, 2)", [
        ("lambda_ = 0.95 (default)", {"inputs": ((1.0, 0.0, 1.0), (0.9, 0.9, 0.9), (0.0, 0.0, 1.0, 2.0)), "at": (2, 1)},
         {}),
        ("lambda_ = 0 (the TD error)", {"inputs": ((1.0, 0.0, 1.0), (0.9, 0.9, 0.9), (0.0, 0.0, 1.0, 2.0)),
                                        "at": (2, 1)}, {"lambda_": 0.0}),
        ("lambda_ = 1", {"inputs": ((1.0, 0.0, 1.0), (0.9, 0.9, 0.9), (0.0, 0.0, 1.0, 2.0)), "at": (2, 1)},
         {"lambda_": 1.0})]),
    # Distributions: a log-probability against targets; an entry of p swept against q; scores.
    "kl_div": Recipe("pointwise", (-5, 0), "log-probability x (input)", [
        ("target t = 0.5", {"target": 0.5}, {}), ("target t = 0.2", {"target": 0.2}, {}),
        ("target t = 0", {"target": 0.0}, {})]),
    "kl_divergence": Recipe("distribution", (0, 1), "p₀ of p = (p₀, 0.4, 0.3), not normalised; q fixed", [
        ("q = (0.3, 0.4, 0.3)", {"p": (0.0, 0.4, 0.3), "q": (0.3, 0.4, 0.3)}, {}),
        ("q = (0.1, 0.6, 0.3)", {"p": (0.0, 0.4, 0.3), "q": (0.1, 0.6, 0.3)}, {})]),
    "js_divergence": Recipe("distribution", (0, 1), "p₀ of p = (p₀, 0.4, 0.3); q fixed", [
        ("q = (0.3, 0.4, 0.3)", {"p": (0.0, 0.4, 0.3), "q": (0.3, 0.4, 0.3)}, {}),
        ("q = (0, 0.6, 0.4)", {"p": (0.0, 0.4, 0.3), "q": (0.0, 0.6, 0.4)}, {})]),
    "wgan_critic_loss": Recipe("critic", (-3, 3), "real score 0 of real (s, 1, 2); fake (0, −1)", [
        ("mean (default)", {"real": (0.0, 1.0, 2.0), "fake": (0.0, -1.0)}, {}),
        ("sum", {"real": (0.0, 1.0, 2.0), "fake": (0.0, -1.0)}, {"reduction": "sum"})]),
    "wgan_generator_loss": Recipe("scores", (-3, 3), "critic score of a generated sample", [
        ("per score", {}, {})]),
    "gradient_penalty": Recipe("gradients", (-2, 2), "component g₀ of the critic's gradient (g₀, 0.5)", [
        ("weight 10 (default)", {"row": (0.0, 0.5)}, {}), ("weight 1", {"row": (0.0, 0.5)}, {"weight": 1.0})]),
    # Metrics: value only.
    "wasserstein_distance": Recipe("metric", (-3, 5), "value s of u = (s, 1, 2) against v = (0, 1, 3)", [
        ("equal weights (default)", {"inputs": ((0.0, 1.0, 2.0), (0.0, 1.0, 3.0)), "at": (0, 0)}, {}),
        ("u_weights = (3, 1, 1)", {"inputs": ((0.0, 1.0, 2.0), (0.0, 1.0, 3.0)), "at": (0, 0)},
         {"u_weights": (3.0, 1.0, 1.0)})]),
    # Two rows, one split: row 0 = (s, 1 - s) against row 1 = (0.9, 0.1); its mean drawn.
    "inception_score": Recipe("metric", (0, 1), "probability s of class 0 in row 0 = (s, 1 − s); row 1 = (0.9, 0.1)", [
        ("splits = 1", {"inputs": ((0.0, 1.0, 0.9, 0.1),), "at": (0, 0), "shape": (2, 2), "complement": 1},
         {"splits": 1})]),
    "fid_from_stats": Recipe("metric", (-2, 2), "mean shift s: mu1 = (s, 0), mu2 = (0, 0), sigma1 = I", [
        ("sigma2 = I", {"inputs": ((0.0, 0.0), ((1.0, 0.0), (0.0, 1.0)), (0.0, 0.0), ((1.0, 0.0), (0.0, 1.0))),
                        "at": (0, 0)}, {}),
        ("sigma2 = 2I", {"inputs": ((0.0, 0.0), ((1.0, 0.0), (0.0, 1.0)), (0.0, 0.0), ((2.0, 0.0), (0.0, 2.0))),
                         "at": (0, 0)}, {}),
        ("sigma2 = 0 (collapsed)", {"inputs": ((0.0, 0.0), ((1.0, 0.0), (0.0, 1.0)), (0.0, 0.0),
                                               ((0.0, 0.0), (0.0, 0.0))), "at": (0, 0)}, {})]),
    # One query of four candidates, scores (s, 0.2, 0.5, -0.5): a step where s passes the score
    # it competes with; at a tie the lower index ranks first.
    "r_precision": Recipe("metric", (-1, 1.5), "score s of candidate 0; the others 0.2, 0.5, −0.5", [
        ("relevant: candidate 0 (R = 1)", {"inputs": (((0.0, 0.2, 0.5, -0.5),), ((1, 0, 0, 0),)), "at": (0, (0, 0)),
                                           "labels": (1,)}, {}),
        ("relevant: candidate 2 (R = 1)", {"inputs": (((0.0, 0.2, 0.5, -0.5),), ((0, 0, 1, 0),)), "at": (0, (0, 0)),
                                           "labels": (1,)}, {}),
        ("relevant: candidates 0, 3 (R = 2)", {"inputs": (((0.0, 0.2, 0.5, -0.5),), ((1, 0, 0, 1),)),
                                               "at": (0, (0, 0)), "labels": (1,)}, {})]),
    # One image (1, 0) against three captions: the true one at angle s·π/2, the others at fixed
    # angles; a hit while the true caption is the most similar, and at a tie.
    "r_precision_embeddings": Recipe("metric", (-1, 1),
                                     "true caption (1, s); the others (1, 0.5), (0, 1); image (1, 0)", [
        ("eps = 1e-8 (default)", {"inputs": (((1.0, 0.0),), (((1.0, 0.0), (1.0, 0.5), (0.0, 1.0)),)),
                                  "at": (1, (0, 0, 1))}, {})]),
    "fid": Recipe("metric", (-2, 2), "first sample (s, s) of features1; features2 fixed", [
        ("4 samples against 4", {"inputs": (((0.0, 0.0), (1.0, 0.0), (0.0, 1.0), (1.0, 1.0)),
                                            ((0.0, 0.0), (1.0, 0.0), (0.0, 1.0), (1.0, 1.0))), "at": (0, 0)}, {}),
        ("2 samples against 4 (singular)", {"inputs": (((0.0, 0.0), (1.0, 1.0)),
                                                      ((0.0, 0.0), (1.0, 0.0), (0.0, 1.0), (1.0, 1.0))),
                                           "at": (0, 0)}, {})]),
    # The rest of PyTorch's set: the NLLs against their targets, the multi-label margins of a
    # 3-class row with class 0's score swept.
    "poisson_nll_loss": Recipe("pointwise", (-3, 3), "log-rate x (input)", [
        ("target 0", {"target": 0.0}, {}), ("target 2", {"target": 2.0}, {}),
        ("target 2, full", {"target": 2.0}, {"full": True})]),
    "gaussian_nll_loss": Recipe("pointwise", (-3, 3), "mean x (input), target 0", [
        ("var = 1", {}, {"var": 1.0}), ("var = 0.25", {}, {"var": 0.25}), ("var = 4, full", {}, {"var": 4.0, "full": True})]),
    "multilabel_margin_loss": Recipe("classes", (-3, 4), "score x₀, x = (x₀, 1, 2)", [
        ("targets {0}", {"row": ROW, "labels": (0, -1, 0)}, {}),
        ("targets {0, 1}", {"row": ROW, "labels": (0, 1, -1)}, {})]),
    "multilabel_soft_margin_loss": Recipe("classes", (-6, 6), "score x₀, x = (x₀, 1, 2)", [
        ("target (1, 0, 1)", {"row": ROW, "target": (1.0, 0.0, 1.0)}, {}),
        ("target (0, 0, 1)", {"row": ROW, "target": (0.0, 0.0, 1.0)}, {}),
        ("target (1, 0, 1), weight (2, 1, 1)", {"row": ROW, "target": (1.0, 0.0, 1.0)}, {"weight": (2.0, 1.0, 1.0)})]),
    "triplet_margin_with_distance_loss": Recipe("triplet", (-3, 3),
                                                "component s of anchor = (s, 1); positive (1, 1), negative (-1, 1)", [
        ("euclidean, margin = 1 (default)", {"row": (0.0, 1.0), "positive": (1.0, 1.0), "negative": (-1.0, 1.0)}, {}),
        ("cosine, margin = 0.5", {"row": (0.0, 1.0), "positive": (1.0, 1.0), "negative": (-1.0, 1.0)},
         {"distance_function": "cosine", "margin": 0.5}),
        ("cosine, margin = 0.5, swap", {"row": (0.0, 1.0), "positive": (1.0, 1.0), "negative": (-1.0, 1.0)},
         {"distance_function": "cosine", "margin": 0.5, "swap": True})]),
}
