"""The distribution losses' own behaviour beyond the shared vectors: bad input (mismatched shapes,
flags, weights, axes, the C flag combinations), the Python layer's shapes ('batchmean' of 1-D and
0-d inputs, the axis argument), and the documented edges (q = 0 < p, unnormalised rows, empty WGAN
batches, zero targets and zero gradient rows), each against its reference where one exists."""
import math

import numpy as np
import pytest

import losses
from losses import _native

try:
    import torch
    import torch.nn.functional as F
except ImportError:  # the references below that need PyTorch skip; the rest runs
    torch = F = None
needs_torch = pytest.mark.skipif(torch is None, reason="PyTorch is the reference")


@pytest.mark.parametrize("name", ["kl_div", "kl_divergence", "js_divergence"])
def test_mismatched_shapes(name):
    with pytest.raises(ValueError, match=name):
        getattr(losses, name)(np.full((2, 3), 0.5), np.full((3, 2), 0.5))


def test_kl_div_refuses_bad_reductions_and_flags():
    x, t = np.zeros((2, 3)), np.full((2, 3), 1 / 3)
    with pytest.raises(ValueError, match="avg is not a valid value for reduction"):
        losses.kl_div(x, t, reduction="avg")
    with pytest.raises(TypeError, match="log_target must be a bool"):
        losses.kl_div(x, t, log_target=2)
    out = np.full(1, 7.0)
    p = x.ctypes.data
    q = t.ctypes.data
    # The C flags: 0 or 1, and batchmean only with the mean.
    for log_target, batchmean, reduction, message in ((2, 0, 1, "log_target must be 0 or 1"),
                                                      (0, -1, 1, "batchmean must be 0 or 1"),
                                                      (0, 1, 2, "batchmean = 1 needs reduction mean"),
                                                      (0, 1, 0, "batchmean = 1 needs reduction mean")):
        with pytest.raises(ValueError, match=message):
            _native.checked(_native.lib.losses_kl_div_f64)(p, q, 2, 3, log_target, batchmean, reduction,
                                                           out.ctypes.data, None, None)
        assert out[0] == 7.0
        with pytest.raises(ValueError, match="kl_div_grad_target: " + message):
            _native.checked(_native.lib.losses_kl_div_grad_target_f64)(p, q, 2, 3, log_target, batchmean, reduction,
                                                                       out.ctypes.data, None)


@pytest.mark.parametrize("name", ["kl_div", "kl_divergence", "js_divergence", "gradient_penalty"])
def test_sizes_that_overflow(name):
    x = np.zeros(4)
    function = _native.checked(getattr(_native.lib, f"losses_{name}_f64"))
    arguments = {"kl_div": (x.ctypes.data, x.ctypes.data, 2**40, 2**40, 0, 0, 1, x.ctypes.data, None, None),
                 "kl_divergence": (x.ctypes.data, x.ctypes.data, 2**40, 2**40, 1, x.ctypes.data, None, None, None),
                 "js_divergence": (x.ctypes.data, x.ctypes.data, 2**40, 2**40, 1, x.ctypes.data, None, None, None),
                 "gradient_penalty": (x.ctypes.data, 2**40, 2**40, 10.0, 1, x.ctypes.data, None, None)}[name]
    with pytest.raises(ValueError, match=f"{name}: .*too large"):
        function(*arguments)


@pytest.mark.parametrize("weight", [-1.0, math.nan, math.inf, -math.inf])
def test_gradient_penalty_refuses_bad_weights(weight):
    with pytest.raises(ValueError, match="gradient_penalty: weight must be finite and >= 0"):
        losses.gradient_penalty(np.ones((2, 3)), weight=weight)


def test_divergence_axis():
    rng = np.random.default_rng(3)
    p, q = rng.dirichlet(np.ones(4), size=(3, 5)), rng.dirichlet(np.ones(4), size=(3, 5))
    pt, qt = np.moveaxis(p, -1, 0), np.moveaxis(q, -1, 0)  # the distributions along axis 0
    pytest.importorskip("scipy")
    import scipy.stats
    np.testing.assert_allclose(losses.kl_divergence(pt, qt, axis=0), scipy.stats.entropy(pt, qt, axis=0), rtol=1e-12)
    value, (gp, gq) = losses.kl_divergence(pt, qt, axis=0, reduction="sum", return_grad=True)
    assert gp.shape == pt.shape and gq.shape == qt.shape
    np.testing.assert_allclose(gq, -pt / qt, rtol=1e-12)
    with pytest.raises(ValueError, match="axis 3 is out of range"):
        losses.kl_divergence(pt, qt, axis=3)
    with pytest.raises(ValueError, match="grad_out needs the distributions on the last axis"):
        losses.js_divergence(pt, qt, axis=0, return_grad=True, grad_out=(np.empty_like(pt), None))
    with pytest.raises(ValueError, match="at least one dimension"):
        losses.kl_divergence(0.5, 0.5)


def test_q_zero_where_p_positive_is_infinite_for_kl_and_finite_for_js():
    pytest.importorskip("scipy")
    import scipy.spatial.distance
    import scipy.stats
    p, q = np.array([0.5, 0.5]), np.array([1.0, 0.0])
    value, (gp, gq) = losses.kl_divergence(p, q, return_grad=True)
    assert value == scipy.stats.entropy(p, q) == math.inf
    assert gq[1] == -math.inf and gp[1] == math.inf and gq[0] == -0.5
    value, (gp, gq) = losses.js_divergence(p, q, return_grad=True)
    assert math.isclose(value, scipy.spatial.distance.jensenshannon(p, q) ** 2, rel_tol=1e-12)
    assert np.isfinite(gp).all() and np.isfinite(gq).all() and gq[1] == -0.5


def test_unnormalised_rows_are_the_plain_sum_not_scipys_entropy():
    pytest.importorskip("scipy")
    import scipy.special
    import scipy.stats
    p, q = np.array([0.2, 0.4]), np.array([0.5, 0.5])
    assert math.isclose(losses.kl_divergence(p, q), scipy.special.rel_entr(p, q).sum(), rel_tol=1e-14)
    assert losses.kl_divergence(p, q) < 0 < scipy.stats.entropy(p, q)
    assert math.isclose(losses.kl_divergence(p / p.sum(), q), scipy.stats.entropy(p, q), rel_tol=1e-14)


@needs_torch
@pytest.mark.parametrize("shape", [(7,), (), (2, 3, 4)])
def test_kl_div_batchmean_divides_by_the_first_dimension(shape):
    rng = np.random.default_rng(4)
    x, t = rng.standard_normal(shape) - 2, rng.uniform(0.01, 1, shape)
    want = F.kl_div(torch.tensor(x), torch.tensor(t), reduction="batchmean").item()
    assert math.isclose(float(losses.kl_div(x, t, reduction="batchmean")), want, rel_tol=1e-13)


@needs_torch
def test_kl_div_target_gradient_is_zero_at_zero_targets_where_pytorchs_is_nan():
    x = np.log(np.array([[0.25, 0.75], [0.5, 0.5]]))
    t = np.array([[0.0, 1.0], [0.5, 0.5]])
    tt = torch.tensor(t, requires_grad=True)
    F.kl_div(torch.tensor(x), tt, reduction="sum").backward()
    assert math.isnan(tt.grad[0, 0])
    _, grad = losses.kl_div(x, t, reduction="sum", return_target_grad=True)
    assert grad[0, 0] == 0
    np.testing.assert_allclose(grad[1:], tt.grad[1:].numpy(), rtol=1e-14)
    np.testing.assert_allclose(grad[0, 1], tt.grad[0, 1].item(), rtol=1e-14)


def test_wgan_critic_one_value_and_empty_batches():
    real, fake = np.array([1.0, 2.0, 4.0]), np.array([0.5, -0.5])
    mean = losses.wgan_critic_loss(real, fake)
    assert mean == losses.wgan_critic_loss(real, fake, reduction="none") == np.mean(fake) - np.mean(real)
    assert losses.wgan_critic_loss(real, fake, reduction="sum") == fake.sum() - real.sum()
    value, (g_real, g_fake) = losses.wgan_critic_loss(np.zeros(0), fake, return_grad=True)
    assert math.isnan(value) and g_real.shape == (0,) and (g_fake == 0.5).all()
    assert losses.wgan_critic_loss(np.zeros(0), fake, reduction="sum") == 0.0
    assert math.isnan(losses.wgan_generator_loss(np.zeros(0)))


@needs_torch
def test_gradient_penalty_zero_row_matches_autograd():
    g = np.array([[0.0, 0.0, 0.0], [0.3, -0.4, 1.2]])
    tg = torch.tensor(g, requires_grad=True)
    (10 * (tg.norm(2, dim=1) - 1) ** 2).mean().backward()
    value, grad = losses.gradient_penalty(g, return_grad=True)
    np.testing.assert_allclose(grad, tg.grad.numpy(), rtol=1e-14, atol=0)
    assert (grad[0] == 0).all()


def test_wgan_losses_check_their_flags_and_selectors():
    x = np.zeros(2)
    with pytest.raises(ValueError, match="wgan_critic_loss: reduction must be"):
        _native.checked(_native.lib.losses_wgan_critic_loss_f64)(x.ctypes.data, x.ctypes.data, 2, 2, 3,
                                                                 x.ctypes.data, None, None, None)
    with pytest.raises(ValueError, match="batchmean is not a valid value for reduction"):
        losses.wgan_critic_loss(x, x, reduction="batchmean")


@needs_torch
def test_gradient_penalty_trains_a_critic_through_its_double_backward():
    """WGAN-GP as it is used: the critic's gradients at the inputs with create_graph=True, the
    penalty through losses.torch, backward into the critic's parameters; the same parameter
    gradients as the penalty written in torch."""
    import losses.torch as lt
    torch.manual_seed(0)
    critic = torch.nn.Sequential(torch.nn.Linear(3, 8), torch.nn.Tanh(), torch.nn.Linear(8, 1)).double()
    x = torch.randn(5, 3, dtype=torch.float64, requires_grad=True)

    def parameter_gradients(penalty):
        critic.zero_grad()
        (g,) = torch.autograd.grad(critic(x).sum(), x, create_graph=True)
        penalty(g).backward()
        return [p.grad.clone() if p.grad is not None else torch.zeros_like(p) for p in critic.parameters()]

    ours = parameter_gradients(lt.gradient_penalty)
    theirs = parameter_gradients(lambda g: (10 * (g.norm(2, dim=1) - 1) ** 2).mean())
    for a, b in zip(ours, theirs):
        torch.testing.assert_close(a, b, rtol=1e-12, atol=1e-14)
