"""Resampling a pixel grid under a planar map, with precomputed bilinear taps.

For an output pixel at plane point $p$ the resampled image reads the input at
``M p`` by bilinear interpolation, zero outside the grid:

    out(p) = Σ_{t=1..4} w_t(p) · in(i_t(p)),

where $i_t(p)$ are the four pixels around ``M p`` and $w_t(p)$ their
bilinear weights.  The table ``(i, w)`` is computed once in float64 and applied
with a gather; the same taps resample images and convolution kernels.

Plane coordinates of pixel ``(row, col)`` on an ``H × W`` grid are
$x = col − (W−1)/2$ (right) and $y = (H−1)/2 − row$ (up).
"""

from __future__ import annotations

from typing import NamedTuple

import torch

__all__ = ["Taps", "bilinear_taps", "apply_taps"]


class Taps(NamedTuple):
    """Per output pixel: source indices into the flattened input and their weights.

    ``index`` is an int64 tensor ``(4, H_out, W_out)`` of indices into ``H_in·W_in``;
    ``weight`` is a float64 tensor of the same shape.  Taps that fall outside the
    input have weight 0 (and index 0).
    """

    index: torch.Tensor
    weight: torch.Tensor


def bilinear_taps(height: int, width: int, matrix: torch.Tensor) -> Taps:
    """Taps of $out(p) = in(M p)$ on an ``height × width`` grid, $M$ a 2×2 matrix on $(x, y)$."""
    if matrix.shape != (2, 2):
        raise ValueError(f"bilinear_taps expects a 2×2 matrix, got shape {tuple(matrix.shape)}")
    m = matrix.to(torch.float64)
    row, col = torch.meshgrid(
        torch.arange(height, dtype=torch.float64),
        torch.arange(width, dtype=torch.float64),
        indexing="ij",
    )
    cx, cy = (width - 1) / 2, (height - 1) / 2
    x, y = col - cx, cy - row
    source_col = m[0, 0] * x + m[0, 1] * y + cx
    source_row = cy - (m[1, 0] * x + m[1, 1] * y)
    r0, c0 = source_row.floor(), source_col.floor()
    fr, fc = source_row - r0, source_col - c0
    corners = [(r0, c0, (1 - fr) * (1 - fc)), (r0, c0 + 1, (1 - fr) * fc),
               (r0 + 1, c0, fr * (1 - fc)), (r0 + 1, c0 + 1, fr * fc)]
    index, weight = [], []
    for r, c, w in corners:
        inside = (r >= 0) & (r < height) & (c >= 0) & (c < width)
        index.append(torch.where(inside, r * width + c, 0).long())
        weight.append(torch.where(inside, w, 0.0))
    return Taps(torch.stack(index), torch.stack(weight))


def apply_taps(x: torch.Tensor, taps: Taps) -> torch.Tensor:
    """$out(p) = Σ_t w_t(p) · x(i_t(p))$ over the last two dims of ``x``.

    The products are added in a fixed order, so equal taps give bitwise equal
    results wherever they are applied.
    """
    index = taps.index.to(x.device)
    weight = taps.weight.to(x.device, x.dtype)
    gathered = x.flatten(-2).index_select(-1, index.flatten()).unflatten(-1, index.shape)
    out = gathered[..., 0, :, :] * weight[0]
    for t in range(1, index.shape[0]):
        out = out + gathered[..., t, :, :] * weight[t]
    return out
