"""losses.torch: every loss of the header as a differentiable function of torch tensors and as
an nn.Module, agreeing with PyTorch's own loss (value, and gradients through autograd) in both
dtypes and every reduction, passing torch.autograd.gradcheck in float64, reading the tensors'
memory without copying. Skipped as a whole when torch is not installed (`make test-torch`
installs it and runs this file and the DDP test)."""
import numpy as np
import pytest

torch = pytest.importorskip("torch")

import losses  # noqa: E402
import losses.torch as lt  # noqa: E402
from header import losses as header_losses  # noqa: E402
from header import metrics, updates  # noqa: E402
from pytorch_set import is_functional_loss  # noqa: E402
from losses import _native  # noqa: E402
from losses.torch import _gradients  # noqa: E402
from torch_cases import cases  # noqa: E402

CASES = cases()
REDUCTIONS = ("none", "mean", "sum")
TOLERANCE = {torch.float64: dict(rtol=1e-10, atol=1e-12), torch.float32: dict(rtol=2e-5, atol=1e-6)}




def _target_of(loss):
    """The loss's target argument: `target`, or the one its library target gradient is for
    (optax's `labels` of poly_loss_cross_entropy); None when it has none."""
    kinds = _gradients.DIFFERENTIABLE[loss]
    return "target" if "target" in kinds else next((n for n, k in kinds.items() if k == _gradients.TARGET), None)


TARGET_KEYS = [k for k, c in CASES.items() if _target_of(c.loss) and k != "cross_entropy"]


def test_every_loss_of_the_header_has_a_case_a_function_and_a_module():
    entries = set(header_losses())
    target_gradients = {e for e in entries if e.endswith("_grad_target")}
    assert set(CASES) == entries - target_gradients - updates() - metrics()  # a metric has no gradient
    assert set(lt.functional.UPDATES) == updates() and updates() <= set(lt.__all__)
    # Every target gradient of the C API is the one losses.torch uses for that loss's target.
    for entry in target_gradients:
        loss = entry.removesuffix("_grad_target")
        assert loss in TARGET_KEYS
        assert _gradients.DIFFERENTIABLE[CASES[loss].loss][_target_of(CASES[loss].loss)] == _gradients.TARGET, entry
    python_names = {case.loss for case in CASES.values()}
    assert python_names == set(_gradients.DIFFERENTIABLE)
    assert python_names <= set(lt.__all__)
    assert {loss for loss, _, _ in lt.MODULES.values()} == python_names


def _leaves(case, dtype, differentiable=True):
    tensors = case.make(dtype)
    leaves = {}
    for name, tensor in tensors.items():
        if differentiable and name in case.differentiable:
            tensor = tensor.clone().requires_grad_(True)
        leaves[name] = tensor
    return leaves


def _value_and_grads(function, tensors, names, reduction):
    value = function(tensors, reduction)
    upstream = torch.linspace(-1.0, 2.0, value.numel(), dtype=value.dtype).reshape(value.shape)
    grads = torch.autograd.grad(value, [tensors[n] for n in names], upstream)
    return value.detach(), grads


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("dtype", [torch.float32, torch.float64], ids=["f32", "f64"])
@pytest.mark.parametrize("key", sorted(CASES))
def test_value_and_gradients_agree_with_pytorch(key, dtype, reduction):
    case = CASES[key]
    ours, theirs = _leaves(case, dtype), _leaves(case, dtype)
    value, grads = _value_and_grads(case.ours, ours, case.differentiable, reduction)
    want, want_grads = _value_and_grads(case.theirs, theirs, case.differentiable, reduction)
    assert value.dtype == dtype and value.shape == want.shape
    torch.testing.assert_close(value, want, **TOLERANCE[dtype])
    for name, got, expected in zip(case.differentiable, grads, want_grads):
        assert got.dtype == dtype, name
        torch.testing.assert_close(got, expected, **TOLERANCE[dtype], msg=lambda m: f"{key} grad {name}: {m}")


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("key", sorted(CASES))
def test_gradcheck_in_float64(key, reduction):
    case = CASES[key]
    if case.detached:
        # Circle losses hold their pair weights constant, as the paper, and CIoU its alpha, as
        # torchvision: the gradient is by definition
        # not the derivative of the value. test_value_and_gradients_agree_with_pytorch checks it
        # against autograd of the reference, whose weights are detached likewise.
        pytest.skip(f"{key}'s gradient holds part of the formula constant; the agreement test checks it")
    tensors = _leaves(case, torch.float64)
    names = list(case.differentiable)

    def function(*leaves):
        return case.ours(dict(tensors, **dict(zip(names, leaves))), reduction)

    assert torch.autograd.gradcheck(function, [tensors[n] for n in names], eps=1e-6, atol=1e-7, rtol=1e-6)


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("key", TARGET_KEYS)
def test_gradcheck_of_the_target_in_float64(key, reduction):
    case = CASES[key]
    tensors = _leaves(case, torch.float64)
    name = _target_of(case.loss)
    target = tensors[name].clone().requires_grad_(True)

    def function(t):
        return case.ours(dict(tensors, **{name: t}), reduction)

    assert torch.autograd.gradcheck(function, [target], eps=1e-6, atol=1e-7, rtol=1e-6)


@pytest.mark.parametrize("key", TARGET_KEYS)
def test_the_target_is_differentiable_where_pytorch_lets_it_be(key):
    """Two learned outputs under mse_loss, soft targets in distillation: the gradient w.r.t. the
    target is the library's (losses_<loss>_grad_target, or the input's negated where the loss is
    a function of input - target) and agrees with PyTorch's autograd."""
    case = CASES[key]
    target = _target_of(case.loss)
    names = tuple(case.differentiable) + (target,) if target not in case.differentiable else case.differentiable
    for reduction in REDUCTIONS:
        ours, theirs = _leaves(case, torch.float64), _leaves(case, torch.float64)
        ours[target].requires_grad_(True)
        theirs[target].requires_grad_(True)
        _, grads = _value_and_grads(case.ours, ours, names, reduction)
        _, want = _value_and_grads(case.theirs, theirs, names, reduction)
        for got, expected in zip(grads, want):
            torch.testing.assert_close(got, expected, rtol=1e-12, atol=1e-14)


def test_labels_weights_and_other_tensors_are_refused_as_differentiable():
    x = torch.randn(4, 3, dtype=torch.float64, requires_grad=True)
    weight = torch.ones(3, dtype=torch.float64, requires_grad=True)
    with pytest.raises(RuntimeError, match="no gradient w.r.t. weight"):
        lt.cross_entropy(x, torch.tensor([0, 1, 2, 0]), weight=weight)


def test_a_target_held_constant_takes_no_gradient():
    """td_loss's bootstrap target is constant (rlax's stop-gradient): next values computed by the
    same network get no gradient from it, where another non-differentiable tensor is refused."""
    values = torch.randn(5, dtype=torch.float64, requires_grad=True)
    next_values = values.detach().roll(1).requires_grad_(True)
    loss = lt.td_loss(torch.ones(5, dtype=torch.float64), values, next_values, torch.zeros(5, dtype=torch.float64))
    grad_values, grad_next = torch.autograd.grad(loss, (values, next_values), allow_unused=True)
    assert grad_next is None or not grad_next.any()
    delta = 1 + 0.99 * next_values.detach() - values.detach()
    torch.testing.assert_close(grad_values, -delta / 5)


def test_the_value_learning_targets_are_plain_functions_of_tensors():
    """td_error, td_lambda_returns and gae: tensors in (read detached), a tensor out that requires no
    grad, the NumPy layer's values."""
    rewards = torch.randn(3, 5, dtype=torch.float64)
    discounts = torch.full((3, 5), 0.9, dtype=torch.float64)
    values = torch.randn(3, 6, dtype=torch.float64, requires_grad=True)
    advantages = lt.gae(rewards, discounts, values, lambda_=0.8)
    assert isinstance(advantages, torch.Tensor) and not advantages.requires_grad and advantages.shape == (3, 5)
    expected = losses.gae(rewards.numpy(), discounts.numpy(), values.detach().numpy(), lambda_=0.8)
    torch.testing.assert_close(advantages, torch.from_numpy(expected))
    returns = lt.td_lambda_returns(rewards, discounts, values[:, 1:], lambda_=0.8)
    torch.testing.assert_close(returns, advantages + values.detach()[:, :-1])
    errors = lt.td_error(rewards, values[:, :-1], values[:, 1:], torch.zeros(3, 5, dtype=torch.bool))
    torch.testing.assert_close(errors, rewards + 0.99 * values.detach()[:, 1:] - values.detach()[:, :-1])


@pytest.fixture
def spy(monkeypatch):
    calls = []
    for char in "fd":
        real = _native.KERNELS["huber_loss", char]

        def record(*args, _real=real):
            calls.append(args)
            return _real(*args)

        monkeypatch.setitem(_native.KERNELS, ("huber_loss", char), record)
    return calls


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
def test_contiguous_tensors_reach_the_library_by_pointer(spy, dtype):
    x = torch.randn(64, 8, dtype=dtype, requires_grad=True)
    y = torch.randn(64, 8, dtype=dtype)
    lt.huber_loss(x, y).backward()
    (args,) = spy
    assert args[0] == x.data_ptr() and args[1] == y.data_ptr()
    # The gradient the library wrote is the tensor autograd accumulates (no copy back).
    assert x.grad.dtype == dtype and x.grad.shape == x.shape


def test_other_layouts_and_dtypes_are_converted_once_and_agree(spy):
    base = torch.randn(8, 6, dtype=torch.float64)
    target = torch.zeros(6, 8, dtype=torch.float64)
    x = base.t().requires_grad_(True)  # a non-contiguous view
    loss = lt.huber_loss(x, target)
    loss.backward()
    reference = base.t().clone().requires_grad_(True)
    torch.nn.functional.huber_loss(reference, target).backward()
    torch.testing.assert_close(loss, torch.nn.functional.huber_loss(base.t(), target))
    torch.testing.assert_close(x.grad, reference.grad)
    half = torch.randn(5, dtype=torch.float16, requires_grad=True)
    value = lt.mse_loss(half, torch.zeros(5, dtype=torch.float16))
    value.backward()
    assert value.dtype == torch.float16 and half.grad.dtype == torch.float16


def test_unbatched_and_zero_dimensional_forms_keep_pytorchs_shapes_and_differentiate():
    a, b = torch.randn(5, dtype=torch.float64, requires_grad=True), torch.randn(5, dtype=torch.float64)
    ours = lt.pairwise_distance(a, b)
    assert ours.shape == torch.nn.functional.pairwise_distance(a, b).shape == ()
    ours.backward()
    reference = a.detach().clone().requires_grad_(True)
    torch.nn.functional.pairwise_distance(reference, b).backward()
    torch.testing.assert_close(a.grad, reference.grad)
    x = torch.tensor(1.5, dtype=torch.float64, requires_grad=True)
    value = lt.mse_loss(x, torch.tensor(0.5, dtype=torch.float64), reduction="none")
    assert value.shape == ()
    value.backward()
    assert x.grad.item() == 2.0
    logits = torch.randn(4, dtype=torch.float64, requires_grad=True)
    p = torch.softmax(torch.randn(4, dtype=torch.float64), 0)
    value = lt.cross_entropy(logits, p, reduction="none")
    assert value.shape == torch.nn.functional.cross_entropy(logits, p, reduction="none").shape == ()
    value.backward()
    assert logits.grad.shape == (4,)


def test_results_are_tensors_and_errors_are_the_librarys():
    value = lt.mse_loss(torch.ones(3), torch.zeros(3), reduction="none")
    assert isinstance(value, torch.Tensor) and value.dtype == torch.float32 and value.shape == (3,)
    with pytest.raises(ValueError, match="huber_loss: delta must be positive"):
        lt.huber_loss(torch.ones(3), torch.zeros(3), delta=-1.0)
    with pytest.raises(ValueError, match="target\\[1\\] = 3 is out of range"):
        lt.cross_entropy(torch.zeros(2, 3), torch.tensor([0, 3]))


def test_modules_take_pytorchs_constructor_arguments_and_register_weights_as_buffers():
    weight = torch.tensor([1.0, 2.0, 0.5], dtype=torch.float64)
    ours = lt.CrossEntropyLoss(weight, ignore_index=1, label_smoothing=0.05)
    theirs = torch.nn.CrossEntropyLoss(weight, ignore_index=1, label_smoothing=0.05)
    assert "weight" in dict(ours.named_buffers())
    x = torch.randn(7, 3, dtype=torch.float64)
    y = torch.tensor([0, 1, 2, 2, 1, 0, 0])
    torch.testing.assert_close(ours(x, y), theirs(x, y), rtol=1e-12, atol=1e-14)
    assert repr(lt.HuberLoss(delta=0.5)) == "HuberLoss(reduction='mean', delta=0.5)"
    torch.testing.assert_close(lt.MSELoss(reduction="sum")(x, x * 2), torch.nn.MSELoss(reduction="sum")(x, x * 2))
    pos_weight = torch.tensor([2.0, 1.0, 0.5], dtype=torch.float64)
    labels = (torch.arange(21, dtype=torch.float64).reshape(7, 3) % 2)
    torch.testing.assert_close(lt.BCEWithLogitsLoss(pos_weight=pos_weight)(x, labels),
                               torch.nn.BCEWithLogitsLoss(pos_weight=pos_weight)(x, labels), rtol=1e-12, atol=1e-14)
    with pytest.raises(TypeError, match="unexpected argument"):
        lt.MSELoss(delta=1.0)


def test_the_numpy_layer_is_unchanged_by_the_import():
    assert losses.mse_loss(np.ones(3), np.zeros(3)) == 1.0


def test_updates_write_their_table_tensors_in_place_as_the_numpy_layer_does():
    rng = np.random.default_rng(3)
    x, y = rng.normal(size=(9, 4)), rng.integers(0, 3, size=9)
    for dtype in (torch.float32, torch.float64):
        centers = torch.tensor(rng.normal(size=(3, 4)), dtype=dtype)
        want = losses.center_loss_update(x.astype(centers.numpy().dtype), y, centers.numpy().copy(), alpha=0.3)
        address = centers.data_ptr()
        result = lt.center_loss_update(torch.tensor(x, dtype=dtype), torch.tensor(y), centers, alpha=0.3)
        assert result is centers and centers.data_ptr() == address
        np.testing.assert_array_equal(centers.numpy(), want)
        with pytest.raises(TypeError, match="contiguous"):
            lt.center_loss_update(torch.tensor(x), torch.tensor(y), torch.zeros(4, 3, dtype=torch.float64).T)
        before = centers.clone()
        with pytest.raises(ValueError, match="center_loss_update: alpha"):
            lt.center_loss_update(torch.tensor(x, dtype=dtype), torch.tensor(y), centers, alpha=2.0)
        assert torch.equal(centers, before)


def test_oim_update_writes_both_table_tensors_in_place_and_returns_the_head():
    rng = np.random.default_rng(4)
    x, y = rng.normal(size=(6, 3)), np.array([0, -1, 1, -1, 0, -1])
    for dtype in (torch.float32, torch.float64):
        lut, queue = torch.tensor(rng.normal(size=(2, 3)), dtype=dtype), torch.tensor(rng.normal(size=(2, 3)), dtype=dtype)
        want_lut, want_queue = lut.numpy().copy(), queue.numpy().copy()
        want_head = losses.oim_update(x.astype(want_lut.dtype), y, want_lut, want_queue, 1, momentum=0.4)
        head = lt.oim_update(torch.tensor(x, dtype=dtype), torch.tensor(y), lut, queue, 1, momentum=0.4)
        assert head == want_head == 0
        np.testing.assert_array_equal(lut.numpy(), want_lut)
        np.testing.assert_array_equal(queue.numpy(), want_queue)


def test_linear_cross_entropy_module_owns_its_linear_layer_as_pytorchs():
    """LinearCrossEntropyLoss as torch.nn.LinearCrossEntropyLoss: the same Linear (weights copied),
    the same value and the same gradients w.r.t. the layer's parameters and the input."""
    ours = lt.LinearCrossEntropyLoss(5, 4, bias=True, dtype=torch.float64, label_smoothing=0.1)
    theirs = torch.nn.LinearCrossEntropyLoss(5, 4, bias=True, dtype=torch.float64, label_smoothing=0.1)
    with torch.no_grad():
        theirs.linear.weight.copy_(ours.linear.weight)
        theirs.linear.bias.copy_(ours.linear.bias)
    x = torch.randn(6, 5, dtype=torch.float64)
    y = torch.tensor([0, 3, -100, 1, 2, 3])
    a, b = x.clone().requires_grad_(True), x.clone().requires_grad_(True)
    value, want = ours(a, y), theirs(b, y)
    torch.testing.assert_close(value, want, rtol=1e-12, atol=1e-14)
    value.backward()
    want.backward()
    torch.testing.assert_close(a.grad, b.grad, rtol=1e-12, atol=1e-14)
    torch.testing.assert_close(ours.linear.weight.grad, theirs.linear.weight.grad, rtol=1e-12, atol=1e-14)
    torch.testing.assert_close(ours.linear.bias.grad, theirs.linear.bias.grad, rtol=1e-12, atol=1e-14)
    with pytest.raises(ValueError, match="K-dimensional"):
        lt.LinearCrossEntropyLoss(5, 4, out_features=(2,))


# PyTorch's losses, as the installed torch lists them: the functions of torch.nn.functional that
# pytorch_set calls losses, and the classes of torch.nn.modules.loss.
# Deprecated in PyTorch itself (NLLLoss2d is NLLLoss with a warning): not carried over.
_DEPRECATED_CLASSES = {"NLLLoss2d"}
# A default PyTorch spells differently: None for its pairwise_distance, 'euclidean' here (None is
# accepted too).
_SPELLED = {("triplet_margin_with_distance_loss", "distance_function"): (None, "euclidean")}


def _pytorch_functions():
    import torch.nn.functional as F
    return sorted(n for n in dir(F) if is_functional_loss(n, getattr(F, n)))


def _pytorch_classes():
    from torch.nn.modules import loss
    return sorted(n for n, v in vars(loss).items() if not n.startswith("_") and isinstance(v, type)
                  and issubclass(v, loss._Loss) and n not in _DEPRECATED_CLASSES)


def _same_default(function, name, theirs, ours):
    return ours == theirs or _SPELLED.get((function, name)) == (theirs, ours)


@pytest.mark.parametrize("name", _pytorch_functions())
def test_every_function_of_pytorch_is_here_with_its_arguments_and_defaults(name):
    import inspect
    import torch.nn.functional as F
    theirs = inspect.signature(getattr(F, name)).parameters
    positional = [k for k, p in theirs.items() if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    assert name in losses.__all__ and name in lt.__all__, name
    for module in (losses, lt):
        ours = inspect.signature(getattr(module, name)).parameters
        assert list(ours)[:len(positional)] == positional, (module.__name__, name)
        for key, p in theirs.items():
            assert key in ours, (module.__name__, name, key)
            if p.default is not inspect.Parameter.empty:
                assert _same_default(name, key, p.default, ours[key].default), (module.__name__, name, key)


@pytest.mark.parametrize("name", _pytorch_classes())
def test_every_loss_class_of_pytorch_is_here_with_its_constructor(name):
    import inspect
    assert name in lt.__all__, name
    theirs = inspect.signature(getattr(torch.nn, name)).parameters
    if name in lt.MODULES:
        loss, _, options = lt.MODULES[name]
        ours = dict(options)
        assert [k for k in theirs if k in ours] == list(ours)[:len(theirs)], name  # PyTorch's order
    else:  # a class of its own (LinearCrossEntropyLoss owns its nn.Linear)
        loss = None
        ours = {k: p.default for k, p in inspect.signature(getattr(lt, name)).parameters.items()}
    for key, p in theirs.items():
        assert key in ours, (name, key)
        if p.default is not inspect.Parameter.empty:
            assert _same_default(loss, key, p.default, ours[key]), (name, key)
