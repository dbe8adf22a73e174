"""The machinery shared by lifting and group convolutions: one learned filter, a
fixed table that expands it into the kernel stack, and one ``F.conv2d``.

In ``eval()`` mode, when autograd does not track the weights (``torch.no_grad()``,
``torch.inference_mode()`` or frozen parameters), the expanded filter and bias
are cached and rebuilt only when a parameter changes (its ``_version`` or
storage).  ``train()`` drops the cache; it is never part of ``state_dict``.
"""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F
from torch import nn

from gcnn.groups.finite import FiniteGroup
from gcnn.nn.tables import conv_weight_index, filter_table
from gcnn.validation import check_ints

__all__ = ["ExpandedConv2d"]


class ExpandedConv2d(nn.Module):
    """Base class: ``weight`` of shape ``(C_out, C_in, [|G|,] k, k)`` is expanded through a
    ``FilterTable`` into ``(C_out, |G|, C_in, [|G|,] k, k)`` and applied with one ``F.conv2d``.

    Subclasses name the input layout in ``input_dims`` and say whether the learned
    filter has a group axis (``group_axis``).
    """

    input_dims: tuple[str, ...]
    group_axis: bool

    def __init__(
        self,
        group: FiniteGroup,
        in_channels: int,
        out_channels: int,
        kernel_size: int,
        padding: int = 0,
        bias: bool = True,
    ) -> None:
        super().__init__()
        if not isinstance(group, FiniteGroup):
            raise ValueError(
                f"{type(self).__name__} expects a FiniteGroup such as CyclicGroup(4), got {group!r}"
            )
        check_ints(in_channels=in_channels, out_channels=out_channels, kernel_size=kernel_size)
        check_ints(minimum=0, padding=padding)
        self.group = group
        self.in_channels = in_channels
        self.out_channels = out_channels
        self.kernel_size = kernel_size
        self.padding = padding
        group_dims = (group.order,) if self.group_axis else ()
        shape = (out_channels, in_channels, *group_dims, kernel_size, kernel_size)
        self.weight = nn.Parameter(torch.empty(shape))
        self.bias = nn.Parameter(torch.empty(out_channels)) if bias else None
        table = filter_table(group, kernel_size, self.group_axis)
        copies = 1 if table.resampling is None else 1 + table.resampling.shape[1] // kernel_size**2
        stack_size = self.weight[0, 0].numel() * copies
        index = conv_weight_index(table.index, out_channels, in_channels, stack_size)
        self.register_buffer("resampling", table.resampling, persistent=False)
        self.register_buffer("expansion_index", index, persistent=False)
        self._cache: tuple | None = None
        self.reset_parameters()

    def reset_parameters(self) -> None:
        """He-uniform weights (variance ``2 / fan_in``), bias in ``±1/√fan_in``."""
        fan_in = self.weight[0].numel()
        bound = math.sqrt(6 / fan_in)
        nn.init.uniform_(self.weight, -bound, bound)
        if self.bias is not None:
            nn.init.uniform_(self.bias, -1 / math.sqrt(fan_in), 1 / math.sqrt(fan_in))

    def kernel_stack(self) -> torch.Tensor:
        """The filters applied for each output element $h$: ``(C_out, |G|, C_in, [|G|,] k, k)``."""
        flat = self.weight.flatten(-2)  # (C_out, C_in, [|G|,] k·k)
        if self.resampling is not None:  # append the copies resampled by each residual rotation
            flat = torch.cat([flat, flat @ self.resampling.to(flat.dtype)], dim=-1)
        stack = flat.reshape(-1).index_select(0, self.expansion_index)
        n, k = self.group.order, self.kernel_size
        return stack.view(self.out_channels, n, self.in_channels, *self.weight.shape[2:-2], k, k)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        self._check_input(x)
        weight, bias = self._filter_and_bias()
        out = F.conv2d(x.flatten(1, -3), weight, bias, padding=self.padding)
        return out.unflatten(1, (self.out_channels, self.group.order))

    def train(self, mode: bool = True) -> ExpandedConv2d:
        self._cache = None
        return super().train(mode)

    def _filter_and_bias(self) -> tuple[torch.Tensor, torch.Tensor | None]:
        parameters = [p for p in (self.weight, self.bias) if p is not None]
        tracked = torch.is_grad_enabled() and any(p.requires_grad for p in parameters)
        if self.training or tracked:
            return self._expand()
        key = tuple((p._version, p.data_ptr(), p.dtype, p.device) for p in parameters)
        key += (torch.is_inference_mode_enabled(),)
        if self._cache is None or self._cache[0] != key:
            self._cache = (key, *self._expand())
        return self._cache[1], self._cache[2]

    def _expand(self) -> tuple[torch.Tensor, torch.Tensor | None]:
        n, k = self.group.order, self.kernel_size
        weight = self.kernel_stack().reshape(self.out_channels * n, -1, k, k)
        bias = None if self.bias is None else self.bias.repeat_interleave(n)
        return weight, bias

    def _check_input(self, x: torch.Tensor) -> None:
        sizes = {"C_in": self.in_channels, "|G|": self.group.order}
        expected = [(name, sizes.get(name)) for name in self.input_dims]
        described = ", ".join(name if size is None else f"{name}={size}" for name, size in expected)
        shape = tuple(x.shape) if isinstance(x, torch.Tensor) else type(x).__name__
        if not isinstance(x, torch.Tensor) or x.dim() != len(expected) or any(
            size is not None and x.shape[i] != size for i, (_, size) in enumerate(expected)
        ):
            raise ValueError(f"expected input of shape ({described}), got {shape}")
        smallest = self.kernel_size - 2 * self.padding
        if min(x.shape[-2:]) < smallest:
            raise ValueError(
                f"expected H and W >= {smallest} (kernel_size − 2·padding), got {shape}"
            )

    def extra_repr(self) -> str:
        return (
            f"{self.group!r}, {self.in_channels}, {self.out_channels}, "
            f"kernel_size={self.kernel_size}, padding={self.padding}, "
            f"bias={self.bias is not None}"
        )
