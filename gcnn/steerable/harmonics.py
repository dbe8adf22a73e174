r"""The analytic steerable kernels between two irreps: circular harmonics times radial rings.

A kernel $k: ℝ² → ℝ^{d_{out} × d_{in}}$ is steerable when

    k(g x) = ψ_out(g) k(x) ψ_in(g)⁻¹    for every g.

Write $x$ in polar form $(r, φ)$ and measure the angle from the mirror axis (the
$y$ axis, fixed by $F = diag(−1, 1)$): $ϑ = φ − π/2$.  Every irrep is a block of a
2-D representation $ψ̃_k(R(θ)F^m) = R(kθ)F^m$ of O(2) ($R(kθ)$ for rotation groups):
$ψ = Pᵀ ψ̃_k P$ with $P = I$ for 2-D irreps, $P = e₁$ for the 1-D ones of $C_n$/SO(2),
and for $D_n$/O(2) $P = e₁$ (flip 1: the $x$ component, a sign under $F$) or
$P = e₂$ (flip 0).  With $n$ the output frequency, $m$ the input frequency,
$J = R(π/2)$, $S = diag(1, −1)$, the solutions on a ring are

    k(r, ϑ) = τ(r) · P_outᵀ R(j ϑ) A P_in,
      A ∈ {I, J}:  j = n − m + N t,
      A ∈ {S, SJ}: j = n + m + N t,            t ∈ ℤ,

because $R(jϑ)$ commutes with rotations, $S R(a) = R(−a) S$ and $F R(a) F = R(−a)$:
$R(j(ϑ+θ)) A = R(nθ) R(jϑ) A R(−mθ)$ for $θ$ in the group.  $N$ is $n$ of
$C_n$/$D_n$; SO(2)/O(2) keep only $t = 0$.  The mirror ($ϑ → −ϑ$) needs
$F A F = A$, so $D_n$/O(2) keep $A ∈ \{I, S\}$ only.  In the 1-D cases the four
families overlap and repeats are dropped; written out ($j$ as above, $j ≥ 0$ where $±j$ repeat):

* ``1 × 1``: $cos jϑ$ and $sin jϑ$ ($C_n$/SO(2)); for $D_n$/O(2) $cos jϑ$ when the
  two flips agree, $sin jϑ$ when they differ (so SO(2)/O(2) give the constant, resp. nothing);
* ``2 × 1`` (2-D output): the columns $R(jϑ) e₁$, $R(jϑ) e₂$ ($D_n$/O(2): only $R(jϑ) P_{in}$);
* ``1 × 2``: the rows $e₁ᵀ R(jϑ)$, $e₂ᵀ R(jϑ)$ ($D_n$/O(2): only $P_{out}ᵀ R(jϑ)$);
* ``2 × 2``: $R((n−m)ϑ)$, $R((n−m)ϑ) J$, $R((n+m)ϑ) S$, $R((n+m)ϑ) S J$ (SO(2)), aliased by
  ``N t`` for $C_n$; $D_n$/O(2) keep $R(jϑ)$ and $R(jϑ) S$.

Radial rings $τ_R(r) = exp(−(r − R)² / 2σ²)$ sit at radii $R = 0, 1, …, ⌊(k−1)/2⌋$;
ring $R$ keeps ``|j| ≤ ⌊bandwidth · 2πR⌋`` (no more turns than a fraction of its
circumference in pixels; only $j = 0$ at $R = 0$), and $j ≠ 0$ harmonics are 0 at
the centre.  Sampled on the ``k × k`` grid (pixel centres, $x$ right, $y$ up, in
float64), elements that vanish or repeat earlier ones are dropped; each kept element
has unit Frobenius norm.
"""

from __future__ import annotations

import math
from fractions import Fraction
from functools import lru_cache
from typing import Sequence

import torch

from gcnn.groups.dihedral import DihedralGroup
from gcnn.groups.finite import FiniteGroup
from gcnn.groups.o2 import O2
from gcnn.representations.irreps import Irrep
from gcnn.validation import check_ints

__all__ = ["irrep_kernel_basis", "circular_harmonic", "ring_radii", "ring_frequencies", "grid_polar"]

_VANISHING = 1e-9  # an element with less norm than this fraction of its ring's is zero on the grid
_INDEPENDENT = 1e-6  # a candidate keeping less than this fraction of its norm repeats earlier ones
_I = torch.eye(2, dtype=torch.float64)
_J = torch.tensor([[0.0, -1.0], [1.0, 0.0]], dtype=torch.float64)
_S = torch.diag(torch.tensor([1.0, -1.0], dtype=torch.float64))


def grid_polar(kernel_size: int) -> tuple[torch.Tensor, torch.Tensor]:
    """$(r, ϑ)$ at the pixel centres of a ``k × k`` kernel (float64): $x = col − c$, $y = c − row$,
    $c = (k − 1)/2$, $ϑ = atan2(y, x) − π/2$."""
    check_ints(kernel_size=kernel_size)
    c = (kernel_size - 1) / 2
    coords = torch.arange(kernel_size, dtype=torch.float64) - c
    x, y = coords[None, :].expand(kernel_size, -1), -coords[:, None].expand(-1, kernel_size)
    return torch.hypot(x, y), torch.atan2(y, x) - math.pi / 2


@lru_cache(maxsize=512)
def circular_harmonic(kernel_size: int, j: int) -> tuple[torch.Tensor, torch.Tensor]:
    """$(cos jϑ, sin jϑ)$ on the ``k × k`` grid, 0 at the centre for $j ≠ 0$ (float64; treat as read-only).

    $e^{ijϑ} = ((y − i x)/r)^j$ is computed from the Gaussian integer $(2y − 2ix)^j$ exactly and
    rounded once, so harmonics vanish exactly where they should (e.g. $sin 4ϑ$ on the axes).
    """
    check_ints(kernel_size=kernel_size)
    values = torch.zeros(2, kernel_size, kernel_size, dtype=torch.float64)
    for row in range(kernel_size):
        for col in range(kernel_size):
            X, Y = 2 * col - (kernel_size - 1), (kernel_size - 1) - 2 * row  # 2x, 2y: integers
            if X == Y == 0:
                values[0, row, col] = 1.0 if j == 0 else 0.0
                continue
            re, im = 1, 0
            for _ in range(abs(j)):
                re, im = re * Y + im * X, im * Y - re * X  # (re + i im)(Y − i X)
            scale = Fraction((X * X + Y * Y) ** abs(j))
            for index, part in enumerate((re, im if j >= 0 else -im)):
                values[index, row, col] = math.copysign(math.sqrt(Fraction(part * part) / scale), part)
    return values[0], values[1]


def ring_radii(kernel_size: int) -> list[float]:
    """$[0, 1, …, ⌊(k − 1)/2⌋]$: the default ring radii."""
    check_ints(kernel_size=kernel_size)
    return [float(R) for R in range((kernel_size - 1) // 2 + 1)]


def ring_frequencies(radius: float, bandwidth: float) -> int:
    """``L_R = ⌊bandwidth · 2πR⌋``: the largest $|j|$ kept on ring $R$."""
    return math.floor(bandwidth * math.tau * radius + 1e-9)


def _embedding(psi: Irrep) -> torch.Tensor:
    """$P$ with $ψ = Pᵀ ψ̃ P$: $I$ (2-D), $e₁$ or $e₂$ (1-D)."""
    if psi.dim == 2:
        return _I
    return _I[:, 1:] if psi.flip == 0 else _I[:, :1]


def _families(out: Irrep, inp: Irrep) -> list[tuple[torch.Tensor, int]]:
    r"""$(A, j₀)$: $A ∈ \{I, J\}$ with $j₀ = n − m$, $A ∈ \{S, SJ\}$ with $j₀ = n + m$ (no $J$ with mirrors)."""
    n, m = out.frequency, inp.frequency
    families = [(_I, n - m), (_S, n + m)]
    if not isinstance(out.group, (DihedralGroup, O2)):
        families += [(_J, n - m), (_S @ _J, n + m)]
    return families


def _frequencies(group: object, j0: int, limit: int) -> list[int]:
    """$j = j₀ + N t$ with ``|j| ≤ limit`` ($t = 0$ only for SO(2)/O(2)), by $|j|$."""
    if not isinstance(group, FiniteGroup):
        return [j0] if abs(j0) <= limit else []
    N = group.n
    return sorted((j for j in range(-limit, limit + 1) if (j - j0) % N == 0), key=lambda j: (abs(j), j))


def irrep_kernel_basis(
    out: Irrep,
    inp: Irrep,
    kernel_size: int,
    radii: Sequence[float] | None = None,
    sigma: float = 0.6,
    bandwidth: float = 0.35,
) -> torch.Tensor:
    """The sampled solutions ``(B, d_out, d_in, k, k)`` of $k(gx) = ψ_{out}(g) k(x) ψ_{in}(g)⁻¹$, float64:
    $τ_R(r) P_{out}ᵀ R(jϑ) A P_{in}$ (module docstring) for each ring $R$ of ``radii`` (default
    ``ring_radii(k)``) and each allowed $(A, j)$, repeats dropped, each of unit norm."""
    if not isinstance(out, Irrep) or not isinstance(inp, Irrep):
        raise ValueError(f"irrep_kernel_basis expects two Irreps, got {out!r} and {inp!r}")
    if out.group != inp.group:
        raise ValueError(f"irrep_kernel_basis expects irreps of one group, got {out.group} and {inp.group}")
    if not (sigma > 0 and bandwidth >= 0):
        raise ValueError(f"expected sigma > 0 and bandwidth >= 0, got sigma={sigma!r}, bandwidth={bandwidth!r}")
    r, _ = grid_polar(kernel_size)
    P_out, P_in = _embedding(out), _embedding(inp)
    candidates = []
    for R in ring_radii(kernel_size) if radii is None else radii:
        ring = torch.exp(-((r - R) ** 2) / (2 * sigma**2))
        limit = ring_frequencies(R, bandwidth)
        floor = _VANISHING * torch.linalg.vector_norm(ring)
        for A, j0 in _families(out, inp):
            frequencies = _frequencies(out.group, j0, limit)
            if not frequencies:
                continue
            # R(jϑ) = cos jϑ · I + sin jϑ · J, so P_outᵀ R(jϑ) A P_in = cos jϑ · C + sin jϑ · D
            C, D = P_out.T @ A @ P_in, P_out.T @ _J @ A @ P_in
            cos, sin = (torch.stack(parts) for parts in zip(*(circular_harmonic(kernel_size, j) for j in frequencies)))
            elements = (C[None, :, :, None, None] * (ring * cos)[:, None, None]
                        + D[None, :, :, None, None] * (ring * sin)[:, None, None])
            norms = torch.linalg.vector_norm(elements.flatten(1), dim=1)
            candidates.extend(elements[norms > floor])
    return _independent(candidates, (out.dim, inp.dim, kernel_size, kernel_size))


def _independent(candidates: list[torch.Tensor], shape: tuple[int, ...]) -> torch.Tensor:
    """The candidates, in order, that are not (nearly) in the span of the ones kept before; unit norm."""
    if not candidates:
        return torch.zeros(0, *shape, dtype=torch.float64)
    V = torch.stack([v.flatten() for v in candidates])
    V = V / torch.linalg.vector_norm(V, dim=1, keepdim=True)
    basis = torch.zeros(0, V.shape[1], dtype=torch.float64)  # orthonormal rows spanning the kept ones
    kept = []
    for i, v in enumerate(V):
        residual = v - basis.T @ (basis @ v)
        residual = residual - basis.T @ (basis @ residual)  # twice: orthogonal to rounding
        left = torch.linalg.vector_norm(residual)
        if left > _INDEPENDENT:
            basis = torch.cat([basis, (residual / left)[None]])
            kept.append(i)
    return V[kept].reshape(-1, *shape)
