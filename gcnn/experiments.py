"""Seeded digit experiments: a learning-rate search on the validation split, then more seeds.

``study`` trains ``build()`` with seed $s_0$ at each rate $η$ of a small grid, scores each on
the validation split (upright digits, or rotated ones when the training was meant to cover
rotations) and keeps the best,

    η* = argmax_η acc_val(θ_η),

then trains seeds $s_1, …$ at $η*$. The test split is touched only by the caller, after the
choice. Results are summarised per model as mean ± sample standard deviation over the seeds,

    m = (1/n) Σ_i a_i,    s = ((1/(n − 1)) Σ_i (a_i − m)²)^{1/2}.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from typing import Callable, Sequence

import torch
from torch import nn

from gcnn.data.mnist import MnistDigits
from gcnn.training import History, accuracy, fit

__all__ = ["Run", "Study", "study", "mean_std", "format_mean_std"]

SELECT_ON = ("upright", "rotated")


@dataclass
class Run:
    """One trained model: its seed, training history and the CPU seconds the training took."""

    seed: int
    model: nn.Module
    history: History
    cpu_seconds: float


@dataclass
class Study:
    """The validation accuracy of each searched rate, the chosen rate, and one ``Run`` per seed at it."""

    name: str
    validation: dict[float, float]
    lr: float
    runs: list[Run]


def study(
    name: str,
    build: Callable[[], nn.Module],
    digits: MnistDigits,
    rates: Sequence[float],
    seeds: Sequence[int],
    select_on: str = "upright",
    **fit_options: object,
) -> Study:
    """Search ``rates`` with ``seeds[0]``, then train ``seeds[1:]`` at the best; ``fit_options`` go to ``fit``.

    ``build`` is called right after ``torch.manual_seed(seed)``, so each seed also sets the
    initial weights. Ties between rates go to the first in ``rates``.
    """
    if select_on not in SELECT_ON:
        raise ValueError(f"select_on expects one of {SELECT_ON}, got {select_on!r}")
    if not rates or not seeds or len(set(seeds)) != len(seeds):
        raise ValueError(f"expected at least one rate and distinct seeds, got rates={rates!r}, seeds={seeds!r}")
    images = digits.validation_images if select_on == "upright" else digits.validation_rotated_images
    searched = {lr: _train(build, digits, lr, seeds[0], fit_options) for lr in rates}
    validation = {lr: accuracy(run.model, images, digits.validation_labels) for lr, run in searched.items()}
    best = max(rates, key=lambda lr: (validation[lr], -rates.index(lr)))
    runs = [searched[best]] + [_train(build, digits, best, seed, fit_options) for seed in seeds[1:]]
    return Study(name, validation, best, runs)


def mean_std(values: Sequence[float]) -> tuple[float, float]:
    """``(m, s)``: the mean and the sample standard deviation ($n − 1$; 0 for one value)."""
    values = [float(v) for v in values]
    if not values:
        raise ValueError("mean_std expects at least one value, got none")
    mean = sum(values) / len(values)
    if len(values) == 1:
        return mean, 0.0
    return mean, math.sqrt(sum((v - mean) ** 2 for v in values) / (len(values) - 1))


def format_mean_std(values: Sequence[float], percent: bool = True, digits: int = 1) -> str:
    """``"m ± s"``, as percentages of fractions by default: ``[0.9, 0.92]`` → ``"91.0 ± 1.4 %"``."""
    mean, std = mean_std(values)
    scale, unit = (100, " %") if percent else (1, "")
    return f"{scale * mean:.{digits}f} ± {scale * std:.{digits}f}{unit}"


def _train(build: Callable[[], nn.Module], digits: MnistDigits, lr: float, seed: int, fit_options: dict) -> Run:
    torch.manual_seed(seed)
    model = build()
    start = time.process_time()
    history = fit(model, digits.train_images, digits.train_labels, lr=lr, seed=seed, **fit_options)
    return Run(seed, model, history, time.process_time() - start)
