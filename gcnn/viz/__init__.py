"""Plotting shared by the snippets: the site's figure style and recurring plots."""

from typing import TYPE_CHECKING

from gcnn._lazy import lazy_package

if TYPE_CHECKING:
    from gcnn.viz.accuracy import plot_accuracy_vs_angle
    from gcnn.viz.style import STYLE

__all__ = ["STYLE", "plot_accuracy_vs_angle"]

lazy_package(__name__)
