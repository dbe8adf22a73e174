"""Batch normalisation of feature fields that commutes with the group action.

Per field $f_i$ of dimension $d_i$, over the batch and the plane:

    μ   = mean_{b,x} P f(b, x)                      (P: projection onto the invariant subspace)
    σ²_i = mean_{b,x} ‖f_i(b, x) − μ_i‖² / d_i
    y_i = γ_i (f_i − μ_i) / √(σ²_i + ε) + P β

$P = ⊕_i Q_iᵀ E_i Q_i$ keeps the trivial-irrep parts of each field ($E_i$ selects them), so
only a vector with $ρ(g) μ = μ$ is subtracted and added; $σ_i$ is a norm, hence invariant, and
scales the whole field at once. Both commute with $[g·f](x) = ρ(g) f(g⁻¹x)$. On a regular field
of a finite group the trivial part is the mean over the group axis, and the layer is
``GroupBatchNorm``'s per-channel normalisation over group and plane. Running statistics (momentum and
the unbiased variance as in ``torch.nn.BatchNorm2d``) serve in eval mode.
"""

from __future__ import annotations

import torch
from torch import nn

from gcnn.steerable.field_type import FieldType, is_trivial
from gcnn.steerable.norms import field_membership

__all__ = ["FieldBatchNorm"]


class FieldBatchNorm(nn.Module):
    """``(B, C, H, W) → (B, C, H, W)`` on ``field_type``: the normalisation of the module docstring."""

    def __init__(self, field_type: FieldType, eps: float = 1e-5, momentum: float = 0.1) -> None:
        super().__init__()
        if not isinstance(field_type, FieldType):
            raise ValueError(f"FieldBatchNorm expects a FieldType, got {field_type!r}")
        for name, value in {"eps": eps, "momentum": momentum}.items():
            if not isinstance(value, (int, float)) or isinstance(value, bool) or not 0 < value <= 1:
                raise ValueError(f"{name} expects a number in (0, 1], got {value!r}")
        self.field_type, self.eps, self.momentum = field_type, float(eps), float(momentum)
        fields = len(field_type)
        self.weight = nn.Parameter(torch.ones(fields))
        self.bias = nn.Parameter(torch.zeros(field_type.size))
        membership = field_membership(field_type)
        self.register_buffer("membership", membership.float(), persistent=False)
        self.register_buffer("dims", membership.sum(dim=0).float(), persistent=False)
        self.register_buffer("invariant", _invariant_projection(field_type).float(), persistent=False)
        self.register_buffer("running_mean", torch.zeros(field_type.size))
        self.register_buffer("running_var", torch.ones(fields))

    @property
    def in_type(self) -> FieldType:
        """The field type of inputs (and outputs)."""
        return self.field_type

    @property
    def out_type(self) -> FieldType:
        """Unchanged: ``in_type``."""
        return self.field_type

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        self.field_type.check_input(x, "FieldBatchNorm")
        P, M = self.invariant.to(x.dtype), self.membership.to(x.dtype)
        if self.training:
            mean = P @ x.mean(dim=(0, 2, 3))
            centred = x - mean[:, None, None]
            count = x.numel() // x.shape[1] * self.dims.to(x.dtype)  # values per field
            var = torch.einsum("bchw,cf->f", centred * centred, M) / count
            with torch.no_grad():  # the running variance is the unbiased one, as in torch.nn.BatchNorm2d
                self.running_mean.lerp_(mean.to(self.running_mean.dtype), self.momentum)
                self.running_var.lerp_((var * count / (count - 1).clamp(min=1)).to(self.running_var.dtype), self.momentum)
        else:
            mean, var = self.running_mean.to(x.dtype), self.running_var.to(x.dtype)
            centred = x - mean[:, None, None]
        scale = M @ (self.weight.to(x.dtype) / (var + self.eps).sqrt())
        return centred * scale[:, None, None] + (P @ self.bias.to(x.dtype))[:, None, None]


def _invariant_projection(field_type: FieldType) -> torch.Tensor:
    r"""$P = ⊕_i Q_iᵀ E_i Q_i$ (float64, ``C × C``): the orthogonal projection onto $\{v : ρ(g) v = v\}$."""
    blocks = []
    for field in range(len(field_type)):
        keep = torch.cat([torch.full((psi.dim,), float(is_trivial(psi)), dtype=torch.float64)
                          for psi in field_type.irreps(field)])
        Q = field_type.change_of_basis(field)
        blocks.append(Q.T @ torch.diag(keep) @ Q)
    return torch.block_diag(*blocks)
