r"""The norm nonlinearity: rescale each field by a function of its (invariant) norm.

    f_i ↦ σ(‖f_i‖ + b_i) f_i / ‖f_i‖

commutes with $ρ_i(g)$ because $\|ρ_i(g) f_i\| = \|f_i\|$ (orthogonal $ρ_i$).
"""

from __future__ import annotations

from typing import Callable

import torch
import torch.nn.functional as F
from torch import nn

from gcnn.steerable.field_type import FieldType
from gcnn.steerable.norms import field_membership, field_norms

__all__ = ["NormNonlinearity"]


class NormNonlinearity(nn.Module):
    r"""$f_i ↦ σ(\|f_i\| + b_i) f_i / \|f_i\|$ per field ($b$ learned, one per field; $σ$ default ReLU).

    ``eps`` guards the division: ``f_i / max(‖f_i‖, eps)``.
    """

    def __init__(self, field_type: FieldType, activation: Callable[[torch.Tensor], torch.Tensor] = F.relu,
                 bias: bool = True, eps: float = 1e-12) -> None:
        super().__init__()
        if not isinstance(field_type, FieldType):
            raise ValueError(f"NormNonlinearity expects a FieldType, got {field_type!r}")
        if not callable(activation):
            raise ValueError(f"NormNonlinearity expects a callable activation, got {activation!r}")
        self.field_type, self.activation, self.eps = field_type, activation, eps
        self.bias = nn.Parameter(torch.zeros(len(field_type))) if bias else None
        self.register_buffer("membership", field_membership(field_type), persistent=False)

    @property
    def in_type(self) -> FieldType:
        """The field type of inputs."""
        return self.field_type

    @property
    def out_type(self) -> FieldType:
        """The field type of outputs (same as the input)."""
        return self.field_type

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        norms = field_norms(self.field_type, x)  # (B, F, H, W)
        shifted = norms if self.bias is None else norms + self.bias.to(x.dtype)[:, None, None]
        scale = self.activation(shifted) / norms.clamp_min(self.eps)
        return x * torch.einsum("bfhw,cf->bchw", scale, self.membership.to(x.dtype))
