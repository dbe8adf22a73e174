"""Steerable CNNs: feature fields, steerable kernel bases, convolutions and nonlinearities.

* ``field_type``: ``FieldType`` — $[g·f](x) = ρ(g) f(g⁻¹x)$, $ρ = ρ_1 ⊕ … ⊕ ρ_F$;
* ``harmonics``: ``irrep_kernel_basis`` — $k(gx) = ψ_{out}(g) k(x) ψ_{in}(g)⁻¹$ solved by circular
  harmonics (angular frequencies $n ∓ m$, aliased by $N$ for $C_N$/$D_N$) × radial rings;
* ``basis``: ``field_kernel_basis`` (block-wise, through each field's change of basis), ``constraint_error``;
* ``nullspace``: ``numerical_kernel_basis`` — the same constraint solved on the pixel grid;
* ``conv``: ``SteerableConv2d`` — $k = Σ_b w_b k_b$, one ``F.conv2d``;
* ``batch_norm``: ``FieldBatchNorm`` — centre the invariant part, scale each field by its norm;
* ``norm_nonlinearity``, ``gated``, ``fourier_pointwise``, ``tensor_product``, ``invariant_pool``:
  equivariant nonlinearities;
* ``checks``: ``field_equivariance_errors``.
"""

from typing import TYPE_CHECKING

from gcnn._lazy import lazy_package

if TYPE_CHECKING:
    from gcnn.steerable.basis import constraint_error, field_kernel_basis
    from gcnn.steerable.batch_norm import FieldBatchNorm
    from gcnn.steerable.checks import field_equivariance_errors
    from gcnn.steerable.conv import SteerableConv2d
    from gcnn.steerable.field_type import FieldType, act_on_image
    from gcnn.steerable.fourier_pointwise import FourierPointwise, fourier_field_type, fourier_sampling_matrix
    from gcnn.steerable.gated import GatedNonlinearity
    from gcnn.steerable.harmonics import circular_harmonic, irrep_kernel_basis
    from gcnn.steerable.invariant_pool import InvariantPool
    from gcnn.steerable.norm_nonlinearity import NormNonlinearity
    from gcnn.steerable.norms import field_norms
    from gcnn.steerable.nullspace import numerical_kernel_basis
    from gcnn.steerable.tensor_product import TensorProductNonlinearity

__all__ = [
    "FieldType",
    "act_on_image",
    "irrep_kernel_basis",
    "circular_harmonic",
    "field_kernel_basis",
    "constraint_error",
    "numerical_kernel_basis",
    "SteerableConv2d",
    "FieldBatchNorm",
    "NormNonlinearity",
    "GatedNonlinearity",
    "FourierPointwise",
    "TensorProductNonlinearity",
    "fourier_field_type",
    "fourier_sampling_matrix",
    "InvariantPool",
    "field_norms",
    "field_equivariance_errors",
]

lazy_package(__name__)
