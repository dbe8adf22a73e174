"""The steerable convolution: a learned combination of steerable kernels, applied with one ``F.conv2d``.

    k = Σ_b w_b k_b,    k_b(g x) = ρ_out(g) k_b(x) ρ_in(g)⁻¹,

so ``f ↦ k ⋆ f`` maps fields of ``in_type`` to fields of ``out_type`` equivariantly,
``k ⋆ (g · f) = g · (k ⋆ f)``: exactly for grid symmetries (multiples of 90° and the
mirror), up to interpolation otherwise.  The weights of each pair of field types are
expanded by one einsum, ``(F_out, F_in, B) × (B, s_out, s_in, k, k)``, so a layer whose
fields all share one type (e.g. all regular) builds its filter with a single einsum.
The bias lives on the invariant (trivial-irrep) part of each output field.

In ``eval()`` mode, when autograd does not track the weights, the expanded filter and
bias are cached as in ``gcnn.nn.expanded`` (rebuilt when a parameter changes).
"""

from __future__ import annotations

import math
from typing import Sequence

import torch
import torch.nn.functional as F
from torch import nn

from gcnn.nn.expanded import ExpandedConv2d
from gcnn.steerable.basis import field_kernel_basis
from gcnn.steerable.field_type import FieldType, is_trivial
from gcnn.validation import check_ints

__all__ = ["SteerableConv2d"]


class SteerableConv2d(nn.Module):
    """``SteerableConv2d(in_type, out_type, kernel_size, padding=0, bias=True, radii=None, sigma=0.6,
    bandwidth=0.35)``: ``(B, in_type.size, H, W) → (B, out_type.size, H', W')`` with the filter
    ``k = Σ_b w_b k_b`` in the steerable basis (``field_kernel_basis``) and ``k(gx) = ρ_out(g) k(x) ρ_in(g)⁻¹``.

    ``weight`` holds all basis coefficients (one flat vector); ``bias`` one value per trivial
    irrep of each output field (``None`` when there are none or ``bias=False``).
    """

    _filter_and_bias = ExpandedConv2d._filter_and_bias  # the eval-mode cache of the regular layers

    def __init__(
        self,
        in_type: FieldType,
        out_type: FieldType,
        kernel_size: int,
        padding: int = 0,
        bias: bool = True,
        radii: Sequence[float] | None = None,
        sigma: float = 0.6,
        bandwidth: float = 0.35,
    ) -> None:
        super().__init__()
        for name, value in (("in_type", in_type), ("out_type", out_type)):
            if not isinstance(value, FieldType):
                raise ValueError(f"SteerableConv2d expects {name} to be a FieldType, got {value!r}")
        if in_type.group != out_type.group:
            raise ValueError(f"SteerableConv2d expects in_type and out_type of one group, "
                             f"got in_type of {in_type.group} and out_type of {out_type.group}")
        check_ints(kernel_size=kernel_size)
        check_ints(minimum=0, padding=padding)
        self.in_type, self.out_type = in_type, out_type
        self.kernel_size, self.padding = kernel_size, padding
        out_groups, in_groups = _by_type(out_type), _by_type(in_type)
        cache: dict = {}
        self._blocks: list[tuple[int, ...]] = []  # (offset, F_out, F_in, B, out type i, in type j)
        offset = 0
        for i, (out_key, out_fields) in enumerate(out_groups):
            for j, (in_key, in_fields) in enumerate(in_groups):
                basis = field_kernel_basis(out_type, out_fields[0], in_type, in_fields[0], kernel_size,
                                           radii, sigma, bandwidth, cache)
                self.register_buffer(f"basis_{i}_{j}", basis, persistent=False)
                self._blocks.append((offset, len(out_fields), len(in_fields), basis.shape[0], i, j))
                offset += len(out_fields) * len(in_fields) * basis.shape[0]
        self._out_groups, self._in_groups = out_groups, in_groups
        self.register_buffer("out_order", _order(out_type, out_groups), persistent=False)
        self.register_buffer("in_order", _order(in_type, in_groups), persistent=False)
        self.weight = nn.Parameter(torch.empty(offset))
        invariant = _invariant_directions(out_type)
        self.register_buffer("bias_expansion", invariant, persistent=False)
        self.bias = nn.Parameter(torch.empty(invariant.shape[1])) if bias and invariant.shape[1] else None
        self._cache: tuple | None = None
        self.reset_parameters()

    def reset_parameters(self) -> None:
        """Gaussian weights with ``E‖k‖² ≈ 2 · size_out`` per output channel row (He), zero bias."""
        with torch.no_grad():
            for offset, n_out, n_in, B, i, j in self._blocks:
                basis = getattr(self, f"basis_{i}_{j}")
                s_out, s_in = basis.shape[1:3]
                std = math.sqrt(2 * s_out * s_in / (self.in_type.size * max(B, 1)))
                self.weight[offset:offset + n_out * n_in * B].normal_(0, std)
            if self.bias is not None:
                self.bias.zero_()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        self.in_type.check_input(x, "SteerableConv2d (in_type)")
        smallest = self.kernel_size - 2 * self.padding
        if min(x.shape[-2:]) < smallest:
            raise ValueError(f"expected H and W >= {smallest} (kernel_size − 2·padding), got {tuple(x.shape)}")
        weight, bias = self._filter_and_bias()
        return F.conv2d(x, weight, bias, padding=self.padding)

    def train(self, mode: bool = True) -> SteerableConv2d:
        self._cache = None
        return super().train(mode)

    def expand_filter(self) -> torch.Tensor:
        """``k = Σ_b w_b k_b`` as a ``(C_out, C_in, k, k)`` conv2d weight."""
        return self._expand()[0]

    def _expand(self) -> tuple[torch.Tensor, torch.Tensor | None]:
        k = self.kernel_size
        rows = []
        for i in range(len(self._out_groups)):
            blocks = []
            for offset, n_out, n_in, B, bi, bj in self._blocks:
                if bi != i:
                    continue
                basis = getattr(self, f"basis_{bi}_{bj}").to(self.weight.dtype)
                w = self.weight[offset:offset + n_out * n_in * B].view(n_out, n_in, B)
                block = torch.einsum("uvb,bpqkl->upvqkl", w, basis)
                blocks.append(block.reshape(n_out * basis.shape[1], n_in * basis.shape[2], k, k))
            rows.append(torch.cat(blocks, dim=1))
        weight = torch.cat(rows).index_select(0, self.out_order).index_select(1, self.in_order)
        bias = None if self.bias is None else self.bias_expansion.to(self.bias.dtype) @ self.bias
        return weight, bias

    def extra_repr(self) -> str:
        return (f"{self.in_type}, {self.out_type}, kernel_size={self.kernel_size}, padding={self.padding}, "
                f"bias={self.bias is not None}, basis_size={self.weight.numel()}")


def _by_type(field_type: FieldType) -> list[tuple[tuple, list[int]]]:
    """Fields grouped by ``field_key``, in order of first appearance."""
    groups: dict[tuple, list[int]] = {}
    for field in range(len(field_type)):
        groups.setdefault(field_type.field_key(field), []).append(field)
    return list(groups.items())


def _order(field_type: FieldType, groups: list[tuple[tuple, list[int]]]) -> torch.Tensor:
    """``order[c]``: the row of channel ``c`` in the filter built type by type."""
    grouped = [c for _, fields in groups for field in fields for c in field_type.channels(field)]
    order = torch.empty(len(grouped), dtype=torch.long)
    order[torch.tensor(grouped)] = torch.arange(len(grouped))
    return order


def _invariant_directions(field_type: FieldType) -> torch.Tensor:
    """``(C, T)`` float64: column ``t`` is ``Q_iᵀ e_t`` for the ``t``-th trivial irrep of a field,
    a direction that every ``ρ_i(g)`` fixes."""
    columns = []
    for field in range(len(field_type)):
        Q, start = field_type.change_of_basis(field), field_type.channels(field).start
        row = 0
        for psi in field_type.irreps(field):
            if is_trivial(psi):
                column = torch.zeros(field_type.size, dtype=torch.float64)
                column[start:start + Q.shape[1]] = Q[row]
                columns.append(column)
            row += psi.dim
    if not columns:
        return torch.zeros(field_type.size, 0, dtype=torch.float64)
    return torch.stack(columns, dim=1)
