"""Equivariance checks for maps on batches of graphs of points (``gcnn.graph.Graph``).

For a transformation $g$ — a rotation $Q$ ($det Q = 1$), a reflection ($det Q = −1$), a
translation $t$ per graph, or a relabelling $π$ of the nodes within each graph — the error of
output $k$ is relative,

    e_k(g) = max|Φ(g·G)_k − g·Φ(G)_k| / max|g·Φ(G)_k|,

and the error of $g$ is the largest over the outputs.  How $g$ moves an output is its kind:
``"scalar"`` (only permuted), ``"position"`` ($x Qᵀ + t$, permuted), ``"vector"`` ($v Qᵀ$, permuted) or
``"degree-l"`` ($l = 0, 1, 2, …$: the last axis holds the $2l + 1$ components of a feature of degree
$l$ in the order of ``gcnn.representations.so3``, moved by the Wigner matrix, $y D_l(Q)ᵀ$, permuted).
"""

from __future__ import annotations

from typing import Callable, Sequence

import torch

from gcnn.graph.graph import Graph
from gcnn.groups.orthogonal import random_orthogonal
from gcnn.representations.so3 import wigner_d

__all__ = ["euclidean_errors", "assert_euclidean_equivariant", "TRANSFORMATIONS", "OUTPUT_KINDS"]

TRANSFORMATIONS: tuple[str, ...] = ("rotation", "reflection", "translation", "permutation")
OUTPUT_KINDS: tuple[str, ...] = ("scalar", "position", "vector", "degree-l")
_TOLERANCE = {torch.float64: 1e-12, torch.float32: 1e-5}
Outputs = Callable[[Graph], Sequence[torch.Tensor]]


def euclidean_errors(
    fn: Outputs,
    graph: Graph,
    outputs: Sequence[str] = ("scalar", "position"),
    generator: torch.Generator | None = None,
    transformations: Sequence[str] = TRANSFORMATIONS,
) -> dict[str, float]:
    """``{transformation: e(g)}`` for one random $g$ of each kind (see the module docstring)."""
    return {name: _relative(*deviation) for name, deviation in
            _deviations(fn, graph, outputs, generator, transformations).items()}


def assert_euclidean_equivariant(
    fn: Outputs,
    graph: Graph,
    outputs: Sequence[str] = ("scalar", "position"),
    generator: torch.Generator | None = None,
    transformations: Sequence[str] = TRANSFORMATIONS,
    tolerance: float | None = None,
) -> None:
    """Assert ``max|Φ(g·G) − g·Φ(G)| ≤ tol · max(1, max|g·Φ(G)|)`` for each output and transformation;
    ``tol`` defaults to 1e-12 (float64 positions) or 1e-5 (float32)."""
    if tolerance is None:
        if graph.x.dtype not in _TOLERANCE:
            raise ValueError(f"no default tolerance for {graph.x.dtype}; expected float32 or float64, or pass tolerance")
        tolerance = _TOLERANCE[graph.x.dtype]
    deviations = _deviations(fn, graph, outputs, generator, transformations)
    failed = {name: (diff, scale) for name, (diff, scale) in deviations.items() if diff > tolerance * max(1.0, scale)}
    if failed:
        lines = [f"  {name}: max abs error {diff:.3e}, relative {_relative(diff, scale):.3e}"
                 for name, (diff, scale) in failed.items()]
        raise AssertionError(f"not E(n)/permutation equivariant (tolerance {tolerance:g}):\n" + "\n".join(lines))


def _deviations(fn: Outputs, graph: Graph, outputs: Sequence[str], generator: torch.Generator | None,
                transformations: Sequence[str]) -> dict[str, tuple[float, float]]:
    """``{name: (max abs deviation, its scale)}`` for the output with the largest relative deviation."""
    for kind in outputs:
        if kind not in OUTPUT_KINDS[:3] and _degree(kind) is None:
            raise ValueError(f"expected output kinds from {OUTPUT_KINDS}, got {kind!r}")
    d, ids = graph.x.shape[1], graph.graph_ids()
    n_graphs = int(ids.max()) + 1 if ids.numel() else 0
    identity = torch.eye(d, dtype=torch.float64)
    result = {}
    with torch.no_grad():
        reference = _outputs(fn, graph, outputs)
        for name in transformations:
            if name == "permutation":
                perm = _within_graphs(ids, generator)
                moved = [y[torch.argsort(perm)] for y in reference]
                transformed = graph.permuted(perm)
            else:
                if name not in TRANSFORMATIONS:
                    raise ValueError(f"expected transformations from {TRANSFORMATIONS}, got {name!r}")
                Q = identity if name == "translation" else random_orthogonal(d, name == "reflection", generator)
                t = (torch.randn(n_graphs, d, generator=generator, dtype=torch.float64) if name == "translation"
                     else torch.zeros(d, dtype=torch.float64))
                moved = [_move(y, kind, Q, t, ids) for y, kind in zip(reference, outputs)]
                transformed = graph.transformed(Q, t)
            result[name] = max(((_max(a - b), _max(b)) for a, b in zip(_outputs(fn, transformed, outputs), moved)),
                               key=lambda pair: _relative(*pair))
    return result


def _outputs(fn: Outputs, graph: Graph, outputs: Sequence[str]) -> list[torch.Tensor]:
    result = fn(graph)
    result = [result] if isinstance(result, torch.Tensor) else list(result)
    if len(result) != len(outputs):
        raise ValueError(f"fn returned {len(result)} outputs, expected {len(outputs)} (kinds {tuple(outputs)})")
    return result


def _degree(kind: str) -> int | None:
    """$l$ of a ``"degree-l"`` kind, else ``None``."""
    prefix, _, number = kind.partition("-")
    return int(number) if prefix == "degree" and number.isdigit() else None


def _move(y: torch.Tensor, kind: str, Q: torch.Tensor, t: torch.Tensor, ids: torch.Tensor) -> torch.Tensor:
    if kind == "scalar":
        return y
    if _degree(kind) is not None:
        return y @ wigner_d(_degree(kind), Q).T.to(y.dtype)
    y = y @ Q.T.to(y.dtype)
    if kind == "position":
        y = y + (t if t.dim() == 1 else t[ids]).to(y.dtype)
    return y


def _within_graphs(ids: torch.Tensor, generator: torch.Generator | None) -> torch.Tensor:
    """A random permutation that keeps every node in its graph (``batch`` stays sorted)."""
    keys = ids.to(torch.float64) + torch.rand(ids.shape[0], generator=generator, dtype=torch.float64) * 0.5
    order = torch.argsort(keys)  # order[k]: the node that lands at position k
    perm = torch.empty_like(order)
    perm[order] = torch.arange(order.shape[0])
    return perm


def _max(t: torch.Tensor) -> float:
    return t.abs().max().item() if t.numel() else 0.0


def _relative(diff: float, scale: float) -> float:
    return diff / scale if scale > 0 else diff
