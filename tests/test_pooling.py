"""GroupPool, GroupBatchNorm and the equivariant spatial pools."""

import re

import pytest
import torch

from gcnn.groups import CyclicGroup, DihedralGroup
from gcnn.nn import EquivariantAvgPool2d, EquivariantMaxPool2d, GroupBatchNorm, GroupPool
from gcnn.testing import assert_equivariant, equivariance_errors

D4 = DihedralGroup(4)


@pytest.mark.parametrize("reduction", ["max", "mean"])
def test_group_pool_reduces_the_group_axis(reduction):
    x = torch.randn(2, 3, 8, 5, 6, dtype=torch.float64)
    out = GroupPool(reduction)(x)
    assert out.shape == (2, 3, 5, 6)
    assert torch.equal(out, x.amax(2) if reduction == "max" else x.mean(2))
    assert_equivariant(GroupPool(reduction), x, D4, input="group", output="plane")


def test_group_pool_validates():
    with pytest.raises(ValueError, match=r"reduction expects 'max' or 'mean', got 'sum'"):
        GroupPool("sum")
    with pytest.raises(ValueError, match=r"\(B, C, \|G\|, H, W\), got \(2, 3, 5\)"):
        GroupPool()(torch.zeros(2, 3, 5))


@pytest.mark.parametrize("pool", [EquivariantMaxPool2d, EquivariantAvgPool2d])
@pytest.mark.parametrize("size, kernel_size, stride", [(9, 3, 2), (8, 2, 2), (7, 3, 1), (9, 3, 3)])
def test_symmetric_tilings_are_equivariant(pool, size, kernel_size, stride):
    layer = pool(kernel_size, stride)
    signal = torch.randn(2, 3, D4.order, size, size + stride, dtype=torch.float64)
    assert_equivariant(layer, signal, D4, input="group", output="group")
    assert_equivariant(layer, signal[:, :, 0], D4, input="plane", output="plane")


def test_pools_match_torch():
    x = torch.randn(2, 3, 4, 8, 8)
    out = EquivariantMaxPool2d(2)(x)
    assert out.shape == (2, 3, 4, 4, 4)
    assert torch.equal(out, torch.nn.functional.max_pool2d(x.flatten(1, 2), 2).unflatten(1, (3, 4)))
    assert torch.equal(EquivariantAvgPool2d(3, 1)(x[:, :, 0]),
                       torch.nn.functional.avg_pool2d(x[:, :, 0], 3, 1))


def test_asymmetric_tilings_would_break_equivariance():
    # the reason for the check: a 2×2/2 pool on a 9×9 image drops the last row and column
    x = torch.randn(1, 1, 9, 9, dtype=torch.float64)
    plain = lambda t: torch.nn.functional.max_pool2d(t, 2)
    assert max(equivariance_errors(plain, x, CyclicGroup(4), output="plane").values()) > 0.1


@pytest.mark.parametrize(
    "pool, shape, message",
    [
        (EquivariantMaxPool2d(2), (1, 1, 9, 9),
         r"EquivariantMaxPool2d\(kernel_size=2, stride=2\) is only rotation/flip equivariant "
         r"when the windows tile the input symmetrically, i\.e\. \(H − 2\) % 2 == 0; got H=9, "
         r"which leaves 1 pixel\(s\) uncovered on one side\. Sizes that work near it: 8 or 10"),
        (EquivariantMaxPool2d(3, 2), (1, 1, 4, 9, 8), r"\(W − 3\) % 2 == 0; got W=8.*7 or 9"),
        (EquivariantAvgPool2d(4), (1, 1, 3, 3), r"got H=3.*Sizes that work near it: 4 "),
        (EquivariantMaxPool2d(2), (1, 9, 9), r"\(B, C, H, W\) or \(B, C, \|G\|, H, W\), got \(1, 9, 9\)"),
    ],
)
def test_asymmetric_tilings_and_bad_shapes_are_rejected(pool, shape, message):
    with pytest.raises(ValueError, match=message):
        pool(torch.zeros(shape))


@pytest.mark.parametrize("kwargs, message", [
    (dict(kernel_size=0), r"kernel_size expects an int >= 1, got 0"),
    (dict(kernel_size=2, stride=1.5), r"stride expects an int >= 1, got 1.5"),
])
def test_bad_pool_arguments_are_rejected(kwargs, message):
    with pytest.raises(ValueError, match=message):
        EquivariantMaxPool2d(**kwargs)


@pytest.mark.parametrize("training", [True, False])
def test_group_batch_norm_shares_statistics_over_group_and_space(training):
    torch.manual_seed(0)
    norm = GroupBatchNorm(3).double().train(training)
    with torch.no_grad():
        norm.weight.uniform_(0.5, 2.0)
        norm.bias.normal_()
        norm.running_mean.normal_()
    x = torch.randn(4, 3, D4.order, 5, 5, dtype=torch.float64) * 2 + 1
    assert norm.weight.shape == (3,)
    assert_equivariant(norm, x, D4, input="group", output="group")
    if training:
        y = norm(x)
        normalised = (y - norm.bias.view(1, 3, 1, 1, 1)) / norm.weight.view(1, 3, 1, 1, 1)
        assert torch.allclose(normalised.mean(dim=(0, 2, 3, 4)), torch.zeros(3, dtype=torch.float64),
                              atol=1e-12)


@pytest.mark.parametrize("shape", [(4, 3, 5, 5), (4, 2, 8, 5, 5)])
def test_group_batch_norm_validates(shape):
    with pytest.raises(ValueError, match=re.escape(f"(B, C=3, |G|, H, W), got {shape}")):
        GroupBatchNorm(3)(torch.randn(*shape))
