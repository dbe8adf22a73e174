"""Compact groups of plane rotations and mirrors whose elements are angles, not indices.

``SO2`` and ``O2`` share the vocabulary of ``FiniteGroup`` — ``identity``,
``product``, ``inverse``, ``matrix``, ``angle``, ``is_reflection`` — and add

* ``sample(n, generator)``: elements drawn from the Haar measure, normalised to
  total mass 1 ($dθ/2π$ on each mirror coset, each coset weighted ½ in O(2));
* ``elements_grid(n)``: the image of the finite subgroup ``grid_group(n)``
  ($C_n$ or $D_n$) under ``from_finite``, in that group's element order.

Because the grid *is* a finite subgroup, a signal sampled on ``elements_grid(n)``
is a signal on $C_n$ (or $D_n$), and a grid average equals the Haar integral
for every trigonometric polynomial of degree below $n$.
"""

from __future__ import annotations

import math
from abc import ABC, abstractmethod
from typing import Any

import torch

from gcnn.groups.finite import FiniteGroup
from gcnn.validation import check_ints

__all__ = ["CompactGroup", "plane_matrix", "normalise_angle"]


def normalise_angle(value: Any, group: str) -> float:
    """A finite real angle in radians, reduced to $[0, 2π)$."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise ValueError(f"expected an element of {group} with a finite angle in radians, got {value!r}")
    angle = float(value) % math.tau
    return 0.0 if angle == math.tau else angle  # −1e-20 % 2π rounds up to 2π


def plane_matrix(angle: float, mirrored: bool) -> torch.Tensor:
    """$R(θ) F^m$ on $(x, y)$, float64, with $R(θ) = [[cos θ, −sin θ], [sin θ, cos θ]]$
    and $F = diag(−1, 1)$."""
    c, s = math.cos(angle), math.sin(angle)
    matrix = torch.tensor([[c, -s], [s, c]], dtype=torch.float64)
    if mirrored:
        matrix[:, 0] = -matrix[:, 0]
    return matrix


class CompactGroup(ABC):
    """A compact subgroup of O(2) acting on the plane by $A_g = R(θ_g) F^{m_g}$ (mirror first)."""

    @property
    @abstractmethod
    def name(self) -> str:
        """``"SO2"`` or ``"O2"``."""

    @property
    @abstractmethod
    def identity(self) -> Any:
        """The neutral element $e$."""

    @abstractmethod
    def element(self, g: Any) -> Any:
        """``g`` checked and in normal form (angles in $[0, 2π)$); ValueError otherwise."""

    @abstractmethod
    def _product(self, a: Any, b: Any) -> Any:
        """$a · b$ for elements in normal form."""

    @abstractmethod
    def _inverse(self, g: Any) -> Any:
        """$g⁻¹$ for an element in normal form."""

    @abstractmethod
    def angle(self, g: Any) -> float:
        """$θ_g$ in $[0, 2π)$: the rotation part of $A_g = R(θ_g) F^{m_g}$."""

    @abstractmethod
    def is_reflection(self, g: Any) -> bool:
        """$m_g = 1$: ``g`` mirrors the plane ($det A_g = −1$)."""

    @abstractmethod
    def grid_group(self, n: int) -> FiniteGroup:
        """The finite subgroup whose image is ``elements_grid(n)``."""

    @abstractmethod
    def from_finite(self, group: FiniteGroup, g: int) -> Any:
        """The element of this group with the same plane map $A_g$ as element ``g`` of ``group``."""

    @abstractmethod
    def sample(self, n: int, generator: torch.Generator | None = None) -> list:
        """``n`` independent Haar-random elements."""

    def product(self, a: Any, b: Any) -> Any:
        """$a · b$: act with ``b``, then with ``a``; $A_{a·b} = A_a A_b$."""
        return self._product(self.element(a), self.element(b))

    def inverse(self, g: Any) -> Any:
        """$g⁻¹$, with $g · g⁻¹ = g⁻¹ · g = e$."""
        return self._inverse(self.element(g))

    def matrix(self, g: Any) -> torch.Tensor:
        """$A_g = R(θ_g) F^{m_g}$ on $(x, y)$, float64 ($F = diag(−1, 1)$, as in ``FiniteGroup``)."""
        g = self.element(g)
        return plane_matrix(self.angle(g), self.is_reflection(g))

    def elements_grid(self, n: int) -> list:
        """``[from_finite(grid_group(n), k) for k in 0…|grid|−1]``: ``n`` evenly spaced rotations
        $θ_k = 2πk/n$ (for O(2) followed by the ``n`` mirrored elements $R(θ_k) F$)."""
        grid = self.grid_group(n)
        return [self.from_finite(grid, k) for k in grid.elements()]

    def _check_finite(self, group: FiniteGroup) -> None:
        if not isinstance(group, FiniteGroup):
            raise ValueError(f"{self.name}.from_finite expects a FiniteGroup, got {group!r}")

    @staticmethod
    def _uniform_angles(n: int, generator: torch.Generator | None) -> list[float]:
        check_ints(n=n)
        return (torch.rand(n, generator=generator, dtype=torch.float64) * math.tau).tolist()

    def __str__(self) -> str:
        return self.name

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"
