"""Accuracy of classifiers as a function of the rotation applied to every test image."""
from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
from matplotlib.axes import Axes


def plot_accuracy_vs_angle(ax: Axes, angles: Sequence[float],
                           curves: Mapping[str, Sequence[float] | Sequence[Sequence[float]]],
                           chance: float | None = 0.1) -> Axes:
    """Plot accuracy (a fraction) against the rotation angle in degrees, one line per model.

    `curves[name]` is one accuracy per angle, or one such list per seed: then the line is the
    mean over seeds and a band shades mean ± sample standard deviation. Solid vertical lines mark
    the 90° rotations (exact on the pixel grid), dotted ones the 45° steps in between; a dashed
    line marks chance level when `chance` is given.
    """
    if not curves:
        raise ValueError("plot_accuracy_vs_angle expects at least one curve, got none")
    runs = {name: _per_seed(name, curve, len(angles)) for name, curve in curves.items()}
    low, high = min(angles), max(angles)
    for angle in range(int(low) - int(low) % 45, int(high) + 1, 45):
        ax.axvline(angle, color="0.5", zorder=0, linewidth=1.2 if angle % 90 == 0 else 0.6,
                   linestyle="-" if angle % 90 == 0 else ":")
    for name, seeds in runs.items():
        percent = 100 * np.asarray(seeds, dtype=float)
        mean = percent.mean(axis=0)
        (line,) = ax.plot(angles, mean, marker="o", markersize=3, label=name)
        if len(percent) > 1:
            std = percent.std(axis=0, ddof=1)
            ax.fill_between(angles, mean - std, mean + std, color=line.get_color(), alpha=0.25, linewidth=0)
    if chance is not None:
        ax.axhline(100 * chance, color="0.5", linestyle="--", linewidth=0.8)
        ax.text(low + 2, 100 * chance + 1.5, "chance", color="0.4", fontsize=9)
    ax.set(xlabel="rotation of every test digit (degrees)", ylabel="test accuracy (%)", xlim=(low, high),
           ylim=(0, 102), xticks=range(int(low) - int(low) % 45, int(high) + 1, 45))
    ax.legend(loc="upper left", bbox_to_anchor=(1, 1))
    return ax


def _per_seed(name: str, curve: Sequence, n_angles: int) -> list[Sequence[float]]:
    """`[curve]` for one accuracy per angle, `curve` itself for one list per seed; lengths checked."""
    seeds = list(curve) if len(curve) and isinstance(curve[0], Sequence) else [curve]
    for seed in seeds:
        if len(seed) != n_angles:
            raise ValueError(f"curve {name!r} has {len(seed)} accuracies, expected one per angle ({n_angles})")
    return seeds
