"""gcnn: group-equivariant convolutional networks in PyTorch, written for the lecture notes."""

from gcnn import fourier, groups, nn, representations, steerable, testing

__version__ = "0.2.0"

__all__ = ["groups", "representations", "fourier", "nn", "steerable", "testing", "__version__"]
