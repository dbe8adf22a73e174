"""Group-equivariant layers for regular G-CNNs.

* ``LiftingConv2d``: images ``(B, C, H, W)`` → group signals ``(B, C, |G|, H, W)``;
* ``GroupConv2d``: group signals → group signals;
* ``GroupBatchNorm``: batch norm with statistics shared over the group axis;
* ``GroupPool``: max/mean over the group axis, group signals → images;
* ``EquivariantMaxPool2d``/``EquivariantAvgPool2d``: spatial pooling whose
  windows tile the input symmetrically, so it commutes with rotations and mirrors;
* ``SE2LiftingConv2d``/``SE2GroupConv2d``: the continuous group SE(2), kernels in a
  circular-harmonic basis rotated exactly and sampled at any number $N$ of rotations;
  ``rotate_se2_signal`` moves their outputs by any angle;
* ``ScaleLiftingConv2d``: images → signals on scale-translations $ℝ² ⋊ ℝ_{>0}$.
"""

from typing import TYPE_CHECKING

from gcnn._lazy import lazy_package

if TYPE_CHECKING:
    from gcnn.nn.group_conv import GroupConv2d
    from gcnn.nn.group_pool import GroupPool
    from gcnn.nn.lifting import LiftingConv2d
    from gcnn.nn.norm import GroupBatchNorm
    from gcnn.nn.scale import ScaleLiftingConv2d
    from gcnn.nn.se2 import SE2GroupConv2d, SE2LiftingConv2d, rotate_fibre, rotate_se2_signal
    from gcnn.nn.spatial_pool import EquivariantAvgPool2d, EquivariantMaxPool2d

__all__ = [
    "LiftingConv2d",
    "GroupConv2d",
    "GroupBatchNorm",
    "GroupPool",
    "EquivariantMaxPool2d",
    "EquivariantAvgPool2d",
    "SE2LiftingConv2d",
    "SE2GroupConv2d",
    "rotate_fibre",
    "rotate_se2_signal",
    "ScaleLiftingConv2d",
]

lazy_package(__name__)
