"""Steerable E(3)-equivariant message passing in the style of SEGNN (Brandstetter et al. 2022).

Node features ``h_i`` are direct sums of O(3) irreps (``gcnn.graph.o3``); every linear map is a tensor
product *conditioned* on spherical harmonics — of the relative position ``a_ij = Y(x_i − x_j)`` on
edges, of a node attribute ``a_i`` on nodes — followed by a gate:

    m_ij = σ(W₂^{a_ij} σ(W₁^{a_ij} [ĥ_i ; ĥ_j ; s_ij])),          s_ij: invariant edge scalars
    h_i' = h_i + W₄^{a_i} σ(W₃^{a_i} [ĥ_i ; mean_j m_ij]),        ĥ = O3Norm(h).

Rotating or reflecting the input moves every ``h_l`` by ``D_l(R)`` and every attribute alike, and each
conditioned tensor product commutes with that (only parity-even paths), so the layer is exactly
O(3)-equivariant; translations do not change ``x_i − x_j``; sums over neighbours make it
permutation-equivariant.
"""

from __future__ import annotations

import torch
from torch import nn

from gcnn.graph.aggregate import aggregate
from gcnn.graph.o3 import Features, O3Gate, O3Norm, O3TensorProduct, check_features

__all__ = ["SEGNNLayer", "concat_features"]


def concat_features(*parts: Features) -> Features:
    """Channel-wise concatenation of features, degree by degree."""
    degrees = sorted({l for part in parts for l in part})
    return {l: torch.cat([part[l] for part in parts if l in part], dim=1) for l in degrees}


class SEGNNLayer(nn.Module):
    """``SEGNNLayer(types, attr_degree, edge_scalars=0)``: ``forward(h, edge_index, edge_attr, node_attr,
    edge_scalars=None) → h'`` with ``h``, ``h'`` of ``types`` ``{l: C_l}``, ``edge_attr``/``node_attr`` the
    spherical harmonics ``{l: (E or N, 1, 2l + 1)}`` up to ``attr_degree``."""

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
