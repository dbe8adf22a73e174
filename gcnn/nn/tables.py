"""Index tables that expand one learned filter into the filters of every group element.

A lifting layer applies, for each $h ∈ G$, the kernel $k_h(p) = k(h⁻¹p)$; a
group convolution applies $K_h(h̃, p) = k(h⁻¹h̃, h⁻¹p)$, i.e. $L_h k$.  Each
element is split as ``h = (grid symmetry) ∘ R(ρ_h)`` (see ``FiniteGroup.grid_split``),
so the expanded filter bank is built in two steps:

1. resample the learned filter once for every distinct non-zero residual
   rotation $ρ$ (shared by all elements with that $ρ$): one matrix product
   with the bilinear taps of $R(ρ)$, laid out in float64 as a ``k² × k²``
   matrix per $ρ$;
2. one gather from ``[k, R(ρ₁)k, …]`` through an index table, shared by all
   channel pairs, that encodes the grid symmetry (rot90/flip) of every element
   *and* the permutation of the group axis.

Step 2 is a pure permutation, so grid symmetries act on the expanded filters
exactly; for groups made only of grid symmetries (C1, C2, C4, D1, D2, D4)
step 1 is skipped.  ``filter_table`` describes one filter; ``conv_weight_index``
spreads it over all channel pairs, so that step 2 is a single ``index_select``
that writes the ``F.conv2d`` weight layout directly (one int64 per entry of
the expanded filter bank: memory traded for one pass instead of two).
"""

from __future__ import annotations

from typing import NamedTuple

import torch

from gcnn.groups.finite import FiniteGroup
from gcnn.groups.images import grid_symmetry, residual_taps
from gcnn.groups.resampling import Taps

__all__ = ["FilterTable", "filter_table", "conv_weight_index"]


class FilterTable(NamedTuple):
    """``resampling``: float64 ``(k·k, (R−1)·k·k)``, the bilinear taps of the ``R−1`` non-zero
    residual rotations as matrices (``resampled = flat @ resampling``), or ``None``;
    ``index``: int64 ``(|G|, [|G|,] k, k)``: for output element $h$ (and input element
    $h̃$) and pixel $p$, where to read in the flattened ``([|G|,] R, k·k)`` stack of
    one learned filter and its resampled copies."""

    resampling: torch.Tensor | None
    index: torch.Tensor


def filter_table(group: FiniteGroup, kernel_size: int, group_axis: bool) -> FilterTable:
    """The table of $k_h(p) = k(h⁻¹p)$ (``group_axis=False``, lifting) or of
    $K_h(h̃, p) = k(h⁻¹h̃, h⁻¹p)$ (``group_axis=True``, group convolution)."""
    n, area = group.order, kernel_size**2
    splits = [group.grid_split(h) for h in group.elements()]
    residuals = sorted({split.residual for split in splits})  # 0 (the identity's) first
    slot = torch.tensor([residuals.index(split.residual) for split in splits])
    pixels = torch.arange(area).view(kernel_size, kernel_size)
    # pixel p of the filter for h reads pixel moved[h, p] of its resampled copy
    moved = torch.stack([grid_symmetry(pixels, s.quarter_turns, s.mirrored) for s in splits])
    index = slot.view(n, 1, 1) * area + moved  # (|G|, k, k)
    if group_axis:
        inverses = torch.tensor([group.inverse(h) for h in group.elements()])
        source = group.cayley_table[inverses]  # source[h, h̃] = h⁻¹h̃
        slice_size = len(residuals) * area
        index = source[:, :, None, None] * slice_size + index[:, None]  # (|G|, |G|, k, k)
    matrices = [_taps_matrix(residual_taps(kernel_size, kernel_size, r)) for r in residuals[1:]]
    return FilterTable(torch.cat(matrices, dim=1) if matrices else None, index)


def conv_weight_index(index: torch.Tensor, out_channels: int, in_channels: int, stack_size: int
                      ) -> torch.Tensor:
    """Flat index ``(C_out·|G|·C_in·[|G|·]k²)`` into the flattened ``(C_out, C_in, stack_size)``
    stacks, in the order of the ``(C_out, |G|, C_in, [|G|,] k, k)`` kernel stack."""
    per_filter = index.reshape(index.shape[0], 1, -1)  # (|G|, 1, [|G|·]k²)
    pairs = torch.arange(out_channels).view(-1, 1, 1, 1) * in_channels
    pairs = (pairs + torch.arange(in_channels).view(1, 1, -1, 1)) * stack_size
    return (pairs + per_filter).flatten()


def _taps_matrix(taps: Taps) -> torch.Tensor:
    """$M$ with ``out = flat @ M`` equal to applying ``taps``: ``M[i_t(p), p] += w_t(p)``."""
    area = taps.index[0].numel()
    matrix = torch.zeros(area, area, dtype=torch.float64)
    columns = torch.arange(area).repeat(taps.index.shape[0])
    matrix.index_put_((taps.index.flatten(), columns), taps.weight.flatten(), accumulate=True)
    return matrix
