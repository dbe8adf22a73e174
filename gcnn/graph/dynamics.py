r"""Models that predict where $n$ interacting particles will be: $(x, v, c) ↦ x̂$ for positions
and velocities ``(B, n, d)`` and charges ``(B, n, 1)``, each system a fully connected graph.

* ``EGNNDynamics``: an ``EGNN`` with velocities; node input $\|v_i\|$, edge inputs $c_i c_j$ and
  $\|x_i − x_j\|²$ — all E(n)-invariant, so $x̂(Qx + t, Qv, c) = Q x̂(x, v, c) + t$.
* ``GNNDynamics``: a ``GNN`` on the raw $[x_i ; v_i ; c_i]$ with edge input $c_i c_j$, predicting
  the displacement, ``x̂ = x + GNN(…)``: equivariant only as far as it has learned to be.
* ``LinearDynamics``: $x̂ = x + τ v$ with one learned $τ$.

The set-up follows the charged-particle experiment of Satorras, Hoogeboom & Welling (2021).  The
steerable and position–orientation models of the same kind are ``segnn.SEGNNDynamics`` and
``ponita.PONITADynamics``.
"""

from __future__ import annotations

import torch
from torch import nn

from gcnn.graph.egnn import EGNN
from gcnn.graph.gnn import GNN
from gcnn.graph.particles import ParticleModel

__all__ = ["EGNNDynamics", "GNNDynamics", "LinearDynamics"]


class EGNNDynamics(ParticleModel):
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


class GNNDynamics(ParticleModel):
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


class LinearDynamics(ParticleModel):
    """$x̂ = x + τ v$, $τ$ learned (starts at 1)."""

    def __init__(self) -> None:
        super().__init__()
        self.time = nn.Parameter(torch.ones(()))

    def forward(self, x: torch.Tensor, v: torch.Tensor, charges: torch.Tensor) -> torch.Tensor:
        self._check(x, v, charges)
        return x + self.time * v
