"""Representations: irreps of C_n, D_n, SO(2), O(2), built-ins, combinators, restriction, checks."""

import math

import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from gcnn.groups import O2, SO2, CyclicGroup, DihedralGroup
from gcnn.representations import (
    Irrep,
    Representation,
    change_of_basis,
    character_orthogonality_error,
    decompose,
    decomposition_error,
    direct_sum,
    homomorphism_error,
    inclusion,
    irrep,
    irrep_named,
    irreps,
    orthogonality_error,
    regular,
    restrict,
    schur_orthogonality_error,
    standard,
    tensor_product,
    trivial,
)

FINITE = [CyclicGroup(n) for n in range(1, 13)] + [DihedralGroup(n) for n in range(1, 13)]
COMPACT = [SO2(), O2()]
BAND = 5


def builtins(G, band=None):
    reps = irreps(G, band) + [trivial(G), standard(G)]
    reps.append(direct_sum(standard(G), irreps(G, band)[-1], trivial(G)))
    reps.append(tensor_product(standard(G), irreps(G, band)[-1]))
    Q = torch.tensor([[2.0, 1.0], [0.5, -1.0]], dtype=torch.float64)
    reps.append(change_of_basis(standard(G), Q))
    return reps


@pytest.mark.parametrize("G", FINITE, ids=str)
def test_every_representation_of_a_finite_group_is_a_homomorphism(G):
    for rep in builtins(G) + [regular(G)]:
        assert homomorphism_error(rep) <= 1e-12, rep


@pytest.mark.parametrize("G, elements", [(SO2(), st.floats(-10, 10)), (O2(), st.tuples(st.floats(-10, 10),
                                                                                      st.integers(0, 1)))], ids=str)
def test_every_representation_of_a_compact_group_is_a_homomorphism(G, elements):
    reps = builtins(G, BAND)

    @settings(max_examples=25)
    @given(st.lists(elements, min_size=2, max_size=3))
    def check(sample):
        for rep in reps:
            assert homomorphism_error(rep, sample) <= 1e-12, rep

    check()


@pytest.mark.parametrize("n", range(1, 13))
def test_irreps_are_complete(n):
    C, D = irreps(CyclicGroup(n)), irreps(DihedralGroup(n))
    one_dim = lambda reps: sum(r.dim == 1 for r in reps)  # noqa: E731
    two_dim = lambda reps: sum(r.dim == 2 for r in reps)  # noqa: E731
    if n % 2 == 0:
        assert (one_dim(D), two_dim(D)) == (4, n // 2 - 1)
        assert (one_dim(C), two_dim(C)) == (2, n // 2 - 1)
    else:
        assert (one_dim(D), two_dim(D)) == (2, (n - 1) // 2)
        assert (one_dim(C), two_dim(C)) == (1, (n - 1) // 2)
    assert sum(r.dim**2 for r in D) == 2 * n  # all real type: Σ d² = |G|
    assert sum(r.dim * r.regular_multiplicity for r in C) == n  # complex type counts d·(d/2)
    assert all(r.commutant_dim == (2 if r.dim == 2 else 1) for r in C)
    assert all(r.commutant_dim == 1 for r in D)


@pytest.mark.parametrize("G", FINITE, ids=str)
def test_schur_and_character_orthogonality_on_finite_groups(G):
    assert schur_orthogonality_error(irreps(G)) <= 1e-12
    assert character_orthogonality_error(irreps(G)) <= 1e-12


@pytest.mark.parametrize("G", COMPACT, ids=str)
def test_schur_and_character_orthogonality_on_compact_groups(G):
    assert schur_orthogonality_error(irreps(G, 6)) <= 1e-12  # on elements_grid(13): Haar exactly
    assert character_orthogonality_error(irreps(G, 6)) <= 1e-12
    assert schur_orthogonality_error(irreps(G, 6), G.elements_grid(9)) > 0.1  # too coarse: aliasing


def test_schur_orthogonality_of_a_complex_type_irrep_is_not_the_complex_formula():
    psi = irrep(CyclicGroup(8), 1)
    mean = torch.einsum("gab,gce->acbe", psi.matrices(), psi.matrices()).reshape(4, 4) / 8
    assert mean[0, 3].item() == pytest.approx(0.5)  # E[cos² ] = ½ = E[ψ_00 ψ_11], not 0
    assert character_orthogonality_error([psi]) <= 1e-12  # E[χ²] = c = 2


def test_irrep_matrices_by_hand():
    r4 = irrep(CyclicGroup(4), 1)
    assert torch.allclose(r4(1), torch.tensor([[0.0, -1.0], [1.0, 0.0]], dtype=torch.float64), atol=1e-15)
    assert [irrep(CyclicGroup(4), 2).character(g) for g in range(4)] == [1.0, -1.0, 1.0, -1.0]
    D = DihedralGroup(4)
    signs = {(0, 2): [1, -1, 1, -1, 1, -1, 1, -1], (1, 2): [1, -1, 1, -1, -1, 1, -1, 1],
             (1, 0): [1, 1, 1, 1, -1, -1, -1, -1]}
    for (j, k), expected in signs.items():
        assert [irrep(D, k, j).character(g) for g in D.elements()] == expected
    mirror = torch.tensor([[-1.0, 0.0], [0.0, 1.0]], dtype=torch.float64)
    assert torch.equal(irrep(D, 1)(4), mirror) and torch.equal(irrep(O2(), 3)((0.0, 1)), mirror)
    theta = 0.3
    assert torch.allclose(irrep(SO2(), 3)(theta), SO2().matrix(3 * theta), atol=1e-15)
    assert irrep(SO2(), 0)(theta).tolist() == [[1.0]] and irrep(O2(), 0, 1)((theta, 1)).tolist() == [[-1.0]]


@pytest.mark.parametrize("G", [CyclicGroup(5), DihedralGroup(6), SO2(), O2()], ids=str)
def test_frequency_one_is_the_plane_action(G):
    elements = G.sample(5, torch.Generator().manual_seed(0)) if G in COMPACT else list(G.elements())
    assert torch.allclose(irrep(G, 1).matrices(elements), standard(G).matrices(elements), atol=1e-14)


def test_names_frequencies_and_lookup():
    assert [r.name for r in irreps(CyclicGroup(6))] == ["ψ_0", "ψ_1", "ψ_2", "ψ_3"]
    assert [r.name for r in irreps(DihedralGroup(4))] == ["ψ_{0,0}", "ψ_{1,0}", "ψ_{1,1}", "ψ_{0,2}", "ψ_{1,2}"]
    assert [r.name for r in irreps(O2(), 2)] == ["ψ_{0,0}", "ψ_{1,0}", "ψ_{1,1}", "ψ_{1,2}"]
    assert [(r.frequency, r.flip) for r in irreps(SO2(), 2)] == [(0, None), (1, None), (2, None)]
    for G in (CyclicGroup(6), DihedralGroup(6), DihedralGroup(7)):
        for r in irreps(G):
            assert irrep_named(G, r.name) == r and isinstance(r, Irrep)
    assert irrep(DihedralGroup(4), 0) == irrep(DihedralGroup(4), 0, 0) != irrep(DihedralGroup(4), 0, 1)
    assert len(irreps(CyclicGroup(8), max_frequency=2)) == 3
    assert repr(irrep(O2(), 2)) == "Irrep('ψ_{1,2}' of O2, dim=2)"


def test_combinator_names_and_matrices():
    G = DihedralGroup(3)
    a, b = irrep(G, 1), irrep(G, 0, 1)
    s = direct_sum(a, b, a)
    assert s.name == "ψ_{1,1} ⊕ ψ_{1,0} ⊕ ψ_{1,1}" and s.dim == 5
    assert tensor_product(s, b).name == "(ψ_{1,1} ⊕ ψ_{1,0} ⊕ ψ_{1,1}) ⊗ ψ_{1,0}"
    assert torch.equal(s(4)[2:, 2:], torch.block_diag(b(4), a(4)))
    assert torch.equal(tensor_product(a, b)(4), torch.kron(a(4), b(4)))
    assert regular(G).character(0) == 6.0 and regular(G).character(1) == 0.0
    Q = torch.tensor([[1.0, 2.0], [0.0, 1.0]], dtype=torch.float64)
    assert torch.allclose(change_of_basis(a, Q)(2), Q @ a(2) @ torch.linalg.inv(Q), atol=1e-15)


@pytest.mark.parametrize("n", [3, 4, 5, 8, 12])
def test_restriction_from_compact_groups(n):
    C, D = CyclicGroup(n), DihedralGroup(n)
    for k in range(1, (n + 1) // 2):  # 0 < k < n/2: the irrep restricts to the irrep
        assert torch.allclose(restrict(irrep(SO2(), k), C).matrices(), irrep(C, k).matrices(), atol=1e-12)
        assert torch.allclose(restrict(irrep(O2(), k), D).matrices(), irrep(D, k).matrices(), atol=1e-12)
    assert torch.allclose(restrict(irrep(SO2(), n + 1), C).matrices(), irrep(C, 1).matrices(), atol=1e-12)
    assert torch.allclose(restrict(standard(O2()), D).matrices(), standard(D).matrices(), atol=1e-12)
    assert torch.equal(restrict(irrep(O2(), 0, 1), D).matrices(), irrep(D, 0, 1).matrices())
    assert torch.allclose(restrict(irrep(O2(), 2), SO2())(0.4), irrep(SO2(), 2)(0.4), atol=1e-15)
    assert restrict(irrep(SO2(), 1), C).name == "ψ_1↓C" + str(n)


def test_restriction_between_finite_groups():
    D8, C4, D2 = DihedralGroup(8), CyclicGroup(4), DihedralGroup(2)
    assert [inclusion(C4, D8)(k) for k in range(4)] == [0, 2, 4, 6]
    assert [inclusion(D2, D8)(k) for k in range(4)] == [0, 4, 8, 12]
    assert torch.allclose(restrict(irrep(D8, 1), C4).matrices(), irrep(C4, 1).matrices(), atol=1e-15)
    assert homomorphism_error(restrict(regular(D8), D2)) == 0.0
    rotate_twice = restrict(irrep(CyclicGroup(6), 1), CyclicGroup(6), embedding=lambda g: 2 * g % 6)
    assert torch.allclose(rotate_twice.matrices(), irrep(CyclicGroup(6), 2).matrices(), atol=1e-15)


@pytest.mark.parametrize("G", FINITE[2::3], ids=str)
def test_decompose_the_regular_representation(G):
    Q, found = decompose(regular(G))
    assert orthogonality_error(Q) <= 1e-12 and decomposition_error(regular(G), Q, found) <= 1e-12
    assert [found.count(r) for r in irreps(G)] == [r.regular_multiplicity for r in irreps(G)]


def test_decompose_a_compact_representation():
    rep = direct_sum(irrep(O2(), 3), standard(O2()), irrep(O2(), 0, 1))
    Q, found = decompose(rep, max_frequency=3)
    assert [r.name for r in found] == ["ψ_{1,0}", "ψ_{1,1}", "ψ_{1,3}"]
    assert decomposition_error(rep, Q, found, O2().sample(6, torch.Generator().manual_seed(1))) <= 1e-12


def test_errors_name_what_was_expected():
    with pytest.raises(ValueError, match=r"C6 has irreps of frequency 0\.\.3, got 4"):
        irrep(CyclicGroup(6), 4)
    with pytest.raises(ValueError, match=r"D5 has irreps of frequency 0\.\.2, got 3"):
        irrep(DihedralGroup(5), 3)
    with pytest.raises(ValueError, match="SO2 has irreps of frequency k >= 0, got -1"):
        irrep(SO2(), -1)
    with pytest.raises(ValueError, match=r"flip j = 1 \(the irrep is 2-D\), got 0"):
        irrep(O2(), 2, 0)
    with pytest.raises(ValueError, match="flip is only for DihedralGroup and O2"):
        irrep(CyclicGroup(4), 1, 1)
    with pytest.raises(ValueError, match="infinitely many irreps: pass max_frequency"):
        irreps(SO2())
    with pytest.raises(ValueError, match="representations of one group, got C4 and D4"):
        direct_sum(irrep(CyclicGroup(4), 1), irrep(DihedralGroup(4), 1))
    with pytest.raises(ValueError, match="representations of one group, got SO2 and O2"):
        tensor_product(standard(SO2()), standard(O2()))
    with pytest.raises(ValueError, match="at least one Representation, got none"):
        direct_sum()
    with pytest.raises(ValueError, match="invertible Q"):
        change_of_basis(standard(SO2()), torch.ones(2, 2, dtype=torch.float64))
    with pytest.raises(ValueError, match=r"2×2 tensor Q, got \(3, 3\)"):
        change_of_basis(standard(SO2()), torch.eye(3))
    with pytest.raises(ValueError, match="regular expects a finite group, got SO2"):
        regular(SO2())
    with pytest.raises(ValueError, match="expected a subgroup of D4, got C3"):
        restrict(standard(DihedralGroup(4)), CyclicGroup(3))
    with pytest.raises(ValueError, match="expected a subgroup of SO2, got D4"):
        restrict(standard(SO2()), DihedralGroup(4))
    with pytest.raises(ValueError, match=r"an int in 0\.\.3\), got 4"):
        irrep(CyclicGroup(4), 1)(4)
    with pytest.raises(ValueError, match="finite angle"):
        irrep(SO2(), 1)("a")
    with pytest.raises(ValueError, match="elements of the infinite group SO2"):
        homomorphism_error(standard(SO2()))
    with pytest.raises(ValueError, match=r"D8 has no irrep named 'ψ_3' \(did you mean 'ψ_\{1,3\}'\?\)"):
        irrep_named(DihedralGroup(8), "ψ_3")
    with pytest.raises(ValueError, match="expected an irrep name"):
        irrep_named(SO2(), "rho_1")
    with pytest.raises(ValueError, match="max_frequency=2, got a decomposition that only holds on the grid"):
        decompose(irrep(SO2(), 3), max_frequency=2)  # ψ_3 looks like ψ_2 on the C_5 grid
    with pytest.raises(ValueError, match=r"expected zero \(dim 1\) to be an orthogonal sum of irreps among"):
        decompose(Representation(CyclicGroup(2), 1, lambda g: torch.zeros(1, 1), "zero"))  # not a rep
    with pytest.raises(ValueError, match=r"expected a 2×2 matrix, got shape \(3, 3\)"):
        Representation(SO2(), 2, lambda g: torch.eye(3), "bad")(0.0)
    assert math.isclose(trivial(O2()).character((1.0, 1)), 1.0)
