r"""Steerable E(3)-equivariant message passing in the style of SEGNN (Brandstetter et al. 2022).

Node features $h_i$ are direct sums of O(3) irreps (``gcnn.graph.o3``); every linear map is a tensor
product *conditioned* on spherical harmonics — of the relative position $a_{ij} = Y(x_i − x_j)$ on
edges, of a node attribute $a_i$ on nodes — followed by a gate:

    m_ij = σ(W₂^{a_ij} σ(W₁^{a_ij} [ĥ_i ; ĥ_j ; s_ij])),          s_ij: invariant edge scalars
    h_i' = h_i + W₄^{a_i} σ(W₃^{a_i} [ĥ_i ; mean_j m_ij]),        ĥ = O3Norm(h).

Rotating or reflecting the input moves every $h_l$ by $D_l(R)$ and every attribute alike, and each
conditioned tensor product commutes with that (only parity-even paths), so the layer is exactly
O(3)-equivariant; translations do not change $x_i − x_j$; sums over neighbours make it
permutation-equivariant.

``SEGNNDynamics`` is the N-body model on these layers: node input $\|v_i\|, c_i$ (degree 0) and
$x_i − x̄, v_i$ (degree 1), edge scalars $c_i c_j$, $\|x_i − x_j\|²$, attributes $Y(x_i − x_j)$ and
$a_i = Y(v_i) + mean_j Y(x_i − x_j)$; it predicts the displacement as a degree-1 output, $x̂ = x + Δ$.
"""

from __future__ import annotations

import torch
from torch import nn

from gcnn.graph.aggregate import aggregate
from gcnn.graph.o3 import Features, O3Gate, O3Norm, O3TensorProduct, check_features, spherical_attributes
from gcnn.graph.particles import ParticleModel

__all__ = ["SEGNNLayer", "SEGNNDynamics", "concat_features"]


def concat_features(*parts: Features) -> Features:
    """Channel-wise concatenation of features, degree by degree."""
    degrees = sorted({l for part in parts for l in part})
    return {l: torch.cat([part[l] for part in parts if l in part], dim=1) for l in degrees}


class SEGNNLayer(nn.Module):
    r"""``SEGNNLayer(types, attr_degree, edge_scalars=0)``: ``forward(h, edge_index, edge_attr, node_attr,
    edge_scalars=None) → h'`` with ``h``, ``h'`` of ``types`` $\{l: C_l\}$, ``edge_attr``/``node_attr`` the
    spherical harmonics $\{l: (E or N, 1, 2l + 1)\}$ up to ``attr_degree``."""

    def __init__(self, types: dict[int, int], attr_degree: int, edge_scalars: int = 0) -> None:
        super().__init__()
        self.types = dict(types)
        self.edge_scalars = edge_scalars
        self.norm = O3Norm(types)
        gate = O3Gate(types)
        pair = {l: 2 * c for l, c in types.items()}
        pair[0] = pair.get(0, 0) + edge_scalars
        self.message = nn.ModuleList([O3TensorProduct(pair, attr_degree, gate.in_types), O3Gate(types),
                                      O3TensorProduct(types, attr_degree, gate.in_types), O3Gate(types)])
        self.update = nn.ModuleList([O3TensorProduct({l: 2 * c for l, c in types.items()}, attr_degree, gate.in_types),
                                     O3Gate(types), O3TensorProduct(types, attr_degree, types)])

    def forward(self, h: Features, edge_index: torch.Tensor, edge_attr: Features, node_attr: Features,
                edge_scalars: torch.Tensor | None = None) -> Features:
        h = check_features("SEGNNLayer (h)", h, self.types)
        receivers, senders = edge_index
        normed = self.norm(h)  # pre-norm: h' = h + u(norm(h)) keeps the residual stream from growing geometrically
        pair = concat_features({l: t[receivers] for l, t in normed.items()}, {l: t[senders] for l, t in normed.items()})
        if self.edge_scalars:
            pair[0] = torch.cat([pair[0], edge_scalars[:, :, None]], dim=1)
        m = self.message[1](self.message[0](pair, edge_attr))
        m = self.message[3](self.message[2](m, edge_attr))
        n = next(iter(h.values())).shape[0]
        summed = {l: aggregate(t.flatten(1), receivers, n, "mean").view(n, *t.shape[1:]) for l, t in m.items()}
        u = self.update[1](self.update[0](concat_features(normed, summed), node_attr))
        u = self.update[2](u, node_attr)
        return {l: h[l] + u[l] for l in h}


class SEGNNDynamics(ParticleModel):
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
