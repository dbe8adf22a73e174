"""Spatial pooling that commutes with 90° rotations and mirrors.

Pooling with windows of size $k$ and stride $s$ along an axis of length $n$
covers pixels $0 … (m−1)s + k − 1$ with $m = ⌊(n − k)/s⌋ + 1$ windows and
drops the remaining $(n − k) mod s$ pixels at the far end.  Rotating or
mirroring the input moves those dropped pixels to the other end, so
``pool(g · x) = g · pool(x)`` holds exactly when $(n − k) mod s = 0$ for
both $H$ and $W$: then the windows tile the image symmetrically and are
permuted among themselves by every grid symmetry.
"""

from __future__ import annotations

from typing import Callable

import torch
import torch.nn.functional as F
from torch import nn
from gcnn.validation import check_ints

__all__ = ["EquivariantMaxPool2d", "EquivariantAvgPool2d"]


class _EquivariantPool2d(nn.Module):
    pool: Callable[..., torch.Tensor]

    def __init__(self, kernel_size: int, stride: int | None = None) -> None:
        super().__init__()
        stride = kernel_size if stride is None else stride
        check_ints(kernel_size=kernel_size, stride=stride)
        self.kernel_size = kernel_size
        self.stride = stride

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if x.dim() not in (4, 5):
            raise ValueError(
                f"expected input of shape (B, C, H, W) or (B, C, |G|, H, W), got {tuple(x.shape)}"
            )
        for axis, n in zip("HW", x.shape[-2:]):
            self._check_tiling(axis, n)
        out = type(self).pool(x.flatten(1, -3), self.kernel_size, self.stride)
        return out.unflatten(1, x.shape[1:-2])

    def _check_tiling(self, axis: str, n: int) -> None:
        k, s = self.kernel_size, self.stride
        if n >= k and (n - k) % s == 0:
            return
        below = k + (max(n - k, 0) // s) * s
        sizes = f"{below} or {below + s}" if below < n else f"{below}"
        raise ValueError(
            f"{type(self).__name__}(kernel_size={k}, stride={s}) is only rotation/flip "
            f"equivariant when the windows tile the input symmetrically, i.e. "
            f"({axis} − {k}) % {s} == 0; got {axis}={n}, which leaves "
            f"{(n - k) % s if n >= k else n} pixel(s) uncovered on one side. "
            f"Sizes that work near it: {sizes} (crop or pad the input)"
        )

    def extra_repr(self) -> str:
        return f"kernel_size={self.kernel_size}, stride={self.stride}"


class EquivariantMaxPool2d(_EquivariantPool2d):
    """``out(y) = max_{x ∈ window(y)} f(x)`` on ``(B, C, H, W)`` or ``(B, C, |G|, H, W)``,
    raising ``ValueError`` unless ``(H − k) % s == 0`` and ``(W − k) % s == 0``."""

    pool = staticmethod(F.max_pool2d)


class EquivariantAvgPool2d(_EquivariantPool2d):
    """``out(y) = mean_{x ∈ window(y)} f(x)`` on ``(B, C, H, W)`` or ``(B, C, |G|, H, W)``,
    raising ``ValueError`` unless ``(H − k) % s == 0`` and ``(W − k) % s == 0``."""

    pool = staticmethod(F.avg_pool2d)
