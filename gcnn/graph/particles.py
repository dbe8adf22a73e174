"""The common ground of the particle models ``(x, v, charges) ↦ x̂``: positions and velocities
``(B, n, d)``, charges ``(B, n, 1)``, each of the $B$ systems a fully connected graph of $n$ nodes."""

from __future__ import annotations

import torch
from torch import nn

from gcnn.graph.graph import fully_connected_edges

__all__ = ["ParticleModel"]


class ParticleModel(nn.Module):
    """Shared input checks and the batched fully connected graph of $B$ systems of $n$ particles."""

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
