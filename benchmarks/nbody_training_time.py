"""Wall-clock time of the N-body trainings of the G-GNN page, one torch thread as in its snippet.

    python benchmarks/nbody_training_time.py

Trains EGNNDynamics (100 epochs) and GNNDynamics (80 epochs) with the settings of
``snippets/equivariant-gnn/nbody_training.py`` and prints the seconds each takes, and the time to
generate the data set.  Goal: each training ≤ 90 s on the 2-core machine.
"""
from __future__ import annotations

import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import torch

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from gcnn.data import load_nbody  # noqa: E402
from gcnn.graph import EGNNDynamics, GNNDynamics  # noqa: E402
from gcnn.graph.training import fit_dynamics  # noqa: E402


GOAL_S = 90.0  # per training


@dataclass(frozen=True)
class Timing:
    """Seconds of one step: 'load_nbody()' (epochs 0) or the training of a model."""
    name: str
    epochs: int
    seconds: float


def timings() -> Iterator[Timing]:
    """The data set, then each training, each as soon as it is done; one torch thread meanwhile."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        start = time.perf_counter()
        data = load_nbody(seed=0)
        yield Timing("load_nbody()", 0, time.perf_counter() - start)
        for name, model, epochs in (("EGNN", EGNNDynamics(64, 4), 100), ("GNN", GNNDynamics(3, 74, 4), 80)):
            torch.manual_seed(0)
            start = time.perf_counter()
            fit_dynamics(model, data.train, epochs, batch_size=100, lr=1e-3, val=data.val)
            yield Timing(name, epochs, time.perf_counter() - start)
    finally:
        torch.set_num_threads(threads)


def main() -> None:
    for t in timings():
        if t.epochs:
            print(f"{t.name}: {t.epochs} epochs in {t.seconds:.1f} s (one thread; goal ≤ {GOAL_S:g} s)")
        else:
            print(f"{t.name}: {t.seconds:.1f} s")


if __name__ == "__main__":
    main()
