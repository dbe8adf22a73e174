"""Whole G-CNN stacks: lift → batch norm → ReLU → group conv → spatial pool → group conv,
then group pooling and global averaging for an invariant."""

import pytest
import torch
from torch import nn

from gcnn.groups import CyclicGroup, DihedralGroup
from gcnn.nn import (
    EquivariantMaxPool2d,
    GroupBatchNorm,
    GroupConv2d,
    GroupPool,
    LiftingConv2d,
)
from gcnn.testing import assert_equivariant, equivariance_errors, rotation_errors


def make_stack(group, dtype):
    torch.manual_seed(0)
    return nn.Sequential(
        LiftingConv2d(group, 1, 4, 3, padding=1),
        GroupBatchNorm(4),
        nn.ReLU(),
        GroupConv2d(group, 4, 4, 3, padding=1),
        EquivariantMaxPool2d(2),
        GroupConv2d(group, 4, 3, 3),
    ).to(dtype)


def invariant(stack):
    return lambda x: GroupPool("max")(stack(x)).mean(dim=(-2, -1))


@pytest.mark.parametrize("training", [True, False])
@pytest.mark.parametrize("dtype", [torch.float64, torch.float32])
@pytest.mark.parametrize("group", [CyclicGroup(4), DihedralGroup(4)], ids=str)
def test_stack_is_equivariant_and_pooled_stack_invariant(group, dtype, training):
    stack = make_stack(group, dtype).train(training)
    x = torch.randn(3, 1, 12, 12, dtype=dtype)
    assert_equivariant(stack, x, group, input="plane", output="group")
    assert_equivariant(invariant(stack), x, group, input="plane", output="invariant")


@pytest.mark.parametrize("group", [CyclicGroup(8), DihedralGroup(8)], ids=str)
def test_larger_groups_are_exact_on_grid_symmetries_and_close_elsewhere(group):
    stack = make_stack(group, torch.float64).eval()
    x = torch.nn.functional.avg_pool2d(torch.randn(2, 1, 24, 24, dtype=torch.float64), 3, 1)
    exact = [g for g in group.elements() if group.is_exact(g)]
    assert_equivariant(stack, x, group, elements=exact)
    assert_equivariant(invariant(stack), x, group, output="invariant", elements=exact)
    errors = equivariance_errors(invariant(stack), x, group, output="invariant", disk=True)
    assert max(errors.values()) < 0.5  # off-grid elements: measured, loosely bounded


def test_off_grid_angles_are_measured_on_the_invariant():
    stack = make_stack(CyclicGroup(8), torch.float64).eval()
    x = torch.nn.functional.avg_pool2d(torch.randn(2, 1, 24, 24, dtype=torch.float64), 3, 1)
    angles = [0.0, 0.2, 0.7, torch.pi / 2]
    errors = rotation_errors(invariant(stack), x, angles, output="invariant")
    assert errors[0.0] == 0.0 and errors[torch.pi / 2] < 1e-12
    assert 0 < errors[0.2] < 0.5 and 0 < errors[0.7] < 0.5


def test_train_and_eval_agree_once_statistics_are_frozen():
    stack = make_stack(DihedralGroup(4), torch.float64)
    x = torch.randn(3, 1, 12, 12, dtype=torch.float64)
    stack.train()
    for module in stack:
        if isinstance(module, GroupBatchNorm):
            module.track_running_stats = False  # use batch statistics in both modes
            module.running_mean = module.running_var = None
    trained = stack(x)
    stack.eval()
    with torch.no_grad():
        assert torch.equal(stack(x), trained)
