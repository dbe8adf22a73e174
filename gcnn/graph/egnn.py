"""E(n)-equivariant graph neural network (Satorras, Hoogeboom & Welling 2021).

One layer, for edges $(i, j)$ ($j$ sends to $i$) with attributes $a_{ij}$:

    m_ij = φ_e(h_i, h_j, ‖x_i − x_j‖², a_ij)
    x_i' = x_i + C Σ_j (x_i − x_j) φ_x(m_ij)                 C = 1/deg(i) ("mean") or 1 ("sum")
    h_i' = h_i + φ_h(h_i, Σ_j m_ij)                           (the skip when the widths agree)

with velocities (``velocity=True``): $v_i' = φ_v(h_i) v_i + C Σ_j (x_i − x_j) φ_x(m_{ij})$,
$x_i' = x_i + v_i'$.  With ``attention=True`` messages are weighted, $m_{ij} ← σ(φ_a(m_{ij})) m_{ij}$.

Why it is E(n)-equivariant: for $x ↦ Qx + t$ ($Q$ orthogonal) the squared distances do not
change, so neither do $m_{ij}$ and ``h'``; each difference $x_i − x_j$ becomes $Q(x_i − x_j)$, so
the update $x_i' − x_i$ (and ``v'``) is rotated by $Q$ and $x_i' ↦ Q x_i' + t$.  Sums over
neighbours make every output equivariant to relabelling the nodes.
"""

from __future__ import annotations

import torch
from torch import nn

from gcnn.graph.aggregate import AGGREGATIONS, aggregate
from gcnn.graph.edges import edge_linear
from gcnn.graph.graph import check_matrix, edges_or_fully_connected
from gcnn.graph.mlp import mlp
from gcnn.validation import check_ints

__all__ = ["EGNNLayer", "EGNN"]

_COORDINATE_INIT_GAIN = 0.001  # φ_x starts near zero: early layers barely move the points


class EGNNLayer(nn.Module):
    """``EGNNLayer(node_features, hidden_features, out_features=None, edge_features=0, velocity=False,
    attention=False, aggregation="sum", coordinate_aggregation="mean")``.

    ``forward(h (N, F), x (N, d), edge_index=None, edge_attr=None, v=None, batch=None)`` returns
    ``(h' (N, F_out), x' (N, d))``, and ``v'`` too when ``velocity``.  Without ``edge_index`` each graph of
    ``batch`` (default: one graph) is fully connected.
    """

    def __init__(
        self,
        node_features: int,
        hidden_features: int,
        out_features: int | None = None,
        edge_features: int = 0,
        velocity: bool = False,
        attention: bool = False,
        aggregation: str = "sum",
        coordinate_aggregation: str = "mean",
    ) -> None:
        super().__init__()
        out_features = node_features if out_features is None else out_features
        check_ints(node_features=node_features, hidden_features=hidden_features, out_features=out_features)
        check_ints(minimum=0, edge_features=edge_features)
        for name, how in (("aggregation", aggregation), ("coordinate_aggregation", coordinate_aggregation)):
            if how not in AGGREGATIONS:
                raise ValueError(f"{name} expects one of {AGGREGATIONS}, got {how!r}")
        self.node_features, self.out_features, self.edge_features = node_features, out_features, edge_features
        self.velocity, self.attention = velocity, attention
        self.aggregation, self.coordinate_aggregation = aggregation, coordinate_aggregation
        self.edge_in = nn.Linear(2 * node_features + 1 + edge_features, hidden_features)
        self.edge_out = nn.Sequential(nn.SiLU(), nn.Linear(hidden_features, hidden_features), nn.SiLU())
        self.coordinate = mlp(hidden_features, hidden_features, 1, bias=False)
        nn.init.xavier_uniform_(self.coordinate[-1].weight, gain=_COORDINATE_INIT_GAIN)
        self.node = mlp(node_features + hidden_features, hidden_features, out_features)
        self.gate = nn.Sequential(nn.Linear(hidden_features, 1), nn.Sigmoid()) if attention else None
        self.speed = mlp(node_features, hidden_features, 1) if velocity else None

    def forward(
        self,
        h: torch.Tensor,
        x: torch.Tensor,
        edge_index: torch.Tensor | None = None,
        edge_attr: torch.Tensor | None = None,
        v: torch.Tensor | None = None,
        batch: torch.Tensor | None = None,
    ) -> tuple[torch.Tensor, ...]:
        edge_index = self._check(h, x, edge_index, edge_attr, v, batch)
        receivers, senders = edge_index
        difference = x[receivers] - x[senders]
        squared = (difference * difference).sum(dim=1, keepdim=True)
        inputs = squared if edge_attr is None else torch.cat([squared, edge_attr], dim=1)
        message = self.edge_out(edge_linear(self.edge_in, h, receivers, senders, inputs))
        if self.gate is not None:
            message = message * self.gate(message)
        shift = aggregate(difference * self.coordinate(message), receivers, h.shape[0], self.coordinate_aggregation)
        update = self.node(torch.cat([h, aggregate(message, receivers, h.shape[0], self.aggregation)], dim=1))
        h_new = h + update if self.out_features == self.node_features else update
        if self.speed is None:
            return h_new, x + shift
        v_new = self.speed(h) * v + shift
        return h_new, x + v_new, v_new

    def _check(self, h, x, edge_index, edge_attr, v, batch) -> torch.Tensor:
        """The edges to use; ValueError naming the first argument whose shape does not fit."""
        x = check_matrix("EGNNLayer", "x", x)
        n, d = x.shape
        check_matrix("EGNNLayer", "h", h, n, self.node_features)
        if self.velocity:
            check_matrix("EGNNLayer", "v", v, n, d)
        elif v is not None:
            raise ValueError("EGNNLayer got v, but it was built with velocity=False")
        edge_index = edges_or_fully_connected(edge_index, batch, n, x.device)
        if self.edge_features:
            check_matrix("EGNNLayer", "edge_attr", edge_attr, edge_index.shape[1], self.edge_features)
        elif edge_attr is not None:
            raise ValueError(f"EGNNLayer got edge_attr {tuple(edge_attr.shape)}, but it was built with edge_features=0")
        return edge_index

    def extra_repr(self) -> str:
        return (f"velocity={self.velocity}, attention={self.attention}, aggregation={self.aggregation!r}, "
                f"coordinate_aggregation={self.coordinate_aggregation!r}")


class EGNN(nn.Module):
    """``EGNN(node_features, hidden_features, out_features, n_layers=4, edge_features=0, velocity=False,
    attention=False, aggregation="sum", coordinate_aggregation="mean")``: a linear embedding
    ``F → hidden``, ``n_layers`` ``EGNNLayer``s of width ``hidden``, a linear read-out ``hidden → out``.

    ``forward(h, x, edge_index=None, edge_attr=None, v=None, batch=None)`` → ``(h_out, x')`` (and the last
    layer's ``v'``); the edges are built once and shared by the layers.  With velocities every layer gets
    the *input* velocities ``v``, as in the paper: $v_i' = φ_v(h_i) v_i + …$ with ``h`` and ``x`` of that layer.
    """

    def __init__(
        self,
        node_features: int,
        hidden_features: int,
        out_features: int,
        n_layers: int = 4,
        edge_features: int = 0,
        velocity: bool = False,
        attention: bool = False,
        aggregation: str = "sum",
        coordinate_aggregation: str = "mean",
    ) -> None:
        super().__init__()
        check_ints(node_features=node_features, out_features=out_features, n_layers=n_layers)
        self.velocity = velocity
        self.embed = nn.Linear(node_features, hidden_features)
        self.layers = nn.ModuleList(
            EGNNLayer(hidden_features, hidden_features, edge_features=edge_features, velocity=velocity,
                      attention=attention, aggregation=aggregation, coordinate_aggregation=coordinate_aggregation)
            for _ in range(n_layers))
        self.read_out = nn.Linear(hidden_features, out_features)

    def forward(
        self,
        h: torch.Tensor,
        x: torch.Tensor,
        edge_index: torch.Tensor | None = None,
        edge_attr: torch.Tensor | None = None,
        v: torch.Tensor | None = None,
        batch: torch.Tensor | None = None,
    ) -> tuple[torch.Tensor, ...]:
        n = check_matrix("EGNN", "x", x).shape[0]
        check_matrix("EGNN", "h", h, n, self.embed.in_features)
        edge_index = edges_or_fully_connected(edge_index, batch, n, x.device)
        h, v_new = self.embed(h), None
        for layer in self.layers:
            if self.velocity:  # every layer scales the input velocity (Satorras et al. 2021, eq. 7)
                h, x, v_new = layer(h, x, edge_index, edge_attr, v)
            else:
                h, x = layer(h, x, edge_index, edge_attr)
        out = self.read_out(h)
        return (out, x, v_new) if self.velocity else (out, x)
