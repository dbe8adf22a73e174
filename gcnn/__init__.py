"""gcnn: group-equivariant convolutional networks in PyTorch, written for the lecture notes."""

from typing import TYPE_CHECKING

from gcnn._lazy import lazy_package

if TYPE_CHECKING:
    from gcnn import fourier, graph, groups, nn, representations, steerable, testing

__version__ = "0.3.0"

__all__ = ["groups", "representations", "fourier", "nn", "steerable", "graph", "testing", "__version__"]

lazy_package(__name__)
