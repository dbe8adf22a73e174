"""gcnn.viz: the style file loads and the shared accuracy plot draws what it is given."""
from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402

from gcnn.viz import STYLE, plot_accuracy_vs_angle  # noqa: E402


def test_style_file_loads_and_sets_the_colour_cycle():
    with plt.style.context(STYLE):
        colours = plt.rcParams["axes.prop_cycle"].by_key()["color"]
        assert colours[0].lower() in ("#0072b2", "0072b2")
        assert plt.rcParams["axes.spines.top"] is False


def test_accuracy_plot_draws_one_line_per_model_in_percent():
    fig, ax = plt.subplots()
    angles = [0, 45, 90, 135, 180]
    plot_accuracy_vs_angle(ax, angles, {"CNN": [0.9, 0.3, 0.2, 0.3, 0.25], "G-CNN": [0.9, 0.6, 0.9, 0.6, 0.9]})
    models = [line for line in ax.get_lines() if line.get_label() in ("CNN", "G-CNN")]
    assert [line.get_label() for line in models] == ["CNN", "G-CNN"]
    assert list(models[1].get_ydata()) == pytest.approx([90, 60, 90, 60, 90])
    assert [text.get_text() for text in ax.get_legend().get_texts()] == ["CNN", "G-CNN"]
    plt.close(fig)


def test_accuracy_plot_of_several_seeds_draws_the_mean_and_a_band_of_one_std():
    fig, ax = plt.subplots()
    seeds = [[0.9, 0.5, 0.8], [0.7, 0.5, 0.6], [0.8, 0.5, 1.0]]
    plot_accuracy_vs_angle(ax, [0, 45, 90], {"G-CNN": seeds})
    (line,) = [line for line in ax.get_lines() if line.get_label() == "G-CNN"]
    assert list(line.get_ydata()) == pytest.approx([80, 50, 80])
    (band,) = ax.collections
    vertices = band.get_paths()[0].vertices
    at_90 = vertices[vertices[:, 0] == 90, 1]
    assert min(at_90) == pytest.approx(60) and max(at_90) == pytest.approx(100)  # 80 ± 20 at 90°
    assert set(vertices[vertices[:, 0] == 45, 1]) == {50}  # the seeds agree at 45°: no band
    plt.close(fig)


def test_accuracy_plot_rejects_curves_of_the_wrong_length():
    fig, ax = plt.subplots()
    with pytest.raises(ValueError, match="curve 'CNN' has 2 accuracies, expected one per angle \\(3\\)"):
        plot_accuracy_vs_angle(ax, [0, 90, 180], {"CNN": [0.5, 0.4]})
    with pytest.raises(ValueError, match="curve 'CNN' has 2 accuracies, expected one per angle \\(3\\)"):
        plot_accuracy_vs_angle(ax, [0, 90, 180], {"CNN": [[0.5, 0.4, 0.3], [0.5, 0.4]]})
    with pytest.raises(ValueError, match="at least one curve"):
        plot_accuracy_vs_angle(ax, [0, 90], {})
    plt.close(fig)
