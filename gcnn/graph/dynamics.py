"""Models that predict where ``n`` interacting particles will be: ``(x, v, c) ↦ x̂`` for positions
and velocities ``(B, n, d)`` and charges ``(B, n, 1)``, each system a fully connected graph.

* ``EGNNDynamics``: an ``EGNN`` with velocities; node input ``‖v_i‖``, edge inputs ``c_i c_j`` and
  ``‖x_i − x_j‖²`` — all E(n)-invariant, so ``x̂(Qx + t, Qv, c) = Q x̂(x, v, c) + t``.
* ``GNNDynamics``: a ``GNN`` on the raw ``[x_i ; v_i ; c_i]`` with edge input ``c_i c_j``, predicting
  the displacement, ``x̂ = x + GNN(…)``: equivariant only as far as it has learned to be.
* ``SEGNNDynamics``: ``SEGNNLayer`` s on steerable features (degrees ``0 … L``); node input
  ``‖v_i‖, c_i`` (degree 0) and ``x_i − x̄, v_i`` (degree 1), edge scalars ``c_i c_j``,
  ``‖x_i − x_j‖²``, attributes ``Y(x_i − x_j)`` and ``a_i = Y(v_i) + mean_j Y(x_i − x_j)``; predicts the
  displacement as a degree-1 output, ``x̂ = x + Δ``: exactly E(3)-equivariant.
* ``PONITADynamics``: ``PositionOrientationLayer`` s on a grid of orientations; node input at orientation
  ``o``: ``c_i``, ``v_i · o``, ``(x_i − x̄) · o``; edge scalars ``c_i c_j``; displacement read out as
  ``Σ_o f_i(o) o / |grid|``: exact for the grid's rotations, approximate for others.
* ``LinearDynamics``: ``x̂ = x + τ v`` with one learned ``τ``.

The set-up follows the charged-particle experiment of Satorras, Hoogeboom & Welling (2021).
"""

from __future__ import annotations

import torch
from torch import nn

from gcnn.graph.egnn import EGNN
from gcnn.graph.gnn import GNN
from gcnn.graph.graph import fully_connected_edges
from gcnn.graph.o3 import O3Gate, O3TensorProduct, spherical_attributes
from gcnn.graph.mlp import mlp
from gcnn.graph.ponita import PositionOrientationLayer, icosahedral_grid, spatial_invariants
from gcnn.graph.segnn import SEGNNLayer

__all__ = ["EGNNDynamics", "GNNDynamics", "SEGNNDynamics", "PONITADynamics", "LinearDynamics"]


class _Particles(nn.Module):
    """Shared input checks and the batched fully connected graph of ``B`` systems of ``n`` particles."""

    def _check(self, x: torch.Tensor, v: torch.Tensor, charges: torch.Tensor) -> None:
        shapes = {"x": x, "v": v, "charges": charges}
        if not all(isinstance(t, torch.Tensor) and t.dim() == 3 for t in shapes.values()) or not (
                x.shape == v.shape and charges.shape == (*x.shape[:2], 1)):
            got = ", ".join(f"{k} {tuple(t.shape) if isinstance(t, torch.Tensor) else t!r}" for k, t in shapes.items())
            raise ValueError(f"{type(self).__name__} expects x and v of shape (B, n, d) and charges (B, n, 1), got {got}")

    @staticmethod
    def _edges(batch_size: int, n: int, device: torch.device) -> tuple[torch.Tensor, torch.Tensor]:
        """``(edge_index, batch)`` of ``batch_size`` fully connected graphs of ``n`` nodes."""
        batch = torch.arange(batch_size, device=device).repeat_interleave(n)
        return fully_connected_edges(batch), batch


class EGNNDynamics(_Particles):
    """``EGNNDynamics(hidden_features=64, n_layers=4)``: ``forward(x, v, charges) → x̂`` (same shape as ``x``)."""

    def __init__(self, hidden_features: int = 64, n_layers: int = 4) -> None:
        super().__init__()
        self.egnn = EGNN(1, hidden_features, 1, n_layers, edge_features=2, velocity=True)

    def forward(self, x: torch.Tensor, v: torch.Tensor, charges: torch.Tensor) -> torch.Tensor:
        self._check(x, v, charges)
        B, n, d = x.shape
        edges, batch = self._edges(B, n, x.device)
        x, v, c = x.reshape(B * n, d), v.reshape(B * n, d), charges.reshape(B * n, 1)
        receivers, senders = edges
        squared = ((x[receivers] - x[senders]) ** 2).sum(dim=1, keepdim=True)
        edge_attr = torch.cat([c[receivers] * c[senders], squared], dim=1)
        speed = torch.linalg.vector_norm(v, dim=1, keepdim=True)
        _, x_new, _ = self.egnn(speed, x, edges, edge_attr, v, batch)
        return x_new.reshape(B, n, d)


class GNNDynamics(_Particles):
    """``GNNDynamics(dim=3, hidden_features=64, n_layers=4)``: ``forward(x, v, charges) → x̂``."""

    def __init__(self, dim: int = 3, hidden_features: int = 64, n_layers: int = 4) -> None:
        super().__init__()
        self.gnn = GNN(2 * dim + 1, hidden_features, dim, n_layers, edge_features=1)

    def forward(self, x: torch.Tensor, v: torch.Tensor, charges: torch.Tensor) -> torch.Tensor:
        self._check(x, v, charges)
        B, n, d = x.shape
        edges, batch = self._edges(B, n, x.device)
        c = charges.reshape(B * n, 1)
        h = torch.cat([x, v, charges], dim=2).reshape(B * n, -1)
        edge_attr = c[edges[0]] * c[edges[1]]
        return x + self.gnn(h, edges, edge_attr, batch).reshape(B, n, d)


class SEGNNDynamics(_Particles):
    """``SEGNNDynamics(types={0: 32, 1: 16, 2: 8}, n_layers=4)``: ``forward(x, v, charges) → x̂`` in 3-D;
    the attributes go up to the largest degree of ``types``."""

    def __init__(self, types: dict[int, int] | None = None, n_layers: int = 4) -> None:
        super().__init__()
        self.types = {0: 32, 1: 16, 2: 8} if types is None else dict(types)
        L = max(self.types)
        self.attr_degree = L
        gate = O3Gate(self.types)
        self.embed = nn.ModuleList([O3TensorProduct({0: 2, 1: 2}, L, gate.in_types), gate])
        self.layers = nn.ModuleList([SEGNNLayer(self.types, L, edge_scalars=2) for _ in range(n_layers)])
        self.readout = O3TensorProduct(self.types, L, {1: 1})
        nn.init.zeros_(self.readout.weights["1"])  # start from x̂ = x; the first step moves it

    def forward(self, x: torch.Tensor, v: torch.Tensor, charges: torch.Tensor) -> torch.Tensor:
        self._check(x, v, charges)
        B, n, d = x.shape
        if d != 3:
            raise ValueError(f"SEGNNDynamics expects 3-D particles (B, n, 3), got {tuple(x.shape)}")
        edges, _ = self._edges(B, n, x.device)
        centred = (x - x.mean(dim=1, keepdim=True)).reshape(B * n, 3)
        x_flat, v_flat, c = x.reshape(B * n, 3), v.reshape(B * n, 3), charges.reshape(B * n, 1)
        receivers, senders = edges
        relative = x_flat[receivers] - x_flat[senders]
        edge_attr = spherical_attributes(relative, self.attr_degree)
        velocity_attr = spherical_attributes(v_flat, self.attr_degree)
        node_attr = {l: velocity_attr[l] + t.new_zeros(B * n, *t.shape[1:]).index_add(0, receivers, t) / (n - 1)
                     for l, t in edge_attr.items()}
        scalars = torch.cat([c[receivers] * c[senders], (relative**2).sum(dim=1, keepdim=True)], dim=1)
        speed = torch.linalg.vector_norm(v_flat, dim=1, keepdim=True)
        h = {0: torch.cat([speed, c], dim=1)[:, :, None], 1: torch.stack([centred, v_flat], dim=1)[:, :, [1, 2, 0]]}
        h = self.embed[1](self.embed[0](h, node_attr))
        for layer in self.layers:
            h = layer(h, edges, edge_attr, node_attr, scalars)
        displacement = self.readout(h, node_attr)[1][:, 0][:, [2, 0, 1]]  # degree 1 is (y, z, x): back to (x, y, z)
        return x + displacement.reshape(B, n, 3)


class PONITADynamics(_Particles):
    """``PONITADynamics(channels=32, n_layers=4, grid_level=0, basis_dim=32)``: ``forward(x, v, charges) → x̂``
    in 3-D on ``icosahedral_grid(grid_level)`` (12 or 62 orientations)."""

    def __init__(self, channels: int = 32, n_layers: int = 4, grid_level: int = 0, basis_dim: int = 32) -> None:
        super().__init__()
        self.register_buffer("grid", icosahedral_grid(grid_level), persistent=False)
        self.embed = nn.Linear(3, channels)
        self.spatial_basis = mlp(3, basis_dim, basis_dim, last_activation=True)  # (a_ij(o), c_i c_j) ↦ φ
        self.fibre_basis = mlp(1, basis_dim, basis_dim, last_activation=True)  # o · o' ↦ ψ
        self.layers = nn.ModuleList([PositionOrientationLayer(channels, basis_dim) for _ in range(n_layers)])
        self.readout = nn.Linear(channels, 1)

    def forward(self, x: torch.Tensor, v: torch.Tensor, charges: torch.Tensor) -> torch.Tensor:
        self._check(x, v, charges)
        B, n, d = x.shape
        if d != 3:
            raise ValueError(f"PONITADynamics expects 3-D particles (B, n, 3), got {tuple(x.shape)}")
        edges, _ = self._edges(B, n, x.device)
        grid = self.grid.to(x.dtype)
        O = grid.shape[0]
        centred = (x - x.mean(dim=1, keepdim=True)).reshape(B * n, 3)
        x_flat, v_flat, c = x.reshape(B * n, 3), v.reshape(B * n, 3), charges.reshape(B * n, 1)
        f = self.embed(torch.stack([c.expand(-1, O), v_flat @ grid.T, centred @ grid.T], dim=-1))  # (N, O, C)
        pair_charge = (c[edges[0]] * c[edges[1]])[:, None, :].expand(-1, O, 1)
        spatial = self.spatial_basis(torch.cat([spatial_invariants(x_flat, edges, grid), pair_charge], dim=-1))
        fibre = self.fibre_basis((grid @ grid.T)[..., None])
        for layer in self.layers:
            f = layer(f, edges, spatial, fibre)
        displacement = torch.einsum("no,od->nd", self.readout(f)[..., 0], grid) / O
        return x + displacement.reshape(B, n, 3)


class LinearDynamics(_Particles):
    """``x̂ = x + τ v``, ``τ`` learned (starts at 1)."""

    def __init__(self) -> None:
        super().__init__()
        self.time = nn.Parameter(torch.ones(()))

    def forward(self, x: torch.Tensor, v: torch.Tensor, charges: torch.Tensor) -> torch.Tensor:
        self._check(x, v, charges)
        return x + self.time * v
