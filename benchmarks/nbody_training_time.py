"""Wall-clock time of the N-body trainings of the G-GNN page, one torch thread as in its snippet.

    python benchmarks/nbody_training_time.py

Trains EGNNDynamics and GNNDynamics (seed 0) with the settings of
``snippets/equivariant-gnn/nbody_training.py`` — early stopping with patience 20, at most 160
epochs — and the SEGNN- and PONITA-style models of ``nbody_segnn.py`` / ``nbody_ponita.py`` with
the same protocol, and prints the epochs run, the seconds each takes and the seconds per epoch,
and the time to generate the data set.  Goals: EGNN and GNN ≤ 120 s, SEGNN and PONITA ≤ 180 s each
on the 2-core machine.
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
from gcnn.graph import EGNNDynamics, GNNDynamics, PONITADynamics, SEGNNDynamics  # noqa: E402
from gcnn.graph.training import fit_dynamics  # noqa: E402


GOALS_S = {"EGNN": 120.0, "GNN": 120.0, "SEGNN": 180.0, "PONITA": 180.0}  # per training
MODELS = {"EGNN": lambda: EGNNDynamics(64, 4), "GNN": lambda: GNNDynamics(3, 74, 4),
          "SEGNN": lambda: SEGNNDynamics({0: 32, 1: 16}, n_layers=4),
          "PONITA": lambda: PONITADynamics(24, n_layers=4, grid_level=0, basis_dim=16)}
MAX_EPOCHS, PATIENCE = 160, 20


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
        for name, build in MODELS.items():
            torch.manual_seed(0)
            model = build()
            start = time.perf_counter()
            history = fit_dynamics(model, data.train, MAX_EPOCHS, batch_size=100, lr=1e-3, seed=0, val=data.val,
                                   patience=PATIENCE)
            yield Timing(name, len(history.train_mse), time.perf_counter() - start)
    finally:
        torch.set_num_threads(threads)


def main() -> None:
    for t in timings():
        if t.epochs:
            print(f"{t.name}: {t.epochs} epochs in {t.seconds:.1f} s, {t.seconds / t.epochs:.2f} s per epoch "
                  f"(one thread; goal ≤ {GOALS_S[t.name]:g} s)")
        else:
            print(f"{t.name}: {t.seconds:.1f} s")


if __name__ == "__main__":
    main()
