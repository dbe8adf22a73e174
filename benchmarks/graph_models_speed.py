"""Forward time of the steerable (SEGNN-style) and position–orientation (PONITA-style) N-body models next
to EGNN, on the same batches, in one run.

    python benchmarks/graph_models_speed.py [--budget 20]

The models are the ones the G-GNN page trains: ``EGNNDynamics(64, 4)``, ``SEGNNDynamics({0: 32, 1: 16})``
and ``PONITADynamics(24, basis_dim=16)`` on 12 orientations, plus PONITA on 62 orientations (the grid
that is closer to continuous rotations).  Two sizes: 5 particles × 100 systems (a training batch) and
30 particles × 8 systems (870 edges per system instead of 20); one thread, float32, the forward pass
under ``torch.no_grad()`` and forward + backward (a training step without the optimiser).  Rounds are interleaved (see
``interleaved.py``); a ratio is the median over rounds of model / EGNN timed in the same round.
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

from gcnn.graph import EGNNDynamics, PONITADynamics, SEGNNDynamics  # noqa: E402
from gcnn.models import count_parameters  # noqa: E402

MODELS = {"EGNN": lambda: EGNNDynamics(64, 4), "SEGNN": lambda: SEGNNDynamics({0: 32, 1: 16}),
          "PONITA-12": lambda: PONITADynamics(24, basis_dim=16),
          "PONITA-62": lambda: PONITADynamics(24, basis_dim=16, grid_level=1)}
SIZES = ((5, 100), (30, 8))  # (particles, systems)
MODES = ("forward", "forward + backward")


@dataclass(frozen=True)
class SpeedRow:
    """One size and mode: median ms of each model (in ``MODELS`` order) and paired model / EGNN ratios."""
    nodes: int
    systems: int
    mode: str
    rounds: int
    ms: dict[str, float]
    ratios: dict[str, float]


def parameters() -> dict[str, int]:
    torch.manual_seed(0)
    return {name: count_parameters(build()) for name, build in MODELS.items()}


def speed_rows(budget: float) -> Iterator[SpeedRow]:
    """Each size and mode in turn, one torch thread meanwhile; ``budget`` seconds of timing each."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        torch.manual_seed(0)
        models = {name: build() for name, build in MODELS.items()}
        for n, systems in SIZES:
            g = torch.Generator().manual_seed(n)
            x, v = torch.randn(systems, n, 3, generator=g), torch.randn(systems, n, 3, generator=g)
            c = torch.randint(0, 2, (systems, n, 1), generator=g).float() * 2 - 1
            for mode in MODES:
                def run(model: torch.nn.Module) -> None:
                    if mode == "forward":
                        with torch.no_grad():
                            model(x, v, c)
                    else:
                        model(x, v, c).sum().backward()
                rounds, times = interleaved_times({name: (lambda m=m: run(m)) for name, m in models.items()}, budget)
                yield SpeedRow(n, systems, mode, rounds, {name: 1e3 * statistics.median(t) for name, t in times.items()},
                               {name: paired_ratio(times, name, "EGNN") for name in models if name != "EGNN"})
    finally:
        torch.set_num_threads(threads)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--budget", type=float, default=20.0, help="seconds of timing per size and mode")
    budget = parser.parse_args().budget
    print("parameters: " + ", ".join(f"{name} {count:,d}" for name, count in parameters().items()))
    others = [name for name in MODELS if name != "EGNN"]
    print(f"{'size':>9s} {'mode':>18s} " + " ".join(f"{name + ' ms':>13s}" for name in MODELS) + " "
          + " ".join(f"{name + '/EGNN':>15s}" for name in others))
    for row in speed_rows(budget):
        print(f"{f'{row.nodes} × {row.systems}':>9s} {row.mode:>18s} "
              + " ".join(f"{row.ms[name]:13.2f}" for name in MODELS) + " "
              + " ".join(f"{row.ratios[name]:14.1f}×" for name in others) + f"   ({row.rounds} rounds)", flush=True)


if __name__ == "__main__":
    main()
