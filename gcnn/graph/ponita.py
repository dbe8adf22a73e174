"""Position–orientation graph convolutions in the style of PONITA (Bekkers et al. 2024), in 3-D and 2-D.

Every node $i$ carries a function on a grid of orientations $o ∈ S²$: features $f_i(o) ∈ ℝ^C$.
A pair of position–orientation points $(x_i, o), (x_j, o')$ has bi-invariant attributes (they do not
change when both points are moved by the same element of SE(3)); the separable layer uses

    spatial, same orientation:  a_ij(o) = (o · (x_j − x_i),  ‖(x_j − x_i) − (o · (x_j − x_i)) o‖),
    fibre, same position:       b(o, o') = o · o',

and convolves first over space, then over the fibre, one kernel per channel (depth-wise), each
kernel linear in a basis of functions of the invariants, $k = W φ(a_{ij}(o))$, $κ = V ψ(o · o')$:

    g_i(o) = Σ_j k(a_ij(o)) ⊙ f_j(o),      h_i(o) = (1/|grid|) Σ_{o'} κ(o · o') ⊙ g_i(o'),
    f_i'(o) = f_i(o) + MLP(LayerNorm(h_i(o))).

Vectors enter by $v ↦ v · o$ and leave by ``Σ_o f(o) o / |grid|``.  With the continuous sphere
the layer is SE(3)-equivariant; on a grid it is exactly equivariant to the rotations that permute
the grid — the 60 rotations of the icosahedron for ``icosahedral_grid`` — and approximately to others.
In 2-D the same formulas work on $S¹$: ``circle_grid(n)`` is exact for rotations by multiples of $2π/n$.
"""

from __future__ import annotations

import itertools
import math

import torch
from torch import nn

from gcnn.graph.aggregate import aggregate
from gcnn.graph.mlp import mlp
from gcnn.graph.particles import ParticleModel
from gcnn.validation import check_ints

__all__ = ["icosahedral_grid", "icosahedral_rotations", "circle_grid", "spatial_invariants", "PositionOrientationLayer", "PONITADynamics"]

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


def circle_grid(n: int) -> torch.Tensor:
    """``n`` orientations ``(n, 2)`` (float64) at angles $2πk/n$: the grid of the 2-D model, mapped onto
    itself by the rotations by multiples of $2π/n$ (and the reflections of $D_n$)."""
    check_ints(minimum=3, n=n)
    angles = 2 * math.pi * torch.arange(n, dtype=torch.float64) / n
    return torch.stack([torch.cos(angles), torch.sin(angles)], dim=1)


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
    r"""``(E, O, 2)``: $(o · (x_j − x_i), \|(x_j − x_i) − (o · (x_j − x_i)) o\|)$ for each edge $(i, j)$ and
    orientation $o$ of ``grid`` — unchanged when ``x`` and the grid are moved by one element of E(d), in
    any dimension $d$ (in 2-D the second entry is $|o^\perp · (x_j − x_i)|$)."""
    receivers, senders = edge_index
    relative = x[senders] - x[receivers]  # x_j − x_i
    along = relative @ grid.T  # (E, O)
    across = torch.linalg.vector_norm(relative[:, None, :] - along[..., None] * grid, dim=-1)
    return torch.stack([along, across], dim=-1)


class PositionOrientationLayer(nn.Module):
    """``PositionOrientationLayer(channels, basis_dim)``: ``forward(f (N, O, C), edge_index, spatial_basis
    (E, O, B), fibre_basis (O, O, B)) → f' (N, O, C)`` (module docstring).

    The kernels are linear in a basis $φ$ of the invariants that the model computes once and shares
    across layers (as PONITA does): $k(a_{ij}(o)) = W φ(a_{ij}(o))$, $κ(o · o') = V ψ(o · o')$."""

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


class PONITADynamics(ParticleModel):
    """``PONITADynamics(channels=32, n_layers=4, grid_level=0, basis_dim=32, grid=None)``: ``forward(x, v,
    charges) → x̂`` on the orientations ``grid`` ``(O, d)`` — by default ``icosahedral_grid(grid_level)`` in
    3-D (12 or 62 orientations); ``circle_grid(n)`` gives the 2-D model."""

    def __init__(self, channels: int = 32, n_layers: int = 4, grid_level: int = 0, basis_dim: int = 32,
                 grid: torch.Tensor | None = None) -> None:
        super().__init__()
        grid = icosahedral_grid(grid_level) if grid is None else grid
        if not (isinstance(grid, torch.Tensor) and grid.dim() == 2 and grid.shape[1] in (2, 3) and
                torch.allclose(torch.linalg.vector_norm(grid.double(), dim=1), torch.ones(len(grid), dtype=torch.float64))):
            got = tuple(grid.shape) if isinstance(grid, torch.Tensor) else type(grid).__name__
            raise ValueError(f"PONITADynamics expects grid as unit vectors (O, 2) or (O, 3), got {got}")
        self.register_buffer("grid", grid.double(), persistent=False)
        self.embed = nn.Linear(3, channels)
        self.spatial_basis = mlp(3, basis_dim, basis_dim, last_activation=True)  # (a_ij(o), c_i c_j) ↦ φ
        self.fibre_basis = mlp(1, basis_dim, basis_dim, last_activation=True)  # o · o' ↦ ψ
        self.layers = nn.ModuleList([PositionOrientationLayer(channels, basis_dim) for _ in range(n_layers)])
        self.readout = nn.Linear(channels, 1)

    def forward(self, x: torch.Tensor, v: torch.Tensor, charges: torch.Tensor) -> torch.Tensor:
        self._check(x, v, charges)
        B, n, d = x.shape
        if d != self.grid.shape[1]:
            raise ValueError(f"PONITADynamics on a grid in {self.grid.shape[1]}-D expects particles "
                             f"(B, n, {self.grid.shape[1]}), got {tuple(x.shape)}")
        edges, _ = self._edges(B, n, x.device)
        grid = self.grid.to(x.dtype)
        O = grid.shape[0]
        centred = (x - x.mean(dim=1, keepdim=True)).reshape(B * n, d)
        x_flat, v_flat, c = x.reshape(B * n, d), v.reshape(B * n, d), charges.reshape(B * n, 1)
        f = self.embed(torch.stack([c.expand(-1, O), v_flat @ grid.T, centred @ grid.T], dim=-1))  # (N, O, C)
        pair_charge = (c[edges[0]] * c[edges[1]])[:, None, :].expand(-1, O, 1)
        spatial = self.spatial_basis(torch.cat([spatial_invariants(x_flat, edges, grid), pair_charge], dim=-1))
        fibre = self.fibre_basis((grid @ grid.T)[..., None])
        for layer in self.layers:
            f = layer(f, edges, spatial, fibre)
        displacement = torch.einsum("no,od->nd", self.readout(f)[..., 0], grid) / O
        return x + displacement.reshape(B, n, d)
