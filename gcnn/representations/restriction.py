"""Restriction to a subgroup: $(Res ρ)(h) = ρ(ι(h))$ for the inclusion $ι: H → G$.

Every group in ``gcnn.groups`` is a group of plane maps $A_g = R(θ_g) F^{m_g}$, and
$ι$ sends $h$ to the element of $G$ with the same plane map: $C_n → SO(2)$,
$k ↦ 2πk/n$; $D_n → O(2)$, $i ↦ (2πi/n, 0)$, $n + i ↦ (2πi/n, 1)$;
$C_m → C_n$ for $m | n$, $k ↦ k n/m$; and so on.
"""

from __future__ import annotations

import math
from typing import Callable

from gcnn.groups.compact import CompactGroup
from gcnn.groups.finite import FiniteGroup
from gcnn.groups.o2 import O2
from gcnn.groups.so2 import SO2
from gcnn.representations.base import Element, Group, Representation, check_group

__all__ = ["inclusion", "restrict"]

_SAME_ANGLE = 1e-9  # radians: plane maps of two finite groups agree far above this or not at all


def inclusion(subgroup: Group, group: Group) -> Callable[[Element], Element]:
    """$ι: H → G$ with $A_{ι(h)} = A_h$; ValueError when $H$ is not a subgroup of $G$."""
    subgroup, group = check_group(subgroup, "inclusion"), check_group(group, "inclusion")
    not_a_subgroup = ValueError(f"expected a subgroup of {group}, got {subgroup}")
    if subgroup == group:
        return lambda h: h
    if isinstance(subgroup, SO2) and isinstance(group, O2):
        return lambda h: group.element((h, 0))
    if not isinstance(subgroup, FiniteGroup):
        raise not_a_subgroup
    if isinstance(group, CompactGroup):
        if isinstance(group, SO2) and any(subgroup.is_reflection(h) for h in subgroup.elements()):
            raise not_a_subgroup
        return lambda h: group.from_finite(subgroup, h)
    table = {}
    for h in subgroup.elements():
        matches = [g for g in group.elements() if _same_plane_map(subgroup, h, group, g)]
        if not matches:
            raise not_a_subgroup
        table[h] = matches[0]
    return table.__getitem__


def _same_plane_map(a: FiniteGroup, g: int, b: FiniteGroup, h: int) -> bool:
    turn = (a.angle(g) - b.angle(h)) % math.tau
    return a.is_reflection(g) == b.is_reflection(h) and min(turn, math.tau - turn) < _SAME_ANGLE


def restrict(
    rep: Representation,
    subgroup: Group,
    embedding: Callable[[Element], Element] | None = None,
    name: str | None = None,
) -> Representation:
    """$(Res ρ)(h) = ρ(ι(h))$: ``rep`` seen as a representation of ``subgroup``.

    $ι$ is ``embedding`` if given (any homomorphism ``subgroup → rep.group``), else
    ``inclusion(subgroup, rep.group)``.
    """
    if not isinstance(rep, Representation):
        raise ValueError(f"restrict expects a Representation, got {rep!r}")
    iota = inclusion(subgroup, rep.group) if embedding is None else embedding
    return Representation(subgroup, rep.dim, lambda h: rep.matrix(iota(h)),
                          name or f"{rep.name}↓{subgroup}")
