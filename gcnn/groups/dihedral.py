"""The dihedral group $D_n$: $n$ rotations and $n$ mirrors."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from gcnn.groups.finite import FiniteGroup, check_order

__all__ = ["DihedralGroup"]


@dataclass(frozen=True, repr=False)
class DihedralGroup(FiniteGroup):
    r"""$D_n = \{r^i s^m\}$ with $rⁿ = s² = e$ and $s · r = r⁻¹ · s$.

    $r$ rotates by $2π/n$ counter-clockwise and $s$ mirrors $x → −x$.
    Element $i$ in $[0, n)$ is $r^i$; element $n + i$ is $r^i · s$ (mirror,
    then rotate by $2πi/n$).  Products follow
    $(r^a s^m)(r^b s^k) = r^{a + (−1)^m b} s^{m + k}$.
    """

    n: int

    def __post_init__(self) -> None:
        check_order(type(self).__name__, self.n)

    @property
    def order(self) -> int:
        """$|D_n| = 2n$."""
        return 2 * self.n

    @property
    def name(self) -> str:
        """``"Dn"``, e.g. ``"D4"``."""
        return f"D{self.n}"

    def _product(self, a: int, b: int) -> int:
        (i, m), (j, k) = divmod(a, self.n)[::-1], divmod(b, self.n)[::-1]
        return (i + (-j if m else j)) % self.n + self.n * (m ^ k)

    def _inverse(self, g: int) -> int:
        return g if g >= self.n else -g % self.n  # mirrors are their own inverse

    def _plane_map(self, g: int) -> tuple[Fraction, bool]:
        return Fraction(4 * (g % self.n), self.n), g >= self.n

    def __repr__(self) -> str:
        return f"DihedralGroup({self.n})"
