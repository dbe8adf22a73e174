"""Invariant scalars from fields: the value of a trivial field, the norm of any other.

    f_i ↦ f_i            (ρ_i trivial, ρ_i(g) = 1: already invariant, sign kept)
    f_i ↦ (‖f_i‖² + ε²)^{1/2} − ε   (otherwise; invariant as ‖ρ_i(g) f_i‖ = ‖f_i‖)

The smoothing $ε$ keeps gradients finite where a field is exactly zero (zero padding, a ReLU
that clips a whole field); the plain norm would backpropagate NaN there.

The output is $F$ trivial fields, $[g·out](x) = out(g⁻¹x)$.
"""

from __future__ import annotations

import torch
from torch import nn

from gcnn.representations.builtin import trivial
from gcnn.steerable.field_type import FieldType, is_trivial
from gcnn.steerable.norms import field_norms

__all__ = ["InvariantPool"]


class InvariantPool(nn.Module):
    """``(B, C, H, W) → (B, F, H, W)``: per field its value if trivial, its norm otherwise."""

    def __init__(self, field_type: FieldType, eps: float = 1e-6) -> None:
        super().__init__()
        if not isinstance(field_type, FieldType):
            raise ValueError(f"InvariantPool expects a FieldType, got {field_type!r}")
        if not isinstance(eps, (int, float)) or isinstance(eps, bool) or eps < 0:
            raise ValueError(f"eps expects a number >= 0, got {eps!r}")
        self.field_type = field_type
        self.eps = float(eps)
        self._out_type = FieldType(field_type.group, [trivial(field_type.group)] * len(field_type))
        scalar = [len(found) == 1 and is_trivial(found[0])
                  for found in (field_type.irreps(i) for i in range(len(field_type)))]
        self.register_buffer("scalar", torch.tensor(scalar), persistent=False)
        self.register_buffer("first_channel", torch.tensor([field_type.channels(i).start
                                                            for i in range(len(field_type))]), persistent=False)

    @property
    def in_type(self) -> FieldType:
        """The field type of inputs."""
        return self.field_type

    @property
    def out_type(self) -> FieldType:
        """$F$ trivial fields."""
        return self._out_type

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        norms = field_norms(self.field_type, x, self.eps)
        values = x.index_select(1, self.first_channel)
        return torch.where(self.scalar[:, None, None], values, norms)
