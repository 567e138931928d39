"""triplet_margin_with_distance_loss's distance_function beyond the named ones: the NumPy layer
refuses a callable (TypeError), losses.torch computes one with torch operations so that autograd
follows it, and both spell PyTorch's default distance None."""
import numpy as np
import pytest

import losses

torch = pytest.importorskip("torch")
F = torch.nn.functional
lt = pytest.importorskip("losses.torch")

rng = np.random.default_rng(7)
A, P, N = (rng.normal(size=(5, 3)) for _ in range(3))


def test_the_numpy_layer_refuses_a_callable():
    with pytest.raises(TypeError, match="callable distance is computed only by losses.torch"):
        losses.triplet_margin_with_distance_loss(A, P, N, distance_function=lambda x, y: np.abs(x - y).sum(1))


@pytest.mark.parametrize("name", ["no_such_distance", 2, -1])
def test_an_unknown_distance_is_refused(name):
    with pytest.raises(ValueError, match="distance_function"):
        losses.triplet_margin_with_distance_loss(A, P, N, distance_function=name)


def test_none_is_the_euclidean_distance():
    assert losses.triplet_margin_with_distance_loss(A, P, N, distance_function=None) == \
        losses.triplet_margin_with_distance_loss(A, P, N, distance_function="euclidean")


@pytest.mark.parametrize("swap", [False, True])
def test_losses_torch_lets_autograd_follow_a_callable(swap):
    l1 = lambda x, y: (x - y).abs().sum(1)  # noqa: E731
    ours = [torch.tensor(x, requires_grad=True) for x in (A, P, N)]
    theirs = [torch.tensor(x, requires_grad=True) for x in (A, P, N)]
    value = lt.triplet_margin_with_distance_loss(*ours, distance_function=l1, margin=2.0, swap=swap)
    expected = F.triplet_margin_with_distance_loss(*theirs, distance_function=l1, margin=2.0, swap=swap)
    value.backward()
    expected.backward()
    assert torch.allclose(value, expected, rtol=0, atol=1e-15)
    for a, b in zip(ours, theirs):
        assert torch.allclose(a.grad, b.grad, rtol=0, atol=1e-15)


def test_the_module_takes_a_callable_or_a_name():
    x = [torch.tensor(v) for v in (A, P, N)]
    cosine = lambda u, v: 1 - F.cosine_similarity(u, v)  # noqa: E731
    by_name = lt.TripletMarginWithDistanceLoss(distance_function="cosine", margin=0.5)(*x)
    by_callable = lt.TripletMarginWithDistanceLoss(distance_function=cosine, margin=0.5)(*x)
    assert torch.allclose(by_name, by_callable, rtol=1e-12, atol=0)
