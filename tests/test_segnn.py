"""Steerable (SEGNN-style) and position–orientation (PONITA-style) graph networks: exact O(3)-, translation-
and permutation-equivariance of the steerable layer and model (no pseudo-vectors: every feature of degree
l is moved by D_l(Q) with D_l(−I) = (−1)^l), and the grid-exactness of the position–orientation model."""
from __future__ import annotations

import math

import pytest
import torch

from gcnn.graph import Graph, O3Gate, O3Norm, O3TensorProduct, PONITADynamics, SEGNNDynamics, SEGNNLayer
from gcnn.graph.graph import fully_connected_edges
from gcnn.graph.o3 import spherical_attributes
from gcnn.graph.ponita import PositionOrientationLayer, icosahedral_grid, icosahedral_rotations, spatial_invariants
from gcnn.groups import random_orthogonal
from gcnn.representations.so3 import so3_clebsch_gordan
from gcnn.testing import assert_euclidean_equivariant, euclidean_errors

SIZES = [5, 3, 4, 1]  # graphs of different sizes, one a single isolated node


def particle_graph(dtype: torch.dtype, sizes=(5, 5, 5), seed: int = 0) -> Graph:
    g = torch.Generator().manual_seed(seed)
    n = sum(sizes)
    return Graph(h=torch.randint(0, 2, (n, 1), generator=g).to(dtype) * 2 - 1, x=torch.randn(n, 3, generator=g, dtype=dtype),
                 v=torch.randn(n, 3, generator=g, dtype=dtype),
                 batch=torch.arange(len(sizes)).repeat_interleave(torch.tensor(sizes)))


def model_fn(model, B: int, n: int):
    return lambda G: model(G.x.view(B, n, 3), G.v.view(B, n, 3), G.h.view(B, n, 1)).reshape(-1, 3)


@pytest.mark.parametrize("types", [{0: 3, 1: 2}, {0: 3, 1: 2, 2: 2}], ids=["L1", "L2"])
@pytest.mark.parametrize("dtype", [torch.float64, torch.float32], ids=str)
def test_segnn_layer_is_exactly_o3_translation_and_permutation_equivariant(types, dtype):
    torch.manual_seed(0)
    L = max(types)
    layer = SEGNNLayer(types, L, edge_scalars=1).to(dtype)
    sizes = torch.tensor(SIZES)
    batch = torch.arange(len(SIZES)).repeat_interleave(sizes)
    n = int(sizes.sum())
    g = torch.Generator().manual_seed(1)
    channels = sum(types.values())
    graph = Graph(h=torch.randn(n, channels, generator=g, dtype=dtype), x=2 * torch.randn(n, 3, generator=g, dtype=dtype),
                  batch=batch)

    def fn(G):  # h_l = (invariant coefficients in G.h) ⊗ Y_l(x_i − x̄): moving G moves h_l by D_l
        edges = fully_connected_edges(G.batch)
        relative = G.x[edges[0]] - G.x[edges[1]]
        counts = torch.bincount(G.batch).to(dtype)[:, None]
        centroid = torch.zeros(len(counts), 3, dtype=dtype).index_add(0, G.batch, G.x) / counts
        node_attr = spherical_attributes(G.x - centroid[G.batch], L)
        split = dict(zip(sorted(types), G.h.split([types[l] for l in sorted(types)], dim=1)))
        h = {l: split[l][:, :, None] * node_attr[l] for l in types}
        out = layer(h, edges, spherical_attributes(relative, L), node_attr, (relative**2).sum(dim=1, keepdim=True))
        return [out[l] for l in sorted(types)]  # (N, C_l, 2l + 1)

    kinds = [f"degree-{l}" for l in sorted(types)]
    assert_euclidean_equivariant(fn, graph, kinds, torch.Generator().manual_seed(2),
                                 tolerance=1e-12 if dtype == torch.float64 else 1e-6)


@pytest.mark.parametrize("types", [{0: 8, 1: 4}, {0: 8, 1: 4, 2: 2}], ids=["L1", "L2"])
def test_segnn_model_is_exactly_e3_equivariant_with_reflections(types):
    torch.manual_seed(0)
    model = SEGNNDynamics(types, n_layers=2).double()
    torch.nn.init.normal_(model.readout.weights["1"])  # the zero-initialised readout would hide errors
    graph = particle_graph(torch.float64)
    assert_euclidean_equivariant(model_fn(model, 3, 5), graph, ("position",), torch.Generator().manual_seed(3))


def test_tensor_product_is_the_sum_of_its_paths():
    """out_l = Σ_{(l₁, l₂) → l} W_{l₁ l₂ l} C_{l₁ l₂ l}(h_{l₁} ⊗ a_{l₂}) + b, path by path from the definition."""
    torch.manual_seed(0)
    tp = O3TensorProduct({0: 3, 1: 2, 2: 2}, 2, {0: 4, 1: 3, 2: 2}).double()
    torch.nn.init.normal_(tp.bias)
    h = {l: torch.randn(6, c, 2 * l + 1, dtype=torch.float64) for l, c in {0: 3, 1: 2, 2: 2}.items()}
    a = spherical_attributes(torch.randn(6, 3, dtype=torch.float64), 2)
    out = tp(h, a)
    assert all((l1 + l2 + l) % 2 == 0 for l1, l2, l in tp.paths) and (1, 1, 1) not in tp.paths
    for l in (0, 1, 2):
        expected = sum(torch.einsum("oc,kij,nci,nj->nok", tp.path_weight(p), so3_clebsch_gordan(*p) * (2 * l + 1) ** 0.5,
                                    h[p[0]], a[p[1]][:, 0]) for p in tp.paths if p[2] == l)
        expected = expected + (tp.bias[None, :, None] if l == 0 else 0)
        assert (out[l] - expected).abs().max() < 1e-12
    with pytest.raises(ValueError, match="expected a path of"):
        tp.path_weight((1, 1, 1))


def test_gate_and_norm_act_channel_by_channel():
    gate, norm = O3Gate({0: 2, 1: 1}), O3Norm({0: 2, 1: 1})
    h = {0: torch.tensor([[[1.0], [-1.0], [0.0]]]), 1: torch.tensor([[[3.0, 0.0, 4.0]]])}
    out = gate(h)
    assert torch.allclose(out[0], torch.nn.functional.silu(h[0][:, :2])) and torch.allclose(out[1], 0.5 * h[1])
    normed = norm({0: h[0][:, :2], 1: h[1]})
    assert torch.allclose(normed[1].pow(2).mean(), torch.tensor(1.0), atol=1e-5)


def test_unreachable_degrees_and_bad_features_are_named():
    with pytest.raises(ValueError, match="cannot reach output degrees"):
        O3TensorProduct({0: 1}, 0, {1: 1})
    tp = O3TensorProduct({0: 2}, 1, {0: 1, 1: 1})
    with pytest.raises(ValueError, match=r"expects features \{0: \(N, 2, 1\)\}"):
        tp({0: torch.zeros(3, 1, 1)}, spherical_attributes(torch.ones(3, 3), 1))
    with pytest.raises(ValueError, match=r"expects 3-D particles"):
        SEGNNDynamics({0: 2, 1: 1})(torch.zeros(1, 3, 2), torch.zeros(1, 3, 2), torch.zeros(1, 3, 1))


def grid_permutation(grid: torch.Tensor, R: torch.Tensor) -> torch.Tensor:
    """``perm`` with ``R o_p = o_perm[p]`` (``R`` maps the grid onto itself)."""
    return ((grid @ R.T)[:, None, :] - grid[None]).norm(dim=-1).argmin(dim=1)


def test_icosahedral_grid_and_rotations():
    for level, size in ((0, 12), (1, 62)):
        grid = icosahedral_grid(level)
        assert grid.shape == (size, 3) and torch.allclose(grid.norm(dim=1), torch.ones(size, dtype=torch.float64))
        for R in icosahedral_rotations():
            assert ((grid @ R.T)[:, None] - grid[None]).norm(dim=-1).min(dim=1).values.max() < 1e-12
    rotations = icosahedral_rotations()
    assert rotations.shape == (60, 3, 3) and torch.allclose(torch.linalg.det(rotations), torch.ones(60, dtype=torch.float64))
    with pytest.raises(ValueError, match="level 0 or 1"):
        icosahedral_grid(2)


def test_position_orientation_layer_is_exact_for_the_icosahedral_rotations():
    grid = icosahedral_grid(1)
    torch.manual_seed(0)
    layer = PositionOrientationLayer(8, basis_dim=6).double()
    basis = torch.nn.Linear(2, 6).double()
    x, f = torch.randn(5, 3, dtype=torch.float64), torch.randn(5, 62, 8, dtype=torch.float64)
    edges = fully_connected_edges(torch.zeros(5, dtype=torch.long))
    fibre = torch.randn(62, 62, 6, dtype=torch.float64)
    fibre = fibre + fibre.transpose(0, 1)  # a function of o·o' is symmetric and grid-rotation invariant below

    def run(x, f, perm):
        fib = torch.empty_like(fibre)
        fib[perm[:, None], perm[None, :]] = fibre
        return layer(f, edges, basis(spatial_invariants(x, edges, grid)), fib)

    identity = torch.arange(62)
    dots = grid @ grid.T
    fibre = torch.tanh(dots)[..., None] * torch.linspace(-1, 1, 6, dtype=torch.float64)  # ψ(o·o')
    out = run(x, f, identity)
    for R in icosahedral_rotations()[::7]:
        perm = grid_permutation(grid, R)
        moved, expected = torch.empty_like(f), torch.empty_like(out)
        moved[:, perm], expected[:, perm] = f, out
        assert (run(x @ R.T + 1.0, moved, perm) - expected).abs().max() / out.abs().max() < 1e-12
    with pytest.raises(ValueError, match=r"expects f \(N, O, 8\)"):
        layer(f[..., :3], edges, basis(spatial_invariants(x, edges, grid)), fibre)


@pytest.mark.parametrize("level", [0, 1])
def test_ponita_model_is_exact_on_grid_rotations_and_approximate_on_others(level):
    torch.manual_seed(0)
    model = PONITADynamics(8, n_layers=2, grid_level=level, basis_dim=8).double()
    graph = particle_graph(torch.float64)
    fn = model_fn(model, 3, 5)
    errors = euclidean_errors(fn, graph, ("position",), torch.Generator().manual_seed(0),
                              ("rotation", "translation", "permutation"))
    assert errors["translation"] < 1e-12 and errors["permutation"] < 1e-12
    assert 1e-9 < errors["rotation"] < 1e-1  # between the grid's rotations: approximate
    for R in icosahedral_rotations()[::5]:
        moved = fn(graph.transformed(R, torch.zeros(3, dtype=torch.float64)))
        reference = fn(graph) @ R.T
        assert (moved - reference).abs().max() / reference.abs().max() < 1e-12


def test_ponita_in_2d_is_exact_for_the_rotations_of_its_circle_grid():
    from gcnn.graph import circle_grid
    torch.manual_seed(0)
    model = PONITADynamics(8, n_layers=2, basis_dim=8, grid=circle_grid(8)).double()
    g = torch.Generator().manual_seed(0)
    x, v = torch.randn(3, 5, 2, generator=g, dtype=torch.float64), torch.randn(3, 5, 2, generator=g, dtype=torch.float64)
    c = torch.randint(0, 2, (3, 5, 1), generator=g).double() * 2 - 1

    def error(angle: float) -> float:
        Q = torch.tensor([[math.cos(angle), -math.sin(angle)], [math.sin(angle), math.cos(angle)]], dtype=torch.float64)
        reference = model(x, v, c) @ Q.T + 0.5
        return ((model(x @ Q.T + 0.5, v @ Q.T, c) - reference).abs().max() / reference.abs().max()).item()

    assert max(error(2 * math.pi * k / 8) for k in range(8)) < 1e-12
    assert error(0.3) > 1e-9
    with pytest.raises(ValueError, match=r"expects particles \(B, n, 2\)"):
        model(torch.zeros(1, 3, 3), torch.zeros(1, 3, 3), torch.zeros(1, 3, 1))
    with pytest.raises(ValueError, match="expects grid as unit vectors"):
        PONITADynamics(grid=torch.ones(4, 2))
    with pytest.raises(ValueError, match="n expects"):
        circle_grid(2)
