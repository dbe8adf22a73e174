r"""Field norms $\|f_i(x)\|$: invariant, since every field transforms by an orthogonal $ρ_i(g)$."""

from __future__ import annotations

import torch

from gcnn.steerable.field_type import FieldType

__all__ = ["field_membership", "field_norms"]


def field_membership(field_type: FieldType) -> torch.Tensor:
    """$M$ (float64, ``C × F``) with $M[c, i] = 1$ when channel $c$ belongs to field $i$."""
    M = torch.zeros(field_type.size, len(field_type), dtype=torch.float64)
    for field in range(len(field_type)):
        M[list(field_type.channels(field)), field] = 1.0
    return M


def field_norms(field_type: FieldType, x: torch.Tensor, eps: float = 0.0) -> torch.Tensor:
    r"""$(\|f_i(x)\|² + ε²)^{1/2} − ε$ for ``x`` ``(B, C, H, W)``: ``(B, F, H, W)``.

    $ε = 0$ gives the norm itself; $ε > 0$ a smoothed norm, still invariant, whose gradient
    stays finite where a field vanishes ($∂\|f\|/∂f = f/\|f\|$ has no limit at $f = 0$).
    """
    field_type.check_input(x, "field_norms")
    M = field_membership(field_type).to(dtype=x.dtype, device=x.device)
    return (torch.einsum("bchw,cf->bfhw", x * x, M) + eps**2).sqrt() - eps
