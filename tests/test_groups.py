"""CyclicGroup: group axioms, representations and actions on tensors."""

import math

import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

from gcnn.groups import CyclicGroup


@st.composite
def group_and_elements(draw, count=3):
    group = CyclicGroup(draw(st.integers(1, 12)))
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


def test_order_and_elements():
    G = CyclicGroup(6)
    assert G.order == 6
    assert list(G.elements()) == [0, 1, 2, 3, 4, 5]
    assert G.angle(1) == pytest.approx(math.pi / 3)


@given(group_and_elements(count=2))
def test_matrix_is_orthogonal_homomorphism(sample):
    G, a, b = sample
    Ra, Rb = G.matrix(a), G.matrix(b)
    assert Ra.dtype == torch.float64
    assert torch.allclose(Ra @ Rb, G.matrix(G.product(a, b)), rtol=0, atol=1e-12)
    assert torch.allclose(Ra.T @ Ra, torch.eye(2, dtype=torch.float64), rtol=0, atol=1e-12)


def test_matrix_rotates_counter_clockwise():
    x_axis = torch.tensor([1.0, 0.0], dtype=torch.float64)
    y_axis = torch.tensor([0.0, 1.0], dtype=torch.float64)
    assert torch.allclose(CyclicGroup(4).matrix(1) @ x_axis, y_axis, atol=1e-15)


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


@pytest.mark.parametrize("n", [1, 2, 4])
def test_act_on_image_is_an_action(n):
    G = CyclicGroup(n)
    x = torch.randn(2, 3, 5, 7)
    assert torch.equal(G.act_on_image(G.identity, x), x)
    for a in G.elements():
        for b in G.elements():
            composed = G.act_on_image(a, G.act_on_image(b, x))
            assert torch.equal(composed, G.act_on_image(G.product(a, b), x))


@pytest.mark.parametrize("shape", [(7, 7), (6, 6), (5, 8)])
@pytest.mark.parametrize("g", range(4))
def test_act_on_image_moves_pixels_as_matrix_predicts(shape, g):
    G = CyclicGroup(4)
    H, W = shape
    image = torch.zeros(H, W)
    row, col = 1, 2
    image[row, col] = 1.0
    rotated = G.act_on_image(g, image)
    new_row, new_col = (rotated == 1.0).nonzero()[0].tolist()

    def plane(r, c, height, width):  # pixel index -> (x right, y up) about the centre
        return torch.tensor([c - (width - 1) / 2, (height - 1) / 2 - r], dtype=torch.float64)

    predicted = G.matrix(g) @ plane(row, col, H, W)
    observed = plane(new_row, new_col, *rotated.shape)
    assert torch.allclose(predicted, observed, atol=1e-12)


def test_act_on_image_needs_quarter_turns():
    x = torch.randn(4, 4)
    assert torch.equal(CyclicGroup(8).act_on_image(2, x), CyclicGroup(4).act_on_image(1, x))
    with pytest.raises(ValueError, match=r"multiples of 90°.*rotates by 45°"):
        CyclicGroup(8).act_on_image(1, x)
    with pytest.raises(ValueError, match=r"multiples of 90°.*rotates by 120°"):
        CyclicGroup(3).act_on_image(1, x)


@pytest.mark.parametrize("n", [1, 2, 4])
def test_act_on_group_signal_is_an_action(n):
    G = CyclicGroup(n)
    x = torch.randn(2, 3, n, 5, 5)
    assert torch.equal(G.act_on_group_signal(G.identity, x), x)
    for a in G.elements():
        for b in G.elements():
            composed = G.act_on_group_signal(a, G.act_on_group_signal(b, x))
            assert torch.equal(composed, G.act_on_group_signal(G.product(a, b), x))


@pytest.mark.parametrize("g", range(4))
def test_act_on_group_signal_is_rotation_times_regular_representation(g):
    G = CyclicGroup(4)
    x = torch.randn(2, 4, 5, 5, dtype=torch.float64)
    expected = torch.einsum(
        "hk,bkyx->bhyx", G.regular_representation(g), G.act_on_image(g, x)
    )
    assert torch.equal(G.act_on_group_signal(g, x), expected)


@pytest.mark.parametrize("n", [0, -3, 2.0, True, "4"])
def test_bad_order_is_rejected(n):
    with pytest.raises(ValueError, match=r"expects an int n >= 1, got"):
        CyclicGroup(n)


@pytest.mark.parametrize("g", [4, -1, 1.0, None])
def test_bad_element_is_rejected(g):
    G = CyclicGroup(4)
    message = r"expected an element of CyclicGroup\(4\) \(an int in 0\.\.3\), got"
    for method in (G.inverse, G.angle, G.matrix, G.regular_representation):
        with pytest.raises(ValueError, match=message):
            method(g)
    with pytest.raises(ValueError, match=message):
        G.product(0, g)
    with pytest.raises(ValueError, match=message):
        G.act_on_image(g, torch.zeros(3, 3))


def test_bad_tensor_shapes_are_rejected():
    G = CyclicGroup(4)
    with pytest.raises(ValueError, match=r"\(\.\.\., H, W\), got shape \(5,\)"):
        G.act_on_image(1, torch.zeros(5))
    with pytest.raises(ValueError, match=r"\|G\|=4, H, W\), got shape \(2, 3, 5, 5\)"):
        G.act_on_group_signal(1, torch.zeros(2, 3, 5, 5))
