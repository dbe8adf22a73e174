r"""The regular representation of a finite group as a sum of irreps (real Peter–Weyl).

    ρ_reg(g) = Qᵀ (⊕_ψ ψ(g)^{⊕ m_ψ}) Q,    Q orthogonal,   m_ψ = d_ψ / c_ψ.

Row $(ψ, b, a)$ of $Q$ is the matrix-element function $g ↦ \sqrt{d_ψ/|G|} ψ(g)_{ab}$
for columns $b < m_ψ$.  Since $Σ_g ψ(u g)_{ab} f(g) = Σ_c ψ(u)_{ac} Σ_g ψ(g)_{cb} f(g)$,
each column $b$ is a copy of $ψ$; Schur orthogonality makes the rows orthonormal.
A real-type irrep ($c = 1$) appears $d$ times, one copy per column, as in the complex
theory; a complex-type one ($c = 2$: $R(kθ)$ of $C_n$) appears once, because its
second column is $R(π/2)$ times the first.  $Σ_ψ d_ψ m_ψ = |G|$.

In Fourier terms, block $(ψ, b)$ of ``Q f`` is $\sqrt{d_ψ |G|}$ times column $b$ of $f̂(ψ)$.
"""

from __future__ import annotations

import math

import torch

from gcnn.groups.compact import CompactGroup
from gcnn.representations.base import Group, check_group
from gcnn.representations.irreps import Irrep, irreps

__all__ = ["regular_decomposition"]


def regular_decomposition(group: Group) -> tuple[torch.Tensor, list[tuple[Irrep, int]]]:
    """$(Q, [(ψ, m_ψ), …])$ with $ρ_{reg}(g) = Q⁻¹ (⊕_ψ ψ(g)^{⊕ m_ψ}) Q$, $Q⁻¹ = Qᵀ$.

    Blocks follow ``irreps(group)``, each irrep's $m_ψ$ copies in a row.
    """
    group = check_group(group, "regular_decomposition")
    if isinstance(group, CompactGroup):
        raise ValueError(f"regular_decomposition expects a finite group, got {group}")
    rows, multiplicities = [], []
    for psi in irreps(group):
        M = psi.matrices() * math.sqrt(psi.dim / group.order)  # (|G|, d, d)
        m = psi.regular_multiplicity
        rows += [M[:, :, b].T for b in range(m)]  # copy b: rows a of g ↦ ψ(g)_{ab}
        multiplicities.append((psi, m))
    return torch.cat(rows), multiplicities
