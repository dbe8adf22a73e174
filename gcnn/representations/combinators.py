"""New representations from old: direct sums, tensor products and changes of basis.

* $(ρ_1 ⊕ … ⊕ ρ_n)(g) = diag(ρ_1(g), …, ρ_n(g))$ (block diagonal);
* $(ρ_a ⊗ ρ_b)(g) = ρ_a(g) ⊗ ρ_b(g)$ (Kronecker product, index $(i, j) ↦ i·d_b + j$);
* $ρ'(g) = Q ρ(g) Q⁻¹$ for an invertible $Q$.
"""

from __future__ import annotations

import torch

from gcnn.representations.base import Representation

__all__ = ["direct_sum", "tensor_product", "change_of_basis"]


def _check_reps(what: str, reps: tuple) -> None:
    if not reps:
        raise ValueError(f"{what} expects at least one Representation, got none")
    for rep in reps:
        if not isinstance(rep, Representation):
            raise ValueError(f"{what} expects Representations, got {rep!r}")
    for rep in reps[1:]:
        if rep.group != reps[0].group:
            raise ValueError(f"{what} expects representations of one group, got {reps[0].group} and {rep.group}")


def _wrap(name: str) -> str:
    return f"({name})" if " " in name else name


def direct_sum(*reps: Representation, name: str | None = None) -> Representation:
    """$(ρ_1 ⊕ … ⊕ ρ_n)(g) = diag(ρ_1(g), …, ρ_n(g))$, of dimension $Σ d_i$."""
    _check_reps("direct_sum", reps)
    return Representation(
        reps[0].group,
        sum(rep.dim for rep in reps),
        lambda g: torch.block_diag(*(rep.matrix(g) for rep in reps)),
        name or " ⊕ ".join(_wrap(rep.name) for rep in reps),
    )


def tensor_product(a: Representation, b: Representation, name: str | None = None) -> Representation:
    """$(ρ_a ⊗ ρ_b)(g) = ρ_a(g) ⊗ ρ_b(g)$ (``torch.kron``), of dimension $d_a · d_b$."""
    _check_reps("tensor_product", (a, b))
    return Representation(
        a.group, a.dim * b.dim, lambda g: torch.kron(a.matrix(g), b.matrix(g)),
        name or f"{_wrap(a.name)} ⊗ {_wrap(b.name)}",
    )


def change_of_basis(rep: Representation, Q: torch.Tensor, name: str | None = None) -> Representation:
    """$ρ'(g) = Q ρ(g) Q⁻¹$ for an invertible ``d × d`` matrix ``Q`` (an equivalent representation)."""
    _check_reps("change_of_basis", (rep,))
    if not isinstance(Q, torch.Tensor) or Q.shape != (rep.dim, rep.dim):
        shape = tuple(Q.shape) if isinstance(Q, torch.Tensor) else type(Q).__name__
        raise ValueError(f"change_of_basis expects a {rep.dim}×{rep.dim} tensor Q, got {shape}")
    Q = Q.to(torch.float64)
    singular = torch.linalg.svdvals(Q)
    if singular[-1] <= 1e-12 * singular[0]:
        raise ValueError(f"change_of_basis expects an invertible Q, got singular values {singular.tolist()}")
    Q_inverse = torch.linalg.inv(Q)
    return Representation(rep.group, rep.dim, lambda g: Q @ rep.matrix(g) @ Q_inverse,
                          name or f"Q {_wrap(rep.name)} Q⁻¹")
