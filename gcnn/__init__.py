"""gcnn: group-equivariant convolutional networks in PyTorch, written for the lecture notes."""

from gcnn import groups, nn, testing

__version__ = "0.2.0"

__all__ = ["groups", "nn", "testing", "__version__"]
