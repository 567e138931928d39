"""How NumPy arguments reach the library.

Fast path: a C-contiguous, aligned ndarray of the computing dtype (float32 or float64, native
byte order) is passed as it is, by pointer: no copy. Anything else (lists, other dtypes,
strided or misaligned views, non-native byte order) is converted once with
np.ascontiguousarray. Caller-provided outputs (out=, grad_out=) are never converted: they must
already be writeable C-contiguous arrays of the right dtype and shape, since the library writes
straight into them.
"""
import ctypes
import warnings

import numpy as np

from . import _native

_ndarray = np.ndarray

F32 = np.dtype(np.float32)
F64 = np.dtype(np.float64)

REDUCTIONS = {"none": _native.REDUCTION_NONE, "mean": _native.REDUCTION_MEAN, "sum": _native.REDUCTION_SUM}


def reduction_code(reduction, size_average=None, reduce=None):
    """PyTorch's reduction argument, including its deprecated size_average/reduce pair."""
    if size_average is None and reduce is None:
        try:
            return REDUCTIONS[reduction]  # also a NumPy string, which hashes as its str
        except (KeyError, TypeError):
            pass
    else:
        warnings.warn("size_average and reduce are deprecated, please use reduction='mean', 'sum' or 'none'",
                      DeprecationWarning, stacklevel=3)
        size_average = True if size_average is None else size_average
        reduce = True if reduce is None else reduce
        reduction = "none" if not reduce else ("mean" if size_average else "sum")
        return REDUCTIONS[reduction]
    raise ValueError(f"{reduction} is not a valid value for reduction")


def compute_dtype(*arrays):
    """float32 when every floating argument is float32, float64 when any is float64; integers
    and booleans compute in float64, float16 in float32. Anything else is a TypeError."""
    kinds = [a.dtype for a in arrays if a is not None]
    if all(d is F32 for d in kinds):
        return F32
    if all(d is F64 for d in kinds):
        return F64
    result = np.result_type(*kinds)
    if result.kind == "f":
        return F64 if result.itemsize >= 8 else F32
    if result.kind in "biu":
        return F64
    raise TypeError(f"expected real numbers, got dtype {result}")


_INT_LIMITS = {32: (-2**31, 2**31 - 1), 64: (-2**63, 2**63 - 1)}


def integer(value, name, bits=64):
    """An integer parameter, exactly: refused (never wrapped or truncated) when it is not an
    integer, or is out of the C parameter's range (int64_t or int32_t). Integral floats are
    accepted; booleans are not integers here."""
    if type(value) is int and -0x8000000000000000 <= value <= 0x7FFFFFFFFFFFFFFF and bits == 64:
        return value  # the common case, first
    if isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be an integer, got {value!r}")
    if isinstance(value, (int, np.integer)):
        number = int(value)
    elif isinstance(value, (float, np.floating)) and float(value).is_integer():
        number = int(value)
    else:
        raise TypeError(f"{name} must be an integer, got {value!r}")
    low, high = _INT_LIMITS[bits]
    if not low <= number <= high:
        raise ValueError(f"{name} must be in [{low}, {high}] (int{bits}), got {number}")
    return number


def flag(value, name):
    """A boolean parameter: True/False (or 0/1), refused otherwise rather than read as truthy."""
    if isinstance(value, (bool, np.bool_)) or (isinstance(value, (int, np.integer)) and int(value) in (0, 1)):
        return int(bool(value))
    raise TypeError(f"{name} must be a bool, got {value!r}")


def is_python_scalar(value):
    """A Python int or float: like PyTorch's, it never changes the computing dtype."""
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def as_array(value):
    return value if type(value) is _ndarray else np.asarray(value)


def tensor(array, dtype):
    """The array itself when the library can read it in place, else one converted copy (a new
    allocation, which NumPy aligns: ascontiguousarray would return a contiguous misaligned view
    unchanged)."""
    flags = array.flags
    if array.dtype is dtype and flags.c_contiguous and flags.aligned:
        return array
    if array.dtype.kind not in "biuf":
        raise TypeError(f"expected real numbers, got dtype {array.dtype}")
    return np.array(array, dtype=dtype, order="C", copy=True)


def tensor_like(value, shape, dtype, name):
    """An optional argument (weight, grad_output) broadcast to `shape`, converted as needed."""
    if value is None:
        return None
    array = as_array(value)
    if array.shape != shape:
        try:
            array = np.broadcast_to(array, shape)
        except ValueError:
            raise ValueError(f"{name} of shape {array.shape} cannot be broadcast to {shape}") from None
    return tensor(array, dtype)


def output(provided, shape, dtype, name):
    """A fresh output array, or the caller's, checked so that the library may write into it."""
    if provided is None:
        return np.empty(shape, dtype)
    if not isinstance(provided, np.ndarray):
        raise TypeError(f"{name} must be a numpy.ndarray, got {type(provided).__name__}")
    if provided.dtype != dtype:
        raise TypeError(f"{name} must have dtype {dtype}, got {provided.dtype}")
    if provided.shape != shape:
        raise ValueError(f"{name} must have shape {shape}, got {provided.shape}")
    flags = provided.flags
    if not (flags.c_contiguous and flags.aligned and flags.writeable):
        raise ValueError(f"{name} must be a writeable, aligned, C-contiguous array")
    return provided


def _data_field_pointer(array, _read=ctypes.c_void_p.from_address, _offset=2 * ctypes.sizeof(ctypes.c_void_p)):
    """The `data` field of NumPy's public PyArrayObject struct, right after the object header:
    0.15 µs, where `array.ctypes.data` builds the whole __array_interface__ dict (1.4 µs here,
    per array and per call)."""
    return _read(id(array) + _offset).value or 0


def _layout_agrees():
    """Checked once at import on arrays of every kind the bindings pass; any disagreement (a
    CPython with a larger object header, say) selects the documented NumPy attribute instead."""
    base = np.arange(64, dtype=np.float64)
    samples = [base, base[3:], np.zeros(0, np.float32), np.empty((), np.float32), base.reshape(8, 8)[2:]]
    return all(_data_field_pointer(a) == a.ctypes.data for a in samples)


_FAST_POINTERS = _layout_agrees()


def _documented_pointer(array):
    return array.ctypes.data


# data_pointer(array): the data address of an array (the caller keeps the array alive across
# the call), chosen once so that a call pays no extra indirection.
data_pointer = _data_field_pointer if _FAST_POINTERS else _documented_pointer


def pointer(array, _data=data_pointer):
    """The data address of an array, or None (NULL) for None."""
    return None if array is None else _data(array)


def result(out, grad, reduction, return_grad):
    """A reduced value comes back as a NumPy scalar of the computing dtype, an unreduced one as
    the array; with return_grad, paired with the gradient."""
    value = out if reduction == _native.REDUCTION_NONE else out[()]
    return (value, grad) if return_grad else value


def prepare_pointwise(name, input, target, weight, reduction, return_grad, grad_output, out, grad_out):
    """Converts the arguments of an elementwise loss (input, target and weight of one shape)
    and allocates its outputs. The common case (two arrays of one float dtype, a reduced value
    and no extras) takes the short way: the whole Python side of a 10-element call is a few
    hundred nanoseconds besides the ctypes call."""
    if weight is None and type(input) is _ndarray and type(target) is _ndarray:
        # The common call, checked in place: two arrays the library reads as they are.
        dtype = input.dtype
        if dtype is target.dtype and (dtype is F32 or dtype is F64) and input.shape == target.shape:
            fx, fy = input.flags, target.flags
            if (fx.c_contiguous and fx.aligned and fy.c_contiguous and fy.aligned and reduction != _native.REDUCTION_NONE
                    and out is None and grad_out is None and grad_output is None):
                return input, target, None, np.empty((), dtype), np.empty(input.shape, dtype) if return_grad else None, None
    x = input if type(input) is _ndarray else np.asarray(input)
    y = target if type(target) is _ndarray else np.asarray(target)
    dtype = x.dtype
    if weight is None and dtype is y.dtype and (dtype is F32 or dtype is F64):
        x, y = tensor(x, dtype), tensor(y, dtype)
        w = None
    else:
        w = None if weight is None else as_array(weight)
        dtype = compute_dtype(x, y) if is_python_scalar(weight) else compute_dtype(x, y, w)
        x, y = tensor(x, dtype), tensor(y, dtype)
    if x.shape != y.shape:
        raise ValueError(f"{name}: target shape {y.shape} does not match input shape {x.shape}")
    if w is not None:
        w = tensor_like(w, x.shape, dtype, "weight")
    if reduction != _native.REDUCTION_NONE and out is None and grad_out is None and grad_output is None:
        return x, y, w, np.empty((), dtype), np.empty(x.shape, dtype) if return_grad else None, None
    o, g, go = outputs(x.shape, x.shape, dtype, reduction, return_grad, grad_output, out, grad_out)
    return x, y, w, o, g, go


def outputs(input_shape, out_shape, dtype, reduction, return_grad, grad_output, out, grad_out):
    """The value array, the gradient array (when asked for) and the converted grad_output."""
    if reduction != _native.REDUCTION_NONE:
        out_shape = ()
    if out is None and grad_out is None and grad_output is None:
        return np.empty(out_shape, dtype), np.empty(input_shape, dtype) if return_grad else None, None
    o = output(out, out_shape, dtype, "out")
    g = output(grad_out, input_shape, dtype, "grad_out") if return_grad or grad_out is not None else None
    go = tensor_like(grad_output, out_shape, dtype, "grad_output")
    return o, g, go


def target_gradient(name, arguments, reduction, shape, dtype, grad_output):
    """The gradient w.r.t. the target, from losses_<name>_grad_target: `arguments` are the
    loss's own, up to its reduction (the same checks passed for the loss's call)."""
    gt = np.empty(shape, dtype)
    if status := _native.KERNELS[name + "_grad_target", dtype.char](
            *arguments, reduction, data_pointer(gt), pointer(grad_output)):
        _native.raise_status(status)
    return gt


def with_target_gradient(value_and_grad, grad_target, return_grad):
    """(value, grad_input, grad_target), or (value, grad_target) without return_grad."""
    if return_grad:
        value, grad = value_and_grad
        return value, grad, grad_target
    return value_and_grad, grad_target


def gradient_outputs(name, grad_out, shapes, dtype, return_grad, names):
    """The gradient arrays of a function of several differentiable inputs (the distances, the
    metric-learning losses): `grad_out` is None or a tuple with one array or None per input, of
    shape `shapes[i]`. With return_grad every gradient is computed; otherwise only those
    grad_out provides. `names` name the gradients for the error message."""
    if grad_out is None:
        provided = (None,) * len(shapes)
    elif isinstance(grad_out, tuple) and len(grad_out) == len(shapes):
        provided = grad_out
    else:
        raise TypeError(f"{name}: grad_out must be a tuple ({', '.join(names)}), any of which may be None")
    return [output(g, shape, dtype, f"grad_out[{i}]") if return_grad or g is not None else None
            for i, (g, shape) in enumerate(zip(provided, shapes))]
