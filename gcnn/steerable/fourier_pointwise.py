"""Pointwise nonlinearities on band-limited functions on the group, through the Fourier transform.

A field of ``fourier_field_type(group, L)`` holds Fourier coefficients: copy $b$ of
irrep $ψ$ (frequency $≤ L$) is column $b$ of $f̂(ψ)$.  Its samples on a grid of
group elements $g_1, …, g_n$ are $s = A v$,

    s(g) = Σ_ψ m_ψ Σ_{a, b} ψ(g)_{ab} f̂(ψ)_{ab}      (``inverse_fourier_transform``),

and since ``(L_u f)^(ψ) = ψ(u) f̂(ψ)`` (shift theorem), $A ρ(u) = P_u A$ with $P_u$ the
permutation $s ↦ s(u⁻¹ ·)$ for $u$ in the grid.  The layer computes

    v ↦ A⁺ σ(A v)      ($A⁺$ the pseudo-inverse, a projection back onto the band),

equivariant exactly for grid elements ($P_u$ commutes with a pointwise $σ$, and
$A⁺ P_u = ρ(u) A⁺$ as the grid is a group).  For $C_n$/$D_n$ the grid is the whole
group and the field is the regular representation in Fourier form.
"""

from __future__ import annotations

from typing import Callable

import torch
import torch.nn.functional as F
from torch import nn

from gcnn.fourier.transform import inverse_fourier_transform
from gcnn.groups.compact import CompactGroup
from gcnn.representations.base import Group
from gcnn.representations.irreps import irreps
from gcnn.steerable.field_type import FieldType
from gcnn.validation import check_ints

__all__ = ["FourierPointwise", "fourier_field_type", "fourier_sampling_matrix"]


def fourier_field_type(group: Group, fields: int, max_frequency: int | None = None) -> FieldType:
    """``fields`` copies of $⊕_ψ ψ^{⊕ m_ψ}$ over the irreps of frequency ``≤ max_frequency``
    ($m_ψ = d_ψ / c_ψ$: the regular representation's multiplicities)."""
    check_ints(fields=fields)
    one = [psi for psi in irreps(group, max_frequency) for _ in range(psi.regular_multiplicity)]
    return FieldType(group, one * fields)


def fourier_sampling_matrix(group: Group, max_frequency: int | None, elements: list) -> torch.Tensor:
    """$A$ (float64, ``n × D``): column $(ψ, b, a)$ is $g ↦ m_ψ ψ(g)_{ab}$ on ``elements``,
    so that ``A v`` are the samples of $f$ with ``f̂(ψ)[:, b] = v_{ψ, b}``."""
    columns = []
    for psi in irreps(group, max_frequency):
        for b in range(psi.regular_multiplicity):
            unit = torch.zeros(psi.dim, psi.dim, psi.dim, dtype=torch.float64)
            unit[torch.arange(psi.dim), torch.arange(psi.dim), b] = 1.0  # unit[a] = E_{ab}
            columns.append(inverse_fourier_transform(group, {psi: unit}, elements).T)
    return torch.cat(columns, dim=1)


class FourierPointwise(nn.Module):
    """``FourierPointwise(group, fields, max_frequency=None, grid_size=None, activation=F.relu)``:
    $v ↦ A⁺ σ(A v)$ per field (module docstring).

    Samples sit on all of $C_n$/$D_n$, or on ``elements_grid(grid_size)`` of SO(2)/O(2)
    (``max_frequency`` required; ``grid_size`` default $4(L + 1)$, a multiple of 4 so that the
    90° rotations are exact, and at least $2L + 1$).
    """

    def __init__(self, group: Group, fields: int, max_frequency: int | None = None, grid_size: int | None = None,
                 activation: Callable[[torch.Tensor], torch.Tensor] = F.relu) -> None:
        super().__init__()
        self.field_type = fourier_field_type(group, fields, max_frequency)
        if isinstance(group, CompactGroup):
            grid_size = 4 * (max_frequency + 1) if grid_size is None else grid_size
            check_ints(grid_size=grid_size)
            if grid_size < 2 * max_frequency + 1:
                raise ValueError(f"grid_size expects at least 2·max_frequency + 1 = {2 * max_frequency + 1} "
                                 f"samples, got {grid_size}")
            elements = group.elements_grid(grid_size)
        elif grid_size is not None:
            raise ValueError(f"grid_size is only for SO2 and O2 (C_n/D_n are sampled on all elements), "
                             f"got grid_size={grid_size!r} for {group}")
        else:
            elements = list(group.elements())
        if not callable(activation):
            raise ValueError(f"FourierPointwise expects a callable activation, got {activation!r}")
        self.activation, self.fields = activation, fields
        A = fourier_sampling_matrix(group, max_frequency, elements)
        self.register_buffer("sampling", A, persistent=False)
        self.register_buffer("projection", torch.linalg.pinv(A), persistent=False)

    @property
    def in_type(self) -> FieldType:
        """``fourier_field_type(group, fields, max_frequency)``."""
        return self.field_type

    @property
    def out_type(self) -> FieldType:
        """Same as ``in_type``."""
        return self.field_type

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        self.field_type.check_input(x, "FourierPointwise")
        v = x.unflatten(1, (self.fields, -1))  # (B, fields, D, H, W)
        samples = torch.einsum("nd,bfdhw->bfnhw", self.sampling.to(x.dtype), v)
        out = torch.einsum("dn,bfnhw->bfdhw", self.projection.to(x.dtype), self.activation(samples))
        return out.flatten(1, 2)
