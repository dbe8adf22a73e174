"""Steerable (SEGNN-style) message passing: O(3)-, translation- and permutation-equivariance (work in progress)."""
from __future__ import annotations

import pytest
import torch

from gcnn.graph.dynamics import SEGNNDynamics
from gcnn.graph.o3 import O3Gate, O3TensorProduct, spherical_attributes
from gcnn.groups import random_orthogonal
from gcnn.representations.so3 import wigner_d


def orthogonal(det: int, seed: int) -> torch.Tensor:
    R = random_orthogonal(3, generator=torch.Generator().manual_seed(seed)).double()
    return R if torch.linalg.det(R) * det > 0 else -R


def act(R, features):
    return {l: torch.einsum("ij,ncj->nci", wigner_d(l, R), t) for l, t in features.items()}


@pytest.mark.parametrize("det", [1, -1])
def test_conditioned_tensor_product_and_gate_are_o3_equivariant(det):
    torch.manual_seed(0)
    tp, gate = O3TensorProduct({0: 3, 1: 2, 2: 2}, 2, {0: 8, 1: 2, 2: 2}).double(), O3Gate({0: 4, 1: 2, 2: 2})
    h = {l: torch.randn(5, c, 2 * l + 1, dtype=torch.float64) for l, c in {0: 3, 1: 2, 2: 2}.items()}
    v = torch.randn(5, 3, dtype=torch.float64)
    out = gate(tp(h, spherical_attributes(v, 2)))
    R = orthogonal(det, 1)
    moved = gate(tp(act(R, h), spherical_attributes(v @ R.T, 2)))
    for l in out:
        assert torch.allclose(moved[l], act(R, out)[l], atol=1e-12, rtol=0)


@pytest.mark.parametrize("det", [1, -1])
def test_segnn_dynamics_is_e3_and_permutation_equivariant(det):
    torch.manual_seed(0)
    model = SEGNNDynamics({0: 8, 1: 4, 2: 2}, n_layers=2).double()
    x, v = torch.randn(3, 5, 3, dtype=torch.float64), torch.randn(3, 5, 3, dtype=torch.float64)
    c = torch.randn(3, 5, 1, dtype=torch.float64).sign()
    out = model(x, v, c)
    R, t = orthogonal(det, 2), torch.randn(3, dtype=torch.float64)
    assert ((model(x @ R.T + t, v @ R.T, c) - (out @ R.T + t)).abs().max() / out.abs().max()) < 1e-12
    perm = torch.randperm(5)
    assert torch.allclose(model(x[:, perm], v[:, perm], c[:, perm]), out[:, perm], atol=1e-12)


def test_unreachable_degrees_and_bad_features_are_named():
    with pytest.raises(ValueError, match="cannot reach output degrees"):
        O3TensorProduct({0: 1}, 0, {1: 1})
    tp = O3TensorProduct({0: 2}, 1, {0: 1, 1: 1})
    with pytest.raises(ValueError, match=r"expects features \{0: \(N, 2, 1\)\}"):
        tp({0: torch.zeros(3, 1, 1)}, spherical_attributes(torch.ones(3, 3), 1))


def test_position_orientation_layer_is_exact_for_the_icosahedral_rotations():
    from gcnn.graph.graph import fully_connected_edges
    from gcnn.graph.ponita import PositionOrientationLayer, icosahedral_grid, icosahedral_rotations
    grid, rotations = icosahedral_grid(1), icosahedral_rotations()
    assert grid.shape == (62, 3) and rotations.shape == (60, 3, 3)
    torch.manual_seed(0)
    layer = PositionOrientationLayer(8, edge_scalars=1).double()
    x, f = torch.randn(5, 3, dtype=torch.float64), torch.randn(5, 62, 8, dtype=torch.float64)
    edges = fully_connected_edges(torch.zeros(5, dtype=torch.long))
    s = torch.randn(edges.shape[1], 1, dtype=torch.float64)
    out = layer(f, x, edges, grid, s)
    for R in rotations[::7]:
        perm = ((grid @ R.T)[:, None, :] - grid[None]).norm(dim=-1).argmin(dim=1)  # R o_p = o_perm[p]
        moved, expected = torch.empty_like(f), torch.empty_like(out)
        moved[:, perm], expected[:, perm] = f, out
        assert (layer(moved, x @ R.T + 1.0, edges, grid, s) - expected).abs().max() / out.abs().max() < 1e-12


def test_ponita_dynamics_exact_on_grid_rotations_and_close_on_others():
    from gcnn.graph.dynamics import PONITADynamics
    from gcnn.graph.ponita import icosahedral_rotations
    torch.manual_seed(0)
    model = PONITADynamics(8, n_layers=2).double()
    x, v = torch.randn(3, 5, 3, dtype=torch.float64), torch.randn(3, 5, 3, dtype=torch.float64)
    c = torch.randn(3, 5, 1, dtype=torch.float64).sign()
    out = model(x, v, c)

    def error(R):
        return ((model(x @ R.T + 1.0, v @ R.T, c) - (out @ R.T + 1.0)).abs().max() / out.abs().max()).item()

    assert max(error(R) for R in icosahedral_rotations()[::5]) < 1e-12
    assert 1e-9 < error(orthogonal(1, 3)) < 1e-1  # between the grid's rotations: approximate
