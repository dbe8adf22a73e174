"""Graph neural networks on point clouds, and the E(n)-equivariant one.

* ``graph``: batches of graphs (``Graph``, ``fully_connected_edges``, input checks) and how
  $E(n)$ and node permutations act on them;
* ``aggregate``: sum / mean of edge messages at their receiving nodes;
* ``egnn``: ``EGNNLayer`` and ``EGNN`` (Satorras, Hoogeboom & Welling 2021);
* ``gnn``: ``GNNLayer`` and ``GNN``, the plain message-passing baseline;
* ``o3``: features that are direct sums of O(3) irreps, ``O3TensorProduct`` (conditioned on spherical
  harmonics), ``O3Gate``, ``O3Norm``;
* ``segnn``: ``SEGNNLayer``, steerable message passing (Brandstetter et al. 2022), and ``SEGNNDynamics``;
* ``ponita``: ``PositionOrientationLayer`` on $ℝ³ × S²$ with an icosahedral orientation grid (Bekkers
  et al. 2024), and ``PONITADynamics``;
* ``particles``, ``dynamics``: particle models ``(x, v, charges) ↦ x̂`` on EGNN and GNN, and the linear baseline.
"""

from typing import TYPE_CHECKING

from gcnn._lazy import lazy_package

if TYPE_CHECKING:
    from gcnn.graph.aggregate import aggregate
    from gcnn.graph.dynamics import EGNNDynamics, GNNDynamics, LinearDynamics
    from gcnn.graph.egnn import EGNN, EGNNLayer
    from gcnn.graph.gnn import GNN, GNNLayer
    from gcnn.graph.graph import Graph, fully_connected_edges
    from gcnn.graph.o3 import O3Gate, O3Norm, O3TensorProduct, spherical_attributes
    from gcnn.graph.ponita import (PONITADynamics, PositionOrientationLayer, circle_grid, icosahedral_grid,
                                   icosahedral_rotations)
    from gcnn.graph.segnn import SEGNNDynamics, SEGNNLayer

__all__ = ["Graph", "fully_connected_edges", "aggregate", "EGNNLayer", "EGNN", "GNNLayer", "GNN",
           "O3TensorProduct", "O3Gate", "O3Norm", "spherical_attributes", "SEGNNLayer",
           "PositionOrientationLayer", "icosahedral_grid", "icosahedral_rotations", "circle_grid",
           "EGNNDynamics", "GNNDynamics", "LinearDynamics", "SEGNNDynamics", "PONITADynamics"]

lazy_package(__name__)
