r"""The steerable kernels of a finite group found numerically, as a null space on the pixel grid.

For a group whose elements all map the ``k × k`` grid to itself ($C_4$, $D_4$ and their
subgroups), $k(gx) = ρ_{out}(g) k(x) ρ_{in}(g)⁻¹$ is exactly linear on the pixels:
$k = T_g k$ with $T_g k = ρ_{out}(g) [g · k] ρ_{in}(g)ᵀ$, an orthogonal map.  The solutions
are the range of the projector $Π = (1/|G|) Σ_g T_g$ (eigenvalue 1), the null space of
$\{T_g − I\}$.
"""

from __future__ import annotations

import torch

from gcnn.groups.finite import FiniteGroup
from gcnn.representations.base import Representation
from gcnn.validation import check_ints

__all__ = ["numerical_kernel_basis"]


def numerical_kernel_basis(rho_out: Representation, rho_in: Representation, kernel_size: int) -> torch.Tensor:
    """An orthonormal basis ``(B, d_out, d_in, k, k)`` (float64) of the range of $Π = (1/|G|) Σ_g T_g$."""
    group = rho_out.group
    if rho_in.group != group:
        raise ValueError(f"expected representations of one group, got {rho_out.group} and {rho_in.group}")
    if not isinstance(group, FiniteGroup) or not all(group.is_exact(g) for g in group.elements()):
        raise ValueError(f"expected a finite group of grid symmetries (e.g. C4, D4), got {group!r}")
    check_ints(kernel_size=kernel_size)
    shape = (rho_out.dim, rho_in.dim, kernel_size, kernel_size)
    size = rho_out.dim * rho_in.dim * kernel_size**2
    unit = torch.eye(size, dtype=torch.float64).reshape(size, *shape)
    projector = torch.zeros(size, size, dtype=torch.float64)
    for g in group.elements():
        moved = group.act_on_image(g, unit)
        projector += torch.einsum("po,boikl,qi->bpqkl", rho_out.matrix(g), moved, rho_in.matrix(g)).reshape(size, size)
    projector /= group.order
    values, vectors = torch.linalg.eigh((projector + projector.T) / 2)
    return vectors[:, values > 0.5].T.reshape(-1, *shape)
