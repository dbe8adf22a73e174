"""All real irreducible representations of C_n, D_n, SO(2) and O(2).

Every irrep has a ``frequency`` $k ≥ 0$: the number of turns its matrices make
while the group element turns once.  Its matrices are the plane matrices with the
angle multiplied by $k$, $R(kθ) F^m$ ($F = diag(−1, 1)$, the mirror
$x → −x$), or a sign where they are 1-D:

* $C_n$ and SO(2), element $R(θ)$ ($θ = 2πg/n$ for element $g$ of $C_n$):
  $ψ_0 = 1$; $ψ_k = R(kθ)$ for $0 < k < n/2$ (every $k > 0$ for SO(2));
  for even $n$ also $ψ_{n/2} = (−1)^g$ (there $R(πg) = ±I$).
* $D_n$ and O(2), element $R(θ) F^m$ ($r^i s^m$ with $θ = 2πi/n$ for $D_n$):
  $ψ_{0,0} = 1$; $ψ_{1,0} = (−1)^m = det$; $ψ_{1,k} = R(kθ) F^m$ for $0 < k < n/2$
  (every $k > 0$ for O(2)); for even $n$ also $ψ_{0,n/2} = (−1)^i$ and
  $ψ_{1,n/2} = (−1)^{i+m}$.

In $ψ_{j,k}$ the ``flip`` $j$ is 1 when the mirror acts non-trivially (for 1-D
irreps: as $−1$).  $ψ_1$ and $ψ_{1,1}$ equal the plane action ``standard(G)``
(conjugating by $R(π/2)$ turns $F$ into $diag(1, −1)$, the other common choice).

Real irreps come in two types (Frobenius–Schur), told apart by ``commutant_dim``
$c = dim End_G(ψ)$: $c = 1$ (real type: every irrep of $D_n$, O(2), and the 1-D
ones of $C_n$) or $c = 2$ (complex type: the rotations $R(kθ)$, $0 < k < n/2$,
of $C_n$ and SO(2); they commute with $J = R(π/2)$ and split over ℂ into
$e^{±ikθ}$).  A complex-type irrep occurs once ($d/c = 1$), not $d = 2$ times, in
the real regular representation: ``regular_multiplicity = d / c``.
"""

from __future__ import annotations

import math
import re

import torch

from gcnn.groups.compact import plane_matrix
from gcnn.groups.cyclic import CyclicGroup
from gcnn.groups.dihedral import DihedralGroup
from gcnn.groups.o2 import O2
from gcnn.groups.so2 import SO2
from gcnn.representations.base import Element, Group, Representation, check_group
from gcnn.validation import is_int

__all__ = ["Irrep", "irrep", "irreps", "irrep_named"]

_ROTATION_GROUPS = (CyclicGroup, SO2)
_MIRROR_GROUPS = (DihedralGroup, O2)


class Irrep(Representation):
    """A real irrep $ψ$ of $C_n$, $D_n$, SO(2) or O(2), from ``irrep`` / ``irreps``.

    $ψ(g h) = ψ(g) ψ(h)$ and no proper subspace is invariant.  Two irreps are equal
    when group, ``frequency`` and ``flip`` agree.
    """

    def __init__(self, group: Group, frequency: int, flip: int | None = None) -> None:
        group, frequency, flip = _checked(group, frequency, flip)
        one_dim = _is_one_dimensional(group, frequency)
        name = f"ψ_{frequency}" if flip is None else f"ψ_{{{flip},{frequency}}}"
        super().__init__(group, 1 if one_dim else 2, self._build, name)
        self._frequency, self._flip = frequency, flip
        self._commutant_dim = 2 if isinstance(group, _ROTATION_GROUPS) and not one_dim else 1

    @property
    def frequency(self) -> int:
        """$k$: the matrices turn $k$ times per turn of the element."""
        return self._frequency

    @property
    def flip(self) -> int | None:
        """$j$ of $ψ_{j,k}$ for $D_n$/O(2) (1: the mirror acts non-trivially); ``None`` for $C_n$/SO(2)."""
        return self._flip

    @property
    def commutant_dim(self) -> int:
        """$c = dim End_G(ψ)$: 1 (real type) or 2 (complex type, commutes with $R(π/2)$)."""
        return self._commutant_dim

    @property
    def regular_multiplicity(self) -> int:
        """$m = d / c$: copies of $ψ$ in the real regular representation, and its weight in
        the inverse Fourier transform and in Parseval's identity."""
        return self.dim // self._commutant_dim

    def commutant(self) -> torch.Tensor:
        """Basis $B$ of $End_G(ψ)$, ``(c, d, d)``: ``[I]`` or $[I, R(π/2)]$, orthonormal for
        $⟨A, B⟩ = tr(AᵀB) / d$."""
        identity = torch.eye(self.dim, dtype=torch.float64)
        if self._commutant_dim == 1:
            return identity[None]
        return torch.stack([identity, torch.tensor([[0.0, -1.0], [1.0, 0.0]], dtype=torch.float64)])

    def _build(self, g: Element) -> torch.Tensor:
        group, k = self.group, self._frequency
        if isinstance(group, (CyclicGroup, DihedralGroup)):
            i, m = g % group.n, g // group.n  # g = r^i s^m
            angle = math.tau * (k * i % group.n) / group.n  # reduce k·i first: exact angles
        else:
            i, m = 0, int(group.is_reflection(g))  # the 1-D irreps of SO2/O2 have k = 0
            angle = k * group.angle(g)
        if self.dim == 2:
            return plane_matrix(angle, bool(m))
        return torch.tensor([[(-1.0) ** ((i if k else 0) + (m if self._flip else 0))]], dtype=torch.float64)

    def _key(self) -> tuple:
        return (self.group, self._frequency, self._flip)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Irrep) and self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())


def _top_frequency(group: Group) -> int | None:
    """The largest frequency of an irrep: $⌊n/2⌋$, or ``None`` (unbounded) for SO(2)/O(2)."""
    return group.n // 2 if isinstance(group, (CyclicGroup, DihedralGroup)) else None


def _is_one_dimensional(group: Group, frequency: int) -> bool:
    top = _top_frequency(group)
    return frequency == 0 or (top is not None and 2 * frequency == group.n)


def _flips(group: Group, frequency: int) -> tuple[int, ...]:
    """The $j$ of the irreps $ψ_{j,k}$ of $D_n$/O(2) at frequency $k$."""
    return (0, 1) if _is_one_dimensional(group, frequency) else (1,)


def _check_supported(group: object) -> Group:
    group = check_group(group, "irreps")
    if not isinstance(group, _ROTATION_GROUPS + _MIRROR_GROUPS):
        raise ValueError(f"irreps are known for CyclicGroup, DihedralGroup, SO2 and O2, got {group!r}")
    return group


def _checked(group: object, frequency: object, flip: object) -> tuple[Group, int, int | None]:
    """``(group, k, j)`` of an existing irrep, $j$ defaulted; ValueError naming the valid range."""
    group = _check_supported(group)
    top = _top_frequency(group)
    if not is_int(frequency) or frequency < 0 or (top is not None and frequency > top):
        valid = "k >= 0" if top is None else f"0..{top}"
        raise ValueError(f"{group} has irreps of frequency {valid}, got {frequency!r}")
    if isinstance(group, _ROTATION_GROUPS):
        if flip is not None:
            raise ValueError(f"flip is only for DihedralGroup and O2 irreps, got flip={flip!r} for {group}")
        return group, frequency, None
    one_dim = _is_one_dimensional(group, frequency)
    if flip is None:
        flip = 0 if one_dim else 1
    if not is_int(flip) or flip not in ((0, 1) if one_dim else (1,)):
        valid = "0 or 1" if one_dim else "1 (the irrep is 2-D)"
        raise ValueError(f"ψ_{{j,{frequency}}} of {group} expects flip j = {valid}, got {flip!r}")
    return group, frequency, flip


def irrep(group: Group, frequency: int, flip: int | None = None) -> Irrep:
    """The irrep $ψ_k$ ($C_n$, SO(2): $ψ_k(R(θ)) = R(kθ)$) or $ψ_{j,k}$ ($D_n$, O(2):
    $ψ_{1,k}(R(θ) F^m) = R(kθ) F^m$) of frequency $k$; the 1-D ones are signs (module docstring).

    $k ∈ 0…⌊n/2⌋$ for $C_n$/$D_n$, any $k ≥ 0$ for SO(2)/O(2).  ``flip`` $j$ is only
    for $D_n$/O(2): it must be 1 (the default) for 2-D irreps and picks $ψ_{0,k}$
    (default) or $ψ_{1,k}$ for the 1-D ones ($k = 0$, and $k = n/2$ for even $n$).
    """
    return Irrep(group, frequency, flip)


def irreps(group: Group, max_frequency: int | None = None) -> list[Irrep]:
    """All irreps of frequency ``≤ max_frequency``, by frequency (then flip).

    For $C_n$/$D_n$ the default is all of them; SO(2)/O(2) have infinitely many and
    need ``max_frequency``.  $Σ_ψ d_ψ m_ψ = |G|$ for finite groups ($m = d/c$).
    """
    group = _check_supported(group)
    top = _top_frequency(group)
    if max_frequency is None and top is None:
        raise ValueError(f"{group} has infinitely many irreps: pass max_frequency (an int >= 0), got None")
    if max_frequency is not None and (not is_int(max_frequency) or max_frequency < 0):
        raise ValueError(f"max_frequency expects an int >= 0 or None, got {max_frequency!r}")
    last = min(k for k in (top, max_frequency) if k is not None)
    if isinstance(group, _ROTATION_GROUPS):
        return [irrep(group, k) for k in range(last + 1)]
    return [irrep(group, k, j) for k in range(last + 1) for j in _flips(group, k)]


_NAME = re.compile(r"ψ_(?:(\d+)|\{([01]),(\d+)\})")


def irrep_named(group: Group, name: str) -> Irrep:
    """The irrep whose ``name`` is ``name`` (``"ψ_k"`` or ``"ψ_{j,k}"``)."""
    match = _NAME.fullmatch(name) if isinstance(name, str) else None
    if match is None:
        raise ValueError(f"expected an irrep name 'ψ_k' or 'ψ_{{j,k}}', got {name!r}")
    k, j, jk = match.groups()
    found = irrep(group, int(k)) if k is not None else irrep(group, int(jk), int(j))
    if found.name != name:
        raise ValueError(f"{group} has no irrep named {name!r} (did you mean {found.name!r}?)")
    return found
