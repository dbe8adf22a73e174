"""The tensor-product nonlinearity: products of features, split into irreps and mixed back linearly.

Write the input in the irrep basis of its fields, $u = (Q_1 f_1, …, Q_F f_F) = (u_1, …, u_P)$ (one
$u_p$ per irrep $ψ_p$).  Every product $u_p ⊗ u_q$ transforms by $ψ_p ⊗ ψ_q$, which the
Clebsch–Gordan change of basis $C_{pq}$ splits into irreps, and an equivariant linear map $W$
(a 1 × 1 steerable convolution) takes the result to the output type:

    y(x) = W ⊕_{p ≤ q} C_{pq} (u_p(x) ⊗ u_q(x)).

Every step commutes with the group pointwise, so the layer is equivariant to every rotation (and
mirror) of the fibres; on images, exactly as far as the images themselves can be rotated.  It is
quadratic in $f$: the nonlinearity needs no sampling of the group and no norm.
"""

from __future__ import annotations

import torch
from torch import nn

from gcnn.representations.clebsch_gordan import clebsch_gordan
from gcnn.steerable.conv import SteerableConv2d
from gcnn.steerable.field_type import FieldType

__all__ = ["TensorProductNonlinearity"]


class TensorProductNonlinearity(nn.Module):
    """``TensorProductNonlinearity(in_type, out_type=None)``: ``(B, in_type.size, H, W) → (B, out_type.size, H, W)``,
    $y = W ⊕_{p≤q} C_{pq}(u_p ⊗ u_q)$ (module docstring); ``out_type`` defaults to ``in_type``."""

    def __init__(self, in_type: FieldType, out_type: FieldType | None = None) -> None:
        super().__init__()
        if not isinstance(in_type, FieldType) or not (out_type is None or isinstance(out_type, FieldType)):
            raise ValueError(f"TensorProductNonlinearity expects FieldTypes, got {in_type!r} and {out_type!r}")
        out_type = in_type if out_type is None else out_type
        irreps, to_irreps = _irrep_basis(in_type)
        C = in_type.size
        rows, products = [], []
        starts = [sum(psi.dim for psi in irreps[:p]) for p in range(len(irreps))]
        for p, a in enumerate(irreps):
            for q in range(p, len(irreps)):
                b = irreps[q]
                Q, parts = clebsch_gordan(a, b)
                block = torch.zeros(a.dim * b.dim, C * C, dtype=torch.float64)
                for i in range(a.dim):
                    for j in range(b.dim):
                        block[:, (starts[p] + i) * C + starts[q] + j] = Q[:, i * b.dim + j]
                rows.append(block)
                products.extend(parts)
        # u ⊗ u = (T ⊗ T)(f ⊗ f) with T = to_irreps, so the whole map on f ⊗ f is rows · (T ⊗ T)
        self.register_buffer("product_map", torch.cat(rows) @ torch.kron(to_irreps, to_irreps), persistent=False)
        self._in_type = in_type
        self.product_type = FieldType(in_type.group, products)
        self.mix = SteerableConv2d(self.product_type, out_type, 1)

    @property
    def in_type(self) -> FieldType:
        """The input field type."""
        return self._in_type

    @property
    def out_type(self) -> FieldType:
        """The output field type."""
        return self.mix.out_type

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        self._in_type.check_input(x, "TensorProductNonlinearity (in_type)")
        outer = torch.einsum("bphw,bqhw->bpqhw", x, x).flatten(1, 2)
        products = torch.einsum("kc,bchw->bkhw", self.product_map.to(x.dtype), outer)
        return self.mix(products)


def _irrep_basis(field_type: FieldType) -> tuple[list, torch.Tensor]:
    """The irreps of all fields in order, and the block-diagonal $T = ⊕_i Q_i$ with $u = T f$."""
    irreps = [psi for i in range(len(field_type)) for psi in field_type.irreps(i)]
    T = torch.block_diag(*(field_type.change_of_basis(i) for i in range(len(field_type))))
    return irreps, T
