"""The steerable kernel basis: the constraint on the grid, and the analytic basis against the null space."""
from __future__ import annotations

import math

import pytest
import torch

from gcnn.groups import O2, SO2, CyclicGroup, DihedralGroup
from gcnn.representations import irrep, irreps, regular, standard
from gcnn.steerable import (FieldType, circular_harmonic, constraint_error, field_kernel_basis, irrep_kernel_basis,
                            numerical_kernel_basis)
from gcnn.steerable.harmonics import grid_polar

QUARTER_TURNS = {
    "SO2": [0.0, math.pi / 2, math.pi, 3 * math.pi / 2],
    "O2": [(a * math.pi / 2, m) for a in range(4) for m in (0, 1)],
}
GROUPS = [CyclicGroup(4), DihedralGroup(4), SO2(), O2(), CyclicGroup(8), DihedralGroup(6)]


def exact_elements(group):
    """The elements that map the pixel grid to itself."""
    if isinstance(group, (SO2, O2)):
        return QUARTER_TURNS[group.name]
    return [g for g in group.elements() if group.is_exact(g)]


@pytest.mark.parametrize("group", GROUPS, ids=str)
@pytest.mark.parametrize("kernel_size", [4, 5])
def test_irrep_basis_solves_the_constraint_on_the_grid(group, kernel_size):
    found = irreps(group, 3)
    for out in found:
        for inp in found:
            basis = irrep_kernel_basis(out, inp, kernel_size)
            assert basis.dtype == torch.float64
            assert constraint_error(basis, out, inp, exact_elements(group)) <= 1e-12, (out.name, inp.name)


@pytest.mark.parametrize("group", [CyclicGroup(4), DihedralGroup(4), SO2(), O2()], ids=str)
def test_field_basis_solves_the_constraint(group):
    finite = isinstance(group, (CyclicGroup, DihedralGroup))
    reps = [regular(group), standard(group), *irreps(group, 2)] if finite else [*irreps(group, 2), standard(group)]
    field_type = FieldType(group, reps, max_frequency=None if finite else 1)
    for i, rho_out in enumerate(field_type.reps):
        for j, rho_in in enumerate(field_type.reps):
            basis = field_kernel_basis(field_type, i, field_type, j, 5)
            assert basis.shape[1:] == (rho_out.dim, rho_in.dim, 5, 5)
            assert constraint_error(basis, rho_out, rho_in, exact_elements(group)) <= 1e-12


def test_frequencies_of_the_so2_solution():
    """ψ_m → ψ_n: angular frequencies n − m (A ∈ {I, J}) and n + m (A ∈ {S, SJ}), nothing else."""
    group = SO2()
    basis = irrep_kernel_basis(irrep(group, 2), irrep(group, 1), 7, radii=[3.0], bandwidth=1.0)
    assert basis.shape[0] == 4
    # divided by the ring, every entry is a combination of cos/sin of 1ϑ and 3ϑ only
    r, _ = grid_polar(7)
    angular = (basis / torch.exp(-((r - 3.0) ** 2) / (2 * 0.6**2))).reshape(-1, 49).T
    harmonics = torch.stack([h for j in (1, 3) for h in circular_harmonic(7, j)]).reshape(4, 49).T
    coefficients = torch.linalg.lstsq(harmonics, angular).solution
    assert (harmonics @ coefficients - angular).abs().max() <= 1e-9


def test_o2_has_no_invariant_kernel_between_det_and_trivial():
    group = O2()
    assert irrep_kernel_basis(irrep(group, 0, 0), irrep(group, 0, 1), 5).shape[0] == 0
    assert irrep_kernel_basis(irrep(group, 0, 0), irrep(group, 0, 0), 5).shape[0] == 3  # one per ring


def test_circular_harmonics_vanish_exactly_on_the_axes():
    cos4, sin4 = circular_harmonic(5, 4)
    r, theta = grid_polar(5)
    assert sin4[2].abs().max() == 0 and sin4[:, 2].abs().max() == 0
    inside = r > 0
    assert (cos4 - torch.cos(4 * theta))[inside].abs().max() <= 1e-14


def _all_grid_radii(kernel_size):
    r, _ = grid_polar(kernel_size)
    return sorted({round(v, 9) for v in r.flatten().tolist()})


@pytest.mark.parametrize("group", [CyclicGroup(4), DihedralGroup(4)], ids=str)
@pytest.mark.parametrize("kernel_size", [3, 4, 5])
def test_analytic_basis_spans_the_numerical_null_space(group, kernel_size):
    """With a ring at every radius that occurs on the grid (narrow Gaussians) and no angular
    cut-off, the analytic basis lies in the null space of the grid constraint and has its dimension."""
    radii = _all_grid_radii(kernel_size)
    for out in irreps(group):
        for inp in irreps(group):
            analytic = irrep_kernel_basis(out, inp, kernel_size, radii=radii, sigma=0.3, bandwidth=3.0)
            numerical = numerical_kernel_basis(out, inp, kernel_size)
            size = out.dim * inp.dim * kernel_size**2
            A, N = analytic.reshape(-1, size), numerical.reshape(-1, size)
            assert A.shape[0] == N.shape[0], (out.name, inp.name)
            if A.shape[0]:
                assert (A - (A @ N.T) @ N).abs().max() <= 1e-12
                assert torch.linalg.matrix_rank(A).item() == N.shape[0]


@pytest.mark.parametrize("group", [CyclicGroup(4), DihedralGroup(4)], ids=str)
def test_band_limited_basis_lies_in_the_null_space(group):
    """The default basis (rings 0, 1, 2; |j| ≤ ⌊0.35 · 2πR⌋) is a subspace of the exact solutions."""
    for out in irreps(group):
        for inp in irreps(group):
            A = irrep_kernel_basis(out, inp, 5).reshape(-1, out.dim * inp.dim * 25)
            N = numerical_kernel_basis(out, inp, 5).reshape(-1, out.dim * inp.dim * 25)
            assert A.shape[0] <= N.shape[0]
            if A.shape[0]:
                assert (A - (A @ N.T) @ N).abs().max() <= 1e-12
                assert torch.linalg.matrix_rank(A).item() == A.shape[0]


def test_numerical_basis_needs_grid_symmetries():
    with pytest.raises(ValueError, match="grid symmetries"):
        numerical_kernel_basis(irrep(CyclicGroup(8), 1), irrep(CyclicGroup(8), 1), 3)


def test_mismatched_irreps_raise():
    with pytest.raises(ValueError, match="one group"):
        irrep_kernel_basis(irrep(CyclicGroup(4), 1), irrep(CyclicGroup(8), 1), 3)
    with pytest.raises(ValueError, match="two Irreps"):
        irrep_kernel_basis(regular(CyclicGroup(4)), irrep(CyclicGroup(4), 1), 3)
    with pytest.raises(ValueError, match="kernel_size"):
        irrep_kernel_basis(irrep(CyclicGroup(4), 1), irrep(CyclicGroup(4), 1), 0)
