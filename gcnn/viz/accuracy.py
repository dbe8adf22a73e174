"""Accuracy of classifiers as a function of the rotation applied to every test image."""
from __future__ import annotations

from collections.abc import Mapping, Sequence

from matplotlib.axes import Axes


def plot_accuracy_vs_angle(ax: Axes, angles: Sequence[float], curves: Mapping[str, Sequence[float]],
                           chance: float | None = 0.1) -> Axes:
    """Plot `curves[name][i]` = accuracy (a fraction) at `angles[i]` degrees, one line per model.

    Solid vertical lines mark the 90° rotations (exact on the pixel grid), dotted ones the 45° steps
    in between; a dashed line marks chance level when `chance` is given.
    """
    if not curves:
        raise ValueError("plot_accuracy_vs_angle expects at least one curve, got none")
    for name, curve in curves.items():
        if len(curve) != len(angles):
            raise ValueError(f"curve {name!r} has {len(curve)} accuracies, expected one per angle ({len(angles)})")
    low, high = min(angles), max(angles)
    for angle in range(int(low) - int(low) % 45, int(high) + 1, 45):
        ax.axvline(angle, color="0.5", zorder=0, linewidth=1.2 if angle % 90 == 0 else 0.6,
                   linestyle="-" if angle % 90 == 0 else ":")
    for name, curve in curves.items():
        ax.plot(angles, [100 * a for a in curve], marker="o", markersize=3, label=name)
    if chance is not None:
        ax.axhline(100 * chance, color="0.5", linestyle="--", linewidth=0.8)
        ax.text(low + 2, 100 * chance + 1.5, "chance", color="0.4", fontsize=9)
    ax.set(xlabel="rotation of every test digit (degrees)", ylabel="test accuracy (%)", xlim=(low, high),
           ylim=(0, 102), xticks=range(int(low) - int(low) % 45, int(high) + 1, 45))
    ax.legend(loc="upper left", bbox_to_anchor=(1, 1))
    return ax
