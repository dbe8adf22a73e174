"""The Fourier transform on C_n, D_n, SO(2) and O(2), with real irreps.

    f̂(ψ) = E_g[f(g) ψ(g)] = (1/|G|) Σ_g f(g) ψ(g)                  (forward)
    f(g) = Σ_ψ m_ψ tr(f̂(ψ)ᵀ ψ(g)),   m_ψ = d_ψ / c_ψ                 (inverse)

$E_g$ is the normalised Haar average.  For SO(2)/O(2) a signal is given by its
samples on ``elements_grid(n)`` ($n$ rotations, then for O(2) the $n$ mirrored
ones), and the grid average equals the Haar integral whenever the integrand
$f ψ$ is a trigonometric polynomial of degree $< n$: exact for $f$ of band
limit $L$ when $2L < n$, which is why ``max_frequency ≤ (n − 1) // 2``.

Real irreps need the weight $m_ψ = d_ψ / c_ψ$ ($c_ψ = dim End_G(ψ)$): it is
$d_ψ$ for real-type irreps (all of $D_n$ and O(2)) as in the complex theory,
but 1 for the complex-type rotations $R(kθ)$ of $C_n$/SO(2), which stand for the
pair $e^{±ikθ}$.  Their $f̂$ commutes with $R(π/2)$; any other part of given
coefficients is ignored by the inverse.  Both Parseval's identity and the shift
theorem follow (see ``gcnn.fourier.checks``):

    E_g |f(g)|² = Σ_ψ m_ψ ‖f̂(ψ)‖²_F,      (L_u f)^(ψ) = ψ(u) f̂(ψ),   (L_u f)(g) = f(u⁻¹g).

Signals may carry leading batch dimensions: $f$ is ``(..., |grid|)`` and each
$f̂(ψ)$ is ``(..., d, d)``.
"""

from __future__ import annotations

from typing import Iterable, Mapping

import torch

from gcnn.groups.compact import CompactGroup
from gcnn.groups.o2 import O2
from gcnn.representations.base import Element, Group, check_group, group_elements
from gcnn.representations.irreps import Irrep, irrep_named, irreps
from gcnn.validation import is_int

__all__ = ["fourier_transform", "inverse_fourier_transform", "signal_elements", "band_limit", "as_signal"]


def signal_elements(group: Group, length: int) -> list[Element]:
    """The elements that the ``length`` samples of a signal sit on: all of a finite group
    (``length = |G|``), ``elements_grid(length)`` for SO(2), ``elements_grid(length // 2)`` for O(2)."""
    group = check_group(group, "a group signal")
    if isinstance(group, CompactGroup):
        if isinstance(group, O2) and length % 2:
            raise ValueError(f"an O2 signal on elements_grid(n) has 2n samples, got {length}")
        if length < 1:
            raise ValueError(f"a {group} signal needs at least one sample, got {length}")
        return group.elements_grid(length // 2 if isinstance(group, O2) else length)
    if length != group.order:
        raise ValueError(f"a signal on {group} has |G| = {group.order} samples, got {length}")
    return list(group.elements())


def band_limit(group: Group, length: int, max_frequency: int | None = None) -> int | None:
    """The frequencies a transform of ``length`` samples uses: ``max_frequency``, which for
    SO(2)/O(2) defaults to and must not exceed ``(n − 1) // 2`` ($n$ rotations on the grid)."""
    if max_frequency is not None and (not is_int(max_frequency) or max_frequency < 0):
        raise ValueError(f"max_frequency expects an int >= 0 or None, got {max_frequency!r}")
    if not isinstance(group, CompactGroup):
        return max_frequency
    n = length // 2 if isinstance(group, O2) else length
    resolved = (n - 1) // 2
    if max_frequency is not None and max_frequency > resolved:
        raise ValueError(f"{n} rotations on the grid resolve frequencies up to (n - 1) // 2 = {resolved}, "
                         f"got max_frequency={max_frequency}")
    return resolved if max_frequency is None else max_frequency


def as_signal(f: object) -> torch.Tensor:
    """``f`` as float64 samples ``(..., |grid|)``; ValueError for anything else."""
    if not isinstance(f, torch.Tensor) or f.dim() < 1 or f.is_complex():
        shape = tuple(f.shape) if isinstance(f, torch.Tensor) else type(f).__name__
        raise ValueError(f"expected a real tensor of samples (..., |grid|), got {shape}")
    return f.to(torch.float64)


def fourier_transform(group: Group, f: torch.Tensor, max_frequency: int | None = None) -> dict[str, torch.Tensor]:
    """``{ψ.name: f̂(ψ)}`` with $f̂(ψ) = (1/|G|) Σ_g f(g) ψ(g)$, for every irrep of frequency
    ``≤ max_frequency`` in the order of ``irreps(group)``.

    ``f`` holds samples ``(..., |grid|)`` on ``signal_elements(group, |grid|)``.
    """
    f = as_signal(f)
    elements = signal_elements(group, f.shape[-1])
    band = band_limit(group, f.shape[-1], max_frequency)
    return {
        psi.name: torch.einsum("...g,gab->...ab", f, psi.matrices(elements)) / len(elements)
        for psi in irreps(group, band)
    }


def inverse_fourier_transform(
    group: Group,
    coefficients: Mapping[str | Irrep, torch.Tensor],
    elements: Iterable[Element] | None = None,
) -> torch.Tensor:
    """$f(g) = Σ_ψ m_ψ tr(f̂(ψ)ᵀ ψ(g))$ at each of ``elements`` (default: all of a finite group;
    e.g. ``elements_grid(n)`` for SO(2)/O(2)), as ``(..., len(elements))``.

    ``coefficients`` maps irreps or their names to $f̂(ψ)$ of shape ``(..., d, d)``.
    """
    group = check_group(group, "inverse_fourier_transform")
    elements = group_elements(group, elements, "inverse_fourier_transform")
    if not coefficients:
        raise ValueError("inverse_fourier_transform expects at least one coefficient, got none")
    total = None
    for key, value in coefficients.items():
        psi = key if isinstance(key, Irrep) else irrep_named(group, key)
        if psi.group != group:
            raise ValueError(f"expected irreps of {group}, got {psi.name} of {psi.group}")
        if not isinstance(value, torch.Tensor) or value.shape[-2:] != (psi.dim, psi.dim):
            shape = tuple(value.shape) if isinstance(value, torch.Tensor) else type(value).__name__
            raise ValueError(f"f̂({psi.name}) expects shape (..., {psi.dim}, {psi.dim}), got {shape}")
        term = psi.regular_multiplicity * torch.einsum(
            "...ab,gab->...g", value.to(torch.float64), psi.matrices(elements))
        total = term if total is None else total + term
    return total
