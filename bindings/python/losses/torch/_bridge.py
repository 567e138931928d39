"""Tensors to the arrays the NumPy layer passes to the library, and back, without copying.

A CPU tensor that is C-contiguous float32/float64 (or int64, for class labels) is viewed as a
NumPy array over the same memory (`Tensor.numpy()` on the detached tensor), so the library reads
the tensor's own storage. Anything else is converted once: a non-contiguous tensor is made
contiguous, float16/bfloat16 compute in float32 (the results are cast back to the input's dtype,
as PyTorch returns them). Results come back through `torch.from_numpy`, which shares the array's
memory: no copy either way.
"""
import numpy as np
import torch

_COMPUTED = (torch.float32, torch.float64)
_WIDENED = (torch.float16, torch.bfloat16)


def to_array(value, name, loss):
    """A NumPy view of a CPU tensor (one conversion when its layout or dtype needs it); other
    values (Python scalars, lists, arrays, None) pass through to the NumPy layer."""
    if not isinstance(value, torch.Tensor):
        return value
    if value.device.type != "cpu":
        raise TypeError(f"{loss}: {name} is on {value.device}; liblosses computes on the CPU "
                        f"(move it with .cpu())")
    tensor = value.detach()
    if tensor.dtype in _WIDENED:
        tensor = tensor.to(torch.float32)
    elif tensor.is_complex():
        raise TypeError(f"{loss}: {name} is complex ({value.dtype}); losses take real tensors")
    if not tensor.is_contiguous():
        tensor = tensor.contiguous()
    if tensor.is_conj() or tensor.is_neg():
        tensor = tensor.resolve_conj().resolve_neg()
    return tensor.numpy()


def to_tensor(array, like):
    """A tensor over the array's memory, cast to `like`'s dtype when that was widened."""
    array = np.asarray(array)  # a NumPy scalar (a reduced value) becomes 0-d, and stays 0-d
    if not array.flags.c_contiguous:
        array = array.copy(order="C")
    tensor = torch.from_numpy(array)
    if like is not None and like.dtype in _WIDENED:
        tensor = tensor.to(like.dtype)
    return tensor
