"""Group-equivariant layers.

``LiftingConv2d`` lifts an image on the plane to a signal on the group: one
feature map per rotation ``h``, computed with the kernel rotated by ``h``.
"""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F
from torch import nn

from gcnn.groups import CyclicGroup

__all__ = ["LiftingConv2d"]


class LiftingConv2d(nn.Module):
    """Lifting cross-correlation ``(k ⋆ f)(x, h) = Σ_x̃ k(h⁻¹(x̃ − x)) f(x̃)``.

    Maps images ``(B, C_in, H, W)`` to group signals ``(B, C_out, |G|, H', W')``
    with ``H' = H + 2·padding − kernel_size + 1``.  It is equivariant:
    ``k ⋆ (g · f) = L_g (k ⋆ f)`` for every ``g`` in ``group``.  The bias is one
    number per output channel, shared over the group axis.
    """

    def __init__(
        self,
        group: CyclicGroup,
        in_channels: int,
        out_channels: int,
        kernel_size: int,
        padding: int = 0,
        bias: bool = True,
    ) -> None:
        super().__init__()
        if not isinstance(group, CyclicGroup) or 4 % group.order:
            raise ValueError(
                "LiftingConv2d needs a group whose rotations are multiples of 90° "
                f"so that kernels rotate exactly on the pixel grid, got {group!r}"
            )
        for name, value, low in [
            ("in_channels", in_channels, 1),
            ("out_channels", out_channels, 1),
            ("kernel_size", kernel_size, 1),
            ("padding", padding, 0),
        ]:
            if not isinstance(value, int) or isinstance(value, bool) or value < low:
                raise ValueError(f"{name} expects an int >= {low}, got {value!r}")
        self.group = group
        self.in_channels = in_channels
        self.out_channels = out_channels
        self.kernel_size = kernel_size
        self.padding = padding
        self.weight = nn.Parameter(
            torch.empty(out_channels, in_channels, kernel_size, kernel_size)
        )
        self.bias = nn.Parameter(torch.empty(out_channels)) if bias else None
        self.reset_parameters()

    def reset_parameters(self) -> None:
        """He-uniform weights (variance ``2 / fan_in``), bias in ``±1/√fan_in``."""
        fan_in = self.in_channels * self.kernel_size**2
        bound = math.sqrt(6 / fan_in)
        nn.init.uniform_(self.weight, -bound, bound)
        if self.bias is not None:
            nn.init.uniform_(self.bias, -1 / math.sqrt(fan_in), 1 / math.sqrt(fan_in))

    def kernel_stack(self) -> torch.Tensor:
        """Rotated copies ``k_h = h · k``, shaped ``(C_out, |G|, C_in, k, k)``."""
        rotated = [self.group.act_on_image(h, self.weight) for h in self.group.elements()]
        return torch.stack(rotated, dim=1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        self._check_input(x)
        n = self.group.order
        kernels = self.kernel_stack().flatten(0, 1)  # (C_out·|G|, C_in, k, k)
        # the same bias for all |G| rotated copies of a filter
        bias = None if self.bias is None else self.bias.repeat_interleave(n)
        out = F.conv2d(x, kernels, bias, padding=self.padding)
        return out.unflatten(1, (self.out_channels, n))

    def _check_input(self, x: torch.Tensor) -> None:
        expected = f"(B, C_in={self.in_channels}, H, W)"
        if x.dim() != 4 or x.shape[1] != self.in_channels:
            raise ValueError(f"expected input of shape {expected}, got {tuple(x.shape)}")
        smallest = self.kernel_size - 2 * self.padding
        if min(x.shape[-2:]) < smallest:
            raise ValueError(
                f"expected H and W >= {smallest} (kernel_size − 2·padding), "
                f"got {tuple(x.shape)}"
            )

    def extra_repr(self) -> str:
        return (
            f"{self.group!r}, {self.in_channels}, {self.out_channels}, "
            f"kernel_size={self.kernel_size}, padding={self.padding}, "
            f"bias={self.bias is not None}"
        )
