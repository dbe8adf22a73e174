"""The snippet runner and its cache, on a small throwaway project (its own gcnn/ and snippets/)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from site_hooks.fingerprint import fingerprint
from site_hooks.snippet_outputs import discover_snippets
from site_hooks.snippet_runner import Snippet, SnippetRunner

PLOT = """import gcnn
import matplotlib.pyplot as plt
import torch

values = torch.randn(5)
print("first value", round(float(values[0]), 6), "scale", gcnn.SCALE)
plt.plot((values * gcnn.SCALE).tolist())
plt.show()
"""
TEXT = "import gcnn\nprint('scale is', gcnn.SCALE)\n"
RAISES = "import gcnn\n\nvalue = 1\nprint('before')\nvalue = value / 0\n"


@pytest.fixture
def tiny(tmp_path):
    root = tmp_path / "tiny"
    (root / "gcnn").mkdir(parents=True)
    (root / "gcnn" / "__init__.py").write_text("SCALE = 2\n")
    (root / "requirements.lock").write_text("torch==2.13.0\n")
    (root / "docs").mkdir()
    for name, code in {"a/plot": PLOT, "a/text": TEXT}.items():
        path = root / "snippets" / f"{name}.py"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(code)
    return root


def run(root: Path, cache: Path, jobs: int = 2):
    runner = SnippetRunner(root, cache, jobs=jobs)
    results = runner.run(discover_snippets(root, root / "docs"))
    return runner, results


def test_first_run_misses_then_hits(tiny, tmp_path):
    cache = tmp_path / "cache"
    runner, results = run(tiny, cache)
    assert sorted(runner.last.ran) == ["a/plot", "a/text"] and runner.last.hits == []
    assert results["a/text"].stdout == "scale is 2\n"
    assert results["a/plot"].files == ["plot-1.svg"] and results["a/plot"].paths[0].read_bytes().startswith(b"<?xml")
    runner, again = run(tiny, cache)
    assert runner.last.ran == [] and sorted(runner.last.hits) == ["a/plot", "a/text"]
    assert again["a/plot"].stdout == results["a/plot"].stdout and again["a/plot"].cached


def test_changing_one_snippet_reruns_only_it(tiny, tmp_path):
    cache = tmp_path / "cache"
    run(tiny, cache)
    (tiny / "snippets" / "a" / "text.py").write_text(TEXT + "print('more')\n")
    runner, results = run(tiny, cache)
    assert runner.last.ran == ["a/text"] and runner.last.hits == ["a/plot"]
    assert results["a/text"].stdout.endswith("more\n")
    # the superseded entry is gone: nothing stale stays in the cache
    assert len(list((cache / "a" / "text").iterdir())) == 1


@pytest.mark.parametrize("change", ["edit", "new file", "lock"])
def test_changing_gcnn_or_the_lock_reruns_everything(tiny, tmp_path, change):
    cache = tmp_path / "cache"
    run(tiny, cache)
    if change == "edit":
        (tiny / "gcnn" / "__init__.py").write_text("SCALE = 3\n")
    elif change == "new file":
        (tiny / "gcnn" / "extra.py").write_text("# a new module changes nothing the snippets use\n")
    else:
        (tiny / "requirements.lock").write_text("torch==2.13.0\nnumpy==2.4.6\n")
    runner, results = run(tiny, cache)
    assert sorted(runner.last.ran) == ["a/plot", "a/text"] and runner.last.hits == []
    if change == "edit":
        assert results["a/text"].stdout == "scale is 3\n"


def test_bytecode_caches_do_not_change_the_key(tiny):
    before = fingerprint(tiny)
    (tiny / "gcnn" / "__pycache__").mkdir()
    (tiny / "gcnn" / "__pycache__" / "__init__.cpython-311.pyc").write_bytes(b"\0")
    assert fingerprint(tiny) == before


def test_snippets_are_seeded_and_figures_are_byte_identical(tiny, tmp_path):
    _, first = run(tiny, tmp_path / "one")
    _, second = run(tiny, tmp_path / "two")
    assert first["a/plot"].stdout == second["a/plot"].stdout
    assert first["a/plot"].paths[0].read_bytes() == second["a/plot"].paths[0].read_bytes()


def test_a_raising_snippet_reports_file_line_and_traceback(tiny, tmp_path):
    (tiny / "snippets" / "a" / "broken.py").write_text(RAISES)
    runner, results = run(tiny, tmp_path / "cache")
    error = results["a/broken"].error
    assert error["location"] == "snippets/a/broken.py:5"
    assert error["message"] == "ZeroDivisionError: division by zero"
    assert 'File "snippets/a/broken.py", line 5' in error["traceback"]
    assert "snippet_worker" not in error["traceback"]
    assert results["a/text"].error is None
    # failures are not cached: the next run tries again
    runner, _ = run(tiny, tmp_path / "cache")
    assert runner.last.ran == ["a/broken"]


def test_a_syntax_error_names_its_line(tiny, tmp_path):
    (tiny / "snippets" / "a" / "syntax.py").write_text("x = 1\ny = (\n")
    _, results = run(tiny, tmp_path / "cache")
    assert results["a/syntax"].error["location"].startswith("snippets/a/syntax.py:")
    assert "SyntaxError" in results["a/syntax"].error["message"]


def test_eval_blocks_on_pages_run_with_page_line_numbers(tiny, tmp_path):
    (tiny / "docs" / "page.md").write_text("# Page\n\n```python:demo\nprint(6 * 7)\n```\n\n"
                                           "```python:bad\nx = 1\nraise ValueError('boom')\n```\n")
    _, results = run(tiny, tmp_path / "cache")
    assert results["pages/page/demo"].stdout == "42\n"
    assert results["pages/page/bad"].error["location"] == "docs/page.md:9"


def test_animations_become_gifs(tiny, tmp_path):
    (tiny / "snippets" / "a" / "anim.py").write_text(
        "import matplotlib.pyplot as plt\nfrom matplotlib.animation import FuncAnimation\n"
        "fig, ax = plt.subplots()\nline, = ax.plot([0, 1], [0, 1])\n"
        "def step(i):\n    line.set_ydata([0, i])\n    return line,\n"
        "animation = FuncAnimation(fig, step, frames=3, interval=100)\nplt.show()\n")
    _, results = run(tiny, tmp_path / "cache")
    assert results["a/anim"].files == ["anim-1.gif"]
    assert results["a/anim"].paths[0].read_bytes()[:6] == b"GIF89a"


def test_big_images_become_png(tiny, tmp_path):
    (tiny / "snippets" / "a" / "image.py").write_text(
        "import matplotlib.pyplot as plt\nimport torch\nplt.imshow(torch.rand(300, 300))\nplt.show()\n")
    _, results = run(tiny, tmp_path / "cache")
    assert results["a/image"].files == ["image-1.png"]


def test_duplicate_names_are_rejected(tiny, tmp_path):
    snippet = Snippet("a/x", "print(1)\n", "snippets/a/x.py")
    with pytest.raises(ValueError, match="duplicates: \\['a/x'\\]"):
        SnippetRunner(tiny, tmp_path / "cache").run([snippet, snippet])


def test_cache_entries_hold_the_result(tiny, tmp_path):
    cache = tmp_path / "cache"
    _, results = run(tiny, cache)
    data = json.loads((results["a/plot"].directory / "result.json").read_text())
    assert data["files"] == ["plot-1.svg"] and data["error"] is None
    assert results["a/plot"].directory.is_relative_to(cache)
