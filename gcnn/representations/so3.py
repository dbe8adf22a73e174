r"""Real spherical harmonics, the Wigner matrices of SO(3) and its Clebsch–Gordan coefficients.

    Y_l(R x) = D_l(R) Y_l(x),        C (D_{l1}(R) ⊗ D_{l2}(R)) = D_l(R) C.

Conventions, used by every function here (float64 throughout):

* $Y_l$ has $2l + 1$ components ordered $m = −l, …, l$ and is orthonormal on the
  unit sphere, $∫ Y_{l,m} Y_{l',m'} dΩ = δ_{ll'} δ_{mm'}$; no Condon–Shortley phase.
  With $x = (sin θ cos φ, sin θ sin φ, cos θ)$ and $N_{lm} = \sqrt{(2l+1)/(4π) (l−|m|)!/(l+|m|)!}$:
  $Y_{l,m} = \sqrt{2} N_{lm} P_l^m(cos θ) cos(mφ)$ ($m > 0$), $N_{l0} P_l(cos θ)$ ($m = 0$),
  $\sqrt{2} N_{l|m|} P_l^{|m|}(cos θ) sin(|m|φ)$ ($m < 0$).  So $Y_1 = \sqrt{3/4π} (y, z, x)$:
  degree 1 is the vector itself with its axes in the order $(y, z, x)$.
* $D_l(R)$ is real and orthogonal, $D_1(R) = P R Pᵀ$ with $P$ the permutation
  $(x, y, z) → (y, z, x)$.  $R$ may be any orthogonal matrix (O(3)): a reflection acts on
  $Y_l$ with parity, $D_l(−I) = (−1)^l I$.
* $C$ (``so3_clebsch_gordan``) is the intertwiner from $Y_{l1} ⊗ Y_{l2}$ to $Y_l$, unique
  up to scale for SO(3); its rows ($C$ as a ``(2l+1) × (2l1+1)(2l2+1)`` matrix) are
  orthonormal and its first entry above 1e-9 in absolute value is positive.  For
  reflections it intertwines only when $l1 + l2 + l$ is even ($1 ⊗ 1 → 1$, the cross
  product, gives a pseudovector).
"""

from __future__ import annotations

import math
from functools import lru_cache

import torch

from gcnn.groups.orthogonal import random_orthogonal
from gcnn.validation import is_int

__all__ = ["real_spherical_harmonics", "wigner_d", "so3_clebsch_gordan"]

_ORTHOGONAL_TOLERANCE = 1e-6


def _check_degree(l: object, name: str = "l") -> int:
    if not is_int(l) or l < 0:
        raise ValueError(f"{name} expects an int >= 0, got {l!r}")
    return l


def real_spherical_harmonics(l: int, points: torch.Tensor) -> torch.Tensor:
    """$Y_l(x / |x|)$, ``(..., 2l+1)``, for ``points`` ``(..., 3)``; ValueError for a zero vector
    (it has no direction).  Computed from Cartesian coordinates, regular at the poles."""
    _check_degree(l)
    if not isinstance(points, torch.Tensor) or points.ndim == 0 or points.shape[-1] != 3:
        shape = tuple(points.shape) if isinstance(points, torch.Tensor) else type(points).__name__
        raise ValueError(f"real_spherical_harmonics expects points of shape (..., 3), got {shape}")
    points = points.to(torch.float64)
    norm = torch.linalg.vector_norm(points, dim=-1, keepdim=True)
    if (norm == 0).any():
        raise ValueError("real_spherical_harmonics expects nonzero points (a direction), got a zero vector")
    x, y, z = (points / norm).unbind(-1)
    # (x + iy)^m = sin^m θ e^{imφ}; q_m is the normalised P_l^m(z) / sin^m θ, a polynomial in z
    q_mm = math.sqrt(1 / (4 * math.pi))
    columns = {0: _legendre_column(l, 0, z, q_mm)}
    real, imag = torch.ones_like(x), torch.zeros_like(x)
    for m in range(1, l + 1):
        real, imag = real * x - imag * y, real * y + imag * x
        q_mm *= math.sqrt((2 * m + 1) / (2 * m))
        q = math.sqrt(2) * _legendre_column(l, m, z, q_mm)
        columns[m], columns[-m] = q * real, q * imag
    return torch.stack([columns[m] for m in range(-l, l + 1)], dim=-1)


def _legendre_column(l: int, m: int, z: torch.Tensor, q_mm: float) -> torch.Tensor:
    r"""$N_{lm} P_l^m(z) / sin^m θ$ by recurrence in the degree $k = m+1, …, l$ from $q_{mm}$ at $k = m$:
    $q_k = a_k (z q_{k−1} − b_k q_{k−2})$, $a_k = \sqrt{(4k²−1)/(k²−m²)}$,
    $b_k = \sqrt{((k−1)²−m²)/(4(k−1)²−1)}$."""
    previous, current = torch.zeros_like(z), torch.full_like(z, q_mm)
    for k in range(m + 1, l + 1):
        a = math.sqrt((4 * k * k - 1) / (k * k - m * m))
        b = math.sqrt(((k - 1) ** 2 - m * m) / (4 * (k - 1) ** 2 - 1))
        previous, current = current, a * (z * current - b * previous)
    return current


@lru_cache(maxsize=None)
def _sample_points(l: int) -> tuple[torch.Tensor, torch.Tensor]:
    """$2(2l+1) + 2$ Fibonacci-lattice points $X$ on the sphere and the pseudo-inverse of $Y_l(X)$."""
    n = 2 * (2 * l + 1) + 2
    i = torch.arange(n, dtype=torch.float64) + 0.5
    z = 1 - 2 * i / n
    phi = math.pi * (3 - math.sqrt(5)) * i  # golden angle: well-spread, no symmetry
    rho = torch.sqrt(1 - z**2)
    points = torch.stack([rho * torch.cos(phi), rho * torch.sin(phi), z], dim=-1)
    return points, torch.linalg.pinv(real_spherical_harmonics(l, points))


def wigner_d(l: int, R: torch.Tensor) -> torch.Tensor:
    """$D_l(R)$, ``(..., 2l+1, 2l+1)``, with $Y_l(R x) = D_l(R) Y_l(x)$ for ``R`` ``(..., 3, 3)`` in O(3).

    Solved by least squares on $2(2l+1) + 2$ fixed points $x_i$: $Y_l(R x_i) = D_l(R) Y_l(x_i)$
    has the exact solution since $Y_l ∘ R$ stays in the span of $Y_l$, and $Y_l(x_i)$ has
    full rank.  ValueError unless ``R`` is orthogonal to within 1e-6.
    """
    _check_degree(l)
    if not isinstance(R, torch.Tensor) or R.ndim < 2 or R.shape[-2:] != (3, 3):
        shape = tuple(R.shape) if isinstance(R, torch.Tensor) else type(R).__name__
        raise ValueError(f"wigner_d expects R of shape (..., 3, 3), got {shape}")
    R = R.to(torch.float64)
    error = (R.transpose(-1, -2) @ R - torch.eye(3, dtype=torch.float64)).abs().max().item()
    if not error <= _ORTHOGONAL_TOLERANCE:
        raise ValueError(f"wigner_d expects an orthogonal R (|RᵀR − I| <= 1e-6), got |RᵀR − I| = {error:.1e}")
    points, pinv = _sample_points(l)
    moved = real_spherical_harmonics(l, points @ R.transpose(-1, -2))  # rows Y_l(R x_i)ᵀ = Y_l(x_i)ᵀ D_lᵀ
    return (pinv @ moved).transpose(-1, -2).contiguous()


def so3_clebsch_gordan(l1: int, l2: int, l: int) -> torch.Tensor:
    """$C$, ``(2l+1, 2l1+1, 2l2+1)``, with $C (D_{l1}(R) ⊗ D_{l2}(R)) = D_l(R) C$ for every rotation.

    ``(u ⊗ v) ↦ Σ_ij C[:, i, j] u_i v_j`` maps degree ``l1`` ⊗ ``l2`` features to degree ``l``.
    The null space of the constraint at three fixed random rotations (dense in SO(3)), by an
    eigendecomposition; cached, each call returns a fresh copy.  ValueError unless
    ``|l1 − l2| <= l <= l1 + l2``.
    """
    for name, value in (("l1", l1), ("l2", l2), ("l", l)):
        _check_degree(value, name)
    if not abs(l1 - l2) <= l <= l1 + l2:
        raise ValueError(f"so3_clebsch_gordan expects |l1 - l2| <= l <= l1 + l2 = {abs(l1 - l2)}..{l1 + l2}, "
                         f"got l1={l1}, l2={l2}, l={l}")
    return _clebsch_gordan(l1, l2, l).clone()


@lru_cache(maxsize=None)
def _clebsch_gordan(l1: int, l2: int, l: int) -> torch.Tensor:
    d, n = 2 * l + 1, (2 * l1 + 1) * (2 * l2 + 1)
    generator = torch.Generator().manual_seed(0)
    gram = torch.zeros(d * n, d * n, dtype=torch.float64)
    for _ in range(3):
        R = random_orthogonal(3, generator=generator)
        product = torch.kron(wigner_d(l1, R), wigner_d(l2, R))
        # row-major vec: vec(C M) = (I ⊗ Mᵀ) vec C,  vec(D C) = (D ⊗ I) vec C
        A = (torch.kron(torch.eye(d, dtype=torch.float64), product.T.contiguous())
             - torch.kron(wigner_d(l, R), torch.eye(n, dtype=torch.float64)))
        gram += A.T @ A
    C = torch.linalg.eigh(gram).eigenvectors[:, 0].reshape(d, n)  # the one null direction
    C = C * math.sqrt(d) / torch.linalg.norm(C)  # C Cᵀ = c I (Schur): now orthonormal rows
    C = torch.where(C.abs() < 1e-12, 0.0, C)  # exact zeros, not the eigensolver's round-off
    first = C.flatten()[C.flatten().abs() > 1e-9][0]
    return (C * torch.sign(first)).reshape(d, 2 * l1 + 1, 2 * l2 + 1)
