"""Position–orientation graph convolutions in the style of PONITA (Bekkers et al. 2024), in 3-D.

Every node ``i`` carries a function on a grid of orientations ``o ∈ S²``: features ``f_i(o) ∈ ℝ^C``.
A pair of position–orientation points ``(x_i, o), (x_j, o')`` has bi-invariant attributes (they do not
change when both points are moved by the same element of SE(3)); the separable layer uses

    spatial, same orientation:  a_ij(o) = (o · (x_j − x_i),  ‖(x_j − x_i) − (o · (x_j − x_i)) o‖),
    fibre, same position:       b(o, o') = o · o',

and convolves first over space, then over the fibre, one kernel per channel (depth-wise), each
kernel an MLP of the invariants:

    g_i(o) = Σ_j k(a_ij(o)) ⊙ f_j(o),      h_i(o) = (1/|grid|) Σ_{o'} κ(o · o') ⊙ g_i(o'),
    f_i'(o) = f_i(o) + MLP(h_i(o)).

Vectors enter by ``v ↦ v · o`` and leave by ``Σ_o f(o) o / |grid|``.  With the continuous sphere
the layer is SE(3)-equivariant; on a grid it is exactly equivariant to the rotations that permute
the grid — the 60 rotations of the icosahedron for ``icosahedral_grid`` — and approximately to others.
"""

from __future__ import annotations

import itertools
import math

import torch
from torch import nn

from gcnn.graph.aggregate import aggregate
from gcnn.graph.mlp import mlp
from gcnn.validation import check_ints

__all__ = ["icosahedral_grid", "icosahedral_rotations", "spatial_invariants", "PositionOrientationLayer"]

_GOLDEN = (1 + math.sqrt(5)) / 2


def _unit(points: list[tuple[float, float, float]]) -> torch.Tensor:
    p = torch.tensor(points, dtype=torch.float64)
    return p / torch.linalg.vector_norm(p, dim=1, keepdim=True)


def icosahedral_grid(level: int = 1) -> torch.Tensor:
    """Orientations ``(O, 3)`` (float64) mapped onto themselves by every rotation of the icosahedron: its
    12 vertices (``level=0``), plus the 20 face and 30 edge directions (``level=1``, 62 in all)."""
    if level not in (0, 1):
        raise ValueError(f"icosahedral_grid expects level 0 or 1, got {level!r}")
    vertices = []
    for a, b in itertools.product((1.0, -1.0), repeat=2):  # cyclic permutations of (0, ±1, ±φ)
        vertices += [(0.0, a, b * _GOLDEN), (a, b * _GOLDEN, 0.0), (b * _GOLDEN, 0.0, a)]
    V = _unit(vertices)
    if level == 0:
        return V
    closest = (V @ V.T).fill_diagonal_(-2).max().item()  # neighbours: the largest off-diagonal cosine
    edges = [V[i] + V[j] for i, j in itertools.combinations(range(12), 2) if (V[i] @ V[j]).item() > closest - 1e-9]
    faces = [V[i] + V[j] + V[k] for i, j, k in itertools.combinations(range(12), 3)
             if min((V[i] @ V[j]).item(), (V[i] @ V[k]).item(), (V[j] @ V[k]).item()) > closest - 1e-9]
    others = torch.stack(edges + faces)
    return torch.cat([V, others / torch.linalg.vector_norm(others, dim=1, keepdim=True)])


def icosahedral_rotations() -> torch.Tensor:
    """The 60 rotations ``(60, 3, 3)`` of the icosahedron, by closure of a 5-fold and a 2-fold rotation."""
    axis = _unit([(0.0, 1.0, _GOLDEN)])[0]
    K = torch.tensor([[0, -axis[2], axis[1]], [axis[2], 0, -axis[0]], [-axis[1], axis[0], 0]], dtype=torch.float64)
    angle = 2 * math.pi / 5
    five = torch.eye(3, dtype=torch.float64) + math.sin(angle) * K + (1 - math.cos(angle)) * K @ K
    two = torch.diag(torch.tensor([-1.0, -1.0, 1.0], dtype=torch.float64))  # π about z, through an edge midpoint
    group = [torch.eye(3, dtype=torch.float64)]
    frontier = list(group)
    while frontier:
        new = []
        for g in frontier:
            for s in (five, two):
                h = s @ g
                if all((h - k).abs().max() > 1e-9 for k in group):
                    group.append(h)
                    new.append(h)
        frontier = new
    return torch.stack(group)


def spatial_invariants(x: torch.Tensor, edge_index: torch.Tensor, grid: torch.Tensor) -> torch.Tensor:
    """``(E, O, 2)``: ``(o · (x_j − x_i), ‖(x_j − x_i) − (o · (x_j − x_i)) o‖)`` for each edge ``(i, j)`` and
    orientation ``o`` of ``grid`` — unchanged when ``x`` and the grid are moved by one element of SE(3)."""
    receivers, senders = edge_index
    relative = x[senders] - x[receivers]  # x_j − x_i
    along = relative @ grid.T  # (E, O)
    across = torch.linalg.vector_norm(relative[:, None, :] - along[..., None] * grid, dim=-1)
    return torch.stack([along, across], dim=-1)


class PositionOrientationLayer(nn.Module):
    """``PositionOrientationLayer(channels, basis_dim)``: ``forward(f (N, O, C), edge_index, spatial_basis
    (E, O, B), fibre_basis (O, O, B)) → f' (N, O, C)`` (module docstring).

    The kernels are linear in a basis ``φ`` of the invariants that the model computes once and shares
    across layers (as PONITA does): ``k(a_ij(o)) = W φ(a_ij(o))``, ``κ(o · o') = V ψ(o · o')``."""

    def __init__(self, channels: int, basis_dim: int) -> None:
        super().__init__()
        check_ints(channels=channels, basis_dim=basis_dim)
        self.channels, self.basis_dim = channels, basis_dim
        self.spatial_kernel = nn.Linear(basis_dim, channels, bias=False)
        self.fibre_kernel = nn.Linear(basis_dim, channels, bias=False)
        self.update = nn.Sequential(nn.LayerNorm(channels), mlp(channels, 2 * channels, channels))

    def forward(self, f: torch.Tensor, edge_index: torch.Tensor, spatial_basis: torch.Tensor,
                fibre_basis: torch.Tensor) -> torch.Tensor:
        N, O, C = f.shape
        E = edge_index.shape[1]
        if C != self.channels or spatial_basis.shape != (E, O, self.basis_dim) or fibre_basis.shape != (O, O, self.basis_dim):
            raise ValueError(f"PositionOrientationLayer expects f (N, O, {self.channels}), spatial_basis "
                             f"(E, O, {self.basis_dim}), fibre_basis (O, O, {self.basis_dim}), got f {tuple(f.shape)}, "
                             f"spatial_basis {tuple(spatial_basis.shape)}, fibre_basis {tuple(fibre_basis.shape)}")
        receivers, senders = edge_index
        k = self.spatial_kernel(spatial_basis)  # (E, O, C)
        g = aggregate((k * f[senders]).flatten(1), receivers, N).view(N, O, C)
        kappa = self.fibre_kernel(fibre_basis)  # (O, O, C)
        h = torch.bmm(kappa.permute(2, 0, 1), g.permute(2, 1, 0)).permute(2, 1, 0) / O  # Σ_q κ_pq ⊙ g_q, per channel
        return f + self.update(h)
