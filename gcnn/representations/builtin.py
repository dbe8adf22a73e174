"""The representations every group comes with: trivial, standard (on the plane) and regular."""

from __future__ import annotations

import torch

from gcnn.groups.compact import CompactGroup
from gcnn.representations.base import Group, Representation, check_group

__all__ = ["trivial", "standard", "regular"]


def trivial(group: Group) -> Representation:
    """$ρ(g) = [1]$ for every $g$."""
    return Representation(check_group(group, "trivial"), 1, lambda g: torch.ones(1, 1, dtype=torch.float64),
                          "trivial")


def standard(group: Group) -> Representation:
    """$ρ(g) = A_g = R(θ_g) F^{m_g}$: how $g$ moves points of the plane, $p ↦ A_g p$."""
    group = check_group(group, "standard")
    return Representation(group, 2, group.matrix, "standard")


def regular(group: Group) -> Representation:
    """$[ρ_{reg}(g) f](h) = f(g⁻¹h)$ on functions $f: G → ℝ$: a ``|G| × |G|`` permutation matrix
    (finite groups only; SO(2)/O(2) have no finite-dimensional one)."""
    group = check_group(group, "regular")
    if isinstance(group, CompactGroup):
        raise ValueError(f"regular expects a finite group, got {group} (its regular representation "
                         f"is infinite-dimensional; use {group}().grid_group(n))")
    return Representation(group, group.order, group.regular_representation, "regular")
