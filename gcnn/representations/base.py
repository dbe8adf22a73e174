"""Group representations: homomorphisms $ρ: G → GL(d)$, $ρ(g h) = ρ(g) ρ(h)$, as float64 matrices.

A ``Representation`` works for every group in ``gcnn.groups``: a ``FiniteGroup``
(elements are ints) or a ``CompactGroup`` (``SO2``: angles, ``O2``: ``(angle, mirror)``
pairs).  Elements are checked by the group before the matrix is built.
"""

from __future__ import annotations

from typing import Any, Callable, Iterable, Union

import torch

from gcnn.groups.compact import CompactGroup
from gcnn.groups.finite import FiniteGroup
from gcnn.validation import check_ints

__all__ = ["Representation", "Group", "Element", "check_element", "check_group", "group_elements"]

Group = Union[FiniteGroup, CompactGroup]
Element = Any  # int (finite groups), float (SO2) or a pair (angle, mirror) (O2)


def check_group(group: object, what: str = "a representation") -> Group:
    """``group`` if it is a FiniteGroup or a CompactGroup; ValueError otherwise."""
    if not isinstance(group, (FiniteGroup, CompactGroup)):
        raise ValueError(f"{what} expects a FiniteGroup, SO2 or O2, got {group!r}")
    return group


def check_element(group: Group, g: Element) -> Element:
    """``g`` checked by ``group`` (and in normal form for SO2/O2); ValueError when it is not an element."""
    if isinstance(group, CompactGroup):
        return group.element(g)
    return group.product(group.identity, g)  # e · g = g, after the group's own check of g


def group_elements(group: Group, elements: Iterable[Element] | None, what: str) -> list[Element]:
    """``elements`` checked by ``group``; by default every element of a finite group."""
    if elements is None:
        if isinstance(group, CompactGroup):
            raise ValueError(
                f"{what} needs elements of the infinite group {group}: pass e.g. "
                f"{group}().elements_grid(n) or {group}().sample(n)"
            )
        return list(group.elements())
    elements = [check_element(group, g) for g in elements]
    if not elements:
        raise ValueError(f"{what} expects at least one element of {group}, got none")
    return elements


class Representation:
    """$ρ: G → GL(d)$ with $ρ(g h) = ρ(g) ρ(h)$: a named family of ``d × d`` float64 matrices.

    ``matrix`` is called with checked elements and returns $ρ(g)$; the built-ins
    in this package are orthogonal, $ρ(g)⁻¹ = ρ(g)ᵀ$.
    """

    def __init__(self, group: Group, dim: int, matrix: Callable[[Element], torch.Tensor], name: str) -> None:
        self._group = check_group(group)
        check_ints(dim=dim)
        if not isinstance(name, str):
            raise ValueError(f"a representation's name must be a str, got {name!r}")
        self._dim, self._matrix, self._name = dim, matrix, name

    @property
    def group(self) -> Group:
        """The group $G$."""
        return self._group

    @property
    def dim(self) -> int:
        """$d$, the dimension of the space $G$ acts on."""
        return self._dim

    @property
    def name(self) -> str:
        """A label such as ``"ψ_1"`` or ``"ψ_{1,2} ⊗ ψ_{1,1}"``."""
        return self._name

    def matrix(self, g: Element) -> torch.Tensor:
        """$ρ(g)$, a ``d × d`` float64 tensor."""
        m = torch.as_tensor(self._matrix(check_element(self._group, g)), dtype=torch.float64)
        if m.shape != (self._dim, self._dim):
            raise ValueError(f"{self._name}: expected a {self._dim}×{self._dim} matrix, got shape {tuple(m.shape)}")
        return m

    def __call__(self, g: Element) -> torch.Tensor:
        """$ρ(g)$, same as ``matrix(g)``."""
        return self.matrix(g)

    def character(self, g: Element) -> float:
        """$χ(g) = tr ρ(g)$."""
        return float(torch.trace(self.matrix(g)))

    def matrices(self, elements: Iterable[Element] | None = None) -> torch.Tensor:
        """``[ρ(g) for g in elements]`` stacked to ``(len, d, d)``; by default every element of a finite group."""
        elements = group_elements(self._group, elements, f"{self._name}.matrices")
        return torch.stack([self.matrix(g) for g in elements])

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._name!r} of {self._group}, dim={self._dim})"
