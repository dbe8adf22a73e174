"""Fourier transform on C_n, D_n, SO(2), O(2): inversion, Parseval, shift theorem, regular decomposition."""

import math

import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from gcnn.fourier import (
    band_limit,
    fourier_transform,
    inverse_fourier_transform,
    inversion_error,
    parseval_error,
    regular_decomposition,
    shift_signal,
    shift_theorem_error,
    signal_elements,
)
from gcnn.groups import O2, SO2, CyclicGroup, DihedralGroup
from gcnn.representations import (
    decomposition_error,
    direct_sum,
    irrep,
    irreps,
    orthogonality_error,
    regular,
)

FINITE = [CyclicGroup(n) for n in range(1, 13)] + [DihedralGroup(n) for n in range(1, 13)]


def random_signal(G, batch=(3,), seed=0):
    return torch.randn(*batch, G.order, dtype=torch.float64, generator=torch.Generator().manual_seed(seed))


def band_limited(G, band, seed=0):
    """Coefficients of a random real signal of band limit ``band`` (complex-type f̂ commute with R(π/2))."""
    gen = torch.Generator().manual_seed(seed)
    coefficients = {}
    for psi in irreps(G, band):
        c = torch.randn(psi.dim, psi.dim, dtype=torch.float64, generator=gen)
        coefficients[psi.name] = (c + psi.commutant()[1] @ c @ psi.commutant()[1].T) / 2 \
            if psi.commutant_dim == 2 else c
    return coefficients


@pytest.mark.parametrize("G", FINITE, ids=str)
def test_finite_groups_inversion_parseval_and_shift(G):
    f = random_signal(G)
    assert inversion_error(G, f) <= 1e-12
    assert parseval_error(G, f) <= 1e-12
    assert max(shift_theorem_error(G, f, u) for u in G.elements()) <= 1e-12


@pytest.mark.parametrize("G", [CyclicGroup(6), DihedralGroup(5)], ids=str)
def test_transform_by_hand(G):
    delta = torch.zeros(G.order, dtype=torch.float64)
    delta[0] = 1.0
    for name, c in fourier_transform(G, delta).items():  # f̂ of δ_e is I / |G|
        assert torch.allclose(c, torch.eye(c.shape[0], dtype=torch.float64) / G.order, atol=1e-15), name
    ones = torch.ones(G.order, dtype=torch.float64)
    spectrum = fourier_transform(G, ones)
    assert list(spectrum) == [psi.name for psi in irreps(G)]
    assert spectrum[irreps(G)[0].name].item() == pytest.approx(1.0)
    assert all(c.abs().max() < 1e-15 for c in list(spectrum.values())[1:])  # constants live in ψ_0 only


def test_shift_theorem_side():
    G = CyclicGroup(8)
    f = random_signal(G, batch=())
    shifted = shift_signal(G, f, 3)
    assert all(shifted[h] == f[G.product(G.inverse(3), h)] for h in G.elements())  # (L_u f)(g) = f(u⁻¹g)
    psi = irrep(G, 1)
    assert torch.allclose(fourier_transform(G, shifted)["ψ_1"], psi(3) @ fourier_transform(G, f)["ψ_1"],
                          atol=1e-15)


@pytest.mark.parametrize("G", [DihedralGroup(n) for n in (1, 4, 7)] + [O2()], ids=str)
def test_forward_inverts_inverse_for_real_type_coefficients(G):
    n = 9
    coefficients = band_limited(G, 4)  # every irrep of D_n/O(2) is of real type
    elements = signal_elements(G, G.order) if isinstance(G, DihedralGroup) else G.elements_grid(n)
    f = inverse_fourier_transform(G, coefficients, elements)
    back = fourier_transform(G, f)
    assert list(back) == list(coefficients)
    assert max((back[k] - c).abs().max().item() for k, c in coefficients.items()) <= 1e-12


@pytest.mark.parametrize("G, band, n", [(SO2(), 4, 9), (SO2(), 3, 16), (O2(), 4, 9), (O2(), 5, 12)], ids=str)
def test_compact_groups_on_a_grid_above_nyquist(G, band, n):
    coefficients = band_limited(G, band, seed=band)
    f = inverse_fourier_transform(G, coefficients, G.elements_grid(n))
    assert inversion_error(G, f) <= 1e-10
    assert parseval_error(G, f) <= 1e-10
    spectrum = fourier_transform(G, f, max_frequency=band)
    assert max((spectrum[k] - c).abs().max().item() for k, c in coefficients.items()) <= 1e-12
    assert max(shift_theorem_error(G, f, u) for u in G.elements_grid(n)) <= 1e-10


@pytest.mark.parametrize("G, elements", [(SO2(), st.floats(-10, 10)),
                                         (O2(), st.tuples(st.floats(-10, 10), st.integers(0, 1)))], ids=str)
def test_shift_theorem_off_the_grid(G, elements):
    coefficients, grid = band_limited(G, 3, seed=7), G.elements_grid(8)
    f = inverse_fourier_transform(G, coefficients, grid)

    @settings(max_examples=30)
    @given(elements)
    def check(u):
        moved = [G.product(G.inverse(u), g) for g in grid]  # (L_u f)(g) = f(u⁻¹g), evaluated exactly
        shifted = inverse_fourier_transform(G, coefficients, moved)
        assert shift_theorem_error(G, f, u, shifted) <= 1e-10

    check()


def test_aliasing_above_the_band_limit():
    G, grid = SO2(), SO2().elements_grid(8)
    f = torch.tensor([math.cos(5 * t) for t in grid], dtype=torch.float64)  # frequency 5 aliases to 3
    assert fourier_transform(G, f)["ψ_3"][0, 0].item() == pytest.approx(0.5)
    assert band_limit(G, 8) == 3 and band_limit(O2(), 16) == 3 and band_limit(CyclicGroup(5), 5) is None


def test_batches_keep_their_shape():
    G = DihedralGroup(3)
    f = random_signal(G, batch=(2, 4))
    spectrum = fourier_transform(G, f)
    assert spectrum["ψ_{1,1}"].shape == (2, 4, 2, 2) and spectrum["ψ_{0,0}"].shape == (2, 4, 1, 1)
    assert inverse_fourier_transform(G, spectrum).shape == (2, 4, 6)
    by_irrep = {irrep(G, 1): spectrum["ψ_{1,1}"], irrep(G, 0): spectrum["ψ_{0,0}"],
                irrep(G, 0, 1): spectrum["ψ_{1,0}"]}
    assert torch.allclose(inverse_fourier_transform(G, by_irrep), f, atol=1e-12)


@pytest.mark.parametrize("G", FINITE, ids=str)
def test_regular_decomposition(G):
    Q, blocks = regular_decomposition(G)
    assert Q.shape == (G.order, G.order) and Q.dtype == torch.float64
    assert orthogonality_error(Q) <= 1e-12
    expanded = [psi for psi, m in blocks for _ in range(m)]
    assert decomposition_error(regular(G), Q, expanded) <= 1e-10  # Q ρ_reg Qᵀ = ⊕ ψ^{⊕m}
    block_sum = direct_sum(*expanded)
    assert max((Q.T @ block_sum(g) @ Q - regular(G)(g)).abs().max().item() for g in G.elements()) <= 1e-10
    for psi, m in blocks:
        assert m == (psi.dim if isinstance(G, DihedralGroup) or psi.dim == 1 else 1)
    assert sum(psi.dim * m for psi, m in blocks) == G.order


def test_regular_decomposition_is_the_fourier_transform():
    G = DihedralGroup(5)
    f = random_signal(G, batch=())
    Q, blocks = regular_decomposition(G)
    spectrum = fourier_transform(G, f)
    columns = [math.sqrt(psi.dim * G.order) * spectrum[psi.name][:, b] for psi, m in blocks for b in range(m)]
    assert torch.allclose(Q @ f, torch.cat(columns), atol=1e-12)


def test_errors_name_what_was_expected():
    with pytest.raises(ValueError, match=r"a signal on D4 has \|G\| = 8 samples, got 6"):
        fourier_transform(DihedralGroup(4), torch.zeros(6))
    with pytest.raises(ValueError, match="an O2 signal on elements_grid\\(n\\) has 2n samples, got 7"):
        fourier_transform(O2(), torch.zeros(7))
    with pytest.raises(ValueError, match=r"resolve frequencies up to .* = 3, got max_frequency=4"):
        fourier_transform(SO2(), torch.zeros(8), max_frequency=4)
    with pytest.raises(ValueError, match="expected a real tensor of samples"):
        fourier_transform(SO2(), [1.0, 2.0])
    with pytest.raises(ValueError, match="elements of the infinite group O2"):
        inverse_fourier_transform(O2(), {"ψ_{0,0}": torch.ones(1, 1)})
    with pytest.raises(ValueError, match=r"f̂\(ψ_1\) expects shape \(\.\.\., 2, 2\), got \(1, 1\)"):
        inverse_fourier_transform(CyclicGroup(4), {"ψ_1": torch.ones(1, 1)})
    with pytest.raises(ValueError, match=r"C4 has irreps of frequency 0\.\.2, got 3"):
        inverse_fourier_transform(CyclicGroup(4), {"ψ_3": torch.ones(2, 2)})
    with pytest.raises(ValueError, match="expected irreps of C4, got ψ_1 of C8"):
        inverse_fourier_transform(CyclicGroup(4), {irrep(CyclicGroup(8), 1): torch.ones(2, 2)})
    with pytest.raises(ValueError, match="regular_decomposition expects a finite group, got SO2"):
        regular_decomposition(SO2())
    with pytest.raises(ValueError, match="expected an element on the C8 grid"):
        shift_theorem_error(SO2(), torch.zeros(8), 0.1)
