r"""Fourier identities as numbers: each function returns the largest deviation (max-abs).

* inversion: $f = F⁻¹(F f)$ on the signal's own grid;
* Parseval: $E_g |f(g)|² = Σ_ψ m_ψ \|f̂(ψ)\|²_F$;
* shift theorem: ``(L_u f)^(ψ) = ψ(u) f̂(ψ)`` with $(L_u f)(g) = f(u⁻¹g)$.

For SO(2)/O(2) these are exact for signals of band limit ``≤ (n − 1) // 2``
sampled on ``elements_grid(n)``.
"""

from __future__ import annotations

import torch

from gcnn.fourier.transform import as_signal, fourier_transform, inverse_fourier_transform, signal_elements
from gcnn.groups.compact import CompactGroup
from gcnn.groups.o2 import O2
from gcnn.representations.base import Element, Group, check_element
from gcnn.representations.irreps import irrep_named

__all__ = ["inversion_error", "parseval_error", "shift_theorem_error", "shift_signal"]

_ON_GRID = 1e-9  # how close u's plane matrix must be to a grid element's


def inversion_error(group: Group, f: torch.Tensor, max_frequency: int | None = None) -> float:
    """$max |F⁻¹(F f) − f|$ on the elements that ``f`` is sampled on."""
    f = as_signal(f)
    back = inverse_fourier_transform(group, fourier_transform(group, f, max_frequency),
                                     signal_elements(group, f.shape[-1]))
    return (back - f).abs().max().item()


def parseval_error(group: Group, f: torch.Tensor) -> float:
    r"""$max |E_g |f(g)|² − Σ_ψ m_ψ \|f̂(ψ)\|²_F|$ over the batch of signals ``f``."""
    f = as_signal(f)
    energy = sum(irrep_named(group, name).regular_multiplicity * c.square().sum((-2, -1))
                 for name, c in fourier_transform(group, f).items())
    return (f.square().mean(-1) - energy).abs().max().item()


def shift_signal(group: Group, f: torch.Tensor, u: Element) -> torch.Tensor:
    """$(L_u f)(g) = f(u⁻¹g)$ on the elements ``f`` is sampled on: a permutation of the samples
    ($ρ_{reg}(u) f$).  For SO(2)/O(2), ``u`` must lie on the grid."""
    f = as_signal(f)
    elements = signal_elements(group, f.shape[-1])
    u = check_element(group, u)
    if isinstance(group, CompactGroup):
        finite = group.grid_group(len(elements) // 2 if isinstance(group, O2) else len(elements))
        target = group.matrix(u)
        on_grid = [k for k, g in enumerate(elements) if (group.matrix(g) - target).abs().max() < _ON_GRID]
        if not on_grid:
            raise ValueError(f"expected an element on the {finite.name} grid of the signal, got {u!r}; "
                             "pass shifted samples f(u⁻¹g) to shift_theorem_error instead")
        group, u = finite, on_grid[0]
    return f @ group.regular_representation(u).T


def shift_theorem_error(
    group: Group, f: torch.Tensor, u: Element, shifted: torch.Tensor | None = None
) -> float:
    """``max_ψ |(L_u f)^(ψ) − ψ(u) f̂(ψ)|``.  ``shifted`` are the samples of $L_u f$ on ``f``'s grid;
    by default ``shift_signal(group, f, u)``."""
    f = as_signal(f)
    shifted = shift_signal(group, f, u) if shifted is None else as_signal(shifted)
    if shifted.shape != f.shape:
        raise ValueError(f"expected shifted samples of shape {tuple(f.shape)}, got {tuple(shifted.shape)}")
    before, after = fourier_transform(group, f), fourier_transform(group, shifted)
    return max((after[name] - irrep_named(group, name).matrix(u) @ c).abs().max().item()
               for name, c in before.items())
