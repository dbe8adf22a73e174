"""Representations of finite and compact groups of plane maps, and their irreps.

* ``base``: ``Representation`` — $ρ(g h) = ρ(g) ρ(h)$, float64 matrices;
* ``builtin``: ``trivial``, ``standard`` (the plane), ``regular`` ($[ρ_{reg}(g) f](h) = f(g⁻¹h)$);
* ``irreps``: every real irrep of $C_n$, $D_n$, SO(2), O(2) ($ψ_k$, $ψ_{j,k}$);
* ``combinators``: ``direct_sum``, ``tensor_product``, ``change_of_basis``;
* ``restriction``: ``restrict`` to a subgroup via ``inclusion``;
* ``decompose``: $Q ρ(g) Q⁻¹ = ⊕ σ_i(g)$ by averaging; ``clebsch_gordan`` for $ψ_a ⊗ ψ_b$;
* ``so3``: real spherical harmonics $Y_l$, Wigner $D_l$ ($Y_l(R x) = D_l(R) Y_l(x)$),
  ``so3_clebsch_gordan`` ($C (D_{l1} ⊗ D_{l2}) = D_l C$);
* ``checks``: each identity as a number (homomorphism, Schur, characters, decompositions).
"""

from typing import TYPE_CHECKING

from gcnn._lazy import lazy_package

if TYPE_CHECKING:
    from gcnn.representations.base import Representation
    from gcnn.representations.builtin import regular, standard, trivial
    from gcnn.representations.checks import (
        character_orthogonality_error,
        decomposition_error,
        homomorphism_error,
        orthogonality_error,
        schur_orthogonality_error,
    )
    from gcnn.representations.clebsch_gordan import clebsch_gordan
    from gcnn.representations.combinators import change_of_basis, direct_sum, tensor_product
    from gcnn.representations.decompose import decompose
    from gcnn.representations.irreps import Irrep, irrep, irrep_named, irreps
    from gcnn.representations.restriction import inclusion, restrict
    from gcnn.representations.so3 import real_spherical_harmonics, so3_clebsch_gordan, wigner_d

__all__ = [
    "Representation",
    "Irrep",
    "trivial",
    "standard",
    "regular",
    "irrep",
    "irreps",
    "irrep_named",
    "direct_sum",
    "tensor_product",
    "change_of_basis",
    "inclusion",
    "restrict",
    "decompose",
    "clebsch_gordan",
    "real_spherical_harmonics",
    "wigner_d",
    "so3_clebsch_gordan",
    "homomorphism_error",
    "schur_orthogonality_error",
    "character_orthogonality_error",
    "decomposition_error",
    "orthogonality_error",
]

lazy_package(__name__)
