"""Pooling over the group axis: from group signals to invariant feature maps."""

from __future__ import annotations

from typing import Literal

import torch
from torch import nn

__all__ = ["GroupPool"]


class GroupPool(nn.Module):
    """$P(F)(x) = max_{h∈G} F(x, h)$ (or the mean): ``(B, C, |G|, H, W) → (B, C, H, W)``.

    Since $L_g$ only permutes the group axis at each point, the result moves
    like an image: $P(L_g F) = g · P(F)$.  A global spatial pool after it is
    invariant.
    """

    def __init__(self, reduction: Literal["max", "mean"] = "max") -> None:
        super().__init__()
        if reduction not in ("max", "mean"):
            raise ValueError(f"reduction expects 'max' or 'mean', got {reduction!r}")
        self.reduction = reduction

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if x.dim() != 5:
            raise ValueError(f"expected input of shape (B, C, |G|, H, W), got {tuple(x.shape)}")
        return x.amax(dim=2) if self.reduction == "max" else x.mean(dim=2)

    def extra_repr(self) -> str:
        return f"reduction={self.reduction!r}"
