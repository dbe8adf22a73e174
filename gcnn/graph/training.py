"""Training and evaluation of particle models on ``gcnn.data.NBodySet``: Adam on the mean squared error

    ℓ(θ) = (1 / (B n d)) Σ_{s,i} ‖x̂_θ(x_s, v_s, c_s)_i − y_{s,i}‖²

over shuffled mini-batches of systems.  Reproducible like ``gcnn.training.fit``: the same seed and
starting weights give the same history.  With a validation set, the weights of the epoch with the
lowest validation MSE are restored at the end; with a ``patience`` $p$ as well, training stops
after the first epoch $t$ with $t − t_{best} = p$ (early stopping), else after ``epochs``.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Callable, Sequence

import torch
from torch import nn

from gcnn.data.nbody import NBodySet
from gcnn.validation import check_ints

__all__ = ["DynamicsHistory", "fit_dynamics", "fit_seeds", "predict_positions", "mse"]


@dataclass
class DynamicsHistory:
    """Per-epoch mean training MSE, validation MSE (if a validation set was given) and the best epoch
    (0-based); ``len(train_mse)`` is the number of epochs run."""

    train_mse: list[float] = field(default_factory=list)
    val_mse: list[float] = field(default_factory=list)
    best_epoch: int | None = None


def fit_dynamics(
    model: nn.Module,
    train: NBodySet,
    epochs: int,
    batch_size: int = 100,
    lr: float = 5e-4,
    weight_decay: float = 1e-12,
    seed: int = 0,
    val: NBodySet | None = None,
    patience: int | None = None,
) -> DynamicsHistory:
    """Train ``model`` (``(x, v, charges) ↦ x̂``) in place for at most ``epochs``; returns the ``DynamicsHistory``."""
    if not isinstance(train, NBodySet) or (val is not None and not isinstance(val, NBodySet)):
        raise ValueError(f"expected NBodySet data, got train={type(train).__name__}, val={type(val).__name__}")
    check_ints(epochs=epochs, batch_size=batch_size)
    if not isinstance(lr, (int, float)) or not lr > 0:
        raise ValueError(f"lr expects a positive number, got {lr!r}")
    if patience is not None:
        check_ints(patience=patience)
        if val is None:
            raise ValueError("patience expects a validation set (val) to watch, got val=None")
    torch.manual_seed(seed)
    generator = torch.Generator().manual_seed(seed)
    optimiser = torch.optim.Adam(model.parameters(), lr=lr, weight_decay=weight_decay)
    history, best = DynamicsHistory(), None
    for epoch in range(epochs):
        model.train()
        total = 0.0
        for batch in torch.randperm(len(train), generator=generator).split(batch_size):
            predicted = model(train.positions[batch], train.velocities[batch], train.charges[batch])
            loss = ((predicted - train.targets[batch]) ** 2).mean()
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
            total += loss.item() * len(batch)
        history.train_mse.append(total / len(train))
        if val is not None:
            history.val_mse.append(mse(model, val))
            if history.best_epoch is None or history.val_mse[-1] < history.val_mse[history.best_epoch]:
                history.best_epoch, best = epoch, copy.deepcopy(model.state_dict())
            if patience is not None and epoch - history.best_epoch >= patience:
                break
    if best is not None:
        model.load_state_dict(best)
    return history


def fit_seeds(build: Callable[[], nn.Module], train: NBodySet, seeds: Sequence[int], epochs: int,
              **options: object) -> list[tuple[nn.Module, DynamicsHistory]]:
    """One model per seed: ``torch.manual_seed(seed)``, ``build()``, then ``fit_dynamics(model, train, epochs,
    seed=seed, **options)``; returns ``[(model, history), …]`` in the order of ``seeds``."""
    runs = []
    for seed in seeds:
        torch.manual_seed(seed)
        model = build()
        runs.append((model, fit_dynamics(model, train, epochs, seed=seed, **options)))
    return runs


@torch.no_grad()
def predict_positions(model: nn.Module, data: NBodySet, batch_size: int = 500) -> torch.Tensor:
    """$x̂$ for every system of ``data``, in eval mode: ``(S, n, d)``."""
    model.eval()
    chunks = [model(data.positions[i:i + batch_size], data.velocities[i:i + batch_size],
                    data.charges[i:i + batch_size]) for i in range(0, len(data), batch_size)]
    return torch.cat(chunks)


def mse(model: nn.Module, data: NBodySet) -> float:
    r"""$mean \|x̂ − y\|²$ per coordinate over all systems and particles of ``data``."""
    return ((predict_positions(model, data) - data.targets) ** 2).mean().item()
