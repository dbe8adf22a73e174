"""LiftingConv2d: shapes, validation and equivariance under C_N and D_N."""

import pytest
import torch

from gcnn.groups import CyclicGroup, DihedralGroup
from gcnn.nn import LiftingConv2d
from gcnn.testing import assert_equivariant, equivariance_errors

GROUPS = [CyclicGroup(n) for n in (1, 2, 4)] + [DihedralGroup(n) for n in (1, 4)]
DTYPES = [torch.float64, torch.float32]
# (image size, kernel size, padding); odd and even sizes, valid and padded
GEOMETRIES = [(9, 3, 0), (9, 3, 1), (8, 3, 1), (8, 4, 0), (7, 4, 2), (10, 5, 2)]


def make_layer(group, dtype, kernel_size=3, padding=0, bias=True):
    torch.manual_seed(0)
    layer = LiftingConv2d(group, 2, 3, kernel_size, padding=padding, bias=bias)
    return layer.to(dtype)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("size, kernel_size, padding", GEOMETRIES)
@pytest.mark.parametrize("group", GROUPS, ids=repr)
def test_lifting_is_equivariant(group, size, kernel_size, padding, dtype):
    layer = make_layer(group, dtype, kernel_size, padding)
    x = torch.randn(2, 2, size, size, dtype=dtype)
    assert_equivariant(layer, x, group, input="plane", output="group")


@pytest.mark.parametrize("dtype", DTYPES)
def test_lifting_without_bias_on_non_square_images(dtype):
    group = CyclicGroup(4)
    layer = make_layer(group, dtype, kernel_size=3, padding=1, bias=False)
    x = torch.randn(1, 2, 6, 9, dtype=dtype)
    assert_equivariant(layer, x, group)


@pytest.mark.parametrize("dtype", DTYPES)
def test_lifting_then_relu_is_equivariant(dtype):
    group = CyclicGroup(4)
    layer = make_layer(group, dtype, kernel_size=5, padding=2)
    x = torch.randn(2, 2, 11, 11, dtype=dtype)
    assert_equivariant(lambda t: torch.relu(layer(t)), x, group)


def test_pooling_over_the_group_gives_rotation_equivariant_images():
    group = CyclicGroup(4)
    layer = make_layer(group, torch.float64)
    x = torch.randn(2, 2, 9, 9, dtype=torch.float64)
    assert_equivariant(lambda t: layer(t).amax(dim=2), x, group, output="plane")
    assert_equivariant(lambda t: layer(t).mean(dim=(2, 3, 4)), x, group, output="invariant")


def test_output_shape_and_kernel_stack():
    group = CyclicGroup(4)
    layer = LiftingConv2d(group, 2, 3, 5, padding=1)
    assert layer(torch.randn(4, 2, 12, 10)).shape == (4, 3, 4, 10, 8)
    stack = layer.kernel_stack()
    assert stack.shape == (3, 4, 2, 5, 5)
    for g in group.elements():
        assert torch.equal(stack[:, g], group.act_on_image(g, layer.weight))


@pytest.mark.parametrize(
    "group", [DihedralGroup(4), CyclicGroup(8), DihedralGroup(8), CyclicGroup(6)], ids=str
)
def test_kernel_stack_is_the_group_acting_on_the_filter(group):
    layer = LiftingConv2d(group, 2, 3, 5).double()
    stack = layer.kernel_stack()
    assert stack.shape == (3, group.order, 2, 5, 5)
    for h in group.elements():
        expected = group.act_on_image(h, layer.weight)
        if group.is_exact(h):
            assert torch.equal(stack[:, h], expected)
        else:  # same taps, summed in another order
            assert torch.allclose(stack[:, h], expected, rtol=0, atol=1e-15)
    for e in filter(group.is_exact, group.elements()):  # grid symmetries permute the stack exactly
        for h in group.elements():
            assert torch.equal(stack[:, group.product(e, h)], group.act_on_image(e, stack[:, h]))


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("group", [CyclicGroup(8), DihedralGroup(8)], ids=str)
def test_grid_symmetries_of_larger_groups_are_exact(group, dtype):
    layer = make_layer(group, dtype, kernel_size=5, padding=2)
    x = torch.randn(2, 2, 11, 11, dtype=dtype)
    exact = [g for g in group.elements() if group.is_exact(g)]
    assert len(exact) == group.order // 2
    assert_equivariant(layer, x, group, elements=exact)


def test_off_grid_elements_are_approximately_equivariant():
    group = CyclicGroup(8)
    layer = make_layer(group, torch.float64, kernel_size=5, padding=2)
    smooth = torch.nn.functional.avg_pool2d(torch.randn(1, 2, 27, 27, dtype=torch.float64), 5, 1)
    errors = equivariance_errors(layer, smooth, group, disk=True)
    off_grid = [errors[g] for g in (1, 3, 5, 7)]
    assert max(off_grid) < 0.5  # measured, not exact: kernel and image are interpolated
    assert max(off_grid) > 1e-6


def test_parameters_are_one_filter_bank_and_one_bias_per_channel():
    layer = LiftingConv2d(CyclicGroup(4), 2, 3, 5)
    assert layer.weight.shape == (3, 2, 5, 5)
    assert layer.bias.shape == (3,)
    assert LiftingConv2d(CyclicGroup(4), 2, 3, 5, bias=False).bias is None


def test_follows_double():
    layer = LiftingConv2d(CyclicGroup(2), 1, 1, 3).double()
    assert layer(torch.randn(1, 1, 5, 5, dtype=torch.float64)).dtype == torch.float64


@pytest.mark.parametrize(
    "shape, message",
    [
        ((1, 3, 8, 8), r"expected input of shape \(B, C_in=2, H, W\), got \(1, 3, 8, 8\)"),
        ((2, 8, 8), r"expected input of shape \(B, C_in=2, H, W\), got \(2, 8, 8\)"),
        ((1, 2, 2, 8), r"expected H and W >= 3 .*got \(1, 2, 2, 8\)"),
    ],
)
def test_bad_input_is_rejected(shape, message):
    layer = LiftingConv2d(CyclicGroup(4), 2, 1, 3)
    with pytest.raises(ValueError, match=message):
        layer(torch.randn(*shape))


def test_group_must_be_a_finite_group():
    with pytest.raises(ValueError, match=r"expects a FiniteGroup such as CyclicGroup\(4\), got 4"):
        LiftingConv2d(4, 1, 1, 3)


@pytest.mark.parametrize(
    "kwargs, message",
    [
        (dict(in_channels=0), r"in_channels expects an int >= 1, got 0"),
        (dict(out_channels=2.5), r"out_channels expects an int >= 1, got 2.5"),
        (dict(kernel_size=0), r"kernel_size expects an int >= 1, got 0"),
        (dict(padding=-1), r"padding expects an int >= 0, got -1"),
    ],
)
def test_bad_hyperparameters_are_rejected(kwargs, message):
    arguments = dict(in_channels=1, out_channels=1, kernel_size=3) | kwargs
    with pytest.raises(ValueError, match=message):
        LiftingConv2d(CyclicGroup(4), **arguments)


@pytest.mark.parametrize("group", [CyclicGroup(4), DihedralGroup(4)], ids=str)
def test_matches_the_defining_sum(group):
    # (k ⋆ f)(x, h) = Σ_x̃ k(h⁻¹(x̃ − x)) f(x̃), offsets in plane coordinates (x right, y up)
    layer = make_layer(group, torch.float64, kernel_size=3, bias=False)
    f = torch.randn(1, 2, 6, 6, dtype=torch.float64)
    k = layer.weight[0]
    out = layer(f)
    for h in group.elements():
        inverse = group.matrix(group.inverse(h))
        expected = torch.zeros(4, 4, dtype=torch.float64)
        for i in range(4):
            for j in range(4):
                for di in (-1, 0, 1):
                    for dj in (-1, 0, 1):
                        offset = torch.tensor([dj, -di], dtype=torch.float64)
                        u, v = (inverse @ offset).round().long()
                        weight = k[:, 1 - v, 1 + u]  # back to (row, column) in the kernel
                        expected[i, j] += weight @ f[0, :, i + 1 + di, j + 1 + dj]
        assert torch.allclose(out[0, 0, h], expected, rtol=0, atol=1e-12)
