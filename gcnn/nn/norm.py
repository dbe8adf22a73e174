"""Batch normalisation of group signals."""

from __future__ import annotations

import torch
from torch import nn

__all__ = ["GroupBatchNorm"]


class GroupBatchNorm(nn.BatchNorm3d):
    r"""$y = γ_c (F(c, h, x) − μ_c) / \sqrt{σ²_c + ε} + β_c$ on ``(B, C, |G|, H, W)``.

    Mean, variance and the affine $γ, β$ are shared over the group axis and
    space — one set per channel — so the layer commutes with every $L_g$.
    Arguments as for ``torch.nn.BatchNorm3d(channels, …)``.
    """

    def _check_input_dim(self, x: torch.Tensor) -> None:
        if x.dim() != 5 or x.shape[1] != self.num_features:
            raise ValueError(
                f"expected input of shape (B, C={self.num_features}, |G|, H, W), "
                f"got {tuple(x.shape)}"
            )
