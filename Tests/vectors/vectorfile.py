"""Reads and writes the conformance vector files shared by the Swift, C and Python tests.

A file holds cases; a case is a block of lines, one record a line, tokens separated by spaces:

    case <loss> <label> <f32|f64>
    reduction <none|mean|sum>              the reduction the reference used
    defaults                               the case passes no optional parameter (reduction
                                           included): every suite calls the loss through its own
                                           defaults, which must be the reference's
    scalar <name> <value>                  a double parameter (delta, beta, ...)
    array <name> <ndim> <d1..dk> <values>  an input (inputs in the case's dtype; parameter
                                           vectors such as quantile are double)
    status <code>                          expected status (0 unless given)
    expect <name> <ndim> <d1..dk> <values> an expected output (out, grad_input, ...)
    tolerance <rtol> <atol> <stol>         |got - want| <= atol + rtol |want| + stol max|want|,
                                           the max over the array compared; NaN matches NaN
    end

Values are decimal with 17 significant digits (exact round trip for float64 and float32), or
nan, inf, -inf.
"""
import math


def format_value(v):
    v = float(v)
    if math.isnan(v):
        return "nan"
    if math.isinf(v):
        return "inf" if v > 0 else "-inf"
    return repr(v)


def format_array(keyword, name, array):
    import numpy as np

    a = np.asarray(array, dtype=np.float64)
    dims = " ".join(str(d) for d in a.shape)
    values = " ".join(format_value(v) for v in a.ravel())
    head = f"{keyword} {name} {a.ndim}" + (f" {dims}" if a.ndim else "")
    return f"{head} {values}".rstrip()


class Case:
    def __init__(self, loss, label, dtype):
        self.loss, self.label, self.dtype = loss, label, dtype
        self.reduction = "mean"
        self.scalars = {}
        self.arrays = {}
        self.expect = {}
        self.status = 0
        self.defaults = False
        self.rtol, self.atol, self.stol = 0.0, 0.0, 0.0

    @property
    def id(self):
        return f"{self.loss}/{self.label}/{self.dtype}"

    def lines(self):
        yield f"case {self.loss} {self.label} {self.dtype}"
        yield f"reduction {self.reduction}"
        if self.defaults:
            yield "defaults"
        for k, v in self.scalars.items():
            yield f"scalar {k} {format_value(v)}"
        for k, v in self.arrays.items():
            yield format_array("array", k, v)
        if self.status:
            yield f"status {self.status}"
        for k, v in self.expect.items():
            yield format_array("expect", k, v)
        yield f"tolerance {self.rtol!r} {self.atol!r} {self.stol!r}"
        yield "end"


def _array(tokens):
    import numpy as np

    ndim = int(tokens[0])
    shape = tuple(int(t) for t in tokens[1 : 1 + ndim])
    values = [float(t) for t in tokens[1 + ndim :]]
    return np.array(values, dtype=np.float64).reshape(shape)


def read(path):
    """Yields the cases of one vector file."""
    case = None
    with open(path) as f:
        for line in f:
            tokens = line.split()
            if not tokens or tokens[0].startswith("#"):
                continue
            kind = tokens[0]
            if kind == "case":
                case = Case(tokens[1], tokens[2], tokens[3])
            elif kind == "reduction":
                case.reduction = tokens[1]
            elif kind == "defaults":
                case.defaults = True
            elif kind == "scalar":
                case.scalars[tokens[1]] = float(tokens[2])
            elif kind == "array":
                case.arrays[tokens[1]] = _array(tokens[2:])
            elif kind == "expect":
                case.expect[tokens[1]] = _array(tokens[2:])
            elif kind == "status":
                case.status = int(tokens[1])
            elif kind == "tolerance":
                case.rtol, case.atol, case.stol = float(tokens[1]), float(tokens[2]), float(tokens[3])
            elif kind == "end":
                yield case
                case = None
            else:
                raise ValueError(f"{path}: unknown record {kind!r}")
