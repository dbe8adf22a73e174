"""Feature fields: $x ↦ f(x) ∈ ℝ^C$ transforming under a direct sum of representations.

    [g · f](x) = ρ(g) f(g⁻¹x),    ρ = ρ_1 ⊕ … ⊕ ρ_F   (one $ρ_i$ per field).

Each field's representation is split into irreps, $Q_i ρ_i(g) Q_iᵀ = ⊕_j ψ_{ij}(g)$
($Q_i$ orthogonal): the identity for an irrep, ``gcnn.representations.decompose``
otherwise (for SO(2)/O(2) this needs ``max_frequency``, a bound on the frequencies
of the representation's matrix entries, except for 1-D ones: frequency 0).  Kernels are solved between irreps and
carried back to the fields with these $Q_i$.
"""

from __future__ import annotations

from typing import Sequence

import torch

from gcnn.groups.compact import CompactGroup
from gcnn.groups.cyclic import CyclicGroup
from gcnn.groups.dihedral import DihedralGroup
from gcnn.groups.images import quarter_turns, rotate_image, split_on_grid, transform_image
from gcnn.groups.o2 import O2
from gcnn.groups.so2 import SO2
from gcnn.representations.base import Element, Group, Representation, check_element
from gcnn.representations.combinators import direct_sum
from gcnn.representations.decompose import decompose
from gcnn.representations.irreps import Irrep

__all__ = ["FieldType", "act_on_image", "is_trivial"]

_GROUPS = (CyclicGroup, DihedralGroup, SO2, O2)


def is_trivial(psi: Irrep) -> bool:
    """$ψ(g) = 1$ for every $g$: frequency 0 and no flip."""
    return psi.frequency == 0 and not psi.flip


def act_on_image(group: Group, g: Element, x: torch.Tensor) -> torch.Tensor:
    """$[g · f](p) = f(A_g⁻¹ p)$ on the last two dims: exact for multiples of 90° (and the mirror),
    bilinear resampling otherwise."""
    if isinstance(group, CompactGroup):
        g = check_element(group, g)
        if isinstance(group, O2):
            return transform_image(x, split_on_grid(quarter_turns(g.angle), mirrored=bool(g.mirror)))
        return rotate_image(x, g)
    return group.act_on_image(g, x)


class FieldType:
    """$F$ fields with representations $ρ_1, …, ρ_F$ of one group; $[g·f](x) = ρ(g) f(g⁻¹x)$.

    ``FieldType(group, reps, max_frequency=None)``: ``group`` is ``CyclicGroup(n)``,
    ``DihedralGroup(n)``, ``SO2()`` or ``O2()``; ``reps`` a non-empty sequence of its
    representations (irreps, ``regular``, direct sums, …).
    """

    def __init__(self, group: Group, reps: Sequence[Representation], max_frequency: int | None = None) -> None:
        if not isinstance(group, _GROUPS):
            raise ValueError(f"FieldType expects CyclicGroup, DihedralGroup, SO2 or O2, got {group!r}")
        reps = list(reps) if isinstance(reps, (list, tuple)) else reps
        if not isinstance(reps, list) or not reps:
            raise ValueError(f"FieldType expects a non-empty list of representations, got {reps!r}")
        for rep in reps:
            if not isinstance(rep, Representation):
                raise ValueError(f"FieldType expects Representations, got {rep!r}")
            if rep.group != group:
                raise ValueError(f"FieldType of {group} expects representations of {group}, "
                                 f"got {rep.name} of {rep.group}")
        self._group, self._reps, self._max_frequency = group, tuple(reps), max_frequency
        splits: dict[int, tuple[torch.Tensor, tuple[Irrep, ...]]] = {}  # a repeated representation is split once
        for rep in reps:
            if id(rep) not in splits:
                splits[id(rep)] = _split(rep, max_frequency)
        self._splits = tuple(splits[id(rep)] for rep in reps)
        self._keys = tuple((rep.name, split[1], tuple(split[0].flatten().tolist()))
                           for rep, split in zip(reps, self._splits))

    @property
    def group(self) -> Group:
        """The group $G$."""
        return self._group

    @property
    def max_frequency(self) -> int | None:
        """The frequency bound used to split non-irreducible representations of SO(2)/O(2)."""
        return self._max_frequency

    @property
    def reps(self) -> tuple[Representation, ...]:
        """$(ρ_1, …, ρ_F)$, one per field."""
        return self._reps

    @property
    def size(self) -> int:
        """$C = Σ_i dim ρ_i$, the number of channels."""
        return sum(rep.dim for rep in self._reps)

    @property
    def representation(self) -> Representation:
        """$ρ = ρ_1 ⊕ … ⊕ ρ_F$."""
        return direct_sum(*self._reps)

    def irreps(self, field: int) -> list[Irrep]:
        """$[ψ_{i1}, …]$ with $Q_i ρ_i(g) Q_iᵀ = ⊕_j ψ_{ij}(g)$."""
        return list(self._splits[field][1])

    def change_of_basis(self, field: int) -> torch.Tensor:
        """$Q_i$ (float64, orthogonal) with $Q_i ρ_i(g) Q_iᵀ = ⊕_j ψ_{ij}(g)$."""
        return self._splits[field][0]

    def field_key(self, field: int) -> tuple:
        """Fields with equal keys transform alike (same irreps and $Q$): layers share their kernel basis."""
        return self._keys[field]

    def channels(self, field: int) -> range:
        """The channels of field $i$."""
        start = sum(rep.dim for rep in self._reps[:field])
        return range(start, start + self._reps[field].dim)

    def act(self, g: Element, x: torch.Tensor) -> torch.Tensor:
        """$[g · f](x) = ρ(g) f(g⁻¹x)$ for ``x`` of shape ``(B, C, H, W)``."""
        self.check_input(x)
        rho = self.representation.matrix(g).to(dtype=x.dtype, device=x.device)
        return torch.einsum("pq,bqhw->bphw", rho, act_on_image(self._group, g, x))

    def check_input(self, x: object, what: str = "FieldType") -> None:
        """ValueError unless ``x`` is a tensor ``(B, C, H, W)`` with ``C = size``."""
        if not isinstance(x, torch.Tensor) or x.dim() != 4 or x.shape[1] != self.size:
            shape = tuple(x.shape) if isinstance(x, torch.Tensor) else type(x).__name__
            raise ValueError(f"{what} expects a tensor (B, C={self.size}, H, W) for field type {self}, got {shape}")

    def __len__(self) -> int:
        return len(self._reps)

    def __eq__(self, other: object) -> bool:
        return (isinstance(other, FieldType) and self._group == other._group
                and [self.field_key(i) for i in range(len(self))] == [other.field_key(i) for i in range(len(other))])

    def __hash__(self) -> int:
        return hash((self._group, tuple(self.field_key(i) for i in range(len(self)))))

    def __repr__(self) -> str:
        return f"FieldType({self._group}, [{', '.join(rep.name for rep in self._reps)}])"


def _split(rep: Representation, max_frequency: int | None) -> tuple[torch.Tensor, tuple[Irrep, ...]]:
    if isinstance(rep, Irrep):
        return torch.eye(rep.dim, dtype=torch.float64), (rep,)
    if isinstance(rep.group, CompactGroup) and max_frequency is None and rep.dim == 1:
        max_frequency = 0  # a 1-D representation of SO(2)/O(2) is trivial or det: frequency 0
    if isinstance(rep.group, CompactGroup) and max_frequency is None:
        raise ValueError(f"FieldType needs max_frequency (an int >= 0) to split {rep.name} of {rep.group} "
                         f"into irreps, got None")
    Q, found = decompose(rep, max_frequency)
    return Q, tuple(found)
