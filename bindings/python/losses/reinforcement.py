"""Reinforcement-learning losses and targets (docs/reinforcement.md), after rlax's definitions
and argument names.

td_loss is a loss like the others (keyword-only extras as in regression.py: return_grad,
grad_output, out, grad_out); its gradient is w.r.t. `values` only, the bootstrap target being held
constant. Inputs of any shape, all four of one shape: a (B, T) batch of trajectories is B·T
independent transitions, and reduction='none' returns that shape. td_error, td_lambda_returns and
gae are targets: metrics, with no gradient and no reduction.
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


# ---- The targets: metrics, no gradient ---------------------------------------------------------
#
# Each takes a trajectory of T steps, or a batch (..., T) of independent trajectories (every
# leading index one trajectory, computed in parallel), and returns an array of the rewards' shape.
# Computed in the dtype of the float inputs (float32 when they all are), scanned in float64.


def _steps(array, dtype, name, shape, what):
    a = tensor(as_array(array), dtype)
    if a.shape != shape:
        raise ValueError(f"{name}: {what} shape {a.shape} does not match {shape}")
    return a


def _trajectories(name, rewards, others, extra_last=None):
    """rewards (..., T) and the other per-step arrays: (n, l, dtype, arrays); `extra_last` names
    an array of shape (..., T + 1)."""
    arrays = {k: as_array(v) for k, v in others.items()}
    r = as_array(rewards)
    dtype = compute_dtype(r, *(v for k, v in arrays.items() if k != "dones"))
    r = tensor(r, dtype)
    if r.ndim == 0:
        raise ValueError(f"{name}: rewards must have a step axis (T) or be (..., T), got a 0-d array")
    converted = []
    for k, v in arrays.items():
        shape = r.shape[:-1] + (r.shape[-1] + 1,) if k == extra_last else r.shape
        converted.append(_steps(v, dtype, name, shape, k))
    l = r.shape[-1]
    n = r.size // l if l else int(np.prod(r.shape[:-1], dtype=np.int64))
    return n, l, dtype, r, converted


def td_error(rewards: ArrayLike, values: ArrayLike, next_values: ArrayLike, dones: ArrayLike,
             gamma: float = 0.99) -> np.ndarray:
    """The TD error of each step, rlax.td_learning: rewards + gamma·(1 - dones)·next_values - values,
    computed in float64 and rounded once; an array of the inputs' shape. No gradient (a target).

    Args:
      rewards, values, next_values, dones: arrays of one shape (T) or (..., T); dones 1 where the step
        ended the episode, bool or integer accepted, not checked.
      gamma: the discount, in [0, 1].
    """
    n, l, dtype, r, (v, nv, d) = _trajectories("td_error", rewards, {"values": values, "next_values": next_values,
                                                                      "dones": dones})
    o = np.empty(r.shape, dtype)
    if status := _KERNELS["td_error", dtype.char](pointer(r), pointer(v), pointer(nv), pointer(d), n, l,
                                                  float(gamma), pointer(o)):
        _native.raise_status(status)
    return o


def td_lambda_returns(rewards: ArrayLike, discounts: ArrayLike, values: ArrayLike,
                      lambda_: float = 0.95) -> np.ndarray:
    """lambda-returns, rlax.lambda_returns(r_t, discount_t, v_t, lambda_): per trajectory, backwards
    from G = values[-1], G_t = rewards[t] + discounts[t]·((1 - lambda_)·values[t] + lambda_·G_{t+1}).

    Args:
      rewards, discounts, values: arrays of one shape (T) or (..., T). values[t] is the value of the
        state step t *reached* (rlax's v_t, not V(s_t)): the last one also bootstraps the tail. With
        V(s_0..s_T) of length T + 1 (as gae takes them), pass values[..., 1:].
        discounts: gamma·(1 - done) per step, not checked.
      lambda_: in [0, 1]; 1 gives the discounted returns bootstrapped on the last value, 0 the
        one-step targets rewards + discounts·values.
    Returns an array of the rewards' shape. No gradient (a target).
    """
    n, l, dtype, r, (d, v) = _trajectories("td_lambda_returns", rewards, {"discounts": discounts, "values": values})
    o = np.empty(r.shape, dtype)
    if status := _KERNELS["td_lambda_returns", dtype.char](pointer(r), pointer(d), pointer(v), n, l, float(lambda_),
                                                           pointer(o)):
        _native.raise_status(status)
    return o


def gae(rewards: ArrayLike, discounts: ArrayLike, values: ArrayLike, lambda_: float = 0.95) -> np.ndarray:
    """Generalised advantage estimates, rlax.truncated_generalized_advantage_estimation(r_t, discount_t,
    lambda_, values): per trajectory, delta_t = rewards[t] + discounts[t]·values[t + 1] - values[t] and
    A_t = delta_t + lambda_·discounts[t]·A_{t+1}, backwards from A = 0 after the last step.

    Args:
      rewards, discounts: (T) or (..., T); discounts gamma·(1 - done) per step, not checked.
      values: (T + 1) or (..., T + 1): V(s_0)..V(s_T), the last the bootstrap.
      lambda_: in [0, 1].
    Returns an array of the rewards' shape (add values[..., :-1] for the lambda-returns). No gradient.
    """
    n, l, dtype, r, (d, v) = _trajectories("gae", rewards, {"discounts": discounts, "values": values},
                                           extra_last="values")
    o = np.empty(r.shape, dtype)
    if status := _KERNELS["gae", dtype.char](pointer(r), pointer(d), pointer(v), n, l, float(lambda_), pointer(o)):
        _native.raise_status(status)
    return o
