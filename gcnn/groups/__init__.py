"""Finite groups of rotations and mirrors, and how they act on images and group signals.

Conventions used throughout ``gcnn``:

* An image is a tensor ``(..., H, W)`` shown with ``plt.imshow``: row 0 at the
  top, column 0 at the left.  Plane coordinates are $x$ to the right and $y$
  up, measured from the image centre.
* Rotations are counter-clockwise as seen on screen: $R(θ) = [[cos θ, −sin θ],
  [sin θ, cos θ]]$ on $(x, y)$.  The mirror $F = diag(−1, 1)$ sends
  $x → −x$ (left ↔ right, ``torch.flip(dims=[-1])``).
* ``CyclicGroup(n)``: element $g ∈ [0, n)$ is the rotation by $2πg/n$.
* ``DihedralGroup(n)``: element $i ∈ [0, n)$ is $r^i$ (rotation by $2πi/n$);
  element $n + i$ is $r^i s$: mirror first, then rotate by $2πi/n$.
  $s r = r⁻¹ s$.
* A group acts on images by $[g · f](p) = f(g⁻¹p)$; multiples of 90° and the
  mirror are exact pixel permutations, other angles resample bilinearly.
* ``ScaleTranslations(d)``: the non-compact group $ℝ^d ⋊ ℝ_{>0}$ of $x ↦ s x + t$, with its
  left and right Haar measures.
* A group signal is a tensor ``(..., |G|, H, W)``; index $h$ on the group axis
  holds the feature for element $h$.  $[L_g F](h, p) = F(g⁻¹h, g⁻¹p)$: every
  slice moves in the plane and slice $k$ moves to index $g · k$.
"""

from typing import TYPE_CHECKING

from gcnn._lazy import lazy_package

if TYPE_CHECKING:
    from gcnn.groups.compact import CompactGroup
    from gcnn.groups.cyclic import CyclicGroup
    from gcnn.groups.dilation import ScaleTranslations
    from gcnn.groups.dihedral import DihedralGroup
    from gcnn.groups.finite import FiniteGroup
    from gcnn.groups.images import flip_image, rotate_image
    from gcnn.groups.o2 import O2, O2Element
    from gcnn.groups.orthogonal import random_orthogonal
    from gcnn.groups.so2 import SO2

__all__ = ["FiniteGroup", "CyclicGroup", "DihedralGroup", "CompactGroup", "SO2", "O2", "O2Element",
           "rotate_image", "flip_image", "random_orthogonal", "ScaleTranslations"]

lazy_package(__name__)
