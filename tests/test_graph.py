"""gcnn.graph: batching, aggregation, EGNN equivariance, baselines, bad input."""
import pytest
import torch

from gcnn.graph import (EGNN, GNN, EGNNDynamics, EGNNLayer, GNNDynamics, GNNLayer, Graph, LinearDynamics,
                        aggregate, fully_connected_edges)
from gcnn.testing import assert_euclidean_equivariant, euclidean_errors

SIZES = [5, 3, 7, 1]  # graphs of different sizes, one a single isolated node


def batch_of(sizes):
    return torch.arange(len(sizes)).repeat_interleave(torch.tensor(sizes))


def random_graph(dtype, features=4, dim=3, velocity=False, edge_features=0, edges=None, seed=0):
    g = torch.Generator().manual_seed(seed)
    batch = batch_of(SIZES)
    n = batch.shape[0]
    edge_index = edges if edges is not None else fully_connected_edges(batch)
    attr = torch.randn(edge_index.shape[1], edge_features, generator=g, dtype=dtype) if edge_features else None
    return Graph(h=torch.randn(n, features, generator=g, dtype=dtype), x=3 * torch.randn(n, dim, generator=g, dtype=dtype),
                 v=torch.randn(n, dim, generator=g, dtype=dtype) if velocity else None,
                 edge_index=None if edges is None and not edge_features else edge_index,  # attributes need their edges
                 edge_attr=attr, batch=batch)


def layer_fn(layer):
    return lambda G: layer(G.h, G.x, G.edge_index, G.edge_attr, G.v, G.batch)


def test_fully_connected_edges_per_graph():
    edges = fully_connected_edges(batch_of([3, 1, 2]))
    pairs = set(map(tuple, edges.T.tolist()))
    assert pairs == {(0, 1), (0, 2), (1, 0), (1, 2), (2, 0), (2, 1), (4, 5), (5, 4)}
    assert edges.shape[1] == len(pairs)


def test_aggregate_sum_and_mean_with_an_isolated_node():
    values = torch.tensor([[1.0], [3.0], [5.0]])
    receivers = torch.tensor([0, 0, 2])
    assert aggregate(values, receivers, 4, "sum").flatten().tolist() == [4.0, 0.0, 5.0, 0.0]
    assert aggregate(values, receivers, 4, "mean").flatten().tolist() == [2.0, 0.0, 5.0, 0.0]
    with pytest.raises(ValueError, match="aggregation in"):
        aggregate(values, receivers, 4, "max")


@pytest.mark.parametrize("dtype", [torch.float64, torch.float32], ids=str)
@pytest.mark.parametrize("velocity", [False, True], ids=["plain", "velocity"])
@pytest.mark.parametrize("attention", [False, True], ids=["sum", "attention"])
def test_egnn_layer_is_equivariant(dtype, velocity, attention):
    torch.manual_seed(0)
    layer = EGNNLayer(4, 16, 6, edge_features=2, velocity=velocity, attention=attention).to(dtype)
    for p in layer.coordinate.parameters():  # make the coordinate update large so errors would show
        torch.nn.init.normal_(p, std=0.5)
    graph = random_graph(dtype, velocity=velocity, edge_features=2)
    outputs = ("scalar", "position", "vector") if velocity else ("scalar", "position")
    assert_euclidean_equivariant(layer_fn(layer), graph, outputs, torch.Generator().manual_seed(1))


@pytest.mark.parametrize("dtype", [torch.float64, torch.float32], ids=str)
@pytest.mark.parametrize("dim", [2, 3])
def test_egnn_stack_is_equivariant_with_given_edges(dtype, dim):
    torch.manual_seed(0)
    model = EGNN(4, 16, 3, n_layers=3, edge_features=1, velocity=True, aggregation="mean").to(dtype)
    edges = torch.tensor([[0, 1, 1, 2, 3, 5, 6, 9], [1, 0, 2, 4, 4, 6, 7, 10]])  # sparse, some nodes isolated
    graph = random_graph(dtype, dim=dim, velocity=True, edge_features=1, edges=edges)
    assert_euclidean_equivariant(layer_fn(model), graph, ("scalar", "position", "vector"),
                                 torch.Generator().manual_seed(2))


def test_the_checker_catches_a_map_that_is_not_equivariant():
    graph = random_graph(torch.float64)
    shifted = lambda G: (G.h, G.x + G.x[:, :1])  # noqa: E731 — mixes coordinates: not rotation-equivariant
    errors = euclidean_errors(shifted, graph, generator=torch.Generator().manual_seed(0))
    assert errors["rotation"] > 1e-2 and errors["reflection"] > 1e-2
    assert errors["translation"] > 1e-2 and errors["permutation"] < 1e-15
    with pytest.raises(AssertionError, match="rotation"):
        assert_euclidean_equivariant(shifted, graph)


def test_isolated_nodes_give_finite_outputs_and_stay_put_at_init():
    layer = EGNNLayer(4, 8, velocity=False)
    graph = random_graph(torch.float32)
    h, x = layer(graph.h, graph.x, torch.zeros(2, 0, dtype=torch.long))
    assert torch.isfinite(h).all() and torch.isfinite(x).all()
    assert torch.equal(x, graph.x)  # no neighbours: no displacement
    h, x = layer(graph.h, graph.x, batch=graph.batch)  # the 1-node graph of SIZES is isolated
    assert torch.isfinite(h).all() and torch.isfinite(x).all()
    assert torch.equal(x[-1], graph.x[-1])


def test_coordinate_update_starts_small():
    torch.manual_seed(0)
    graph = random_graph(torch.float64)
    _, x = EGNNLayer(4, 64).double()(graph.h, graph.x, batch=graph.batch)
    assert 0 < (x - graph.x).abs().max() < 1e-2 * graph.x.abs().max()


def test_gnn_is_permutation_equivariant_but_not_rotation_equivariant():
    torch.manual_seed(0)
    gnn = GNN(3, 16, 2, n_layers=2).double()
    graph = random_graph(torch.float64, features=3)
    errors = euclidean_errors(lambda G: gnn(torch.cat([G.x], 1), batch=G.batch), graph, ("scalar",),
                              torch.Generator().manual_seed(0), ("permutation",))
    assert errors["permutation"] <= 1e-12
    model = GNNDynamics().double()
    x = torch.randn(2, 5, 3, dtype=torch.float64)
    Q = torch.linalg.qr(torch.randn(3, 3, dtype=torch.float64))[0]
    c = torch.ones(2, 5, 1, dtype=torch.float64)
    assert (model(x @ Q.T, x @ Q.T, c) - model(x, x, c) @ Q.T).abs().max() > 1e-4


@pytest.mark.parametrize("model", [EGNNDynamics(16, 2), LinearDynamics()], ids=["egnn", "linear"])
def test_particle_models_are_equivariant(model):
    model = model.double()
    g = torch.Generator().manual_seed(0)
    B, n = 3, 5
    x, v = torch.randn(B, n, 3, generator=g, dtype=torch.float64), torch.randn(B, n, 3, generator=g, dtype=torch.float64)
    c = torch.randint(0, 2, (B, n, 1), generator=g).double() * 2 - 1
    graph = Graph(h=c.reshape(-1, 1), x=x.reshape(-1, 3), v=v.reshape(-1, 3), batch=batch_of([n] * B))
    predict = lambda G: model(G.x.view(B, n, 3), G.v.view(B, n, 3), G.h.view(B, n, 1)).reshape(-1, 3)  # noqa: E731
    assert_euclidean_equivariant(predict, graph, ("position",), g)


def test_edge_linear_matches_the_concatenated_input():
    torch.manual_seed(0)
    layer = GNNLayer(4, 8, edge_features=2).double()
    h = torch.randn(6, 4, dtype=torch.float64)
    edges = fully_connected_edges(torch.zeros(6, dtype=torch.long))
    attr = torch.randn(edges.shape[1], 2, dtype=torch.float64)
    direct = layer.edge_in(torch.cat([h[edges[0]], h[edges[1]], attr], dim=1))
    from gcnn.graph.edges import edge_linear
    assert torch.allclose(edge_linear(layer.edge_in, h, edges[0], edges[1], attr), direct, atol=1e-13)


@pytest.mark.parametrize("call, match", [
    (lambda L: L(torch.randn(5, 3), torch.randn(5, 3)), r"h as a floating tensor of shape \(5, 4\)"),
    (lambda L: L(torch.randn(5, 4), torch.randn(5)), r"x as a floating tensor of shape \(N, C\)"),
    (lambda L: L(torch.randn(5, 4), torch.randn(6, 3)), r"h as a floating tensor of shape \(6, 4\)"),
    (lambda L: L(torch.randn(5, 4), torch.randn(5, 3), torch.tensor([[0], [7]])), r"node ids in \[0, 5\)"),
    (lambda L: L(torch.randn(5, 4), torch.randn(5, 3), torch.zeros(3, 2, dtype=torch.long)), r"\(2, E\)"),
    (lambda L: L(torch.randn(5, 4), torch.randn(5, 3), batch=torch.tensor([0, 1, 0, 1, 1])), "sorted int64"),
    (lambda L: L(torch.randn(5, 4), torch.randn(5, 3), v=torch.randn(5, 3)), "velocity=False"),
    (lambda L: L(torch.randn(5, 4), torch.randn(5, 3), edge_attr=torch.randn(20, 1)), "edge_features=0"),
])
def test_bad_input_names_what_was_expected(call, match):
    with pytest.raises(ValueError, match=match):
        call(EGNNLayer(4, 8))


def test_bad_construction_and_model_input():
    with pytest.raises(ValueError, match="aggregation expects one of"):
        EGNNLayer(4, 8, aggregation="max")
    with pytest.raises(ValueError, match="hidden_features expects an int >= 1"):
        EGNNLayer(4, 0)
    with pytest.raises(ValueError, match=r"v of shape \(N, 3\)|v as a floating tensor of shape \(5, 3\)"):
        EGNNLayer(4, 8, velocity=True)(torch.randn(5, 4), torch.randn(5, 3))
    with pytest.raises(ValueError, match=r"edge_attr as a floating tensor of shape \(20, 2\)"):
        EGNNLayer(4, 8, edge_features=2)(torch.randn(5, 4), torch.randn(5, 3))
    with pytest.raises(ValueError, match=r"charges \(B, n, 1\)"):
        EGNNDynamics(8, 1)(torch.randn(2, 5, 3), torch.randn(2, 5, 3), torch.randn(2, 5))
