"""The rotation group SO(2), with elements as angles."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import torch

from gcnn.groups.compact import CompactGroup, normalise_angle
from gcnn.groups.cyclic import CyclicGroup
from gcnn.groups.finite import FiniteGroup

__all__ = ["SO2"]


@dataclass(frozen=True, repr=False)
class SO2(CompactGroup):
    r"""$SO(2) = \{R(θ)\}$: element $θ$ is a float in $[0, 2π)$ (radians, counter-clockwise),
    with $θ_a · θ_b = (θ_a + θ_b) mod 2π$ and $θ⁻¹ = −θ mod 2π$.

    $C_n$ embeds as $k ↦ 2πk/n$ (``from_finite``), and ``elements_grid(n)`` is its image.
    """

    @property
    def name(self) -> str:
        """``"SO2"``."""
        return "SO2"

    @property
    def identity(self) -> float:
        """$θ = 0$."""
        return 0.0

    def element(self, g: Any) -> float:
        """$g mod 2π$ for a finite real angle ``g``; ValueError otherwise."""
        return normalise_angle(g, self.name)

    def _product(self, a: float, b: float) -> float:
        return normalise_angle(a + b, self.name)

    def _inverse(self, g: float) -> float:
        return normalise_angle(-g, self.name)

    def angle(self, g: Any) -> float:
        """$θ_g = g$ in $[0, 2π)$."""
        return self.element(g)

    def is_reflection(self, g: Any) -> bool:
        """Always ``False``."""
        self.element(g)
        return False

    def grid_group(self, n: int) -> CyclicGroup:
        """$C_n$."""
        return CyclicGroup(n)

    def from_finite(self, group: FiniteGroup, g: int) -> float:
        """$θ_g$, the angle of rotation ``g`` of ``group`` ($2πk/n$ for element $k$ of $C_n$);
        ValueError for a mirror."""
        self._check_finite(group)
        if group.is_reflection(g):
            raise ValueError(f"expected a rotation of {group}, got element {g!r}, a mirror (not in SO2)")
        return self.element(group.angle(g))

    def sample(self, n: int, generator: torch.Generator | None = None) -> list[float]:
        """``n`` Haar-random angles: $θ$ uniform on $[0, 2π)$."""
        return [normalise_angle(t, self.name) for t in self._uniform_angles(n, generator)]

