"""The orthogonal group O(2), with elements as (angle, mirror) pairs."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, NamedTuple

import torch

from gcnn.groups.compact import CompactGroup, normalise_angle
from gcnn.groups.dihedral import DihedralGroup
from gcnn.groups.finite import FiniteGroup

__all__ = ["O2", "O2Element"]


class O2Element(NamedTuple):
    """``R(angle) F^mirror``: mirror $F: x → −x$ first (when ``mirror = 1``), then rotate by ``angle``."""

    angle: float
    mirror: int


@dataclass(frozen=True, repr=False)
class O2(CompactGroup):
    r"""$O(2) = \{R(θ) F^m\}$: element $(θ, m)$, $θ ∈ [0, 2π)$, $m ∈ \{0, 1\}$ (any pair is
    accepted and returned as an ``O2Element``), with

        (θ, m) · (φ, k) = (θ + (−1)^m φ mod 2π, m ⊕ k),

    since $F R(φ) = R(−φ) F$.  $D_n$ embeds as $i ↦ (2πi/n, 0)$, $n + i ↦ (2πi/n, 1)$
    (``from_finite``), and ``elements_grid(n)`` is its image.
    """

    @property
    def name(self) -> str:
        """``"O2"``."""
        return "O2"

    @property
    def identity(self) -> O2Element:
        """``(0, 0)``."""
        return O2Element(0.0, 0)

    def element(self, g: Any) -> O2Element:
        r"""$(θ mod 2π, m)$ for a pair of a finite angle $θ$ and $m ∈ \{0, 1\}$; ValueError otherwise."""
        if isinstance(g, (tuple, list)) and len(g) == 2:
            angle, mirror = g
            if type(mirror) is int and mirror in (0, 1):
                return O2Element(normalise_angle(angle, self.name), mirror)
        raise ValueError(f"expected an element of O2, a pair (angle, mirror) with mirror 0 or 1, got {g!r}")

    def _product(self, a: O2Element, b: O2Element) -> O2Element:
        angle = a.angle - b.angle if a.mirror else a.angle + b.angle
        return O2Element(normalise_angle(angle, self.name), a.mirror ^ b.mirror)

    def _inverse(self, g: O2Element) -> O2Element:
        return g if g.mirror else O2Element(normalise_angle(-g.angle, self.name), 0)  # mirrors square to e

    def angle(self, g: Any) -> float:
        """$θ$ of $g = (θ, m)$."""
        return self.element(g).angle

    def is_reflection(self, g: Any) -> bool:
        """$m = 1$."""
        return self.element(g).mirror == 1

    def grid_group(self, n: int) -> DihedralGroup:
        """$D_n$."""
        return DihedralGroup(n)

    def from_finite(self, group: FiniteGroup, g: int) -> O2Element:
        """$(θ_g, m_g)$, the plane map of element ``g`` of ``group``."""
        self._check_finite(group)
        return O2Element(normalise_angle(group.angle(g), self.name), int(group.is_reflection(g)))

    def sample(self, n: int, generator: torch.Generator | None = None) -> list[O2Element]:
        """``n`` Haar-random elements: $θ$ uniform on $[0, 2π)$, $m$ a fair coin."""
        angles = self._uniform_angles(n, generator)
        mirrors = torch.randint(0, 2, (n,), generator=generator).tolist()
        return [O2Element(normalise_angle(t, self.name), m) for t, m in zip(angles, mirrors)]
