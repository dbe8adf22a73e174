r"""Splitting a representation into irreps: $Q ρ(g) Q⁻¹ = σ_1(g) ⊕ … ⊕ σ_r(g)$ with $Q$ orthogonal.

For each irrep $σ$ the intertwiners $Φ: σ → ρ$ ($ρ(g) Φ = Φ σ(g)$) are the
fixed points of $X ↦ ρ(g) X σ(g)ᵀ$, i.e. the range of the projector

    Π_σ = E_g[ρ(g) ⊗ σ(g)]     (acting on ``vec X``, row-major).

The average is over all of a finite group, and for SO(2)/O(2) over
``elements_grid(2L + 1)``: exact (Haar) when the matrix entries of $ρ$ and $σ$
have frequency $≤ L$ (higher ones alias on the grid; two off-grid probes catch that).
An intertwiner $X$ of an orthogonal $ρ$ has $XᵀX ∈ End_G(σ)$ symmetric, so
$XᵀX = (\|X\|²/d) I$.  Gram–Schmidt against $Φ B$ for the earlier copies $Φ$ and the commutant basis $B$ of $σ$ ($I$, and
$R(π/2)$ for complex-type irreps, whose copies come in pairs $Φ, Φ R(π/2)$)
leaves one isometry $Φ$ ($ΦᵀΦ = I$) per copy; the rows of $Q$ are the $Φᵀ$.
"""

from __future__ import annotations

import math

import torch

from gcnn.groups.compact import CompactGroup
from gcnn.representations.base import Representation
from gcnn.representations.irreps import Irrep, irreps

__all__ = ["decompose"]

_NEW_COPY = 1e-6  # an intertwiner left with less Frobenius norm than this is a known copy
_OFF_GRID = 1e-8  # a decomposition off by more than this away from the grid was aliased


def decompose(rep: Representation, max_frequency: int | None = None) -> tuple[torch.Tensor, list[Irrep]]:
    """$(Q, [σ_1, …, σ_r])$ with $Q ρ(g) Q⁻¹ = σ_1(g) ⊕ … ⊕ σ_r(g)$, $Q$ orthogonal.

    ``rep`` must be orthogonal ($ρ(g)ᵀ = ρ(g)⁻¹$).  The irreps are listed once per copy,
    ordered as ``irreps(group)``; for SO(2)/O(2) pass ``max_frequency`` $L$, a bound on the
    frequencies of ``rep``'s matrix entries.
    """
    if not isinstance(rep, Representation):
        raise ValueError(f"decompose expects a Representation, got {rep!r}")
    group = rep.group
    candidates = irreps(group, max_frequency)
    if isinstance(group, CompactGroup):
        elements = group.elements_grid(2 * max_frequency + 1)
    else:
        elements = list(group.elements())
    R = rep.matrices(elements)
    rows, found = [], []
    for sigma in candidates:
        copies = _isometric_intertwiners(R, sigma, sigma.matrices(elements))
        rows += [phi.T for phi in copies]
        found += [sigma] * len(copies)
    Q = torch.cat(rows) if rows else torch.zeros(0, rep.dim, dtype=torch.float64)
    if Q.shape[0] != rep.dim:
        raise ValueError(
            f"expected {rep.name} (dim {rep.dim}) to be an orthogonal sum of irreps among "
            f"{[s.name for s in candidates]}, got only dim {Q.shape[0]}: {[s.name for s in found]}"
        )
    if isinstance(group, CompactGroup):
        _check_off_grid(rep, Q, found, max_frequency)
    return Q, found


def _check_off_grid(rep: Representation, Q: torch.Tensor, found: list[Irrep], band: int) -> None:
    """Frequencies above the band alias on the grid; away from it they show (probes fixed by a seed)."""
    for g in rep.group.sample(2, torch.Generator().manual_seed(0)):
        blocks = torch.block_diag(*(s.matrix(g) for s in found))
        if (Q @ rep.matrix(g) @ Q.T - blocks).abs().max() > _OFF_GRID:
            raise ValueError(f"expected {rep.name} to have matrix entries of frequency <= max_frequency={band}, "
                             f"got a decomposition that only holds on the grid (aliasing)")


def _isometric_intertwiners(R: torch.Tensor, sigma: Irrep, S: torch.Tensor) -> list[torch.Tensor]:
    """Isometries $Φ$ (``D × d``) with $ρ(g) Φ = Φ σ(g)$ and mutually orthogonal ranges, one per copy."""
    D, d = R.shape[1], S.shape[1]
    projector = torch.einsum("gab,gcd->acbd", R, S).reshape(D * d, D * d) / R.shape[0]
    values, vectors = torch.linalg.eigh((projector + projector.T) / 2)  # Π = Πᵀ up to rounding: g⁻¹ ↔ g
    copies: list[torch.Tensor] = []
    for v in vectors[:, values > 0.5].T:
        X = v.reshape(D, d)
        for phi in copies:
            for B in sigma.commutant():
                X = X - (phi @ B) * torch.sum(phi @ B * X) / d
        norm = torch.linalg.matrix_norm(X)
        if norm > _NEW_COPY:
            copies.append(X * math.sqrt(d) / norm)
    return copies
