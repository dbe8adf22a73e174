"""Graph neural networks on point clouds, and the E(n)-equivariant one.

* ``graph``: batches of graphs (``Graph``, ``fully_connected_edges``, input checks) and how
  ``E(n)`` and node permutations act on them;
* ``aggregate``: sum / mean of edge messages at their receiving nodes;
* ``egnn``: ``EGNNLayer`` and ``EGNN`` (Satorras, Hoogeboom & Welling 2021);
* ``gnn``: ``GNNLayer`` and ``GNN``, the plain message-passing baseline;
* ``dynamics``: particle models ``(x, v, charges) ↦ x̂`` built on them, and the linear baseline.
"""

from typing import TYPE_CHECKING

from gcnn._lazy import lazy_package

if TYPE_CHECKING:
    from gcnn.graph.aggregate import aggregate
    from gcnn.graph.dynamics import EGNNDynamics, GNNDynamics, LinearDynamics
    from gcnn.graph.egnn import EGNN, EGNNLayer
    from gcnn.graph.gnn import GNN, GNNLayer
    from gcnn.graph.graph import Graph, fully_connected_edges

__all__ = ["Graph", "fully_connected_edges", "aggregate", "EGNNLayer", "EGNN", "GNNLayer", "GNN",
           "EGNNDynamics", "GNNDynamics", "LinearDynamics"]

lazy_package(__name__)
