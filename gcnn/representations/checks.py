"""The identities of representation theory as numbers: each function returns the largest deviation.

* homomorphism $ρ(g h) = ρ(g) ρ(h)$;
* Schur orthogonality in real form, $E_g[ψ_i(g) ⊗ ψ_j(g)] = δ_{ij} (1/d_i) Σ_B vec(B) vec(B)ᵀ$
  ($B$ an orthonormal basis of $End_G(ψ_i)$: $I$, plus $R(π/2)$ for complex type);
  entrywise $E_g[ψ(g)_{ab} ψ(g)_{ce}] = (1/d) Σ_B B_{ac} B_{be}$;
* character orthogonality $E_g[χ_i(g) χ_j(g)] = δ_{ij} c_i$ ($c = dim End_G(ψ)$);
* a decomposition $Q ρ(g) Q⁻¹ = ⊕_i σ_i(g)$, and orthogonality $Q Qᵀ = I$.

$E_g$ is the average over a finite group or, for SO(2)/O(2), over
``elements_grid(2L + 1)`` with $L$ the largest frequency involved — the Haar
integral exactly.  Errors are max-abs entries, so ``≤ 1e-12`` means every entry.
"""

from __future__ import annotations

from typing import Iterable, Sequence

import torch

from gcnn.groups.compact import CompactGroup
from gcnn.representations.base import Element, Representation, group_elements
from gcnn.representations.irreps import Irrep

__all__ = [
    "homomorphism_error",
    "schur_orthogonality_error",
    "character_orthogonality_error",
    "decomposition_error",
    "orthogonality_error",
]


def homomorphism_error(rep: Representation, elements: Iterable[Element] | None = None) -> float:
    """$max_{g,h} |ρ(g h) − ρ(g) ρ(h)|$ over pairs of ``elements`` (default: all of a finite group)."""
    group = rep.group
    elements = group_elements(group, elements, "homomorphism_error")
    M = rep.matrices(elements)
    products = rep.matrices([group.product(g, h) for g in elements for h in elements])
    expected = torch.einsum("gab,hbc->ghac", M, M).reshape(products.shape)
    return (products - expected).abs().max().item()


def _averaging_elements(irreps: Sequence[Irrep], elements: Iterable[Element] | None) -> list[Element]:
    if not irreps or not all(isinstance(r, Irrep) for r in irreps):
        raise ValueError(f"expected a non-empty list of irreps, got {irreps!r}")
    group = irreps[0].group
    if any(r.group != group for r in irreps):
        raise ValueError(f"expected irreps of one group, got {sorted({str(r.group) for r in irreps})}")
    if elements is None and isinstance(group, CompactGroup):
        elements = group.elements_grid(2 * max(r.frequency for r in irreps) + 1)
    return group_elements(group, elements, "orthogonality check")


def schur_orthogonality_error(irreps: Sequence[Irrep], elements: Iterable[Element] | None = None) -> float:
    """$max |E_g[ψ_i(g) ⊗ ψ_j(g)] − δ_{ij} (1/d_i) Σ_B vec(B) vec(B)ᵀ|$ over all pairs ``i, j``."""
    elements = _averaging_elements(irreps, elements)
    stacks = [r.matrices(elements) for r in irreps]
    worst = 0.0
    for i, (a, A) in enumerate(zip(irreps, stacks)):
        for j, (b, B) in enumerate(zip(irreps, stacks)):
            mean = torch.einsum("gac,gbe->abce", A, B).reshape(a.dim**2, b.dim**2) / len(elements)
            if i == j:
                vecs = a.commutant().reshape(a.commutant_dim, -1)
                mean = mean - vecs.T @ vecs / a.dim
            worst = max(worst, mean.abs().max().item())
    return worst


def character_orthogonality_error(irreps: Sequence[Irrep], elements: Iterable[Element] | None = None) -> float:
    """$max |E_g[χ_i(g) χ_j(g)] − δ_{ij} c_i|$ over all pairs ``i, j``."""
    elements = _averaging_elements(irreps, elements)
    chi = torch.stack([r.matrices(elements).diagonal(dim1=1, dim2=2).sum(-1) for r in irreps])
    gram = chi @ chi.T / len(elements)
    expected = torch.diag(torch.tensor([float(r.commutant_dim) for r in irreps], dtype=torch.float64))
    return (gram - expected).abs().max().item()


def decomposition_error(
    rep: Representation, Q: torch.Tensor, irreps: Sequence[Representation],
    elements: Iterable[Element] | None = None,
) -> float:
    """$max_g |Q ρ(g) Q⁻¹ − ⊕_i σ_i(g)|$ (default: all elements of a finite group)."""
    elements = group_elements(rep.group, elements, "decomposition_error")
    if not isinstance(Q, torch.Tensor) or Q.shape != (rep.dim, rep.dim):
        shape = tuple(Q.shape) if isinstance(Q, torch.Tensor) else type(Q).__name__
        raise ValueError(f"decomposition_error expects a {rep.dim}×{rep.dim} tensor Q, got {shape}")
    Q = Q.to(torch.float64)
    transformed = Q @ rep.matrices(elements) @ torch.linalg.inv(Q)
    blocks = torch.stack([torch.block_diag(*(s.matrix(g) for s in irreps)) for g in elements])
    if blocks.shape != transformed.shape:
        raise ValueError(f"expected irreps of total dimension {rep.dim}, got {sum(s.dim for s in irreps)}")
    return (transformed - blocks).abs().max().item()


def orthogonality_error(Q: torch.Tensor) -> float:
    """$max |Q Qᵀ − I|$ for a square ``Q``."""
    if not isinstance(Q, torch.Tensor) or Q.dim() != 2 or Q.shape[0] != Q.shape[1]:
        shape = tuple(Q.shape) if isinstance(Q, torch.Tensor) else type(Q).__name__
        raise ValueError(f"orthogonality_error expects a square matrix, got {shape}")
    Q = Q.to(torch.float64)
    return (Q @ Q.T - torch.eye(Q.shape[0], dtype=torch.float64)).abs().max().item()
