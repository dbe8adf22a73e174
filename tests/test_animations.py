"""Animations: the runner turns a snippet's `Animation` into a GIF on white with a held layout, and every
`*_animation.py` snippet of the real site publishes a GIF that plays (several frames, at most 2 MB)."""
from __future__ import annotations

import json

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402
from matplotlib.animation import FuncAnimation  # noqa: E402
from PIL import Image  # noqa: E402

from conftest import ROOT  # noqa: E402
from site_hooks.snippet_worker import save_figures  # noqa: E402

ANIMATIONS = sorted((ROOT / "snippets").rglob("*_animation.py"))
MAX_BYTES = 2 * 1024 * 1024


def frames_of(path):
    """Every frame of a GIF as RGB images."""
    with Image.open(path) as gif:
        frames = []
        for k in range(gif.n_frames):
            gif.seek(k)
            frames.append(gif.convert("RGB"))
        return frames


def test_one_animation_per_content_section():
    assert {path.parent.name for path in ANIMATIONS} == {
        "first-class", "representation-theory", "steerable", "equivariant-gnn"}


def growing_line():
    """A constrained-layout figure with a transparent background whose title grows frame by frame."""
    fig, ax = plt.subplots(figsize=(2, 2), dpi=50, layout="constrained", facecolor="none")
    ax.set(xlim=(0, 4), ylim=(0, 4))
    line, = ax.plot([], [], lw=4)

    def step(k):
        line.set_data([0, k], [0, k])
        ax.set_title("long\ntitle\n" * k)  # moves the axes down whenever the layout is redone
        return line,

    return fig, ax, step


def laid_out_at(frame):
    fig, ax, step = growing_line()
    step(frame)
    fig.draw_without_rendering()
    plt.close(fig)
    return ax.get_position().bounds


def test_an_animation_is_saved_on_white_with_the_layout_of_its_first_frame(tmp_path):
    fig, ax, step = growing_line()
    animation = FuncAnimation(fig, step, frames=4, interval=100)
    try:
        names = save_figures({"animation": animation}, tmp_path, "demo")
        held = ax.get_position().bounds
    finally:
        plt.close(fig)
    assert names == ["demo-1.gif"], "the animated figure is not also saved as a still"
    assert laid_out_at(0) != laid_out_at(3)
    assert held == laid_out_at(0), "the axes keep the place the first frame gave them"
    frames = frames_of(tmp_path / names[0])
    assert len(frames) == 4
    assert all(frame.getpixel((0, 0)) == (255, 255, 255) for frame in frames), "a transparent figure became white"
    assert frames[0].tobytes() != frames[-1].tobytes()


@pytest.mark.parametrize("path", ANIMATIONS, ids=lambda p: p.relative_to(ROOT / "snippets").as_posix())
def test_animation_snippet_publishes_a_gif_that_plays(path, cold_build):
    site, cache = cold_build
    section, stem = path.parent.name, path.stem
    result = json.loads((cache / section / stem / "record.json").read_text())
    assert result["files"] == [f"{stem}-1.gif"], result
    gif = site / "figures" / section / result["files"][0]
    assert gif.stat().st_size <= MAX_BYTES, f"{gif.name}: {gif.stat().st_size} bytes, expected at most {MAX_BYTES}"
    frames = frames_of(gif)
    assert len(frames) > 1, f"{gif.name} has a single frame"
    assert frames[0].getpixel((1, 1)) == (255, 255, 255), "animations have a white background"
    assert result["files"][0] in (site / section / "index.html").read_text(), f"docs/{section}.md shows no {gif.name}"
