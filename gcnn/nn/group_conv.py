"""The group convolution: from signals on the group to signals on the group."""

from __future__ import annotations

from gcnn.nn.expanded import ExpandedConv2d

__all__ = ["GroupConv2d"]


class GroupConv2d(ExpandedConv2d):
    r"""Group cross-correlation $(k \star F)(x, h) = Σ_{h̃∈G} Σ_x̃ k(h⁻¹h̃, h⁻¹(x̃ − x)) F(x̃, h̃)$.

    ``GroupConv2d(group, in_channels, out_channels, kernel_size, padding=0, bias=True)``
    maps group signals ``(B, C_in, |G|, H, W)`` to ``(B, C_out, |G|, H', W')``.
    For output element $h$ the kernel is $L_h k$: every slice moved by $h$
    in the plane and slice $k$ moved to $h · k$ on the group axis (a cyclic
    shift for $C_N$).  It is equivariant, $k \star (L_g F) = L_g (k \star F)$,
    exactly for grid symmetries and up to interpolation otherwise.
    ``weight`` is ``(C_out, C_in, |G|, k, k)``; ``kernel_stack()`` is
    ``(C_out, |G|, C_in, |G|, k, k)``.
    """

    group_axis = True
    input_dims = ("B", "C_in", "|G|", "H", "W")
