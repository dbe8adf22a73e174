"""Aggregation of edge values at their receiving nodes.

    sum:  a_i = Σ_{j : (i, j) ∈ E} m_ij        mean:  a_i = (1 / max(deg i, 1)) Σ_j m_ij

Both are invariant to the order of the edges (hence of the neighbours); a node without
incoming edges gets 0, never NaN.
"""

from __future__ import annotations

from typing import Literal

import torch

__all__ = ["aggregate", "AGGREGATIONS"]

Aggregation = Literal["sum", "mean"]
AGGREGATIONS: tuple[str, ...] = ("sum", "mean")


def aggregate(values: torch.Tensor, receivers: torch.Tensor, num_nodes: int, how: Aggregation = "sum") -> torch.Tensor:
    """``(num_nodes, C)``: the rows of ``values (E, C)`` summed (or averaged) by ``receivers (E,)``."""
    if how not in AGGREGATIONS:
        raise ValueError(f"expected aggregation in {AGGREGATIONS}, got {how!r}")
    total = values.new_zeros(num_nodes, values.shape[1]).index_add(0, receivers, values)
    if how == "sum":
        return total
    degree = torch.bincount(receivers, minlength=num_nodes).clamp(min=1)
    return total / degree.unsqueeze(1).to(values.dtype)
