"""perceptual_loss of torch tensors: its feature maps come as lists (one tensor per layer), which
the generic autograd.Function of functional.py (one tensor per named argument) cannot carry, so
it has its own Function over the flattened list: the x maps, then the y maps."""
import torch

import losses as _numpy_losses

from ._bridge import to_array, to_tensor


class PerceptualLossFunction(torch.autograd.Function):
    """forward(ctx, layers, arguments, *maps): maps[:layers] are features_x, maps[layers:]
    features_y; `arguments` the layer weights, style weight and reduction."""

    @staticmethod
    def forward(ctx, layers, arguments, *maps):
        arrays = [to_array(m, "features_x" if i < layers else "features_y", "perceptual_loss")
                  for i, m in enumerate(maps)]
        wanted = ctx.needs_input_grad[2:]
        reduced = arguments["reduction"] != "none"
        ctx.layers, ctx.arguments, ctx.reduced, ctx.wanted = layers, arguments, reduced, wanted
        if any(wanted) and reduced:
            value, (gx, gy) = _numpy_losses.perceptual_loss(arrays[:layers], arrays[layers:], return_grad=True,
                                                            **arguments)
            ctx.grads = [to_tensor(g, m) for g, m in zip(gx + gy, maps)]
        else:
            value = _numpy_losses.perceptual_loss(arrays[:layers], arrays[layers:], **arguments)
            if any(wanted):
                ctx.save_for_backward(*maps)
        return to_tensor(value, maps[0])

    @staticmethod
    @torch.autograd.function.once_differentiable
    def backward(ctx, grad_output):
        if ctx.reduced:
            grads = [g if grad_output.item() == 1.0 else g * grad_output.to(g.dtype) for g in ctx.grads]
        else:
            maps = ctx.saved_tensors
            arrays = [to_array(m, "features", "perceptual_loss") for m in maps]
            _, (gx, gy) = _numpy_losses.perceptual_loss(
                arrays[:ctx.layers], arrays[ctx.layers:], return_grad=True,
                grad_output=to_array(grad_output, "grad_output", "perceptual_loss"), **ctx.arguments)
            grads = [to_tensor(g, m) for g, m in zip(gx + gy, maps)]
        return (None, None) + tuple(g if w else None for g, w in zip(grads, ctx.wanted))


def perceptual_loss(features_x, features_y, layer_weights=None, style_weight=0.0, reduction="mean"):
    """perceptual_loss of torch tensors, differentiable w.r.t. every map of features_x and
    features_y; arguments and semantics as losses.perceptual_loss (lists of (N, C_l, ...) maps, or
    one map each)."""
    single = isinstance(features_x, torch.Tensor)
    xs = [features_x] if single else list(features_x)
    ys = [features_y] if isinstance(features_y, torch.Tensor) else list(features_y)
    if len(xs) != len(ys):
        raise ValueError(f"perceptual_loss: features_x has {len(xs)} maps and features_y {len(ys)}")
    if layer_weights is not None and not (single and not isinstance(layer_weights, (list, tuple))):
        layer_weights = [float(w) for w in layer_weights]
    arguments = {"layer_weights": layer_weights, "style_weight": float(style_weight), "reduction": reduction}
    return PerceptualLossFunction.apply(len(xs), arguments, *xs, *ys)
