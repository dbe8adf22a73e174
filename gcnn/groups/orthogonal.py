r"""Random elements of the orthogonal group $O(d) = \{Q ∈ ℝ^{d×d} : QᵀQ = I\}$.

$Q$ is drawn from the Haar measure: $A = Q R$ (QR of a Gaussian matrix) with the signs
of ``diag R`` moved into $Q$, which makes $Q$ uniform on $O(d)$; then one column is
negated when needed so that ``det Q`` is $+1$ (a rotation) or $−1$ (a rotation
composed with a reflection).
"""

from __future__ import annotations

import torch

from gcnn.validation import check_ints

__all__ = ["random_orthogonal"]


def random_orthogonal(
    dim: int,
    reflection: bool = False,
    generator: torch.Generator | None = None,
    dtype: torch.dtype = torch.float64,
) -> torch.Tensor:
    """A Haar-random ``Q ∈ O(dim)`` with $det Q = −1$ if ``reflection`` else $+1$."""
    check_ints(dim=dim)
    if not isinstance(reflection, bool):
        raise ValueError(f"reflection expects a bool, got {reflection!r}")
    A = torch.randn(dim, dim, generator=generator, dtype=torch.float64)
    Q, R = torch.linalg.qr(A)
    Q = Q * torch.sign(torch.diagonal(R))  # signs of diag R into Q: Haar
    if (torch.linalg.det(Q) < 0) != reflection:
        Q[:, 0] = -Q[:, 0]
    return Q.to(dtype)
