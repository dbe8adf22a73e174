"""FieldType: sizes, the action [g·f](x) = ρ(g) f(g⁻¹x), and bad input."""
from __future__ import annotations

import math

import pytest
import torch

from gcnn.groups import O2, SO2, CyclicGroup, DihedralGroup
from gcnn.representations import direct_sum, irrep, irreps, regular, standard, trivial
from gcnn.representations.checks import decomposition_error
from gcnn.steerable import FieldType


def test_size_and_representation():
    group = DihedralGroup(4)
    ft = FieldType(group, [regular(group), standard(group), trivial(group)])
    assert ft.size == 8 + 2 + 1 and len(ft) == 3
    assert ft.representation.dim == 11
    assert list(ft.channels(1)) == [8, 9]
    for i in range(3):
        Q, found = ft.change_of_basis(i), ft.irreps(i)
        assert decomposition_error(ft.reps[i], Q, found) <= 1e-12


@pytest.mark.parametrize("group, g, h", [
    (CyclicGroup(4), 1, 3), (DihedralGroup(4), 5, 2), (SO2(), math.pi / 2, math.pi),
    (O2(), (math.pi / 2, 1), (math.pi, 0)),
])
def test_action_is_a_group_action(group, g, h):
    torch.manual_seed(0)
    reps = [*irreps(group, 2), standard(group)]
    ft = FieldType(group, reps, max_frequency=1)
    x = torch.randn(2, ft.size, 5, 5, dtype=torch.float64)
    assert torch.allclose(ft.act(g, ft.act(h, x)), ft.act(group.product(g, h), x), atol=1e-14)
    assert torch.equal(ft.act(group.identity, x), x)


def test_standard_field_moves_like_a_vector():
    """A constant vector field (1, 0) rotated by 90°: every pixel holds R(90°)(1, 0) = (0, 1)."""
    group = CyclicGroup(4)
    ft = FieldType(group, [standard(group)])
    x = torch.zeros(1, 2, 3, 3, dtype=torch.float64)
    x[:, 0] = 1.0
    moved = ft.act(1, x)
    assert torch.equal(moved[:, 0], torch.zeros(1, 3, 3, dtype=torch.float64))
    assert torch.equal(moved[:, 1], torch.ones(1, 3, 3, dtype=torch.float64))


def test_bad_input():
    with pytest.raises(ValueError, match=r"expects representations of C4, got ψ_1 of C8"):
        FieldType(CyclicGroup(4), [irrep(CyclicGroup(8), 1)])
    with pytest.raises(ValueError, match="non-empty list"):
        FieldType(CyclicGroup(4), [])
    with pytest.raises(ValueError, match="needs max_frequency"):
        FieldType(SO2(), [direct_sum(irrep(SO2(), 1), irrep(SO2(), 2))])
    ft = FieldType(CyclicGroup(4), [regular(CyclicGroup(4))])
    with pytest.raises(ValueError, match=r"C=4.*got \(1, 3, 5, 5\)"):
        ft.act(1, torch.zeros(1, 3, 5, 5))
    with pytest.raises(ValueError, match="expects CyclicGroup, DihedralGroup, SO2 or O2"):
        FieldType("C4", [regular(CyclicGroup(4))])


def test_equality_follows_the_representations():
    group = CyclicGroup(4)
    assert FieldType(group, [regular(group)]) == FieldType(group, [regular(group)])
    assert FieldType(group, [regular(group)]) != FieldType(group, [standard(group), standard(group)])
