"""SO2 and O2: group axioms, plane matrices, Haar samples, grids and the embeddings of C_n and D_n."""

import math

import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

from gcnn.groups import O2, SO2, CompactGroup, CyclicGroup, DihedralGroup, O2Element

angles = st.floats(-20.0, 20.0, allow_nan=False)
so2_elements = angles
o2_elements = st.tuples(angles, st.integers(0, 1))
EYE = torch.eye(2, dtype=torch.float64)


def close(G, a, b):
    return torch.allclose(G.matrix(a), G.matrix(b), rtol=0, atol=1e-12)


@pytest.mark.parametrize("G, elements", [(SO2(), so2_elements), (O2(), o2_elements)], ids=str)
def test_group_axioms_and_matrix_homomorphism(G, elements):
    @given(elements, elements, elements)
    def check(a, b, c):
        assert close(G, G.product(G.product(a, b), c), G.product(a, G.product(b, c)))
        assert close(G, G.product(G.identity, a), a) and close(G, G.product(a, G.inverse(a)), G.identity)
        assert close(G, G.product(G.inverse(a), a), G.identity)
        assert torch.allclose(G.matrix(a) @ G.matrix(b), G.matrix(G.product(a, b)), rtol=0, atol=1e-12)
        A = G.matrix(a)
        assert A.dtype == torch.float64 and torch.allclose(A.T @ A, EYE, rtol=0, atol=1e-12)
        assert torch.det(A).item() == pytest.approx(-1.0 if G.is_reflection(a) else 1.0)
        assert 0.0 <= G.angle(a) < math.tau

    check()


def test_elements_are_normalised():
    assert SO2().element(-math.pi / 2) == pytest.approx(3 * math.pi / 2)
    assert SO2().element(-1e-20) == 0.0  # would round up to 2π
    g = O2().element((7.0, 1))
    assert isinstance(g, O2Element) and g == (pytest.approx(7.0 - math.tau), 1)
    assert O2().product((1.0, 1), (0.25, 0)) == (0.75, 1)  # R(1)F R(0.25) = R(0.75)F
    assert O2().inverse((1.0, 1)) == (1.0, 1) and O2().inverse((1.0, 0)) == (pytest.approx(math.tau - 1), 0)


def test_matrices_follow_the_plane_conventions():
    quarter = SO2().matrix(math.pi / 2)
    assert torch.allclose(quarter @ torch.tensor([1.0, 0.0], dtype=torch.float64),
                          torch.tensor([0.0, 1.0], dtype=torch.float64), atol=1e-15)  # counter-clockwise
    assert torch.equal(O2().matrix((0.0, 1)), torch.tensor([[-1.0, 0.0], [0.0, 1.0]], dtype=torch.float64))


@pytest.mark.parametrize("n", range(1, 13))
def test_grids_are_the_images_of_cyclic_and_dihedral_groups(n):
    for G, F in ((SO2(), CyclicGroup(n)), (O2(), DihedralGroup(n))):
        assert G.grid_group(n) == F
        grid = G.elements_grid(n)
        assert len(grid) == F.order
        for k, g in enumerate(grid):
            assert g == G.from_finite(F, k)
            assert torch.allclose(G.matrix(g), F.matrix(k), rtol=0, atol=1e-12)
            assert G.angle(g) == pytest.approx(math.tau * (k % n) / n)
            for h in F.elements():
                assert close(G, G.product(g, grid[h]), grid[F.product(k, h)])
    assert O2().elements_grid(n)[n] == (0.0, 1)  # D_n element n + i is (2πi/n, 1)


def test_dihedral_rotations_embed_into_so2():
    D = DihedralGroup(6)
    assert [SO2().from_finite(D, i) for i in range(6)] == SO2().elements_grid(6)


def test_haar_samples_are_reproducible_and_spread():
    for G in (SO2(), O2()):
        a, b = G.sample(2000, torch.Generator().manual_seed(3)), G.sample(2000, torch.Generator().manual_seed(3))
        assert a == b
        angles = torch.tensor([G.angle(g) for g in a])
        assert angles.min() >= 0 and angles.max() < math.tau
        assert abs(torch.cos(angles).mean()) < 0.1 and abs(torch.sin(angles).mean()) < 0.1
    mirrors = [g.mirror for g in O2().sample(2000, torch.Generator().manual_seed(0))]
    assert 0.4 < sum(mirrors) / len(mirrors) < 0.6


def test_names_and_equality():
    assert (SO2().name, str(O2()), repr(SO2()), repr(O2())) == ("SO2", "O2", "SO2()", "O2()")
    assert SO2() == SO2() and O2() != SO2() and isinstance(O2(), CompactGroup)
    assert SO2().identity == 0.0 and O2().identity == (0.0, 0)


@pytest.mark.parametrize("G, bad, match", [
    (SO2(), "1.0", "finite angle"),
    (SO2(), float("nan"), "finite angle"),
    (SO2(), True, "finite angle"),
    (O2(), 1.0, r"pair \(angle, mirror\)"),
    (O2(), (1.0, 2), "mirror 0 or 1"),
    (O2(), (1.0, True), "mirror 0 or 1"),
    (O2(), (float("inf"), 0), "finite angle"),
])
def test_bad_elements_raise(G, bad, match):
    with pytest.raises(ValueError, match=match):
        G.matrix(bad)


def test_bad_embeddings_and_sizes_raise():
    with pytest.raises(ValueError, match=r"rotation of D4, got element 5, a mirror"):
        SO2().from_finite(DihedralGroup(4), 5)
    with pytest.raises(ValueError, match="expects a FiniteGroup"):
        O2().from_finite(SO2(), 0.0)
    with pytest.raises(ValueError, match=r"an int in 0\.\.3"):
        SO2().from_finite(CyclicGroup(4), 4)
    with pytest.raises(ValueError, match="n expects an int >= 1"):
        SO2().sample(0)
    with pytest.raises(ValueError, match="expects an int n >= 1"):
        O2().elements_grid(0)
