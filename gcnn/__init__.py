"""gcnn: group-equivariant convolutional networks in PyTorch, written for the lecture notes."""

from gcnn import fourier, graph, groups, nn, representations, steerable, testing

__version__ = "0.3.0"

__all__ = ["groups", "representations", "fourier", "nn", "steerable", "graph", "testing", "__version__"]
