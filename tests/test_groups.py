"""CyclicGroup and DihedralGroup: group axioms, representations and actions on tensors."""

import math

import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

from gcnn.groups import CyclicGroup, DihedralGroup, FiniteGroup, rotate_image

KINDS = [CyclicGroup, DihedralGroup]
EXACT_GROUPS = [CyclicGroup(n) for n in (1, 2, 4)] + [DihedralGroup(n) for n in (1, 2, 4)]


@st.composite
def group_and_elements(draw, count=3):
    group = draw(st.sampled_from(KINDS))(draw(st.integers(1, 12)))
    elements = [draw(st.integers(0, group.order - 1)) for _ in range(count)]
    return group, *elements


@given(group_and_elements())
def test_closure_and_associativity(sample):
    G, a, b, c = sample
    assert G.product(a, b) in G.elements()
    assert G.product(G.product(a, b), c) == G.product(a, G.product(b, c))


@given(group_and_elements(count=1))
def test_identity_and_inverse(sample):
    G, g = sample
    assert G.product(G.identity, g) == g == G.product(g, G.identity)
    assert G.product(g, G.inverse(g)) == G.identity == G.product(G.inverse(g), g)


@given(group_and_elements(count=2))
def test_matrix_is_orthogonal_homomorphism(sample):
    G, a, b = sample
    Ra, Rb = G.matrix(a), G.matrix(b)
    assert Ra.dtype == torch.float64
    assert torch.allclose(Ra @ Rb, G.matrix(G.product(a, b)), rtol=0, atol=1e-12)
    assert torch.allclose(Ra.T @ Ra, torch.eye(2, dtype=torch.float64), rtol=0, atol=1e-12)
    assert torch.det(Ra).item() == pytest.approx(-1.0 if G.is_reflection(a) else 1.0)


@given(group_and_elements(count=2))
def test_regular_representation_is_permutation_homomorphism(sample):
    G, a, b = sample
    Pa, Pb = G.regular_representation(a), G.regular_representation(b)
    assert Pa.dtype == torch.float64
    assert torch.equal(Pa.sum(0), torch.ones(G.order, dtype=torch.float64))
    assert torch.equal(Pa.sum(1), torch.ones(G.order, dtype=torch.float64))
    assert torch.equal(Pa @ Pb, G.regular_representation(G.product(a, b)))


@given(group_and_elements(count=1))
def test_regular_representation_reads_f_at_inverse_times_h(sample):
    G, g = sample
    f = torch.arange(G.order, dtype=torch.float64) ** 2
    moved = G.regular_representation(g) @ f
    for h in G.elements():
        assert moved[h] == f[G.product(G.inverse(g), h)]


@pytest.mark.parametrize("n", [1, 2, 3, 4, 6, 8])
def test_order_names_and_angles(n):
    C, D = CyclicGroup(n), DihedralGroup(n)
    assert (C.order, D.order) == (n, 2 * n)
    assert list(C.elements()) == list(range(n)) and list(D.elements()) == list(range(2 * n))
    assert (C.name, D.name, str(C), str(D)) == (f"C{n}", f"D{n}", f"C{n}", f"D{n}")
    assert (repr(C), repr(D)) == (f"CyclicGroup({n})", f"DihedralGroup({n})")
    assert isinstance(C, FiniteGroup) and isinstance(D, FiniteGroup)
    for i in range(n):
        assert C.angle(i) == D.angle(i) == D.angle(n + i) == pytest.approx(2 * math.pi * i / n)


@pytest.mark.parametrize("n", [1, 2, 3, 4, 5, 8, 12])
def test_dihedral_ordering_and_relations(n):
    D = DihedralGroup(n)
    r, s = 1 % n, n  # r is the identity when n = 1
    mirror = torch.tensor([[-1.0, 0.0], [0.0, 1.0]], dtype=torch.float64)
    assert torch.equal(D.matrix(s), mirror)
    for i in range(n):
        assert not D.is_reflection(i) and D.is_reflection(n + i)
        assert torch.allclose(D.matrix(i), CyclicGroup(n).matrix(i), atol=1e-15)
        assert D.product(i, s) == n + i  # index n + i is r^i · s: mirror, then rotate
        assert torch.allclose(D.matrix(n + i), D.matrix(i) @ mirror, atol=1e-15)
        assert D.inverse(n + i) == n + i
    assert D.product(s, r) == D.product(D.inverse(r), s)  # s·r = r⁻¹·s


def test_cyclic_group_rotates_counter_clockwise():
    x_axis = torch.tensor([1.0, 0.0], dtype=torch.float64)
    y_axis = torch.tensor([0.0, 1.0], dtype=torch.float64)
    assert torch.equal(CyclicGroup(4).matrix(1) @ x_axis, y_axis)  # exact for quarter turns


def test_cayley_table_matches_product():
    D = DihedralGroup(3)
    table = D.cayley_table
    assert table.shape == (6, 6) and table.dtype == torch.int64
    assert all(table[a, b] == D.product(a, b) for a in D.elements() for b in D.elements())


@pytest.mark.parametrize("n", [3, 5, 6, 8, 12])
def test_is_exact_marks_the_grid_symmetries(n):
    for G in (CyclicGroup(n), DihedralGroup(n)):
        for g in G.elements():
            assert G.is_exact(g) == (round(4 * G.angle(g) / (2 * math.pi), 9) % 1 == 0)


@pytest.mark.parametrize("G", EXACT_GROUPS, ids=str)
def test_act_on_image_is_an_exact_action(G):
    x = torch.randn(2, 3, 5, 7)
    assert torch.equal(G.act_on_image(G.identity, x), x)
    for a in G.elements():
        assert G.is_exact(a)
        for b in G.elements():
            composed = G.act_on_image(a, G.act_on_image(b, x))
            assert torch.equal(composed, G.act_on_image(G.product(a, b), x))


@pytest.mark.parametrize("G", [CyclicGroup(8), DihedralGroup(8), CyclicGroup(12), DihedralGroup(6)],
                         ids=str)
def test_grid_symmetries_compose_exactly_with_every_element(G):
    x = torch.randn(2, 7, 7, dtype=torch.float64)
    exact = [e for e in G.elements() if G.is_exact(e)]
    for e in exact:
        for g in G.elements():
            composed = G.act_on_image(e, G.act_on_image(g, x))
            assert torch.equal(composed, G.act_on_image(G.product(e, g), x))


@pytest.mark.parametrize("G", [CyclicGroup(8), DihedralGroup(8), CyclicGroup(6)], ids=str)
def test_off_grid_elements_rotate_by_interpolation(G):
    x = torch.randn(9, 9, dtype=torch.float64)
    for g in G.elements():
        flipped = torch.flip(x, dims=[-1]) if G.is_reflection(g) else x  # mirror, then rotate
        expected = rotate_image(flipped, G.angle(g))  # its angle rounded to 2⁻³² quarter turns
        assert torch.allclose(G.act_on_image(g, x), expected, rtol=0, atol=1e-8)


@pytest.mark.parametrize("shape", [(7, 7), (6, 6), (5, 8)])
@pytest.mark.parametrize("g", range(8))
def test_act_on_image_moves_pixels_as_matrix_predicts(shape, g):
    G = DihedralGroup(4)
    H, W = shape
    image = torch.zeros(H, W)
    row, col = 1, 2
    image[row, col] = 1.0
    moved = G.act_on_image(g, image)
    new_row, new_col = (moved == 1.0).nonzero()[0].tolist()

    def plane(r, c, height, width):  # pixel index -> (x right, y up) about the centre
        return torch.tensor([c - (width - 1) / 2, (height - 1) / 2 - r], dtype=torch.float64)

    predicted = G.matrix(g) @ plane(row, col, H, W)
    assert torch.equal(plane(new_row, new_col, *moved.shape), predicted)


@pytest.mark.parametrize("G", EXACT_GROUPS, ids=str)
def test_act_on_group_signal_is_an_exact_action(G):
    x = torch.randn(2, 3, G.order, 5, 5)
    assert torch.equal(G.act_on_group_signal(G.identity, x), x)
    for a in G.elements():
        for b in G.elements():
            composed = G.act_on_group_signal(a, G.act_on_group_signal(b, x))
            assert torch.equal(composed, G.act_on_group_signal(G.product(a, b), x))


@pytest.mark.parametrize("G", [CyclicGroup(4), DihedralGroup(4), CyclicGroup(8)], ids=str)
def test_act_on_group_signal_is_image_action_times_regular_representation(G):
    x = torch.randn(2, G.order, 5, 5, dtype=torch.float64)
    for g in G.elements():
        expected = torch.einsum(
            "hk,bkyx->bhyx", G.regular_representation(g), G.act_on_image(g, x)
        )
        assert torch.equal(G.act_on_group_signal(g, x), expected)


def test_cyclic_group_signal_action_is_a_roll():
    G = CyclicGroup(4)
    x = torch.randn(3, 4, 5, 5)
    for g in G.elements():
        assert torch.equal(G.act_on_group_signal(g, x),
                           torch.roll(torch.rot90(x, g, dims=(-2, -1)), g, dims=-3))


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("n", [0, -3, 2.0, True, "4"])
def test_bad_order_is_rejected(kind, n):
    with pytest.raises(ValueError, match=rf"{kind.__name__} expects an int n >= 1, got"):
        kind(n)


@pytest.mark.parametrize("g", [8, -1, 1.0, None, True])
def test_bad_element_is_rejected(g):
    G = DihedralGroup(4)
    message = r"expected an element of DihedralGroup\(4\) \(an int in 0\.\.7\), got"
    for method in (G.inverse, G.angle, G.matrix, G.regular_representation, G.is_exact,
                   G.is_reflection):
        with pytest.raises(ValueError, match=message):
            method(g)
    with pytest.raises(ValueError, match=message):
        G.product(0, g)
    with pytest.raises(ValueError, match=message):
        G.act_on_image(g, torch.zeros(3, 3))
    with pytest.raises(ValueError, match=message):
        G.act_on_group_signal(g, torch.zeros(8, 3, 3))


def test_integer_like_elements_are_accepted():
    G = CyclicGroup(4)
    assert G.product(torch.tensor(1), 2) == 3
    assert isinstance(G.product(torch.tensor(1), 2), int)


def test_bad_tensor_shapes_are_rejected():
    G = CyclicGroup(4)
    with pytest.raises(ValueError, match=r"\(\.\.\., H, W\), got \(5,\)"):
        G.act_on_image(1, torch.zeros(5))
    with pytest.raises(ValueError, match=r"\|G\|=4, H, W\), got shape \(2, 3, 5, 5\)"):
        G.act_on_group_signal(1, torch.zeros(2, 3, 5, 5))
    with pytest.raises(ValueError, match=r"\|G\|=8, H, W\), got shape \(4, 5\)"):
        DihedralGroup(4).act_on_group_signal(1, torch.zeros(4, 5))
