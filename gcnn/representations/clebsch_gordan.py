"""Clebsch–Gordan decomposition of a tensor product of two irreps.

    Q (ψ_a ⊗ ψ_b)(g) Q⁻¹ = ⊕_i σ_i(g),    Q orthogonal.

Selection rules (frequencies $k_a$, $k_b$), which the computed $σ_i$ obey:

* SO(2): $ψ_{k_a} ⊗ ψ_{k_b} = ψ_{|k_a−k_b|} ⊕ ψ_{k_a+k_b}$ for $k_a, k_b > 0$, where a
  2-D block of frequency 0 is two copies of $ψ_0$;
* O(2): $ψ_{1,k_a} ⊗ ψ_{1,k_b}$ likewise, with frequency 0 giving $ψ_{0,0} ⊕ ψ_{1,0}$;
  $ψ_{1,0} ⊗ ψ$ flips the sign of the mirror;
* $C_n$/$D_n$: the same with frequencies reduced mod $n$ and folded into
  $0…n/2$ ($k ↦ n − k$); a 2-D block of frequency $n/2$ splits into two 1-D irreps.

$Q$ is computed by ``decompose``: projection onto intertwiners by averaging over
the group (exact for $C_n$/$D_n$, and for SO(2)/O(2) over a grid of
$2(k_a + k_b) + 1$ rotations, enough for every frequency involved).
"""

from __future__ import annotations

import torch

from gcnn.groups.compact import CompactGroup
from gcnn.representations.combinators import tensor_product
from gcnn.representations.decompose import decompose
from gcnn.representations.irreps import Irrep

__all__ = ["clebsch_gordan"]


def clebsch_gordan(a: Irrep, b: Irrep) -> tuple[torch.Tensor, list[Irrep]]:
    """$(Q, [σ_1, …, σ_r])$ with $Q (ψ_a ⊗ ψ_b)(g) Qᵀ = σ_1(g) ⊕ … ⊕ σ_r(g)$, $Q$ orthogonal."""
    for x in (a, b):
        if not isinstance(x, Irrep):
            raise ValueError(f"clebsch_gordan expects two irreps (from irrep/irreps), got {x!r}")
    product = tensor_product(a, b)  # checks that a and b share a group
    band = a.frequency + b.frequency if isinstance(a.group, CompactGroup) else None
    return decompose(product, band)
