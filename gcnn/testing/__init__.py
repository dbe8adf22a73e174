"""Numerical equivariance checks, shared by the test suite and the figures.

* ``images``: maps on images and group signals under finite groups and rotation angles;
* ``point_clouds``: maps on graphs of points under rotations, reflections, translations and
  node permutations.
"""

from typing import TYPE_CHECKING

from gcnn._lazy import lazy_package

if TYPE_CHECKING:
    from gcnn.testing.images import assert_equivariant, centred_disk, equivariance_errors, rotation_errors
    from gcnn.testing.point_clouds import assert_euclidean_equivariant, euclidean_errors

__all__ = ["equivariance_errors", "assert_equivariant", "rotation_errors", "centred_disk",
           "euclidean_errors", "assert_euclidean_equivariant"]

lazy_package(__name__)
