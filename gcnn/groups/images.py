"""Rotations and mirrors of images, exact on the pixel grid wherever possible.

An orthogonal map of the plane, $A = R(θ) F^m$ ($F$: the mirror $x → −x$,
applied first when $m = 1$), acts on an image by $[A · f](p) = f(A⁻¹p)$.
It is split as

    A = R(q · 90°) · F^m · R(ρ),    ρ ∈ [0°, 90°),

and carried out as a bilinear resampling by the residual rotation $R(ρ)$
(skipped when $ρ = 0$) followed by the exact grid symmetry ``rot90^q ∘ flip^m``.
Two maps that differ by a grid symmetry share $ρ$, so composing with a 90°
rotation or the mirror is exact:  ``rotate_image(rotate_image(x, a), π/2)``
equals ``rotate_image(x, a + π/2)`` bit for bit.

Angles are counter-clockwise on screen (``plt.imshow``, row 0 at the top).
"""

from __future__ import annotations

import math
from fractions import Fraction
from functools import lru_cache
from typing import NamedTuple

import torch

from gcnn.groups.resampling import Taps, apply_taps, bilinear_taps

__all__ = [
    "rotate_image",
    "flip_image",
    "GridSplit",
    "split_on_grid",
    "transform_image",
    "grid_symmetry",
    "residual_taps",
    "quarter_turns",
]

_GRID = 2**32  # angles are resolved to 1/2³² of a quarter turn
_SNAP = 1e-9  # residual rotations closer than this (radians) to 0° or 90° are dropped


class GridSplit(NamedTuple):
    """$A = R(q·90°) F^m R(ρ)$: the grid symmetry $(q, m)$ applied after the residual
    rotation by ``ρ = residual · 90°``, ``0 ≤ residual < 1``."""

    quarter_turns: int
    mirrored: bool
    residual: Fraction


def quarter_turns(angle: float) -> Fraction:
    """``angle`` (radians) as a multiple of 90°, rounded to $1/2³²$ and snapped to a
    whole number when within 1e-9 rad of one."""
    if isinstance(angle, bool) or not isinstance(angle, (int, float)) or not math.isfinite(angle):
        raise ValueError(f"expected a finite angle in radians, got {angle!r}")
    turns = Fraction(round(angle / (math.pi / 2) * _GRID), _GRID)
    nearest = round(turns)
    if abs(turns - nearest) * math.pi / 2 < _SNAP:
        return Fraction(nearest)
    return turns


def rotate_image(x: torch.Tensor, angle: float) -> torch.Tensor:
    """$[R_θ · f](p) = f(R_θ⁻¹ p)$: rotate the last two dims counter-clockwise by ``angle`` radians.

    Multiples of 90° use ``torch.rot90`` (exact, and $H$/$W$ swap for odd
    quarter turns); other angles first resample the residual rotation bilinearly
    about the image centre, zero outside.
    """
    return transform_image(x, split_on_grid(quarter_turns(angle), mirrored=False))


def flip_image(x: torch.Tensor) -> torch.Tensor:
    """$[F · f](x, y) = f(−x, y)$: mirror the last dim (left ↔ right)."""
    _check_image(x)
    return torch.flip(x, dims=[-1])


def split_on_grid(turns: Fraction, mirrored: bool) -> GridSplit:
    """Split ``A = R(turns · 90°) F^mirrored`` into $R(q·90°) F^m R(ρ)$ with $ρ ∈ [0°, 90°)$."""
    turns = Fraction(turns)
    residual = (-turns if mirrored else turns) % 1
    q = turns + residual if mirrored else turns - residual
    return GridSplit(int(q) % 4, bool(mirrored), residual)


def transform_image(x: torch.Tensor, split: GridSplit) -> torch.Tensor:
    """$[A · f](p) = f(A⁻¹p)$ for $A = R(q·90°) F^m R(ρ)$: resample, then ``flip``/``rot90``."""
    _check_image(x)
    if split.residual:
        x = apply_taps(x, residual_taps(x.shape[-2], x.shape[-1], split.residual))
    return grid_symmetry(x, split.quarter_turns, split.mirrored)


def grid_symmetry(x: torch.Tensor, quarter_turns: int, mirrored: bool) -> torch.Tensor:
    """``rot90^q ∘ flip^m`` on the last two dims: an exact permutation of pixels."""
    if mirrored:
        x = torch.flip(x, dims=[-1])
    return torch.rot90(x, quarter_turns, dims=(-2, -1)) if quarter_turns % 4 else x


@lru_cache(maxsize=256)
def residual_taps(height: int, width: int, residual: Fraction) -> Taps:
    """Bilinear taps of $R(ρ)$, ``ρ = residual · 90°``, on an ``height × width`` grid
    (computed once per grid and angle; treat as read-only)."""
    rho = float(residual) * math.pi / 2
    c, s = math.cos(rho), math.sin(rho)
    inverse = torch.tensor([[c, s], [-s, c]], dtype=torch.float64)  # R(−ρ)
    return bilinear_taps(height, width, inverse)


def _check_image(x: torch.Tensor) -> None:
    if not isinstance(x, torch.Tensor) or x.dim() < 2:
        shape = tuple(x.shape) if isinstance(x, torch.Tensor) else type(x).__name__
        raise ValueError(f"expected an image tensor (..., H, W), got {shape}")
