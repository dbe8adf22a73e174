"""A plain message-passing network: the baseline that treats coordinates as ordinary features.

    m_ij = φ_e(h_i, h_j, a_ij),    h_i' = h_i + φ_h(h_i, Σ_j m_ij)

(Gilmer et al. 2017).  Positions and velocities enter only through $h$, so nothing ties the
output to rotations or translations of the input: the network must learn them from data.
"""

from __future__ import annotations

import torch
from torch import nn

from gcnn.graph.aggregate import AGGREGATIONS, aggregate
from gcnn.graph.edges import edge_linear
from gcnn.graph.graph import check_edges, check_matrix, edges_or_fully_connected
from gcnn.graph.mlp import mlp
from gcnn.validation import check_ints

__all__ = ["GNNLayer", "GNN"]


class GNNLayer(nn.Module):
    """``GNNLayer(features, hidden_features, edge_features=0, aggregation="sum")``:
    ``forward(h (N, F), edge_index (2, E), edge_attr=None) → h' (N, F)``."""

    def __init__(self, features: int, hidden_features: int, edge_features: int = 0, aggregation: str = "sum") -> None:
        super().__init__()
        check_ints(features=features, hidden_features=hidden_features)
        check_ints(minimum=0, edge_features=edge_features)
        if aggregation not in AGGREGATIONS:
            raise ValueError(f"aggregation expects one of {AGGREGATIONS}, got {aggregation!r}")
        self.features, self.edge_features, self.aggregation = features, edge_features, aggregation
        self.edge_in = nn.Linear(2 * features + edge_features, hidden_features)
        self.edge_out = nn.Sequential(nn.SiLU(), nn.Linear(hidden_features, hidden_features), nn.SiLU())
        self.node = mlp(features + hidden_features, hidden_features, features)

    def forward(self, h: torch.Tensor, edge_index: torch.Tensor, edge_attr: torch.Tensor | None = None) -> torch.Tensor:
        n = check_matrix("GNNLayer", "h", h, None, self.features).shape[0]
        receivers, senders = check_edges(edge_index, n)
        if self.edge_features:
            inputs = check_matrix("GNNLayer", "edge_attr", edge_attr, edge_index.shape[1], self.edge_features)
        else:
            inputs = h.new_zeros(edge_index.shape[1], 0)
        message = self.edge_out(edge_linear(self.edge_in, h, receivers, senders, inputs))
        return h + self.node(torch.cat([h, aggregate(message, receivers, n, self.aggregation)], dim=1))


class GNN(nn.Module):
    """``GNN(node_features, hidden_features, out_features, n_layers=4, edge_features=0, aggregation="sum")``:
    embedding, ``n_layers`` ``GNNLayer``s, read-out; ``forward(h, edge_index=None, edge_attr=None, batch=None)``
    → ``(N, out_features)`` (fully connected graphs when ``edge_index`` is ``None``)."""

    def __init__(self, node_features: int, hidden_features: int, out_features: int, n_layers: int = 4,
                 edge_features: int = 0, aggregation: str = "sum") -> None:
        super().__init__()
        check_ints(node_features=node_features, out_features=out_features, n_layers=n_layers)
        self.embed = nn.Linear(node_features, hidden_features)
        self.layers = nn.ModuleList(GNNLayer(hidden_features, hidden_features, edge_features, aggregation)
                                    for _ in range(n_layers))
        self.read_out = nn.Linear(hidden_features, out_features)

    def forward(self, h: torch.Tensor, edge_index: torch.Tensor | None = None, edge_attr: torch.Tensor | None = None,
                batch: torch.Tensor | None = None) -> torch.Tensor:
        n = check_matrix("GNN", "h", h, None, self.embed.in_features).shape[0]
        edge_index = edges_or_fully_connected(edge_index, batch, n, h.device)
        h = self.embed(h)
        for layer in self.layers:
            h = layer(h, edge_index, edge_attr)
        return self.read_out(h)
