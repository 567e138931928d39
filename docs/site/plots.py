"""The plot of each loss: its recipe (recipes.py) evaluated by liblosses itself, through the
Python bindings in float64 with reduction='none' and return_grad=True, then drawn by matplotlib
(which only renders the numbers the library returned)."""
import numpy as np

import losses
from recipes import RECIPES

POINTS = 601
# The rows a "triplet" recipe fixes, in the order of the call (the quadruplet has two negatives).
TRIPLET_ROWS = ("positive", "negative", "negative1", "negative2")


def inputs(recipe, s, fixed):
    """The call's positional inputs for the swept values s."""
    n = s.size
    if recipe.kind == "pointwise":
        return s, np.full(n, float(fixed.get("target", 0.0)))
    if recipe.kind == "classes":
        x = np.tile(np.asarray(fixed["row"], dtype=np.float64), (n, 1))
        x[:, 0] = s
        if "target" in fixed:
            return x, np.tile(np.asarray(fixed["target"], dtype=np.float64), (n, 1))
        if "labels" in fixed:  # multilabel_margin_loss: a row of class indices per sample
            return x, np.tile(np.asarray(fixed["labels"], dtype=np.int64), (n, 1))
        return x, np.zeros(n, dtype=np.int64)
    if recipe.kind == "embedding":
        x1 = np.tile(np.asarray(fixed["row"], dtype=np.float64), (n, 1))
        x1[:, 0] = s
        return (x1, np.tile(np.asarray(fixed["other"], dtype=np.float64), (n, 1)), np.full(n, float(fixed["target"])))
    if recipe.kind == "triplet":
        anchor = np.tile(np.asarray(fixed["row"], dtype=np.float64), (n, 1))
        anchor[:, 0] = s
        return (anchor, *(np.tile(np.asarray(fixed[k], dtype=np.float64), (n, 1)) for k in TRIPLET_ROWS if k in fixed))
    if recipe.kind == "verification":
        f1 = np.tile(np.asarray(fixed["row"], dtype=np.float64), (n, 1))
        f1[:, 0] = s
        return f1, np.tile(np.asarray(fixed["other"], dtype=np.float64), (n, 1)), np.full(n, float(fixed["label"]))
    if recipe.kind == "linear":  # features x (row `row`, component 0 swept), the layer `linear_weight`, class 0
        x = np.tile(np.asarray(fixed["row"], dtype=np.float64), (n, 1))
        x[:, 0] = s
        return x, np.asarray(fixed["linear_weight"], dtype=np.float64), np.zeros(n, dtype=np.int64)
    if recipe.kind == "circle":
        sp = np.tile(np.asarray(fixed["positives"], dtype=np.float64), (n, 1))
        sp[:, 0] = s
        return sp, np.tile(np.asarray(fixed["negatives"], dtype=np.float64), (n, 1))
    if recipe.kind == "image":
        pred = np.tile(np.asarray(fixed["pred"], dtype=np.float64), (n, 1))
        pred[:, 0] = s
        target = np.tile(np.asarray(fixed["target"], dtype=np.float64), (n, 1))
        return pred[:, None, :], target[:, None, :]
    if recipe.kind == "reconstruction":
        return np.full(n, float(fixed.get("x", 0.0))), s
    if recipe.kind == "boxes":
        shift = np.stack([s, np.zeros(n), s, np.zeros(n)], axis=1)
        return (np.asarray(fixed["box"], dtype=np.float64)[None, :] + shift,
                np.tile(np.asarray(fixed["other"], dtype=np.float64), (n, 1)))
    if recipe.kind == "ltrb":
        pred = np.tile(np.asarray(fixed["pred"], dtype=np.float64), (n, 1))
        pred[:, 0] = s
        return pred, np.tile(np.asarray(fixed["target"], dtype=np.float64), (n, 1))
    if recipe.kind == "planes":
        x = np.tile(np.asarray(fixed["x"], dtype=np.float64), (n, 1, 1, 1))
        x[:, 0, 0, 0] = s
        return x, np.tile(np.asarray(fixed["y"], dtype=np.float64), (n, 1, 1, 1))
    if recipe.kind == "segmentation":  # one image's (C, P) logits: class 0's logit at pixel 0 swept
        pred = np.tile(np.asarray(fixed["logits"], dtype=np.float64)[None, :, None, :], (n, 1, 1, 1))
        pred[:, 0, 0, 0] = s
        return pred, np.tile(np.asarray(fixed["labels"], dtype=np.int64)[None, None, :], (n, 1, 1))
    if recipe.kind == "centres":
        features = np.tile(np.asarray(fixed["row"], dtype=np.float64), (n, 1))
        features[:, 0] = s
        return features, np.zeros(n, dtype=np.int64), np.asarray(fixed["centers"], dtype=np.float64)
    if recipe.kind == "oim":
        features = np.stack([np.cos(s), np.sin(s)], axis=1)
        return (features, np.zeros(n, dtype=np.int64), np.asarray(fixed["lut"], dtype=np.float64),
                np.asarray(fixed["queue"], dtype=np.float64).reshape(-1, 2))
    if recipe.kind == "transition":
        full = lambda key: np.full(n, float(fixed.get(key, 0.0)))
        return full("reward"), s, full("next"), full("done")
    if recipe.kind == "distribution":
        p = np.tile(np.asarray(fixed["p"], dtype=np.float64), (n, 1))
        p[:, 0] = s
        return p, np.tile(np.asarray(fixed["q"], dtype=np.float64), (n, 1))
    if recipe.kind == "scores":
        return (s,)
    if recipe.kind == "gradients":
        g = np.tile(np.asarray(fixed["row"], dtype=np.float64), (n, 1))
        g[:, 0] = s
        return (g,)
    if recipe.kind == "ranking":
        return s, np.full(n, float(fixed.get("other", 0.0))), np.full(n, float(fixed["target"]))
    if recipe.kind == "sequence":  # ctc_loss: one sample per point, (T, n, C) log-probabilities
        frames = np.asarray(fixed["frames"], dtype=np.float64)
        log_probs = np.tile(frames[:, None, :], (1, n, 1))
        log_probs[0, :, fixed["at"]] = s
        target = np.tile(np.asarray(fixed["target"], dtype=np.int64), (n, 1))
        return (log_probs, target, np.full(n, frames.shape[0], dtype=np.int64),
                np.full(n, target.shape[1], dtype=np.int64))
    if recipe.kind in ("pairs", "matrix"):
        x1 = np.tile(np.asarray(fixed["row"], dtype=np.float64), (n, 1))
        x1[:, 0] = s
        other = np.asarray(fixed["other"], dtype=np.float64)[None, :]
        return x1, (other if recipe.kind == "matrix" else np.repeat(other, n, axis=0))
    raise ValueError(f"unknown recipe kind {recipe.kind!r}")


def batch_curve(function, recipe, s, fixed, parameters):
    """A batch loss: one call per point, on the batch with the swept entry set; the batch's mean
    and its gradient with respect to that entry."""
    values, grads = [], []
    for v in s:
        if recipe.kind == "damsm":
            image = np.array(fixed["image"], dtype=np.float64)
            image.flat[0] = v
            lengths = (np.asarray(fixed["cap_lens"], dtype=np.int64),) if "cap_lens" in fixed else ()
            value, (grad, _) = function(image, np.array(fixed["text"], dtype=np.float64), *lengths, return_grad=True,
                                        **parameters)
            values.append(float(value))
            grads.append(grad.flat[0])
            continue
        if recipe.kind == "critic":  # wgan_critic_loss: real score 0 swept, d loss / d real[0]
            real = np.array(fixed["real"], dtype=np.float64)
            real[0] = v
            value, (grad, _) = function(real, np.asarray(fixed["fake"], dtype=np.float64), return_grad=True,
                                        **parameters)
            values.append(float(value))
            grads.append(grad[0])
            continue
        if recipe.kind == "batch":
            x = np.array(fixed["rows"], dtype=np.float64)
            x[0, 0], entry = v, (0, 0)
        else:
            x = np.array(fixed["dist"], dtype=np.float64)
            x[0, 1], entry = v, (0, 1)
        labels = (np.asarray(fixed["labels"], dtype=np.int64),) if "labels" in fixed else ()
        value, grad = function(x, *labels, return_grad=True, **parameters)
        values.append(float(value))
        grads.append(grad[entry])
    return np.array(values), np.array(grads)


def metric_curve(function, s, fixed, parameters):
    """A metric: one call per point, the element `at` of the inputs set to s; its value alone."""
    values = []
    for v in s:
        inputs = [np.array(x, dtype=np.float64) for x in fixed["inputs"]]
        which, index = fixed["at"]
        inputs[which][index] = v
        if "complement" in fixed:  # the element that keeps the row summing to 1
            inputs[which][fixed["complement"]] = 1 - v
        if "shape" in fixed:
            inputs[which] = inputs[which].reshape(fixed["shape"])
        for i in fixed.get("labels", ()):  # integer inputs (r_precision's relevance)
            inputs[i] = inputs[i].astype(np.int64)
        value = function(*inputs, **parameters)
        if isinstance(value, tuple):  # (mean, std): the mean
            value = value[0]
        # A metric of several values (a sequence's targets): the one at index `out` (default 0).
        values.append(float(np.asarray(value).ravel()[fixed.get("out", 0)]))
    return np.array(values)


def curve(loss, recipe, fixed, parameters):
    """(s, value, gradient) of one curve, as liblosses computes them (gradient None for a metric)."""
    s = np.linspace(*recipe.range, POINTS)
    function = getattr(losses, recipe.function or loss)
    if recipe.kind == "metric":
        value = metric_curve(function, s, fixed, parameters)
        if not np.isfinite(value).all():
            raise SystemExit(f"{loss}: the recipe {fixed} {parameters} gives non-finite values; pick a finite range")
        return s, value, None
    if recipe.kind in ("batch", "distances", "damsm", "critic"):
        value, grad = batch_curve(function, recipe, s, fixed, parameters)
        if not (np.isfinite(value).all() and np.isfinite(grad).all()):
            raise SystemExit(f"{loss}: the recipe {fixed} {parameters} gives non-finite values; pick a finite range")
        return s, value, grad
    if recipe.kind == "variation":  # total_variation: one (H, W) plane per point, its pixel (0, 0) swept
        img = np.tile(np.asarray(fixed["img"], dtype=np.float64), (s.size, 1, 1))
        img[:, 0, 0] = s
        value, grad = function(img, return_grad=True, **parameters)  # kornia's reduction is per plane
        return s, np.asarray(value), np.asarray(grad)[:, 0, 0]
    value, grad = function(*inputs(recipe, s, fixed), reduction="none", return_grad=True, **parameters)
    if recipe.kind in ("pairs", "matrix", "ranking", "triplet", "embedding", "verification", "centres", "circle",
                       "image", "planes", "distribution", "linear"):
        grad = grad[0]                       # (grad_x1, grad_x2), (grad_features, grad_centers), ...: the first is swept
    if recipe.kind == "pointwise" and isinstance(grad, tuple):
        grad = grad[0]                       # gaussian_nll_loss's (grad_input, grad_var): the input is swept
    if recipe.kind == "sequence":
        grad = grad[0, :, fixed["at"]]       # (T, n, C): frame 0's swept class
    if recipe.kind == "reconstruction":
        grad = grad[1]                       # (grad_x, grad_x_hat): x_hat is swept
    if recipe.kind == "boxes":
        grad = grad[0][:, 0] + grad[0][:, 2]  # boxes1 moved by s: d/ds = d/dx1 + d/dx2
    value, grad = np.asarray(value).reshape(s.size), np.asarray(grad).reshape(s.size, -1)[:, 0]
    if not (np.isfinite(value).all() and np.isfinite(grad).all()):
        raise SystemExit(f"{loss}: the recipe {fixed} {parameters} gives non-finite values; pick a finite range")
    return s, value, grad


def draw(loss, path):
    """Writes the PNG of `loss` (two panels: the loss and its gradient) to path; returns the
    caption."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    recipe = RECIPES[loss]
    metric = recipe.kind == "metric"  # no gradient: one panel
    figure, panels = plt.subplots(1, 1 if metric else 2, figsize=(4.5 if metric else 9, 3.1), dpi=100,
                                  constrained_layout=True)
    left, right = (panels, None) if metric else panels
    for label, fixed, parameters in recipe.curves:
        s, value, grad = curve(loss, recipe, fixed, parameters)
        left.plot(s, value, label=label, linewidth=1.8)
        if right is not None:
            right.plot(s, grad, label=label, linewidth=1.8)
    for axes, title in ((left, loss), (right, "gradient"))[:1 if metric else 2]:
        axes.set_title(title, fontsize=11)
        axes.set_xlabel(recipe.xlabel, fontsize=9)
        axes.axhline(0, color="0.6", linewidth=0.8)
        axes.axvline(0, color="0.85", linewidth=0.8)
        axes.grid(True, color="0.92")
        axes.tick_params(labelsize=8)
    left.legend(fontsize=8, frameon=False)
    figure.savefig(path)
    plt.close(figure)
    call = recipe.function or loss
    if metric:
        return (f"{loss}: its value over {recipe.xlabel}, computed by liblosses (losses.{call}, float64; "
                f"a metric has no gradient).")
    return (f"{loss}: its value and gradient over {recipe.xlabel}, computed by liblosses "
            f"(losses.{call}, float64, reduction='none', return_grad=True).")
