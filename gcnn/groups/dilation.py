"""The scale-translation group $ℝ^d ⋊ ℝ_{>0}$: $x ↦ s x + t$ (for $d = 1$ the affine group $x ↦ ax + b$).

    (t, s) · (t', s') = (t + s t', s s'),    (t, s)⁻¹ = (−t/s, 1/s).

It is locally compact but not compact, and not unimodular.  In the coordinates $(t, s)$:

    left Haar measure   dμ_L = s^{−(d+1)} dt ds     (μ_L(gA) = μ_L(A)),
    right Haar measure  dμ_R = s^{−1} dt ds         (μ_R(Ag) = μ_R(A)),
    modular function    Δ(t, s) = s^{−d}            (μ_L(A g) = Δ(g) μ_L(A)).

Left translation by $(u, a)$ maps $(t, s) ↦ (u + a t, a s)$ with Jacobian $a^{d+1}$, right
translation maps $(t, s) ↦ (t + s u, s a)$ with Jacobian $a$; the densities cancel them.
"""

from __future__ import annotations

import torch

from gcnn.validation import check_ints

__all__ = ["ScaleTranslations"]


class ScaleTranslations:
    """``ScaleTranslations(dim)``: elements are pairs $(t, s)$ of tensors, $t$ of shape ``(..., dim)``
    and $s > 0$ of shape ``(...)``; every method works on batches of elements."""

    def __init__(self, dim: int) -> None:
        check_ints(dim=dim)
        self.dim = dim

    def product(self, g: tuple[torch.Tensor, torch.Tensor],
                h: tuple[torch.Tensor, torch.Tensor]) -> tuple[torch.Tensor, torch.Tensor]:
        """$(t, s)(t', s') = (t + s t', s s')$."""
        (t, s), (u, a) = self._check(g), self._check(h)
        return t + s[..., None] * u, s * a

    def inverse(self, g: tuple[torch.Tensor, torch.Tensor]) -> tuple[torch.Tensor, torch.Tensor]:
        """$(t, s)⁻¹ = (−t/s, 1/s)$."""
        t, s = self._check(g)
        return -t / s[..., None], 1 / s

    def act(self, g: tuple[torch.Tensor, torch.Tensor], x: torch.Tensor) -> torch.Tensor:
        """$(t, s) · x = s x + t$ for points ``x`` of shape ``(..., dim)``."""
        t, s = self._check(g)
        return s[..., None] * x + t

    def left_haar_density(self, s: torch.Tensor) -> torch.Tensor:
        """$s^{−(d+1)}$: $dμ_L = s^{−(d+1)} dt ds$ is invariant under $A ↦ gA$."""
        return s ** -(self.dim + 1)

    def right_haar_density(self, s: torch.Tensor) -> torch.Tensor:
        """$s^{−1}$: $dμ_R = s^{−1} dt ds$ is invariant under $A ↦ Ag$."""
        return 1 / s

    def modular_function(self, s: torch.Tensor) -> torch.Tensor:
        """$Δ(t, s) = s^{−d}$, with $μ_L(A g) = Δ(g) μ_L(A)$."""
        return s ** -self.dim

    def _check(self, g: object) -> tuple[torch.Tensor, torch.Tensor]:
        if not (isinstance(g, tuple) and len(g) == 2 and all(isinstance(p, torch.Tensor) for p in g)
                and g[0].shape[-1:] == (self.dim,) and g[0].shape[:-1] == g[1].shape):
            described = tuple(tuple(p.shape) if isinstance(p, torch.Tensor) else type(p).__name__
                              for p in g) if isinstance(g, tuple) else type(g).__name__
            raise ValueError(f"ScaleTranslations({self.dim}) expects an element (t, s) of tensors with t of shape "
                             f"(..., {self.dim}) and s of shape (...), got {described}")
        if not bool((g[1] > 0).all()):
            raise ValueError(f"ScaleTranslations expects scales s > 0, got min {g[1].min().item()}")
        return g

    def __repr__(self) -> str:
        return f"ScaleTranslations({self.dim})"
