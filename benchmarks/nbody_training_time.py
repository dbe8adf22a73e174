"""Wall-clock time of the N-body trainings of the G-GNN page, one torch thread as in its snippet.

    python benchmarks/nbody_training_time.py

Trains EGNNDynamics (100 epochs) and GNNDynamics (80 epochs) with the settings of
``snippets/equivariant-gnn/nbody_training.py`` and prints the seconds each takes, and the time to
generate the data set.  Goal: each training ≤ 90 s on the 2-core machine.
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from gcnn.data import load_nbody  # noqa: E402
from gcnn.graph import EGNNDynamics, GNNDynamics  # noqa: E402
from gcnn.graph.training import fit_dynamics  # noqa: E402


def main() -> None:
    torch.set_num_threads(1)
    start = time.perf_counter()
    data = load_nbody(seed=0)
    print(f"load_nbody(): {time.perf_counter() - start:.1f} s")
    for name, model, epochs in (("EGNN", EGNNDynamics(64, 4), 100), ("GNN", GNNDynamics(3, 74, 4), 80)):
        torch.manual_seed(0)
        start = time.perf_counter()
        fit_dynamics(model, data.train, epochs, batch_size=100, lr=1e-3, val=data.val)
        print(f"{name}: {epochs} epochs in {time.perf_counter() - start:.1f} s (one thread; goal ≤ 90 s)")


if __name__ == "__main__":
    main()
