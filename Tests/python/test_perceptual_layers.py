"""perceptual_loss over several layers is its layers' calls added up: every group of the shared
vectors' one-layer cases with the same dtype, reduction, batch and style weight, called as one
list, must give the sum of the cases' reference values and each case's reference gradients."""
import itertools

import numpy as np
import pytest

import losses
from vector_cases import DTYPES, all_cases, assert_close

CASES = [c for c in all_cases() if c.loss == "perceptual_loss" and not c.status and not c.defaults
         and "grad_output" not in c.arrays]
GROUPS = [list(g) for _, g in itertools.groupby(
    sorted(CASES, key=lambda c: (c.dtype, c.reduction, c.arrays["x"].shape[0], c.scalars["style_weight"], c.label)),
    key=lambda c: (c.dtype, c.reduction, c.arrays["x"].shape[0], c.scalars["style_weight"]))]
GROUPS = [g for g in GROUPS if len(g) >= 2]


def test_there_are_groups_of_several_layers():
    assert len(GROUPS) >= 2


@pytest.mark.parametrize("group", GROUPS, ids=lambda g: "+".join(c.id for c in g))
def test_layers_add_up(group):
    dtype = DTYPES[group[0].dtype]
    xs = [c.arrays["x"].astype(dtype) for c in group]
    ys = [c.arrays["y"].astype(dtype) for c in group]
    value, (grads_x, grads_y) = losses.perceptual_loss(
        xs, ys, layer_weights=[c.scalars["layer_weight"] for c in group], style_weight=group[0].scalars["style_weight"],
        reduction=group[0].reduction, return_grad=True)
    expected = sum(c.expect["out"].astype(np.float64) for c in group)
    assert_close(value, expected, group[0], "the layers' total")
    for c, gx, gy in zip(group, grads_x, grads_y):
        assert_close(gx, c.expect["grad_x"], c, "grad_x of its layer")
        assert_close(gy, c.expect["grad_y"], c, "grad_y of its layer")


def test_maps_are_read_in_place():
    x = [np.ones((2, 3, 4, 4), np.float32), np.ones((2, 5, 2, 2), np.float32)]
    y = [np.zeros_like(m) for m in x]
    mine = [np.empty_like(m) for m in x]
    _, (gx, _) = losses.perceptual_loss(x, y, style_weight=1.0, return_grad=True, grad_out=(mine, None))
    assert all(g is m for g, m in zip(gx, mine))  # the caller's arrays, written in place


@pytest.mark.parametrize("call,error", [
    (lambda: losses.perceptual_loss([np.ones((2, 3, 4))], [np.ones((2, 3, 4))] * 2), ValueError),
    (lambda: losses.perceptual_loss([np.ones((2, 3, 4))], [np.ones((2, 3, 5))]), ValueError),
    (lambda: losses.perceptual_loss([np.ones((2, 3, 4)), np.ones((3, 3, 4))], [np.ones((2, 3, 4)), np.ones((3, 3, 4))]),
     ValueError),
    (lambda: losses.perceptual_loss([], []), ValueError),
    (lambda: losses.perceptual_loss([np.ones((2, 3, 4))], np.ones((2, 3, 4))), TypeError),
    (lambda: losses.perceptual_loss([np.ones((2, 3, 4))] * 2, [np.ones((2, 3, 4))] * 2, layer_weights=[1.0]),
     ValueError),
    (lambda: losses.perceptual_loss([np.ones((2, 3, 4))] * 2, [np.ones((2, 3, 4))] * 2, layer_weights=[1.0, -1.0]),
     ValueError),
    (lambda: losses.perceptual_loss(np.ones((2, 3, 4)), np.ones((2, 3, 4)), style_weight=float("nan")), ValueError),
    (lambda: losses.perceptual_loss(np.ones((2, 0, 4)), np.ones((2, 0, 4))), ValueError),
])
def test_lists_of_different_lengths_or_shapes_are_refused(call, error):
    with pytest.raises(error, match="perceptual_loss"):
        call()


def test_a_refused_layer_writes_no_gradient():
    x = [np.ones((2, 3, 4)), np.ones((2, 3, 4))]
    grads = [np.full((2, 3, 4), 7.0), np.full((2, 3, 4), 7.0)]
    with pytest.raises(ValueError):
        losses.perceptual_loss(x, [np.zeros((2, 3, 4))] * 2, layer_weights=[1.0, -2.0], return_grad=True,
                               grad_out=(grads, None))
    assert all((g == 7.0).all() for g in grads)
