"""The cyclic group $C_n$ of rotations by multiples of $2π/n$."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from gcnn.groups.finite import FiniteGroup, check_order

__all__ = ["CyclicGroup"]


@dataclass(frozen=True, repr=False)
class CyclicGroup(FiniteGroup):
    r"""$C_n = \{0, …, n−1\}$ with $a · b = (a + b) mod n$.

    Element $g$ is the counter-clockwise rotation by $θ_g = 2πg/n$.
    """

    n: int

    def __post_init__(self) -> None:
        check_order(type(self).__name__, self.n)

    @property
    def order(self) -> int:
        """$|C_n| = n$."""
        return self.n

    @property
    def name(self) -> str:
        """``"Cn"``, e.g. ``"C4"``."""
        return f"C{self.n}"

    def _product(self, a: int, b: int) -> int:
        return (a + b) % self.n

    def _inverse(self, g: int) -> int:
        return -g % self.n

    def _plane_map(self, g: int) -> tuple[Fraction, bool]:
        return Fraction(4 * g, self.n), False

    def __repr__(self) -> str:
        return f"CyclicGroup({self.n})"
