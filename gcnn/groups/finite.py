"""Finite groups of rotations and mirrors of the plane.

A ``FiniteGroup`` numbers its elements $0, …, |G|−1$ (0 is the identity) and
says, for each element $g$, which orthogonal map $A_g = R(θ_g) F^{m_g}$ of
the plane it is ($F$: the mirror $x → −x$).  Everything else follows from the
multiplication table and these maps:

* the regular representation $[ρ_{reg}(g) f](h) = f(g⁻¹h)$, a permutation matrix;
* the action on images $[g · f](p) = f(A_g⁻¹ p)$;
* the action on group signals $[L_g F](h, p) = F(g⁻¹h, A_g⁻¹ p)$.
"""

from __future__ import annotations

import math
import operator
from abc import ABC, abstractmethod
from fractions import Fraction
from functools import cached_property

import torch

from gcnn.groups.images import GridSplit, split_on_grid, transform_image
from gcnn.validation import is_int

__all__ = ["FiniteGroup"]


class FiniteGroup(ABC):
    """A finite subgroup of O(2) with elements $0, …, |G|−1$ and identity $e = 0$.

    Subclasses define ``order``, ``name``, the product $a · b$ and the inverse
    on valid elements, and the plane map of each element.
    """

    @property
    @abstractmethod
    def order(self) -> int:
        """$|G|$, the number of elements."""

    @property
    @abstractmethod
    def name(self) -> str:
        """Short name such as ``"C4"`` or ``"D4"``."""

    @abstractmethod
    def _product(self, a: int, b: int) -> int:
        """$a · b$ for valid elements."""

    @abstractmethod
    def _inverse(self, g: int) -> int:
        """$g⁻¹$ for a valid element."""

    @abstractmethod
    def _plane_map(self, g: int) -> tuple[Fraction, bool]:
        """$(θ_g / 90°, m_g)$: $A_g = R(θ_g) F^{m_g}$, the mirror applied first."""

    @property
    def identity(self) -> int:
        """$e = 0$."""
        return 0

    def elements(self) -> range:
        """All elements $0, 1, …, |G|−1$ in group-axis order."""
        return range(self.order)

    def product(self, a: int, b: int) -> int:
        """$a · b$: act with ``b``, then with ``a``."""
        return self._product(self._check(a), self._check(b))

    def inverse(self, g: int) -> int:
        """$g⁻¹$, with $g · g⁻¹ = g⁻¹ · g = e$."""
        return self._inverse(self._check(g))

    @cached_property
    def cayley_table(self) -> torch.Tensor:
        """$T[a, b] = a · b$ as an int64 tensor ``(|G|, |G|)``."""
        n = self.order
        return torch.tensor([[self._product(a, b) for b in range(n)] for a in range(n)])

    def angle(self, g: int) -> float:
        """$θ_g$ in radians, counter-clockwise: the rotation part of $A_g = R(θ_g) F^{m_g}$."""
        return float(self._plane_map(self._check(g))[0]) * math.pi / 2

    def is_reflection(self, g: int) -> bool:
        """$m_g = 1$: ``g`` mirrors the plane ($det A_g = −1$)."""
        return self._plane_map(self._check(g))[1]

    def is_exact(self, g: int) -> bool:
        """Whether $A_g$ maps the pixel grid onto itself (a multiple of 90°, possibly mirrored),
        so that ``act_on_image`` only permutes pixels."""
        return self.grid_split(g).residual == 0

    def grid_split(self, g: int) -> GridSplit:
        """$A_g = R(q·90°) F^m R(ρ)$ with $ρ ∈ [0°, 90°)$: how ``act_on_image`` carries
        out ``g`` (resample by $ρ$, then the exact ``flip``/``rot90``).

        For a grid symmetry $e$ the elements ``g`` and $e·g$ share $ρ$, which
        makes ``act_on_image(e, act_on_image(g, x)) == act_on_image(e·g, x)`` exact.
        """
        return split_on_grid(*self._plane_map(self._check(g)))

    def matrix(self, g: int) -> torch.Tensor:
        """$A_g = R(θ_g) F^{m_g}$ on $(x, y)$, float64, with $R(θ) = [[cos θ, −sin θ], [sin θ, cos θ]]$
        and $F = diag(−1, 1)$."""
        turns, mirrored = self._plane_map(self._check(g))
        if turns.denominator == 1:  # exact zeros and ones for quarter turns
            c, s = [(1.0, 0.0), (0.0, 1.0), (-1.0, 0.0), (0.0, -1.0)][int(turns) % 4]
        else:
            c, s = math.cos(float(turns) * math.pi / 2), math.sin(float(turns) * math.pi / 2)
        rotation = torch.tensor([[c, -s], [s, c]], dtype=torch.float64)
        if mirrored:
            rotation[:, 0] = -rotation[:, 0]
        return rotation

    def regular_representation(self, g: int) -> torch.Tensor:
        """Permutation matrix $P$ with $(P f)(h) = [ρ_{reg}(g) f](h) = f(g⁻¹h)$, float64.

        $P[h, k] = 1$ exactly when $h = g · k$.
        """
        P = torch.zeros(self.order, self.order, dtype=torch.float64)
        P[self.cayley_table[self._check(g)], torch.arange(self.order)] = 1.0
        return P

    def act_on_image(self, g: int, x: torch.Tensor) -> torch.Tensor:
        """$[g · f](p) = f(A_g⁻¹ p)$ on the last two dims.

        Exact (``rot90``/``flip``) when ``is_exact(g)``; otherwise a bilinear
        resampling as in ``rotate_image``, zero outside the frame.
        """
        return transform_image(x, self.grid_split(g))

    def act_on_group_signal(self, g: int, x: torch.Tensor) -> torch.Tensor:
        """$[L_g F](h, p) = F(g⁻¹h, A_g⁻¹ p)$ for $F$ shaped ``(..., |G|, H, W)``.

        Moves every slice with ``act_on_image`` and slice $k$ to index $g · k$.
        """
        g = self._check(g)
        if not isinstance(x, torch.Tensor) or x.dim() < 3 or x.shape[-3] != self.order:
            shape = tuple(x.shape) if isinstance(x, torch.Tensor) else type(x).__name__
            raise ValueError(
                f"act_on_group_signal expects a tensor (..., |G|={self.order}, H, W), "
                f"got shape {shape}"
            )
        source = self.cayley_table[self._inverse(g)]  # slice h reads slice g⁻¹h
        return self.act_on_image(g, x).index_select(-3, source.to(x.device))

    def _check(self, g: int) -> int:
        if not isinstance(g, bool):
            try:
                index = operator.index(g)
            except TypeError:
                pass
            else:
                if 0 <= index < self.order:
                    return index
        raise ValueError(
            f"expected an element of {self!r} (an int in 0..{self.order - 1}), got {g!r}"
        )

    def __str__(self) -> str:
        return self.name


def check_order(group: str, n: int) -> None:
    """Raise unless ``n`` is an int $≥ 1$."""
    if not is_int(n) or n < 1:
        raise ValueError(f"{group} expects an int n >= 1, got {n!r}")
