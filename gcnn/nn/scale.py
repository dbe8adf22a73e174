r"""Lifting convolution for the scale-translation group $ℝ² ⋊ ℝ_{>0}$, sampled at a few scales.

    (k ⋆ f)(x, s) = Σ_x̃ s⁻² k(s⁻¹(x̃ − x)) f(x̃).

The kernel is a continuous function, a combination of Hermite–Gaussian functions
$φ_{pq}(u) = H_p(u₁/σ) H_q(u₂/σ) exp(−|u|²/2σ²)$, ``p + q ≤ order``, so $s⁻² k(u/s)$ is sampled
afresh at every scale instead of resampling a kernel image.  In the continuum the layer is
scale-equivariant: for $f_a(x) = f(x/a)$, $(k \star f_a)(x, s) = (k \star f)(x/a, s/a)$ (substitute
$x̃ = a u$; the factor $s⁻²$ is what makes the $a²$ of $dx̃$ cancel).  On the pixel grid it is
approximate: the smallest scales sample the kernel coarsely.
"""

from __future__ import annotations

import math
from typing import Sequence

import torch
import torch.nn.functional as F
from torch import nn

from gcnn.validation import check_ints

__all__ = ["ScaleLiftingConv2d", "hermite_gaussian_basis"]


def hermite_gaussian_basis(points: torch.Tensor, order: int, sigma: float) -> torch.Tensor:
    """$φ_{pq}(u)$ for ``p + q ≤ order`` at ``points (..., 2)`` (physicists' Hermite polynomials):
    shape ``(B, ...)`` with ``B = (order + 1)(order + 2)/2``."""
    check_ints(minimum=0, order=order)
    u = points / sigma
    hermite = [torch.ones_like(u), 2 * u]  # H_0, H_1, then H_{n+1} = 2u H_n − 2n H_{n−1}
    for n in range(1, order):
        hermite.append(2 * u * hermite[n] - 2 * n * hermite[n - 1])
    gauss = torch.exp(-(u**2).sum(-1) / 2)
    return torch.stack([hermite[p][..., 0] * hermite[q][..., 1] * gauss
                        for p in range(order + 1) for q in range(order + 1 - p)])


class ScaleLiftingConv2d(nn.Module):
    r"""``ScaleLiftingConv2d(in_channels, out_channels, scales, order=2, sigma=1.0)``: images
    ``(B, C_in, H, W)`` → ``(B, C_out, S, H, W)``, $(k \star f)(x, s) = Σ_x̃ s⁻² k(s⁻¹(x̃ − x)) f(x̃)$.

    The output keeps the input size (zero padding); all scales share one kernel grid of
    ``2⌈5σ·max(scales)⌉ + 1`` pixels (the Gaussian is cut at 5σ).  ``weight`` is ``(C_out, C_in, B)``.
    """

    def __init__(self, in_channels: int, out_channels: int, scales: Sequence[float], order: int = 2,
                 sigma: float = 1.0) -> None:
        super().__init__()
        check_ints(in_channels=in_channels, out_channels=out_channels)
        scales = [float(s) for s in scales]
        if not scales or min(scales) <= 0 or not sigma > 0:
            raise ValueError(f"ScaleLiftingConv2d expects positive scales and sigma, got {scales!r}, sigma={sigma!r}")
        self.in_channels, self.out_channels, self.scales = in_channels, out_channels, scales
        radius = math.ceil(5 * sigma * max(scales))
        offsets = torch.arange(-radius, radius + 1, dtype=torch.float64)
        points = torch.stack([offsets[None, :].expand(2 * radius + 1, -1),
                              -offsets[:, None].expand(-1, 2 * radius + 1)], dim=-1)  # (x right, y up)
        stack = torch.stack([hermite_gaussian_basis(points / s, order, sigma) / s**2 for s in scales], dim=1)
        self.register_buffer("basis", stack, persistent=False)  # (B, S, K, K)
        self.weight = nn.Parameter(torch.empty(out_channels, in_channels, stack.shape[0]))
        nn.init.normal_(self.weight, std=1 / math.sqrt(in_channels * stack.shape[0]))

    def kernel_stack(self) -> torch.Tensor:
        """``(C_out, S, C_in, K, K)``: $s⁻² k(u/s)$ on the grid for each scale."""
        return torch.einsum("oib,bsxy->osixy", self.weight, self.basis.to(self.weight.dtype))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if not isinstance(x, torch.Tensor) or x.dim() != 4 or x.shape[1] != self.in_channels:
            shape = tuple(x.shape) if isinstance(x, torch.Tensor) else type(x).__name__
            raise ValueError(f"ScaleLiftingConv2d expects input of shape (B, C_in={self.in_channels}, H, W), got {shape}")
        stack = self.kernel_stack()
        K = stack.shape[-1]
        out = F.conv2d(x, stack.reshape(-1, self.in_channels, K, K), padding=K // 2)
        return out.unflatten(1, (self.out_channels, len(self.scales)))

    def extra_repr(self) -> str:
        return f"{self.in_channels}, {self.out_channels}, scales={self.scales}"
