"""Finite rotation groups and how they act on images and group signals.

Conventions used throughout ``gcnn``:

* An image is a tensor ``(..., H, W)`` shown with ``plt.imshow``: row 0 is at
  the top, column 0 at the left.  Plane coordinates are ``x`` to the right and
  ``y`` up, measured from the image centre.
* Element ``g`` of ``CyclicGroup(n)`` is the rotation by ``2πg/n``
  counter-clockwise as seen on screen, so ``matrix(g)`` and ``act_on_image``
  describe the same motion.
* A group signal is a tensor ``(..., |G|, H, W)``; index ``h`` along the group
  axis holds the feature for element ``h``.  Acting with ``g`` rotates every
  slice and moves slice ``h`` to index ``g·h``: ``[L_g F](h, x) = F(g⁻¹h, g⁻¹x)``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import torch

__all__ = ["CyclicGroup"]


@dataclass(frozen=True)
class CyclicGroup:
    """The cyclic group ``C_n = {0, …, n-1}`` with ``a · b = (a + b) mod n``.

    Element ``g`` is the counter-clockwise rotation by ``θ_g = 2πg/n``.
    """

    n: int

    def __post_init__(self) -> None:
        if not _is_int(self.n) or self.n < 1:
            raise ValueError(f"CyclicGroup expects an int n >= 1, got {self.n!r}")

    @property
    def order(self) -> int:
        """``|G| = n``."""
        return self.n

    @property
    def identity(self) -> int:
        """``e = 0``, the rotation by zero."""
        return 0

    def elements(self) -> range:
        """All elements ``0, 1, …, n-1`` in group-axis order."""
        return range(self.n)

    def product(self, a: int, b: int) -> int:
        """``a · b = (a + b) mod n``: rotate by ``b``, then by ``a``."""
        return (self._check(a) + self._check(b)) % self.n

    def inverse(self, g: int) -> int:
        """``g⁻¹ = (-g) mod n``, so that ``g · g⁻¹ = e``."""
        return -self._check(g) % self.n

    def angle(self, g: int) -> float:
        """``θ_g = 2πg/n`` in radians, counter-clockwise."""
        return 2 * math.pi * self._check(g) / self.n

    def matrix(self, g: int) -> torch.Tensor:
        """``R(g) = [[cos θ_g, -sin θ_g], [sin θ_g, cos θ_g]]`` on ``(x, y)``, float64."""
        theta = self.angle(g)
        c, s = math.cos(theta), math.sin(theta)
        return torch.tensor([[c, -s], [s, c]], dtype=torch.float64)

    def regular_representation(self, g: int) -> torch.Tensor:
        """Permutation matrix ``P`` with ``(P f)(h) = [ρ_reg(g) f](h) = f(g⁻¹h)``, float64.

        ``P[h, k] = 1`` exactly when ``h = g · k``.
        """
        rows = [self.product(g, k) for k in self.elements()]
        P = torch.zeros(self.n, self.n, dtype=torch.float64)
        P[rows, list(self.elements())] = 1.0
        return P

    def act_on_image(self, g: int, x: torch.Tensor) -> torch.Tensor:
        """``[g · f](x) = f(g⁻¹x)``: rotate the last two dims by ``θ_g`` about the centre.

        Exact via ``torch.rot90``; only multiples of 90° are allowed.
        """
        quarter_turns = self._quarter_turns(g)
        if x.dim() < 2:
            raise ValueError(
                f"act_on_image expects a tensor (..., H, W), got shape {tuple(x.shape)}"
            )
        return torch.rot90(x, quarter_turns, dims=(-2, -1))

    def act_on_group_signal(self, g: int, x: torch.Tensor) -> torch.Tensor:
        """``[L_g F](h, x) = F(g⁻¹h, g⁻¹x)`` for ``F`` shaped ``(..., |G|, H, W)``.

        Rotates each slice and rolls the group axis forward by ``g``.
        """
        if x.dim() < 3 or x.shape[-3] != self.n:
            raise ValueError(
                f"act_on_group_signal expects a tensor (..., |G|={self.n}, H, W), "
                f"got shape {tuple(x.shape)}"
            )
        return torch.roll(self.act_on_image(g, x), shifts=g, dims=-3)

    def _quarter_turns(self, g: int) -> int:
        """Number of 90° turns equal to ``θ_g``; raises if it is not a whole number."""
        turns, rest = divmod(4 * self._check(g), self.n)
        if rest:
            raise ValueError(
                "only rotations by multiples of 90° are exact on a pixel grid; "
                f"element {g} of {self!r} rotates by {math.degrees(self.angle(g)):.6g}°"
            )
        return turns

    def _check(self, g: int) -> int:
        if not _is_int(g) or not 0 <= g < self.n:
            raise ValueError(
                f"expected an element of {self!r} (an int in 0..{self.n - 1}), got {g!r}"
            )
        return g

    def __repr__(self) -> str:
        return f"CyclicGroup({self.n})"


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)
