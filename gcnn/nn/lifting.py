"""The lifting convolution: from images on the plane to signals on the group."""

from __future__ import annotations

from gcnn.nn.expanded import ExpandedConv2d

__all__ = ["LiftingConv2d"]


class LiftingConv2d(ExpandedConv2d):
    r"""Lifting cross-correlation $(k \star f)(x, h) = Σ_x̃ k(h⁻¹(x̃ − x)) f(x̃)$.

    ``LiftingConv2d(group, in_channels, out_channels, kernel_size, padding=0, bias=True)``
    maps images ``(B, C_in, H, W)`` to group signals ``(B, C_out, |G|, H', W')``
    with ``H' = H + 2·padding − kernel_size + 1``.  It is equivariant,
    $k \star (g · f) = L_g (k \star f)$: exactly for grid symmetries (90° rotations,
    the mirror), up to interpolation for other elements, whose kernels are
    resampled bilinearly.  ``weight`` is ``(C_out, C_in, k, k)``; the bias is one
    number per output channel, shared over the group axis.
    ``kernel_stack()`` is ``(C_out, |G|, C_in, k, k)``, slice $h$ being $h · k$.
    """

    group_axis = False
    input_dims = ("B", "C_in", "H", "W")
