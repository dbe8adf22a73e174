"""Plotting shared by the snippets: the site's figure style and recurring plots."""
from gcnn.viz.accuracy import plot_accuracy_vs_angle
from gcnn.viz.style import STYLE

__all__ = ["STYLE", "plot_accuracy_vs_angle"]
