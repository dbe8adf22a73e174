"""Forward time of the steerable (SEGNN-style) and position–orientation (PONITA-style) N-body models next
to EGNN, on the same batches, in one run.

    python benchmarks/graph_models_speed.py [--budget 20]

The models are the ones the G-GNN page trains: ``EGNNDynamics(64, 4)``, ``SEGNNDynamics({0: 32, 1: 16})``
and ``PONITADynamics(24, basis_dim=16)`` on 12 orientations, plus PONITA on 62 orientations (the grid
that is closer to continuous rotations).  Two sizes: 5 particles × 100 systems (a training batch) and
30 particles × 8 systems (870 edges per system instead of 20); one thread, float32, forward with
autograd on (as in training) and under ``torch.no_grad()``.  Rounds are interleaved (see
``interleaved.py``); a ratio is the median over rounds of model / EGNN timed in the same round.
"""
from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path

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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--budget", type=float, default=20.0, help="seconds of timing per size and mode")
    budget = parser.parse_args().budget
    torch.set_num_threads(1)
    torch.manual_seed(0)
    models = {name: build() for name, build in MODELS.items()}
    print("parameters: " + ", ".join(f"{name} {count_parameters(m):,d}" for name, m in models.items()))
    header = f"{'size':>14s} {'mode':>6s} " + " ".join(f"{name + ' ms':>13s}" for name in models)
    print(header + " " + " ".join(f"{name + '/EGNN':>15s}" for name in list(models)[1:]))
    for n, systems in SIZES:
        g = torch.Generator().manual_seed(n)
        x, v = torch.randn(systems, n, 3, generator=g), torch.randn(systems, n, 3, generator=g)
        c = torch.randint(0, 2, (systems, n, 1), generator=g).float() * 2 - 1
        for mode in ("train", "eval"):
            def forward(model):
                if mode == "eval":
                    with torch.no_grad():
                        return model(x, v, c)
                return model(x, v, c).sum()
            rounds, times = interleaved_times({name: (lambda m=m: forward(m)) for name, m in models.items()}, budget)
            ms = " ".join(f"{1e3 * statistics.median(times[name]):13.2f}" for name in models)
            ratios = " ".join(f"{paired_ratio(times, name, 'EGNN'):14.1f}×" for name in list(models)[1:])
            print(f"{f'{n} × {systems}':>14s} {mode:>6s} {ms} {ratios}   ({rounds} rounds)", flush=True)


if __name__ == "__main__":
    main()
