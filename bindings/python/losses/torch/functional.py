"""Every loss of liblosses as a differentiable function of torch tensors, with PyTorch's names,
arguments and defaults (losses.cross_entropy's documentation holds for losses.torch.cross_entropy).

Each call runs one torch.autograd.Function (_LossFunction) over the NumPy layer: the tensors'
memory goes to the library as it is (see _bridge), and the gradient is the library's analytic
one. With a reduced loss the value and every needed gradient come from one library call in the
forward pass, and backward only scales them by the incoming gradient; with reduction='none'
backward calls the library again with that gradient as grad_output. Second derivatives are not
available (backward is once-differentiable).
"""
import inspect

import numpy as np
import torch

import losses as _numpy_losses

from ._bridge import to_array, to_tensor
from ._gradients import DIFFERENTIABLE, HELD_CONSTANT, NEGATED, TARGET
from .perceptual import PerceptualLossFunction, perceptual_loss

_EXTRAS = ("return_grad", "grad_output", "out", "grad_out")


def _reduced(arguments, signature):
    # total_variation's `reduction` is kornia's, over each plane; its batch_reduction is the batch's.
    key = "batch_reduction" if "batch_reduction" in signature.parameters else "reduction"
    reduction = arguments.get(key, signature.parameters[key].default)
    if arguments.get("reduce") is False:
        return False
    return reduction != "none"


def _call_with_gradients(binding, arrays, arguments, wanted, grad_output=None):
    """(value, {argument: gradient array}) for the wanted arguments, from one NumPy-layer call
    (two library calls when the target's own gradient is wanted)."""
    differentiable = binding.differentiable
    # The argument whose gradient is the library's target gradient: `target`, or optax's `labels`.
    target = next((n for n, kind in differentiable.items() if kind == TARGET), None)
    library_target = target is not None and target in wanted
    extra = {} if grad_output is None else {"grad_output": grad_output}
    if library_target:
        extra["return_target_grad"] = True
    result = binding.function(**arrays, **arguments, return_grad=True, **extra)
    if library_target:
        value, grad, grad_target = result
        grads = {target: grad_target}
    else:
        value, grad = result
        grads = {}
    if isinstance(grad, tuple):  # one per differentiable input: x1 and x2, input1 and input2, the triplet's three
        grads.update(zip((n for n, kind in differentiable.items() if kind != TARGET and kind != NEGATED), grad))
    else:
        grads[next(iter(differentiable))] = grad
    for n in wanted:
        if differentiable[n] == NEGATED:
            grads[n] = _negated(grads[next(iter(differentiable))], arrays[n])
    return value, grads


def _negated(grad_input, target):
    """-grad_input, summed over the quantile axis where the target has one axis fewer
    (quantile_loss: (N, Q) input, (N) target)."""
    grad = -grad_input
    if grad.shape != np.shape(target):
        grad = grad.reshape(np.shape(target) + (-1,)).sum(axis=-1)
    return grad


class _LossFunction(torch.autograd.Function):
    """forward(ctx, binding, arguments, *tensors): `binding` names the loss and its NumPy
    function; `arguments` holds every non-tensor argument; `tensors` are the tensor arguments in
    binding.tensor_names order (None where not given)."""

    @staticmethod
    def forward(ctx, binding, arguments, *tensors):
        name = binding.name
        arrays = {n: to_array(t, n, name) for n, t in zip(binding.tensor_names, tensors)}
        constant = HELD_CONSTANT.get(name, ())
        needs = {n: need and n not in constant for n, need in zip(binding.tensor_names, ctx.needs_input_grad[2:])}
        for n, need in needs.items():
            if need and n not in binding.differentiable:
                raise RuntimeError(f"{name}: no gradient w.r.t. {n} (liblosses differentiates "
                                   f"{', '.join(binding.differentiable)}); detach it")
            if need and n == "target" and arrays[n] is not None and np.asarray(arrays[n]).dtype.kind != "f":
                raise RuntimeError(f"{name}: class-index targets are not differentiable")
        wanted = [n for n, need in needs.items() if need]
        reduced = _reduced(arguments, binding.signature)
        ctx.binding, ctx.arguments, ctx.reduced, ctx.wanted = binding, arguments, reduced, wanted
        like = next(t for t in tensors if isinstance(t, torch.Tensor))
        ctx.like = like
        if wanted and reduced:
            value, grads = _call_with_gradients(binding, arrays, arguments, wanted)
            ctx.grads = {n: to_tensor(grads[n], tensors[binding.tensor_names.index(n)]) for n in wanted}
        else:
            value = binding.function(**arrays, **arguments)
            if wanted:
                ctx.save_for_backward(*tensors)
        return to_tensor(value, like)

    @staticmethod
    @torch.autograd.function.once_differentiable
    def backward(ctx, grad_output):
        binding = ctx.binding
        names = binding.tensor_names
        if ctx.reduced:
            scale = grad_output
            grads = {n: g if scale.item() == 1.0 else g * scale.to(g.dtype) for n, g in ctx.grads.items()}
        else:
            tensors = ctx.saved_tensors
            arrays = {n: to_array(t, n, binding.name) for n, t in zip(names, tensors)}
            go = to_array(grad_output, "grad_output", binding.name)
            value_shape = np.shape(go)
            if binding.name == "pairwise_distance" and ctx.arguments.get("keepdim"):
                go = np.reshape(go, value_shape[:-1])
            _, library = _call_with_gradients(binding, arrays, ctx.arguments, ctx.wanted, grad_output=go)
            grads = {n: to_tensor(library[n], tensors[names.index(n)]) for n in ctx.wanted}
        return (None, None) + tuple(grads.get(n) for n in names)


class _Binding:
    """One loss: its NumPy function, which of its arguments may be tensors, which of those are
    differentiable, and its own autograd.Function (a subclass of _LossFunction named after the
    loss, so graphs read grad_fn=<MseLossFunctionBackward>)."""

    def __init__(self, name):
        self.name = name
        self.autograd_function = type(_function_class_name(name), (_LossFunction,), {
            "__module__": __name__, "__doc__": f"The autograd.Function of losses.torch.{name}."})
        self.function = getattr(_numpy_losses, name)
        self.signature = inspect.signature(self.function)
        self.differentiable = DIFFERENTIABLE[name]
        self.parameters = [p for p in self.signature.parameters.values() if p.name not in _EXTRAS]

    def __call__(self, *args, **kwargs):
        bound = inspect.Signature(self.parameters).bind(*args, **kwargs)
        tensors = {n: v for n, v in bound.arguments.items() if isinstance(v, torch.Tensor)}
        arguments = {n: v for n, v in bound.arguments.items() if n not in tensors}
        binding = _Call(self, list(tensors))
        return self.autograd_function.apply(binding, arguments, *tensors.values())


class _Call:
    """The binding of one call (which arguments came as tensors)."""

    def __init__(self, binding, tensor_names):
        self.name, self.function, self.signature = binding.name, binding.function, binding.signature
        self.differentiable, self.tensor_names = binding.differentiable, tensor_names


def _function_class_name(name):
    return "".join(word.capitalize() for word in name.split("_")) + "Function"


def _public(name):
    binding = _Binding(name)

    def loss(*args, **kwargs):
        return binding(*args, **kwargs)

    loss.__name__ = loss.__qualname__ = name
    loss.__module__ = __name__
    loss.__doc__ = (f"{name} of torch tensors, differentiable w.r.t. {', '.join(binding.differentiable)}; "
                    f"arguments and semantics as losses.{name}:\n\n{binding.function.__doc__ or ''}")
    loss.__signature__ = inspect.Signature(binding.parameters, return_annotation=torch.Tensor)
    loss.binding = binding
    return loss


# The updates of caller-owned tables (center_loss_update, oim_update): no autograd, the table
# tensors written in place (under no_grad), which therefore must be contiguous float32/float64 CPU
# tensors.
UPDATES = ("center_loss_update", "oim_update")
_TABLES = ("centers", "lut", "queue")


def _table_view(value, name, update):
    """A NumPy view of a table tensor that the library may write: the tensor's own memory."""
    if not isinstance(value, torch.Tensor):
        raise TypeError(f"{update}: {name} must be a torch.Tensor (updated in place)")
    if value.device.type != "cpu" or value.dtype not in (torch.float32, torch.float64) or not value.is_contiguous():
        raise TypeError(f"{update}: {name} must be a contiguous float32 or float64 CPU tensor (updated in place), "
                        f"got {value.dtype} on {value.device}")
    return value.detach().numpy()


def _public_update(name):
    function = getattr(_numpy_losses, name)
    signature = inspect.signature(function)

    def update(*args, **kwargs):
        bound = signature.bind(*args, **kwargs)
        arrays = {n: _table_view(v, n, name) if n in _TABLES else to_array(v, n, name)
                  for n, v in bound.arguments.items()}
        with torch.no_grad():
            result = function(**arrays)
        tables = [bound.arguments[n] for n in _TABLES if n in bound.arguments]
        return tables[0] if isinstance(result, np.ndarray) else result

    update.__name__ = update.__qualname__ = name
    update.__module__ = __name__
    update.__doc__ = (f"{name} on torch tensors, writing its table tensors in place (no autograd); arguments "
                      f"and semantics as losses.{name}:\n\n{function.__doc__ or ''}")
    update.__signature__ = signature
    return update


# Functions without a gradient (the value-learning targets, held constant by definition): the
# tensors are read detached, the result is a tensor that requires no grad.
TARGETS = ("td_error", "td_lambda_returns", "gae")


def _public_target(name):
    function = getattr(_numpy_losses, name)
    signature = inspect.signature(function)

    def target(*args, **kwargs):
        bound = signature.bind(*args, **kwargs)
        like = next((v for v in bound.arguments.values() if isinstance(v, torch.Tensor)), None)
        arrays = {n: to_array(v.detach() if isinstance(v, torch.Tensor) else v, n, name)
                  for n, v in bound.arguments.items()}
        return to_tensor(function(**arrays), like)

    target.__name__ = target.__qualname__ = name
    target.__module__ = __name__
    target.__doc__ = (f"{name} of torch tensors, a target without gradient (the inputs are read detached); "
                      f"arguments and semantics as losses.{name}:\n\n{function.__doc__ or ''}")
    target.__signature__ = signature
    return target


__all__ = list(DIFFERENTIABLE)
for _name in TARGETS:
    globals()[_name] = _public_target(_name)
for _name in UPDATES:
    globals()[_name] = _public_update(_name)
# perceptual_loss takes lists of maps: its own Function (perceptual.py).
_OWN = {"perceptual_loss": (perceptual_loss, PerceptualLossFunction)}
for _name in list(__all__):
    if _name in _OWN:
        globals()[_name], _class = _OWN[_name]
        __all__.append(_class.__name__)
        continue
    globals()[_name] = _public(_name)
    _class = globals()[_name].binding.autograd_function
    globals()[_class.__name__] = _class
    __all__.append(_class.__name__)
__all__ += list(UPDATES) + list(TARGETS)


def damsm_loss(img_features, img_global, words_emb, sent_emb, cap_lens, class_ids=None, gamma1=4.0, gamma2=5.0,
               gamma3=10.0, reduction="mean"):
    """AttnGAN's DAMSM loss on torch tensors: the pair (w_loss, s_loss) of damsm_words_loss and
    damsm_sentence_loss, each differentiable w.r.t. its two features (as losses.damsm_loss)."""
    return (damsm_words_loss(img_features, words_emb, cap_lens, class_ids, gamma1, gamma2, gamma3, reduction),  # noqa: F821
            damsm_sentence_loss(img_global, sent_emb, class_ids, gamma3, reduction))  # noqa: F821


__all__.append("damsm_loss")


_named_triplet = triplet_margin_with_distance_loss  # noqa: F821 (defined by the loop above)


def triplet_margin_with_distance_loss(anchor, positive, negative, *, distance_function="euclidean", margin=1.0,
                                      swap=False, reduction="mean"):
    """triplet_margin_with_distance_loss of torch tensors. A named distance ('euclidean' or None,
    'cosine') runs in the library, differentiable w.r.t. anchor, positive and negative with its
    analytic gradients (as losses.triplet_margin_with_distance_loss). A callable distance (any
    function of two (N, D) tensors returning N distances) is computed with torch operations, as
    PyTorch's F.triplet_margin_with_distance_loss, so autograd follows it: its ties under swap
    split the gradient (torch.minimum), where the named distances give it to D(a, n)."""
    if callable(distance_function):
        return torch.nn.functional.triplet_margin_with_distance_loss(
            anchor, positive, negative, distance_function=distance_function, margin=margin, swap=swap,
            reduction=reduction)
    return _named_triplet(anchor, positive, negative, distance_function=distance_function, margin=margin, swap=swap,
                          reduction=reduction)


triplet_margin_with_distance_loss.binding = _named_triplet.binding
