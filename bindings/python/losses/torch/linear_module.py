"""LinearCrossEntropyLoss: PyTorch's module of the same name over losses.torch.linear_cross_entropy.
Like PyTorch's, it owns an nn.Linear(in_features, num_classes, bias=bias) (`self.linear`, whose
weight and bias are the module's parameters) and forward(input, target) is the loss of that
layer's logits. The class weights are a buffer, as in the other loss modules. out_features (the
K-dimensional loss) other than () is refused: liblosses provides (C, in_features) weights only."""
import torch
from torch import nn

from . import functional


class LinearCrossEntropyLoss(nn.Module):
    """LinearCrossEntropyLoss(in_features, num_classes, *, out_features=(), bias=False, device=None,
    dtype=None, reduction='mean', weight=None, ignore_index=None, label_smoothing=0.0, options=None):
    the module form of losses.torch.linear_cross_entropy; forward(input, target). `options` is
    accepted and ignored (liblosses never holds the N x C logits)."""

    def __init__(self, in_features, num_classes, *, out_features=(), bias=False, device=None, dtype=None,
                 reduction="mean", weight=None, ignore_index=None, label_smoothing=0.0, options=None):
        super().__init__()
        if tuple(out_features):
            raise ValueError(f"LinearCrossEntropyLoss: out_features {tuple(out_features)} (the K-dimensional loss) "
                             "is not provided; liblosses takes (C, in_features) weights only")
        self.in_features, self.num_classes, self.out_features = in_features, num_classes, ()
        self.linear = nn.Linear(in_features, num_classes, bias=bias, device=device, dtype=dtype)
        self.register_buffer("weight", torch.as_tensor(weight) if weight is not None else None)
        self.reduction, self.ignore_index, self.label_smoothing, self.options = (
            reduction, ignore_index, label_smoothing, options)

    def forward(self, input, target):
        return functional.linear_cross_entropy(  # noqa: F821 (made by functional's loop)
            input, self.linear.weight, target, linear_bias=self.linear.bias, weight=self.weight,
            reduction=self.reduction, ignore_index=self.ignore_index, label_smoothing=self.label_smoothing,
            options=self.options)

    def extra_repr(self):
        return (f"in_features={self.in_features}, num_classes={self.num_classes}, "
                f"bias={self.linear.bias is not None}, reduction={self.reduction!r}, "
                f"ignore_index={self.ignore_index!r}, label_smoothing={self.label_smoothing!r}")
