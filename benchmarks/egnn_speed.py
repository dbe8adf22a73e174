"""Speed of gcnn.graph.EGNN next to a straightforward dense implementation of the same network.

    python benchmarks/egnn_speed.py [--budget 10]

The dense reference, written here, holds every pair ``(i, j)`` of a system in ``(B, n, n, ·)``
tensors: it concatenates ``[h_i ; h_j ; ‖x_i − x_j‖²]`` for all pairs, runs the edge MLP on
all ``n²`` of them and masks the diagonal.  It shares the EGNN's weights, and the script first
checks that both give the same outputs.  ``gcnn``'s EGNN works on an edge list (fully connected
graphs built from the batch vector on every call) and applies the first edge layer per node
before gathering it per edge.  Two sizes, 4 layers of width 64: 5 nodes × 100 systems and
30 nodes × 8 systems; forward with autograd on (as in training) and under ``torch.no_grad()``.
Goal: EGNN / dense ≤ 1.0×.
"""
from __future__ import annotations

import argparse
import statistics
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import torch

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from interleaved import interleaved_times, paired_ratio  # noqa: E402

from gcnn.graph import EGNN, EGNNLayer  # noqa: E402

FEATURES, HIDDEN, LAYERS = 16, 64, 4
GOAL = 1.0  # EGNN / dense


@dataclass(frozen=True)
class SpeedRow:
    """One size: largest output difference, median ms of each variant, paired egnn/dense ratios."""
    nodes: int
    systems: int
    gap: float
    rounds: int
    dense_train_ms: float
    egnn_train_ms: float
    train_ratio: float
    dense_eval_ms: float
    egnn_eval_ms: float
    eval_ratio: float


def dense_layer(layer: EGNNLayer, h: torch.Tensor, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """One EGNN layer on ``(B, n, F)`` features and ``(B, n, d)`` positions, all pairs at once."""
    B, n, F = h.shape
    difference = x[:, :, None] - x[:, None, :]  # (B, n, n, d): x_i − x_j
    squared = (difference**2).sum(-1, keepdim=True)
    pairs = torch.cat([h[:, :, None].expand(B, n, n, F), h[:, None].expand(B, n, n, F), squared], dim=-1)
    off_diagonal = (1 - torch.eye(n, dtype=h.dtype))[None, :, :, None]
    message = layer.edge_out(layer.edge_in(pairs)) * off_diagonal
    shift = (difference * layer.coordinate(message) * off_diagonal).sum(2) / (n - 1)
    h_new = h + layer.node(torch.cat([h, message.sum(2)], dim=-1))
    return h_new, x + shift


def dense_egnn(model: EGNN, h: torch.Tensor, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    h = model.embed(h)
    for layer in model.layers:
        h, x = dense_layer(layer, h, x)
    return model.read_out(h), x


def compare(n: int, systems: int, budget: float) -> tuple[float, int, dict[str, list[float]]]:
    """Largest output difference and the times of the four variants."""
    torch.manual_seed(0)
    model = EGNN(FEATURES, HIDDEN, FEATURES, LAYERS)
    for layer in model.layers:  # a coordinate update large enough to compare
        torch.nn.init.normal_(layer.coordinate[-1].weight, std=0.1)
    h, x = torch.randn(systems, n, FEATURES), torch.randn(systems, n, 3)
    batch = torch.arange(systems).repeat_interleave(n)
    flat_h, flat_x = h.reshape(-1, FEATURES), x.reshape(-1, 3)

    def ours() -> tuple[torch.Tensor, torch.Tensor]:
        return model(flat_h, flat_x, batch=batch)

    def dense() -> tuple[torch.Tensor, torch.Tensor]:
        return dense_egnn(model, h, x)

    with torch.no_grad():
        (h1, x1), (h2, x2) = ours(), dense()
        gap = max((h1 - h2.reshape(-1, FEATURES)).abs().max().item(), (x1 - x2.reshape(-1, 3)).abs().max().item())

    def no_grad(call):
        def run():
            with torch.no_grad():
                call()
        return run

    variants = {"egnn train": ours, "dense train": dense, "egnn eval": no_grad(ours), "dense eval": no_grad(dense)}
    rounds, times = interleaved_times(variants, budget)
    return gap, rounds, times


def speed_rows(budget: float) -> Iterator[SpeedRow]:
    """5 nodes × 100 systems and 30 nodes × 8: each row as soon as it is measured, `budget` seconds each."""
    for n, systems in ((5, 100), (30, 8)):
        gap, rounds, t = compare(n, systems, budget)
        ms = {name: 1e3 * statistics.median(values) for name, values in t.items()}
        yield SpeedRow(n, systems, gap, rounds,
                       ms["dense train"], ms["egnn train"], paired_ratio(t, "egnn train", "dense train"),
                       ms["dense eval"], ms["egnn eval"], paired_ratio(t, "egnn eval", "dense eval"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--budget", type=float, default=10.0, help="seconds per configuration")
    budget = parser.parse_args().budget
    print(f"EGNN ({LAYERS} layers, width {HIDDEN}) forward vs a dense all-pairs reference, "
          f"torch threads: {torch.get_num_threads()}")
    print(f"{'nodes':>5} {'systems':>7} {'max |Δ|':>9} {'reps':>5}  {'dense train':>11} {'egnn train':>10} {'ratio':>6}"
          f"  {'dense eval':>10} {'egnn eval':>9} {'ratio':>6}")
    for r in speed_rows(budget):
        print(f"{r.nodes:>5} {r.systems:>7} {r.gap:>9.1e} {r.rounds:>5}  {r.dense_train_ms:>9.2f}ms "
              f"{r.egnn_train_ms:>8.2f}ms {r.train_ratio:>5.3f}×  {r.dense_eval_ms:>8.2f}ms "
              f"{r.egnn_eval_ms:>7.2f}ms {r.eval_ratio:>5.3f}×")
    print(f"ratio = median over rounds of egnn/dense; goal ≤ {GOAL}×")


if __name__ == "__main__":
    main()
