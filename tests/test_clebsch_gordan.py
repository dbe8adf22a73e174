"""Clebsch–Gordan: ψ_a ⊗ ψ_b block-diagonalised by an orthogonal Q into the irreps the selection rules predict."""

import itertools

import pytest
import torch

from gcnn.groups import O2, SO2, CyclicGroup, DihedralGroup
from gcnn.representations import (
    clebsch_gordan,
    decomposition_error,
    irrep,
    irreps,
    orthogonality_error,
    standard,
    tensor_product,
)


def order_n(G):
    return getattr(G, "n", None)  # None for SO(2)/O(2): no folding


def fold(G, k):
    n = order_n(G)
    return abs(k) if n is None else min(k % n, -k % n)


def rotation_block(G, k):
    """The irreps in a 2-D block R(kθ) (F^m): two 1-D ones where it is diagonal (k ≡ 0 or n/2)."""
    f, mirrors = fold(G, k), isinstance(G, (DihedralGroup, O2))
    if f == 0 or 2 * f == order_n(G):
        return [irrep(G, f, 0), irrep(G, f, 1)] if mirrors else [irrep(G, f)] * 2
    return [irrep(G, f)]


def predicted(a, b):
    G, ka, kb = a.group, a.frequency, b.frequency
    if a.dim == b.dim == 1:
        flip = None if a.flip is None else a.flip ^ b.flip
        return [irrep(G, fold(G, ka + kb), flip)]
    if a.dim == 1 or b.dim == 1:
        return [irrep(G, fold(G, ka + kb))]  # one 2-D block, never diagonal here
    return rotation_block(G, ka - kb) + rotation_block(G, ka + kb)


def check(a, b, elements=None):
    Q, found = clebsch_gordan(a, b)
    assert sorted(s.name for s in found) == sorted(s.name for s in predicted(a, b)), (a, b)
    assert orthogonality_error(Q) <= 1e-12
    assert decomposition_error(tensor_product(a, b), Q, found, elements) <= 1e-10, (a, b)


@pytest.mark.parametrize("G", [SO2(), O2()], ids=str)
def test_compact_groups(G):
    elements = G.sample(6, torch.Generator().manual_seed(0))
    for a, b in itertools.product(irreps(G, 4), repeat=2):
        check(a, b, elements)


@pytest.mark.parametrize("G", [CyclicGroup(n) for n in range(1, 9)] + [DihedralGroup(n) for n in range(1, 9)],
                         ids=str)
def test_finite_groups(G):
    for a, b in itertools.product(irreps(G), repeat=2):
        check(a, b)


def test_selection_rules_by_hand():
    names = lambda a, b: [s.name for s in clebsch_gordan(a, b)[1]]  # noqa: E731
    assert names(irrep(SO2(), 2), irrep(SO2(), 2)) == ["ψ_0", "ψ_0", "ψ_4"]
    assert names(irrep(SO2(), 1), irrep(SO2(), 3)) == ["ψ_2", "ψ_4"]
    assert names(irrep(O2(), 2), irrep(O2(), 2)) == ["ψ_{0,0}", "ψ_{1,0}", "ψ_{1,4}"]
    assert names(irrep(O2(), 0, 1), irrep(O2(), 3)) == ["ψ_{1,3}"]
    assert names(irrep(CyclicGroup(5), 2), irrep(CyclicGroup(5), 2)) == ["ψ_0", "ψ_0", "ψ_1"]  # 4 ≡ −1
    assert names(irrep(CyclicGroup(4), 1), irrep(CyclicGroup(4), 1)) == ["ψ_0", "ψ_0", "ψ_2", "ψ_2"]
    assert names(irrep(DihedralGroup(6), 1), irrep(DihedralGroup(6), 2)) == ["ψ_{1,1}", "ψ_{0,3}", "ψ_{1,3}"]


def test_q_maps_the_product_space_to_the_blocks():
    a, b = irrep(SO2(), 1), irrep(SO2(), 2)
    Q, found = clebsch_gordan(a, b)
    theta = 0.7
    blocks = torch.block_diag(*(s(theta) for s in found))
    assert torch.allclose(Q @ torch.kron(a(theta), b(theta)) @ Q.T, blocks, rtol=0, atol=1e-12)


def test_errors():
    with pytest.raises(ValueError, match="clebsch_gordan expects two irreps"):
        clebsch_gordan(standard(SO2()), irrep(SO2(), 1))
    with pytest.raises(ValueError, match="representations of one group, got SO2 and O2"):
        clebsch_gordan(irrep(SO2(), 1), irrep(O2(), 1))
