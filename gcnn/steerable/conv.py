r"""The steerable convolution: a learned combination of steerable kernels, applied with one ``F.conv2d``.

    k = Σ_b w_b k_b,    k_b(g x) = ρ_out(g) k_b(x) ρ_in(g)⁻¹,

so $f ↦ k \star f$ maps fields of ``in_type`` to fields of ``out_type`` equivariantly,
$k \star (g · f) = g · (k \star f)$: exactly for grid symmetries (multiples of 90° and the
mirror), up to interpolation otherwise.  The weights of each pair of field types are
expanded by one matrix product, ``(F_out·F_in, B) @ (B, s_out·s_in·k·k)``, and one gather
with a table built at construction puts every entry at its place in the
``(C_out, C_in, k, k)`` filter.  The bias lives on the invariant (trivial-irrep) part of
each output field.

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
    $k = Σ_b w_b k_b$ in the steerable basis (``field_kernel_basis``) and $k(gx) = ρ_{out}(g) k(x) ρ_{in}(g)⁻¹$.

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
        self._blocks: list[tuple[int, int, int]] = []  # (offset in weight, F_out · F_in, B) per basis buffer
        offset, placed, positions = 0, 0, []
        for out_fields in _by_type(out_type):
            for in_fields in _by_type(in_type):
                basis = field_kernel_basis(out_type, out_fields[0], in_type, in_fields[0], kernel_size,
                                           radii, sigma, bandwidth)
                self.register_buffer(f"basis_{len(self._blocks)}", basis.flatten(1), persistent=False)
                pairs = len(out_fields) * len(in_fields)
                self._blocks.append((offset, pairs, basis.shape[0]))
                offset += pairs * basis.shape[0]
                positions.append(_block_positions(out_type, out_fields, in_type, in_fields, kernel_size, placed))
                placed += pairs * basis.shape[1:].numel()
        index = torch.empty(out_type.size, in_type.size, kernel_size**2, dtype=torch.long)
        for channels_out, channels_in, where in positions:
            index[channels_out[:, None], channels_in[None, :]] = where
        self.register_buffer("filter_index", index.flatten(), persistent=False)
        self.weight = nn.Parameter(torch.empty(offset))
        invariant = _invariant_directions(out_type)
        self.register_buffer("bias_expansion", invariant, persistent=False)
        self.bias = nn.Parameter(torch.empty(invariant.shape[1])) if bias and invariant.shape[1] else None
        self._cache: tuple | None = None
        self._casts: dict[tuple, torch.Tensor] = {}
        self.reset_parameters()

    def reset_parameters(self) -> None:
        """Gaussian weights with ``E‖k‖² ≈ 2 · size_out`` per output channel row (He), zero bias."""
        with torch.no_grad():
            for b, (offset, pairs, B) in enumerate(self._blocks):
                entries_per_pair = getattr(self, f"basis_{b}").shape[1] / self.kernel_size**2  # s_out · s_in
                std = math.sqrt(2 * entries_per_pair / (self.in_type.size * max(B, 1)))
                self.weight[offset:offset + pairs * B].normal_(0, std)
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
        """$k = Σ_b w_b k_b$ as a ``(C_out, C_in, k, k)`` conv2d weight."""
        return self._expand()[0]

    def _expand(self) -> tuple[torch.Tensor, torch.Tensor | None]:
        blocks = []
        for b, (offset, pairs, B) in enumerate(self._blocks):
            w = self.weight[offset:offset + pairs * B].view(pairs, B)
            blocks.append((w @ self._basis(b)).flatten())
        flat = blocks[0] if len(blocks) == 1 else torch.cat(blocks)
        k = self.kernel_size
        weight = flat.index_select(0, self.filter_index).view(self.out_type.size, self.in_type.size, k, k)
        bias = None if self.bias is None else self.bias_expansion.to(self.bias.dtype) @ self.bias
        return weight, bias

    def _basis(self, b: int) -> torch.Tensor:
        """Basis buffer ``b`` in the weight's dtype; the cast of the float64 buffer is kept."""
        basis = getattr(self, f"basis_{b}")
        if basis.dtype == self.weight.dtype:
            return basis
        key = (b, self.weight.dtype, basis.device, basis.data_ptr())
        if key not in self._casts:
            self._casts = {k: v for k, v in self._casts.items() if k[0] != b} | {key: basis.to(self.weight.dtype)}
        return self._casts[key]

    def extra_repr(self) -> str:
        return (f"{self.in_type}, {self.out_type}, kernel_size={self.kernel_size}, padding={self.padding}, "
                f"bias={self.bias is not None}, basis_size={self.weight.numel()}")


def _by_type(field_type: FieldType) -> list[list[int]]:
    """Fields grouped by ``field_key``, in order of first appearance."""
    groups: dict[tuple, list[int]] = {}
    for field in range(len(field_type)):
        groups.setdefault(field_type.field_key(field), []).append(field)
    return list(groups.values())


def _block_positions(
    out_type: FieldType, out_fields: list[int], in_type: FieldType, in_fields: list[int], kernel_size: int, start: int,
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """Where the block ``(F_out·F_in, s_out·s_in·k·k)``, flattened from ``start``, lands: its output
    channels, input channels and, for each pair of them, the ``k·k`` flat positions of its entries."""
    channels_out = torch.tensor([c for f in out_fields for c in out_type.channels(f)])
    channels_in = torch.tensor([c for f in in_fields for c in in_type.channels(f)])
    s_out, s_in, kk = out_type.reps[out_fields[0]].dim, in_type.reps[in_fields[0]].dim, kernel_size**2
    # layout of the block: (u, v, p, q, kl) for field u, v and component p, q; channels run over (u, p) and (v, q)
    u, p = torch.arange(len(out_fields)).repeat_interleave(s_out), torch.arange(s_out).repeat(len(out_fields))
    v, q = torch.arange(len(in_fields)).repeat_interleave(s_in), torch.arange(s_in).repeat(len(in_fields))
    pair = (u[:, None] * len(in_fields) + v[None, :]) * s_out * s_in + p[:, None] * s_in + q[None, :]
    return channels_out, channels_in, start + pair[..., None] * kk + torch.arange(kk)


def _invariant_directions(field_type: FieldType) -> torch.Tensor:
    """``(C, T)`` float64: column $t$ is $Q_iᵀ e_t$ for the $t$-th trivial irrep of a field,
    a direction that every $ρ_i(g)$ fixes."""
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
