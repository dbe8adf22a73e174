"""A batch of graphs whose nodes are points: features $h_i$, positions $x_i ∈ ℝ^d$, optional
velocities $v_i$, edges $j → i$ and per-edge attributes, nodes of graph $b$ marked ``batch_i = b``.

The Euclidean group and node relabelling act on it by

    (Q, t) · (h, x, v) = (h, x Qᵀ + t, v Qᵀ)        (Q ∈ O(d), t ∈ ℝ^d per graph)
    π · (h, x, v, E)   = (h_π⁻¹, x_π⁻¹, v_π⁻¹, π(E))  (node i becomes node π(i)).

Edges are an ``edge_index`` of shape ``(2, E)``: row 0 the receiving node $i$, row 1 the
sending node $j$.  Without one, every graph is fully connected (``fully_connected_edges``).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import torch

__all__ = ["Graph", "fully_connected_edges", "edges_or_fully_connected", "check_batch", "check_edges", "check_matrix"]


def check_matrix(who: str, name: str, value: object, rows: int | None = None, cols: int | None = None) -> torch.Tensor:
    """ValueError unless ``value`` is a floating tensor ``(rows, cols)`` (``None``: any size)."""
    if (not isinstance(value, torch.Tensor) or not value.is_floating_point() or value.dim() != 2
            or (rows is not None and value.shape[0] != rows) or (cols is not None and value.shape[1] != cols)):
        got = f"{value.dtype} {tuple(value.shape)}" if isinstance(value, torch.Tensor) else repr(value)
        wanted = f"({'N' if rows is None else rows}, {'C' if cols is None else cols})"
        raise ValueError(f"{who} expects {name} as a floating tensor of shape {wanted}, got {got}")
    return value


def check_batch(batch: object, num_nodes: int) -> torch.Tensor:
    """ValueError unless ``batch`` is a non-decreasing int64 tensor ``(num_nodes,)`` starting at 0."""
    if (not isinstance(batch, torch.Tensor) or batch.dtype != torch.long or batch.shape != (num_nodes,)
            or (num_nodes and (batch[0] != 0 or (batch[1:] < batch[:-1]).any()))):
        got = f"{batch.dtype} {tuple(batch.shape)}" if isinstance(batch, torch.Tensor) else repr(batch)
        raise ValueError(f"expected batch as a sorted int64 tensor ({num_nodes},) of graph ids from 0, got {got}")
    return batch


def check_edges(edge_index: object, num_nodes: int) -> torch.Tensor:
    """ValueError unless ``edge_index`` is an int64 tensor ``(2, E)`` of node ids in ``[0, num_nodes)``."""
    if (not isinstance(edge_index, torch.Tensor) or edge_index.dtype != torch.long or edge_index.dim() != 2
            or edge_index.shape[0] != 2
            or (edge_index.numel() and (edge_index.min() < 0 or edge_index.max() >= num_nodes))):
        got = (f"{edge_index.dtype} {tuple(edge_index.shape)}" if isinstance(edge_index, torch.Tensor)
               else repr(edge_index))
        raise ValueError(f"expected edge_index as an int64 tensor (2, E) of node ids in [0, {num_nodes}), got {got}")
    return edge_index


def fully_connected_edges(batch: torch.Tensor) -> torch.Tensor:
    """``(2, E)``: every ordered pair $(i, j)$, $i ≠ j$, of nodes in the same graph, grouped by $i$.

    Node $i$ in a graph of $n$ nodes starting at $s$ receives from $s + k + [k ≥ i − s]$,
    $k = 0 … n − 2$: all nodes of its graph but itself."""
    check_batch(batch, batch.shape[0] if isinstance(batch, torch.Tensor) else -1)
    sizes = torch.bincount(batch)
    starts = torch.cumsum(sizes, 0) - sizes
    start, degree = starts[batch], sizes[batch] - 1  # per node
    receivers = torch.repeat_interleave(torch.arange(batch.shape[0], device=batch.device), degree)
    first_edge = torch.cumsum(degree, 0) - degree
    k = torch.arange(receivers.shape[0], device=batch.device) - first_edge[receivers]
    own = receivers - start[receivers]
    senders = start[receivers] + k + (k >= own).long()
    return torch.stack([receivers, senders])


def edges_or_fully_connected(edge_index: torch.Tensor | None, batch: torch.Tensor | None, num_nodes: int,
                             device: torch.device) -> torch.Tensor:
    """``edge_index`` checked, or, when it is ``None``, every graph of ``batch`` (default: one graph) fully connected."""
    if edge_index is not None:
        return check_edges(edge_index, num_nodes)
    ids = torch.zeros(num_nodes, dtype=torch.long, device=device) if batch is None else check_batch(batch, num_nodes)
    return fully_connected_edges(ids)


@dataclass(frozen=True)
class Graph:
    """Node features ``h (N, F)``, positions ``x (N, d)``, optional velocities ``v (N, d)``, edges
    ``edge_index (2, E)`` (``None``: fully connected per graph), ``edge_attr (E, A)`` and ``batch (N,)``
    (``None``: one graph)."""

    h: torch.Tensor
    x: torch.Tensor
    v: torch.Tensor | None = None
    edge_index: torch.Tensor | None = None
    edge_attr: torch.Tensor | None = None
    batch: torch.Tensor | None = None

    @property
    def num_nodes(self) -> int:
        return self.x.shape[0]

    def graph_ids(self) -> torch.Tensor:
        """``batch``, or all zeros for a single graph."""
        if self.batch is None:
            return torch.zeros(self.num_nodes, dtype=torch.long, device=self.x.device)
        return self.batch

    def transformed(self, Q: torch.Tensor, t: torch.Tensor) -> Graph:
        """$(h, x Qᵀ + t, v Qᵀ)$; ``t`` is ``(d,)`` or one row per graph ``(G, d)``."""
        shift = t if t.dim() == 1 else t[self.graph_ids()]
        Q = Q.to(self.x.dtype)
        return replace(self, x=self.x @ Q.T + shift.to(self.x.dtype), v=None if self.v is None else self.v @ Q.T)

    def permuted(self, perm: torch.Tensor) -> Graph:
        """Node $i$ becomes node ``perm[i]``; ``batch`` must stay sorted (permute within graphs)."""
        inverse = torch.empty_like(perm)
        inverse[perm] = torch.arange(perm.shape[0], device=perm.device)
        take = lambda t: None if t is None else t[inverse]  # noqa: E731
        edges = None if self.edge_index is None else perm[self.edge_index]
        return replace(self, h=take(self.h), x=take(self.x), v=take(self.v), edge_index=edges,
                       batch=take(self.batch))
