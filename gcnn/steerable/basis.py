"""Steerable kernel bases between feature fields, and the constraint they solve.

For fields $ρ_{in}$, $ρ_{out}$ split as $Q ρ(g) Qᵀ = ⊕_j ψ_j(g)$ (``FieldType``), every
solution of

    k(g x) = ρ_out(g) k(x) ρ_in(g)⁻¹

is $k = Q_{out}ᵀ K Q_{in}$ where block $(i, j)$ of $K$ solves the constraint for the irreps
``(ψ_out,i, ψ_in,j)`` (``irrep_kernel_basis``): one basis element per block and per
irrep-pair element, embedded in zeros elsewhere and carried back with the $Q$.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Sequence

import torch

from gcnn.representations.base import Element, Representation, group_elements
from gcnn.steerable.field_type import FieldType, act_on_image
from gcnn.representations.irreps import Irrep
from gcnn.steerable.harmonics import irrep_kernel_basis

__all__ = ["field_kernel_basis", "constraint_error"]


def field_kernel_basis(
    out_type: FieldType,
    out_field: int,
    in_type: FieldType,
    in_field: int,
    kernel_size: int,
    radii: Sequence[float] | None = None,
    sigma: float = 0.6,
    bandwidth: float = 0.35,
) -> torch.Tensor:
    """``(B, dim ρ_out, dim ρ_in, k, k)`` float64: $Q_{out}ᵀ E_{ij}(κ) Q_{in}$ for each irrep pair
    $(i, j)$ of the two fields and each element $κ$ of its ``irrep_kernel_basis``.

    Irrep-pair bases are kept for the process (``_irrep_pair_basis``): layers of one network share them.
    """
    if out_type.group != in_type.group:
        raise ValueError(f"expected field types of one group, got in_type of {in_type.group} "
                         f"and out_type of {out_type.group}")
    Q_out, Q_in = out_type.change_of_basis(out_field), in_type.change_of_basis(in_field)
    d_out, d_in = Q_out.shape[0], Q_in.shape[0]
    elements = []
    row = 0
    for psi_out in out_type.irreps(out_field):
        col = 0
        for psi_in in in_type.irreps(in_field):
            radii_key = None if radii is None else tuple(float(R) for R in radii)
            block = _irrep_pair_basis(psi_out, psi_in, kernel_size, radii_key, float(sigma), float(bandwidth))
            full = torch.zeros(block.shape[0], d_out, d_in, kernel_size, kernel_size, dtype=torch.float64)
            full[:, row:row + psi_out.dim, col:col + psi_in.dim] = block
            elements.append(full)
            col += psi_in.dim
        row += psi_out.dim
    stacked = torch.cat(elements)
    return torch.einsum("po,boikl,iq->bpqkl", Q_out.T, stacked, Q_in)


@lru_cache(maxsize=4096)
def _irrep_pair_basis(psi_out: Irrep, psi_in: Irrep, kernel_size: int, radii: tuple[float, ...] | None,
                      sigma: float, bandwidth: float) -> torch.Tensor:
    """``irrep_kernel_basis``, computed once per process for each set of arguments (read-only)."""
    return irrep_kernel_basis(psi_out, psi_in, kernel_size, radii, sigma, bandwidth)


def constraint_error(
    basis: torch.Tensor, rho_out: Representation, rho_in: Representation,
    elements: Sequence[Element] | None = None,
) -> float:
    """$max_{g, b} |k_b − ρ_{out}(g) [g · k_b] ρ_{in}(g)ᵀ|$ with $[g · k](x) = k(g⁻¹x)$ on the pixel grid:
    $k(gx) = ρ_{out}(g) k(x) ρ_{in}(g)⁻¹$ where $g$ maps the grid to itself (exact elements);
    ``basis`` is ``(B, d_out, d_in, k, k)``, default elements: all of a finite group."""
    if rho_out.group != rho_in.group:
        raise ValueError(f"expected representations of one group, got {rho_out.group} and {rho_in.group}")
    if basis.dim() != 5 or basis.shape[1:3] != (rho_out.dim, rho_in.dim):
        raise ValueError(f"expected a basis (B, {rho_out.dim}, {rho_in.dim}, k, k), got {tuple(basis.shape)}")
    worst = 0.0
    for g in group_elements(rho_out.group, elements, "constraint_error"):
        moved = act_on_image(rho_out.group, g, basis)
        steered = torch.einsum("po,boikl,qi->bpqkl", rho_out.matrix(g), moved, rho_in.matrix(g))
        worst = max(worst, (steered - basis).abs().max().item() if basis.numel() else 0.0)
    return worst

