"""Reinforcement-learning losses and targets (docs/reinforcement.md), after rlax's definitions
and argument names.

td_loss is a loss like the others (keyword-only extras as in regression.py: return_grad,
grad_output, out, grad_out); its gradient is w.r.t. `values` only, the bootstrap target being held
constant. Inputs of any shape, all four of one shape: a (B, T) batch of trajectories is B·T
independent transitions, and reduction='none' returns that shape.
"""
import numpy as np

from . import _native
from ._arrays import as_array, compute_dtype, outputs, pointer, reduction_code, result, tensor
from ._typing import ArrayLike, LossResult, Optional, Reduction, Union

_KERNELS = _native.KERNELS
TD_LOSSES = {"mse": _native.TD_LOSS_MSE, "huber": _native.TD_LOSS_HUBER}


def _selector(name, value, choices, what):
    """A string option, or its C selector given as an integer."""
    if isinstance(value, (int, np.integer)) and not isinstance(value, (bool, np.bool_)):
        return int(value)
    if isinstance(value, str) and value in choices:
        return choices[value]
    raise ValueError(f"{name}: {what} must be one of {sorted(choices)}, got {value!r}")


def _transitions(name, rewards, values, next_values, dones):
    """The four per-step arrays in one computing dtype (that of rewards, values and next_values;
    dones, often bool or integer, is converted to it), all of one shape."""
    r, v, nv, d = (as_array(a) for a in (rewards, values, next_values, dones))
    dtype = compute_dtype(r, v, nv)
    r, v, nv, d = (tensor(a, dtype) for a in (r, v, nv, d))
    for label, a in (("values", v), ("next_values", nv), ("dones", d)):
        if a.shape != r.shape:
            raise ValueError(f"{name}: {label} shape {a.shape} does not match rewards shape {r.shape}")
    return r, v, nv, d, dtype


def td_loss(rewards: ArrayLike, values: ArrayLike, next_values: ArrayLike, dones: ArrayLike, gamma: float = 0.99,
            loss: Union[str, int] = 'mse', reduction: Reduction = 'mean', *, return_grad: bool = False,
            grad_output: Optional[ArrayLike] = None, out: Optional[np.ndarray] = None,
            grad_out: Optional[np.ndarray] = None) -> LossResult:
    """Temporal-difference loss: with delta = rewards + gamma·(1 - dones)·next_values - values
    (rlax.td_learning), 0.5·delta² ('mse', rlax/optax l2_loss) or optax.huber_loss(delta, delta=1)
    ('huber': 0.5·delta² for |delta| <= 1, else |delta| - 0.5).

    Args:
      rewards, values, next_values, dones: arrays of one shape, one transition per element
        (a (B, T) batch is B·T transitions). dones: 1 where the step ended the episode (no
        bootstrap), 0 elsewhere; bool and integer arrays are accepted; not checked.
      gamma: the discount, in [0, 1].
      loss: 'mse' or 'huber' (or the C selector 0, 1).
      reduction: 'none' | 'mean' | 'sum'.
    Returns:
      The loss, or (loss, grad_values) with return_grad=True: the target is held constant, so the
      gradient is -delta ('mse') or -clip(delta, -1, 1) ('huber') per element, scaled by the
      reduction and grad_output. delta is computed in float64 for float32 inputs too.
    """
    r_code = reduction_code(reduction)
    selector = _selector("td_loss", loss, TD_LOSSES, "loss")
    r, v, nv, d, dtype = _transitions("td_loss", rewards, values, next_values, dones)
    o, g, go = outputs(v.shape, v.shape, dtype, r_code, return_grad, grad_output, out, grad_out)
    if status := _KERNELS["td_loss", dtype.char](pointer(r), pointer(v), pointer(nv), pointer(d), v.size,
                                                 float(gamma), selector, r_code, pointer(o), pointer(g), pointer(go)):
        _native.raise_status(status)
    return result(o, g, r_code, return_grad)
