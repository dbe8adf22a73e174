r"""Rotated handwritten digits, built from scikit-learn's bundled 8×8 digits (no download).

Each 8×8 digit $d$ (grey levels 0…16) becomes an ``S×S`` image in $[0, 1]$:

1. pad with $p = 3$ zero pixels on every side (14×14), so that the digit's
   corners, at $4\sqrt{2} ≈ 5.7$ pixels from the centre plus half a pixel of
   interpolation, stay inside the inscribed disc of radius 7 under any rotation;
2. upsample bilinearly to ``S×S`` with $S$ odd, so the centre pixel sits on
   the rotation centre and quarter turns map the pixel grid onto itself;
3. divide by 16.

The classic experiment (Cohen & Welling 2016; the UvA DL2 tutorial): train on
upright digits, test on digits rotated by random angles.  The split is a seeded
permutation of all 1797 images; test images get angles $θ \sim U[0°, 360°)$ from
the same seeded generator and are rotated with ``gcnn.groups.rotate_image``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import torch
import torch.nn.functional as F
from sklearn.datasets import load_digits

from gcnn.groups import rotate_image
from gcnn.validation import is_int

__all__ = ["RotatedDigits", "load_rotated_digits", "digit_images"]

_PAD = 3
_GREY_LEVELS = 16.0


@dataclass(frozen=True)
class RotatedDigits:
    """A train/test split of upsampled digits; images are float32 ``(N, 1, S, S)`` in $[0, 1]$.

    ``test_rotated_images[i]`` is ``test_images[i]`` rotated counter-clockwise by
    ``test_angles[i]`` degrees.  Labels are int64 digits 0…9.
    """

    train_images: torch.Tensor
    train_labels: torch.Tensor
    test_images: torch.Tensor
    test_labels: torch.Tensor
    test_rotated_images: torch.Tensor
    test_angles: torch.Tensor

    def test_at(self, angle_degrees: float) -> torch.Tensor:
        """All upright test images rotated counter-clockwise by one angle (in degrees)."""
        return rotate_image(self.test_images, math.radians(angle_degrees))


def digit_images(size: int = 29) -> tuple[torch.Tensor, torch.Tensor]:
    """All 1797 digits as float32 images ``(1797, 1, size, size)`` in $[0, 1]$, and their labels."""
    _check_size(size)
    digits = load_digits()
    small = torch.as_tensor(digits.images, dtype=torch.float32).unsqueeze(1)
    padded = F.pad(small, (_PAD,) * 4)
    large = F.interpolate(padded, size=(size, size), mode="bilinear", align_corners=False)
    return large / _GREY_LEVELS, torch.as_tensor(digits.target, dtype=torch.int64)


def load_rotated_digits(size: int = 29, test_fraction: float = 0.33, seed: int = 0) -> RotatedDigits:
    """Split the digits into upright training images and randomly rotated test images.

    The same ``(size, test_fraction, seed)`` always gives the same tensors.
    """
    _check_size(size)
    if not isinstance(test_fraction, (int, float)) or not 0 < test_fraction < 1:
        raise ValueError(f"test_fraction expects a number in (0, 1), got {test_fraction!r}")
    if not is_int(seed):
        raise ValueError(f"seed expects an int, got {seed!r}")
    images, labels = digit_images(size)
    generator = torch.Generator().manual_seed(seed)
    order = torch.randperm(len(images), generator=generator)
    n_test = round(test_fraction * len(images))
    if not 0 < n_test < len(images):
        raise ValueError(
            f"test_fraction={test_fraction} leaves {n_test} of {len(images)} images for testing; "
            "expected both sets non-empty"
        )
    test, train = order[:n_test], order[n_test:]
    angles = torch.rand(n_test, generator=generator, dtype=torch.float64) * 360
    rotated = torch.cat(
        [rotate_image(images[i : i + 1], math.radians(a)) for i, a in zip(test.tolist(), angles.tolist())]
    )
    return RotatedDigits(
        train_images=images[train],
        train_labels=labels[train],
        test_images=images[test],
        test_labels=labels[test],
        test_rotated_images=rotated,
        test_angles=angles,
    )


def _check_size(size: int) -> None:
    if not isinstance(size, int) or isinstance(size, bool) or size < 9 or size % 2 == 0:
        raise ValueError(f"size expects an odd int >= 9, got {size!r}")
