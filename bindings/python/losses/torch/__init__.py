"""liblosses for PyTorch: every loss as a differentiable function of CPU tensors
(losses.torch.cross_entropy, ...) and as an nn.Module with PyTorch's class names
(losses.torch.CrossEntropyLoss, ...), whose backward uses the library's analytic gradients.

    import torch, losses.torch as lt
    logits = model(x)                                   # requires_grad
    loss = lt.CrossEntropyLoss(label_smoothing=0.1)(logits, labels)
    loss.backward()

PyTorch is an optional dependency of liblosses (pip install liblosses[torch]); this module is
the only one that imports it. Tensors are read where they lie when they are contiguous
float32/float64 on the CPU (see _bridge for the conversions otherwise); results are tensors
sharing the library's output memory.
"""
try:
    import torch  # noqa: F401
except ImportError as error:  # pragma: no cover - exercised only without torch
    raise ImportError("losses.torch needs PyTorch (pip install torch); the rest of losses works without it") from error

from . import functional
from .functional import *  # noqa: F401,F403
from .modules import *  # noqa: F401,F403
from .modules import MODULES

__all__ = list(functional.__all__) + list(MODULES)
