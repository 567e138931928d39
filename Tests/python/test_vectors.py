"""Every shared conformance vector through the public Python API (the same files the Swift tests
and the C harness read)."""
import numpy as np
import pytest

from vector_cases import DTYPES, all_cases, assert_close, call

CASES = all_cases()


def test_vectors_were_found():
    assert len(CASES) > 200
    assert {c.loss for c in CASES} == {
        "mse_loss", "l1_loss", "huber_loss", "smooth_l1_loss", "quantile_loss", "log_cosh_loss",
        "cross_entropy", "cross_entropy_probs", "nll_loss", "focal_loss", "multi_margin_loss",
        "binary_cross_entropy", "binary_cross_entropy_with_logits", "sigmoid_focal_loss", "hinge_loss",
        "hinge_embedding_loss", "soft_margin_loss", "logistic_loss"}


@pytest.mark.parametrize("case", [c for c in CASES if c.status == 0], ids=lambda c: c.id)
def test_value_and_gradient(case):
    value, grad = call(case)
    dtype = DTYPES[case.dtype]
    assert np.asarray(value).dtype == dtype and grad.dtype == dtype
    assert_close(value, case.expect["out"], case, "value")
    assert_close(grad, case.expect["grad_input"], case, "gradient")


@pytest.mark.parametrize("case", [c for c in CASES if c.status != 0], ids=lambda c: c.id)
def test_invalid_arguments_raise(case):
    name = "cross_entropy" if case.loss == "cross_entropy_probs" else case.loss
    with pytest.raises(ValueError, match=name):
        call(case)
