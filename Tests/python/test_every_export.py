"""Every exported loss function, driven through ctypes with arguments built from its own
declaration in include/losses.h: a valid call succeeds; NULL for each required pointer, bad
sizes, out-of-range selectors, NaN/Inf parameters and values, empty batches and out-of-range
labels give a status (an exception here) or a result, never a crash; and a failed call writes
nothing."""
import math

import numpy as np
import pytest

from header import losses as header_losses
from header import HAND_WRITTEN_FUNCTIONS, metrics, parse
from losses import _native

# FID's statistics entries (abi/header.py HAND_WRITTEN) are tested by test_fid.py.
FUNCTIONS = {name: params for name, (_, params) in parse()[0].items()
             if name.endswith(("_f32", "_f64")) and name not in HAND_WRITTEN_FUNCTIONS}
OPTIONAL = {"grad_img", "weight", "pos_weight", "alpha", "grad_input", "grad_input1", "grad_input2", "grad_anchor",
            "grad_positive", "grad_negative", "grad_negative1", "grad_negative2", "grad_f1", "grad_f2", "grad_weight",
            "grad_bias", "grad_x1", "grad_x2", "grad_output", "grad_embeddings", "grad_dist", "grad_features",
            "grad_centers", "grad_sp", "grad_sn", "grad_pred", "grad_x", "grad_x_hat", "grad_boxes1", "grad_boxes2",
            "grad_logits", "grad_y", "weights", "grad_values", "u_weights", "v_weights", "class_ids",
            "grad_img_features", "grad_words_emb", "grad_img_global", "grad_sent_emb", "grad_pk", "grad_qk",
            "grad_real_scores", "grad_fake_scores", "grad_gradients", "grad_var", "grad_log_probs",
            "linear_bias", "grad_linear_weight", "grad_linear_bias"}
# Optional in some entries only: dice_loss's gradient w.r.t. its target (required in the
# losses_<loss>_grad_target entries, whose only output it is).
OPTIONAL_IN = {"grad_target": ("losses_dice_loss_",)}
SIZES = {"n": 2, "m": 2, "c": 3, "d": 1, "q": 1, "l": 3, "k": 2, "h": 3, "w": 3, "r": 2, "t": 1, "weights_count": 1, "pos_weight_count": 1,
         "alpha_count": 1, "s": 2}
SCALARS = {"delta": 1.0, "beta": 1.0, "margin": 1.0, "gamma": 2.0, "alpha": 0.25, "label_smoothing": 0.0,
           "ignore_index": -100, "p": 1, "squared": 0, "swap": 0, "reduction": 1, "eps": 1e-6, "scalar": 30.0,
           "momentum": 0.5, "queue_head": 0, "margin1": 1.0, "margin2": 0.5, "bias": 0.0, "soft": 0, "m": 0.4,
           "temperature": 0.07, "smooth": 1.0, "loss_type": 0, "pos_lambda": 1.0, "neg_lambda": 0.1, "L": 6.0,
           "tau": 4.0, "data_range": 1.0, "win_size": 1, "win_sigma": 1.5, "k1": 0.01, "k2": 0.03,
           "layer_weight": 1.0, "style_weight": 0.5, "splits": 1, "loss": 0,
           "lambda_": 0.95, "gamma1": 4.0, "gamma2": 5.0, "gamma3": 10.0, "log_target": 0, "batchmean": 0,
           "weight": 10.0, "mean": 0, "log_input": 1, "full": 0, "var_per_row": 0, "blank": 0, "zero_infinity": 0,
           "distance_function": 0, "epsilon": 2.0}
# A parameter whose valid value differs by entry (td_loss's and td_error's gamma: a discount in [0, 1]).
SCALARS_IN = {"losses_td_loss_": {"gamma": 0.99}, "losses_td_error_": {"gamma": 0.99}}
SENTINEL = 7.0


def is_size(c_type, param):
    """A size argument: an int64_t named in SIZES (circle loss's m is a double margin)."""
    return param in SIZES and c_type == "int64_t"


class Call:
    """A valid call of one function; `run(**changes)` calls it with some arguments replaced and
    reports whether the outputs were left untouched."""

    def __init__(self, name):
        self.name, self.params = name, FUNCTIONS[name]
        self.dtype = np.float32 if name.endswith("_f32") else np.float64
        self.function = _native.checked(getattr(_native.lib, name))
        self.buffers = {}
        self.values = {}
        for c_type, param in self.params:
            if c_type.endswith("*"):
                self.values[param] = self.buffer(c_type, param)
            elif is_size(c_type, param):
                self.values[param] = SIZES[param]
            else:
                overrides = next((v for prefix, v in SCALARS_IN.items() if name.startswith(prefix)), {})
                self.values[param] = overrides.get(param, SCALARS[param])

    def buffer(self, c_type, param):
        """64 elements: enough for any size used here."""
        if "int64_t" in c_type:
            # class 0 for every target; DAMSM's captions one word long (t = 1); CTC's one label (1, not
            # the blank 0) in its one frame
            ones = param in ("cap_lens", "input_lengths", "target_lengths") or (param == "targets" and "ctc" in self.name)
            array = np.ones(64, np.int64) if ones else np.zeros(64, np.int64)
        elif "double" in c_type and "const" in c_type and param in ("quantile", "alpha"):
            array = np.full(64, 0.5)
        elif c_type.startswith("const"):
            array = np.full(64, 0.5, self.dtype)  # a valid probability, logit and residual alike
        else:
            array = np.full(64, SENTINEL, self.dtype)
        self.buffers[param] = array
        return array.ctypes.data

    @property
    def outputs(self):
        return [p for t, p in self.params if t.endswith("*") and not t.startswith("const")]

    def run(self, **changes):
        for param in self.outputs:
            self.buffers[param][:] = SENTINEL
        args = dict(self.values, **changes)
        try:
            self.function(*[args[p] for _, p in self.params])
            return None
        except (ValueError, TypeError) as error:
            untouched = all((self.buffers[p] == SENTINEL).all() for p in self.outputs)
            assert untouched, f"{self.name}: an output was written on error ({error})"
            assert self.name.removeprefix("losses_").rsplit("_", 1)[0].replace("_probs", "") in str(error)
            return error


@pytest.fixture(params=sorted(FUNCTIONS))
def call(request):
    return Call(request.param)


def test_every_loss_of_the_header_is_driven_in_both_dtypes():
    assert len(FUNCTIONS) == 2 * len(header_losses()) > 0


def test_valid_call_succeeds(call):
    assert call.run() is None


def test_each_required_pointer_null(call):
    for c_type, param in call.params:
        if c_type.endswith("*"):
            error = call.run(**{param: None})
            if param in OPTIONAL or call.name.startswith(OPTIONAL_IN.get(param, ())):
                assert error is None, f"{call.name}: NULL {param} is allowed: {error}"
            else:
                assert isinstance(error, TypeError) and f"{param} is NULL" in str(error), (param, error)


@pytest.mark.parametrize("bad", [-1, -(2**63), 2**61, 2**63 - 1])
def test_each_size_out_of_range(call, bad):
    for c_type, param in call.params:
        if is_size(c_type, param):
            error = call.run(**{param: bad})
            assert isinstance(error, ValueError), (param, bad)


def test_sizes_whose_product_overflows(call):
    names = [p for t, p in call.params if is_size(t, p)]
    if len(names) >= 2:
        error = call.run(**{names[0]: 2**40, names[1]: 2**40})
        assert isinstance(error, ValueError)


@pytest.mark.parametrize("param,bad", [("reduction", -1), ("reduction", 3), ("reduction", 2**31 - 1),
                                       ("p", 0), ("p", 3), ("squared", 2), ("squared", -1)])
def test_selectors_out_of_range(call, param, bad):
    if dict((p, t) for t, p in call.params).get(param) == "int32_t":
        assert isinstance(call.run(**{param: bad}), ValueError)


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf, -1.0, 1e308])
def test_any_double_parameter(call, value):
    for c_type, param in call.params:
        if c_type == "double":
            call.run(**{param: value})  # a status or a result, never a crash


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf, 0.0, -0.0, 1e-45])
def test_any_input_value(call, value):
    for c_type, param in call.params:
        if c_type.startswith("const") and "int64_t" not in c_type:
            call.buffers[param][:] = value
    call.run()


def test_empty_batch(call):
    """A loss computes an empty batch; a metric may refuse it (scipy has no Wasserstein distance of
    an empty distribution) with a ValueError (invalid size or argument), writing nothing."""
    error = call.run(n=0)
    if call.name.removeprefix("losses_")[:-4] in metrics():
        assert error is None or isinstance(error, ValueError), error
    else:
        assert error is None


def test_labels_out_of_range(call):
    labels = [p for t, p in call.params if "int64_t *" in t]
    if labels:
        call.buffers[labels[0]][:] = 99
        error = call.run()
        names = {p for _, p in call.params}
        if names & {"embeddings", "dist"} or labels[0] == "class_ids":
            assert error is None, error  # a batch's identities or classes: any value, compared for equality
        elif labels[0] == "relevance":  # r_precision: 0 or 1
            assert isinstance(error, ValueError) and "relevance[0] must be 0 or 1, got 99" in str(error)
        elif call.name.startswith("losses_lovasz_hinge_loss"):  # binary labels
            assert isinstance(error, ValueError) and "target[0] = 99 is not 0 or 1" in str(error)
        elif labels[0] == "cap_lens":
            assert isinstance(error, ValueError) and "cap_lens[0] = 99 is out of range" in str(error)
        else:
            assert isinstance(error, ValueError) and "out of range for 3 classes" in str(error)
