"""The gated nonlinearity: each field is scaled by a sigmoid of its own invariant scalar gate.

    (f_1, …, f_F, s_1, …, s_F) ↦ (sigmoid(s_1) f_1, …, sigmoid(s_F) f_F)

The gates $s_i$ are trivial (invariant) fields, so $sigmoid(s_i(g⁻¹x)) ρ_i(g) f_i(g⁻¹x)$
is the transformed output.
"""

from __future__ import annotations

import torch
from torch import nn

from gcnn.representations.builtin import trivial
from gcnn.steerable.field_type import FieldType
from gcnn.steerable.norms import field_membership

__all__ = ["GatedNonlinearity"]


class GatedNonlinearity(nn.Module):
    """``GatedNonlinearity(field_type)``: input ``field_type ⊕ trivial^F`` (the $F$ gates last),
    output ``field_type``, $f_i ↦ sigmoid(s_i) f_i$."""

    def __init__(self, field_type: FieldType) -> None:
        super().__init__()
        if not isinstance(field_type, FieldType):
            raise ValueError(f"GatedNonlinearity expects a FieldType, got {field_type!r}")
        self.field_type = field_type
        gates = [trivial(field_type.group)] * len(field_type)
        self._in_type = FieldType(field_type.group, [*field_type.reps, *gates], field_type.max_frequency)
        self.register_buffer("membership", field_membership(field_type), persistent=False)

    @property
    def in_type(self) -> FieldType:
        """``field_type ⊕ trivial^F``: the gated fields, then one gate per field."""
        return self._in_type

    @property
    def out_type(self) -> FieldType:
        """``field_type``."""
        return self.field_type

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        self._in_type.check_input(x, "GatedNonlinearity (in_type)")
        fields, gates = x[:, :self.field_type.size], x[:, self.field_type.size:]
        return fields * torch.einsum("bfhw,cf->bchw", torch.sigmoid(gates), self.membership.to(x.dtype))
