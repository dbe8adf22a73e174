"""GroupConv2d: equivariance, the defining sum, the kernel stack and the eval-mode cache."""

import pytest
import torch

from gcnn.groups import CyclicGroup, DihedralGroup
from gcnn.nn import GroupConv2d, LiftingConv2d
from gcnn.testing import assert_equivariant, equivariance_errors

DTYPES = [torch.float64, torch.float32]
# (image size, kernel size, padding); odd and even sizes, valid and padded
GEOMETRIES = [(9, 3, 0), (8, 3, 1), (8, 4, 0), (7, 4, 2), (10, 5, 2)]


def make_layer(group, dtype=torch.float64, kernel_size=3, padding=0, bias=True, cls=GroupConv2d):
    torch.manual_seed(0)
    return cls(group, 2, 3, kernel_size, padding=padding, bias=bias).to(dtype)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("size, kernel_size, padding", GEOMETRIES)
@pytest.mark.parametrize("group", [CyclicGroup(4), DihedralGroup(4)], ids=str)
def test_group_conv_is_equivariant(group, size, kernel_size, padding, dtype):
    layer = make_layer(group, dtype, kernel_size, padding)
    x = torch.randn(2, 2, group.order, size, size, dtype=dtype)
    assert_equivariant(layer, x, group, input="group", output="group")


@pytest.mark.parametrize("group", [CyclicGroup(1), CyclicGroup(2), DihedralGroup(1), DihedralGroup(2)],
                         ids=str)
def test_small_groups_are_exact(group):
    layer = make_layer(group, kernel_size=3, padding=1)
    x = torch.randn(1, 2, group.order, 6, 9, dtype=torch.float64)
    assert_equivariant(layer, x, group, input="group", output="group")


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("group", [CyclicGroup(8), DihedralGroup(8)], ids=str)
def test_grid_symmetries_of_larger_groups_are_exact(group, dtype):
    layer = make_layer(group, dtype, kernel_size=5, padding=2)
    x = torch.randn(1, 2, group.order, 9, 9, dtype=dtype)
    exact = [g for g in group.elements() if group.is_exact(g)]
    assert_equivariant(layer, x, group, input="group", output="group", elements=exact)


def test_off_grid_elements_are_measured():
    group = CyclicGroup(8)
    layer = make_layer(group, kernel_size=5, padding=2)
    x = torch.nn.functional.avg_pool3d(
        torch.randn(1, 2, group.order, 25, 25, dtype=torch.float64), (1, 5, 5), 1
    )
    errors = equivariance_errors(layer, x, group, input="group", output="group", disk=True)
    assert all(errors[g] < 1e-12 for g in (0, 2, 4, 6))
    assert all(1e-6 < errors[g] < 0.5 for g in (1, 3, 5, 7))


@pytest.mark.parametrize("group", [CyclicGroup(4), DihedralGroup(4), CyclicGroup(8), DihedralGroup(3)],
                         ids=str)
def test_kernel_stack_is_the_group_acting_on_the_filter(group):
    layer = make_layer(group, kernel_size=5)
    stack = layer.kernel_stack()
    assert stack.shape == (3, group.order, 2, group.order, 5, 5)
    assert layer.weight.shape == (3, 2, group.order, 5, 5)
    for h in group.elements():
        expected = group.act_on_group_signal(h, layer.weight)
        if group.is_exact(h):
            assert torch.equal(stack[:, h], expected)
        else:  # same taps, summed in another order
            assert torch.allclose(stack[:, h], expected, rtol=0, atol=1e-15)
    for e in filter(group.is_exact, group.elements()):  # grid symmetries permute the stack exactly
        for h in group.elements():
            moved = group.act_on_group_signal(e, stack[:, h])
            assert torch.equal(stack[:, group.product(e, h)], moved)


def test_cyclic_kernel_stack_shifts_the_group_axis():
    group = CyclicGroup(4)
    layer = make_layer(group, kernel_size=3)
    stack = layer.kernel_stack()
    for h in group.elements():
        expected = torch.roll(torch.rot90(layer.weight, h, dims=(-2, -1)), h, dims=2)
        assert torch.equal(stack[:, h], expected)


@pytest.mark.parametrize("group", [CyclicGroup(4), DihedralGroup(4)], ids=str)
def test_matches_the_defining_sum(group):
    # (k ⋆ F)(x, h) = Σ_h̃ Σ_x̃ k(h⁻¹h̃, h⁻¹(x̃ − x)) F(x̃, h̃)
    layer = make_layer(group, kernel_size=3, bias=False)
    F = torch.randn(1, 2, group.order, 5, 5, dtype=torch.float64)
    k = layer.weight[0]  # (C_in, |G|, 3, 3)
    out = layer(F)
    for h in group.elements():
        inverse = group.matrix(group.inverse(h))
        expected = torch.zeros(3, 3, dtype=torch.float64)
        for i in range(3):
            for j in range(3):
                for h_tilde in group.elements():
                    source = group.product(group.inverse(h), h_tilde)
                    for di in (-1, 0, 1):
                        for dj in (-1, 0, 1):
                            offset = torch.tensor([dj, -di], dtype=torch.float64)
                            u, v = (inverse @ offset).round().long()
                            weight = k[:, source, 1 - v, 1 + u]
                            expected[i, j] += weight @ F[0, :, h_tilde, i + 1 + di, j + 1 + dj]
        assert torch.allclose(out[0, 0, h], expected, rtol=0, atol=1e-12)


def test_output_shape_parameters_and_dtype():
    layer = GroupConv2d(DihedralGroup(4), 2, 3, 5, padding=1)
    assert layer(torch.randn(4, 2, 8, 12, 10)).shape == (4, 3, 8, 10, 8)
    assert layer.bias.shape == (3,)
    assert GroupConv2d(CyclicGroup(4), 2, 3, 5, bias=False).bias is None
    double = GroupConv2d(CyclicGroup(2), 1, 1, 3).double()
    assert double(torch.randn(1, 1, 2, 5, 5, dtype=torch.float64)).dtype == torch.float64


def test_gradients_reach_weight_and_bias():
    layer = make_layer(CyclicGroup(8), kernel_size=3)
    layer(torch.randn(1, 2, 8, 6, 6, dtype=torch.float64)).square().sum().backward()
    assert layer.weight.grad.abs().sum() > 0 and layer.bias.grad.abs().sum() > 0


@pytest.mark.parametrize(
    "shape, message",
    [
        ((1, 3, 4, 8, 8), r"expected input of shape \(B, C_in=2, \|G\|=4, H, W\), got \(1, 3, 4, 8, 8\)"),
        ((1, 2, 8, 8, 8), r"expected input of shape \(B, C_in=2, \|G\|=4, H, W\), got \(1, 2, 8, 8, 8\)"),
        ((1, 2, 8, 8), r"expected input of shape \(B, C_in=2, \|G\|=4, H, W\), got \(1, 2, 8, 8\)"),
        ((1, 2, 4, 2, 8), r"expected H and W >= 3 .*got \(1, 2, 4, 2, 8\)"),
    ],
)
def test_bad_input_is_rejected(shape, message):
    layer = GroupConv2d(CyclicGroup(4), 2, 1, 3)
    with pytest.raises(ValueError, match=message):
        layer(torch.randn(*shape))


@pytest.mark.parametrize(
    "kwargs, message",
    [
        (dict(group=CyclicGroup), r"expects a FiniteGroup such as CyclicGroup\(4\), got"),
        (dict(in_channels=0), r"in_channels expects an int >= 1, got 0"),
        (dict(out_channels=2.5), r"out_channels expects an int >= 1, got 2.5"),
        (dict(kernel_size=True), r"kernel_size expects an int >= 1, got True"),
        (dict(padding=-1), r"padding expects an int >= 0, got -1"),
    ],
)
def test_bad_hyperparameters_are_rejected(kwargs, message):
    arguments = dict(group=CyclicGroup(4), in_channels=1, out_channels=1, kernel_size=3) | kwargs
    with pytest.raises(ValueError, match=message):
        GroupConv2d(**arguments)


# ---- eval-mode cache, shared by both convolutions -------------------------------------------

CONVS = [
    (LiftingConv2d, (2, 2, 9, 9)),
    (GroupConv2d, (2, 2, 8, 9, 9)),
]


@pytest.mark.parametrize("cls, shape", CONVS, ids=lambda v: getattr(v, "__name__", ""))
def test_train_and_eval_agree_and_eval_reuses_the_filter(cls, shape):
    layer = make_layer(CyclicGroup(8), cls=cls)
    x = torch.randn(*shape, dtype=torch.float64)
    trained = layer(x)
    layer.eval()
    with torch.no_grad():
        evaluated = layer(x)
        first = layer._filter_and_bias()
        second = layer._filter_and_bias()
    assert torch.equal(trained, evaluated)
    assert first[0] is second[0] and first[1] is second[1]


@pytest.mark.parametrize("cls, shape", CONVS, ids=lambda v: getattr(v, "__name__", ""))
def test_cache_is_rebuilt_after_an_optimiser_step(cls, shape):
    layer = make_layer(DihedralGroup(4), cls=cls)
    optimiser = torch.optim.SGD(layer.parameters(), lr=0.1)
    x = torch.randn(*shape, dtype=torch.float64)
    layer.eval()
    with torch.no_grad():
        before = layer(x)
        cached = layer._filter_and_bias()[0]
    layer(x).square().sum().backward()  # eval mode with gradients: built fresh, not cached
    optimiser.step()
    with torch.no_grad():
        after = layer(x)
        assert layer._filter_and_bias()[0] is not cached
    layer.train()
    assert not torch.equal(before, after)
    assert torch.equal(after, layer(x))


def test_cache_follows_load_state_dict_and_is_not_saved():
    layer = make_layer(CyclicGroup(4))
    x = torch.randn(1, 2, 4, 7, 7, dtype=torch.float64)
    train_keys = list(layer.state_dict())
    layer.eval()
    with torch.no_grad():
        layer(x)
    assert list(layer.state_dict()) == train_keys == ["weight", "bias"]
    other = GroupConv2d(CyclicGroup(4), 2, 3, 3).double()
    layer.load_state_dict(other.state_dict())
    with torch.no_grad():
        assert torch.equal(layer(x), other(x))


def test_train_drops_the_cache():
    layer = make_layer(CyclicGroup(4)).eval()
    with torch.no_grad():
        layer(torch.randn(1, 2, 4, 7, 7, dtype=torch.float64))
    assert layer._cache is not None
    layer.train()
    assert layer._cache is None


def test_cache_is_not_used_when_weights_need_gradients():
    layer = make_layer(CyclicGroup(4)).eval()
    layer(torch.randn(1, 2, 4, 7, 7, dtype=torch.float64)).sum().backward()
    assert layer._cache is None and layer.weight.grad is not None
