"""SO(3): real spherical harmonics are orthonormal and steerable, Wigner matrices form a representation,
and Clebsch–Gordan coefficients decompose D_{l1} ⊗ D_{l2} completely into irreps."""

import math

import pytest
import torch

from gcnn.groups import random_orthogonal
from gcnn.representations import real_spherical_harmonics, so3_clebsch_gordan, wigner_d

DEGREES = range(5)
CG_TRIPLES = [(l1, l2, l) for l1 in range(3) for l2 in range(3) for l in range(abs(l1 - l2), l1 + l2 + 1)]
YZX = [1, 2, 0]  # degree 1 is (y, z, x)


def rotations(count, seed=0, reflection=False):
    g = torch.Generator().manual_seed(seed)
    return [random_orthogonal(3, reflection=reflection, generator=g, dtype=torch.float64) for _ in range(count)]


def random_points(count, seed=1):
    return torch.randn(count, 3, generator=torch.Generator().manual_seed(seed), dtype=torch.float64)


def gauss_legendre(n):
    """Nodes and weights on [−1, 1] (Golub–Welsch), exact for polynomials of degree ≤ 2n − 1."""
    k = torch.arange(1, n, dtype=torch.float64)
    beta = k / torch.sqrt(4 * k**2 - 1)
    nodes, vectors = torch.linalg.eigh(torch.diag(beta, 1) + torch.diag(beta, -1))
    return nodes, 2 * vectors[0] ** 2


def test_harmonics_are_orthonormal_on_the_sphere():
    # Gauss–Legendre in cos θ × uniform φ integrates every product Y_{lm} Y_{l'm'}, l, l' ≤ 4, exactly
    z, wz = gauss_legendre(10)
    phi = torch.arange(17, dtype=torch.float64) * math.tau / 17
    z, phi = torch.meshgrid(z, phi, indexing="ij")
    rho = torch.sqrt(1 - z**2)
    points = torch.stack([rho * torch.cos(phi), rho * torch.sin(phi), z], dim=-1).reshape(-1, 3)
    weights = (wz[:, None] * torch.full((1, 17), math.tau / 17, dtype=torch.float64)).reshape(-1)
    Y = torch.cat([real_spherical_harmonics(l, points) for l in DEGREES], dim=-1)
    gram = Y.T @ (weights[:, None] * Y)
    assert torch.allclose(gram, torch.eye(Y.shape[1], dtype=torch.float64), atol=1e-12)


def test_low_degrees_are_the_textbook_polynomials():
    x, y, z = (random_points(20) / random_points(20).norm(dim=-1, keepdim=True)).unbind(-1)
    c1, c2 = math.sqrt(3 / (4 * math.pi)), 0.5 * math.sqrt(15 / math.pi)
    expected = {
        0: [torch.full_like(x, math.sqrt(1 / (4 * math.pi)))],
        1: [c1 * y, c1 * z, c1 * x],
        2: [c2 * x * y, c2 * y * z, 0.25 * math.sqrt(5 / math.pi) * (3 * z**2 - 1), c2 * x * z, c2 / 2 * (x**2 - y**2)],
    }
    for l, columns in expected.items():
        assert torch.allclose(real_spherical_harmonics(l, random_points(20)), torch.stack(columns, -1), atol=1e-14)


def test_harmonics_are_regular_at_the_poles_and_keep_batch_shape():
    for l in DEGREES:
        north = real_spherical_harmonics(l, torch.tensor([0.0, 0.0, 2.0]))
        expected = torch.zeros(2 * l + 1, dtype=torch.float64)
        expected[l] = math.sqrt((2 * l + 1) / (4 * math.pi))
        assert torch.allclose(north, expected, atol=1e-14)
        assert real_spherical_harmonics(l, torch.randn(2, 5, 3)).shape == (2, 5, 2 * l + 1)


@pytest.mark.parametrize("reflection", [False, True])
@pytest.mark.parametrize("l", DEGREES)
def test_harmonics_are_steered_by_wigner_d(l, reflection):
    x = random_points(50)
    for R in rotations(3, reflection=reflection):
        error = real_spherical_harmonics(l, x @ R.T) - real_spherical_harmonics(l, x) @ wigner_d(l, R).T
        assert error.abs().max() <= 1e-12


@pytest.mark.parametrize("l", DEGREES)
def test_wigner_d_is_an_orthogonal_representation(l):
    R1, R2 = rotations(2)
    D1, D2 = wigner_d(l, R1), wigner_d(l, R2)
    eye = torch.eye(2 * l + 1, dtype=torch.float64)
    assert (D1.T @ D1 - eye).abs().max() <= 1e-12
    assert (wigner_d(l, R1 @ R2) - D1 @ D2).abs().max() <= 1e-12
    assert (wigner_d(l, torch.eye(3, dtype=torch.float64)) - eye).abs().max() <= 1e-12
    assert (wigner_d(l, -torch.eye(3, dtype=torch.float64)) - (-1) ** l * eye).abs().max() <= 1e-12  # parity
    assert torch.allclose(wigner_d(l, torch.stack([R1, R2])), torch.stack([D1, D2]), atol=1e-14)


def test_wigner_d_of_degree_one_is_the_rotation_in_yzx_order():
    for R in rotations(3) + rotations(2, reflection=True):
        assert (wigner_d(1, R) - R[YZX][:, YZX]).abs().max() <= 1e-12


@pytest.mark.parametrize("l1, l2, l", CG_TRIPLES)
def test_clebsch_gordan_intertwines_and_has_orthonormal_rows(l1, l2, l):
    C = so3_clebsch_gordan(l1, l2, l)
    assert C.shape == (2 * l + 1, 2 * l1 + 1, 2 * l2 + 1) and C.dtype == torch.float64
    for R in rotations(3, seed=5):
        left = torch.einsum("kij,ia,jb->kab", C, wigner_d(l1, R), wigner_d(l2, R))
        assert (left - torch.einsum("kc,cab->kab", wigner_d(l, R), C)).abs().max() <= 1e-12
    M = C.reshape(2 * l + 1, -1)
    assert (M @ M.T - torch.eye(2 * l + 1, dtype=torch.float64)).abs().max() <= 1e-12
    assert C.flatten()[C.flatten() != 0][0] > 0  # sign convention


@pytest.mark.parametrize("l1, l2, l", CG_TRIPLES)
def test_clebsch_gordan_intertwines_reflections_only_with_even_parity(l1, l2, l):
    C = so3_clebsch_gordan(l1, l2, l)
    R = rotations(1, reflection=True)[0]
    left = torch.einsum("kij,ia,jb->kab", C, wigner_d(l1, R), wigner_d(l2, R))
    error = (left - torch.einsum("kc,cab->kab", wigner_d(l, R), C)).abs().max()
    assert (error <= 1e-12) == ((l1 + l2 + l) % 2 == 0)


@pytest.mark.parametrize("l1, l2", [(l1, l2) for l1 in range(3) for l2 in range(3)])
def test_tensor_product_decomposes_completely(l1, l2):
    blocks = [so3_clebsch_gordan(l1, l2, l).reshape(2 * l + 1, -1) for l in range(abs(l1 - l2), l1 + l2 + 1)]
    Q = torch.cat(blocks)
    assert Q.shape[0] == (2 * l1 + 1) * (2 * l2 + 1)  # Σ (2l+1) = (2l1+1)(2l2+1)
    assert (Q @ Q.T - torch.eye(Q.shape[0], dtype=torch.float64)).abs().max() <= 1e-12


def test_vector_products_are_dot_and_cross_products():
    u, v = random_points(10, seed=2), random_points(10, seed=3)
    scalar = torch.einsum("kij,ni,nj->nk", so3_clebsch_gordan(1, 1, 0), u[:, YZX], v[:, YZX])
    vector = torch.einsum("kij,ni,nj->nk", so3_clebsch_gordan(1, 1, 1), u[:, YZX], v[:, YZX])
    assert torch.allclose(scalar[:, 0], (u * v).sum(-1) / math.sqrt(3), atol=1e-13)
    assert torch.allclose(vector, torch.linalg.cross(u, v)[:, YZX] / math.sqrt(2), atol=1e-13)


def test_clebsch_gordan_is_cached_but_returned_as_a_copy():
    C = so3_clebsch_gordan(1, 1, 2)
    C.zero_()
    assert so3_clebsch_gordan(1, 1, 2).abs().max() > 0


def test_bad_input_raises():
    with pytest.raises(ValueError, match=r"\|l1 - l2\| <= l <= l1 \+ l2 = 0..2, got l1=1, l2=1, l=3"):
        so3_clebsch_gordan(1, 1, 3)
    with pytest.raises(ValueError, match="l1 expects an int >= 0, got -1"):
        so3_clebsch_gordan(-1, 1, 0)
    with pytest.raises(ValueError, match="l expects an int >= 0, got 1.5"):
        real_spherical_harmonics(1.5, random_points(3))
    with pytest.raises(ValueError, match=r"points of shape \(..., 3\), got \(4, 2\)"):
        real_spherical_harmonics(1, torch.zeros(4, 2))
    with pytest.raises(ValueError, match="nonzero points"):
        real_spherical_harmonics(2, torch.zeros(2, 3))
    with pytest.raises(ValueError, match=r"R of shape \(..., 3, 3\), got \(2, 2\)"):
        wigner_d(1, torch.eye(2))
    with pytest.raises(ValueError, match="orthogonal R"):
        wigner_d(1, 2 * torch.eye(3))
